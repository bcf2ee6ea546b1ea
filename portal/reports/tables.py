"""What every report figure shares: the filters (period and municipalities), the `Table` that
the page, the chart and the CSV export all show, and the meetings that count as held."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from portal.directory.models import Municipality
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus
from portal.wishes import deadlines

HELD = (SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED)


@dataclass(frozen=True)
class Filters:
    municipalities: tuple[Municipality, ...]  # the ones reported on, in name order
    start: date
    end: date  # inclusive
    locale: str = "nl"

    @property
    def ids(self) -> list[int]:
        return [m.id for m in self.municipalities] or [-1]

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, deadlines.AMSTERDAM)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, deadlines.AMSTERDAM)


@dataclass
class Table:
    key: str  # also the CSV file name
    title: object
    columns: list
    rows: list[list] = field(default_factory=list)
    chart_value: int | None = None  # the column a bar chart shows, against column 0
    note: object = ""


def in_period(column, filters: Filters):
    return sa.and_(column >= filters.start_at, column < filters.end_at)


def names(filters: Filters) -> list[str]:
    return [m.name for m in filters.municipalities]


def held_meetings(filters: Filters):
    """Scheduled meetings of published or completed series, starting in the period."""
    return (sa.select(Meeting.id, Meeting.series_id, Series.municipality_id)
            .join(Series, Meeting.series_id == Series.id)
            .where(Series.municipality_id.in_(filters.ids), Series.status.in_(HELD),
                   Meeting.status == MeetingStatus.SCHEDULED,
                   in_period(Meeting.starts_at, filters)))
