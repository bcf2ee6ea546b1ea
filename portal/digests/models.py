"""Which weekly digest went to whom: the unique key makes `send-digests` idempotent."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import utcnow


class DigestLog(db.Model):
    __tablename__ = "digest_logs"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "iso_week", name="uq_digest_logs_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    iso_week: Mapped[str] = mapped_column(sa.String(8))  # "2026-W48"
    wish_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
