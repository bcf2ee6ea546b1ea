"""Webhook endpoints, set up by coordinators per organisation, and their delivery log."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.webhooks.models import WebhookDelivery, WebhookEndpoint

LOG_SIZE = 50


def check_url(url: str, *, allow_http: bool) -> str:
    """An absolute https URL (http only where the settings allow it, e.g. development)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname or len(url) > 500 \
            or parts.username or parts.password:
        raise DomainError(_l("Fill in a full web address that starts with https://."),
                          field="url")
    return url


def create_endpoint(actor: User, organisation, url: str, *,
                    allow_http: bool = False) -> tuple[WebhookEndpoint, str]:
    """A new endpoint; the secret is returned so the page can show it once."""
    if actor.role is not Role.COORDINATOR:
        raise NotAllowed()
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(organisation=organisation, url=check_url(url, allow_http=allow_http),
                               secret=secret, created_by_id=actor.id)
    db.session.add(endpoint)
    db.session.flush()
    return endpoint, secret


def set_active(actor: User, endpoint: WebhookEndpoint, active: bool) -> None:
    if actor.role is not Role.COORDINATOR:
        raise NotAllowed()
    endpoint.is_active = active
    db.session.flush()


def endpoints_of(organisation_id: int) -> list[WebhookEndpoint]:
    return db.session.scalars(sa.select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == organisation_id)
        .order_by(WebhookEndpoint.id)).all()


def delivery_log(organisation_id: int, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The latest deliveries of the organisation, failed ones included, newest first."""
    return db.session.scalars(sa.select(WebhookDelivery).where(
        WebhookDelivery.organisation_id == organisation_id)
        .options(sa.orm.joinedload(WebhookDelivery.endpoint))
        .order_by(WebhookDelivery.id.desc()).limit(limit)).all()
