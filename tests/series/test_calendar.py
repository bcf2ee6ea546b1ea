"""The .ics per meeting and the series feed, parsed back and checked against RFC 5545."""
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest

from portal.extensions import db
from portal.series.models import SeriesStatus
from tests.series.factories import weekly

# Two meetings before and two after the clocks go back (Sunday 27 October 2030).
ACROSS_OCTOBER = weekly(date(2030, 10, 15))


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.data)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def check_rfc5545(calendar: icalendar.Calendar):
    """The rules a calendar application relies on."""
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    zones = {str(z["TZID"]): z for z in calendar.walk("VTIMEZONE")}
    for event in events(calendar):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert required in event, required
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
        assert event.to_ical().decode().count("DTSTAMP:") == 1
        assert b"DTSTAMP:" in event.to_ical() and event["DTSTAMP"].to_ical().endswith(b"Z")
        for key in ("DTSTART", "DTEND"):
            tzid = event[key].params.get("TZID")
            assert tzid == "Europe/Amsterdam", f"{key} without TZID"
            assert tzid in zones, "every TZID needs its VTIMEZONE"
        assert event["DTEND"].dt > event["DTSTART"].dt
    return zones


def test_feed_is_valid_and_times_are_right_across_the_october_change(client, make_series):
    series = make_series(times=ACROSS_OCTOBER)
    calendar = parse(client.get(f"/reeks/{series.slug}/kalender.ics"))
    zones = check_rfc5545(calendar)
    zone = zones["Europe/Amsterdam"]
    assert zone.walk("STANDARD") and zone.walk("DAYLIGHT")

    found = events(calendar)
    assert [e["DTSTART"].dt.strftime("%H:%M") for e in found] == ["19:00"] * 4
    utc_starts = [e["DTSTART"].dt.astimezone(timezone.utc) for e in found]
    assert [u.hour for u in utc_starts] == [17, 17, 18, 18]  # summer, summer, winter, winter

    # The VTIMEZONE itself, read by icalendar, gives the same offsets as the tz database.
    tz = zone.to_tz()
    assert tz.utcoffset(datetime(2030, 10, 22, 19, 0)) == timedelta(hours=2)
    assert tz.utcoffset(datetime(2030, 11, 5, 19, 0)) == timedelta(hours=1)
    assert tz.utcoffset(datetime(2030, 3, 31, 3, 30)) == timedelta(hours=2)
    assert tz.utcoffset(datetime(2030, 3, 31, 1, 30)) == timedelta(hours=1)


def test_feed_describes_each_meeting(client, make_series, app):
    series = make_series()
    calendar = parse(client.get(f"/reeks/{series.slug}/kalender.ics"))
    found = events(calendar)
    assert len(found) == 4
    venue = series.meetings[0].venue
    public = f"http://localhost/reeks/{series.slug}"
    for number, (event, meeting) in enumerate(zip(found, series.meetings), start=1):
        assert str(event["UID"]) == f"meeting-{meeting.id}@localhost"
        assert venue.name in str(event["LOCATION"]) and venue.city in str(event["LOCATION"])
        assert public in str(event["DESCRIPTION"])
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event["SEQUENCE"] == 0
        assert f"{number}" in str(event["SUMMARY"]) and series.title in str(event["SUMMARY"])


def test_winter_and_summer_meetings_keep_their_local_time(client, make_series):
    winter = make_series(times=weekly(date(2030, 1, 8)))
    summer = make_series(times=weekly(date(2030, 6, 4)))
    for series, utc_hour in ((winter, 18), (summer, 17)):
        event = events(parse(client.get(f"/reeks/{series.slug}/ontmoeting-1.ics")))[0]
        assert event["DTSTART"].dt.strftime("%H:%M") == "19:00"
        assert event["DTSTART"].dt.astimezone(timezone.utc).hour == utc_hour


def test_meeting_ics_has_one_event_with_the_same_uid_as_the_feed(client, make_series):
    series = make_series()
    one = parse(client.get(f"/reeks/{series.slug}/ontmoeting-2.ics"))
    check_rfc5545(one)
    [event] = events(one)
    feed = events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))
    assert event["UID"] == feed[1]["UID"]
    assert client.get(f"/reeks/{series.slug}/ontmoeting-5.ics").status_code == 404


def test_editing_a_time_bumps_sequence_and_the_feed_shows_the_new_time(
        client, make_series, login_as, app):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[1]
    uid_before = str(events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))[1]["UID"])

    response = client.post_form(f"/reeksen/ontmoetingen/{meeting.id}/bewerken", {
        "day": "2030-03-13", "start": "14:00", "end": "16:30",
        "venue_id": str(meeting.venue_id), "capacity": "25", "notes": ""})
    assert response.status_code == 302, response.get_data(as_text=True)

    event = events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))[1]
    assert str(event["UID"]) == uid_before
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == "2030-03-13 14:00"
    assert event["DTEND"].dt.strftime("%H:%M") == "16:30"


def test_saving_without_changing_time_or_place_keeps_sequence(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[0]
    client.post_form(f"/reeksen/ontmoetingen/{meeting.id}/bewerken", {
        "day": "2030-03-05", "start": "19:00", "end": "21:00",
        "venue_id": str(meeting.venue_id), "capacity": "30", "notes": "Sleutel ophalen"})
    event = events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))[0]
    assert event["SEQUENCE"] == 0


def test_cancelling_a_meeting_shows_status_cancelled(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[2]
    token_page = f"/reeksen/{series.id}"
    response = client.post_form(f"/reeksen/ontmoetingen/{meeting.id}/annuleren",
                                token_from=token_page)
    assert response.status_code == 302
    found = events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))
    assert [str(e["STATUS"]) for e in found] == ["CONFIRMED", "CONFIRMED", "CANCELLED",
                                                 "CONFIRMED"]
    assert found[2]["SEQUENCE"] == 1


def test_cancelled_series_feed_cancels_every_meeting(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    client.post_form(f"/reeksen/{series.id}/annuleren", token_from=f"/reeksen/{series.id}")
    found = events(parse(client.get(f"/reeks/{series.slug}/kalender.ics")))
    assert {str(e["STATUS"]) for e in found} == {"CANCELLED"}
    assert {e["SEQUENCE"] for e in found} == {1}


@pytest.mark.parametrize("path", ["kalender.ics", "ontmoeting-1.ics", "qr.svg", "qr.png",
                                  "poster", ""])
def test_draft_series_has_no_public_files(client, make_series, path):
    series = make_series(status=SeriesStatus.DRAFT)
    url = f"/reeks/{series.slug}/{path}".rstrip("/")
    assert client.get(url).status_code == 404


def test_calendar_is_pure_and_stable(app_context, factories):
    """Same meetings, same moment: the same bytes (no hidden state)."""
    from portal.series.calendar import calendar_bytes
    from tests.series.factories import create_series

    series = create_series()
    db.session.flush()
    now = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
    make = lambda: calendar_bytes(series.meetings, name=series.title,  # noqa: E731
                                  title_for=lambda m: series.title, public_url="https://x/r/a",
                                  base_url="https://ontmoetingen.example.nl", now=now)
    assert make() == make()
    assert b"UID:meeting-" in make() and b"@ontmoetingen.example.nl" in make()
    assert b"DTSTAMP:20300101T120000Z" in make()
