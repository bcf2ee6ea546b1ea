"""Evaluations of meetings, facilitators' reflections, and the plain-word list for B1 advice.

Anonymity is a property of this schema. What a participant writes lands in two tables,
`evaluation_responses` (the six scores) and `evaluation_remarks` (the open answers), and neither
holds a token, an account, an address or a time finer than the date. Their primary keys are
random, so not even the order of the rows says who answered first. The two tables are not linked
to each other either: an open answer cannot be tied to the scores given with it. See
portal/learning/evaluation.py for the whole argument. The follow-up check-ins months after a
series keep the same rules (`follow_up_answers`, `follow_up_remarks`, `follow_up_tokens`); the one
table that holds addresses for them, `follow_up_contacts`, is explained in
portal/learning/follow_up.py.
"""
from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, enum_column, utcnow
from portal.series.models import AgendaItemColumns

SCORE_KEYS = ("heard", "no_judgement", "understand", "learned", "belong", "can_change")


def random_id() -> str:
    """A primary key that says nothing about when the row was written."""
    return secrets.token_urlsafe(16)


class RemarkQuestion(enum.Enum):
    STRUCK = "struck"  # What struck you today?
    CHANGE = "change"  # What should change in how we meet? (closing evaluation only)


class RemarkStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


class MeetingEvaluation(db.Model):
    """Per meeting: the shared code behind its QR, and counts that are only ever shown in total."""

    __tablename__ = "meeting_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    paper_count: Mapped[int] = mapped_column(default=0)
    links_sent: Mapped[int] = mapped_column(default=0)
    # Set once by the send-evaluation-links job when it claims this meeting: never a second run.
    links_sent_at: Mapped[datetime | None]

    meeting = relationship("Meeting")


class EvaluationToken(db.Model):
    """An unused personal evaluation link. Only its keyed hash; deleted when used.

    No id, no time, nothing about whom it was sent to.
    """

    __tablename__ = "evaluation_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)


def _score_column():
    return mapped_column(sa.SmallInteger)


class EvaluationResponse(db.Model):
    """One participant's six scores (1-5) for one meeting."""

    __tablename__ = "evaluation_responses"
    __table_args__ = tuple(
        sa.CheckConstraint(f"{key} BETWEEN 1 AND 5", name=f"{key}_range") for key in SCORE_KEYS)

    id: Mapped[str] = mapped_column(sa.String(22), primary_key=True, default=random_id)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    answered_on: Mapped[date]
    heard: Mapped[int] = _score_column()
    no_judgement: Mapped[int] = _score_column()
    understand: Mapped[int] = _score_column()
    learned: Mapped[int] = _score_column()
    belong: Mapped[int] = _score_column()
    can_change: Mapped[int] = _score_column()

    def score(self, key: str) -> int:
        return getattr(self, key)


class EvaluationRemark(db.Model):
    """An open answer, moderated before anyone but the moderating facilitators reads it."""

    __tablename__ = "evaluation_remarks"

    id: Mapped[str] = mapped_column(sa.String(22), primary_key=True, default=random_id)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    answered_on: Mapped[date]
    question: Mapped[RemarkQuestion] = mapped_column(enum_column(RemarkQuestion))
    # Sanitised (portal.text.clean_html) and rendered through render_rich_text again.
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[RemarkStatus] = mapped_column(enum_column(RemarkStatus),
                                                 default=RemarkStatus.PENDING)

    meeting = relationship("Meeting")


