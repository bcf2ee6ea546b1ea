"""Sign up, cancel, promote from the waiting list, change: THE capacity rules live here only.

Every function that counts seats first takes the series lock (`_lock_series`): a row lock on
PostgreSQL, a transaction begun with BEGIN IMMEDIATE on SQLite. The unique seat number per series
(see Registration) is the last guard. Functions flush; the caller commits once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.database import begin_immediate
from portal.errors import DomainError, Full, InvalidTransition
from portal.extensions import db
from portal.learning.follow_up import forget_contact
from portal.models import utcnow
from portal.registrations import mails
from portal.registrations.details import Details
from portal.registrations.models import (NEEDS, Attendance, AttendanceStatus, Registration,
                                         RegistrationStatus)
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus
from portal.text import normalise_line

# Raised whenever the consent text on the form changes; stored with every registration.
CONSENT_VERSION = "2026-11"


class AlreadyRegistered(DomainError):
    default_message = _l("This e-mail address is already signed up for this series.")


@dataclass
class Outcome:
    registration: Registration
    # The manage link's token: known only right after signing up (or for the same form key).
    token: str | None
    is_new: bool


# Tokens -------------------------------------------------------------------------------------

def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_form_key() -> str:
    """The one-time key a sign-up form carries, so a double submit finds the first sign-up."""
    return secrets.token_urlsafe(32)


def is_form_key(value: str | None) -> bool:
    return bool(value) and 40 <= len(value) <= 64 and all(
        ch.isalnum() or ch in "-_" for ch in value)


def _token_for_form_key(key: str) -> str:
    # Derived, so the second answer to a double submit can show the same manage link; the
    # database holds only hashes of key and token, so it alone cannot rebuild the link.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"manage:" + key.encode(),
                    hashlib.sha256).hexdigest()


def find_by_token(token: str) -> Registration | None:
    if not token or len(token) > 128:
        return None
    return db.session.scalar(sa.select(Registration).where(
        Registration.manage_token_hash == hash_token(token)))


# Capacity -----------------------------------------------------------------------------------

def series_capacity(series: Series) -> int:
    """How many people a series can confirm: the smallest capacity among its meetings that
    are not cancelled.

    The group stays together over all four meetings, so everyone confirmed must fit in the
    smallest room. No meetings (or all cancelled) means no seats.
    """
    capacities = db.session.scalars(sa.select(Meeting.capacity).where(
        Meeting.series_id == series.id, Meeting.status != MeetingStatus.CANCELLED)).all()
    return min(capacities, default=0)


def _lock_series(series: Series) -> None:
    """Serialise everything that counts this series' seats (see the module docstring)."""
    begin_immediate()  # SQLite: the whole transaction holds the write lock
    db.session.execute(sa.select(Series.id).where(Series.id == series.id).with_for_update())
    db.session.refresh(series)


def _confirmed_seats(series: Series) -> set[int]:
    return set(db.session.scalars(sa.select(Registration.seat_number).where(
        Registration.series_id == series.id,
        Registration.status == RegistrationStatus.CONFIRMED)).all())


def _free_seat(series: Series) -> int | None:
    """The lowest free seat number, or None when the series is full."""
    taken = _confirmed_seats(series)
    capacity = series_capacity(series)
    if len(taken) >= capacity:
        return None
    return min(set(range(1, capacity + 1)) - taken, default=None)


def _waiting_query(series: Series):
    return sa.select(Registration).where(
        Registration.series_id == series.id,
        Registration.status == RegistrationStatus.WAITING).order_by(Registration.queue_number)


def waiting_list(series: Series) -> list[Registration]:
    return list(db.session.scalars(_waiting_query(series)).all())


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if not registration.is_waiting:
        return None
    return db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
        Registration.series_id == registration.series_id,
        Registration.status == RegistrationStatus.WAITING,
        Registration.queue_number <= registration.queue_number))


def seats_taken(series: Series) -> int:
    return len(_confirmed_seats(series))


def closed_reason(series: Series, *, by_facilitator: bool = False, now: datetime | None = None):
    """Why signing up is not possible (a message to show), or None when it is."""
    now = now or utcnow()
    meetings = [m for m in series.meetings if m.status is not MeetingStatus.CANCELLED]
    if series.status is SeriesStatus.CANCELLED:
        return _l("This series has been cancelled. You can no longer sign up.")
    if series.status is SeriesStatus.COMPLETED or (meetings and meetings[-1].ends_at <= now):
        return _l("This series has ended. You can no longer sign up.")
    if not meetings or (series.status is not SeriesStatus.PUBLISHED and not by_facilitator):
        return _l("Signing up for this series is not open yet.")
    if not by_facilitator and meetings[0].starts_at <= now:
        return _l("The first meeting has already started, so signing up is closed. "
                  "Would you still like to join? Please contact the facilitators.")
    return None


