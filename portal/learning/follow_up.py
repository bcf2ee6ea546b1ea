"""Follow-up check-ins: FOLLOW_UP_MONTHS (3 and 6) months after a series' last meeting, a short
mail to each participant who asked for it: "Are you still in touch with people from the group?"
and "Did something change for you?", answered through a personal link without an account.

Where the address lives, and for how long
-----------------------------------------
A registration's contact details are erased RETENTION_DAYS_AFTER_SERIES (90) days after the
series, before the rounds are due. So the address that agreed to the check-ins is kept apart, in
`follow_up_contacts`: only the series, the address, the day the series ended and the next round
with its due date. No name, no role, no attendance and no link to the registration, so that
erasing the registration really erases what it said about the person.

* Made when the series has ended (the `send-follow-ups` job, within the hour), not at sign-up:
  only then is it known who took part. It copies confirmed registrations that ticked the box on
  the sign-up form (`Registration.has_follow_up_consent`) and still have an e-mail address. It
  copies only until the first round is due, so an address whose last round went out is never
  copied again from a registration that a longer retention setting still keeps.
* Cancelling or deleting the registration, removing the address or unticking the box on the
  manage page deletes the contact (`forget_contact`, called by portal.registrations.service).
* Each round is claimed with a conditional UPDATE (`... WHERE id = ? AND next_round = ?`), the
  last one with a conditional DELETE: two workers never send the same round, the address is gone
  the moment the last check-in is queued, and no run writes anything per person besides that.
* Every check-in but the last carries a link that stops the mails: it deletes the contact at
  once (`stop_contact`; only a keyed hash of that link is kept on the contact). It works after
  the registration and its manage link are gone.
* Its own end date: a round that could not be sent within LATE_DAYS of its due date is not sent
  any more, and portal.retention deletes the contact then, as it does for a cancelled series.

The answers are anonymous in the same way as evaluations (portal/learning/evaluation.py): the
link is a random single-use token stored only as a keyed hash with the series and the round, and
deleted in the transaction that stores the answer; the answer has a random id, the series, the
round and the date, and its open remark is a separate row. Nothing joins either to a contact, a
registration or a token. Honest limit, as for evaluations: the outbox keeps the sent mail (address
and link) until retention removes it.
"""
from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.database import begin_immediate
from portal.errors import DomainError
from portal.extensions import db
from portal.learning import evaluation
from portal.learning.models import (Changed, FollowUpAnswer, FollowUpContact, FollowUpRemark,
                                    FollowUpToken, InTouch, RemarkStatus)
from portal.learning.service import LinkNotValid, clean_open_answer
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.registrations.models import Registration, RegistrationStatus
from portal.registrations.retention import series_end_query
from portal.series.models import Series, SeriesStatus
from portal.series.times import to_local

TOKEN_PURPOSE = "follow-up"
STOP_PURPOSE = "follow-up-stop"
OPEN_DAYS = 60  # a check-in link works this long after its round was due
LATE_DAYS = 30  # a round not sent this long after it was due is not sent any more
MAX_TEXT = 1000

IN_TOUCH_QUESTION = _l("Are you still in touch with people from the group?")
IN_TOUCH_CHOICES = ((InTouch.YES, _l("Yes")), (InTouch.A_LITTLE, _l("A little")),
                    (InTouch.NO, _l("No")))
CHANGED_QUESTION = _l("Did something change for you since the meetings?")
CHANGED_CHOICES = ((Changed.YES, _l("Yes")), (Changed.PARTLY, _l("Partly")),
                   (Changed.NO, _l("No")))
REMARK_QUESTION = _l("Would you like to tell us more?")


@dataclass
class CheckIn:
    """What one person filled in: choice values as the form sent them."""

    in_touch: str | None = None
    changed: str | None = None
    remark: str = ""


# Dates --------------------------------------------------------------------------------------------

