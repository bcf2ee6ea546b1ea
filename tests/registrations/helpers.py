"""Filling in the public sign-up form like a browser: CSRF token and one-time key from the page."""
from __future__ import annotations

import re

_HIDDEN = re.compile(r'name="(csrf_token|form_key)"[^>]*value="([^"]*)"|'
                     r'value="([^"]*)"[^>]*name="(csrf_token|form_key)"')


def hidden_fields(html: str) -> dict[str, str]:
    found = {}
    for match in re.finditer(r'<input[^>]*>', html):
        tag = match.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) in ("csrf_token", "form_key") and value:
            found.setdefault(name.group(1), value.group(1))
    return found


def form_data(**overrides) -> dict:
    data = {"display_name": "Anna", "role": "resident", "email": "anna@example.org",
            "phone": "", "needs": ["childcare"], "needs_notes": "", "consent": "y",
            "website": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign_up(client, slug: str, fields: dict | None = None, **overrides):
    """GET the form, then POST it with its CSRF token and one-time key. Returns the response."""
    page = client.get(f"/aanmelden/{slug}").get_data(as_text=True)
    data = {**hidden_fields(page), **form_data(**overrides), **(fields or {})}
    return client.post(f"/aanmelden/{slug}", data=data)


def token_from(location: str) -> str:
    return re.search(r"/aanmelding/([A-Za-z0-9_-]+)", location).group(1)
