"""Facilitators see results per meeting and per series, only from 5 answers on, only for their
own municipality; open answers after moderation; paper answers only as a total."""
from __future__ import annotations

import re

import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import EvaluationRemark, RemarkQuestion, RemarkStatus
from tests.learning.conftest import ALL_FOURS, add_responses

TOO_FEW = "Nog geen uitkomsten. We laten pas iets zien als minstens 5 mensen"


def _meeting_page(client, meeting_id):
    return client.get(f"/reeksen/ontmoetingen/{meeting_id}/evaluatie")


def test_nothing_is_shown_below_five_answers_then_the_distribution(
        client, login_as, learning_series, qr_url, answer, app):
    series = learning_series()
    meeting_id = series.meetings[0].id
    url = qr_url(series.meetings[0])
    facilitator = series.facilitators[0]
    for n in range(4):
        client.delete_cookie("evaluated", path="/evaluatie")
        answer(url, heard=str(n + 2), struck=f"Opvallend nummer {n}")
    login_as(facilitator)
    html = _meeting_page(client, meeting_id).get_data(as_text=True)
    assert TOO_FEW in html
    assert "Opvallend nummer" not in html  # not even the open answers
    assert "mensen hebben de vragen ingevuld" not in html  # nor the number
    assert "portal-w-" not in html

    client.delete_cookie("evaluated", path="/evaluatie")
    answer(url, heard="5")
    html = _meeting_page(client, meeting_id).get_data(as_text=True)
    assert TOO_FEW not in html
    assert "5 mensen hebben de vragen ingevuld." in html
    assert "Ik voelde me gehoord." in html
    # heard: 2, 3, 4, 5, 5 → 40% said 5, 20% each other; bars use width classes, no style=.
    assert "portal-w-40" in html and "portal-w-20" in html
    assert "style=" not in html
    assert "Gemiddeld: 3,8 van 5. Zei ja (4 of 5): 60%." in html
    assert "Opvallend nummer 0" in html  # open answers can now be read for moderation


def test_results_of_another_municipality_are_404(client, login_as, learning_series):
    series = learning_series()
    login_as("facilitator")  # of a municipality of its own
    meeting_id = series.meetings[0].id
    for url in (f"/reeksen/ontmoetingen/{meeting_id}/evaluatie",
                f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/qr",
                f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/qr.svg",
                f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/papier",
                f"/reeksen/ontmoetingen/{meeting_id}/reflectie",
                f"/reeksen/{series.id}/evaluatie",
                "/reeksen/ontmoetingen/999999/evaluatie"):
        assert client.get(url).status_code == 404, url


def test_organisation_members_and_visitors_cannot_see_results(client, login_as, learning_series):
    series = learning_series()
    url = f"/reeksen/ontmoetingen/{series.meetings[0].id}/evaluatie"
    assert client.get(url).status_code == 302  # to the login page
    login_as("organisation_member")
    assert client.get(url).status_code == 403


def test_coordinators_see_every_municipality(client, login_as, learning_series):
    series = learning_series()
    login_as("coordinator")
    assert _meeting_page(client, series.meetings[0].id).status_code == 200