def rounds() -> tuple[int, ...]:
    return tuple(current_app.config.get("FOLLOW_UP_MONTHS", (3, 6)))


def add_months(day: date, months: int) -> date:
    """The same day so many months later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today(now: datetime) -> date:
    return to_local(now).date()


def _ended_on(series_ids) -> dict[int, date]:
    """The local day each series' last meeting (not cancelled) ended."""
    last_end = series_end_query()
    return {series_id: to_local(ended_at).date() for series_id, ended_at in db.session.execute(
        sa.select(last_end.c.series_id, last_end.c.ended_at)
        .where(last_end.c.series_id.in_(list(series_ids) or [-1])))}


def is_open(ended_on: date, round_months: int, today: date) -> bool:
    """A check-in can be answered from its due day until OPEN_DAYS after it."""
    return add_months(ended_on, round_months) <= today <= closes_on(ended_on, round_months)


def closes_on(ended_on: date, round_months: int) -> date:
    return add_months(ended_on, round_months) + timedelta(days=OPEN_DAYS)


# Contacts -----------------------------------------------------------------------------------------

def collect_contacts(now: datetime | None = None) -> int:
    """Copy the addresses that asked for check-ins from series that have ended (see above)."""
    now = now or utcnow()
    months = rounds()
    if not months:
        return 0
    today = _today(now)
    last_end = series_end_query()
    known = sa.select(FollowUpContact.id).where(
        FollowUpContact.series_id == Registration.series_id,
        sa.func.lower(FollowUpContact.email) == sa.func.lower(Registration.email))
    begin_immediate()
    rows = db.session.execute(
        sa.select(Registration.series_id, Registration.email, last_end.c.ended_at)
        .join(Series, Series.id == Registration.series_id)
        .join(last_end, last_end.c.series_id == Registration.series_id)
        .where(Series.status.in_((SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED)),
               last_end.c.ended_at <= now,
               last_end.c.ended_at > now - timedelta(days=31 * months[0] + 1),
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.has_follow_up_consent.is_(True),
               Registration.email.is_not(None),
               Registration.erased_at.is_(None),
               ~sa.exists(known))).all()
    added = 0
    for series_id, email, ended_at in rows:
        ended_on = to_local(ended_at).date()
        if today >= add_months(ended_on, months[0]):
            continue  # too late to copy: see the module docstring
        try:
            with db.session.begin_nested():
                db.session.add(FollowUpContact(
                    series_id=series_id, email=email, ended_on=ended_on, next_round=months[0],
                    next_due_on=add_months(ended_on, months[0])))
        except IntegrityError:  # another worker copied it at the same moment
            continue
        added += 1
    db.session.commit()
    return added


def forget_contact(series_id: int, email: str | None, *, leaving_id: int) -> int:
    """Registration `leaving_id` left, was deleted or withdrew: no check-ins to this address,
    unless another active sign-up in the series with that address still agrees (someone who
    cancelled and signed up again)."""
    if not email:
        return 0
    still_agrees = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.series_id == series_id, Registration.id != leaving_id,
        Registration.status != RegistrationStatus.CANCELLED,
        Registration.has_follow_up_consent.is_(True),
        sa.func.lower(Registration.email) == email.lower()))
    if still_agrees:
        return 0
    return db.session.execute(
        sa.delete(FollowUpContact).where(
            FollowUpContact.series_id == series_id,
            sa.func.lower(FollowUpContact.email) == email.lower())
        .execution_options(synchronize_session=False)).rowcount


def is_last_round(round_months: int, months: tuple[int, ...]) -> bool:
    return not [m for m in months if m > round_months]


