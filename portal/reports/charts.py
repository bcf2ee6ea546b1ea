"""Server-side SVG bar charts that read without colour: each bar carries its label and its
number as text next to it, and bars are filled with a hatch pattern, not a colour code. No
style attributes (the CSP forbids them): presentation through SVG attributes only. The table
beside each chart holds the same numbers."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from portal.reports.suppression import is_suppressed

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 200
BAR_WIDTH = 260
VALUE_WIDTH = 70
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | str  # a number, "<5" or "" (no figure)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, bars: list[Bar], suppressed_text: str = "") -> Markup:
    """An accessible SVG: role="img" with a title and a description listing every value."""
    numbers = [b.value for b in bars if isinstance(b.value, (int, float))]
    top = max(numbers, default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    description = "; ".join(f"{b.label}: {b.value if b.value != '' else '-'}" for b in bars)
    pattern = f"{chart_id}-hatch"
    parts = [
        f'<svg class="portal-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{pattern}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#1a1a1a" stroke-width="4"/></pattern></defs>',
    ]
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 5
        parts.append(f'<text x="0" y="{middle}" font-size="14" fill="#1a1a1a">'
                     f'{escape(_short(str(bar.label)))}</text>')
        if isinstance(bar.value, (int, float)) and bar.value > 0:
            width = max(2, round(BAR_WIDTH * bar.value / top))
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" '
                         f'height="{BAR_HEIGHT}" fill="url(#{pattern})" stroke="#1a1a1a" '
                         f'stroke-width="1"/>')
            end = LABEL_WIDTH + width + 6
        else:
            end = LABEL_WIDTH + 6
        text = suppressed_text if is_suppressed(bar.value) and suppressed_text else bar.value
        parts.append(f'<text x="{end}" y="{middle}" font-size="14" font-weight="bold" '
                     f'fill="#1a1a1a">{escape(str(text))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
