"""Every form the demo shows, sent back with hostile values by the one who sees it: never a server
error, and afterwards no page carries the markup that was sent as live HTML.

What a bot, a tampered page or a careless paste sends: markup, text far over any limit, numbers
no column holds, digits int() refuses, a date that does not exist, a NUL byte, nothing at all.
Hidden fields keep their value on the first pass and get junk on the second, so both the checks
behind the visible fields and those behind the ids a page carries are reached.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from portal.demo import DEMO_PASSWORD
from tests.test_demo_links import _links

MARKUP = "<script>alert('demo-forms')</script>"
JUNK = [MARKUP, "x" * 12_000, "99999999999999999999999", "-1", "²", "2026-02-30", "\x00", ""]
LOGINS = [None, "sanne@ontmoetingen.example", "petra@betuwethuis.example",
          "joost@ontmoetingen.example", "coordinator@ontmoetingen.example"]
_POST_FORM = re.compile(r'<form\b([^>]*method="post"[^>]*)>(.*?)</form>', re.DOTALL)
_FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>")
_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL)
_OPTION = re.compile(r"<option\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_SKIP = ("/account/uitloggen",)  # would end the session the rest is sent in


def _log_in(client, email):
    """Logged in as email, again if a form ended the session (a password, a deactivation)."""
    if client.get("/dashboard").status_code == 200:
        return True
    response = client.post_form("/account/inloggen", {"email": email, "password": DEMO_PASSWORD})
    return response.status_code == 302


def _forms(client, logged_in: bool):
    """Each POST form of each page reachable from the start pages, once per URL shape."""
    start = ["/", "/wat-werkt", "/bon", "/vertel"] + (["/dashboard"] if logged_in else [])
    seen, todo, forms, shapes = set(start), list(start), [], set()
    while todo:
        path = todo.pop()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for attributes, body in _POST_FORM.findall(html):
            action = dict(_ATTRIBUTE.findall(attributes)).get("action")
            url = urlsplit(urljoin("http://localhost" + path, unescape(action or path))).path
            shape = re.sub(r"/\d+", "/N", url)
            if shape not in shapes and url not in _SKIP:
                shapes.add(shape)
                forms.append((url, body))
        for link, _ in _links(path, html):
            if link not in seen:
                seen.add(link)
                todo.append(link)
    return forms


def _as_sent(body: str) -> dict[str, str]:
    """What the browser would send unchanged: values, checked boxes, the chosen options."""
    data: dict[str, str] = {}
    for select_attributes, options in _SELECT.findall(body):
        name = dict(_ATTRIBUTE.findall(select_attributes)).get("name")
        values = [(dict(_ATTRIBUTE.findall(o)).get("value", ""), "selected" in o)
                  for o in _OPTION.findall(options)]
        if name and values:
            data[name] = next((v for v, chosen in values if chosen), values[0][0])
    for tag, attributes in _FIELD.findall(body):
        field = dict(_ATTRIBUTE.findall(attributes))
        name, kind = field.get("name"), field.get("type", "text")
        if not name or tag == "select" or kind == "submit" and "value" not in field:
            continue
        if kind in ("checkbox", "radio") and not re.search(r"\bchecked\b", attributes):
            if kind == "radio":
                data.setdefault(name, unescape(field.get("value", "")))
            continue
        data[name] = unescape(field.get("value", ""))
    return data


def _variants(body: str):
    """The form as sent, then: every field junk but the hidden ones; every field junk; and
    markup in the free-text fields only, so edit forms store it."""
    as_sent = _as_sent(body)
    kinds = {dict(_ATTRIBUTE.findall(a)).get("name"): (tag, dict(_ATTRIBUTE.findall(a)).get(
        "type", "text")) for tag, a in _FIELD.findall(body)}
    keep = {name for name, (_, kind) in kinds.items()
            if kind == "submit" or name and name.endswith("csrf_token")}
    hidden = {name for name, (_, kind) in kinds.items() if kind == "hidden"}
    numeric = {dict(_ATTRIBUTE.findall(a)).get("name") for _, a in _FIELD.findall(body)
               if 'inputmode="numeric"' in a}
    free_text = {name for name, (tag, kind) in kinds.items() if name not in numeric and (
        tag == "textarea" or tag == "input" and kind in ("text", "search"))}
    for junk in JUNK:
        yield {n: v if n in keep | hidden else junk for n, v in as_sent.items()}
        yield {n: v if n in keep else junk for n, v in as_sent.items()}
    yield {n: MARKUP if n in free_text else v for n, v in as_sent.items()}


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: (login or "anonymous").split("@")[0])
def test_every_demo_form_takes_hostile_values(app, client, login):
    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    assert not login or _log_in(client, login)
    forms = _forms(client, logged_in=bool(login))
    assert len(forms) >= (3 if login in (None, "petra@betuwethuis.example") else 10)
    failed, stored = [], False
    for url, body in forms:
        for data in _variants(body):
            response = client.post(url, data=data)
            if response.status_code >= 500:
                failed.append((url, {name: value[:12] for name, value in data.items()}))
            stored |= MARKUP in data.values() and response.status_code in (302, 303)
        if login and not _log_in(client, login):
            break
    assert not failed, f"(form, data) with a server error: {failed}"

    # What was stored is shown as text everywhere: to the public, to the one who sent it and
    # to a coordinator.
    staff = app.test_client()
    readers = [(app.test_client(), ["/", "/wat-werkt", "/jij-zei-wij-deden"])]
    readers += [(client, ["/dashboard"])] if login and _log_in(client, login) else []
    readers += [(staff, ["/dashboard", "/beheer/"])] \
        if _log_in(staff, "coordinator@ontmoetingen.example") else []
    shown = sum(_assert_no_live_markup(reader, start) for reader, start in readers)
    # Where a form took the markup, it shows somewhere: the check above had text to read.
    assert shown or not stored, "markup was stored but shown nowhere"


def _assert_no_live_markup(client, start) -> int:
    """How many pages show the markup as text; fails on a page that carries it live."""
    seen, todo, shown = set(start), list(start), 0
    while todo:
        path = todo.pop()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or \
                response.mimetype not in ("text/html", "application/atom+xml"):
            continue
        body = response.get_data(as_text=True)
        assert MARKUP not in body, f"live markup on {path}"
        shown += "demo-forms" in body
        for link, _ in _links(path, body) if response.mimetype == "text/html" else ():
            if link not in seen:
                seen.add(link)
                todo.append(link)
    return shown
