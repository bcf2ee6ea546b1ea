"""Coordinators keep the plain-word list: list, search, add, edit, deactivate; bad input gets
field errors with what was typed kept."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import PlainWord

URL = "/beheer/eenvoudige-woorden/"


@pytest.fixture
def seeded(app):
    from portal.seed import seed_defaults

    with app.app_context():
        seed_defaults()
        db.session.commit()


def _word(app, officialese):
    with app.app_context():
        return db.session.scalars(sa.select(PlainWord).where(
            PlainWord.officialese == officialese)).one_or_none()


def test_only_coordinators_manage_the_list(client, login_as, seeded):
    assert client.get(URL).status_code == 302
    login_as("facilitator")
    assert client.get(URL).status_code == 403
    assert client.get(URL + "nieuw").status_code == 403


def test_list_search_and_pages(client, login_as, seeded):
    login_as("coordinator")
    page = client.get(URL).get_data(as_text=True)
    assert "Eenvoudige woorden" in page and "aangaande" in page
    assert "Pagina 1 van 3" in page  # 120 pairs, 50 a page
    found = client.get(URL + "?zoek=middels").get_data(as_text=True)
    assert "middels" in found and "aangaande" not in found
    assert client.get(URL + "?zoek=%25%25%25&pagina=999").status_code == 200
    assert "Eenvoudige woorden" in client.get("/dashboard").get_data(as_text=True)  # in the nav


def test_add_edit_and_deactivate_a_word(client, app, login_as, seeded):
    login_as("coordinator")
    response = client.post_form(URL + "nieuw", {"officialese": "  Ter Attentie Van ",
                                                "plain": "voor"})
    assert response.status_code == 302
    word = _word(app, "ter attentie van")
    assert word.plain == "voor" and word.is_active

    edit = f"{URL}{word.id}"
    client.post_form(edit, {"officialese": "ter attentie van", "plain": "t.a.v.: voor",
                            "is_active": "y"})
    assert _word(app, "ter attentie van").plain == "t.a.v.: voor"

    client.post_form(f"{URL}{word.id}/uit", {}, token_from=URL)
    assert _word(app, "ter attentie van").is_active is False
    client.post_form(f"{URL}{word.id}/aan", {}, token_from=URL)
    assert _word(app, "ter attentie van").is_active is True


@pytest.mark.parametrize("data, message", [
    ({"officialese": "", "plain": "met"}, "Vul het moeilijke woord in."),
    ({"officialese": "middels", "plain": ""}, "Vul een makkelijker woord in."),
    ({"officialese": "Middels", "plain": "via"}, "Dit woord staat al op de lijst."),
    ({"officialese": "zeer", "plain": "Zeer"}, "Het makkelijke woord moet anders zijn."),
    ({"officialese": "x" * 10_000, "plain": "met"}, "Gebruik maximaal 80 tekens."),
    ({"officialese": "mid\x00dels", "plain": "met"}, "onzichtbaar"),
])
def test_bad_input_gets_a_field_error_and_keeps_what_was_typed(client, app, login_as, seeded,
                                                               data, message):
    login_as("coordinator")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(PlainWord))
    response = client.post_form(URL + "nieuw", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if data["plain"]:
        assert data["plain"] in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainWord)) == before


def test_editing_into_a_duplicate_or_a_foreign_id(client, app, login_as, seeded):
    login_as("coordinator")
    word = _word(app, "inzake")
    response = client.post_form(f"{URL}{word.id}", {"officialese": "middels", "plain": "met"})
    assert response.status_code == 422
    assert "Dit woord staat al op de lijst." in response.get_data(as_text=True)
    assert client.get(f"{URL}999999").status_code == 404
    assert client.post_form(f"{URL}999999/uit", {}, token_from=URL).status_code == 404
