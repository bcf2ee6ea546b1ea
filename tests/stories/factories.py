"""Story, series and meeting factories for these tests; call inside an app context."""
from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from portal.extensions import db
from portal.models import utcnow
from portal.series.models import Meeting, Series, SeriesStatus
from portal.stories import service
from portal.stories.models import ConsentLevel, StoryKind
from tests import factories

_n = itertools.count(1)


def create_series(municipality=None, **overrides) -> Series:
    municipality = municipality or factories.create_municipality()
    values = {"slug": secrets.token_hex(4), "title": f"Reeks {next(_n)}",
              "municipality": municipality, "status": SeriesStatus.PUBLISHED} | overrides
    series = Series(**values)
    db.session.add(series)
    db.session.flush()
    return series


def create_meeting(series=None, starts_at=None, **overrides) -> Meeting:
    series = series or create_series()
    starts_at = starts_at or utcnow()
    values = {"series": series, "number": len(series.meetings) + 1, "starts_at": starts_at,
              "ends_at": starts_at + timedelta(hours=2), "capacity": 20,
              "venue": factories.create_venue(municipality=series.municipality)} | overrides
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def create_story(municipality=None, **overrides):
    """An anonymous story; returns (story, code)."""
    values = {"municipality": municipality or factories.create_municipality(),
              "kind": StoryKind.STORY, "consent": ConsentLevel.PUBLIC,
              "body": "Brieven komen altijd op vrijdag."} | overrides
    return service.submit_anonymous(**values)
