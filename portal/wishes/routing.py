"""Which organisation a wish should probably go to. Only a suggestion: a facilitator confirms or
picks another, and the choice still goes through workflow.transition("route", ...).

The rule: look at the wish's themes in their usual order; for the first theme that has a rule,
a rule for the wish's own municipality wins over a rule for every municipality. Inactive
organisations, and organisations that do not serve the wish's municipality, are skipped.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from portal.directory.models import Organisation
from portal.extensions import db
from portal.wishes.models import RoutingRule


class Skip(enum.Enum):
    """Why a rule that fits the theme and municipality was passed over."""

    INACTIVE = "inactive"  # the organisation is deactivated
    NOT_SERVED = "not_served"  # the organisation does not work in the municipality


@dataclass(frozen=True)
class Considered:
    rule: RoutingRule
    skipped: Skip | None  # None: this rule decided


@dataclass(frozen=True)
class Decision:
    """The rules looked at, in the order the routing looks at them; the last one may decide."""

    considered: tuple[Considered, ...]

    @property
    def rule(self) -> RoutingRule | None:
        last = self.considered[-1] if self.considered else None
        return last.rule if last is not None and last.skipped is None else None

    @property
    def organisation(self) -> Organisation | None:
        return self.rule.organisation if self.rule is not None else None

    @property
    def skipped(self) -> tuple[Considered, ...]:
        return tuple(c for c in self.considered if c.skipped is not None)


def decide(theme_ids: list[int], municipality_id: int) -> Decision:
    """Which rule decides for these themes (in order) in this municipality, and which rules
    were skipped before it and why. Pure reading: two queries, nothing changes."""
    if not theme_ids:
        return Decision(())
    rules = db.session.scalars(
        sa.select(RoutingRule)
        .join(RoutingRule.organisation)
        .where(RoutingRule.theme_id.in_(theme_ids),
               sa.or_(RoutingRule.municipality_id == municipality_id,
                      RoutingRule.municipality_id.is_(None)))
        .options(contains_eager(RoutingRule.organisation)
                 .selectinload(Organisation.municipalities),
                 joinedload(RoutingRule.theme), joinedload(RoutingRule.municipality))
        .order_by(RoutingRule.id)).all()

    def skip_reason(organisation: Organisation) -> Skip | None:
        if not organisation.is_active:
            return Skip.INACTIVE
        if not organisation.serves(municipality_id):
            return Skip.NOT_SERVED
        return None

    considered: list[Considered] = []
    for theme_id in theme_ids:
        for specific in (True, False):
            for rule in rules:
                if rule.theme_id == theme_id and (rule.municipality_id is not None) == specific:
                    reason = skip_reason(rule.organisation)
                    considered.append(Considered(rule, reason))
                    if reason is None:
                        return Decision(tuple(considered))
    return Decision(tuple(considered))


def suggest_for(theme_ids: list[int], municipality_id: int) -> Organisation | None:
    """The suggested organisation for these themes (in order) in this municipality."""
    return decide(theme_ids, municipality_id).organisation


def suggest_organisation(wish) -> Organisation | None:
    return suggest_for([t.id for t in wish.themes], wish.municipality_id)
