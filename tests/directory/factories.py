"""Factories for what only the directory tests need."""
from __future__ import annotations

import itertools

from portal.directory.models import Theme, ThemeGroup
from portal.extensions import db

_sequence = itertools.count(1)


def create_theme(**overrides) -> Theme:
    n = next(_sequence)
    values = {"key": f"theme_{n}", "group": ThemeGroup.LIFE_DOMAIN, "name_nl": f"Thema {n}",
              "name_en": f"Theme {n}", "position": n} | overrides
    theme = Theme(**values)
    db.session.add(theme)
    db.session.flush()
    return theme
