"""Wishes for change, their append-only timeline, routing rules, answer templates and answer links.

The workflow (which status may follow which, who may do it) lives in workflow.py, not here.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, enum_column, utcnow


class WishStatus(enum.Enum):
    NEW = "new"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    CHANGED = "changed"
    DECLINED = "declined"
    RETURNED = "returned"  # handed back by the organisation as wrongly routed
    CLOSED = "closed"  # the answer has gone back to the people who raised it
    MERGED = "merged"  # a duplicate, merged into another wish


class WishOrigin(enum.Enum):
    MEETING = "meeting"
    STORY = "story"
    CONCERN = "concern"  # an anonymous concern sent through the story form
    DIRECT = "direct"


class Resolution(enum.Enum):
    """How the organisation finished: kept when the wish is closed, for the public board."""

    CHANGED = "changed"
    DECLINED = "declined"


class AnswerChannel(enum.Enum):
    """How the answer went back to the people who raised the wish."""

    MEETING = "meeting"
    EMAIL = "email"
    RECEIPT = "receipt"


class ActorKind(enum.Enum):
    USER = "user"
    ANSWER_LINK = "answer_link"  # an organisation without accounts, through its personal link
    ANONYMOUS_TELLER = "anonymous_teller"  # the teller, through the story's receipt code
    API = "api"  # an organisation's own system, with the organisation's API token
    RESIDENT_LINK = "resident_link"  # a participant, through a confirmation link by e-mail


class Confirmation(enum.Enum):
    """Residents' answer to "did it really change for you?" (and the verdict of all answers)."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


wish_themes = sa.Table(
    "wish_themes",
    db.metadata,
    sa.Column("wish_id", sa.ForeignKey("wishes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Wish(TimestampMixin, db.Model):
    __tablename__ = "wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    origin: Mapped[WishOrigin] = mapped_column(enum_column(WishOrigin))
    story_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    # Plain text; templates escape it.
    what: Mapped[str] = mapped_column(sa.Text)
    why: Mapped[str] = mapped_column(sa.Text, default="")
    for_whom: Mapped[str] = mapped_column(sa.String(300), default="")
    supporters: Mapped[int] = mapped_column(default=1)
    # For wishes from a meeting or logged directly: the group agreed to publication.
    # A wish from a story also needs the story's own consent (see is_publishable).
    publication_consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[WishStatus] = mapped_column(enum_column(WishStatus), index=True,
                                               default=WishStatus.NEW)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    routed_at: Mapped[datetime | None]
    # The organisation's target, counted from routing (deadlines.py); indexed for "overdue".
    acknowledge_due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    acknowledged_at: Mapped[datetime | None]
    public_answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None]
    resolution: Mapped[Resolution | None] = mapped_column(enum_column(Resolution), index=True)
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    changed_from: Mapped[date | None] = mapped_column(sa.Date)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_via: Mapped[AnswerChannel | None] = mapped_column(enum_column(AnswerChannel))
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("wishes.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Residents' answers to "did it really change for you?" since the last "changed": counts,
    # and their verdict (Wish.verdict) kept in a column so boards and reports can filter on it.
    confirmed_yes: Mapped[int] = mapped_column(default=0)
    confirmed_partly: Mapped[int] = mapped_column(default=0)
    confirmed_no: Mapped[int] = mapped_column(default=0)
    confirmation: Mapped[Confirmation | None] = mapped_column(enum_column(Confirmation),
                                                              index=True)
    # When the people who raised it were asked (portal/wishes/confirmations.py); once per change.
    confirmation_requested_at: Mapped[datetime | None] = mapped_column(index=True)
    # Proposed here because it already worked elsewhere (portal/learning/practices.py).
    # use_alter: practices also point at wishes (the wish a practice came from).
    precedent_practice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="SET NULL", use_alter=True), index=True)

    municipality = relationship("Municipality")
    story = relationship("Story")
    precedent_practice = relationship("Practice", foreign_keys=[precedent_practice_id])
    meeting = relationship("Meeting")
    organisation = relationship("Organisation")
    created_by = relationship("User")
    themes = relationship("Theme", secondary=wish_themes, order_by="Theme.position")
    merged_into = relationship("Wish", remote_side=[id], back_populates="merged_from")
    merged_from = relationship("Wish", back_populates="merged_into", order_by="Wish.id")
    events = relationship("WishEvent", back_populates="wish", order_by="WishEvent.id",
                          cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_publishable(self) -> bool:
        """The teller(s) agreed: the group's consent, and for a story also the story's own."""
        from portal.stories.models import ConsentLevel, StoryStatus

        if not self.publication_consent:
            return False
        if self.story_id is None:
            return True
        story = self.story
        return (story is not None and story.consent is ConsentLevel.PUBLIC
                and story.status is not StoryStatus.WITHDRAWN)

    @property
    def is_changed(self) -> bool:
        """The organisation changed it (also once the answer has gone back)."""
        return (self.resolution is Resolution.CHANGED
                and self.status in (WishStatus.CHANGED, WishStatus.CLOSED))

    @classmethod
    def changed_clause(cls):
        """is_changed in SQL, for boards, jobs and reports."""
        return sa.and_(cls.resolution == Resolution.CHANGED,
                       cls.status.in_([WishStatus.CHANGED, WishStatus.CLOSED]))

    @property
    def confirmations(self) -> int:
        return (self.confirmed_yes or 0) + (self.confirmed_partly or 0) + (self.confirmed_no or 0)

    @property
    def title(self) -> str:
        """A short form of what should change, for lists and mail subjects."""
        first = " ".join(self.what.split())
        return first if len(first) <= 90 else first[:87].rstrip() + "…"


class WishEvent(db.Model):
    """One step in a wish's timeline. Rows are only ever added (see the guard below)."""

    __tablename__ = "wish_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(sa.ForeignKey("wishes.id", ondelete="CASCADE"),
                                         index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind))
    actor_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The organisation the actor acted for (members and answer links); kept after a hand-back.
    actor_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(30))
    from_status: Mapped[WishStatus | None] = mapped_column(enum_column(WishStatus))
    to_status: Mapped[WishStatus | None] = mapped_column(enum_column(WishStatus))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # A short fact the step recorded: the organisation routed to, the channel, the other wish.
    detail: Mapped[str] = mapped_column(sa.String(300), default="")

    wish = relationship("Wish", back_populates="events")
    actor_user = relationship("User")
    actor_organisation = relationship("Organisation")