def _claim_round(contact: FollowUpContact, months: tuple[int, ...],
                 stop_hash: str | None) -> bool:
    """Move the contact on to its next round (with a fresh stop link), or delete it after the
    last; False when another run already did."""
    sent_round = contact.next_round
    later = [m for m in months if m > sent_round]
    mine = sa.and_(FollowUpContact.id == contact.id, FollowUpContact.next_round == sent_round)
    if later:
        statement = sa.update(FollowUpContact).where(mine).values(
            next_round=later[0], next_due_on=add_months(contact.ended_on, later[0]),
            stop_token_hash=stop_hash)
    else:
        statement = sa.delete(FollowUpContact).where(mine)
    return db.session.execute(
        statement.execution_options(synchronize_session=False)).rowcount == 1


def _mail(email: str, series: Series, round_months: int, link: str,
          stop_link: str | None) -> None:
    body = render_template("learning/mail/follow_up.txt", series=series, months=round_months,
                           link=link, stop_link=stop_link)
    enqueue_mail(email, _("How are you doing? A question about %(title)s", title=series.title),
                 body)


def stop_contact(token: str, secret_key: str) -> bool:
    """"No more of these mails": the address is deleted at once. False for an unknown link."""
    if not evaluation.is_token_shaped(token):
        return False
    return db.session.execute(
        sa.delete(FollowUpContact).where(FollowUpContact.stop_token_hash == evaluation.token_hash(
            token, secret_key, STOP_PURPOSE))
        .execution_options(synchronize_session=False)).rowcount == 1


def _send_batch(contact_ids: list[int], today: date, months: tuple[int, ...],
                secret_key: str) -> int:
    """One series and round: claim each contact, then write the check-in links in the order of
    their hashes and queue the mails in a shuffled order, so neither table order says whose
    link is whose. The caller commits."""
    claimed = []
    for contact_id in contact_ids:
        contact = db.session.get(FollowUpContact, contact_id)
        if contact is None or contact.next_due_on > today:
            continue
        email, series_id, round_months = contact.email, contact.series_id, contact.next_round
        stop = None if is_last_round(round_months, months) else evaluation.new_token()
        if not _claim_round(contact, months, stop and evaluation.token_hash(
                stop, secret_key, STOP_PURPOSE)):
            continue
        db.session.expunge(contact)
        claimed.append((email, series_id, round_months, evaluation.new_token(), stop))
    if not claimed:
        return 0
    for token_hash, series_id, round_months in sorted(
            (evaluation.token_hash(token, secret_key, TOKEN_PURPOSE), series_id, round_months)
            for _email, series_id, round_months, token, _stop in claimed):
        db.session.add(FollowUpToken(token_hash=token_hash, series_id=series_id,
                                     round_months=round_months))
    db.session.flush()
    random.SystemRandom().shuffle(claimed)
    for email, series_id, round_months, token, stop in claimed:
        _mail(email, db.session.get(Series, series_id), round_months,
              url_for("follow_up_public.check_in", token=token, _external=True),
              url_for("follow_up_public.stop", token=stop, _external=True) if stop else None)
    return len(claimed)


def send_follow_ups(now: datetime | None = None) -> str:
    """The `send-follow-ups` job: copy new contacts, then send each due round exactly once."""
    now = now or utcnow()
    collected = collect_contacts(now)
    today = _today(now)
    months = rounds()
    secret_key = current_app.config["SECRET_KEY"]
    due = db.session.execute(
        sa.select(FollowUpContact.id, FollowUpContact.series_id, FollowUpContact.next_round)
        .join(Series, Series.id == FollowUpContact.series_id)
        .where(FollowUpContact.next_due_on <= today,
               FollowUpContact.next_due_on >= today - timedelta(days=LATE_DAYS),
               Series.status.in_((SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED)))
        .order_by(FollowUpContact.series_id, FollowUpContact.next_round,
                  FollowUpContact.id)).all()
    db.session.commit()  # end the read before each claim takes the write lock
    batches: dict[tuple[int, int], list[int]] = {}
    for contact_id, series_id, round_months in due:
        batches.setdefault((series_id, round_months), []).append(contact_id)
    sent = 0
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        for contact_ids in batches.values():
            begin_immediate()
            sent += _send_batch(contact_ids, today, months, secret_key)
            db.session.commit()
    return f"{sent} follow-up check-ins, {collected} new follow-up contacts"


