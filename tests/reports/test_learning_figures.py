"""The learning figures in the report (values, evaluation response, residents' confirmation,
practices taken up) against a small world counted by hand."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from portal.extensions import db
from portal.learning.models import (SCORE_KEYS, EvaluationResponse, MeetingEvaluation, Practice,
                                    PracticeAdoption, PracticeKind)
from portal.models import utcnow
from portal.registrations.models import Attendance, AttendanceStatus, ParticipantRole
from portal.reports import learning, service
from portal.series.models import SeriesStatus
from portal.wishes.models import Confirmation, Resolution, WishStatus
from tests import factories
from tests.reports.test_reports import YEAR, at, register
from tests.series.factories import create_series, weekly
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)
from tests.wishes.factories import create_wish

S = WishStatus
NO_FIGURES = ["", "", "", "", "", ""]
HIDDEN = ["<5", "<5", "<5", "<5", "<5", "<5"]


def answers(meeting, *columns):
    """One answer per row of `columns`, each column a statement's scores in SCORE_KEYS order."""
    for scores in zip(*columns):
        db.session.add(EvaluationResponse(meeting_id=meeting.id, answered_on=date(2026, 3, 3),
                                          **dict(zip(SCORE_KEYS, scores))))


def same(meeting, count, score):
    answers(meeting, *[[score] * count for _key in SCORE_KEYS])


def present(series, meeting, count):
    for _ in range(count):
        db.session.add(Attendance(registration=register(series, ParticipantRole.RESIDENT),
                                  meeting=meeting, status=AttendanceStatus.PRESENT,
                                  marked_at=utcnow()))


def practice(title, municipality, published_on=date(2026, 1, 15), is_published=True):
    row = Practice(kind=PracticeKind.CHANGE, title=title, summary="Het werkte.",
                   municipality=municipality, is_published=is_published,
                   published_at=at(published_on) if is_published else None)
    db.session.add(row)
    return row


def adopt(row, municipality, on, status=S.NEW, **wish):
    db.session.add(PracticeAdoption(
        practice=row, municipality=municipality, created_at=at(on),
        wish=create_wish(status, municipality=municipality, what=row.title, **wish)))


