"""Sign-ups for a series (no account needed), attendance per meeting, sent reminders."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, enum_column


class ParticipantRole(enum.Enum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    PROFESSIONAL = "professional"
    POLICY_MAKER = "policy_maker"
    OTHER = "other"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    ParticipantRole.RESIDENT: _l("Resident"),
    ParticipantRole.VOLUNTEER: _l("Volunteer"),
    ParticipantRole.PROFESSIONAL: _l("Professional"),
    ParticipantRole.POLICY_MAKER: _l("Policy maker"),
    ParticipantRole.OTHER: _l("Other"),
}


class RegistrationStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class AttendanceStatus(enum.Enum):
    PRESENT = "present"
    ABSENT = "absent"


# The needs a person can tick; each is a boolean column `needs_<key>`.
NEEDS = ("childcare", "transport", "dietary", "accessibility", "interpreter")
NEED_LABELS = {
    "childcare": _l("Childcare"),
    "transport": _l("Transport"),
    "dietary": _l("Dietary wishes"),
    "accessibility": _l("Accessibility"),
    "interpreter": _l("Interpreter"),
}


class Registration(TimestampMixin, db.Model):
    """One person's sign-up for a series.

    The last guard against overbooking is the database: a confirmed registration holds a seat
    number, and (series_id, seat_number) is unique. The service gives the lowest free number in
    1..capacity under a series lock; should two transactions ever count at the same time anyway,
    they pick the same number and the second one fails instead of overbooking. A unique index
    on NULL-able columns allows many NULLs on SQLite and PostgreSQL alike, so waiting and
    cancelled registrations (no seat) never collide. The waiting list is ordered the same way:
    a unique queue number per series, the position shown is the rank among those waiting.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "seat_number", name="uq_registrations_series_id_seat"),
        sa.UniqueConstraint("series_id", "queue_number",
                            name="uq_registrations_series_id_queue"),
        sa.CheckConstraint("seat_number IS NULL OR seat_number > 0", name="seat_positive"),
        sa.CheckConstraint(
            "(status = 'confirmed') = (seat_number IS NOT NULL)", name="seat_iff_confirmed"),
        sa.CheckConstraint(
            "(status = 'waiting') = (queue_number IS NOT NULL)", name="queue_iff_waiting"),
        sa.Index("ix_registrations_series_id_status", "series_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    needs_childcare: Mapped[bool] = mapped_column(default=False)
    needs_transport: Mapped[bool] = mapped_column(default=False)
    needs_dietary: Mapped[bool] = mapped_column(default=False)
    needs_accessibility: Mapped[bool] = mapped_column(default=False)
    needs_interpreter: Mapped[bool] = mapped_column(default=False)
    needs_notes: Mapped[str] = mapped_column(sa.Text, default="")
    consent_version: Mapped[str] = mapped_column(sa.String(20))
    consent_given_at: Mapped[datetime]
    # Opted in to a check-in mail months after the series (portal/learning/follow_up.py).
    has_follow_up_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    seat_number: Mapped[int | None]
    queue_number: Mapped[int | None]
    # sha256 of the manage link's token; the token itself is never stored.
    manage_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # sha256 of the form's one-time key: a double submit finds the first registration.
    idempotency_key_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Set when a facilitator signed the person up (paper, phone, no e-mail).
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    is_registered_by_facilitator: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Contact details and needs erased by the retention rule; role and status stay for reports.
    erased_at: Mapped[datetime | None]

    series = relationship("Series")
    registered_by = relationship("User")
    attendances = relationship("Attendance", back_populates="registration",
                               cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_confirmed(self) -> bool:
        return self.status is RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status is RegistrationStatus.WAITING

    @property
    def is_cancelled(self) -> bool:
        return self.status is RegistrationStatus.CANCELLED

    @property
    def needs(self) -> list[str]:
        """The ticked needs, as keys of NEEDS."""
        return [key for key in NEEDS if getattr(self, f"needs_{key}")]

    @property
    def need_labels(self) -> list[str]:
        return [str(NEED_LABELS[key]) for key in self.needs]

    @property
    def can_be_reminded(self) -> bool:
        return bool(self.email)


class Attendance(db.Model):
    """Whether a registered person came to one meeting."""

    __tablename__ = "attendances"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "meeting_id",
                            name="uq_attendances_registration_id_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    marked_at: Mapped[datetime]
    marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    registration = relationship("Registration", back_populates="attendances")
    meeting = relationship("Meeting")


class ReminderLog(db.Model):
    """One row per reminder sent: what makes `send-reminders` safe to run again."""

    __tablename__ = "reminder_logs"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "meeting_id",
                            name="uq_reminder_logs_registration_id_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    sent_at: Mapped[datetime]
