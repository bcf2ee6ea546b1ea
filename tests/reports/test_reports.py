"""Report figures against a small world counted by hand, including the under-5 rule."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timezone

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.registrations.models import (Attendance, AttendanceStatus, ParticipantRole,
                                         Registration, RegistrationStatus)
from portal.reports import service
from portal.reports.suppression import shown
from portal.series.models import SeriesStatus
from portal.stories.models import StoryKind, StoryStatus
from portal.wishes.models import ActorKind, WishEvent, WishStatus
from tests.series.factories import create_series, weekly
from tests.stories.factories import create_story
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)
from tests.wishes.factories import create_wish

S = WishStatus
YEAR = {"van": "2026-01-01", "tot": "2026-12-31"}


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), timezone.utc)


def register(series, role, status=RegistrationStatus.CONFIRMED, n=[0]):
    n[0] += 1
    registration = Registration(
        series=series, display_name=f"Deelnemer {n[0]}", role=role, consent_version="1",
        consent_given_at=utcnow(), status=status,
        seat_number=n[0] if status is RegistrationStatus.CONFIRMED else None,
        queue_number=n[0] if status is RegistrationStatus.WAITING else None)
    db.session.add(registration)
    return registration


@pytest.fixture
def counted(world):
    """The world, counted by hand (see the expected values in each test)."""
    ling, olden = world.municipality, world.other_municipality
    # Lingewaard: one published series in March 2026, and a draft that does not count.
    a = create_series(municipality=ling, times=weekly(date(2026, 3, 3)), title="Lingewaard 1")
    create_series(municipality=ling, times=weekly(date(2026, 3, 4)), status=SeriesStatus.DRAFT,
                  title="Concept")
    # Oldenzaal: one in May 2026, and a completed one in 2025 (outside the period).
    d = create_series(municipality=olden, times=weekly(date(2026, 5, 5)), title="Oldenzaal 2")
    create_series(municipality=olden, times=weekly(date(2025, 5, 6)),
                  status=SeriesStatus.COMPLETED, title="Oldenzaal 1")
    residents = [register(a, ParticipantRole.RESIDENT) for _ in range(6)]
    volunteers = [register(a, ParticipantRole.VOLUNTEER) for _ in range(2)]
    register(a, ParticipantRole.PROFESSIONAL)
    register(a, ParticipantRole.RESIDENT, RegistrationStatus.CANCELLED)
    register(a, ParticipantRole.VOLUNTEER, RegistrationStatus.WAITING)
    for _ in range(5):
        register(d, ParticipantRole.RESIDENT)
    db.session.flush()
    first, second = a.meetings[0], a.meetings[1]
    for person in residents[:5]:
        db.session.add(Attendance(registration=person, meeting=first,
                                  status=AttendanceStatus.PRESENT, marked_at=utcnow()))
    db.session.add(Attendance(registration=residents[5], meeting=first,
                              status=AttendanceStatus.ABSENT, marked_at=utcnow()))
    for person in residents[:2] + volunteers[:1]:
        db.session.add(Attendance(registration=person, meeting=second,
                                  status=AttendanceStatus.PRESENT, marked_at=utcnow()))
    # Stories: Lingewaard 5 stories + 1 struggle (+1 withdrawn), Oldenzaal 2 eye-openers.
    stories = [create_story(ling)[0] for _ in range(5)]
    stories.append(create_story(ling, kind=StoryKind.STRUGGLE)[0])
    withdrawn = create_story(ling)[0]
    withdrawn.status = StoryStatus.WITHDRAWN
    stories += [create_story(olden, kind=StoryKind.EYE_OPENER)[0] for _ in range(2)]
    for story in stories + [withdrawn]:
        story.submitted_on = date(2026, 6, 1)
    # Wishes, all routed on Monday 1 June 2026 (target: 15 June).
    org = world.organisation
    routed = dict(municipality=ling, organisation=org, routed_at=at(date(2026, 6, 1)),
                  acknowledge_due_on=date(2026, 6, 15), created_at=at(date(2026, 5, 30)))
    on_time = create_wish(S.CLOSED, acknowledged_at=at(date(2026, 6, 3)), **routed)
    create_wish(S.IN_PROGRESS, acknowledged_at=at(date(2026, 6, 22)), **routed)
    create_wish(S.ROUTED, **routed)
    create_wish(S.NEW, municipality=olden, created_at=at(date(2026, 7, 1)))
    create_wish(S.MERGED, municipality=olden, created_at=at(date(2026, 7, 1)))
    db.session.add(WishEvent(wish=on_time, at=at(date(2026, 6, 10)), actor_kind=ActorKind.USER,
                             action="close", from_status=S.CHANGED, to_status=S.CLOSED))
    db.session.commit()
    return world


def _filters(world, *municipalities):
    return service.Filters(tuple(municipalities or (world.municipality,
                                                    world.other_municipality)),
                           date(2026, 1, 1), date(2026, 12, 31))


def _rows(table):
    return {str(row[0]): row[1:] for row in table.rows}


@pytest.mark.parametrize("count, expected", [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (12, 12),
                                             (None, 0)])
def test_the_under_5_rule(count, expected):
    assert shown(count) == expected


def test_series_and_participants(counted):
    filters = _filters(counted)
    assert _rows(service.series_held(filters)) == {"Lingewaard": [1, 4], "Oldenzaal": [1, 4]}
    roles = _rows(service.participants_by_role(filters))
    assert roles == {"Inwoner": [6, 5, 11], "Vrijwilliger": ["<5", 0, "<5"],
                     "Professional": ["<5", 0, "<5"], "Beleidsmaker": [0, 0, 0],
                     "Anders": [0, 0, 0]}


def test_attendance_per_meeting(counted):
    table = service.attendance_per_meeting(_filters(counted, counted.municipality))
    assert [row[2:] for row in table.rows[:2]] == [[1, "2026-03-03", 5, "<5"],
                                                   [2, "2026-03-10", "<5", 0]]
    assert len(table.rows) == 4


def test_stories_by_kind(counted):
    kinds = _rows(service.stories_by_kind(_filters(counted)))
    assert kinds["Verhaal"] == [5, 0, 5]
    assert kinds["Worsteling"] == ["<5", 0, "<5"]
    assert kinds["Eyeopener"] == [0, "<5", "<5"]


def test_wishes_and_response_times(counted):
    filters = _filters(counted)
    statuses = _rows(service.wishes_by_status(filters))
    assert statuses["Afgesloten"] == [1, 0, 1] and statuses["Mee bezig"] == [1, 0, 1]
    assert statuses["Nieuw"] == [0, 1, 1] and "Samengevoegd" not in statuses
    assert _rows(service.wishes_by_organisation(filters)) == {
        "Woonstichting Betuwe Thuis": [3, 0, 3]}
    # Acknowledged after 2 and 15 working days; one never, past its target: 1 of 3 on time.
    # Closed after 7 working days (2 June up to 10 June).
    assert _rows(service.response_times(filters)) == {
        "Woonstichting Betuwe Thuis": [8.5, 7, 33]}


def test_municipalities_side_by_side(counted):
    rows = _rows(service.report(_filters(counted))[0])
    assert rows["Reeksen gehouden"] == [1, 1]
    assert rows["Deelnemers"] == [9, 5]
    assert rows["Verhalen"] == [6, "<5"]
    assert rows["Wensen"] == [3, 1]
    assert rows["Wensen die iets veranderden"] == [1, 0]


def test_working_days_skip_weekends_and_holidays():
    assert service.working_days_between(date(2026, 6, 1), date(2026, 6, 3)) == 2
    # Friday 24 April to Tuesday 28 April 2026: Monday 27 April is Koningsdag.
    assert service.working_days_between(date(2026, 4, 24), date(2026, 4, 28)) == 1


def test_page_shows_tables_charts_and_the_suppressed_numbers(counted, client, login_as):
    login_as(counted.coordinator)
    response = client.get("/begeleiding/rapportages/", query_string=YEAR)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Deelnemers per rol" in page and "&lt;5" in page
    assert page.count("<svg") >= 5 and 'role="img"' in page
    assert "style=" not in page
    assert 'fill="url(#chart-deelnemers-hatch)"' in page


def test_facilitators_see_their_own_municipalities_only(counted, client, login_as):
    login_as(counted.facilitator)
    page = client.get("/begeleiding/rapportages/", query_string=YEAR).get_data(as_text=True)
    assert "Lingewaard" in page and "Oldenzaal" not in page
    other = counted.other_municipality.id
    assert client.get("/begeleiding/rapportages/",
                      query_string={"gemeente": other}).status_code == 404
    assert client.get("/begeleiding/rapportages/reeksen.csv",
                      query_string={"gemeente": other}).status_code == 404
    rows = list(csv.reader(io.StringIO(client.get(
        "/begeleiding/rapportages/wensen-met-tijdlijn.csv",
        query_string=YEAR).get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert {row[3] for row in rows[1:]} == {"Lingewaard"}


def test_organisation_members_cannot_open_reports(world, client, login_as):
    login_as(world.member)
    assert client.get("/begeleiding/rapportages/").status_code == 403


@pytest.mark.parametrize("query", [{"van": "gisteren"}, {"van": "2026-12-01", "tot": "2026-01-01"},
                                   {"gemeente": "abc"}, {"van": "\x00"}])
def test_bad_filters_never_give_a_500(world, client, login_as, query):
    login_as(world.coordinator)
    assert client.get("/begeleiding/rapportages/", query_string=query).status_code in (
        400, 404, 422)


def test_every_table_exports_as_csv_with_the_same_numbers(counted, client, login_as):
    login_as(counted.coordinator)
    for table in service.report(_filters(counted)):
        response = client.get(f"/begeleiding/rapportages/{table.key}.csv", query_string=YEAR)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert rows[0] == [str(c) for c in table.columns]
        assert rows[1:] == [[str(v) for v in row] for row in table.rows]
    assert client.get("/begeleiding/rapportages/nope.csv").status_code == 404


def test_wish_export_streams_thousands_of_timeline_rows(world, client, login_as):
    wish = create_wish(S.ROUTED, municipality=world.municipality,
                       organisation=world.organisation, what="=SUM(A1:A9) brieven")
    db.session.execute(sa.insert(WishEvent), [
        {"wish_id": wish.id, "at": utcnow(), "actor_kind": "user", "action": "answer",
         "from_status": "in_progress", "to_status": "in_progress", "note": f"Stap {i}",
         "detail": ""} for i in range(3000)])
    db.session.commit()
    login_as(world.coordinator)
    response = client.get("/begeleiding/rapportages/wensen-met-tijdlijn.csv")
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) > 10  # written a batch at a time, not built whole
    rows = list(csv.reader(io.StringIO("".join(
        c.decode() if isinstance(c, bytes) else c for c in chunks).lstrip("\ufeff")),
        delimiter=";"))
    assert len(rows) == 3001
    assert rows[1][1] == "'=SUM(A1:A9) brieven"
    assert rows[0][:3] == ["Wens", "Wat er moet veranderen", "Status nu"]