def test_qr_page_shows_a_big_qr_code_for_the_meeting_link(client, login_as, learning_series):
    series = learning_series()
    login_as(series.facilitators[0])
    meeting_id = series.meetings[0].id
    html = client.get(f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/qr").get_data(as_text=True)
    link = re.search(r"http://localhost/evaluatie/([a-z0-9]+)", html)
    assert link and "Scan de code met de camera van je telefoon" in html
    svg = client.get(f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    # The code is stable: the QR on the screen and the page agree.
    again = client.get(f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/qr").get_data(as_text=True)
    assert link.group(0) in again
    assert client.get(link.group(0).replace("http://localhost", "")).status_code == 200


def test_moderation_shows_or_hides_open_answers(client, app, login_as, learning_series, qr_url,
                                                answer):
    series = learning_series()
    url = qr_url(series.meetings[0])
    for text in ("Goed geluisterd.", "Jan van nummer 12 praatte te veel.", "Fijne sfeer.",
                 "", ""):
        client.delete_cookie("evaluated", path="/evaluatie")
        answer(url, struck=text)
    login_as(series.facilitators[1])
    with app.app_context():
        ids = {r.text: r.id for r in db.session.scalars(sa.select(EvaluationRemark))}
    base = f"/reeksen/ontmoetingen/{series.meetings[0].id}/evaluatie"
    client.post_form(f"/reeksen/evaluatie/opmerkingen/{ids['Goed geluisterd.']}/tonen", {},
                     token_from=base)
    client.post_form(
        f"/reeksen/evaluatie/opmerkingen/{ids['Jan van nummer 12 praatte te veel.']}/verbergen",
        {}, token_from=base)
    series_page = client.get(f"/reeksen/{series.id}/evaluatie").get_data(as_text=True)
    assert "Goed geluisterd." in series_page
    assert "Jan van nummer 12" not in series_page  # hidden
    assert "Fijne sfeer." not in series_page  # not read yet
    with app.app_context():
        statuses = {r.text: r.status for r in db.session.scalars(sa.select(EvaluationRemark))}
    assert statuses["Jan van nummer 12 praatte te veel."] is RemarkStatus.HIDDEN
    # A remark id that does not exist, or of another municipality, is a 404.
    assert client.post_form("/reeksen/evaluatie/opmerkingen/nope/tonen", {},
                            token_from=base).status_code == 404


def test_moderating_a_foreign_remark_is_404(client, app, login_as, learning_series):
    series = learning_series()
    with app.app_context():
        from datetime import date

        remark = EvaluationRemark(meeting_id=series.meetings[0].id, answered_on=date.today(),
                                  question=RemarkQuestion.STRUCK, text="Geheim")
        db.session.add(remark)
        db.session.commit()
        remark_id = remark.id
    login_as("facilitator")  # of another municipality
    response = client.post_form(f"/reeksen/evaluatie/opmerkingen/{remark_id}/tonen", {},
                                token_from="/reeksen/")
    assert response.status_code == 404


def test_paper_forms_count_only_in_total(client, app, login_as, learning_series, qr_url, answer):
    series = learning_series()
    meeting_id = series.meetings[0].id
    url = qr_url(series.meetings[0])
    login_as(series.facilitators[0])
    paper = f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/papier"
    for _ in range(2):
        response = client.post_form(paper, {**ALL_FOURS, "struck": "Van papier"})
        assert response.status_code == 302
    assert "Het papieren formulier is opgeslagen" in client.get(paper).get_data(as_text=True)
    bad = client.post_form(paper, {**ALL_FOURS, "heard": "6", "struck": "blijft staan"})
    assert bad.status_code == 422 and "blijft staan" in bad.get_data(as_text=True)
    for _ in range(3):
        client.delete_cookie("evaluated", path="/evaluatie")
        answer(url)
    html = _meeting_page(client, meeting_id).get_data(as_text=True)
    assert "5 mensen hebben de vragen ingevuld. Daarvan 2 op papier." in html
    # Per answer nothing says "paper": the rows of both channels look alike.
    with app.app_context():
        from portal.learning.models import EvaluationResponse

        columns = set(EvaluationResponse.__table__.c.keys())
    assert not {"channel", "source", "is_paper", "paper"} & columns


def test_series_trend_and_totals_leave_out_meetings_below_five(client, app, login_as,
                                                                learning_series):
    series = learning_series(weeks_before=3)
    ids = [m.id for m in series.meetings]
    with app.app_context():
        add_responses(ids[0], 6, score=3)
        add_responses(ids[1], 3, score=1)  # too few: must not leak through the totals
        add_responses(ids[2], 5, score=5)
        db.session.commit()
    login_as(series.facilitators[0])
    html = client.get(f"/reeksen/{series.id}/evaluatie").get_data(as_text=True)
    assert "Over de vier ontmoetingen" in html
    trend = html[html.index("portal-trend"):html.index("</table>", html.index("portal-trend"))]
    assert "minder dan 5" in trend
    # Meeting 1: all 3s → nobody said yes; meeting 3: all 5s.
    assert 'share">0%</span> <span class="portal-trend__average">(3,0)' in trend
    assert 'share">100%</span> <span class="portal-trend__average">(5,0)' in trend
    assert "11 antwoorden uit ontmoetingen met minstens 5 antwoorden." in html
    # Meeting 2's three 1s are nowhere: no "Nee, helemaal niet" count above zero in the totals.
    totals = html[html.index("Alle ontmoetingen samen"):]
    assert not re.search(r"Nee, helemaal niet</th>\s*<td[^>]*>[1-9]", totals)


def test_result_pages_load_in_a_fixed_number_of_queries(client, app, login_as, learning_series,
                                                         count_queries):
    series = learning_series(weeks_before=3)
    login_as(series.facilitators[0])
    counts = []
    for extra in (0, 20):
        with app.app_context():
            for meeting in series.meetings:
                add_responses(meeting.id, extra)
            db.session.commit()
        with count_queries() as statements:
            assert client.get(f"/reeksen/{series.id}/evaluatie").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
