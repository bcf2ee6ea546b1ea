"""Municipalities, venues, organisations and themes: what coordinators manage."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, enum_column


class Municipality(TimestampMixin, db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    venues = relationship("Venue", back_populates="municipality", order_by="Venue.name")


class Venue(TimestampMixin, db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    street: Mapped[str] = mapped_column(sa.String(160))
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    city: Mapped[str] = mapped_column(sa.String(80))
    is_wheelchair_accessible: Mapped[bool] = mapped_column(default=False)
    has_public_transport: Mapped[bool] = mapped_column(default=False)
    has_quiet_room: Mapped[bool] = mapped_column(default=False)
    accessibility_notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    municipality = relationship("Municipality", back_populates="venues")

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.city}".strip()) if p)


class OrganisationKind(enum.Enum):
    HOUSING_CORPORATION = "housing_corporation"
    MUNICIPALITY = "municipality"
    WELFARE = "welfare"
    ENERGY_SUPPLIER = "energy_supplier"
    SCHOOL = "school"
    HEALTH_INSURER = "health_insurer"
    OTHER = "other"


class TargetUnit(enum.Enum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


organisation_municipalities = sa.Table(
    "organisation_municipalities",
    db.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
              primary_key=True),
)


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    response_target_days: Mapped[int] = mapped_column(default=10)
    response_target_unit: Mapped[TargetUnit] = mapped_column(
        enum_column(TargetUnit), default=TargetUnit.WORKING_DAYS)
    # Where wishes go for an organisation without portal accounts.
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    municipalities = relationship("Municipality", secondary=organisation_municipalities,
                                  order_by="Municipality.name")
    members = relationship("User", back_populates="organisation", order_by="User.display_name")

    # The one rule for where an organisation works: its municipalities, or all of them when
    # none are listed (a national energy supplier or health insurer).
    def serves(self, municipality_id: int) -> bool:
        return not self.municipalities or any(m.id == municipality_id
                                              for m in self.municipalities)

    @classmethod
    def serving(cls, municipality_id: int):
        """serves() as a SQL condition."""
        return sa.or_(~cls.municipalities.any(),
                      cls.municipalities.any(Municipality.id == municipality_id))


class ThemeGroup(enum.Enum):
    LIFE_DOMAIN = "life_domain"
    SOCIAL_QUALITY = "social_quality"


class Theme(TimestampMixin, db.Model):
    """Names in both languages: coordinators add themes, so they cannot live in the catalogue."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    group: Mapped[ThemeGroup] = mapped_column(enum_column(ThemeGroup))
    name_nl: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def name_for(self, locale: str) -> str:
        return self.name_en if str(locale).startswith("en") else self.name_nl
