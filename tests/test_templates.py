"""Templates are ready for a strict Content-Security-Policy and every string is translated."""
from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_no_inline_scripts_styles_or_event_handlers():
    problems = []
    for path in TEMPLATES:
        text = path.read_text()
        for pattern, what in ((r"<script(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
                              (r"\sstyle\s*=", "style= attribute"),
                              (r"<style\b", "<style> element"),
                              (r"\son[a-z]+\s*=", "on*= attribute")):
            if re.search(pattern, text, re.IGNORECASE):
                problems.append(f"{path.relative_to(ROOT)}: {what}")
    assert problems == []


def _catalogue(locale: str):
    with open(ROOT / "portal" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_every_string_in_code_and_templates_has_a_dutch_translation():
    mapping = [("portal/**.py", "python"), ("templates/**.html", "jinja2"),
               ("templates/**.txt", "jinja2"), ("templates/**.ics", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                "_l": None, "pgettext": ((1, "c"), 2)}
    dutch = _catalogue("nl")
    missing = []
    # Babel skips folders starting with "_" by default; templates/_macros holds strings too.
    include = lambda path: not (name := path.rsplit("/", 1)[-1]).startswith(".") and name not in (  # noqa: E731
        "node_modules", ".venv", "vendor")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map=mapping, keywords=keywords, directory_filter=include):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = dutch.get(msgid)
        if entry is None or not (entry.string[0] if isinstance(entry.string, tuple)
                                 else entry.string):
            missing.append(f"{filename}:{lineno}: {msgid}")
    assert missing == [], "\n".join(missing[:50])


def test_absurd_page_numbers_are_an_empty_page_not_an_error(client, login_as):
    login_as("coordinator")
    for url in ("/beheer/gemeenten?pagina=99999999999999999999", "/beheer/gemeenten?pagina=-4",
                "/beheer/gemeenten?pagina=abc", "/begeleiding/verhalen/?pagina=99999999999999"):
        assert client.get(url).status_code == 200, url
