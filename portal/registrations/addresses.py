"""Who of a series can still be reached by e-mail: one rule for every job that mails them."""
from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.registrations.models import (Attendance, AttendanceStatus, Registration,
                                         RegistrationStatus)


def participant_addresses(series_id: int, present_at: int | None = None) -> list[str]:
    """Addresses of confirmed registrations not yet erased, each once (case aside). With
    `present_at` (a meeting id): only those marked present there, or everyone when nobody's
    attendance was marked at that meeting."""
    query = sa.select(Registration.email).where(
        Registration.series_id == series_id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.email.is_not(None),
        Registration.erased_at.is_(None)).order_by(Registration.id)
    if present_at is not None and db.session.scalar(
            sa.select(sa.func.count()).select_from(Attendance).where(
                Attendance.meeting_id == present_at)):
        query = query.where(Registration.id.in_(sa.select(Attendance.registration_id).where(
            Attendance.meeting_id == present_at,
            Attendance.status == AttendanceStatus.PRESENT)))
    unique: dict[str, str] = {}
    for address in db.session.scalars(query):
        if address:
            unique.setdefault(address.casefold(), address)
    return list(unique.values())
