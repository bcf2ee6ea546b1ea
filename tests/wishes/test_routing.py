"""Routing rules suggest an organisation: theme (+ municipality) -> organisation."""
from __future__ import annotations

import sqlalchemy as sa

from portal.directory.models import Theme
from portal.extensions import db
from portal.wishes.routing import suggest_organisation
from tests.wishes.factories import create_rule, create_wish


def _theme(key):
    return db.session.scalars(sa.select(Theme).where(Theme.key == key)).one()


def test_no_themes_or_no_rule_means_no_suggestion(world):
    assert suggest_organisation(create_wish(municipality=world.municipality)) is None
    wish = create_wish(municipality=world.municipality, themes=[_theme("housing")])
    assert suggest_organisation(wish) is None


def test_a_rule_for_the_municipality_wins_over_a_general_rule(world, factories):
    housing = _theme("housing")
    general = factories.create_organisation(name="Landelijke Woonbond")
    create_rule(housing, general)
    wish = create_wish(municipality=world.municipality, themes=[housing])
    assert suggest_organisation(wish) == general
    create_rule(housing, world.organisation, world.municipality)
    assert suggest_organisation(wish) == world.organisation


def test_a_rule_of_another_municipality_is_not_used(world):
    housing = _theme("housing")
    create_rule(housing, world.other_organisation, world.other_municipality)
    assert suggest_organisation(create_wish(municipality=world.municipality,
                                            themes=[housing])) is None


def test_the_first_theme_with_a_rule_decides(world):
    housing, letters = _theme("housing"), _theme("letters_contact")
    create_rule(letters, world.organisation, world.municipality)
    wish = create_wish(municipality=world.municipality, themes=[housing, letters])
    assert suggest_organisation(wish) == world.organisation


def test_inactive_organisations_and_ones_serving_elsewhere_are_skipped(world):
    housing = _theme("housing")
    create_rule(housing, world.other_organisation)  # serves Oldenzaal only
    wish = create_wish(municipality=world.municipality, themes=[housing])
    assert suggest_organisation(wish) is None
    create_rule(_theme("health"), world.organisation, world.municipality)
    world.organisation.is_active = False
    wish.themes = [_theme("health")]
    assert suggest_organisation(wish) is None
