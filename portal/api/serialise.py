"""Wishes as JSON, for the API and for webhooks: the wish text and its timeline, never a
story, never who told it (what an organisation member sees on screen)."""
from __future__ import annotations

from datetime import date, datetime

from portal.wishes.models import ActorKind, Wish, WishEvent


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def actor_json(event: WishEvent) -> dict:
    kind = event.actor_kind.value
    name = None
    if event.actor_kind is ActorKind.USER and event.actor_user is not None:
        name = event.actor_user.display_name
    return {"kind": kind, "name": name,
            "organisation": event.actor_organisation.name if event.actor_organisation else None}


def event_json(event: WishEvent) -> dict:
    return {
        "id": event.id,
        "at": _iso(event.at),
        "action": event.action,
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "note": event.note,
        "detail": event.detail,
        "actor": actor_json(event),
    }


def wish_json(wish: Wish, *, with_timeline: bool = False) -> dict:
    data = {
        "id": wish.id,
        "status": wish.status.value,
        "what": wish.what,
        "why": wish.why,
        "for_whom": wish.for_whom,
        "supporters": wish.supporters,
        "municipality": wish.municipality.name if wish.municipality else None,
        "themes": [theme.key for theme in wish.themes],
        "routed_at": _iso(wish.routed_at),
        "acknowledge_due_on": _iso(wish.acknowledge_due_on),
        "acknowledged_at": _iso(wish.acknowledged_at),
        "public_answer": wish.public_answer,
        "answered_at": _iso(wish.answered_at),
        "outcome": wish.outcome,
        "changed_from": _iso(wish.changed_from),
        "created_at": _iso(wish.created_at),
    }
    if with_timeline:
        data["timeline"] = [event_json(event) for event in wish.events]
    return data
