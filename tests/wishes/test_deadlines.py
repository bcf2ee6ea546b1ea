"""Overdue: calendar days or working days without weekends and Dutch public holidays."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal.directory.models import TargetUnit
from portal.wishes import deadlines
from types import SimpleNamespace as Wish

from portal.wishes.models import WishStatus

CAL, WORK = TargetUnit.CALENDAR_DAYS, TargetUnit.WORKING_DAYS


@pytest.mark.parametrize("year,expected", [
    (2000, date(2000, 4, 23)), (2008, date(2008, 3, 23)), (2011, date(2011, 4, 24)),
    (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)),
    (2285, date(2285, 3, 22)),
])
def test_easter_sunday_known_dates(year, expected):
    assert deadlines.easter_sunday(year) == expected


def test_the_holidays_of_2026():
    assert deadlines.public_holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 5), date(2026, 4, 6), date(2026, 4, 27),
        date(2026, 5, 5), date(2026, 5, 14), date(2026, 5, 24), date(2026, 5, 25),
        date(2026, 12, 25), date(2026, 12, 26)}


def test_good_friday_is_a_working_day_and_liberation_day_is_not_every_year():
    assert deadlines.is_working_day(date(2026, 4, 3))  # Goede Vrijdag
    assert not deadlines.is_working_day(date(2026, 5, 5))  # not a lustrum year, still free
    assert not deadlines.is_working_day(date(2025, 5, 5))


def test_kings_day_moves_to_saturday_when_the_27th_is_a_sunday():
    assert date(2025, 4, 26) in deadlines.public_holidays(2025)  # 27 April 2025 is a Sunday
    assert date(2025, 4, 27) not in deadlines.public_holidays(2025)
    assert date(2026, 4, 27) in deadlines.public_holidays(2026)


def test_calendar_days_count_every_day():
    assert deadlines.add_days(date(2026, 4, 24), 10, CAL) == date(2026, 5, 4)


def test_working_days_skip_weekends():
    # Friday + 1 working day = Monday
    assert deadlines.add_days(date(2026, 3, 6), 1, WORK) == date(2026, 3, 9)
    assert deadlines.add_days(date(2026, 3, 2), 10, WORK) == date(2026, 3, 16)


def test_working_days_skip_easter_monday_kings_day_and_christmas():
    # Thursday 2 April 2026: Fri 3 (works), Mon 6 (Easter Monday) skipped -> Tue 7
    assert deadlines.add_days(date(2026, 4, 2), 2, WORK) == date(2026, 4, 7)
    # Friday 24 April 2026 + 1: Monday 27 April is Koningsdag -> Tuesday 28
    assert deadlines.add_days(date(2026, 4, 24), 1, WORK) == date(2026, 4, 28)
    # 24 December 2026 (Thursday) + 1: Fri 25, Sat 26, Sun 27 -> Monday 28
    assert deadlines.add_days(date(2026, 12, 24), 1, WORK) == date(2026, 12, 28)
    # Ascension Thursday 14 May 2026 and Whit Monday 25 May 2026
    assert deadlines.add_days(date(2026, 5, 13), 1, WORK) == date(2026, 5, 15)
    assert deadlines.add_days(date(2026, 5, 22), 1, WORK) == date(2026, 5, 26)


def test_the_deadline_counts_from_the_dutch_date_of_routing():
    # 23:30 UTC on 5 March is already 6 March (Friday) in Amsterdam
    routed = datetime(2026, 3, 5, 23, 30, tzinfo=timezone.utc)
    assert deadlines.acknowledge_due_on(routed, 1, WORK) == date(2026, 3, 9)


def test_overdue_only_while_not_acknowledged():
    wish = Wish(status=WishStatus.ROUTED, acknowledge_due_on=date(2026, 3, 9))
    assert not deadlines.is_overdue(wish, on=date(2026, 3, 9))
    assert deadlines.is_overdue(wish, on=date(2026, 3, 10))
    wish.status = WishStatus.IN_PROGRESS
    assert not deadlines.is_overdue(wish, on=date(2026, 3, 10))
    assert not deadlines.is_overdue(Wish(status=WishStatus.NEW, acknowledge_due_on=None), on=date(2030, 1, 1))