# Answers ------------------------------------------------------------------------------------------

def _token_row(token: str, secret_key: str) -> FollowUpToken | None:
    if not evaluation.is_token_shaped(token):
        return None
    return db.session.get(FollowUpToken,
                          evaluation.token_hash(token, secret_key, TOKEN_PURPOSE))


def check_in_for_token(token: str, secret_key: str,
                       now: datetime | None = None) -> tuple[Series, int] | None:
    """The series and round of an unused, open link; None for a spent, forged or closed one."""
    row = _token_row(token, secret_key)
    if row is None:
        return None
    ended_on = _ended_on([row.series_id]).get(row.series_id)
    if ended_on is None or not is_open(ended_on, row.round_months, _today(now or utcnow())):
        return None
    return db.session.get(Series, row.series_id), row.round_months


def _check(answers: CheckIn) -> tuple[InTouch, Changed, str]:
    try:
        in_touch = InTouch(answers.in_touch)
    except ValueError:
        raise DomainError(_l("Choose one of the three answers."), field="in_touch") from None
    try:
        changed = Changed(answers.changed)
    except ValueError:
        raise DomainError(_l("Choose one of the three answers."), field="changed") from None
    return in_touch, changed, clean_open_answer(answers.remark, MAX_TEXT, "remark")


def submit_check_in(token: str, secret_key: str, answers: CheckIn,
                    now: datetime | None = None) -> Series:
    """Store the answers; the link is deleted in the same transaction (a second use is 404)."""
    now = now or utcnow()
    found = check_in_for_token(token, secret_key, now)
    if found is None:
        raise LinkNotValid()
    series, round_months = found
    in_touch, changed, remark = _check(answers)  # field errors before the link is used up
    deleted = db.session.execute(sa.delete(FollowUpToken).where(
        FollowUpToken.token_hash == evaluation.token_hash(token, secret_key, TOKEN_PURPOSE))
        .execution_options(synchronize_session=False)).rowcount
    if deleted != 1:  # a second click that raced the first
        raise LinkNotValid()
    today = _today(now)
    db.session.add(FollowUpAnswer(series_id=series.id, round_months=round_months,
                                  answered_on=today, in_touch=in_touch, changed=changed))
    if remark:
        db.session.add(FollowUpRemark(series_id=series.id, round_months=round_months,
                                      answered_on=today, text=remark,
                                      status=RemarkStatus.PENDING))
    db.session.flush()
    return series


# Retention ----------------------------------------------------------------------------------------

def purge_contacts(now: datetime | None = None) -> int:
    """Contacts past their end date (a round LATE_DAYS overdue) or of a cancelled series."""
    today = _today(now or utcnow())
    cancelled = sa.select(Series.id).where(Series.status == SeriesStatus.CANCELLED)
    return db.session.execute(sa.delete(FollowUpContact).where(sa.or_(
        FollowUpContact.next_due_on < today - timedelta(days=LATE_DAYS),
        FollowUpContact.series_id.in_(cancelled)))
        .execution_options(synchronize_session=False)).rowcount


def purge_expired_tokens(now: datetime | None = None) -> int:
    """Unused check-in links whose round has closed: they can never be used."""
    today = _today(now or utcnow())
    pairs = db.session.execute(sa.select(FollowUpToken.series_id, FollowUpToken.round_months)
                               .distinct()).all()
    ended = _ended_on({series_id for series_id, _ in pairs})
    removed = 0
    for series_id, round_months in pairs:
        ended_on = ended.get(series_id)
        if ended_on is None or today > closes_on(ended_on, round_months):
            removed += db.session.execute(sa.delete(FollowUpToken).where(
                FollowUpToken.series_id == series_id,
                FollowUpToken.round_months == round_months)
                .execution_options(synchronize_session=False)).rowcount
    return removed
