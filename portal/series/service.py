"""Series and meetings: who sees which, create, edit, publish, cancel. Flushes; callers commit."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.auth.models import FacilitatorKind, Role, User, user_municipalities
from portal.directory.models import Municipality, Venue
from portal.errors import DomainError, InvalidTransition, NotFound
from portal.extensions import db
from portal.models import utcnow
from portal.series.agenda import copy_template_into
from portal.series.models import (MEETINGS_PER_SERIES, AgendaTemplate, Meeting, MeetingStatus,
                                  Series, SeriesStatus, series_facilitators)
from portal.series.times import local_to_utc
from portal.text import clean_html, normalise_line

CAPACITY_MIN, CAPACITY_MAX = 1, 500
SLUG_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to type from a poster
SLUG_LENGTH = 8  # 31**8 ≈ 8.5e11: not guessable by trying


@dataclass
class MeetingInput:
    day: date | None
    start: time | None
    end: time | None
    venue_id: int | None
    capacity: int | None
    template_id: int | None = None
    notes: str = ""


@dataclass
class SeriesInput:
    title: str
    municipality_id: int | None
    facilitator_ids: list[int] = field(default_factory=list)
    description: str = ""
    audience: str = ""
    meetings: list[MeetingInput] = field(default_factory=list)


# Who sees what -----------------------------------------------------------------------------

def visible_series(user: User):
    """Coordinators see every series; facilitators those of their own municipalities."""
    query = sa.select(Series)
    if user.role is Role.COORDINATOR:
        return query
    if user.role is Role.FACILITATOR:
        return query.where(Series.municipality_id.in_(user.municipality_ids or {-1}))
    return query.where(sa.false())


def get_series_for(user: User, series_id: int) -> Series:
    series = db.session.scalar(visible_series(user).where(Series.id == series_id).options(
        selectinload(Series.meetings).selectinload(Meeting.venue),
        selectinload(Series.meetings).selectinload(Meeting.agenda_items),
        selectinload(Series.facilitators)))
    if series is None:
        raise NotFound()
    return series


def get_meeting_for(user: User, meeting_id: int) -> Meeting:
    meeting = db.session.scalar(
        sa.select(Meeting).join(Meeting.series)
        .where(Meeting.id == meeting_id,
               Series.id.in_(visible_series(user).with_only_columns(Series.id)))
        .options(selectinload(Meeting.agenda_items), selectinload(Meeting.venue)))
    if meeting is None:
        raise NotFound()
    return meeting


def municipalities_for(user: User) -> list[Municipality]:
    query = sa.select(Municipality).where(Municipality.is_active).order_by(Municipality.name)
    if user.role is not Role.COORDINATOR:
        query = query.where(Municipality.id.in_(user.municipality_ids or {-1}))
    return list(db.session.scalars(query))


def venues_for(municipality_ids) -> list[Venue]:
    return list(db.session.scalars(
        sa.select(Venue).where(Venue.municipality_id.in_(municipality_ids or {-1}), Venue.is_active)
        .options(selectinload(Venue.municipality)).order_by(Venue.name)))


def facilitators_for(municipality_ids) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(user_municipalities, user_municipalities.c.user_id == User.id)
        .where(User.role == Role.FACILITATOR, User.is_active,
               user_municipalities.c.municipality_id.in_(municipality_ids or {-1}))
        .distinct().order_by(User.display_name)))


# Create and edit -------------------------------------------------------------------------------

def _new_slug() -> str:
    while True:
        slug = "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))
        if db.session.scalar(sa.select(Series.id).where(Series.slug == slug)) is None:
            return slug


def _municipality(actor: User, municipality_id: int | None) -> Municipality:
    allowed = {m.id: m for m in municipalities_for(actor)}
    if municipality_id not in allowed:
        raise DomainError(_l("Choose one of your municipalities."), field="municipality_id")
    return allowed[municipality_id]


def _facilitators(municipality: Municipality, ids: list[int]) -> list[User]:
    available = {u.id: u for u in facilitators_for({municipality.id})}
    unknown = [i for i in ids if i not in available]
    if unknown:
        raise DomainError(_l("Choose facilitators who work in this municipality."),
                          field="facilitator_ids")
    return [available[i] for i in dict.fromkeys(ids)]


def _check_text(title: str, description: str, audience: str) -> tuple[str, str, str]:
    title = normalise_line(title)
    if not title:
        raise DomainError(_l("Give the series a title."), field="title")
    return title[:160], clean_html(description).strip(), clean_html(audience).strip()


def _times(data: MeetingInput, prefix: str) -> tuple[datetime, datetime]:
    if data.day is None or data.start is None or data.end is None:
        raise DomainError(_l("Fill in the date, start time and end time."), field=f"{prefix}day")
    starts_at = local_to_utc(data.day, data.start, field=f"{prefix}start")
    ends_at = local_to_utc(data.day, data.end, field=f"{prefix}end")
    if ends_at <= starts_at:
        raise DomainError(_l("The end time must be after the start time."), field=f"{prefix}end")
    return starts_at, ends_at


def _check_capacity(capacity: int | None, field: str) -> int:
    if capacity is None or not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        raise DomainError(_l("Fill in how many people can come: a number from %(min)s to "
                             "%(max)s.", min=CAPACITY_MIN, max=CAPACITY_MAX), field=field)
    return capacity


def _venue(municipality: Municipality, venue_id: int | None, field: str) -> Venue:
    venue = db.session.get(Venue, venue_id) if venue_id else None
    if venue is None or venue.municipality_id != municipality.id or not venue.is_active:
        raise DomainError(_l("Choose a venue in this municipality."), field=field)
    return venue


def _check_order(meetings: list[tuple[datetime, datetime]], prefixes: list[str]) -> None:
    for (previous, current), prefix in zip(zip(meetings, meetings[1:]), prefixes[1:]):
        if current[0] < previous[1]:
            raise DomainError(_l("Each meeting must start after the previous one has ended."),
                              field=f"{prefix}day")


def create_series(actor: User, data: SeriesInput) -> Series:
    """A draft series with four meetings, each with its template's agenda copied in."""
    title, description, audience = _check_text(data.title, data.description, data.audience)
    municipality = _municipality(actor, data.municipality_id)
    facilitators = _facilitators(municipality, data.facilitator_ids)
    if len(data.meetings) != MEETINGS_PER_SERIES:
        raise DomainError(_l("A series has four meetings."), field="meetings")
    prefixes = [f"meetings-{i}-" for i in range(MEETINGS_PER_SERIES)]
    times = [_times(m, p) for m, p in zip(data.meetings, prefixes)]
    _check_order(times, prefixes)
    series = Series(slug=_new_slug(), title=title, description=description, audience=audience,
                    municipality=municipality, created_by=actor, status=SeriesStatus.DRAFT,
                    facilitators=facilitators)
    for number, (meeting_data, (starts_at, ends_at), prefix) in enumerate(
            zip(data.meetings, times, prefixes), start=1):
        meeting = Meeting(
            number=number, starts_at=starts_at, ends_at=ends_at,
            venue=_venue(municipality, meeting_data.venue_id, f"{prefix}venue_id"),
            capacity=_check_capacity(meeting_data.capacity, f"{prefix}capacity"),
            notes=meeting_data.notes.strip())
        template = db.session.get(AgendaTemplate, meeting_data.template_id) \
            if meeting_data.template_id else None
        copy_template_into(meeting, template)
        series.meetings.append(meeting)
    db.session.add(series)
    db.session.flush()
    return series


