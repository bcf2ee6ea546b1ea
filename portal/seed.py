"""Defaults every installation needs. Idempotent: `flask portal seed` may run on every deploy."""
from __future__ import annotations

import sqlalchemy as sa

from portal.directory.defaults import DEFAULT_THEMES
from portal.directory.models import Theme
from portal.extensions import db
from portal.learning.plain_words import PLAIN_WORDS
from portal.learning.service import seed_plain_words
from portal.series.agenda import seed_default_templates


def seed_defaults() -> int:
    added = 0
    existing = set(db.session.scalars(sa.select(Theme.key)))
    for position, (key, group, name_nl, name_en) in enumerate(DEFAULT_THEMES):
        if key not in existing:
            db.session.add(Theme(key=key, group=group, name_nl=name_nl, name_en=name_en,
                                 position=position))
            added += 1
    db.session.flush()
    added += seed_default_templates()
    added += seed_plain_words(PLAIN_WORDS)
    return added
