"""A participant answers anonymously: through the meeting's QR code or a personal link, once."""
from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import (
    EvaluationRemark,
    EvaluationResponse,
    EvaluationToken,
    RemarkQuestion,
)
from tests.learning.conftest import ALL_FOURS


def _count(app, model=EvaluationResponse) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_form_shows_six_statements_as_faces_with_words_in_plain_dutch(
        client, learning_series, qr_url):
    series = learning_series()
    page = client.get(qr_url(series.meetings[0]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hoe was ontmoeting 1?" in html
    for statement in ("Ik voelde me gehoord.", "Niemand had een oordeel over mij.",
                      "Ik begrijp de anderen nu beter.",
                      "Ik heb iets geleerd van iemand met een ander leven dan ik.",
                      "Ik hoor bij deze groep.", "Ik kan helpen om iets te veranderen."):
        assert statement in html
    for word in ("Nee, helemaal niet", "Niet echt", "Een beetje", "Ja, heel erg"):
        assert word in html
    assert html.count('type="radio"') == 30
    assert html.count("<svg") >= 30 and 'aria-hidden="true"' in html
    assert "Wat viel je vandaag op?" in html
    assert "Wat moet er anders aan hoe we elkaar ontmoeten?" not in html  # not the closing one
    assert "<script" not in html  # works without JavaScript


def test_english_speakers_get_the_same_questions_in_english(client, learning_series, qr_url):
    series = learning_series()
    client.set_cookie("lang", "en")
    html = client.get(qr_url(series.meetings[0])).get_data(as_text=True)
    assert "I felt heard." in html and "Yes, very much" in html
    assert "What struck you today?" in html


def test_the_closing_evaluation_after_meeting_4_asks_what_should_change(
        client, app, learning_series, qr_url, answer):
    series = learning_series(weeks_before=3)  # meeting 4 started an hour ago
    url = qr_url(series.meetings[3])
    assert "Wat moet er anders aan hoe we elkaar ontmoeten?" in client.get(url).get_data(
        as_text=True)
    answer(url, struck="De koffie was goed.", change="Vaker in kleine groepjes.")
    with app.app_context():
        remarks = {r.question: r.text for r in db.session.scalars(sa.select(EvaluationRemark))}
    assert remarks == {RemarkQuestion.STRUCK: "De koffie was goed.",
                       RemarkQuestion.CHANGE: "Vaker in kleine groepjes."}


def test_qr_answer_is_stored_once_per_browser(client, app, learning_series, qr_url, answer):
    series = learning_series()
    url = qr_url(series.meetings[0])
    response = answer(url, heard="5", struck="Ik werd gehoord.")
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dank je wel!" in thanks
    assert _count(app) == 1

    again = client.get(url).get_data(as_text=True)
    assert "Je hebt de vragen al ingevuld" in again
    assert 'type="radio"' not in again
    # A second post from the same browser (with a token from the login page) is not counted.
    client.post_form(url, {"heard": "4"}, token_from="/account/inloggen")
    assert _count(app) == 1


def test_a_forged_guard_cookie_is_ignored(client, learning_series, qr_url):
    series = learning_series()
    client.set_cookie("evaluated", "WzFd.forged", path="/evaluatie")
    assert 'type="radio"' in client.get(qr_url(series.meetings[0])).get_data(as_text=True)


def test_personal_link_works_once_and_then_says_so_clearly(
        client, app, learning_series, personal_links, answer):
    series = learning_series()
    first, second = personal_links(series.meetings[0], ["a@example.org", "b@example.org"])
    assert first != second
    assert _count(app, EvaluationToken) == 2

    assert answer(first).status_code == 302
    assert _count(app) == 1 and _count(app, EvaluationToken) == 1

    used = client.get(first)
    assert used.status_code == 404
    assert "Deze link werkt niet (meer)" in used.get_data(as_text=True)
    # Posting again (a form kept open in another tab) changes nothing.
    assert client.post_form(first, dict(ALL_FOURS), token_from="/account/inloggen"
                            ).status_code == 404
    assert _count(app) == 1

    # The other person's link still works, even from the same browser.
    assert answer(second).status_code == 302
    assert _count(app) == 2


def test_forged_tokens_and_codes_answer_404_with_a_message(client, learning_series):
    learning_series()
    for url in ("/evaluatie/persoonlijk/" + "A" * 32, "/evaluatie/persoonlijk/x",
                "/evaluatie/persoonlijk/" + "%00" * 20, "/evaluatie/abcdefghjk",
                "/evaluatie/" + "z" * 300, "/evaluatie/persoonlijk/<script>"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        if response.status_code == 404:
            assert "Deze link werkt niet" in response.get_data(as_text=True)


def test_evaluation_is_closed_before_the_meeting_and_days_after(
        client, learning_series, qr_url, personal_links):
    series = learning_series()
    future = series.meetings[1]  # next week
    html = client.get(qr_url(future)).get_data(as_text=True)
    assert "De vragen zijn nu niet open" in html and 'type="radio"' not in html
    [link] = personal_links(future, ["a@example.org"])
    assert "De vragen zijn nu niet open" in client.get(link).get_data(as_text=True)

    old = learning_series(weeks_before=1)  # its meeting 1 was a week ago: QR closed, link open
    assert "De vragen zijn nu niet open" in client.get(qr_url(old.meetings[0])).get_data(
        as_text=True)
    [link] = personal_links(old.meetings[0], ["a@example.org"])
    assert 'type="radio"' in client.get(link).get_data(as_text=True)


def test_personal_link_mail_is_plain_and_per_person(app, learning_series, personal_links,
                                                    outbox):
    series = learning_series()
    links = personal_links(series.meetings[0], ["a@example.org", "A@example.org", "nonsense",
                                                "b@example.org"])
    assert len(links) == 2  # duplicates and non-addresses are left out
    mails = outbox()
    assert {m.to_address for m in mails} == {"a@example.org", "b@example.org"}
    assert "Hoe was ontmoeting 1?" in mails[0].subject
    assert "alleen voor jou en werkt één keer" in mails[0].text_body
    with app.app_context():
        from portal.learning.models import MeetingEvaluation

        assert db.session.scalar(sa.select(MeetingEvaluation.links_sent)) == 2


def test_unused_links_are_purged_once_their_window_has_closed(app, learning_series,
                                                              personal_links):
    from portal.retention import purge

    recent = learning_series()
    old = learning_series(weeks_before=6)
    personal_links(recent.meetings[0], ["a@example.org"])
    personal_links(old.meetings[0], ["a@example.org"])
    with app.app_context():
        assert "1 unused evaluation links" in purge()
        db.session.commit()
        assert [t.meeting_id for t in db.session.scalars(sa.select(EvaluationToken))] == [
            recent.meetings[0].id]
