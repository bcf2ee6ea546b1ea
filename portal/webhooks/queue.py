"""Queue a webhook row for each active endpoint of an organisation, in the caller's
transaction: the wish change and its announcement commit (or roll back) together."""
from __future__ import annotations

import json

import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint

EVENT_TYPES = ("wish.routed", "wish.status_changed", "ping")


def enqueue_wish_event(wish, event, event_type: str, organisation_id: int | None) -> int:
    """Called by the wish workflow after a step; returns how many deliveries were queued."""
    if organisation_id is None:
        return 0
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == organisation_id,
        WebhookEndpoint.is_active.is_(True))).all()
    if not endpoints:
        return 0
    from portal.api.serialise import event_json, wish_json

    body = {"event": event_type, "occurred_at": utcnow().isoformat(),
            "wish": wish_json(wish), "step": event_json(event)}
    for endpoint in endpoints:
        db.session.add(WebhookDelivery(
            endpoint=endpoint, organisation_id=organisation_id, event_type=event_type,
            wish_id=wish.id, payload=json.dumps(body, ensure_ascii=False, sort_keys=True)))
    db.session.flush()
    return len(endpoints)


def enqueue_ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event the coordinator can send to check the receiver."""
    delivery = WebhookDelivery(
        endpoint=endpoint, organisation_id=endpoint.organisation_id, event_type="ping",
        payload=json.dumps({"event": "ping", "occurred_at": utcnow().isoformat()}))
    db.session.add(delivery)
    db.session.flush()
    return delivery
