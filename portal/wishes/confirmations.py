"""Did it really change? Asking the people who raised a changed wish, and taking their answers.

Some time after an organisation marks a wish changed (CONFIRMATION_DELAY_DAYS after both the
change and the day it takes effect, and no later than ASK_WITHIN_DAYS after it), the
`ask-confirmations` job asks, once per change:
* the teller of the story it came from, when they left an address: a notice that sends them to
  their receipt page (no wish text in the mail, as with replies);
* for a wish raised in a meeting, the participants of that series who still have an e-mail
  address on file: a personal single-use link each. Wishes from a story or an anonymous concern
  are never mailed to the group: the teller may not have shared it there;
* the facilitator who logged it: a reminder to ask the group and record its answer.
Every answer is a `confirm` step of the workflow, so it lands on the timeline. Once residents say
it did not (fully) change, staff may `reopen` it: it goes back to the organisation.

What a link keeps: only a keyed hash of its token, the wish and an expiry; answering deletes it.
The rows are written in the order of their hashes and the mails in a shuffled order, so neither
the table nor the outbox order says whose link is whose. As with evaluations (see
portal/learning/evaluation.py), someone holding the database, the secret key and the outbox
(kept 30 days) could still tell whose link was used.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from portal.auth.models import Role, User
from portal.database import begin_immediate
from portal.errors import NotAllowed
from portal.extensions import db
from portal.learning import evaluation
from portal.learning.service import LinkNotValid
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.series.times import to_local
from portal.wishes import workflow
from portal.wishes.models import (ActorKind, Confirmation, ConfirmationLink, Wish, WishOrigin)

LINK_DAYS = 60
# A change older than this is not asked about any more (a job that was down, a fresh install).
ASK_WITHIN_DAYS = 90
BATCH = 200
TOKEN_PURPOSE = "confirmation"


@dataclass(frozen=True)
class AskLinks:
    """Absolute URLs for the mails; the job makes them from BASE_URL."""

    receipt_page: str
    confirmation_link: Callable[[str], str]
    staff_wish: Callable[[Wish], str]


# Answers -----------------------------------------------------------------------------------------

def _hash(token: str, secret_key: str) -> str:
    return evaluation.token_hash(token, secret_key, TOKEN_PURPOSE)


def find_link(token: str | None, secret_key: str,
              now: datetime | None = None) -> ConfirmationLink | None:
    """The unused, unexpired link for this token; None for a used, expired or made-up one."""
    if not token or not evaluation.is_token_shaped(token):
        return None
    link = db.session.get(ConfirmationLink, _hash(token, secret_key))
    if link is None or link.expires_at <= (now or utcnow()):
        return None
    return link


def confirm_with_link(token: str, secret_key: str, answer: Confirmation | None,
                      note: str = "") -> Wish:
    """A participant's answer through their link, which is used up in the same transaction."""
    begin_immediate()  # SQLite: hold the write lock from the start (two answers at once)
    link = find_link(token, secret_key)
    if link is None:
        raise LinkNotValid()
    wish = link.wish
    deleted = db.session.execute(sa.delete(ConfirmationLink).where(
        ConfirmationLink.token_hash == link.token_hash)
        .execution_options(synchronize_session=False)).rowcount
    if deleted != 1:  # a second click that raced the first
        raise LinkNotValid()
    workflow.transition(wish, "confirm",
                        workflow.ResidentActor(wish_id=wish.id, via=ActorKind.RESIDENT_LINK),
                        note, answer=answer)
    db.session.flush()
    return wish


def confirm_as_teller(story, wish: Wish, answer: Confirmation | None, note: str = "") -> None:
    """The teller's answer, recognised by the caller through the story's receipt code. A
    withdrawn story has no teller any more to answer for it."""
    if story.is_withdrawn:
        raise NotAllowed()
    workflow.transition(wish, "confirm", teller_of(story, wish), note, answer=answer)


def teller_of(story, wish: Wish) -> workflow.ResidentActor:
    return workflow.ResidentActor(wish_id=wish.id, via=ActorKind.ANONYMOUS_TELLER,
                                  story_id=story.id)


