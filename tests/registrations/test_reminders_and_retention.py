"""Reminders some days before each meeting (once), and the end date of personal data."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.registrations.models import (Attendance, AttendanceStatus, ParticipantRole,
                                         Registration)
from portal.registrations.reminders import send_reminders
from portal.retention import purge
from portal.series.models import MeetingStatus, SeriesStatus


def _move(series, days: float) -> None:
    """Shift a series in time (sign-ups are only possible before it starts)."""
    for meeting in series.meetings:
        meeting.starts_at += timedelta(days=days)
        meeting.ends_at += timedelta(days=days)
    db.session.flush()


def _reminders(outbox):
    return [m for m in outbox() if m.subject.startswith("Herinnering")]


def test_send_reminders_is_idempotent_and_skips_who_cannot_be_reached(app, reg, outbox):
    with app.app_context():
        series = reg.create_series(capacity=2, starts_in_days=1.5, title="Samen")
        reg.register(series, email="anna@example.org")
        reg.register(series, phone="06 12345678")  # no e-mail: nothing to send
        reg.register(series, email="waiting@example.org")  # waiting list: no reminder
    runner = app.test_cli_runner()
    first = runner.invoke(args=["portal", "send-reminders"])
    assert first.exit_code == 0, first.output
    assert "1 reminders" in first.output
    second = runner.invoke(args=["portal", "send-reminders"])
    assert "0 reminders" in second.output
    [mail] = _reminders(outbox)
    assert mail.to_address == "anna@example.org"
    assert mail.subject == "Herinnering: ontmoeting 1 van Samen"
    assert "Een herinnering: ontmoeting 1 van Samen is bijna." in mail.text_body


def test_reminder_window_is_configurable_and_each_meeting_gets_one(app, reg, outbox,
                                                                    monkeypatch):
    with app.app_context():
        series = reg.create_series(starts_in_days=3)
        reg.register(series, email="anna@example.org")
        assert send_reminders() == "0 reminders"  # three days ahead, default is two
        monkeypatch.setitem(app.config, "REMINDER_DAYS_BEFORE", 4)
        assert send_reminders() == "1 reminders"
        later = utcnow() + timedelta(days=7)  # a week on: meeting 2 is now close
        assert send_reminders(now=later) == "1 reminders"
        assert send_reminders(now=later) == "0 reminders"
        db.session.commit()
    assert [m.subject[-20:] for m in _reminders(outbox)] and len(_reminders(outbox)) == 2


def test_no_reminders_for_cancelled_meetings_or_series(app, reg, outbox):
    with app.app_context():
        series = reg.create_series(starts_in_days=1)
        reg.register(series, email="anna@example.org")
        series.meetings[0].status = MeetingStatus.CANCELLED
        other = reg.create_series(starts_in_days=1)
        reg.register(other, email="bram@example.org")
        other.status = SeriesStatus.CANCELLED
        db.session.commit()
        assert send_reminders() == "0 reminders"


def test_purge_erases_contact_details_after_the_series_ended_but_keeps_counts(
        app, reg, monkeypatch):
    with app.app_context():
        old = reg.create_series(starts_in_days=1)
        anna = reg.register(old, email="anna@example.org", phone="06 12345678",
                            needs={"childcare"}, needs_notes="geen varkensvlees",
                            role=ParticipantRole.RESIDENT).registration
        _move(old, -121)  # the last meeting ended about 99 days ago
        db.session.add(Attendance(registration_id=anna.id, meeting_id=old.meetings[0].id,
                                  status=AttendanceStatus.PRESENT, marked_at=utcnow()))
        recent = reg.create_series(starts_in_days=1)
        bram = reg.register(recent, email="bram@example.org").registration
        _move(recent, -31)  # ended about 9 days ago
        cancelled = reg.create_series(starts_in_days=30)
        cees = reg.register(cancelled, email="cees@example.org").registration
        cancelled.status = SeriesStatus.CANCELLED
        cancelled.cancelled_at = utcnow() - timedelta(days=91)
        db.session.commit()
        ids = anna.id, bram.id, cees.id

        assert "2 registrations" in purge()
        db.session.commit()
        db.session.expire_all()
        anna, bram, cees = (db.session.get(Registration, i) for i in ids)
        assert (anna.display_name, anna.email, anna.phone, anna.needs, anna.needs_notes) == \
            ("", None, None, [], "")
        assert anna.manage_token_hash is None and anna.erased_at is not None
        assert anna.role is ParticipantRole.RESIDENT and anna.is_confirmed
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1
        assert cees.email is None
        assert bram.email == "bram@example.org"
        assert "0 registrations" in purge()

        monkeypatch.setitem(app.config, "RETENTION_DAYS_AFTER_SERIES", 7)
        assert "1 registrations" in purge()
