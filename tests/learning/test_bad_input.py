"""Bad input on the evaluation: field errors in Dutch, what was typed kept, never a 500, never
stored script."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import EvaluationRemark, EvaluationResponse
from tests.learning.conftest import ALL_FOURS


def _responses(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse))


@pytest.mark.parametrize("value", ["6", "-1", "abc", "0", "4.5", "", "9" * 40, "%00"])
def test_answers_out_of_range_are_field_errors(client, app, learning_series, qr_url, value):
    url = qr_url(learning_series().meetings[0])
    response = client.post_form(url, {**ALL_FOURS, "belong": value, "struck": "Fijn gesprek"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een van de vijf gezichtjes." in html
    assert 'href="#belong"' in html  # the error summary points at the statement
    assert "Fijn gesprek" in html  # what was typed stays
    assert re.search(r'<input checked[^>]*id="heard-3"', html)  # other choices stay chosen
    assert _responses(app) == 0


def test_missing_answers_name_each_statement(client, app, learning_series, qr_url):
    url = qr_url(learning_series().meetings[0])
    response = client.post_form(url, {"heard": "3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("Kies een van de vijf gezichtjes.") >= 5
    assert _responses(app) == 0


def test_a_ten_thousand_character_open_answer_is_refused_and_kept(client, app, learning_series,
                                                                  qr_url):
    url = qr_url(learning_series().meetings[0])
    long_text = "Heel veel te zeggen. " * 500
    response = client.post_form(url, {**ALL_FOURS, "struck": long_text})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dat is veel tekst. Gebruik hooguit 2000 tekens" in html
    assert long_text.strip() in html
    assert _responses(app) == 0


def test_html_in_open_answers_is_never_stored_as_script(client, app, learning_series, qr_url):
    series = learning_series(weeks_before=3)
    url = qr_url(series.meetings[3])
    response = client.post_form(url, {
        **ALL_FOURS, "struck": '<script>alert("x")</script>Fijn <b>gesprek</b>',
        "change": '<img src=x onerror=alert(1)>Meer pauzes'})
    assert response.status_code == 302
    with app.app_context():
        texts = db.session.scalars(sa.select(EvaluationRemark.text)).all()
    joined = " ".join(texts)
    assert "<script" not in joined and "onerror" not in joined and "<img" not in joined
    assert "Fijn" in joined and "Meer pauzes" in joined


def test_nul_bytes_are_refused_with_a_message(client, app, learning_series, qr_url):
    url = qr_url(learning_series().meetings[0])
    response = client.post_form(url, {**ALL_FOURS, "struck": "Goed\x00gesprek"})
    assert response.status_code == 422
    assert "onzichtbaar" in response.get_data(as_text=True)
    assert _responses(app) == 0


def test_a_bad_answer_does_not_use_up_a_personal_link(client, app, learning_series,
                                                      personal_links):
    [link] = personal_links(learning_series().meetings[0], ["a@example.org"])
    assert client.post_form(link, {**ALL_FOURS, "heard": "7"}).status_code == 422
    assert client.post_form(link, ALL_FOURS).status_code == 302
    assert _responses(app) == 1


def test_a_post_without_csrf_token_is_refused_politely(client, app, learning_series, qr_url):
    url = qr_url(learning_series().meetings[0])
    response = client.post(url, data=ALL_FOURS)
    assert response.status_code == 400
    assert _responses(app) == 0
