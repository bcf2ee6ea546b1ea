"""Registrations written straight into the tables, for series whose meetings already happened
(the sign-up service refuses those, rightly)."""
from __future__ import annotations

import itertools

from portal.extensions import db
from portal.models import utcnow
from portal.registrations.models import (Attendance, AttendanceStatus, ParticipantRole,
                                         Registration, RegistrationStatus)

_n = itertools.count(1)


def add_person(series, email: str | None = None, *, status=RegistrationStatus.CONFIRMED,
               present: tuple[int, ...] = (), absent: tuple[int, ...] = (),
               follow_up: bool = False, erased: bool = False) -> Registration:
    """A registration of `series`; `present`/`absent` are meeting numbers marked at the door."""
    number = next(_n)
    registration = Registration(
        series_id=series.id, display_name=f"Deelnemer {number}", role=ParticipantRole.RESIDENT,
        email=email, consent_version="2026-11", consent_given_at=utcnow(), status=status,
        seat_number=number if status is RegistrationStatus.CONFIRMED else None,
        queue_number=number if status is RegistrationStatus.WAITING else None,
        has_follow_up_consent=follow_up, erased_at=utcnow() if erased else None)
    db.session.add(registration)
    db.session.flush()
    meetings = {m.number: m for m in series.meetings}
    for numbers, state in ((present, AttendanceStatus.PRESENT), (absent, AttendanceStatus.ABSENT)):
        for meeting_number in numbers:
            db.session.add(Attendance(registration_id=registration.id,
                                      meeting_id=meetings[meeting_number].id, status=state,
                                      marked_at=utcnow()))
    db.session.flush()
    return registration