def update_series(actor: User, series: Series, title: str, description: str, audience: str,
                  facilitator_ids: list[int]) -> None:
    series.title, series.description, series.audience = _check_text(title, description, audience)
    series.facilitators = _facilitators(series.municipality, facilitator_ids)
    db.session.flush()


def update_meeting(actor: User, meeting: Meeting, data: MeetingInput) -> bool:
    """Change time, venue, capacity, notes. Returns whether calendars must hear of it."""
    starts_at, ends_at = _times(data, "")
    siblings = {m.number: m for m in meeting.series.meetings}
    before, after = siblings.get(meeting.number - 1), siblings.get(meeting.number + 1)
    if (before and starts_at < before.ends_at) or (after and ends_at > after.starts_at):
        raise DomainError(_l("Each meeting must start after the previous one has ended, "
                             "and end before the next one starts."), field="day")
    venue = _venue(meeting.series.municipality, data.venue_id, "venue_id")
    capacity = _check_capacity(data.capacity, "capacity")
    changed = (starts_at, ends_at, venue.id) != (meeting.starts_at, meeting.ends_at,
                                                   meeting.venue_id)
    meeting.starts_at, meeting.ends_at, meeting.venue = starts_at, ends_at, venue
    meeting.capacity, meeting.notes = capacity, data.notes.strip()
    if changed:
        meeting.sequence += 1
    db.session.flush()
    return changed


