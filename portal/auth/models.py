"""Staff accounts. Residents never have one."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, enum_column


class Role(enum.Enum):
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    ORGANISATION_MEMBER = "organisation_member"


class FacilitatorKind(enum.Enum):
    """The method pairs a social worker with an experience expert."""

    SOCIAL_WORKER = "social_worker"
    EXPERIENCE_EXPERT = "experience_expert"


user_municipalities = sa.Table(
    "user_municipalities",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
              primary_key=True),
)


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    facilitator_kind: Mapped[FacilitatorKind | None] = mapped_column(enum_column(FacilitatorKind))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    # Raised on logout and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]

    organisation = relationship("Organisation", back_populates="members")
    municipalities = relationship(
        "Municipality", secondary=user_municipalities, order_by="Municipality.name"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def municipality_ids(self) -> set[int]:
        return {m.id for m in self.municipalities}


class PasswordResetToken(db.Model):
    """Single use, short lived, stored as a hash only."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user = relationship("User")
