"""Series factories: a series of four meetings, built directly (fast) with sensible defaults."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from portal.auth.models import FacilitatorKind
from portal.extensions import db
from portal.series.agenda import copy_template_into, seed_default_templates
from portal.series.models import AgendaTemplate, Meeting, Series, SeriesStatus
from portal.series.times import local_to_utc
from tests import factories

FIRST_DAY = date(2030, 3, 5)  # a Tuesday, far enough ahead to stay "upcoming"


def weekly(first: date = FIRST_DAY, at: time = time(19, 0), hours: int = 2):
    """Four (start, end) local wall-clock pairs, one week apart."""
    return [(datetime.combine(first + timedelta(weeks=n), at),
             datetime.combine(first + timedelta(weeks=n), at) + timedelta(hours=hours))
            for n in range(4)]


def create_series(*, municipality=None, venue=None, facilitators=None, times=None,
                  status=SeriesStatus.PUBLISHED, title="Samen sterk in Huissen",
                  capacity=20, with_agenda=True, **overrides) -> Series:
    municipality = municipality or (venue.municipality if venue else
                                    factories.create_municipality())
    venue = venue or factories.create_venue(municipality=municipality)
    if facilitators is None:
        facilitators = [
            factories.create_user("facilitator", municipalities=[municipality],
                                  facilitator_kind=FacilitatorKind.SOCIAL_WORKER),
            factories.create_user("facilitator", municipalities=[municipality],
                                  facilitator_kind=FacilitatorKind.EXPERIENCE_EXPERT),
        ]
    templates = {}
    if with_agenda:
        seed_default_templates()
        templates = {t.meeting_number: t for t in db.session.scalars(
            db.select(AgendaTemplate).where(AgendaTemplate.language == "nl",
                                            AgendaTemplate.key.is_not(None)))}
    series = Series(slug=overrides.pop("slug", None) or f"t{factories._n():07d}", title=title,
                    municipality=municipality, status=status, facilitators=facilitators,
                    description=overrides.pop("description", "Praat mee over wat beter kan."),
                    **overrides)
    if status is not SeriesStatus.DRAFT:
        series.published_at = series.published_at or datetime(2030, 1, 1).astimezone()
    for number, (start, end) in enumerate(times or weekly(), start=1):
        meeting = Meeting(number=number, venue=venue, capacity=capacity,
                          starts_at=local_to_utc(start.date(), start.time()),
                          ends_at=local_to_utc(end.date(), end.time()))
        copy_template_into(meeting, templates.get(number))
        series.meetings.append(meeting)
    db.session.add(series)
    db.session.flush()
    return series
