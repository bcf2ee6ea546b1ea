"""Every page the demo links to, for anonymous readers and for each demo login: no server error,
and no link we render leads to a page that is missing or forbidden for the one who sees it.

The demo holds every kind of object (series past and future, stories, wishes in several states,
practices, evaluations), so following its links reaches nearly every GET page with real data.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from portal.demo import DEMO_PASSWORD

LOGINS = [None, "coordinator@ontmoetingen.example", "sanne@ontmoetingen.example",
          "petra@betuwethuis.example", "ahmed@lingewaard.example",
          "joost@ontmoetingen.example", "fatma@twentethuis.example"]
MAX_PAGES = 1500
_HREF = re.compile(r'href="([^"#]*)')
# Files and the language switch are not pages; later pages of a list repeat the first ones.
_SKIP = re.compile(r"^/(static|taal)/|\.(css|svg|png|ico)$")
_LATER_PAGE = re.compile(r"(^|&)pagina=([3-9]|\d{2,})")


def _links(path: str, html: str):
    for href in _HREF.findall(html):
        url = urlsplit(urljoin("http://localhost" + path, unescape(href)))
        if url.netloc != "localhost" or _SKIP.search(url.path) or _LATER_PAGE.search(url.query):
            continue
        yield url.path + (f"?{url.query}" if url.query else "")


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: (login or "anonymous").split("@")[0])
def test_every_demo_link_answers(app, client, login):
    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    if login:
        response = client.post_form("/account/inloggen",
                                    {"email": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302
    start = ["/", "/wat-werkt", "/bon"] + (["/dashboard"] if login else [])
    seen: dict[str, str] = {path: "start" for path in start}
    todo, broken = list(start), []
    while todo:
        path = todo.pop()
        response = client.get(path)
        if response.status_code >= 400:
            broken.append((path, response.status_code, seen[path]))
            continue
        if response.status_code == 200 and response.mimetype == "text/html":
            for link in _links(path, response.get_data(as_text=True)):
                if link not in seen:
                    seen[link] = path
                    todo.append(link)
        assert len(seen) < MAX_PAGES, "the crawl does not end: a link keeps making new URLs"
    assert not broken, f"(page, status, linked from): {broken}"
    assert len(seen) > 12
