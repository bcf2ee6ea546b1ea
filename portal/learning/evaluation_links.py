"""`flask portal send-evaluation-links`: the personal evaluation link after each meeting, once.

Who gets one: every confirmed registration of the series with an e-mail address (not erased)
that was marked present at the meeting; when nobody's attendance was marked at all, everyone
confirmed with an address. When: from EVALUATION_LINK_DELAY_MINUTES after the meeting's end
(time to mark attendance) until evaluation.LINK_SEND_DAYS after it.

"Once" is a claim on the meeting, not a row per person: `meeting_evaluations.links_sent_at` is
set by `UPDATE ... WHERE links_sent_at IS NULL`, and only the run whose update changed the row
sends, in the same transaction. On PostgreSQL a second worker's update waits for the first one's
commit and then changes nothing; on SQLite the claim starts with BEGIN IMMEDIATE, so the second
worker only reads after the first has committed. Nothing is written per person, so nothing ties
a token to an address (see portal/learning/evaluation.py).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from portal.database import begin_immediate
from portal.extensions import db
from portal.learning import evaluation, service
from portal.learning.models import MeetingEvaluation
from portal.models import utcnow
from portal.registrations.addresses import participant_addresses
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus


def due_meetings(now: datetime) -> list[int]:
    """Ids of meetings whose links are due and not claimed yet."""
    delay = timedelta(minutes=current_app.config.get("EVALUATION_LINK_DELAY_MINUTES", 60))
    claimed = sa.select(MeetingEvaluation.meeting_id).where(
        MeetingEvaluation.links_sent_at.is_not(None))
    return list(db.session.scalars(
        sa.select(Meeting.id).join(Series).where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Series.status.in_((SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED)),
            Meeting.ends_at <= now - delay,
            Meeting.ends_at > now - timedelta(days=evaluation.LINK_SEND_DAYS),
            Meeting.id.not_in(claimed))
        .order_by(Meeting.ends_at, Meeting.id)))


def recipients(meeting: Meeting) -> list[str]:
    """The addresses of those who came (or of everyone confirmed, when nobody was marked)."""
    return participant_addresses(meeting.series_id, present_at=meeting.id)


def _claim(meeting: Meeting, now: datetime) -> bool:
    """Mark the meeting's links as sent; False when another run did so first."""
    try:
        with db.session.begin_nested():
            service.evaluation_for(meeting)
    except IntegrityError:  # another worker made the row at the same moment
        pass
    return db.session.execute(
        sa.update(MeetingEvaluation)
        .where(MeetingEvaluation.meeting_id == meeting.id,
               MeetingEvaluation.links_sent_at.is_(None))
        .values(links_sent_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1


def _link_for(token: str) -> str:
    return url_for("learning_public.by_token", token=token, _external=True)


def send_evaluation_links(now: datetime | None = None) -> str:
    """The job: claim each due meeting and mail its links, one commit per meeting."""
    now = now or utcnow()
    secret_key = current_app.config["SECRET_KEY"]
    meeting_ids = due_meetings(now)
    db.session.commit()  # end the read before each claim takes the write lock
    meetings = sent = 0
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        for meeting_id in meeting_ids:
            begin_immediate()
            meeting = db.session.get(Meeting, meeting_id)
            if meeting is None or not _claim(meeting, now):
                db.session.rollback()
                continue
            addresses = recipients(meeting)
            random.SystemRandom().shuffle(addresses)
            for start in range(0, len(addresses), service.MAX_LINKS):
                sent += service.send_evaluation_links(
                    None, meeting, addresses[start:start + service.MAX_LINKS], _link_for,
                    secret_key)
            db.session.commit()
            meetings += 1
    return f"{sent} evaluation links for {meetings} meetings"
