"""Facilitators' reflection per meeting: with author and date, editable by facilitators of the
same municipality, a 404 for everyone else."""
from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import Reflection


def test_write_and_edit_a_reflection_with_author_and_date(client, app, login_as,
                                                          learning_series):
    series = learning_series()
    sanne, marco = series.facilitators
    meeting_id = series.meetings[0].id
    login_as(sanne)
    url = f"/reeksen/ontmoetingen/{meeting_id}/reflectie"
    form = client.get(url).get_data(as_text=True)
    assert "Wat werkte goed?" in form and "Wat veranderen we de volgende keer aan de agenda?" \
        in form
    response = client.post_form(url, {"worked": "De rondjes in tweetallen.",
                                      "did_not_work": "Te weinig pauze.",
                                      "change_next_time": "Tien minuten pauze na het eerste uur."})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je reflectie is opgeslagen." in page
    assert f"Door {sanne.display_name} op" in page
    assert "Tien minuten pauze na het eerste uur." in page

    # Her co-facilitator edits it; the author stays.
    with app.app_context():
        reflection = db.session.scalars(sa.select(Reflection)).one()
        reflection_id = reflection.id
    client.post_form("/account/uitloggen", {}, token_from="/dashboard")
    login_as(marco)
    edit = f"/reeksen/reflecties/{reflection_id}"
    assert "De rondjes in tweetallen." in client.get(edit).get_data(as_text=True)
    client.post_form(edit, {"worked": "De rondjes in tweetallen werkten goed.",
                            "did_not_work": "", "change_next_time": "Meer pauze."})
    with app.app_context():
        reflection = db.session.get(Reflection, reflection_id)
        assert reflection.author_id == sanne.id and reflection.updated_by_id == marco.id
        assert reflection.worked == "De rondjes in tweetallen werkten goed."


def test_an_empty_reflection_is_refused_and_long_text_kept(client, app, login_as,
                                                           learning_series):
    series = learning_series()
    login_as(series.facilitators[0])
    url = f"/reeksen/ontmoetingen/{series.meetings[0].id}/reflectie"
    empty = client.post_form(url, {"worked": "  ", "did_not_work": "", "change_next_time": ""})
    assert empty.status_code == 422
    assert "Schrijf minstens een van de drie antwoorden." in empty.get_data(as_text=True)
    long_text = "x" * 10_000
    too_long = client.post_form(url, {"worked": long_text})
    assert too_long.status_code == 422 and long_text in too_long.get_data(as_text=True)
    script = client.post_form(url, {"worked": "<script>alert(1)</script>Goed"})
    assert script.status_code == 302
    with app.app_context():
        assert "<script" not in db.session.scalars(sa.select(Reflection.worked)).one()


def test_reflections_of_another_municipality_are_404(client, app, login_as, learning_series):
    series = learning_series()
    with app.app_context():
        reflection = Reflection(meeting_id=series.meetings[0].id,
                                author_id=series.facilitators[0].id, worked="Privé")
        db.session.add(reflection)
        db.session.commit()
        reflection_id = reflection.id
    login_as("facilitator")
    assert client.get(f"/reeksen/reflecties/{reflection_id}").status_code == 404
    assert client.post_form(f"/reeksen/reflecties/{reflection_id}", {"worked": "Weg ermee"},
                            token_from="/reeksen/").status_code == 404
    assert client.get("/reeksen/reflecties/999999").status_code == 404
    with app.app_context():
        assert db.session.get(Reflection, reflection_id).worked == "Privé"
