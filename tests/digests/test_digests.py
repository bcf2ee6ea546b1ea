"""The weekly digest: the right wishes to the right people, in Dutch, once a week."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from portal.digests.service import iso_week, send_digests
from portal.extensions import db
from portal.jobs import JOBS
from portal.wishes.models import WishStatus
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)
from tests.wishes.factories import create_wish

S = WishStatus
MONDAY_MORNING = datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc)  # 08:30 in Amsterdam


@pytest.fixture
def wishes(world):
    late = create_wish(S.ROUTED, municipality=world.municipality, organisation=world.organisation,
                       what="Geen brieven op vrijdag", acknowledge_due_on=date(2026, 11, 1))
    busy = create_wish(S.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation, what="Een vast aanspreekpunt",
                       acknowledge_due_on=date(2026, 12, 20))
    create_wish(S.CLOSED, municipality=world.municipality, organisation=world.organisation,
                what="Al klaar")
    returned = create_wish(S.RETURNED, municipality=world.municipality, what="Teruggegeven wens")
    answered = create_wish(S.CHANGED, municipality=world.municipality,
                           organisation=world.organisation, what="Brieven op dinsdag")
    create_wish(S.RETURNED, municipality=world.other_municipality, what="Elders teruggegeven")
    db.session.commit()
    return late, busy, returned, answered


def _by_address(outbox):
    return {m.to_address: m for m in outbox()}


def test_members_get_open_and_overdue_wishes_facilitators_handed_back_and_answered(
        world, wishes, outbox):
    assert send_digests(now=MONDAY_MORNING) == "3"
    mails = _by_address(outbox)
    member = mails["petra@example.org"]
    assert member.subject == "Deze week: 2 open wensen, 1 te laat"
    assert "Geen brieven op vrijdag (te laat)" in member.text_body
    assert "Een vast aanspreekpunt" in member.text_body and "Al klaar" not in member.text_body
    assert "http://localhost/organisatie/wensen/" in member.text_body
    facilitator = mails["sanne@example.org"]
    assert facilitator.subject == "Deze week: 1 teruggegeven, 1 beantwoord"
    assert "Teruggegeven wens" in facilitator.text_body
    assert "Brieven op dinsdag" in facilitator.text_body
    assert "Elders" not in facilitator.text_body
    # Otto's municipality has a handed-back wish too; Emma's organisation has nothing open.
    assert "Elders teruggegeven" in mails["otto@example.org"].text_body
    assert "emma@example.org" not in mails and "carla@example.org" not in mails


def test_running_twice_in_a_week_sends_nothing_twice(world, wishes, outbox):
    assert send_digests(now=MONDAY_MORNING) == "3"
    assert send_digests(now=MONDAY_MORNING + timedelta(hours=5)) == "0"
    assert send_digests(now=MONDAY_MORNING + timedelta(days=4)) == "0"
    assert len(outbox()) == 3
    # Next week: again.
    assert send_digests(now=MONDAY_MORNING + timedelta(days=7)) == "3"
    assert len(outbox()) == 6


def test_not_before_monday_seven(world, wishes, outbox):
    sunday_night = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)  # Monday 06:00 local
    assert send_digests(now=sunday_night) == "0" and outbox() == []


def test_iso_week_is_taken_in_amsterdam():
    # Sunday 23:30 UTC is already Monday in Amsterdam.
    assert iso_week(datetime(2026, 11, 29, 23, 30, tzinfo=timezone.utc)) == "2026-W49"


def test_the_job_is_registered():
    assert {"send-digests", "send-webhooks"} <= {job.name for job in JOBS}
