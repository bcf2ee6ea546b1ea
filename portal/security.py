"""Response headers (a strict Content-Security-Policy) and request guards."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, request

from portal.text import has_control_characters


def _csp() -> str:
    style_src = "'self'"
    theme = current_app.config.get("THEME_CSS_URL") or ""
    if theme.startswith(("https://", "http://")):
        parts = urlsplit(theme)
        style_src += f" {parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; "
        f"style-src {style_src}; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def add_security_headers(response):
    headers = response.headers
    csp = current_app.extensions.get("portal_csp")
    if csp is None:  # settings are fixed once the app runs: build the policy once
        csp = current_app.extensions["portal_csp"] = _csp()
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Manage links and receipt pages carry tokens in their URL: never leak them onward.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("PORTAL_ENV") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def refuse_control_characters_in_url():
    """A NUL in a path or query would reach PostgreSQL, which refuses it with an error."""
    if request.path.isprintable() and not request.query_string:
        return  # the common case, checked at C speed
    if has_control_characters(request.path) or any(
        has_control_characters(k) or has_control_characters(v)
        for k, v in request.args.items(multi=True)
    ):
        abort(400)
