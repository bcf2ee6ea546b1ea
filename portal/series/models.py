"""A series of four meetings, their agendas, the agenda template library, invitation counts."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import FacilitatorKind
from portal.extensions import db
from portal.models import TimestampMixin, enum_column

MEETINGS_PER_SERIES = 4


class SeriesStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MeetingStatus(enum.Enum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Lead(enum.Enum):
    """Who leads an agenda item: the method pairs a social worker with an experience expert."""

    SOCIAL_WORKER = "social_worker"
    EXPERIENCE_EXPERT = "experience_expert"
    BOTH = "both"


series_facilitators = sa.Table(
    "series_facilitators",
    db.metadata,
    sa.Column("series_id", sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Series(TimestampMixin, db.Model):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public page lives at this short random slug; ids are guessable, slugs are not.
    slug: Mapped[str] = mapped_column(sa.String(16), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    status: Mapped[SeriesStatus] = mapped_column(
        enum_column(SeriesStatus), default=SeriesStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    municipality = relationship("Municipality")
    created_by = relationship("User", foreign_keys=[created_by_id])
    facilitators = relationship("User", secondary=series_facilitators,
                                order_by="User.display_name")
    meetings = relationship("Meeting", back_populates="series", order_by="Meeting.number",
                            cascade="all, delete-orphan")

    @property
    def is_public(self) -> bool:
        """Published and completed series are public; a cancelled one once published says so."""
        return self.status in (SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED) or (
            self.status is SeriesStatus.CANCELLED and self.published_at is not None)

    @property
    def missing_facilitator_kinds(self) -> list[FacilitatorKind]:
        """The kinds of the social worker / experience expert pair that nobody fills."""
        present = {user.facilitator_kind for user in self.facilitators}
        return [kind for kind in FacilitatorKind if kind not in present]

    @property
    def first_starts_at(self) -> datetime | None:
        return self.meetings[0].starts_at if self.meetings else None

    @property
    def last_ends_at(self) -> datetime | None:
        return self.meetings[-1].ends_at if self.meetings else None


class Meeting(TimestampMixin, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "number", name="uq_meetings_series_id_number"),
        sa.CheckConstraint("number BETWEEN 1 AND 4", name="number_range"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    venue_id: Mapped[int] = mapped_column(sa.ForeignKey("venues.id", ondelete="RESTRICT"),
                                          index=True)
    capacity: Mapped[int]
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.SCHEDULED)
    # iCalendar SEQUENCE: raised on every change a calendar must notice (time, place, cancel).
    sequence: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_templates.id", ondelete="SET NULL"), index=True)

    series = relationship("Series", back_populates="meetings")
    venue = relationship("Venue")
    template = relationship("AgendaTemplate")
    agenda_items = relationship("AgendaItem", back_populates="meeting",
                                order_by="AgendaItem.position", cascade="all, delete-orphan")

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def agenda_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda_items)

    @property
    def agenda_too_long(self) -> bool:
        return self.agenda_minutes > self.duration_minutes


class AgendaItemColumns:
    """What an agenda item holds, in a template, a meeting and a shared practice alike."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(160))
    minutes: Mapped[int]
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    lead: Mapped[Lead] = mapped_column(enum_column(Lead), default=Lead.BOTH)
    materials: Mapped[str] = mapped_column(sa.Text, default="")


class AgendaTemplate(TimestampMixin, db.Model):
    """A named agenda in one language. The four defaults carry a key and are copied, not edited."""

    __tablename__ = "agenda_templates"
    __table_args__ = (
        sa.UniqueConstraint("key", "language", name="uq_agenda_templates_key_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String(60))
    language: Mapped[str] = mapped_column(sa.String(5), default="nl", index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Which meeting (1-4) the template suits; suggested when a series is created.
    meeting_number: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    created_by = relationship("User")
    items = relationship("AgendaTemplateItem", back_populates="template",
                         order_by="AgendaTemplateItem.position", cascade="all, delete-orphan")

    @property
    def is_default(self) -> bool:
        return self.key is not None

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)


class AgendaTemplateItem(AgendaItemColumns, db.Model):
    __tablename__ = "agenda_template_items"

    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_templates.id", ondelete="CASCADE"), index=True)
    template = relationship("AgendaTemplate", back_populates="items")


class AgendaItem(AgendaItemColumns, db.Model):
    """An item of one meeting's agenda: copied from a template, then the facilitators' own."""

    __tablename__ = "agenda_items"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    meeting = relationship("Meeting", back_populates="agenda_items")


class InvitationBatch(db.Model):
    """Only how many personal invitations went out, never to whom."""

    __tablename__ = "invitation_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"),
                                           index=True)
    sent_count: Mapped[int]
    sent_at: Mapped[datetime]
    sent_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    sent_by = relationship("User")
