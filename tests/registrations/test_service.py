"""The capacity rules: seats, the waiting list, promotion, the smallest room."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.database import begin_immediate, holds_write_lock
from portal.errors import DomainError, Full, InvalidTransition
from portal.extensions import db
from portal.registrations import service
from portal.registrations.models import Registration, RegistrationStatus
from portal.series.models import MeetingStatus, SeriesStatus
from tests.conftest import DATABASE_KIND


def test_capacity_is_the_smallest_room_among_meetings_not_cancelled(reg):
    series = reg.create_series(capacities=[12, 8, 10, 6])
    assert service.series_capacity(series) == 6
    series.meetings[3].status = MeetingStatus.CANCELLED
    db.session.flush()
    assert service.series_capacity(series) == 8


def test_sign_ups_beyond_capacity_wait_in_order(reg):
    series = reg.create_series(capacity=2)
    outcomes = [reg.register(series, email=f"p{n}@example.org") for n in range(5)]
    statuses = [o.registration.status for o in outcomes]
    assert statuses == [RegistrationStatus.CONFIRMED] * 2 + [RegistrationStatus.WAITING] * 3
    assert [service.waiting_position(o.registration) for o in outcomes] == [None, None, 1, 2, 3]
    assert {o.registration.seat_number for o in outcomes[:2]} == {1, 2}


def test_cancel_promotes_the_first_waiting_and_mails_them(reg, outbox):
    series = reg.create_series(capacity=1)
    first = reg.register(series, email="first@example.org").registration
    second = reg.register(series, email="second@example.org").registration
    third = reg.register(series, email="third@example.org").registration
    promoted = service.cancel(first)
    db.session.commit()
    assert promoted == [second]
    assert second.is_confirmed and third.is_waiting
    assert service.waiting_position(third) == 1
    promotion_mails = [m for m in outbox() if m.subject.startswith("Er is plek voor je")]
    assert [m.to_address for m in promotion_mails] == ["second@example.org"]
    assert promotion_mails[0].attachments[0].filename.endswith(".ics")


def test_cancelling_twice_promotes_once(reg, outbox):
    series = reg.create_series(capacity=1)
    first = reg.register(series).registration
    reg.register(series, email="w1@example.org")
    reg.register(series, email="w2@example.org")
    service.cancel(first)
    assert service.cancel(first) == []
    db.session.commit()
    assert service.seats_taken(series) == 1
    assert len([m for m in outbox() if m.subject.startswith("Er is plek")]) == 1


def test_new_sign_up_waits_while_others_wait_even_with_a_free_seat(reg):
    series = reg.create_series(capacity=1)
    reg.register(series)
    waiting = reg.register(series).registration
    series.meetings[0].capacity = 2  # raised, nobody promoted yet
    for meeting in series.meetings:
        meeting.capacity = 2
    db.session.commit()
    newcomer = reg.register(series).registration
    assert newcomer.is_waiting and service.waiting_position(newcomer) == 2
    assert service.promote_waiting_list(series) == [waiting]
    db.session.commit()
    assert newcomer.is_waiting


def test_manual_promote_needs_a_free_seat(reg):
    series = reg.create_series(capacity=1)
    reg.register(series)
    waiting = reg.register(series).registration
    db.session.commit()
    with pytest.raises(Full):
        service.promote(waiting)
    db.session.rollback()
    for meeting in series.meetings:
        meeting.capacity = 3
    db.session.commit()
    other = reg.register(series).registration  # waits: someone waits before them
    service.promote(other)  # out of turn, by a facilitator
    db.session.commit()
    assert other.is_confirmed and waiting.is_waiting


def test_delete_frees_the_seat_for_the_waiting_list(reg):
    series = reg.create_series(capacity=1)
    first = reg.register(series).registration
    second = reg.register(series).registration
    first_id = first.id
    service.delete_registration(first)
    db.session.commit()
    assert db.session.get(Registration, first_id) is None
    assert second.is_confirmed


def test_same_form_key_twice_gives_the_first_registration(reg):
    series = reg.create_series()
    key = service.new_form_key()
    one = service.register(series, reg.details(), consent=True, form_key=key)
    db.session.commit()
    two = service.register(series, reg.details(), consent=True, form_key=key)
    db.session.commit()
    assert two.registration.id == one.registration.id and not two.is_new
    assert two.token == one.token
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_same_email_twice_is_refused_but_after_cancelling_allowed(reg):
    series = reg.create_series()
    first = reg.register(series, email="Anna@Example.org").registration
    with pytest.raises(service.AlreadyRegistered):
        service.register(series, reg.details(email="anna@example.org"), consent=True)
    db.session.rollback()
    service.cancel(first)
    db.session.commit()
    assert reg.register(series, email="anna@example.org").registration.is_confirmed


@pytest.mark.parametrize("status", [SeriesStatus.CANCELLED, SeriesStatus.COMPLETED,
                                    SeriesStatus.DRAFT])
def test_closed_series_refuse_public_sign_ups(reg, status):
    series = reg.create_series(status=status)
    with pytest.raises(InvalidTransition):
        service.register(series, reg.details(), consent=True)


def test_after_the_first_meeting_started_only_facilitators_sign_up(reg, factories):
    series = reg.create_series(starts_in_days=-1)
    facilitator = factories.create_user("facilitator")
    db.session.commit()
    with pytest.raises(InvalidTransition):
        service.register(series, reg.details(), consent=True)
    db.session.rollback()
    outcome = service.register(series, reg.details(), consent=True, actor=facilitator)
    assert outcome.registration.is_registered_by_facilitator
    assert outcome.registration.registered_by_id == facilitator.id


def test_consent_is_required(reg):
    series = reg.create_series()
    with pytest.raises(DomainError) as error:
        service.register(series, reg.details(), consent=False)
    assert error.value.field == "consent"


def test_the_database_refuses_a_second_holder_of_a_seat(reg):
    """The last guard: even code that skipped the lock cannot put two people on one seat."""
    series = reg.create_series(capacity=2)
    first = reg.register(series).registration
    clone = Registration(series_id=series.id, display_name="X", role=first.role,
                         consent_version="x", consent_given_at=first.consent_given_at,
                         status=RegistrationStatus.CONFIRMED, seat_number=first.seat_number)
    db.session.add(clone)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.sqlite_only
def test_begin_immediate_really_begins_immediate(reg):
    """The write lock is held from the first statement: a second connection cannot write."""
    series = reg.create_series()
    db.session.commit()
    begin_immediate()
    assert holds_write_lock()
    # A separate, unpooled connection that does not wait for the lock.
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.close()
    db.session.rollback()
    assert not holds_write_lock()
    assert DATABASE_KIND == "sqlite" and series.id
