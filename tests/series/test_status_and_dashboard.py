"""Status draft → published → completed, or cancelled; the facilitator dashboard; the demo."""
from datetime import date

import sqlalchemy as sa

from portal.auth.models import FacilitatorKind
from portal.extensions import db
from portal.series.models import Series, SeriesStatus
from tests.series.factories import weekly


def status_of(series_id):
    db.session.rollback()
    return db.session.get(Series, series_id).status


def test_publish_makes_the_page_public(client, make_series, login_as):
    series = make_series(status=SeriesStatus.DRAFT)
    login_as(series.facilitators[0])
    assert client.get(f"/reeks/{series.slug}").status_code == 404
    response = client.post_form(f"/reeksen/{series.id}/publiceren",
                                token_from=f"/reeksen/{series.id}")
    assert response.status_code == 302
    assert status_of(series.id) is SeriesStatus.PUBLISHED
    page = client.get(f"/reeksen/{series.id}").get_data(as_text=True)
    assert "De reeks is gepubliceerd." in page
    assert client.get(f"/reeks/{series.slug}").status_code == 200


def test_publishing_twice_says_why_not(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    client.post_form(f"/reeksen/{series.id}/publiceren", token_from=f"/reeksen/{series.id}")
    page = client.get(f"/reeksen/{series.id}").get_data(as_text=True)
    assert "Alleen een concept kan worden gepubliceerd." in page


def test_complete_only_after_the_last_meeting(client, make_series, login_as):
    future = make_series()
    past = make_series(times=weekly(date(2020, 1, 7)))
    login_as(future.facilitators[0])
    client.post_form(f"/reeksen/{future.id}/afronden", token_from=f"/reeksen/{future.id}")
    assert status_of(future.id) is SeriesStatus.PUBLISHED
    client.post_form("/account/uitloggen", token_from="/dashboard")
    login_as(past.facilitators[0])
    client.post_form(f"/reeksen/{past.id}/afronden", token_from=f"/reeksen/{past.id}")
    assert status_of(past.id) is SeriesStatus.COMPLETED


def test_cancel_series(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    client.post_form(f"/reeksen/{series.id}/annuleren", token_from=f"/reeksen/{series.id}")
    assert status_of(series.id) is SeriesStatus.CANCELLED
    client.post_form(f"/reeksen/{series.id}/publiceren", token_from=f"/reeksen/{series.id}")
    assert status_of(series.id) is SeriesStatus.CANCELLED


def test_post_without_csrf_token_changes_nothing(client, make_series, login_as):
    series = make_series(status=SeriesStatus.DRAFT)
    login_as(series.facilitators[0])
    response = client.post(f"/reeksen/{series.id}/publiceren")
    assert response.status_code in (302, 400)
    assert status_of(series.id) is SeriesStatus.DRAFT


def test_dashboard_shows_series_upcoming_meetings_and_attention(client, make_series, login_as,
                                                                factories):
    municipality = factories.create_municipality()
    me = factories.create_user("facilitator", municipalities=[municipality],
                               display_name="Sanne de Vries")
    db.session.commit()
    draft = make_series(municipality=municipality, facilitators=[me], title="Nog een concept",
                        status=SeriesStatus.DRAFT)
    published = make_series(municipality=municipality, title="Lopende reeks")
    published.facilitators.append(me)
    db.session.commit()
    make_series(title="Van een andere gemeente")
    login_as(me)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Aandacht nodig" in page
    assert "Nog een concept</a>: Concept: nog niet openbaar." in page
    assert "Deze reeks heeft nog geen ervaringsdeskundige." in page
    assert "Lopende reeks" in page and "Komende ontmoetingen" in page
    assert "dinsdag 5 maart 2030, 19:00–21:00" in page
    assert "Van een andere gemeente" not in page
    assert draft.id and published.id


def test_dashboard_flags_an_agenda_longer_than_its_meeting(client, make_series, login_as,
                                                           factories):
    series = make_series(times=weekly(hours=1))
    login_as(series.facilitators[0])
    page = client.get("/dashboard").get_data(as_text=True)
    assert "De agenda van ontmoeting 1 is langer dan de ontmoeting." in page


def test_organisation_member_dashboard_has_no_series(client, login_as):
    login_as("organisation_member")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Komende ontmoetingen" not in page


def test_index_lists_only_visible_series(client, make_series, login_as, factories):
    mine = make_series(title="Mijn reeks")
    make_series(title="Andermans reeks")
    login_as(mine.facilitators[0])
    page = client.get("/reeksen/").get_data(as_text=True)
    assert "Mijn reeks" in page and "Andermans reeks" not in page


def test_demo_has_a_published_series_in_lingewaard(app_context):
    from portal.demo import load_demo

    load_demo()
    db.session.commit()
    series = db.session.scalar(sa.select(Series))
    assert series.status is SeriesStatus.PUBLISHED
    assert series.municipality.name == "Lingewaard"
    assert len(series.meetings) == 4
    assert {m.venue.name for m in series.meetings} == {"Buurthuis De Poort"}
    assert {u.facilitator_kind for u in series.facilitators} == set(FacilitatorKind)
    assert all(m.agenda_items for m in series.meetings)