@pytest.fixture
def learned(world):
    """Lingewaard, Oldenzaal and Utrecht in 2026; the expected figures are in each test."""
    ling, olden = world.municipality, world.other_municipality
    utrecht = factories.create_municipality(name="Utrecht", slug="utrecht")
    world.third_municipality = utrecht
    # Values. Lingewaard 1, meeting 1: six answers (counted); meeting 2: three (left out).
    a = create_series(municipality=ling, times=weekly(date(2026, 3, 3)), title="Lingewaard 1")
    answers(a.meetings[0],
            [5, 5, 4, 4, 3, 5],  # heard: 26 / 6 = 4.3
            [5, 5, 5, 5, 5, 5],  # no judgement: 5.0
            [3, 3, 3, 4, 4, 4],  # understand: 21 / 6 = 3.5
            [2, 3, 4, 5, 1, 1],  # learned: 16 / 6 = 2.7
            [4, 4, 4, 4, 4, 4],  # belong: 4.0
            [1, 2, 3, 4, 5, 5])  # can change: 20 / 6 = 3.3
    same(a.meetings[1], 3, 1)
    # Lingewaard 2, meeting 1: five answers of 2 (counted); meeting 2: four of 5 (left out).
    b = create_series(municipality=ling, times=weekly(date(2026, 9, 1)), title="Lingewaard 2")
    same(b.meetings[0], 5, 2)
    same(b.meetings[1], 4, 5)
    # Oldenzaal 2: three answers only; Oldenzaal 1 (2025) is outside the period.
    d = create_series(municipality=olden, times=weekly(date(2026, 5, 5)), title="Oldenzaal 2")
    same(d.meetings[0], 3, 4)
    old = create_series(municipality=olden, times=weekly(date(2025, 5, 6)),
                        status=SeriesStatus.COMPLETED, title="Oldenzaal 1")
    same(old.meetings[0], 6, 5)
    present(old, old.meetings[0], 6)
    # Response: Lingewaard 8 + 5 + 7 = 20 present, 6 + 3 + 5 + 4 = 18 answers;
    # links 10 + 0 + 6 = 16, paper 2 + 3 + 0 = 5. Oldenzaal: 4 present, 3 answers, 3 links.
    present(a, a.meetings[0], 8)
    present(a, a.meetings[1], 5)
    present(b, b.meetings[0], 7)
    present(d, d.meetings[0], 4)
    for meeting, links, paper in [(a.meetings[0], 10, 2), (a.meetings[1], 0, 3),
                                  (b.meetings[0], 6, 0), (d.meetings[0], 3, 0),
                                  (old.meetings[0], 9, 9)]:
        db.session.add(MeetingEvaluation(meeting=meeting, code=f"code{meeting.id:06d}",
                                         links_sent=links, paper_count=paper))
    # Changed wishes. Lingewaard: 4 changed in 2026 (yes, partly, no, not asked yet);
    # one changed in 2025, one declined and one reopened do not count. Oldenzaal: 1, yes
    # (and the proposed practice below, not asked yet). Utrecht: the proposed coffee.
    org = world.organisation
    changed = dict(municipality=ling, organisation=org)
    create_wish(S.CLOSED, resolved_at=at(date(2026, 4, 1)), confirmed_yes=3,
                confirmation=Confirmation.YES, **changed)
    create_wish(S.CHANGED, resolved_at=at(date(2026, 5, 1)), confirmed_yes=1, confirmed_no=1,
                confirmation=Confirmation.PARTLY, **changed)
    create_wish(S.CHANGED, resolved_at=at(date(2026, 6, 1)), confirmed_no=2,
                confirmation=Confirmation.NO, **changed)
    create_wish(S.CHANGED, resolved_at=at(date(2026, 6, 2)), **changed)
    create_wish(S.CLOSED, resolved_at=at(date(2025, 12, 1)), confirmed_yes=1,
                confirmation=Confirmation.YES, **changed)
    create_wish(S.CLOSED, resolution=Resolution.DECLINED, resolved_at=at(date(2026, 6, 3)),
                **changed)
    create_wish(S.ROUTED, **changed)
    create_wish(S.CHANGED, municipality=olden, organisation=world.other_organisation,
                resolved_at=at(date(2026, 7, 1)), confirmed_yes=2,
                confirmation=Confirmation.YES)
    # Practices. "Geen brieven op vrijdag" (Lingewaard): proposed in Oldenzaal twice (one
    # changed) and in Utrecht (not yet): 2 municipalities, changed in 1.
    letters = practice("Geen brieven op vrijdag", ling)
    adopt(letters, olden, date(2026, 3, 1), S.CHANGED, organisation=world.other_organisation,
          resolved_at=at(date(2026, 4, 1)))
    adopt(letters, olden, date(2026, 5, 1))
    adopt(letters, utrecht, date(2026, 3, 2), S.ROUTED, organisation=world.other_organisation)
    # "Koffie vooraf" (Oldenzaal): proposed in Utrecht, closed as changed.
    coffee = practice("Koffie vooraf", olden)
    adopt(coffee, utrecht, date(2026, 6, 1), S.CLOSED, organisation=world.other_organisation,
          resolved_at=at(date(2026, 7, 1)))
    # "Vragenlijst in gewone taal" (Utrecht): proposed in Lingewaard, still new.
    questions = practice("Vragenlijst in gewone taal", utrecht)
    adopt(questions, ling, date(2026, 8, 1))
    # "Warme overdracht" (Utrecht): proposed in Lingewaard in 2025 only: 0 in the period.
    handover = practice("Warme overdracht", utrecht, published_on=date(2025, 1, 1))
    adopt(handover, ling, date(2025, 11, 1))
    # A draft that was proposed does not show.
    draft = practice("Concept", olden, is_published=False)
    adopt(draft, ling, date(2026, 3, 1))
    db.session.commit()
    return world


