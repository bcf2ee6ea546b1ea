"""The series' meetings as an iCalendar file, for the confirmation mail and the manage page.

Stand-in until portal/series/calendar.py (the series feature's own calendar) is merged: the
lead can point `series_calendar_bytes` at that module then.
"""
from __future__ import annotations

from datetime import timezone

from flask import current_app
from icalendar import Calendar, Event

from portal.models import utcnow
from portal.series.models import MeetingStatus, Series


def series_calendar_bytes(series: Series) -> bytes:
    """A VCALENDAR with one VEVENT per meeting (cancelled meetings as STATUS:CANCELLED)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ontmoetingen//portal//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    host = current_app.config.get("BASE_URL", "http://localhost").split("://")[-1].split("/")[0]
    for meeting in series.meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{host}")
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", utcnow())
        event.add("dtstart", meeting.starts_at.astimezone(timezone.utc))
        event.add("dtend", meeting.ends_at.astimezone(timezone.utc))
        event.add("summary", f"{series.title} ({meeting.number}/4)")
        if meeting.venue is not None:
            event.add("location", f"{meeting.venue.name}, {meeting.venue.address}")
        if meeting.status is MeetingStatus.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
