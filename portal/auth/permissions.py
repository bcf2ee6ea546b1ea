"""Who may open which page. Every endpoint declares @public or @require(...); one hook enforces it.

Object-level rules (which wish, which series) live in the scoped queries of each feature, so a
foreign id answers 404.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.auth.models import Role

__all__ = ["Role", "public", "require", "enforce_declared_permissions", "declared_permission",
           "municipalities_of"]

STAFF = (Role.COORDINATOR, Role.FACILITATOR, Role.ORGANISATION_MEMBER)


def public(view):
    """Anyone, without an account."""
    view.portal_permission = "public"
    return view


def require(*roles: Role):
    """Logged-in staff with one of these roles (any staff role when none are named)."""
    allowed = frozenset(roles or STAFF)

    def decorate(view):
        view.portal_permission = allowed

        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.portal_permission = allowed
        return wrapper

    return decorate


def declared_permission(endpoint: str):
    view = current_app.view_functions.get(endpoint)
    if endpoint == "static":
        return "public"
    return getattr(view, "portal_permission", None)


def enforce_declared_permissions():
    """Runs before every request: an undeclared endpoint is refused, not silently open."""
    if request.endpoint is None:
        return None  # 404/405 follow
    permission = declared_permission(request.endpoint)
    if permission == "public":
        return None
    if permission is None:
        current_app.logger.error("endpoint %s declares no permission", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if current_user.role not in permission:
        abort(403)
    return None


def is_facilitator_or_coordinator(user) -> bool:
    """Staff who plan meetings (not organisation members, not anonymous visitors)."""
    return getattr(user, "role", None) in (Role.FACILITATOR, Role.COORDINATOR)


def works_in(user, municipality_id: int) -> bool:
    """May this staff member act on something of that municipality: a coordinator everywhere,
    a facilitator where they work. Services check it even where views reach objects through
    scoped lookups only, so that no other caller can skip the rule."""
    role = getattr(user, "role", None)
    return role is Role.COORDINATOR or (
        role is Role.FACILITATOR and municipality_id in user.municipality_ids)


def municipalities_of(user) -> list:
    """The municipalities a staff member works for: all active ones for a coordinator."""
    import sqlalchemy as sa

    from portal.directory.models import Municipality
    from portal.extensions import db

    if user.role is Role.COORDINATOR:
        return db.session.scalars(sa.select(Municipality).where(
            Municipality.is_active.is_(True)).order_by(Municipality.name)).all()
    return list(user.municipalities)