def _filters(world, *municipalities):
    return service.Filters(tuple(municipalities or (world.municipality, world.other_municipality,
                                                    world.third_municipality)),
                           date(2026, 1, 1), date(2026, 12, 31))


def _rows(table):
    return {str(row[0]): row[1:] for row in table.rows}


def test_values_per_municipality_count_only_meetings_with_five_answers(learned):
    table = learning.values_by_municipality(_filters(learned))
    assert [str(c) for c in table.columns] == [
        "Gemeente", "Antwoorden meegeteld", "Ik voelde me gehoord.",
        "Niemand had een oordeel over mij.", "Ik begrijp de anderen nu beter.",
        "Ik heb iets geleerd van iemand met een ander leven dan ik.",
        "Ik hoor bij deze groep.", "Ik kan helpen om iets te veranderen."]
    # Lingewaard: 6 + 5 answers; heard (26 + 10) / 11 = 3.3, no judgement 40 / 11 = 3.6,
    # understand 31 / 11 = 2.8, learned 26 / 11 = 2.4, belong 34 / 11 = 3.1, can change
    # 30 / 11 = 2.7. The 3 + 4 answers of the small meetings are left out.
    assert _rows(table) == {
        "Lingewaard": [11, 3.3, 3.6, 2.8, 2.4, 3.1, 2.7],
        "Oldenzaal": [0, *HIDDEN],  # only a meeting with 3 answers
        "Utrecht": [0, *NO_FIGURES],  # no answers at all
    }
    assert "5" in str(table.note)


def test_values_per_series(learned):
    table = learning.values_by_series(_filters(learned))
    assert [row for row in table.rows] == [
        ["Lingewaard 1", "Lingewaard", 6, 4.3, 5.0, 3.5, 2.7, 4.0, 3.3],
        ["Lingewaard 2", "Lingewaard", 5, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
        ["Oldenzaal 2", "Oldenzaal", 0, *HIDDEN],
    ]


def test_evaluation_response(learned):
    table = learning.evaluation_response(_filters(learned))
    # Lingewaard: 18 answers of 20 present = 90%. Oldenzaal: all small numbers hidden.
    assert _rows(table) == {"Lingewaard": [20, 18, 90, 16, 5],
                            "Oldenzaal": ["<5", "<5", "<5", "<5", 0],
                            "Utrecht": [0, 0, "", 0, 0]}
    assert table.chart_value == 3


def test_changed_wishes_confirmed_by_residents(learned):
    table = learning.changed_wishes_confirmed(_filters(learned))
    assert [str(c) for c in table.columns][1:] == [
        "Wensen veranderd", "Inwoners antwoordden", "Bevestigd door inwoners",
        "Deels bevestigd door inwoners", "Inwoners zeggen dat het niet veranderd is",
        "Bevestigd (%)"]
    # Wish figures are shown whole: 1 of 4 confirmed = 25%; 1 of 2 = 50%.
    assert _rows(table) == {"Lingewaard": [4, 3, 1, 1, 1, 25],
                            "Oldenzaal": [2, 1, 1, 0, 0, 50],
                            "Utrecht": [1, 0, 0, 0, 0, 0]}
    nothing = learning.changed_wishes_confirmed(service.Filters(
        (learned.third_municipality,), date(2026, 1, 1), date(2026, 3, 31)))
    assert nothing.rows == [["Utrecht", 0, 0, 0, 0, 0, ""]]


def test_practices_taken_up(learned):
    table = learning.practices_taken_up(_filters(learned))
    assert table.rows == [["Geen brieven op vrijdag", "Lingewaard", 2, 1],
                          ["Koffie vooraf", "Oldenzaal", 1, 1],
                          ["Vragenlijst in gewone taal", "Utrecht", 1, 0],
                          ["Warme overdracht", "Utrecht", 0, 0]]
    # A facilitator's municipality: its own practices and those proposed there in the period.
    own = learning.practices_taken_up(_filters(learned, learned.municipality))
    assert own.rows == [["Geen brieven op vrijdag", "Lingewaard", 2, 1],
                        ["Vragenlijst in gewone taal", "Utrecht", 1, 0]]


def test_one_municipality_shows_only_its_own_rows(learned):
    filters = _filters(learned, learned.municipality)
    for table in learning.tables(filters):
        if table.key != "wat-werkt-overgenomen":
            assert {str(v) for row in table.rows for v in row[:2]} & {
                "Oldenzaal", "Utrecht", "Oldenzaal 2"} == set(), table.key


def test_a_fixed_number_of_queries(learned, count_queries):
    filters = _filters(learned)
    with count_queries() as before:
        learning.tables(filters)
    more = create_series(municipality=learned.other_municipality,
                         times=weekly(date(2026, 10, 6)), title="Oldenzaal 3")
    same(more.meetings[0], 5, 3)
    adopt(practice("Nog een", learned.other_municipality), learned.municipality,
          date(2026, 10, 1))
    db.session.commit()
    with count_queries() as after:
        tables = learning.tables(filters)
    assert len(after) == len(before)
    assert len(tables[1].rows) == 4 and len(tables[4].rows) == 5


def _csv(client, key, **query):
    response = client.get(f"/begeleiding/rapportages/{key}.csv", query_string=YEAR | query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))


