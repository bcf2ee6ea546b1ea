"""Evaluations, reflections and plain words: every change goes through here. Flushes; the caller
commits. Knows nothing of HTTP: the secret key, the actor and links come in as parameters."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.auth.permissions import works_in
from portal.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from portal.extensions import db
from portal.learning import evaluation
from portal.learning.evaluation import Channel
from portal.learning.models import (SCORE_KEYS, EvaluationRemark, EvaluationResponse,
                                    EvaluationToken, FollowUpRemark, MeetingEvaluation, PlainWord,
                                    Reflection, RemarkQuestion, RemarkStatus)
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.series.models import Meeting, Series
from portal.series.times import to_local
from portal.text import clean_html, has_control_characters, normalise_line

MAX_LINKS = 200
MAX_REFLECTION = 5000


class LinkNotValid(NotFound):
    default_message = _l("This link does not work (any more). Maybe you already answered.")


class EvaluationClosed(InvalidTransition):
    default_message = _l("The questions for this meeting are not open now.")


@dataclass
class Answers:
    """What one person filled in. Scores by statement key, 1-5."""

    scores: dict[str, int | None] = field(default_factory=dict)
    struck: str = ""
    change: str = ""


# The meeting's evaluation row -------------------------------------------------------------------

def evaluation_for(meeting: Meeting) -> MeetingEvaluation:
    """The meeting's evaluation row (QR code and totals), made on first use."""
    row = db.session.scalar(sa.select(MeetingEvaluation).where(
        MeetingEvaluation.meeting_id == meeting.id))
    if row is None:
        row = MeetingEvaluation(meeting_id=meeting.id, code=_unused_code(), paper_count=0,
                                links_sent=0)
        db.session.add(row)
        db.session.flush()
    return row


def _unused_code() -> str:
    while True:
        code = evaluation.new_code()
        if db.session.scalar(sa.select(MeetingEvaluation.id).where(
                MeetingEvaluation.code == code)) is None:
            return code


def meeting_for_code(code: str) -> Meeting | None:
    if not evaluation.is_code_shaped(code):
        return None
    return db.session.scalar(sa.select(Meeting).join(
        MeetingEvaluation, MeetingEvaluation.meeting_id == Meeting.id).where(
        MeetingEvaluation.code == code))


def meeting_for_token(token: str, secret_key: str) -> Meeting | None:
    if not evaluation.is_token_shaped(token):
        return None
    return db.session.scalar(sa.select(Meeting).join(
        EvaluationToken, EvaluationToken.meeting_id == Meeting.id).where(
        EvaluationToken.token_hash == evaluation.token_hash(token, secret_key)))


# Answers ------------------------------------------------------------------------------------------

def _check(meeting: Meeting, answers: Answers) -> tuple[dict[str, int], list[tuple]]:
    scores = {}
    for key in SCORE_KEYS:
        value = answers.scores.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise DomainError(_l("Choose one of the five faces."), field=key)
        scores[key] = value
    remarks = [(RemarkQuestion.STRUCK, answers.struck, "struck")]
    if evaluation.is_closing(meeting):
        remarks.append((RemarkQuestion.CHANGE, answers.change, "change"))
    cleaned = []
    for question, text, field_name in remarks:
        text = clean_open_answer(text, evaluation.MAX_REMARK, field_name)
        if text:
            cleaned.append((question, text))
    return scores, cleaned


def clean_open_answer(text: str | None, limit: int, field: str) -> str:
    """An open answer of an evaluation or check-in, sanitised; "" when left empty."""
    text = (text or "").strip()
    if len(text) > limit:
        raise DomainError(_l("Use at most %(max)d characters.", max=limit), field=field)
    if has_control_characters(text):
        raise DomainError(_l("This contains an invisible control character that we cannot "
                             "store. We removed it: check the text and send it again."),
                          field=field)
    return clean_html(text).strip()


def _store(meeting: Meeting, answers: Answers, today: date) -> None:
    scores, remarks = _check(meeting, answers)
    db.session.add(EvaluationResponse(meeting_id=meeting.id, answered_on=today, **scores))
    for question, text in remarks:
        db.session.add(EvaluationRemark(meeting_id=meeting.id, answered_on=today,
                                        question=question, text=text,
                                        status=RemarkStatus.PENDING))


