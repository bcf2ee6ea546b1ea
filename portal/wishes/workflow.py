"""THE wish state machine: one table, read by one transition().

    new → routed → in progress → changed | declined → closed
    routed / in progress → returned (handed back, reason required) → routed again
    new / routed / in progress / returned → merged (a duplicate)
    changed / closed (changed): residents confirm whether it really changed (status stays);
        when they say it did not (or only partly), staff may reopen it → routed again

Who may take a step is part of the rule, so it lives in the table too. Every step is appended to
the wish's timeline. Views, the answer link and templates all ask this module; nothing else
changes a wish's status.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.errors import DomainError, InvalidTransition, NotAllowed
from portal.extensions import db
from portal.models import utcnow
from portal.wishes import deadlines
from portal.wishes.models import (ActorKind, AnswerChannel, Confirmation, ConfirmationLink,
                                  Resolution, TellerAnswer, Wish, WishAnswerLink, WishEvent,
                                  WishStatus)

MAX_NOTE = 5_000


class Actor(enum.Enum):
    """The roles the table speaks of."""

    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    ORGANISATION = "organisation"  # a member of the responsible organisation
    ANSWER_LINK = "answer_link"  # an organisation without accounts, through its personal link
    API = "api"  # an organisation's own system, through the organisation's API token
    RESIDENT = "resident"  # someone who raised the wish: receipt code or confirmation link


@dataclass(frozen=True)
class ResidentActor:
    """Someone who raised this wish, recognised by the caller: the teller with the story's
    receipt code (via=ANONYMOUS_TELLER, with the story) or a participant with a confirmation
    link (via=RESIDENT_LINK). May answer "did it really change?" for this one wish only."""

    wish_id: int
    via: ActorKind
    story_id: int | None = None  # the teller's story: a teller answers once per change


@dataclass(frozen=True)
class LinkActor:
    """Someone holding a valid answer link: acts for the link's organisation."""

    link: WishAnswerLink


@dataclass(frozen=True)
class ApiActor:
    """An organisation's own system with a valid API token: may do what its members may."""

    organisation_id: int


@dataclass(frozen=True)
class Transition:
    sources: frozenset[WishStatus]
    target: WishStatus | None  # None: the status stays as it is
    roles: frozenset[Actor]
    note_required: bool
    label: object  # lazy text for buttons and the timeline
    # A condition beyond the status (e.g. only a wish that was changed); None: none.
    when: Callable[[Wish], bool] | None = None

    def applies_to(self, wish: Wish) -> bool:
        return wish.status in self.sources and (self.when is None or self.when(wish))


S = WishStatus
STAFF = frozenset({Actor.FACILITATOR, Actor.COORDINATOR})
ORGANISATION = frozenset({Actor.ORGANISATION, Actor.ANSWER_LINK, Actor.API})
OPEN = frozenset({S.NEW, S.ROUTED, S.IN_PROGRESS, S.RETURNED})
CHANGED = frozenset({S.CHANGED, S.CLOSED})


def was_changed(wish: Wish) -> bool:
    return wish.is_changed


def residents_doubt(wish: Wish) -> bool:
    """Residents answered, and not all of them say it really changed."""
    return wish.is_changed and wish.confirmation in (Confirmation.NO, Confirmation.PARTLY)


