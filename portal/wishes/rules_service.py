"""Routing rules, as coordinators manage them: what a valid rule is. No HTTP here.

A rule says: wishes about this theme (in this municipality, or in all of them) probably belong
to this organisation. routing.py reads the rules; this module is the only place that writes them.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from portal.database import MAX_ID
from portal.directory.models import Municipality, Organisation, Theme
from portal.errors import DomainError
from portal.extensions import db
from portal.wishes.models import RoutingRule


def rules_query():
    """Every rule with its theme, municipality and organisation, in the order of the themes;
    per theme the rule for all municipalities first. Fixed number of queries per page."""
    return (sa.select(RoutingRule)
            .join(RoutingRule.theme)
            .outerjoin(RoutingRule.municipality)
            .join(RoutingRule.organisation)
            .options(contains_eager(RoutingRule.theme),
                     contains_eager(RoutingRule.municipality),
                     contains_eager(RoutingRule.organisation)
                     .selectinload(Organisation.municipalities))
            .order_by(Theme.group, Theme.position, Theme.name_nl,
                      RoutingRule.municipality_id.is_not(None), Municipality.name,
                      RoutingRule.id))


def count_rules() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule)) or 0


def get_rule(rule_id) -> RoutingRule | None:
    """The rule with this id; None for an unknown id, also one too large for the database."""
    return _get(RoutingRule, rule_id)


def _get(model, item_id):
    if not isinstance(item_id, int) or not 0 < item_id <= MAX_ID:
        return None
    return db.session.get(model, item_id)


def _theme(theme_id) -> Theme:
    theme = _get(Theme, theme_id)
    if theme is None:
        raise DomainError(_l("Choose a theme."), field="theme_id")
    if not theme.is_active:
        raise DomainError(_l("This theme is deactivated. Choose another theme."),
                          field="theme_id")
    return theme


def _municipality(municipality_id) -> Municipality | None:
    if municipality_id is None:
        return None  # the rule holds for all municipalities
    municipality = _get(Municipality, municipality_id)
    if municipality is None:
        raise DomainError(_l("Choose a municipality, or “All municipalities”."),
                          field="municipality_id")
    if not municipality.is_active:
        raise DomainError(_l("This municipality is deactivated. Choose another municipality, "
                             "or “All municipalities”."), field="municipality_id")
    return municipality


def _organisation(organisation_id, municipality: Municipality | None) -> Organisation:
    organisation = _get(Organisation, organisation_id)
    if organisation is None:
        raise DomainError(_l("Choose an organisation."), field="organisation_id")
    if not organisation.is_active:
        raise DomainError(_l("This organisation is deactivated. Choose another organisation."),
                          field="organisation_id")
    if municipality is not None and not organisation.serves(municipality.id):
        raise DomainError(_l("%(organisation)s does not work in %(municipality)s. Choose "
                             "another organisation, or first add %(municipality)s to the "
                             "organisation.", organisation=organisation.name,
                             municipality=municipality.name), field="organisation_id")
    return organisation


def _check_unique(rule: RoutingRule | None, theme: Theme,
                  municipality: Municipality | None) -> None:
    """One rule per theme and municipality, and one per theme for all municipalities. (The
    database's unique constraint does not see two empty municipalities as the same.)"""
    query = sa.select(RoutingRule.id).where(
        RoutingRule.theme_id == theme.id,
        RoutingRule.municipality_id == municipality.id if municipality is not None
        else RoutingRule.municipality_id.is_(None))
    if rule is not None and rule.id is not None:
        query = query.where(RoutingRule.id != rule.id)
    if db.session.scalar(query.limit(1)) is None:
        return
    if municipality is None:
        message = _l("There already is a rule for this theme for all municipalities. "
                     "Change that rule instead.")
    else:
        message = _l("There already is a rule for this theme in %(municipality)s. "
                     "Change that rule instead.", municipality=municipality.name)
    raise DomainError(message, field="municipality_id")


def save_rule(rule: RoutingRule | None, *, theme_id, municipality_id,
              organisation_id) -> RoutingRule:
    """Create (rule=None) or change a rule. municipality_id None: for all municipalities."""
    theme = _theme(theme_id)
    municipality = _municipality(municipality_id)
    organisation = _organisation(organisation_id, municipality)
    _check_unique(rule, theme, municipality)
    if rule is None:
        rule = RoutingRule()
        db.session.add(rule)
    rule.theme, rule.municipality, rule.organisation = theme, municipality, organisation
    db.session.flush()
    return rule


def delete_rule(rule: RoutingRule) -> None:
    """A rule is configuration: nothing points at it, wishes keep the organisation they got."""
    db.session.delete(rule)
    db.session.flush()
