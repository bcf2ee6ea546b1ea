"""The one rule for small numbers: a count of people (or of what people told) from 1 to 4 is
shown as "<5", because in a group of a dozen it could single someone out. 0 is shown: it says
nothing about anyone. Every report figure about people goes through `shown()`."""
from __future__ import annotations

THRESHOLD = 5
SUPPRESSED = f"<{THRESHOLD}"


def shown(count: int | None) -> int | str:
    """The count as a report may show it."""
    count = count or 0
    return SUPPRESSED if 0 < count < THRESHOLD else count


def is_suppressed(value) -> bool:
    return value == SUPPRESSED
