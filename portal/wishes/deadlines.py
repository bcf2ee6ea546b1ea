"""When an organisation should have acknowledged a wish, and whether it is overdue.

Working days skip Saturdays, Sundays and the Dutch public holidays of the Algemene termijnenwet
(the law Dutch deadlines follow): Nieuwjaarsdag, Eerste en Tweede Paasdag, Koningsdag,
Bevrijdingsdag, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag.
- Goede Vrijdag is NOT a holiday here: the law does not count it and most employers work.
- Bevrijdingsdag (5 May) counts EVERY year, as in that law; not only in lustrum years.
- Koningsdag is 27 April, or 26 April when the 27th is a Sunday.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from portal.directory.models import TargetUnit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return frozenset({
        date(year, 1, 1),                # Nieuwjaarsdag
        easter, easter + timedelta(1),   # Eerste en Tweede Paasdag
        kings_day,                       # Koningsdag
        date(year, 5, 5),                # Bevrijdingsdag
        easter + timedelta(39),          # Hemelvaartsdag
        easter + timedelta(49), easter + timedelta(50),  # Eerste en Tweede Pinksterdag
        date(year, 12, 25), date(year, 12, 26),          # Eerste en Tweede Kerstdag
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_days(start: date, days: int, unit: TargetUnit) -> date:
    """The day `days` calendar or working days after `start`."""
    if unit is TargetUnit.CALENDAR_DAYS:
        return start + timedelta(days=days)
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def local_date(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def today() -> date:
    return local_date(datetime.now(AMSTERDAM))


def acknowledge_due_on(routed_at: datetime, days: int, unit: TargetUnit) -> date:
    """The last day on which acknowledging is still on time."""
    return add_days(local_date(routed_at), days, unit)


def is_overdue(wish, on: date | None = None) -> bool:
    """Routed, not yet acknowledged, and the organisation's target has passed."""
    from portal.wishes.models import WishStatus

    if wish.status is not WishStatus.ROUTED or wish.acknowledge_due_on is None:
        return False
    return (on or today()) > wish.acknowledge_due_on
