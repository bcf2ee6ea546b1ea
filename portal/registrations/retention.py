"""Registrations' part of portal.retention: personal data ends some time after the series."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.registrations.models import NEEDS, Registration
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus


def series_end_query():
    """(series id, when it ended): the last meeting's end, or the cancellation time."""
    last_end = (sa.select(Meeting.series_id, sa.func.max(Meeting.ends_at).label("ended_at"))
                .where(Meeting.status != MeetingStatus.CANCELLED)
                .group_by(Meeting.series_id).subquery())
    return last_end


def erase_ended_series_registrations(now: datetime) -> int:
    """Erase name, contact details, needs and the manage link of every registration whose
    series ended more than RETENTION_DAYS_AFTER_SERIES days ago (a cancelled series: since it
    was cancelled). Role, status and attendance stay: reports count them."""
    cutoff = now - timedelta(days=current_app.config.get("RETENTION_DAYS_AFTER_SERIES", 90))
    last_end = series_end_query()
    ended = sa.select(Series.id).outerjoin(last_end, last_end.c.series_id == Series.id).where(
        sa.or_(
            sa.and_(Series.status == SeriesStatus.CANCELLED, Series.cancelled_at < cutoff),
            last_end.c.ended_at < cutoff,
        ))
    values = {"display_name": "", "email": None, "phone": None, "needs_notes": "",
              "manage_token_hash": None, "idempotency_key_hash": None,
              "has_follow_up_consent": False, "erased_at": now}
    values |= {f"needs_{need}": False for need in NEEDS}
    return db.session.execute(
        sa.update(Registration)
        .where(Registration.series_id.in_(ended), Registration.erased_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)).rowcount