def test_page_and_csv_for_coordinators(learned, client, login_as):
    login_as(learned.coordinator)
    response = client.get("/begeleiding/rapportages/", query_string=YEAR)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for title in ("Waarden per gemeente", "Waarden per reeks", "Respons op de evaluatie",
                  "Veranderde wensen bevestigd door inwoners",
                  "Praktijken overgenomen door andere gemeenten"):
        assert f"<caption class=\"portal-visually-hidden\">{title}</caption>" in page
    assert 'id="waarden-gemeente"' in page and "Alleen ontmoetingen met minstens 5" in page
    assert '<th class="utrecht-table__header-cell" scope="col">Ik voelde me gehoord.</th>' in page
    lingewaard_1 = page.split('scope="row">Lingewaard 1</th>')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in lingewaard_1.split('numeric">')[1:]] == [
        "Lingewaard", "6", "4,3", "5,0", "3,5", "2,7", "4,0", "3,3"]  # Dutch decimals
    assert 'role="img"' in page and "style=" not in page
    assert _csv(client, "waarden-gemeente")[1] == ["Lingewaard", "11", "3.3", "3.6", "2.8",
                                                    "2.4", "3.1", "2.7"]
    assert _csv(client, "waarden-reeks")[3] == ["Oldenzaal 2", "Oldenzaal", "0", *HIDDEN]
    assert _csv(client, "respons-evaluatie")[1:3] == [["Lingewaard", "20", "18", "90", "16", "5"],
                                                      ["Oldenzaal", "<5", "<5", "<5", "<5", "0"]]
    assert _csv(client, "bevestigd-door-inwoners")[1] == ["Lingewaard", "4", "3", "1", "1", "1",
                                                          "25"]
    assert _csv(client, "wat-werkt-overgenomen")[1] == ["Geen brieven op vrijdag", "Lingewaard",
                                                        "2", "1"]


def test_facilitators_see_only_their_own_municipality(learned, client, login_as):
    login_as(learned.facilitator)
    page = client.get("/begeleiding/rapportages/", query_string=YEAR).get_data(as_text=True)
    assert "Waarden per gemeente" in page and "Vragenlijst in gewone taal" in page
    assert "Oldenzaal" not in page and "Koffie vooraf" not in page
    for key in ("waarden-gemeente", "waarden-reeks", "respons-evaluatie",
                "bevestigd-door-inwoners"):
        rows = _csv(client, key)
        assert {row[0] for row in rows[1:]} <= {"Lingewaard", "Lingewaard 1", "Lingewaard 2"}
        assert len(rows) > 1
    assert _csv(client, "wat-werkt-overgenomen")[1:] == [
        ["Geen brieven op vrijdag", "Lingewaard", "2", "1"],
        ["Vragenlijst in gewone taal", "Utrecht", "1", "0"]]
    other = learned.other_municipality.id
    assert client.get("/begeleiding/rapportages/waarden-gemeente.csv",
                      query_string={"gemeente": other}).status_code == 404
