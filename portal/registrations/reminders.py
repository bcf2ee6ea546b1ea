"""`flask portal send-reminders`: an e-mail some days before each meeting, once per person."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import utcnow
from portal.registrations import mails
from portal.registrations.models import Registration, RegistrationStatus, ReminderLog
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus


def send_reminders(now: datetime | None = None) -> str:
    """Remind everyone confirmed with an e-mail address of each meeting that starts within
    REMINDER_DAYS_BEFORE days. A ReminderLog row per (registration, meeting) makes a second run
    send nothing again; the unique constraint on it guards two workers running at once."""
    now = now or utcnow()
    horizon = now + timedelta(days=current_app.config.get("REMINDER_DAYS_BEFORE", 2))
    meetings = db.session.scalars(
        sa.select(Meeting).join(Series).where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Series.status == SeriesStatus.PUBLISHED,
            Meeting.starts_at > now, Meeting.starts_at <= horizon)
        .options(selectinload(Meeting.venue))).all()
    sent = 0
    for meeting in meetings:
        already = sa.select(ReminderLog.registration_id).where(
            ReminderLog.meeting_id == meeting.id)
        due = db.session.scalars(sa.select(Registration).where(
            Registration.series_id == meeting.series_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.email.is_not(None),
            Registration.id.not_in(already))).all()
        for registration in due:
            db.session.add(ReminderLog(registration_id=registration.id, meeting_id=meeting.id,
                                       sent_at=now))
            mails.send_reminder(registration, meeting)
            sent += 1
    db.session.flush()
    return f"{sent} reminders"
