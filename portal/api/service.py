"""API tokens (made and revoked by coordinators) and the wishes a token may see."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.api.models import ApiToken
from portal.auth.models import Role, User
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.models import utcnow
from portal.text import normalise_line
from portal.wishes.models import Wish, WishStatus

TOKEN_PREFIX = "omp_"
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor: User, organisation, name: str) -> tuple[ApiToken, str]:
    """A new token for the organisation; the text is returned once and never stored."""
    if actor.role is not Role.COORDINATOR:
        raise NotAllowed()
    name = normalise_line(name)[:120]
    if not name:
        raise DomainError(_l("Give the token a name, for example the system that uses it."),
                          field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(organisation=organisation, name=name, token_hash=token_hash(token),
                   prefix=token[:10], created_by=actor)
    db.session.add(row)
    db.session.flush()
    return row, token


def revoke_token(actor: User, token: ApiToken) -> None:
    if actor.role is not Role.COORDINATOR:
        raise NotAllowed()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()


def tokens_of(organisation_id: int) -> list[ApiToken]:
    return db.session.scalars(sa.select(ApiToken).where(
        ApiToken.organisation_id == organisation_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())).all()


def authenticate(token: str | None) -> ApiToken | None:
    """The active token for this text, of an active organisation; None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalars(sa.select(ApiToken).where(
        ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))).first()
    if row is None or not row.organisation.is_active:
        return None
    row.last_used_at = utcnow()
    return row


def organisation_wishes(organisation_id: int) -> sa.Select:
    """What the organisation's members see on screen (wishes.service.visible_wishes)."""
    return sa.select(Wish).where(Wish.organisation_id == organisation_id,
                                 Wish.status != WishStatus.MERGED)