def _today(now: datetime) -> date:
    return to_local(now).date()


def submit_with_token(token: str, secret_key: str, answers: Answers,
                      now: datetime | None = None) -> Meeting:
    """Answer through a personal link: the token is deleted in the same transaction."""
    now = now or utcnow()
    meeting = meeting_for_token(token, secret_key)
    if meeting is None:
        raise LinkNotValid()
    if not evaluation.is_open(meeting, Channel.LINK, now):
        raise EvaluationClosed()
    _check(meeting, answers)  # field errors before the link is used up
    deleted = db.session.execute(sa.delete(EvaluationToken).where(
        EvaluationToken.token_hash == evaluation.token_hash(token, secret_key))).rowcount
    if deleted != 1:  # a second click that raced the first
        raise LinkNotValid()
    _store(meeting, answers, _today(now))
    db.session.flush()
    return meeting


def submit_with_code(meeting: Meeting, answers: Answers, now: datetime | None = None) -> None:
    """Answer through the meeting's QR code (the per-browser guard is the caller's)."""
    now = now or utcnow()
    if not evaluation.is_open(meeting, Channel.QR, now):
        raise EvaluationClosed()
    _store(meeting, answers, _today(now))
    db.session.flush()


def enter_paper_form(actor: User, meeting: Meeting, answers: Answers,
                     now: datetime | None = None) -> None:
    """A facilitator types in a paper form. Only the meeting's paper total remembers it."""
    _check_scope(actor, meeting.series.municipality_id)
    now = now or utcnow()
    if not evaluation.is_open(meeting, Channel.PAPER, now):
        raise EvaluationClosed(_l("You can type in paper forms from the start of the meeting "
                                  "until %(days)s days after it.",
                                  days=evaluation.PAPER_OPEN_DAYS))
    _store(meeting, answers, _today(now))
    row = evaluation_for(meeting)
    row.paper_count = MeetingEvaluation.paper_count + 1
    db.session.flush()


def send_evaluation_links(actor: User | None, meeting: Meeting, addresses: list[str],
                          link_for: Callable[[str], str], secret_key: str) -> int:
    """E-mail each address its own single-use link; returns how many were queued.

    The send-evaluation-links job (portal/learning/evaluation_links.py) calls it after each
    meeting with the addresses of those who came. The tokens keep nothing about the addresses;
    their rows are written in the order of their hashes and the mails in a shuffled order, so
    the token table cannot be matched to the outbox by order either.
    """
    cleaned = []
    for raw in addresses:
        try:
            cleaned.append(validate_email(raw, check_deliverability=False).normalized)
        except EmailNotValidError:
            continue
    unique: dict[str, str] = {}
    for address in cleaned:
        unique.setdefault(address.casefold(), address)
    cleaned = list(unique.values())
    if not cleaned:
        return 0
    if len(cleaned) > MAX_LINKS:
        raise DomainError(_l("At most %(max)s addresses at a time.", max=MAX_LINKS))
    if meeting.is_cancelled:
        raise EvaluationClosed()
    tokens = [evaluation.new_token() for _address in cleaned]
    for token_hash in sorted(evaluation.token_hash(token, secret_key) for token in tokens):
        db.session.add(EvaluationToken(token_hash=token_hash, meeting_id=meeting.id))
    db.session.flush()
    pairs = list(zip(cleaned, tokens))
    random.SystemRandom().shuffle(pairs)
    series = meeting.series
    subject = _("How was meeting %(number)s? Tell us in 1 minute", number=meeting.number)
    for address, token in pairs:
        body = render_template("learning/mail/evaluation_link.txt", series=series,
                               meeting=meeting, link=link_for(token),
                               closing=evaluation.is_closing(meeting))
        enqueue_mail(address, subject, body)
    row = evaluation_for(meeting)
    row.links_sent = MeetingEvaluation.links_sent + len(cleaned)
    db.session.flush()
    return len(cleaned)


def purge_expired_tokens(now: datetime | None = None) -> int:
    """Unused personal links of meetings whose link window has closed: they can never be used."""
    now = now or utcnow()
    cutoff = now - timedelta(days=evaluation.LINK_OPEN_DAYS)
    expired = sa.select(Meeting.id).where(Meeting.ends_at < cutoff)
    return db.session.execute(sa.delete(EvaluationToken).where(
        EvaluationToken.meeting_id.in_(expired))).rowcount