TRANSITIONS: dict[str, Transition] = {
    "route": Transition(frozenset({S.NEW, S.RETURNED}), S.ROUTED, STAFF, False,
                        _l("Route to an organisation")),
    "acknowledge": Transition(frozenset({S.ROUTED}), S.IN_PROGRESS, ORGANISATION, False,
                              _l("Acknowledge")),
    "answer": Transition(frozenset({S.IN_PROGRESS}), None, ORGANISATION, True,
                         _l("Answer publicly")),
    "mark_changed": Transition(frozenset({S.IN_PROGRESS}), S.CHANGED, ORGANISATION, True,
                               _l("Mark as changed")),
    "decline": Transition(frozenset({S.ROUTED, S.IN_PROGRESS}), S.DECLINED, ORGANISATION, True,
                          _l("Decline")),
    "hand_back": Transition(frozenset({S.ROUTED, S.IN_PROGRESS}), S.RETURNED, ORGANISATION,
                            True, _l("Hand back")),
    "close": Transition(frozenset({S.CHANGED, S.DECLINED}), S.CLOSED, STAFF, True,
                        _l("Close: the answer has gone back")),
    "merge": Transition(OPEN, S.MERGED, STAFF, False, _l("Merge into another wish")),
    # Staff record the group's answer; a teller or participant gives their own.
    "confirm": Transition(CHANGED, None, STAFF | {Actor.RESIDENT}, False,
                          _l("Residents' answer: did it really change?"), when=was_changed),
    "reopen": Transition(CHANGED, S.ROUTED, STAFF, True,
                         _l("Reopen: residents say it did not change"), when=residents_doubt),
}

# What the note means per step, for the "write a note first" message.
NOTE_REQUIRED_MESSAGES = {
    "answer": _l("Write your answer first."),
    "mark_changed": _l("Write your answer first. It is shown with the change."),
    "decline": _l("Write why. The people who raised the wish read this answer."),
    "hand_back": _l("Write why this wish is not for your organisation."),
    "close": _l("Write which answer you passed back."),
    "reopen": _l("Write what residents say has not changed. The organisation reads this."),
}
# The texts of a step that residents read (the public answer and what changed): the step
# forms give B1 readability advice on these, and on no others.
PUBLIC_TEXTS = {
    "answer": ("note",),
    "mark_changed": ("outcome", "note"),
    "decline": ("note",),
}
# Why a step is not possible although the status allows it (the step's `when`).
CONDITION_MESSAGES = {
    "confirm": _l("Only a wish that was changed can be confirmed."),
    "reopen": _l("You can reopen a wish only when residents say it did not (fully) change."),
}
# Statuses as people read them.
STATUS_LABELS = {
    S.NEW: _l("New"),
    S.ROUTED: _l("Sent to organisation"),
    S.IN_PROGRESS: _l("In progress"),
    S.CHANGED: _l("Changed"),
    S.DECLINED: _l("Not changed"),
    S.RETURNED: _l("Handed back"),
    S.CLOSED: _l("Closed"),
    S.MERGED: _l("Merged"),
}
# Timeline entries that are not steps of the table.
EVENT_LABELS = {"log": _l("Logged"), "merged_in": _l("Another wish was merged into this one")}
CONFIRMATION_LABELS = {
    Confirmation.YES: _l("Yes, it really changed"),
    Confirmation.PARTLY: _l("Partly"),
    Confirmation.NO: _l("No, it did not change"),
}
# The verdict of all answers, as the public board and the staff pages say it.
VERDICT_LABELS = {
    Confirmation.YES: _l("Confirmed by residents"),
    Confirmation.PARTLY: _l("Partly confirmed by residents"),
    Confirmation.NO: _l("Residents say it has not changed"),
}
CHANNEL_LABELS = {
    AnswerChannel.MEETING: _l("In a meeting with the group"),
    AnswerChannel.EMAIL: _l("By e-mail"),
    AnswerChannel.RECEIPT: _l("Via the receipt code"),
}


def verdict_label(wish: Wish) -> str:
    """What residents say about a changed wish, in words; "" before anyone answered."""
    return str(VERDICT_LABELS[wish.confirmation]) if wish.confirmation else ""


def confirmation_counts(wish: Wish) -> str:
    """The residents' answers counted, for staff pages and a practice's evidence."""
    return _("%(yes)s yes, %(partly)s partly, %(no)s no", yes=wish.confirmed_yes,
             partly=wish.confirmed_partly, no=wish.confirmed_no)


