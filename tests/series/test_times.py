"""Dutch wall-clock times become the right UTC moment in winter, summer and on DST nights."""
from datetime import date, datetime, time, timezone

import pytest

from portal.errors import DomainError
from portal.series.times import local_to_utc, to_local


def test_winter_time_is_one_hour_ahead_of_utc():
    assert local_to_utc(date(2030, 1, 15), time(19, 0)) == datetime(2030, 1, 15, 18, 0,
                                                                     tzinfo=timezone.utc)


def test_summer_time_is_two_hours_ahead_of_utc():
    assert local_to_utc(date(2030, 7, 2), time(19, 0)) == datetime(2030, 7, 2, 17, 0,
                                                                   tzinfo=timezone.utc)


def test_time_that_does_not_exist_when_clocks_go_forward_is_refused():
    # Last Sunday of March 2030: 02:00 becomes 03:00.
    with pytest.raises(DomainError) as error:
        local_to_utc(date(2030, 3, 31), time(2, 30), field="start")
    assert error.value.field == "start"
    assert "bestaat niet" in str(error.value.message) or "does not exist" in str(
        error.value.message)


def test_time_that_happens_twice_when_clocks_go_back_is_the_first_one():
    # Last Sunday of October 2030: 03:00 becomes 02:00, so 02:30 happens twice.
    moment = local_to_utc(date(2030, 10, 27), time(2, 30))
    assert moment == datetime(2030, 10, 27, 0, 30, tzinfo=timezone.utc)
    assert to_local(moment).utcoffset().total_seconds() == 7200
    assert local_to_utc(date(2030, 10, 27), time(2, 30)) == moment


def test_round_trip_keeps_the_wall_clock_time():
    moment = local_to_utc(date(2030, 10, 29), time(19, 30))
    assert to_local(moment).strftime("%H:%M") == "19:30"