# Signing up ---------------------------------------------------------------------------------

def _clean(details: Details) -> Details:
    email = (details.email or "").strip() or None
    phone = normalise_line(details.phone) or None
    for value in (email or "", phone or ""):
        if "\r" in value or "\n" in value:
            raise DomainError(_l("Use one line only."), field="email")
    if details.follow_up and not email:
        raise DomainError(_l("We can only e-mail you later if you fill in your e-mail "
                             "address. Fill it in, or untick this box."),
                          field="has_follow_up_consent")
    return Details(
        display_name=normalise_line(details.display_name),
        role=details.role,
        email=email,
        phone=phone,
        needs={need for need in details.needs if need in NEEDS},
        needs_notes=(details.needs_notes or "").strip(),
        follow_up=details.follow_up,
    )


def _apply(registration: Registration, details: Details) -> None:
    registration.display_name = details.display_name
    if details.role is not None:
        registration.role = details.role
    registration.email = details.email
    registration.phone = details.phone
    for need in NEEDS:
        setattr(registration, f"needs_{need}", need in details.needs)
    registration.needs_notes = details.needs_notes
    if details.follow_up is not None:
        registration.has_follow_up_consent = details.follow_up
    if not registration.email:
        registration.has_follow_up_consent = False


def _same_email(series: Series, email: str, exclude_id: int | None = None):
    query = sa.select(Registration).where(
        Registration.series_id == series.id,
        Registration.status != RegistrationStatus.CANCELLED,
        sa.func.lower(Registration.email) == email.lower())
    if exclude_id is not None:
        query = query.where(Registration.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def find_by_form_key(key: str) -> Outcome | None:
    """The registration an earlier submit of the same form made, with its link if still valid."""
    registration = db.session.scalar(sa.select(Registration).where(
        Registration.idempotency_key_hash == hash_token(key)))
    if registration is None:
        return None
    token = _token_for_form_key(key)
    return Outcome(registration, token if registration.manage_token_hash == hash_token(token)
                   else None, is_new=False)


def register(series: Series, details: Details, *, consent: bool, form_key: str | None = None,
             actor: User | None = None, manage_url: Callable[[str], str] | None = None,
             now: datetime | None = None) -> Outcome:
    """Sign someone up: confirmed while seats are free and nobody waits, else on the waiting
    list. The same form key twice returns the first registration. Queues the confirmation mail.
    """
    now = now or utcnow()
    if not consent:
        raise DomainError(_l("We can only sign you up if you agree. Tick the box to agree."),
                          field="consent")
    if details.role is None:
        raise DomainError(_l("Choose how you take part."), field="role")
    details = _clean(details)
    _lock_series(series)
    if form_key and (earlier := find_by_form_key(form_key)):
        return earlier
    reason = closed_reason(series, by_facilitator=actor is not None, now=now)
    if reason:
        raise InvalidTransition(reason)
    if details.email and _same_email(series, details.email):
        raise AlreadyRegistered(field="email")

    registration = Registration(series_id=series.id, consent_version=CONSENT_VERSION,
                                consent_given_at=now, created_at=now)
    _apply(registration, details)
    seat = None if _has_waiting(series) else _free_seat(series)
    if seat is not None:
        registration.status = RegistrationStatus.CONFIRMED
        registration.seat_number = seat
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queue_number = _next_queue_number(series)
    if actor is not None:
        registration.registered_by_id = actor.id
        registration.is_registered_by_facilitator = True
    token = _token_for_form_key(form_key) if form_key else secrets.token_urlsafe(32)
    registration.manage_token_hash = hash_token(token)
    registration.idempotency_key_hash = hash_token(form_key) if form_key else None
    db.session.add(registration)
    db.session.flush()
    if registration.email:
        mails.send_confirmation(registration, manage_url(token) if manage_url else None,
                                waiting_position(registration))
    return Outcome(registration, token, is_new=True)


def _has_waiting(series: Series) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
        Registration.series_id == series.id,
        Registration.status == RegistrationStatus.WAITING)) > 0


def _next_queue_number(series: Series) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Registration.queue_number)).where(
        Registration.series_id == series.id))
    return (highest or 0) + 1


# Leaving, and moving up ---------------------------------------------------------------------

