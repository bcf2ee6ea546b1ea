"""Did it really change? Asking the people who raised a changed wish, and taking their answers.

Some time after an organisation marks a wish changed (CONFIRMATION_DELAY_DAYS after both the
change and the day it takes effect), the `ask-confirmations` job asks, once per change:
* the teller of the story it came from, when they left an address: a notice that sends them to
  their receipt page (no wish text in the mail, as with replies);
* the participants of the series it was raised in who still have an e-mail address on file: a
  personal single-use link each (only a keyed hash is stored, with the wish and an expiry;
  answering deletes it, so nothing says who answered);
* the facilitator who logged it: a reminder to ask the group and record its answer.
Every answer is a `confirm` step of the workflow, so it lands on the timeline. Once residents say
it did not (fully) change, staff may `reopen` it: it goes back to the organisation.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from portal.auth.models import Role, User
from portal.extensions import db
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.series.times import to_local
from portal.wishes import workflow
from portal.wishes.models import (ActorKind, Confirmation, ConfirmationLink, Resolution, Wish,
                                  WishStatus)

LINK_DAYS = 60
BATCH = 200


@dataclass(frozen=True)
class AskLinks:
    """Absolute URLs for the mails; the job makes them from BASE_URL."""

    receipt_page: str
    confirmation_link: Callable[[str], str]
    staff_wish: Callable[[Wish], str]


# Links -------------------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"confirmation:" + token.encode(),
                    hashlib.sha256).hexdigest()


def is_token_shaped(token: str | None) -> bool:
    return bool(token) and 16 <= len(token) <= 64 and all(
        ch.isalnum() or ch in "-_" for ch in token)


def find_link(token: str | None, secret_key: str,
              now: datetime | None = None) -> ConfirmationLink | None:
    """The unused, unexpired link for this token; None for a used, expired or made-up one."""
    if not is_token_shaped(token):
        return None
    link = db.session.get(ConfirmationLink, token_hash(token, secret_key))
    if link is None or link.expires_at <= (now or utcnow()):
        return None
    return link


def confirm_with_link(token: str, secret_key: str, answer: Confirmation | None,
                      note: str = "") -> Wish | None:
    """A participant's answer through their link; the link is used up in the same transaction.
    None when the link does not work (any more)."""
    link = find_link(token, secret_key)
    if link is None:
        return None
    wish = link.wish
    workflow.transition(wish, "confirm",
                        workflow.ResidentActor(wish_id=wish.id, via=ActorKind.RESIDENT_LINK),
                        note, answer=answer)
    deleted = db.session.execute(sa.delete(ConfirmationLink).where(
        ConfirmationLink.token_hash == link.token_hash)).rowcount
    if deleted != 1:  # a second click that raced the first
        db.session.rollback()
        return None
    db.session.flush()
    return wish


def confirm_as_teller(wish: Wish, answer: Confirmation | None, note: str = "") -> None:
    """The teller's answer, recognised by the caller through the story's receipt code."""
    workflow.transition(wish, "confirm",
                        workflow.ResidentActor(wish_id=wish.id, via=ActorKind.ANONYMOUS_TELLER),
                        note, answer=answer)


def teller_has_answered(wish: Wish) -> bool:
    return workflow.teller_has_answered(wish)


def purge_expired_links(now: datetime | None = None) -> int:
    return db.session.execute(sa.delete(ConfirmationLink).where(
        ConfirmationLink.expires_at <= (now or utcnow()))).rowcount


# Asking ------------------------------------------------------------------------------------------

def due_query(now: datetime, delay_days: int) -> sa.Select:
    cutoff = now - timedelta(days=delay_days)
    return (sa.select(Wish.id)
            .where(Wish.resolution == Resolution.CHANGED,
                   Wish.status.in_([WishStatus.CHANGED, WishStatus.CLOSED]),
                   Wish.confirmation_requested_at.is_(None),
                   Wish.resolved_at <= cutoff,
                   sa.or_(Wish.changed_from.is_(None),
                          Wish.changed_from <= to_local(cutoff).date()))
            .order_by(Wish.id).limit(BATCH))


def _claim(wish_id: int, now: datetime) -> bool:
    """Mark the wish asked; only one worker's conditional update can succeed."""
    return db.session.execute(
        sa.update(Wish).where(Wish.id == wish_id, Wish.confirmation_requested_at.is_(None))
        .values(confirmation_requested_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1


def _participant_addresses(wish: Wish) -> list[str]:
    from portal.registrations.models import Registration, RegistrationStatus

    if wish.meeting is None:
        return []
    addresses = db.session.scalars(sa.select(Registration.email).where(
        Registration.series_id == wish.meeting.series_id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.email.is_not(None), Registration.erased_at.is_(None))).all()
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.casefold(), address)
    return list(unique.values())


def ask(wish: Wish, links: AskLinks, secret_key: str, now: datetime) -> int:
    """Send the questions for one claimed wish; returns how many mails were queued."""
    sent = 0
    subject = _("Did it really change for you?")
    story = wish.story
    if story is not None and not story.is_withdrawn and story.notification_address is not None:
        enqueue_mail(story.notification_address.email, subject, render_template(
            "wishes/mail/confirm_teller.txt", receipt_url=links.receipt_page))
        sent += 1
    for address in _participant_addresses(wish):
        token = new_token()
        db.session.add(ConfirmationLink(token_hash=token_hash(token, secret_key), wish_id=wish.id,
                                        expires_at=now + timedelta(days=LINK_DAYS)))
        enqueue_mail(address, subject, render_template(
            "wishes/mail/confirm_link.txt", wish=wish, url=links.confirmation_link(token),
            days=LINK_DAYS))
        sent += 1
    facilitator = wish.created_by
    if facilitator is not None and facilitator.is_active and facilitator.role in (
            Role.FACILITATOR, Role.COORDINATOR):
        enqueue_mail(facilitator.email, _("Ask the group: did wish %(number)s really change?",
                                          number=wish.id),
                     render_template("wishes/mail/confirm_facilitator.txt", wish=wish,
                                     user=facilitator, url=links.staff_wish(wish)))
        sent += 1
    db.session.flush()
    return sent


def ask_confirmations(now: datetime | None = None) -> str:
    """The `ask-confirmations` job: once per change, never twice (also with two workers)."""
    now = now or utcnow()
    config = current_app.config
    delay = int(config.get("CONFIRMATION_DELAY_DAYS", 14))
    base = config.get("BASE_URL") or "http://localhost"
    asked = mails = 0
    with current_app.test_request_context("/", base_url=base):
        links = AskLinks(
            receipt_page=url_for("stories_public.receipt", _external=True),
            confirmation_link=lambda token: url_for("wishes_public.confirm_link", token=token,
                                                    _external=True),
            staff_wish=lambda wish: url_for("wishes.detail", wish_id=wish.id, _external=True))
        for wish_id in db.session.scalars(due_query(now, delay)).all():
            if not _claim(wish_id, now):
                continue
            wish = db.session.get(Wish, wish_id)
            mails += ask(wish, links, config["SECRET_KEY"], now)
            db.session.commit()  # one wish at a time: a failure later does not ask twice
            asked += 1
    return f"{asked} wishes, {mails} mails"


# Reopening ---------------------------------------------------------------------------------------

def reopen_wish(wish: Wish, actor: User, note: str, *, links) -> None:
    """Residents say it did not change: back to the organisation, which is told why."""
    from portal.wishes.service import check_reachable, notify_organisation

    if wish.organisation is not None:
        check_reachable(wish.organisation, field="note")
    workflow.transition(wish, "reopen", actor, note)
    # Links about the change that did not happen can no longer be answered.
    db.session.execute(sa.delete(ConfirmationLink).where(ConfirmationLink.wish_id == wish.id))
    notify_organisation(wish, note, links, reopened=True)
    db.session.flush()


def counts(wish: Wish) -> dict[Confirmation, int]:
    return {Confirmation.YES: wish.confirmed_yes, Confirmation.PARTLY: wish.confirmed_partly,
            Confirmation.NO: wish.confirmed_no}
