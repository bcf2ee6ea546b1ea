"""Locale choice (Dutch unless the visitor switched) and template helpers."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import format_datetime, get_locale

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE) if request else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIME_ZONE"]


def inject_template_globals() -> dict:
    locale = str(get_locale() or "nl")
    return {
        "current_locale": locale,
        "other_locales": [lang for lang in current_app.config["LANGUAGES"] if lang != locale],
        "portal_name": current_app.config["PORTAL_NAME"],
        "theme_class": current_app.config["THEME_CLASS"],
        "theme_css_url": current_app.config["THEME_CSS_URL"],
        "format_datetime": format_datetime,
    }


def theme_name(theme) -> str:
    """Template filter: a theme's name in the visitor's language (themes are data, not msgids)."""
    return theme.name_for(str(get_locale() or "nl"))