@sa.event.listens_for(WishEvent, "before_update")
def _timeline_is_append_only(mapper, connection, target):
    raise RuntimeError("the wish timeline is append-only")


@sa.event.listens_for(WishEvent, "before_delete")
def _timeline_is_never_deleted(mapper, connection, target):
    raise RuntimeError("the wish timeline is append-only")


class RoutingRule(TimestampMixin, db.Model):
    """Theme (and optionally one municipality) → the organisation that can act on it."""

    __tablename__ = "routing_rules"
    __table_args__ = (
        sa.UniqueConstraint("theme_id", "municipality_id",
                            name="uq_routing_rules_theme_id_municipality_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="CASCADE"),
                                          index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)

    theme = relationship("Theme")
    municipality = relationship("Municipality")
    organisation = relationship("Organisation")


class AnswerTemplate(TimestampMixin, db.Model):
    """A saved reply an organisation reuses."""

    __tablename__ = "answer_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    organisation = relationship("Organisation")


class WishAnswerLink(db.Model):
    """A personal link for an organisation without accounts: one per routing, hash only."""

    __tablename__ = "wish_answer_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(sa.ForeignKey("wishes.id", ondelete="CASCADE"),
                                         index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    wish = relationship("Wish")
    organisation = relationship("Organisation")

    def is_valid(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and now < self.expires_at


class TellerAnswer(db.Model):
    """The story's teller answered "did it really change?" for this wish (once per change: the
    rows go when the wish is reopened). Several stories can share a wish after a merge."""

    __tablename__ = "wish_teller_answers"

    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"),
                                          primary_key=True)
    wish_id: Mapped[int] = mapped_column(sa.ForeignKey("wishes.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class ConfirmationLink(db.Model):
    """An unused personal "did it really change for you?" link. Only its keyed hash and the
    wish: nothing about whom it was sent to. Deleted when used, purged when expired."""

    __tablename__ = "wish_confirmation_links"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    wish_id: Mapped[int] = mapped_column(sa.ForeignKey("wishes.id", ondelete="CASCADE"),
                                         index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    wish = relationship("Wish")
