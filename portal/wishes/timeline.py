"""A wish's timeline as people read it: when, who, what, with which note."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from portal.wishes.models import ActorKind, AnswerChannel, Confirmation, WishEvent
from portal.wishes.workflow import (CHANNEL_LABELS, CONFIRMATION_LABELS, EVENT_LABELS,
                                    STATUS_LABELS, TRANSITIONS)


@dataclass(frozen=True)
class Line:
    at: datetime
    who: str
    what: str
    status_change: str
    note: str
    detail: str


def actor_label(event: WishEvent) -> str:
    organisation = event.actor_organisation.name if event.actor_organisation else ""
    if event.actor_kind is ActorKind.ANSWER_LINK:
        return _("%(organisation)s (via the answer link)", organisation=organisation)
    if event.actor_kind is ActorKind.API:
        return _("%(organisation)s (via its own system)", organisation=organisation)
    if event.actor_kind is ActorKind.ANONYMOUS_TELLER:
        return _("The teller (anonymous)")
    if event.actor_kind is ActorKind.RESIDENT_LINK:
        return _("A participant (via the e-mail link)")
    name = event.actor_user.display_name if event.actor_user else _("Former user")
    return f"{name} ({organisation})" if organisation else name


def _detail(event: WishEvent) -> str:
    if event.action == "route":
        return _("To: %(organisation)s", organisation=event.detail)
    if event.action == "hand_back" and event.detail:
        return _("Handed back by: %(organisation)s", organisation=event.detail)
    if event.action == "close":
        try:
            return str(CHANNEL_LABELS[AnswerChannel(event.detail)])
        except ValueError:
            return ""
    if event.action == "merge":
        return _("Merged into wish %(number)s", number=event.detail)
    if event.action == "merged_in":
        return _("Wish %(number)s", number=event.detail)
    if event.action == "confirm":
        try:
            return str(CONFIRMATION_LABELS[Confirmation(event.detail)])
        except ValueError:
            return ""
    if event.action == "reopen" and event.detail:
        return _("Back to: %(organisation)s", organisation=event.detail)
    return ""


def lines(events: list[WishEvent]) -> list[Line]:
    result = []
    for event in events:
        step = TRANSITIONS.get(event.action)
        what = step.label if step else EVENT_LABELS.get(event.action, event.action)
        change = ""
        if event.from_status is not None and event.to_status is not None \
                and event.from_status is not event.to_status:
            change = f"{STATUS_LABELS[event.from_status]} → {STATUS_LABELS[event.to_status]}"
        result.append(Line(at=event.at, who=actor_label(event), what=str(what),
                           status_change=change, note=event.note, detail=_detail(event)))
    return result
