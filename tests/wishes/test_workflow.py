"""The state machine: every step from every status by every role, parametrised over the table."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.errors import DomainError, InvalidTransition, NotAllowed
from portal.extensions import db
from portal.models import utcnow
from portal.wishes import service, workflow
from portal.wishes.models import (ActorKind, AnswerChannel, Confirmation, Resolution,
                                  WishAnswerLink, WishEvent, WishStatus)
from portal.wishes.workflow import TRANSITIONS, Actor, ApiActor, LinkActor, ResidentActor
from tests.wishes.factories import create_wish

ROLES = list(Actor)
CASES = list(itertools.product(TRANSITIONS, WishStatus, ROLES))


def _actor(world, role: Actor, wish):
    """An actor of this role who is in scope for the wish (its municipality, its organisation)."""
    if role is Actor.COORDINATOR:
        return world.coordinator
    if role is Actor.FACILITATOR:
        return world.facilitator
    if role is Actor.ORGANISATION:
        if wish.organisation is not None:
            world.member.organisation = wish.organisation
            db.session.flush()
        return world.member
    if role is Actor.API:
        return ApiActor(organisation_id=wish.organisation_id or world.organisation.id)
    if role is Actor.RESIDENT:
        return ResidentActor(wish_id=wish.id, via=ActorKind.RESIDENT_LINK)
    link = WishAnswerLink(wish=wish, organisation=wish.organisation or world.organisation,
                          token_hash=f"{wish.id:064d}", expires_at=utcnow() + timedelta(days=14))
    db.session.add(link)
    db.session.flush()
    return LinkActor(link)


def _data(world, action):
    target = create_wish(municipality=world.municipality) if action == "merge" else None
    return {"note": "Een toelichting.", "organisation": world.organisation,
            "outcome": "Brieven gaan op dinsdag weg.", "changed_from": date(2026, 3, 2),
            "channel": AnswerChannel.MEETING, "target": target, "answer": Confirmation.NO}


def _residents_said_no(wish, action):
    """Reopening is only possible once residents said it did not change: say so for it."""
    if action == "reopen" and wish.resolution is Resolution.CHANGED:
        wish.confirmed_no, wish.confirmation = 1, Confirmation.NO
        db.session.flush()


@pytest.mark.parametrize("action,status,role", CASES,
                         ids=[f"{a}-{s.value}-{r.value}" for a, s, r in CASES])
def test_every_step_from_every_status_by_every_role(world, action, status, role):
    wish = create_wish(status, municipality=world.municipality,
                       organisation=world.organisation if status in (
                           WishStatus.ROUTED, WishStatus.IN_PROGRESS, WishStatus.CHANGED,
                           WishStatus.DECLINED, WishStatus.CLOSED) else None)
    _residents_said_no(wish, action)
    actor = _actor(world, role, wish)
    step = TRANSITIONS[action]
    events_before = len(wish.events)
    data = _data(world, action)
    in_scope = workflow.is_in_scope(wish, actor)
    # Only an organisation's own wishes are in its scope: a new or handed-back one is not.
    assert in_scope is (role in (Actor.COORDINATOR, Actor.FACILITATOR, Actor.RESIDENT)
                        or wish.organisation is not None)
    # Confirming and reopening are for wishes that were changed (a closed one may be declined).
    condition_holds = step.when is None or wish.resolution is Resolution.CHANGED
    allowed = role in step.roles and status in step.sources and condition_holds and in_scope

    assert (action in workflow.allowed_actions(wish, actor)) is allowed
    if allowed:
        event = workflow.transition(wish, action, actor, **data)
        assert wish.status is (step.target or status)
        assert event.from_status is status and event.to_status is wish.status
        assert event.action == action and event.note == "Een toelichting."
        assert event.actor_kind is {Actor.ANSWER_LINK: ActorKind.ANSWER_LINK,
                                    Actor.API: ActorKind.API,
                                    Actor.RESIDENT: ActorKind.RESIDENT_LINK,
                                    }.get(role, ActorKind.USER)
    else:
        expected = NotAllowed if role not in step.roles or not in_scope else InvalidTransition
        with pytest.raises(expected) as refused:
            workflow.transition(wish, action, actor, **data)
        assert str(refused.value.message)  # a message a person can read
        assert wish.status is status
        assert len(wish.events) == events_before


@pytest.mark.parametrize("action", TRANSITIONS)
def test_actors_outside_the_wish_are_refused(world, action):
    """Another municipality's facilitator, another organisation's member, an expired link."""
    step = TRANSITIONS[action]
    status = next(iter(step.sources))
    wish = create_wish(status, municipality=world.municipality,
                       organisation=world.organisation if status is not WishStatus.NEW
                       and status is not WishStatus.RETURNED else None)
    _residents_said_no(wish, action)
    expired = WishAnswerLink(wish=wish, organisation=world.organisation, token_hash="e" * 64,
                             expires_at=utcnow() - timedelta(seconds=1))
    db.session.add(expired)
    db.session.flush()
    teller_of_another_wish = ResidentActor(wish_id=wish.id + 1, via=ActorKind.RESIDENT_LINK)
    for outsider in (world.other_facilitator, world.other_member, LinkActor(expired),
                     teller_of_another_wish):
        assert workflow.allowed_actions(wish, outsider) == []
        with pytest.raises(NotAllowed):
            workflow.transition(wish, action, outsider, **_data(world, action))
    assert wish.status is status


@pytest.mark.parametrize("action", [a for a, t in TRANSITIONS.items() if t.note_required])
def test_steps_that_need_a_written_note_refuse_an_empty_one(world, action):
    step = TRANSITIONS[action]
    status = next(iter(step.sources))
    wish = create_wish(status, municipality=world.municipality,
                       organisation=world.organisation if status is not WishStatus.NEW else None)
    _residents_said_no(wish, action)
    actor = _actor(world, next(iter(step.roles)), wish)
    data = _data(world, action) | {"note": "   "}
    with pytest.raises(DomainError) as refused:
        workflow.transition(wish, action, actor, **data)
    assert refused.value.field == "note"
    assert wish.status is status


def test_declining_closing_and_handing_back_need_a_note_but_acknowledging_does_not():
    required = {a for a, t in TRANSITIONS.items() if t.note_required}
    assert {"decline", "close", "hand_back", "answer", "mark_changed"} <= required
    assert "acknowledge" not in required and "route" not in required


def test_marking_changed_needs_what_changed_and_from_when(world):
    wish = create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation)
    with pytest.raises(DomainError) as no_outcome:
        workflow.transition(wish, "mark_changed", world.member, "Gedaan.",
                            changed_from=date(2026, 3, 2))
    assert no_outcome.value.field == "outcome"
    with pytest.raises(DomainError) as no_date:
        workflow.transition(wish, "mark_changed", world.member, "Gedaan.", outcome="Dinsdag.")
    assert no_date.value.field == "changed_from"
    workflow.transition(wish, "mark_changed", world.member, "Gedaan.", outcome="Dinsdag.",
                        changed_from=date(2026, 3, 2))
    assert (wish.status, wish.outcome, wish.changed_from) == (
        WishStatus.CHANGED, "Dinsdag.", date(2026, 3, 2))


def test_closing_records_how_the_answer_went_back(world):
    wish = create_wish(WishStatus.CHANGED, municipality=world.municipality,
                       organisation=world.organisation)
    with pytest.raises(DomainError) as no_channel:
        workflow.transition(wish, "close", world.facilitator, "Verteld in ontmoeting 4.")
    assert no_channel.value.field == "channel"
    workflow.transition(wish, "close", world.facilitator, "Verteld in ontmoeting 4.",
                        channel=AnswerChannel.RECEIPT)
    assert wish.status is WishStatus.CLOSED and wish.closed_via is AnswerChannel.RECEIPT


def test_routing_needs_an_organisation_and_sets_the_deadline(world):
    wish = create_wish(municipality=world.municipality)
    with pytest.raises(DomainError) as no_org:
        workflow.transition(wish, "route", world.facilitator)
    assert no_org.value.field == "organisation"
    workflow.transition(wish, "route", world.facilitator, organisation=world.organisation)
    assert wish.organisation is world.organisation
    assert wish.acknowledge_due_on > date.today()


def test_hand_back_leaves_the_queue_but_the_timeline_keeps_the_answer(world):
    wish = create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation)
    workflow.transition(wish, "hand_back", world.member, "Dit is voor de gemeente.")
    db.session.commit()
    assert service.get_visible_wish(world.member, wish.id) is None
    assert wish.status is WishStatus.RETURNED and wish.organisation is None
    last = wish.events[-1]
    assert (last.note, last.actor_organisation_id) == ("Dit is voor de gemeente.",
                                                       world.organisation.id)
    # ... and it can be routed again.
    workflow.transition(wish, "route", world.facilitator, organisation=world.other_organisation)
    assert wish.status is WishStatus.ROUTED


def test_the_error_says_which_status_the_wish_has(world, app):
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation)
    with app.test_request_context():
        with pytest.raises(InvalidTransition) as refused:
            workflow.transition(wish, "mark_changed", world.member, "Gedaan.",
                                outcome="x", changed_from=date(2026, 3, 2))
        assert str(refused.value.message) == \
            'Dit kan nu niet: de wens heeft de status "Doorgestuurd naar organisatie".'


def test_an_unknown_step_is_refused(world):
    wish = create_wish(municipality=world.municipality)
    with pytest.raises(InvalidTransition):
        workflow.transition(wish, "delete", world.coordinator)


def test_the_timeline_cannot_be_edited_or_deleted(world):
    wish = create_wish(municipality=world.municipality)
    workflow.transition(wish, "route", world.facilitator, organisation=world.organisation)
    db.session.commit()
    event = db.session.scalars(sa.select(WishEvent)).one()
    event.note = "overwritten"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(sa.select(WishEvent)).one())
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
