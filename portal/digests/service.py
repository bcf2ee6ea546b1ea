"""The weekly digest (`flask portal send-digests`): organisation members get their
organisation's open and overdue wishes, facilitators the wishes handed back or answered in their
municipalities. Once per person per ISO week: a DigestLog row with a unique (user, week) key is
written in the same transaction as the outbox row, so a second run - or a second worker - sends
nothing twice. Nobody gets an empty digest. It goes out from Monday 07:00 (Amsterdam) on."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from portal.auth.models import Role, User
from portal.digests.models import DigestLog
from portal.extensions import db
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.wishes import deadlines
from portal.wishes.models import Wish, WishStatus

SEND_FROM_HOUR = 7  # Monday morning, local time
FACILITATOR_STATUSES = (WishStatus.RETURNED, WishStatus.CHANGED, WishStatus.DECLINED)
MAX_LISTED = 50


def iso_week(moment: datetime) -> str:
    year, week, _day = moment.astimezone(deadlines.AMSTERDAM).isocalendar()
    return f"{year}-W{week:02d}"


def _is_time(moment: datetime) -> bool:
    local = moment.astimezone(deadlines.AMSTERDAM)
    return local.isoweekday() > 1 or local.hour >= SEND_FROM_HOUR


def _member_wishes(user: User) -> list[Wish]:
    return db.session.scalars(
        sa.select(Wish).where(Wish.organisation_id == user.organisation_id,
                              Wish.status.in_([WishStatus.ROUTED, WishStatus.IN_PROGRESS]))
        .options(sa.orm.joinedload(Wish.municipality))
        .order_by(Wish.acknowledge_due_on.asc().nulls_last(), Wish.id).limit(MAX_LISTED)).all()


def _facilitator_wishes(user: User) -> list[Wish]:
    return db.session.scalars(
        sa.select(Wish).where(Wish.municipality_id.in_(user.municipality_ids or {-1}),
                              Wish.status.in_(FACILITATOR_STATUSES))
        .options(sa.orm.joinedload(Wish.organisation), sa.orm.joinedload(Wish.municipality))
        .order_by(Wish.status, Wish.id).limit(MAX_LISTED)).all()


def _recipients() -> list[User]:
    return db.session.scalars(sa.select(User).where(
        User.is_active.is_(True),
        sa.or_(sa.and_(User.role == Role.ORGANISATION_MEMBER, User.organisation_id.is_not(None)),
               User.role == Role.FACILITATOR)).order_by(User.id)).all()


def _already_sent(week: str) -> set[int]:
    return set(db.session.scalars(sa.select(DigestLog.user_id).where(DigestLog.iso_week == week)))


def _compose(user: User, today) -> tuple[str, str, int] | None:
    """(subject, text, number of wishes), or None when there is nothing to tell."""
    if user.role is Role.ORGANISATION_MEMBER:
        wishes = _member_wishes(user)
        if not wishes:
            return None
        overdue = [w for w in wishes if deadlines.is_overdue(w, today)]
        text = render_template(
            "digests/member.txt", user=user, wishes=wishes, overdue=overdue, today=today,
            is_overdue=lambda w: deadlines.is_overdue(w, today),
            url=lambda w: url_for("workspace.detail", wish_id=w.id, _external=True))
        subject = _("This week: %(open)s open wishes, %(overdue)s overdue",
                    open=len(wishes), overdue=len(overdue))
        return subject, text, len(wishes)
    wishes = _facilitator_wishes(user)
    if not wishes:
        return None
    returned = [w for w in wishes if w.status is WishStatus.RETURNED]
    answered = [w for w in wishes if w.status is not WishStatus.RETURNED]
    text = render_template(
        "digests/facilitator.txt", user=user, returned=returned, answered=answered,
        url=lambda w: url_for("wishes.detail", wish_id=w.id, _external=True))
    subject = _("This week: %(returned)s handed back, %(answered)s answered",
                returned=len(returned), answered=len(answered))
    return subject, text, len(wishes)


def _claim(user_id: int, week: str, count: int) -> bool:
    """Write the log row; False when another run wrote it first."""
    try:
        with db.session.begin_nested():
            db.session.add(DigestLog(user_id=user_id, iso_week=week, wish_count=count))
    except sa.exc.IntegrityError:
        return False
    return True


def send_digests(now: datetime | None = None) -> str:
    """The `send-digests` job. Commits per recipient; returns how many digests went out."""
    now = now or utcnow()
    if not _is_time(now):
        return "0"
    week = iso_week(now)
    today = now.astimezone(deadlines.AMSTERDAM).date()
    sent = 0
    base = current_app.config.get("BASE_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=base):
        skip = _already_sent(week)
        for user in _recipients():
            if user.id in skip:
                continue
            composed = _compose(user, today)
            if composed is None:
                continue
            subject, text, count = composed
            if not _claim(user.id, week, count):
                db.session.rollback()
                continue
            enqueue_mail(user.email, subject, text)
            db.session.commit()
            sent += 1
    return str(sent)
