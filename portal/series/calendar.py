"""Meetings as iCalendar (RFC 5545): pure functions from meetings to VCALENDAR bytes.

The VTIMEZONE is written out with the EU rule (last Sunday of March 02:00 CET, last Sunday of
October 03:00 CEST) instead of icalendar's generated one, which lists every transition since
1970 as RDATEs and puts the spring onset at 03:00 where RFC 5545 wants the local time before
the change (02:00).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from portal.config import TIME_ZONE
from portal.series.models import Meeting
from portal.series.times import to_local

PRODID = "-//Ontmoetingen portal//Series calendar//NL"


def amsterdam_vtimezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TIME_ZONE)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", datetime(1981, 3, 29, 2, 0))
    daylight.add("tzoffsetfrom", _offset(1))
    daylight.add("tzoffsetto", _offset(2))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("dtstart", datetime(1996, 10, 27, 3, 0))
    standard.add("tzoffsetfrom", _offset(2))
    standard.add("tzoffsetto", _offset(1))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def meeting_uid(meeting: Meeting, base_url: str) -> str:
    """Stable for the meeting's life: calendars match updates and cancellations on it."""
    host = urlsplit(base_url).hostname or "ontmoetingen.invalid"
    return f"meeting-{meeting.id}@{host}"


def meeting_event(meeting: Meeting, *, title: str, public_url: str, base_url: str,
                  now: datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting, base_url))
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("last-modified", meeting.updated_at.astimezone(timezone.utc))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", to_local(meeting.starts_at))
    event.add("dtend", to_local(meeting.ends_at))
    event.add("summary", title)
    venue = meeting.venue
    event.add("location", f"{venue.name}, {venue.address}")
    event.add("description", public_url)
    event.add("url", public_url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str,
                   title_for: Callable[[Meeting], str], public_url: str, base_url: str,
                   now: datetime | None = None) -> bytes:
    """One VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE and one VEVENT per meeting."""
    now = now or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add_component(amsterdam_vtimezone())
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, title=title_for(meeting),
                                             public_url=public_url, base_url=base_url, now=now))
    return calendar.to_ical()