def teller_has_answered(story, wish: Wish) -> bool:
    return workflow.teller_has_answered(wish, story.id)


def purge_expired_links(now: datetime | None = None) -> int:
    return db.session.execute(sa.delete(ConfirmationLink).where(
        ConfirmationLink.expires_at <= (now or utcnow()))).rowcount


# Asking ------------------------------------------------------------------------------------------

def due_query(now: datetime, delay_days: int) -> sa.Select:
    cutoff = now - timedelta(days=delay_days)
    return (sa.select(Wish.id)
            .where(Wish.changed_clause(),
                   Wish.confirmation_requested_at.is_(None),
                   Wish.resolved_at <= cutoff,
                   Wish.resolved_at > cutoff - timedelta(days=ASK_WITHIN_DAYS),
                   sa.or_(Wish.changed_from.is_(None),
                          Wish.changed_from <= to_local(cutoff).date()))
            .order_by(Wish.id).limit(BATCH))


def _claim(wish_id: int, now: datetime) -> bool:
    """Mark the wish asked; only one worker's conditional update can succeed."""
    return db.session.execute(
        sa.update(Wish).where(Wish.id == wish_id, Wish.confirmation_requested_at.is_(None))
        .values(confirmation_requested_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1


def asks_the_group(wish: Wish) -> bool:
    """A story's or a concern's wish is the teller's: the group is never asked about it (the
    teller is, through the receipt code)."""
    return wish.origin in (WishOrigin.MEETING, WishOrigin.DIRECT)


def _participant_addresses(wish: Wish) -> list[str]:
    """Participants of the series a wish was raised in."""
    from portal.registrations.addresses import participant_addresses

    if wish.origin is not WishOrigin.MEETING or wish.meeting is None:
        return []
    return participant_addresses(wish.meeting.series_id)


def ask(wish: Wish, links: AskLinks, secret_key: str, now: datetime) -> int:
    """Send the questions for one claimed wish; returns how many mails were queued."""
    sent = 0
    subject = _("Did it really change for you?")
    story = wish.story
    if story is not None and not story.is_withdrawn and story.notification_address is not None:
        enqueue_mail(story.notification_address.email, subject, render_template(
            "wishes/mail/confirm_teller.txt", receipt_url=links.receipt_page))
        sent += 1
    addresses = _participant_addresses(wish)
    tokens = [evaluation.new_token() for _address in addresses]
    # Rows in hash order, mails in a shuffled order: neither lines up with the other.
    for token_hash in sorted(_hash(token, secret_key) for token in tokens):
        db.session.add(ConfirmationLink(token_hash=token_hash, wish_id=wish.id,
                                        expires_at=now + timedelta(days=LINK_DAYS)))
    db.session.flush()
    pairs = list(zip(addresses, tokens))
    random.SystemRandom().shuffle(pairs)
    for address, token in pairs:
        enqueue_mail(address, subject, render_template(
            "wishes/mail/confirm_link.txt", wish=wish, url=links.confirmation_link(token),
            days=LINK_DAYS))
        sent += 1
    facilitator = wish.created_by
    if asks_the_group(wish) and facilitator is not None and facilitator.is_active and \
            facilitator.role in (Role.FACILITATOR, Role.COORDINATOR):
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
    wish_ids = db.session.scalars(due_query(now, delay)).all()
    db.session.commit()  # end the read before each claim takes the write lock
    with current_app.test_request_context("/", base_url=base):
        links = AskLinks(
            receipt_page=url_for("stories_public.receipt", _external=True),
            confirmation_link=lambda token: url_for("wishes_public.confirm_link", token=token,
                                                    _external=True),
            staff_wish=lambda wish: url_for("wishes.detail", wish_id=wish.id, _external=True))
        for wish_id in wish_ids:
            begin_immediate()
            if not _claim(wish_id, now):
                db.session.rollback()
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
    notify_organisation(wish, note, links, reopened=True)
    db.session.flush()