def role_of(actor) -> Actor | None:
    if isinstance(actor, ResidentActor):
        return Actor.RESIDENT
    if isinstance(actor, LinkActor):
        return Actor.ANSWER_LINK
    if isinstance(actor, ApiActor):
        return Actor.API
    if isinstance(actor, User):
        return {Role.COORDINATOR: Actor.COORDINATOR, Role.FACILITATOR: Actor.FACILITATOR,
                Role.ORGANISATION_MEMBER: Actor.ORGANISATION}.get(actor.role)
    return None


def is_in_scope(wish: Wish, actor) -> bool:
    """Whether this actor may act on this wish at all (its municipality, its organisation)."""
    role = role_of(actor)
    if role is Actor.COORDINATOR:
        return True
    if role is Actor.FACILITATOR:
        return wish.municipality_id in actor.municipality_ids
    if role is Actor.ORGANISATION:
        return actor.organisation_id is not None and wish.organisation_id == actor.organisation_id
    if role is Actor.API:
        # As for members: only wishes now sent to the organisation, and never a merged one.
        return wish.organisation_id == actor.organisation_id and wish.status is not S.MERGED
    if role is Actor.RESIDENT:
        return actor.wish_id == wish.id
    if role is Actor.ANSWER_LINK:
        link = actor.link
        return (link.wish_id == wish.id and link.organisation_id == wish.organisation_id
                and link.is_valid())
    return False


def allowed_actions(wish: Wish, actor) -> list[str]:
    """The steps this actor may take on this wish now, in table order (for buttons)."""
    role = role_of(actor)
    if role is None or not is_in_scope(wish, actor):
        return []
    return [name for name, t in TRANSITIONS.items()
            if role in t.roles and t.applies_to(wish)]


