"""Which organisation a wish should probably go to. Only a suggestion: a facilitator confirms or
picks another, and the choice still goes through workflow.transition("route", ...).

The rule: look at the wish's themes in their usual order; for the first theme that has a rule,
a rule for the wish's own municipality wins over a rule for every municipality. Inactive
organisations, and organisations that do not serve the wish's municipality, are skipped.
"""
from __future__ import annotations

import sqlalchemy as sa

from portal.directory.models import Organisation
from portal.extensions import db
from portal.wishes.models import RoutingRule


def suggest_for(theme_ids: list[int], municipality_id: int) -> Organisation | None:
    """The suggested organisation for these themes (in order) in this municipality."""
    if not theme_ids:
        return None
    rules = db.session.scalars(
        sa.select(RoutingRule)
        .join(RoutingRule.organisation)
        .where(RoutingRule.theme_id.in_(theme_ids),
               sa.or_(RoutingRule.municipality_id == municipality_id,
                      RoutingRule.municipality_id.is_(None)),
               Organisation.is_active.is_(True))
        .options(sa.orm.contains_eager(RoutingRule.organisation)
                 .selectinload(Organisation.municipalities))).all()

    def serves(organisation: Organisation) -> bool:
        served = organisation.municipalities
        return not served or any(m.id == municipality_id for m in served)

    for theme_id in theme_ids:
        for specific in (True, False):
            for rule in rules:
                if rule.theme_id == theme_id and (rule.municipality_id is not None) == specific \
                        and serves(rule.organisation):
                    return rule.organisation
    return None


def suggest_organisation(wish) -> Organisation | None:
    return suggest_for([t.id for t in wish.themes], wish.municipality_id)