def _check_scope(actor: User, municipality_id: int) -> None:
    if not works_in(actor, municipality_id):
        raise NotAllowed()


def moderate_remark(actor: User, remark: EvaluationRemark | FollowUpRemark,
                    approve: bool) -> None:
    """Show an open answer with the results, or hide it (evaluations and check-ins alike)."""
    series = remark.meeting.series if isinstance(remark, EvaluationRemark) \
        else db.session.get(Series, remark.series_id)
    _check_scope(actor, series.municipality_id)
    remark.status = RemarkStatus.APPROVED if approve else RemarkStatus.HIDDEN
    db.session.flush()


# Reflections --------------------------------------------------------------------------------------

@dataclass
class ReflectionInput:
    worked: str = ""
    did_not_work: str = ""
    change_next_time: str = ""


def _reflection_text(data: ReflectionInput) -> tuple[str, str, str]:
    texts = tuple(clean_html((value or "").strip()).strip()[:MAX_REFLECTION]
                  for value in (data.worked, data.did_not_work, data.change_next_time))
    if not any(texts):
        raise DomainError(_l("Write at least one of the three answers."), field="worked")
    return texts


def add_reflection(actor: User, meeting: Meeting, data: ReflectionInput) -> Reflection:
    _check_scope(actor, meeting.series.municipality_id)
    worked, did_not_work, change = _reflection_text(data)
    reflection = Reflection(meeting_id=meeting.id, author=actor, updated_by=actor,
                            worked=worked, did_not_work=did_not_work, change_next_time=change)
    db.session.add(reflection)
    db.session.flush()
    return reflection


def update_reflection(actor: User, reflection: Reflection, data: ReflectionInput) -> None:
    _check_scope(actor, reflection.meeting.series.municipality_id)
    reflection.worked, reflection.did_not_work, reflection.change_next_time = \
        _reflection_text(data)
    reflection.updated_by = actor
    db.session.flush()


# Plain words --------------------------------------------------------------------------------------

def _plain_word_text(officialese: str, plain: str) -> tuple[str, str]:
    officialese = normalise_line(officialese).lower()
    plain = normalise_line(plain)
    if not officialese:
        raise DomainError(_l("Fill in the difficult word."), field="officialese")
    if not plain:
        raise DomainError(_l("Fill in a plainer word."), field="plain")
    if officialese == plain.lower():
        raise DomainError(_l("The plainer word must be different."), field="plain")
    return officialese[:80], plain[:160]


def _check_unique(officialese: str, current_id: int | None = None) -> None:
    existing = db.session.scalar(sa.select(PlainWord).where(
        sa.func.lower(PlainWord.officialese) == officialese))
    if existing is not None and existing.id != current_id:
        raise DomainError(_l("This word is already on the list."), field="officialese")


def add_plain_word(actor: User, officialese: str, plain: str) -> PlainWord:
    officialese, plain = _plain_word_text(officialese, plain)
    _check_unique(officialese)
    word = PlainWord(officialese=officialese, plain=plain, is_active=True)
    db.session.add(word)
    db.session.flush()
    return word


def update_plain_word(actor: User, word: PlainWord, officialese: str, plain: str,
                      is_active: bool) -> None:
    officialese, plain = _plain_word_text(officialese, plain)
    _check_unique(officialese, word.id)
    word.officialese, word.plain, word.is_active = officialese, plain, bool(is_active)
    db.session.flush()


def set_plain_word_active(actor: User, word: PlainWord, active: bool) -> None:
    word.is_active = active
    db.session.flush()


def seed_plain_words(pairs) -> int:
    """Add the shipped pairs that are not on the list yet; never undoes a coordinator's edit."""
    existing = {w.lower() for w in db.session.scalars(sa.select(PlainWord.officialese))}
    added = 0
    for officialese, plain in pairs:
        if officialese.lower() not in existing:
            db.session.add(PlainWord(officialese=officialese.lower(), plain=plain,
                                     is_active=True))
            existing.add(officialese.lower())
            added += 1
    db.session.flush()
    return added
