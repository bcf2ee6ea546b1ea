"""Series with four meetings, and registrations, for the registration tests."""
from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

from portal.extensions import db
from portal.models import utcnow
from portal.registrations import service
from portal.registrations.models import ParticipantRole
from portal.series.models import Meeting, Series, SeriesStatus
from tests import factories

_n = itertools.count(1)


def create_series(capacity: int = 10, *, starts_in_days: float = 10, status=SeriesStatus.PUBLISHED,
                  municipality=None, capacities=None, title=None) -> Series:
    municipality = municipality or factories.create_municipality()
    venue = factories.create_venue(municipality=municipality)
    first = (utcnow() + timedelta(days=starts_in_days)).replace(microsecond=0)
    series = Series(slug=secrets.token_urlsafe(8)[:10], title=title or f"Ontmoetingen {next(_n)}",
                    municipality=municipality, status=status,
                    published_at=utcnow() if status is not SeriesStatus.DRAFT else None)
    capacities = capacities or [capacity] * 4
    series.meetings = [
        Meeting(number=n, starts_at=first + timedelta(weeks=n - 1),
                ends_at=first + timedelta(weeks=n - 1, hours=2), venue=venue, capacity=cap)
        for n, cap in enumerate(capacities, start=1)]
    db.session.add(series)
    db.session.flush()
    return series


def details(**overrides) -> service.Details:
    values = {"display_name": f"Deelnemer {next(_n)}", "role": ParticipantRole.RESIDENT,
              "email": None} | overrides
    return service.Details(**values)


def register(series, *, email: str | None = None, **overrides):
    """Sign someone up through the service and commit; returns the Outcome."""
    outcome = service.register(series, details(email=email, **overrides), consent=True,
                               manage_url=lambda token: f"http://localhost/aanmelding/{token}")
    db.session.commit()
    return outcome
