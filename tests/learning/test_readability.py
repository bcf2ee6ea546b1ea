"""B1 readability advice: known texts give known scores and flags; advice shows on the series
and invitation forms without JavaScript (a check button) and through the JSON endpoint."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.learning.plain_words import PLAIN_WORDS
from portal.learning.readability import analyse

OFFICIAL = (
    "Middels dit schrijven verzoeken wij u vriendelijk doch dringend om teneinde de afhandeling "
    "van uw aanvraag inzake de bijzondere bijstand te bespoedigen de benodigde bewijsstukken "
    "uiterlijk binnen veertien dagen na dagtekening van deze brief aan ons te retourneren. "
    "Indien u niet tijdig reageert, zijn wij genoodzaakt uw aanvraag buiten behandeling te "
    "stellen. Voor informatie over ondersteuningsmogelijkheden kunt u contact opnemen met de "
    "gemeentelijke klantcontactorganisatie.")
PLAIN = ("We praten met elkaar. Je vertelt wat er moeilijk is. Wij luisteren goed. "
         "Samen kijken we wat beter kan. Koffie en thee staan klaar.")


def test_a_fixed_officialese_text_is_flagged():
    advice = analyse(OFFICIAL, PLAIN_WORDS)
    assert advice.score == pytest.approx(17.4, abs=1.0)  # Flesch-Douma: very difficult
    assert advice.level == "very_hard" and not advice.is_plain
    assert [(s.words, s.text[:31]) for s in advice.long_sentences] == [
        (38, "Middels dit schrijven verzoeken")]
    assert [(w.word, w.letters) for w in advice.long_words] == [
        ("ondersteuningsmogelijkheden", 27), ("gemeentelijke", 13),
        ("klantcontactorganisatie", 23)]
    assert advice.long_words[1].syllables == 5  # flagged for its syllables, not its letters
    found = {o.found.lower(): o.plain for o in advice.officialese}
    assert found["middels"] == "met" and found["inzake"] == "over"
    assert found["teneinde"] == "om" and found["indien"] == "als"
    assert found["retourneren"] == "terugsturen"
    assert found["bijzondere bijstand"].startswith("extra geld")  # phrases too
    assert len(advice.officialese) == 14


def test_a_fixed_plain_text_is_not_flagged():
    advice = analyse(PLAIN, PLAIN_WORDS)
    assert advice.score == pytest.approx(93.3, abs=1.0)
    assert advice.level == "easy" and advice.is_plain
    assert advice.long_sentences == [] and advice.long_words == [] and advice.officialese == []


def test_words_match_whole_words_and_phrases_across_line_breaks():
    advice = analyse("Mijn dochter gaat naar school. Met\nbetrekking   tot de brief: bel ons.",
                     PLAIN_WORDS)
    assert [(o.found.split()[0], o.plain) for o in advice.officialese] == [("Met", "over")]


def test_html_is_read_as_text_and_short_texts_get_no_score():
    advice = analyse("<p>Wij <strong>verzoeken</strong> u.</p>", PLAIN_WORDS)
    assert [o.found for o in advice.officialese] == ["verzoeken"]
    assert advice.score is None  # fewer than 5 words
    assert analyse("", PLAIN_WORDS).words == 0


def test_seeding_ships_over_a_hundred_pairs_once_and_keeps_coordinator_edits(app_context):
    from portal.learning.models import PlainWord
    from portal.seed import seed_defaults

    seed_defaults()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainWord)) >= 100
    middels = db.session.scalars(sa.select(PlainWord).where(
        PlainWord.officialese == "middels")).one()
    middels.plain, middels.is_active = "met (of: via)", False
    db.session.commit()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(PlainWord))
    assert seed_defaults() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainWord)) == total
    db.session.refresh(middels)
    assert middels.plain == "met (of: via)" and middels.is_active is False


def test_readability_advice_uses_the_active_words_in_the_database(app_context):
    from portal.learning.models import PlainWord
    from portal.learning.readability import readability_advice

    db.session.add_all([PlainWord(officialese="middels", plain="met", is_active=False),
                        PlainWord(officialese="inzake", plain="over", is_active=True)])
    db.session.commit()
    found = [o.found for o in readability_advice("Middels deze brief inzake uw huur.")
             .officialese]
    assert found == ["inzake"]


def _seed(app):
    from portal.seed import seed_defaults

    with app.app_context():
        seed_defaults()
        db.session.commit()


def test_json_endpoint_gives_advice_and_html(client, app, login_as):
    _seed(app)
    login_as("facilitator")
    token = client.csrf_token("/reeksen/nieuw")
    response = client.post("/leesbaarheid", data=json.dumps({"text": OFFICIAL}),
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    data = response.get_json()
    assert data["advice"]["level"] == "very_hard"
    assert {"found": "inzake", "plain": "over"} in data["advice"]["officialese"]
    assert "inzake → over" in data["html"] and "<script" not in data["html"]
    hostile = client.post("/leesbaarheid", data=json.dumps({"text": "<script>x</script> Wij"}),
                          content_type="application/json", headers={"X-CSRFToken": token})
    assert "<script" not in hostile.get_json()["html"]


def test_json_endpoint_refuses_bad_requests(client, app, login_as):
    assert client.post("/leesbaarheid", json={"text": "x"}).status_code in (400, 401)
    login_as("facilitator")
    token = client.csrf_token("/reeksen/nieuw")
    headers = {"X-CSRFToken": token}
    assert client.post("/leesbaarheid", json={"text": "x"}).status_code == 400  # no CSRF
    assert client.post("/leesbaarheid", data="nonsense", content_type="application/json",
                       headers=headers).status_code == 400
    assert client.post("/leesbaarheid", json={"text": 12}, headers=headers).status_code == 400
    assert client.post("/leesbaarheid", json={"text": "woord " * 5000},
                       headers=headers).status_code == 413


def test_series_edit_form_checks_readability_without_saving(client, app, login_as,
                                                            learning_series):
    _seed(app)
    series = learning_series(description="Oude tekst.")
    login_as(series.facilitators[0])
    url = f"/reeksen/{series.id}/bewerken"
    page = client.get(url).get_data(as_text=True)
    assert "Controleer de leesbaarheid" in page and "js/readability.js" in page
    response = client.post_form(url, {"title": "Samen sterk", "description": OFFICIAL,
                                      "audience": "Iedereen", "readability_check": "description"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Leesbaarheid (B1)" in html and "Heel moeilijk" in html
    assert "Middels → met" in html and "inzake → over" in html
    assert "38 woorden" in html
    assert "ondersteuningsmogelijkheden (27 letters, 9 lettergrepen)" in html
    assert "Dit is alleen advies. Je kunt altijd opslaan." in html
    assert "Middels dit schrijven verzoeken" in html  # what was typed is kept
    with app.app_context():
        from portal.series.models import Series

        assert db.session.get(Series, series.id).description == "Oude tekst."  # not saved
    # Saving with officialese is never blocked.
    saved = client.post_form(url, {"title": "Samen sterk", "description": OFFICIAL,
                                   "audience": "Iedereen"})
    assert saved.status_code == 302


def test_invitation_message_check_sends_nothing(client, app, login_as, learning_series, outbox):
    _seed(app)
    series = learning_series()
    login_as(series.facilitators[0])
    url = f"/reeksen/{series.id}/uitnodigen"
    response = client.post_form(url, {"addresses": "a@example.org", "message": PLAIN,
                                      "readability_check": "message"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Makkelijk te lezen." in html and "Goed zo!" in html
    assert outbox() == []


def test_new_series_form_checks_readability_without_creating(client, app, login_as):
    _seed(app)
    login_as("facilitator")
    response = client.post_form("/reeksen/nieuw", {
        "title": "Nieuwe reeks", "description": "Wij verzoeken u middels dit formulier.",
        "readability_check": "description"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "verzoeken → vragen" in html and "Nieuwe reeks" in html
    with app.app_context():
        from portal.series.models import Series

        assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0


def test_practice_form_checks_readability_without_saving(client, app, login_as):
    _seed(app)
    user = login_as("facilitator")
    with app.app_context():
        from portal.auth.models import User

        municipality_id = str(db.session.get(User, user.id).municipalities[0].id)
    url = "/begeleiding/wat-werkt/nieuw"
    response = client.post_form(url, {"kind": "lesson", "title": "Brieven",
                                      "summary": OFFICIAL, "municipality_id": municipality_id,
                                      "readability_check": "summary"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Leesbaarheid (B1)" in html and "Middels → met" in html
    assert "Middels dit schrijven verzoeken" in html  # what was typed is kept
    with app.app_context():
        from portal.learning.models import Practice

        assert db.session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0