class Reflection(TimestampMixin, db.Model):
    """Facilitators' reflection on a meeting (intervisie)."""

    __tablename__ = "meeting_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    worked: Mapped[str] = mapped_column(sa.Text, default="")
    did_not_work: Mapped[str] = mapped_column(sa.Text, default="")
    change_next_time: Mapped[str] = mapped_column(sa.Text, default="")

    meeting = relationship("Meeting")
    author = relationship("User", foreign_keys=[author_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def is_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 60


class PlainWord(TimestampMixin, db.Model):
    """An officialese word or phrase and a plainer alternative (B1 advice). Coordinators edit."""

    __tablename__ = "plain_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    officialese: Mapped[str] = mapped_column(sa.String(80), unique=True)
    plain: Mapped[str] = mapped_column(sa.String(160))
    is_active: Mapped[bool] = mapped_column(default=True, index=True)


# Follow-up check-ins months after the series ------------------------------------------------------

class InTouch(enum.Enum):
    YES = "yes"
    A_LITTLE = "a_little"
    NO = "no"


class Changed(enum.Enum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class FollowUpContact(db.Model):
    """An address that agreed to the check-ins, kept apart from the registration, which is
    erased before the later rounds are due. Deleted right after its last check-in is sent."""

    __tablename__ = "follow_up_contacts"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "email", name="uq_follow_up_contacts_series_id_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    # The day the series ended (its last meeting): every round is counted from it.
    ended_on: Mapped[date]
    # The round still to send, in months after the end, and when it is due.
    next_round: Mapped[int] = mapped_column(sa.SmallInteger)
    next_due_on: Mapped[date] = mapped_column(index=True)
    # Keyed hash of the "no more of these mails" link in the last check-in sent.
    stop_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)


class FollowUpToken(db.Model):
    """An unused personal check-in link: only its keyed hash, the series and the round."""

    __tablename__ = "follow_up_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    round_months: Mapped[int] = mapped_column(sa.SmallInteger)


class FollowUpAnswer(db.Model):
    """One person's two answers for one round. Nothing joins it to a contact or a token."""

    __tablename__ = "follow_up_answers"

    id: Mapped[str] = mapped_column(sa.String(22), primary_key=True, default=random_id)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    round_months: Mapped[int] = mapped_column(sa.SmallInteger)
    answered_on: Mapped[date]
    in_touch: Mapped[InTouch] = mapped_column(enum_column(InTouch))
    changed: Mapped[Changed] = mapped_column(enum_column(Changed))


class FollowUpRemark(db.Model):
    """The optional open answer of a check-in, apart from the choices (as evaluation remarks),
    moderated before it is shown with the results."""

    __tablename__ = "follow_up_remarks"

    id: Mapped[str] = mapped_column(sa.String(22), primary_key=True, default=random_id)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    round_months: Mapped[int] = mapped_column(sa.SmallInteger)
    answered_on: Mapped[date]
    # Sanitised (portal.text.clean_html) and rendered through render_rich_text again.
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[RemarkStatus] = mapped_column(enum_column(RemarkStatus),
                                                 default=RemarkStatus.PENDING)


# The "what works" exchange ---------------------------------------------------------------------

class PracticeKind(enum.Enum):
    CHANGE = "change"  # a change an organisation made after a wish
    MEETING_FORMAT = "meeting_format"
    AGENDA_TEMPLATE = "agenda_template"
    LESSON = "lesson"


practice_themes = sa.Table(
    "practice_themes",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Practice(TimestampMixin, db.Model):
    """Something that worked, shared between municipalities. Plain text only (templates escape
    it) and never personal data: no names, no story text, only what was done and the evidence."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PracticeKind] = mapped_column(enum_column(PracticeKind), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    what_was_done: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    # The kind of organisation that made the change (an OrganisationKind value), for filtering.
    organisation_kind: Mapped[str | None] = mapped_column(sa.String(30), index=True)
    origin_wish_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("wishes.id", ondelete="SET NULL"), index=True)
    is_published: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    municipality = relationship("Municipality")
    origin_wish = relationship("Wish", foreign_keys=[origin_wish_id])
    created_by = relationship("User")
    themes = relationship("Theme", secondary=practice_themes, order_by="Theme.position")
    adoptions = relationship("PracticeAdoption", back_populates="practice",
                             order_by="PracticeAdoption.id", cascade="all, delete-orphan",
                             passive_deletes=True)
    agenda = relationship("PracticeAgenda", back_populates="practice", uselist=False,
                          cascade="all, delete-orphan", passive_deletes=True)

    @property
    def shared_agenda(self) -> PracticeAgenda | None:
        """The agenda to show and copy: only an agenda-template practice shares one."""
        if self.kind is PracticeKind.AGENDA_TEMPLATE and self.agenda is not None \
                and self.agenda.items:
            return self.agenda
        return None


class PracticeAdoption(db.Model):
    """A facilitator proposed the practice in their own municipality: the wish it became."""

    __tablename__ = "practice_adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    wish_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("wishes.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice", back_populates="adoptions")
    municipality = relationship("Municipality")
    wish = relationship("Wish")


class PracticeAgenda(db.Model):
    """The agenda template an agenda-template practice shares, as a snapshot of its own.

    A snapshot, not a reference to the library template: that template stays its maker's to
    edit (or remove), while a published practice must keep showing exactly what was shared, to
    anyone, for years. So choosing a template copies its name and items into these rows, and a
    copy into someone's library is made from them. Choosing the template again takes a new
    snapshot. `source_template_id` only links back for the staff; nothing is read through it.
    Never personal data: no maker, only the agenda's own texts, with tags removed.
    """

    __tablename__ = "practice_agendas"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), unique=True)
    source_template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_templates.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    meeting_number: Mapped[int | None]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice", back_populates="agenda")
    source_template = relationship("AgendaTemplate")
    items = relationship("PracticeAgendaItem", back_populates="agenda",
                         order_by="PracticeAgendaItem.position", cascade="all, delete-orphan",
                         passive_deletes=True)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)


class PracticeAgendaItem(AgendaItemColumns, db.Model):
    """One item of a shared agenda: the same columns as a library template's item."""

    __tablename__ = "practice_agenda_items"

    agenda_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practice_agendas.id", ondelete="CASCADE"), index=True)
    agenda = relationship("PracticeAgenda", back_populates="items")


class PracticeAgendaCopy(db.Model):
    """A library template copied from a practice's shared agenda: counts the copies and finds an
    earlier one. A table of its own rather than a column on agenda_templates, because that column
    would close a foreign-key cycle (templates → practices → wishes → meetings → templates).
    Who copied is the template's maker; the row survives the template (SET NULL) so the count
    says how often it was copied."""

    __tablename__ = "practice_agenda_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_templates.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice = relationship("Practice")
    template = relationship("AgendaTemplate")
