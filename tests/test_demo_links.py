"""Every page the demo links to, for anonymous readers and for each demo login: no server error,
and no link we render leads to a page that is missing or forbidden for the one who sees it; and
every query parameter those links carry (filters, pages, search) takes junk without an error.

The demo holds every kind of object (series past and future, stories, wishes in several states,
practices, evaluations), so following its links reaches nearly every GET page with real data.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from portal.demo import DEMO_PASSWORD

LOGINS = [None, "coordinator@ontmoetingen.example", "sanne@ontmoetingen.example",
          "petra@betuwethuis.example", "ahmed@lingewaard.example",
          "joost@ontmoetingen.example", "fatma@twentethuis.example"]
MAX_PAGES = 1500
_HREF = re.compile(r'href="([^"#]*)')
_GET_FORM = re.compile(r'<form\b(?![^>]*method="post")([^>]*)>(.*?)</form>', re.DOTALL)
_ACTION = re.compile(r'action="([^"]*)"')
_FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
# Files and the language switch are not pages; later pages of a list repeat the first ones.
_SKIP = re.compile(r"^/(static|taal)/|\.(css|svg|png|ico)$")
_LATER_PAGE = re.compile(r"(^|&)pagina=([3-9]|\d{2,})")
# What a tampered link or a bot sends: digits int() refuses, numbers no column holds, markup.
JUNK = ["²", "99999999999999999999999", "-1", "0", "<script>x</script>", "x" * 5000, "\x00"]


def _filter_forms(path: str, html: str):
    """Filter and search forms (method GET) as one link each, every field left empty."""
    for attributes, body in _GET_FORM.findall(html):
        action = _ACTION.search(attributes)
        target = urlsplit(urljoin("http://localhost" + path,
                                  unescape(action.group(1)) if action else path)).path
        names = sorted(set(_FIELD_NAME.findall(body)))
        if names:
            yield target + "?" + urlencode([(name, "") for name in names]), True


def _links(path: str, html: str):
    yield from _filter_forms(path, html)
    for href in _HREF.findall(html):
        url = urlsplit(urljoin("http://localhost" + path, unescape(href)))
        if url.netloc != "localhost" or _SKIP.search(url.path) or _LATER_PAGE.search(url.query):
            continue
        yield url.path + (f"?{url.query}" if url.query else ""), False


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: (login or "anonymous").split("@")[0])
def test_every_demo_link_answers(app, client, login):
    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    if login:
        response = client.post_form("/account/inloggen",
                                    {"email": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302
    start = ["/", "/wat-werkt", "/bon"] + (["/dashboard"] if login else [])
    seen: dict[str, tuple[str, bool]] = {path: ("start", False) for path in start}
    todo, broken = list(start), []
    while todo:
        path = todo.pop()
        response = client.get(path)
        linked_from, empty_form = seen[path]
        # An empty filter form may answer with a message (422); a link must lead somewhere.
        if response.status_code >= (500 if empty_form else 400):
            broken.append((path, response.status_code, linked_from))
        if response.status_code == 200 and response.mimetype == "text/html":
            for link, is_form in _links(path, response.get_data(as_text=True)):
                if link not in seen:
                    seen[link] = (path, is_form)
                    todo.append(link)
        assert len(seen) < MAX_PAGES, "the crawl does not end: a link keeps making new URLs"
    assert not broken, f"(page, status, linked from): {broken}"
    assert len(seen) > 12
    _junk_in_every_parameter(client, seen)


def _junk_in_every_parameter(client, seen):
    """Each parameter of each page once per junk value, the others left as linked."""
    tried, failed = set(), []
    for link in seen:
        path, _, query = link.partition("?")
        params = parse_qsl(query, keep_blank_values=True)
        for name in {name for name, _ in params}:
            if (path, name) in tried:
                continue
            tried.add((path, name))
            for junk in JUNK:
                changed = [(n, junk if n == name else v) for n, v in params]
                response = client.get(f"{path}?{urlencode(changed)}")
                if response.status_code >= 500:
                    failed.append((path, name, junk[:20]))
    assert not failed, f"(page, parameter, value) with a server error: {failed}"
