"""A few sign-ups for the demo series: a mix of roles and needs, one by phone via a facilitator."""
from __future__ import annotations

import secrets

from portal.extensions import db
from portal.models import utcnow
from portal.registrations.models import ParticipantRole, Registration, RegistrationStatus
from portal.registrations.service import CONSENT_VERSION, hash_token

PEOPLE = [
    ("Fatima", ParticipantRole.RESIDENT, "fatima@voorbeeld.invalid", {"childcare"}),
    ("Henk", ParticipantRole.RESIDENT, None, {"transport"}),
    ("Joyce", ParticipantRole.RESIDENT, "joyce@voorbeeld.invalid", set()),
    ("Kees", ParticipantRole.VOLUNTEER, "kees@voorbeeld.invalid", {"dietary"}),
    ("Mirjam", ParticipantRole.PROFESSIONAL, "mirjam@betuwethuis.example", set()),
    ("Ruud", ParticipantRole.POLICY_MAKER, "ruud@lingewaard.example", {"accessibility"}),
]


def add_demo_registrations(series, facilitator) -> None:
    """Seats 1..n of a fresh series; Henk signed up by phone, without e-mail."""
    now = utcnow()
    for seat, (name, role, email, needs) in enumerate(PEOPLE, start=1):
        registration = Registration(
            series_id=series.id, display_name=name, role=role, email=email,
            consent_version=CONSENT_VERSION, consent_given_at=now,
            status=RegistrationStatus.CONFIRMED, seat_number=seat, confirmed_at=now,
            manage_token_hash=hash_token(secrets.token_urlsafe(32)),
            registered_by_id=facilitator.id if email is None else None,
            is_registered_by_facilitator=email is None)
        for need in needs:
            setattr(registration, f"needs_{need}", True)
        db.session.add(registration)
    db.session.flush()