def cancel_meeting(actor: User, meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise InvalidTransition(_l("This meeting is already cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    db.session.flush()


# Status: draft → published → completed, or cancelled ------------------------------------------

def publish_series(actor: User, series: Series) -> None:
    if series.status is not SeriesStatus.DRAFT:
        raise InvalidTransition(_l("Only a draft series can be published."))
    series.status = SeriesStatus.PUBLISHED
    series.published_at = utcnow()
    db.session.flush()


def complete_series(actor: User, series: Series, now: datetime | None = None) -> None:
    if series.status is not SeriesStatus.PUBLISHED:
        raise InvalidTransition(_l("Only a published series can be completed."))
    if series.last_ends_at and series.last_ends_at > (now or utcnow()):
        raise InvalidTransition(_l("The series can be completed after its last meeting."))
    series.status = SeriesStatus.COMPLETED
    db.session.flush()


def cancel_series(actor: User, series: Series) -> None:
    """Every meeting is cancelled too, so subscribed calendars drop them."""
    if series.status not in (SeriesStatus.DRAFT, SeriesStatus.PUBLISHED):
        raise InvalidTransition(_l("This series can no longer be cancelled."))
    series.status = SeriesStatus.CANCELLED
    series.cancelled_at = utcnow()
    for meeting in series.meetings:
        if not meeting.is_cancelled:
            meeting.status = MeetingStatus.CANCELLED
            meeting.sequence += 1
    db.session.flush()


def public_series(slug: str) -> Series:
    """A series as the public sees it: drafts do not exist for them."""
    series = db.session.scalar(
        sa.select(Series).where(Series.slug == slug).options(
            selectinload(Series.meetings).selectinload(Meeting.venue),
            selectinload(Series.municipality)))
    if series is None or not series.is_public:
        raise NotFound()
    return series


# Dashboard ---------------------------------------------------------------------------------

@dataclass
class Attention:
    series: Series
    message: str
    meeting: Meeting | None = None


@dataclass
class Dashboard:
    series: list[Series]
    upcoming: list[Meeting]
    attention: list[Attention]


def dashboard_for(user: User, now: datetime | None = None, limit: int = 20) -> Dashboard:
    """Their series (facilitated by them, or all visible for a coordinator), what comes, what
    needs attention."""
    now = now or utcnow()
    query = visible_series(user).where(
        Series.status.in_([SeriesStatus.DRAFT, SeriesStatus.PUBLISHED]))
    if user.role is Role.FACILITATOR:
        query = query.where(sa.or_(
            Series.created_by_id == user.id,
            Series.id.in_(sa.select(series_facilitators.c.series_id)
                          .where(series_facilitators.c.user_id == user.id))))
    series_list = list(db.session.scalars(query.options(
        selectinload(Series.meetings).selectinload(Meeting.agenda_items),
        selectinload(Series.meetings).selectinload(Meeting.venue),
        selectinload(Series.facilitators)).order_by(Series.id.desc()).limit(limit)))
    upcoming = sorted((m for s in series_list for m in s.meetings
                       if m.ends_at >= now and not m.is_cancelled),
                      key=lambda m: m.starts_at)[:10]
    attention = []
    for series in series_list:
        if series.status is SeriesStatus.DRAFT:
            attention.append(Attention(series, _l("Draft: not public yet.")))
        if series.missing_facilitator_kinds:
            attention.append(Attention(series, missing_pair_message(series)))
        for meeting in series.meetings:
            if meeting.agenda_too_long and not meeting.is_cancelled:
                attention.append(Attention(series, _l(
                    "The agenda of meeting %(number)s is longer than the meeting.",
                    number=meeting.number), meeting))
    return Dashboard(series_list, upcoming, attention)


def missing_pair_message(series: Series):
    missing = set(series.missing_facilitator_kinds)
    if missing == set(FacilitatorKind):
        return _l("This series has no social worker and no experience expert yet.")
    if FacilitatorKind.SOCIAL_WORKER in missing:
        return _l("This series has no social worker yet.")
    return _l("This series has no experience expert yet.")