def _clean(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_NOTE:
        raise DomainError(_l("This is too long. Use at most %(n)s characters.", n=MAX_NOTE),
                          field=field)
    return text


def transition(wish: Wish, action: str, actor, note: str = "", **data) -> WishEvent:
    """Take one step, or refuse with a clear message. Appends the step to the timeline."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise InvalidTransition(_l("This step does not exist."))
    role = role_of(actor)
    if role not in step.roles:
        if role in STAFF:
            raise NotAllowed(_l("Only the organisation the wish was sent to can do this."))
        raise NotAllowed(_l("Only facilitators and coordinators can do this."))
    if not is_in_scope(wish, actor):
        raise NotAllowed(_l("This wish is not yours to handle."))
    if wish.status in step.sources and not step.applies_to(wish):
        raise InvalidTransition(CONDITION_MESSAGES[action])
    if wish.status not in step.sources:
        raise InvalidTransition(_l(
            "This is not possible now: the wish has the status \"%(status)s\".",
            status=STATUS_LABELS[wish.status]))
    note = _clean(note, "note")
    if step.note_required and not note:
        raise DomainError(NOTE_REQUIRED_MESSAGES[action], field="note")
    from_status, organisation_id = wish.status, wish.organisation_id
    detail = EFFECTS[action](wish, actor, note, **data) or ""
    if step.target is not None:
        wish.status = step.target
    event = _record(wish, actor, action, from_status, wish.status, note, detail)
    db.session.flush()
    _announce(wish, event, organisation_id)
    return event


def _announce(wish: Wish, event: WishEvent, organisation_id: int | None) -> None:
    """Tell the organisation's own systems, in this same transaction (a queued webhook row,
    sent later by a job): a newly routed wish goes to its new organisation, any other status
    change to the organisation that held the wish before the step (a hand-back clears it)."""
    from portal.webhooks.queue import enqueue_wish_event

    if event.action in ("route", "reopen"):
        enqueue_wish_event(wish, event, "wish.routed", wish.organisation_id)
    elif event.from_status is not event.to_status:
        enqueue_wish_event(wish, event, "wish.status_changed",
                           wish.organisation_id or organisation_id)


def _record(wish: Wish, actor, action: str, from_status, to_status, note: str,
            detail: str) -> WishEvent:
    event = WishEvent(action=action, from_status=from_status, to_status=to_status, note=note,
                      detail=detail[:300], at=utcnow())
    if isinstance(actor, ResidentActor):
        event.actor_kind = actor.via
    elif isinstance(actor, LinkActor):
        event.actor_kind = ActorKind.ANSWER_LINK
        event.actor_organisation_id = actor.link.organisation_id
    elif isinstance(actor, ApiActor):
        event.actor_kind = ActorKind.API
        event.actor_organisation_id = actor.organisation_id
    elif isinstance(actor, User):
        event.actor_kind = ActorKind.USER
        event.actor_user = actor
        event.actor_organisation_id = actor.organisation_id
    else:
        event.actor_kind = ActorKind.ANONYMOUS_TELLER
    wish.events.append(event)
    return event


def record_logged(wish: Wish, actor: User) -> WishEvent:
    """The first line of every timeline."""
    return _record(wish, actor, "log", None, wish.status, "", "")


# What each step does besides changing the status ---------------------------------------------

def _route(wish: Wish, actor, note: str, organisation=None, **_ignored) -> str:
    if organisation is None or not organisation.is_active:
        raise DomainError(_l("Choose the organisation that can act on this wish."),
                          field="organisation")
    now = utcnow()
    wish.organisation = organisation
    wish.routed_at = now
    wish.acknowledge_due_on = deadlines.acknowledge_due_on(
        now, organisation.response_target_days, organisation.response_target_unit)
    wish.acknowledged_at = None
    wish.public_answer, wish.answered_at = "", None
    return organisation.name


def _acknowledge(wish: Wish, actor, note: str, **_ignored) -> str:
    wish.acknowledged_at = utcnow()
    return ""


def _answer(wish: Wish, actor, note: str, **_ignored) -> str:
    wish.public_answer, wish.answered_at = note, utcnow()
    return ""


def _mark_changed(wish: Wish, actor, note: str, outcome: str = "",
                  changed_from: date | None = None, **_ignored) -> str:
    outcome = _clean(outcome, "outcome")
    if not outcome:
        raise DomainError(_l("Write what has changed."), field="outcome")
    if not isinstance(changed_from, date):
        raise DomainError(_l("Fill in from when it is different."), field="changed_from")
    now = utcnow()
    wish.public_answer, wish.answered_at = note, now
    wish.outcome, wish.changed_from = outcome, changed_from
    wish.resolution, wish.resolved_at = Resolution.CHANGED, now
    return ""


def _decline(wish: Wish, actor, note: str, **_ignored) -> str:
    now = utcnow()
    wish.public_answer, wish.answered_at = note, now
    wish.resolution, wish.resolved_at = Resolution.DECLINED, now
    return ""


def _hand_back(wish: Wish, actor, note: str, **_ignored) -> str:
    # The wish leaves this organisation's queue; the timeline keeps who handed it back and why.
    name = wish.organisation.name if wish.organisation else ""
    wish.organisation = None
    wish.acknowledge_due_on = None
    return name


def _close(wish: Wish, actor, note: str, channel: AnswerChannel | None = None,
           **_ignored) -> str:
    if not isinstance(channel, AnswerChannel):
        raise DomainError(_l("Choose how the answer went back."), field="channel")
    wish.closed_via = channel
    return channel.value


def _merge(wish: Wish, actor, note: str, target: Wish | None = None, **_ignored) -> str:
    if target is None or target.id == wish.id:
        raise DomainError(_l("Choose the wish to merge this one into."), field="target")
    if target.municipality_id != wish.municipality_id:
        raise NotAllowed(_l("You can only merge wishes of the same municipality."),
                         field="target")
    if target.status in (S.MERGED, S.CLOSED, S.DECLINED):
        raise InvalidTransition(_l("You cannot merge into a wish that is finished or merged."),
                                field="target")
    wish.merged_into = target
    wish.organisation = None
    wish.acknowledge_due_on = None
    target.supporters += wish.supporters
    target.themes = list(target.themes) + [t for t in wish.themes if t not in target.themes]
    _record(target, actor, "merged_in", target.status, target.status, note, f"#{wish.id}")
    return f"#{target.id}"


def verdict(yes: int, partly: int, no: int) -> Confirmation | None:
    """All answers in one word: yes only when nobody doubts it, no only when nobody saw it."""
    if yes + partly + no == 0:
        return None
    if partly == 0 and no == 0:
        return Confirmation.YES
    if yes == 0 and partly == 0:
        return Confirmation.NO
    return Confirmation.PARTLY


def teller_has_answered(wish: Wish, story_id: int | None) -> bool:
    """The teller of this story already answered for this change of the wish."""
    return story_id is not None and db.session.get(TellerAnswer, (story_id, wish.id)) is not None


_COUNTERS = {Confirmation.YES: "confirmed_yes", Confirmation.PARTLY: "confirmed_partly",
             Confirmation.NO: "confirmed_no"}


def _confirm(wish: Wish, actor, note: str, answer: Confirmation | None = None,
             **_ignored) -> str:
    if not isinstance(answer, Confirmation):
        raise DomainError(_l("Choose yes, partly or no."), field="answer")
    if isinstance(actor, ResidentActor) and actor.via is ActorKind.ANONYMOUS_TELLER:
        _remember_teller(wish, actor.story_id)
    # Counted in SQL: two residents answering at the same moment both count.
    db.session.flush()
    counter = _COUNTERS[answer]
    db.session.execute(sa.update(Wish).where(Wish.id == wish.id)
                       .values({counter: getattr(Wish, counter) + 1})
                       .execution_options(synchronize_session=False))
    db.session.refresh(wish, attribute_names=list(_COUNTERS.values()))
    wish.confirmation = verdict(wish.confirmed_yes, wish.confirmed_partly, wish.confirmed_no)
    return answer.value


def _remember_teller(wish: Wish, story_id: int | None) -> None:
    """Once per story and change; the primary key refuses a second answer, also a racing one."""
    if story_id is None:
        raise NotAllowed(_l("Open your story with your code first."), field="answer")
    try:
        with db.session.begin_nested():
            db.session.add(TellerAnswer(story_id=story_id, wish_id=wish.id))
    except sa.exc.IntegrityError:
        raise InvalidTransition(_l("You already answered this question. Thank you!"),
                                field="answer") from None


def _reopen(wish: Wish, actor, note: str, **_ignored) -> str:
    """Back to the organisation that changed it, with a fresh deadline; the earlier answer,
    outcome and confirmations stay in the timeline, and a new round of them can start."""
    organisation = wish.organisation
    if organisation is None or not organisation.is_active:
        raise DomainError(_l("The organisation is no longer active. Ask a coordinator."),
                          field="note")
    now = utcnow()
    wish.routed_at = now
    wish.acknowledge_due_on = deadlines.acknowledge_due_on(
        now, organisation.response_target_days, organisation.response_target_unit)
    wish.acknowledged_at = None
    wish.public_answer, wish.answered_at = "", None
    wish.outcome, wish.changed_from = "", None
    wish.resolution, wish.resolved_at, wish.closed_via = None, None, None
    wish.confirmed_yes = wish.confirmed_partly = wish.confirmed_no = 0
    wish.confirmation, wish.confirmation_requested_at = None, None
    # Answers about the change that did not happen: a new change gets new answers.
    db.session.execute(sa.delete(TellerAnswer).where(TellerAnswer.wish_id == wish.id))
    db.session.execute(sa.delete(ConfirmationLink).where(ConfirmationLink.wish_id == wish.id))
    return organisation.name


EFFECTS = {
    "route": _route,
    "acknowledge": _acknowledge,
    "answer": _answer,
    "mark_changed": _mark_changed,
    "decline": _decline,
    "hand_back": _hand_back,
    "close": _close,
    "merge": _merge,
    "confirm": _confirm,
    "reopen": _reopen,
}
assert EFFECTS.keys() == TRANSITIONS.keys()