def cancel(registration: Registration, *, now: datetime | None = None) -> list[Registration]:
    """Cancel a sign-up; a freed seat goes to the first on the waiting list at once.

    Returns whoever was promoted (each is told by e-mail)."""
    now = now or utcnow()
    _lock_series(registration.series)
    db.session.refresh(registration)
    if registration.is_cancelled:
        return []
    had_seat = registration.is_confirmed
    forget_contact(registration.series_id, registration.email, leaving_id=registration.id)
    registration.status = RegistrationStatus.CANCELLED
    registration.seat_number = None
    registration.queue_number = None
    registration.cancelled_at = now
    db.session.flush()
    return _fill_free_seats(registration.series, now) if had_seat else []


def delete_registration(registration: Registration) -> list[Registration]:
    """Remove a registration entirely (the person's right to be forgotten); frees the seat."""
    series = registration.series
    _lock_series(series)
    db.session.refresh(registration)
    had_seat = registration.is_confirmed
    forget_contact(series.id, registration.email, leaving_id=registration.id)
    db.session.delete(registration)
    db.session.flush()
    return _fill_free_seats(series, utcnow()) if had_seat else []


def promote_waiting_list(series: Series, *, now: datetime | None = None) -> list[Registration]:
    """Give every free seat to the waiting list, first come first served (e.g. after the
    capacity was raised). Returns the promoted registrations."""
    _lock_series(series)
    return _fill_free_seats(series, now or utcnow())


def promote(registration: Registration, *, now: datetime | None = None) -> Registration:
    """A facilitator gives this waiting person a free seat, out of turn if they choose."""
    _lock_series(registration.series)
    db.session.refresh(registration)
    if not registration.is_waiting:
        raise InvalidTransition(_l("This person is not on the waiting list."))
    seat = _free_seat(registration.series)
    if seat is None:
        raise Full(_l("All seats are taken. Raise the capacity of the meetings first, "
                      "or wait until someone cancels."))
    _give_seat(registration, seat, now or utcnow())
    return registration


def _fill_free_seats(series: Series, now: datetime) -> list[Registration]:
    promoted = []
    for candidate in waiting_list(series):
        seat = _free_seat(series)
        if seat is None:
            break
        _give_seat(candidate, seat, now)
        promoted.append(candidate)
    return promoted


def _give_seat(registration: Registration, seat: int, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.queue_number = None
    registration.seat_number = seat
    registration.confirmed_at = now
    db.session.flush()
    if registration.email:
        mails.send_promotion(registration)


# Changing -----------------------------------------------------------------------------------

def change(registration: Registration, details: Details) -> Registration:
    """Change name, contact details and needs. The role and the seat stay as they are."""
    details = _clean(details)
    _lock_series(registration.series)
    if registration.is_cancelled:
        raise InvalidTransition(_l("This registration has been cancelled."))
    if details.email and _same_email(registration.series, details.email,
                                     exclude_id=registration.id):
        raise AlreadyRegistered(field="email")
    old_email, had_consent = registration.email, registration.has_follow_up_consent
    _apply(registration, details)
    if had_consent and (not registration.has_follow_up_consent
                        or (registration.email or "").lower() != (old_email or "").lower()):
        # A contact copied after the series ended must not outlive the withdrawal or keep
        # the old address; a new address is copied again while that is still possible.
        forget_contact(registration.series_id, old_email, leaving_id=registration.id)
    db.session.flush()
    return registration


def resend_manage_link(series: Series, email: str, manage_url: Callable[[str], str]) -> bool:
    """Mail a fresh manage link to this address if it is signed up; the old link stops working.

    Says nothing to the caller about whether the address is known: the view shows the same
    answer either way."""
    email = (email or "").strip()
    if not email or "\n" in email or "\r" in email:
        return False
    registration = _same_email(series, email)
    if registration is None:
        return False
    token = secrets.token_urlsafe(32)
    registration.manage_token_hash = hash_token(token)
    db.session.flush()
    mails.send_manage_link(registration, manage_url(token))
    return True


def mark_attendance(registration: Registration, meeting: Meeting, status: AttendanceStatus,
                    actor: User, *, now: datetime | None = None) -> Attendance:
    if meeting.series_id != registration.series_id:
        raise DomainError(_l("This meeting belongs to another series."))
    attendance = db.session.scalar(sa.select(Attendance).where(
        Attendance.registration_id == registration.id, Attendance.meeting_id == meeting.id))
    if attendance is None:
        attendance = Attendance(registration_id=registration.id, meeting_id=meeting.id)
        db.session.add(attendance)
    attendance.status = status
    attendance.marked_at = now or utcnow()
    attendance.marked_by_id = actor.id
    db.session.flush()
    return attendance
