"""The one sanitising policy (bleach) and the control-character check."""
from __future__ import annotations

import html
import re
import unicodedata

import bleach
from markupsafe import Markup

# Paragraphs, bold, italics and lists: what a story needs, nothing that can run.
ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li"})
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {}

_ALLOWED_CONTROL = {"\t", "\n", "\r"}


def has_control_characters(value: str) -> bool:
    """True when the text holds NUL or another control character a person cannot type."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in _ALLOWED_CONTROL for ch in value
    )


def clean_html(value: str | None) -> str:
    """Sanitise rich text to the strict allow-list; everything else is escaped or dropped."""
    if not value:
        return ""
    return bleach.clean(value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, strip=True,
                        strip_comments=True)


def render_rich_text(value: str | None) -> Markup:
    """Sanitise again on output, and turn plain newlines into paragraphs."""
    cleaned = clean_html(value)
    if cleaned and not re.search(r"<(p|ul|ol)\b", cleaned):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cleaned) if p.strip()]
        cleaned = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return Markup(cleaned)


def normalise_line(value: str | None) -> str:
    """Collapse whitespace in a single-line value (names, titles)."""
    return " ".join((value or "").split())


def strip_tags(value: str | None) -> str:
    """Plain text without any markup (practices are plain text; templates escape them). bleach
    tells a tag from a lone "<": "kinderen < 12 jaar en ouders > 65" keeps every word."""
    if not value:
        return ""
    return html.unescape(bleach.clean(value, tags=set(), strip=True, strip_comments=True)).strip()
