"""Report figures for coordinators and facilitators, computed with aggregate SQL (GROUP BY) per
municipality and filtered by period. Counts of people and of stories pass through
suppression.shown(); wish figures are about organisations, not people, and are shown whole.

Each figure is a `Table` (title, columns, rows of plain values, see tables.py) so the page, the
chart and the CSV export show the same numbers. The figures of the learning loop (evaluations,
residents' confirmation, practices) are in learning.py; report() lists them all.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.directory.models import Municipality, Organisation, Theme
from portal.extensions import db
from portal.registrations.models import (ROLE_LABELS, Attendance, AttendanceStatus,
                                         ParticipantRole, Registration, RegistrationStatus)
from portal.reports import learning
from portal.reports.suppression import shown
from portal.reports.tables import Filters, Table, held_meetings, in_period, names
from portal.series.models import Meeting, Series
from portal.stories.forms import KIND_SHORT
from portal.stories.models import Story, StoryKind, StoryStatus, story_themes
from portal.wishes import deadlines
from portal.wishes.models import Wish, WishEvent, WishStatus, wish_themes
from portal.wishes.workflow import STATUS_LABELS

def visible_municipalities(user: User) -> list[Municipality]:
    query = sa.select(Municipality).order_by(Municipality.name)
    if user.role is Role.FACILITATOR:
        query = query.where(Municipality.id.in_(user.municipality_ids or {-1}))
    elif user.role is not Role.COORDINATOR:
        query = query.where(sa.false())
    return db.session.scalars(query).all()


def _by_municipality(rows) -> dict:
    """{(municipality_id, key): count} from (municipality_id, key, count) rows."""
    return {(m, k): n for m, k, n in rows}


# Series and participants ---------------------------------------------------------------------

def series_held(filters: Filters) -> Table:
    held = held_meetings(filters).subquery()
    counts = {m: (s, n) for m, s, n in db.session.execute(
        sa.select(held.c.municipality_id, sa.func.count(sa.distinct(held.c.series_id)),
                  sa.func.count(held.c.id)).group_by(held.c.municipality_id))}
    table = Table("reeksen", _l("Series held"),
                  [_l("Municipality"), _l("Series"), _l("Meetings")], chart_value=1)
    for m in filters.municipalities:
        series, meetings = counts.get(m.id, (0, 0))
        table.rows.append([m.name, series, meetings])
    return table


def participants_by_role(filters: Filters) -> Table:
    """Confirmed participants of the series that met in the period, by role."""
    series_ids = sa.select(held_meetings(filters).subquery().c.series_id)
    counts = _by_municipality(db.session.execute(
        sa.select(Series.municipality_id, Registration.role, sa.func.count(Registration.id))
        .join(Series, Registration.series_id == Series.id)
        .where(Registration.series_id.in_(series_ids),
               Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Series.municipality_id, Registration.role)))
    table = Table("deelnemers", _l("Participants by role"),
                  [_l("Role"), *names(filters), _l("Total")], chart_value=None,
                  note=_l("Numbers from 1 to 4 are shown as \"<5\", so that nobody can be "
                          "recognised."))
    for role in ParticipantRole:
        values = [counts.get((m.id, role), 0) for m in filters.municipalities]
        table.rows.append([ROLE_LABELS[role], *[shown(v) for v in values], shown(sum(values))])
    table.chart_value = len(table.columns) - 1
    return table


def attendance_per_meeting(filters: Filters) -> Table:
    held = held_meetings(filters).subquery()
    present = sa.func.sum(sa.case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0))
    absent = sa.func.sum(sa.case((Attendance.status == AttendanceStatus.ABSENT, 1), else_=0))
    rows = db.session.execute(
        sa.select(Municipality.name, Series.title, Meeting.number, Meeting.starts_at,
                  sa.func.coalesce(present, 0), sa.func.coalesce(absent, 0))
        .select_from(Meeting)
        .join(held, held.c.id == Meeting.id)
        .join(Series, Meeting.series_id == Series.id)
        .join(Municipality, Series.municipality_id == Municipality.id)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .group_by(Municipality.name, Series.title, Meeting.id, Meeting.number, Meeting.starts_at)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    table = Table("aanwezigheid", _l("Attendance per meeting"),
                  [_l("Municipality"), _l("Series"), _l("Meeting"), _l("Date"), _l("Present"),
                   _l("Absent")])
    for name, title, number, starts_at, here, away in rows:
        table.rows.append([name, title, number, deadlines.local_date(starts_at).isoformat(),
                           shown(here), shown(away)])
    return table


# Stories -------------------------------------------------------------------------------------

def _stories(filters: Filters):
    return sa.and_(Story.municipality_id.in_(filters.ids), Story.status != StoryStatus.WITHDRAWN,
                   Story.submitted_on >= filters.start, Story.submitted_on <= filters.end)


def stories_by_kind(filters: Filters) -> Table:
    counts = _by_municipality(db.session.execute(
        sa.select(Story.municipality_id, Story.kind, sa.func.count(Story.id))
        .where(_stories(filters)).group_by(Story.municipality_id, Story.kind)))
    table = Table("verhalen-soort", _l("Stories by kind"),
                  [_l("Kind"), *names(filters), _l("Total")])
    for kind in StoryKind:
        values = [counts.get((m.id, kind), 0) for m in filters.municipalities]
        table.rows.append([KIND_SHORT[kind], *[shown(v) for v in values], shown(sum(values))])
    table.chart_value = len(table.columns) - 1
    return table


def _themes() -> list[Theme]:
    return db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)).all()


def stories_by_theme(filters: Filters) -> Table:
    counts = _by_municipality(db.session.execute(
        sa.select(Story.municipality_id, story_themes.c.theme_id, sa.func.count(Story.id))
        .join(story_themes, story_themes.c.story_id == Story.id)
        .where(_stories(filters)).group_by(Story.municipality_id, story_themes.c.theme_id)))
    table = Table("verhalen-thema", _l("Stories by theme"),
                  [_l("Theme"), *names(filters), _l("Total")])
    for theme in _themes():
        values = [counts.get((m.id, theme.id), 0) for m in filters.municipalities]
        if sum(values):
            table.rows.append([theme.name_for(filters.locale), *[shown(v) for v in values],
                               shown(sum(values))])
    table.chart_value = len(table.columns) - 1
    return table


# Wishes --------------------------------------------------------------------------------------

def _wishes(filters: Filters):
    return sa.and_(Wish.municipality_id.in_(filters.ids), Wish.status != WishStatus.MERGED,
                   in_period(Wish.created_at, filters))


def wishes_by_status(filters: Filters) -> Table:
    counts = _by_municipality(db.session.execute(
        sa.select(Wish.municipality_id, Wish.status, sa.func.count(Wish.id))
        .where(_wishes(filters)).group_by(Wish.municipality_id, Wish.status)))
    table = Table("wensen-status", _l("Wishes by status"),
                  [_l("Status"), *names(filters), _l("Total")])
    for status in WishStatus:
        if status is WishStatus.MERGED:
            continue
        values = [counts.get((m.id, status), 0) for m in filters.municipalities]
        table.rows.append([STATUS_LABELS[status], *values, sum(values)])
    table.chart_value = len(table.columns) - 1
    return table


def wishes_by_organisation(filters: Filters) -> Table:
    counts = _by_municipality(db.session.execute(
        sa.select(Wish.municipality_id, Wish.organisation_id, sa.func.count(Wish.id))
        .where(_wishes(filters), Wish.organisation_id.is_not(None))
        .group_by(Wish.municipality_id, Wish.organisation_id)))
    organisations = db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_({o for _m, o in counts})).order_by(Organisation.name)).all()
    table = Table("wensen-organisatie", _l("Wishes by organisation"),
                  [_l("Organisation"), *names(filters), _l("Total")])
    for organisation in organisations:
        values = [counts.get((m.id, organisation.id), 0) for m in filters.municipalities]
        table.rows.append([organisation.name, *values, sum(values)])
    table.chart_value = len(table.columns) - 1
    return table


def wishes_by_theme(filters: Filters) -> Table:
    counts = _by_municipality(db.session.execute(
        sa.select(Wish.municipality_id, wish_themes.c.theme_id, sa.func.count(Wish.id))
        .join(wish_themes, wish_themes.c.wish_id == Wish.id)
        .where(_wishes(filters)).group_by(Wish.municipality_id, wish_themes.c.theme_id)))
    table = Table("wensen-thema", _l("Wishes by theme"),
                  [_l("Theme"), *names(filters), _l("Total")])
    for theme in _themes():
        values = [counts.get((m.id, theme.id), 0) for m in filters.municipalities]
        if sum(values):
            table.rows.append([theme.name_for(filters.locale), *values, sum(values)])
    table.chart_value = len(table.columns) - 1
    return table


# Response times ------------------------------------------------------------------------------

def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 on the same day)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if deadlines.is_working_day(day):
            days += 1
    return days


@dataclass
class Timing:
    acknowledge_days: list[int] = field(default_factory=list)
    close_days: list[int] = field(default_factory=list)
    on_time: int = 0
    late: int = 0

    def median_acknowledge(self):
        return _median(self.acknowledge_days)

    def median_close(self):
        return _median(self.close_days)

    def share_on_time(self):
        decided = self.on_time + self.late
        return round(100 * self.on_time / decided) if decided else ""


def _median(values: list[int]):
    return round(statistics.median(values), 1) if values else ""


def timings(filters: Filters, key: str = "organisation") -> dict[int, Timing]:
    """Per organisation (or municipality): working days from routing to acknowledgement and to
    closing, and how many were acknowledged by the organisation's target date. One query
    over the routed wishes, the closing moment taken with a grouped subquery; medians need the
    single values, which SQLite cannot order-aggregate, so they are taken here."""
    closed = (sa.select(WishEvent.wish_id, sa.func.max(WishEvent.at).label("closed_at"))
              .where(WishEvent.action == "close").group_by(WishEvent.wish_id).subquery())
    group = Wish.organisation_id if key == "organisation" else Wish.municipality_id
    rows = db.session.execute(
        sa.select(group, Wish.routed_at, Wish.acknowledged_at, Wish.acknowledge_due_on,
                  closed.c.closed_at)
        .outerjoin(closed, closed.c.wish_id == Wish.id)
        .where(Wish.municipality_id.in_(filters.ids), Wish.organisation_id.is_not(None),
               Wish.routed_at.is_not(None), in_period(Wish.routed_at, filters))).all()
    today = deadlines.today()
    result: dict[int, Timing] = {}
    for group_id, routed_at, acknowledged_at, due_on, closed_at in rows:
        timing = result.setdefault(group_id, Timing())
        routed_on = deadlines.local_date(routed_at)
        if acknowledged_at is not None:
            acknowledged_on = deadlines.local_date(acknowledged_at)
            timing.acknowledge_days.append(working_days_between(routed_on, acknowledged_on))
            if due_on is not None:
                if acknowledged_on <= due_on:
                    timing.on_time += 1
                else:
                    timing.late += 1
        elif due_on is not None and due_on < today:
            timing.late += 1
        if closed_at is not None:
            timing.close_days.append(working_days_between(routed_on,
                                                          deadlines.local_date(closed_at)))
    return result


def response_times(filters: Filters) -> Table:
    per_organisation = timings(filters)
    organisations = db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_(per_organisation)).order_by(Organisation.name)).all()
    table = Table("reactietijd", _l("Response times per organisation"),
                  [_l("Organisation"), _l("Median working days to acknowledge"),
                   _l("Median working days to close"),
                   _l("Acknowledged within target (%)")], chart_value=3,
                  note=_l("Counted from the day the wish was sent to the organisation. A wish "
                          "that is not acknowledged and past its target counts as late."))
    for organisation in organisations:
        timing = per_organisation[organisation.id]
        table.rows.append([organisation.name, timing.median_acknowledge(),
                           timing.median_close(), timing.share_on_time()])
    return table


# Side by side ----------------------------------------------------------------------------------

def comparison(filters: Filters, series: Table, wishes: Table) -> Table:
    """The main figures with one column per municipality, so they can learn from each other."""
    municipality_names = names(filters)
    per_municipality = timings(filters, key="municipality")
    changed = {m: n for m, n in db.session.execute(
        sa.select(Wish.municipality_id, sa.func.count(Wish.id))
        .where(_wishes(filters), Wish.changed_clause())
        .group_by(Wish.municipality_id))}
    table = Table("vergelijking", _l("Municipalities side by side"),
                  [_l("Figure"), *municipality_names])
    column = {m.id: i for i, m in enumerate(filters.municipalities)}

    def total_of(t: Table, index: int) -> int:
        return sum(r[index + 1] for r in t.rows if isinstance(r[index + 1], int))

    series_rows = {r[0]: r for r in series.rows}
    table.rows.append([_l("Series held"), *[series_rows[n][1] for n in municipality_names]])
    table.rows.append([_l("Meetings held"), *[series_rows[n][2] for n in municipality_names]])
    people = [shown(_raw_total(filters, m.id)) for m in filters.municipalities]
    table.rows.append([_l("Participants"), *people])
    story_totals = [shown(_story_total(filters, m.id)) for m in filters.municipalities]
    table.rows.append([_l("Stories"), *story_totals])
    table.rows.append([_l("Wishes"), *[total_of(wishes, column[m.id])
                                       for m in filters.municipalities]])
    table.rows.append([_l("Wishes that led to a change"),
                       *[changed.get(m.id, 0) for m in filters.municipalities]])
    table.rows.append([_l("Median working days to acknowledge"),
                       *[per_municipality.get(m.id, Timing()).median_acknowledge()
                         for m in filters.municipalities]])
    table.rows.append([_l("Acknowledged within target (%)"),
                       *[per_municipality.get(m.id, Timing()).share_on_time()
                         for m in filters.municipalities]])
    return table


def _raw_total(filters: Filters, municipality_id: int) -> int:
    series_ids = sa.select(held_meetings(filters).subquery().c.series_id)
    return db.session.scalar(
        sa.select(sa.func.count(Registration.id)).join(Series)
        .where(Series.municipality_id == municipality_id, Registration.series_id.in_(series_ids),
               Registration.status == RegistrationStatus.CONFIRMED)) or 0


def _story_total(filters: Filters, municipality_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Story.id)).where(
        _stories(filters), Story.municipality_id == municipality_id)) or 0


def report(filters: Filters) -> list[Table]:
    """Every table of the report page, in page order."""
    series = series_held(filters)
    wishes = wishes_by_status(filters)
    return [comparison(filters, series, wishes), series, participants_by_role(filters),
            attendance_per_meeting(filters), stories_by_kind(filters), stories_by_theme(filters),
            wishes,
            wishes_by_organisation(filters), wishes_by_theme(filters), response_times(filters),
            *learning.tables(filters)]
