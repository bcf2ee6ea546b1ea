"""Stories, struggles, eye-openers and concerns; their revisions, reply thread and receipt codes.

Anonymity is a property of the schema: the tables a sender writes to hold dates, never times,
and no column for an address, device or account of the sender.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import enum_column, utcnow


class StoryKind(enum.Enum):
    STORY = "story"
    STRUGGLE = "struggle"
    EYE_OPENER = "eye_opener"
    CONCERN = "concern"


class ConsentLevel(enum.Enum):
    """Who may read the story; each level includes the ones above it."""

    FACILITATORS = "facilitators"
    GROUP = "group"
    PUBLIC = "public"


class StoryOrigin(enum.Enum):
    ANONYMOUS = "anonymous"  # typed by the teller on the public form
    CAPTURED = "captured"  # written down by a facilitator during a meeting


class StoryStatus(enum.Enum):
    NEW = "new"
    REVIEWED = "reviewed"
    SHARED = "shared"  # shared within the group
    PUBLISHED = "published"  # on the public page
    WITHDRAWN = "withdrawn"


class MessageAuthor(enum.Enum):
    FACILITATOR = "facilitator"
    SENDER = "sender"


story_themes = sa.Table(
    "story_themes",
    db.metadata,
    sa.Column("story_id", sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Story(db.Model):
    """No TimestampMixin on purpose: a precise time could tie an anonymous story to a person."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    # Optional: the series the sender chose, or the meeting where a facilitator wrote it down.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series.id", ondelete="SET NULL"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    origin: Mapped[StoryOrigin] = mapped_column(enum_column(StoryOrigin))
    kind: Mapped[StoryKind] = mapped_column(enum_column(StoryKind))
    consent: Mapped[ConsentLevel] = mapped_column(enum_column(ConsentLevel))
    status: Mapped[StoryStatus] = mapped_column(enum_column(StoryStatus), index=True,
                                                default=StoryStatus.NEW)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    # Sanitised HTML (portal.text.clean_html); rendered through render_rich_text again.
    body: Mapped[str] = mapped_column(sa.Text)
    wish_text: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_on: Mapped[date] = mapped_column(sa.Date)
    published_on: Mapped[date | None] = mapped_column(sa.Date)
    # Receipt code: a keyed fast hash to find the row, a slow salted hash to verify (receipts.py).
    receipt_lookup: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    receipt_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Set when the sender wrote something the facilitators have not opened yet.
    has_unread_from_sender: Mapped[bool] = mapped_column(default=False)
    # The facilitator who wrote a captured story down (staff, never the teller).
    captured_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    municipality = relationship("Municipality")
    series = relationship("Series")
    meeting = relationship("Meeting")
    captured_by = relationship("User")
    themes = relationship("Theme", secondary=story_themes, order_by="Theme.position")
    revisions = relationship("StoryRevision", back_populates="story", order_by="StoryRevision.id",
                             cascade="all, delete-orphan", passive_deletes=True)
    messages = relationship("StoryMessage", back_populates="story", order_by="StoryMessage.id",
                            cascade="all, delete-orphan", passive_deletes=True)
    notification_address = relationship("StoryNotificationAddress", uselist=False,
                                        back_populates="story", cascade="all, delete-orphan",
                                        passive_deletes=True)

    @property
    def is_anonymous(self) -> bool:
        return self.origin is StoryOrigin.ANONYMOUS

    @property
    def is_withdrawn(self) -> bool:
        return self.status is StoryStatus.WITHDRAWN

    @property
    def original(self) -> StoryRevision | None:
        """The text as first sent, kept when a facilitator edited it (facilitators only)."""
        return self.revisions[0] if self.revisions else None


class StoryRevision(db.Model):
    """The text before a facilitator's edit. The first one is the original."""

    __tablename__ = "story_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"),
                                          index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    wish_text: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    # A staff action, so a precise time is fine here.
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    story = relationship("Story", back_populates="revisions")
    edited_by = relationship("User")


class StoryMessage(db.Model):
    """The thread between facilitators and the sender, who reads and answers with the code."""

    __tablename__ = "story_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"),
                                          index=True)
    author: Mapped[MessageAuthor] = mapped_column(enum_column(MessageAuthor))
    # Staff author of a facilitator message; always empty for the sender.
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    # Date only: the sender's messages must not carry a precise time either.
    sent_on: Mapped[date] = mapped_column(sa.Date)

    story = relationship("Story", back_populates="messages")
    author_user = relationship("User")

    @property
    def is_from_sender(self) -> bool:
        return self.author is MessageAuthor.SENDER


class StoryNotificationAddress(db.Model):
    """An optional e-mail address for "there is a reply" notices, in a table of its own so it can
    be deleted without touching the story, and never shown to facilitators."""

    __tablename__ = "story_notification_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"),
                                          unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))

    story = relationship("Story", back_populates="notification_address")
