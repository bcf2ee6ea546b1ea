"""Creating a series in one step, and every kind of bad input the issue names."""
import re

import pytest
import sqlalchemy as sa

from portal.auth.models import FacilitatorKind
from portal.extensions import db
from portal.series.models import AgendaTemplate, Meeting, Series, SeriesStatus


@pytest.fixture
def planner(app, factories, login_as):
    """A logged-in social worker in a municipality with a venue, a colleague and the templates."""
    from portal.seed import seed_defaults

    seed_defaults()
    municipality = factories.create_municipality(name="Lingewaard")
    venue = factories.create_venue(municipality=municipality, name="Buurthuis De Poort")
    colleague = factories.create_user("facilitator", municipalities=[municipality],
                                      display_name="Marco Jansen",
                                      facilitator_kind=FacilitatorKind.EXPERIENCE_EXPERT)
    user = factories.create_user("facilitator", municipalities=[municipality],
                                 display_name="Sanne de Vries")
    db.session.commit()
    login_as(user)
    db.session.rollback()  # end the read snapshot login_as opened, so this session can write
    return {"municipality": municipality, "venue": venue, "colleague": colleague, "user": user}


def form_data(planner, **overrides):
    data = {"title": "Samen sterk in Huissen",
            "municipality_id": str(planner["municipality"].id),
            "facilitator_ids": [str(planner["user"].id), str(planner["colleague"].id)],
            "description": "Vier avonden om te praten over geld, wonen en brieven.",
            "audience": "Voor iedereen in Lingewaard."}
    for n, day in enumerate(["2030-09-17", "2030-09-24", "2030-10-01", "2030-10-08"]):
        data |= {f"meetings-{n}-day": day, f"meetings-{n}-start": "19:00",
                 f"meetings-{n}-end": "21:00", f"meetings-{n}-venue_id": str(planner["venue"].id),
                 f"meetings-{n}-capacity": "20", f"meetings-{n}-template_id": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data):
    response = client.post_form("/reeksen/nieuw", data)
    db.session.rollback()  # end the test's own read transaction: see what the request wrote
    return response


def count_series():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Series.id)))


def test_series_is_created_as_draft_with_four_meetings_and_agendas(client, planner):
    templates = {t.meeting_number: t.id for t in db.session.scalars(
        sa.select(AgendaTemplate).where(AgendaTemplate.language == "nl"))}
    data = form_data(planner, **{f"meetings-{n}-template_id": str(templates[n + 1])
                                 for n in range(4)})
    response = post(client, data)
    assert response.status_code == 302
    series = db.session.scalar(sa.select(Series))
    assert series.status is SeriesStatus.DRAFT
    assert len(series.slug) == 8 and re.fullmatch(r"[a-z2-9]+", series.slug)
    assert [m.number for m in series.meetings] == [1, 2, 3, 4]
    assert all(m.agenda_items for m in series.meetings)
    assert series.meetings[0].agenda_items[0].title == "Welkom en afspraken"
    assert {u.display_name for u in series.facilitators} == {"Sanne de Vries", "Marco Jansen"}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Concept" in page and "Samen sterk in Huissen" in page
    assert "geen ervaringsdeskundige" not in page


def test_the_form_preselects_the_default_template_per_meeting(client, planner):
    page = client.get("/reeksen/nieuw").get_data(as_text=True)
    assert page.count('selected value="') + page.count("selected>") >= 4
    assert "Kennismaken en verhalen delen" in page
    assert "Ontmoeting 4" in page


def test_missing_experience_expert_is_warned_about(client, planner):
    response = post(client, form_data(planner, facilitator_ids=[str(planner["user"].id)]))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Deze reeks heeft nog geen ervaringsdeskundige." in page


def _refused(client, planner, message, **overrides):
    response = post(client, form_data(planner, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    assert message in page
    assert count_series() == 0
    return page


def test_end_before_start_is_refused(client, planner):
    _refused(client, planner, "De eindtijd moet na de begintijd liggen.",
             **{"meetings-1-start": "21:00", "meetings-1-end": "19:00"})


def test_meetings_out_of_order_are_refused(client, planner):
    page = _refused(client, planner, "Elke ontmoeting moet beginnen nadat de vorige is afgelopen.",
                    **{"meetings-2-day": "2030-09-10"})
    assert 'value="2030-09-10"' in page  # what was typed is kept


def test_time_that_does_not_exist_is_refused(client, planner):
    # 31 March 2030 is the last Sunday of March: 02:30 does not exist.
    data = form_data(planner)
    data |= {"meetings-0-day": "2030-03-31", "meetings-0-start": "02:30",
             "meetings-0-end": "04:00"}
    for n, day in enumerate(["2030-04-07", "2030-04-14", "2030-04-21"], start=1):
        data[f"meetings-{n}-day"] = day
    response = post(client, data)
    assert response.status_code == 422
    assert "Deze tijd bestaat niet" in response.get_data(as_text=True)


def test_ambiguous_time_in_october_is_stored_as_summer_time(client, planner):
    data = form_data(planner)
    data |= {"meetings-0-day": "2030-10-27", "meetings-0-start": "02:30",
             "meetings-0-end": "04:00"}
    for n, day in enumerate(["2030-11-03", "2030-11-10", "2030-11-17"], start=1):
        data[f"meetings-{n}-day"] = day
    assert post(client, data).status_code == 302
    first = db.session.scalar(sa.select(Meeting).where(Meeting.number == 1))
    assert first.starts_at.strftime("%Y-%m-%d %H:%M") == "2030-10-27 00:30"  # UTC
    # 02:30 CEST to 04:00 CET is two and a half hours.
    assert first.duration_minutes == 150


@pytest.mark.parametrize("capacity, message", [
    ("0", "Vul in hoeveel mensen kunnen komen: een getal van 1 tot 500."),
    ("-5", "Vul in hoeveel mensen kunnen komen: een getal van 1 tot 500."),
    ("1000000000", "Vul in hoeveel mensen kunnen komen: een getal van 1 tot 500."),
    ("10^9", "Vul een heel getal in, zoals 20."),
    ("1" * 40, "Vul een heel getal in, zoals 20."),
    ("", "Vul in hoeveel mensen kunnen komen."),
])
def test_bad_capacity_is_refused(client, planner, capacity, message):
    page = _refused(client, planner, message, **{"meetings-3-capacity": capacity})
    assert 'id="error-summary"' in page


def test_unknown_venue_is_a_field_error(client, planner):
    _refused(client, planner, "Kies een locatie in deze gemeente.",
             **{"meetings-0-venue_id": "999999"})
    _refused(client, planner, "Kies een locatie in deze gemeente.",
             **{"meetings-0-venue_id": "abc"})


def test_venue_of_another_municipality_is_refused(client, planner, factories):
    elsewhere = factories.create_venue()
    db.session.commit()
    _refused(client, planner, "Kies een locatie in deze gemeente.",
             **{"meetings-0-venue_id": str(elsewhere.id)})


def test_another_municipality_is_refused(client, planner, factories):
    other = factories.create_municipality()
    db.session.commit()
    _refused(client, planner, "Kies een van je gemeenten.", municipality_id=str(other.id))


def test_facilitator_from_elsewhere_is_refused(client, planner, factories):
    stranger = factories.create_user("facilitator")
    db.session.commit()
    _refused(client, planner, "Kies begeleiders die in deze gemeente werken.",
             facilitator_ids=[str(stranger.id)])


def test_html_in_the_title_is_text_not_script(client, planner):
    response = post(client, form_data(planner, title="<script>alert(1)</script> Ontmoeten",
                                      description="<p>Hallo</p><script>alert(2)</script>"))
    assert response.status_code == 302
    series = db.session.scalar(sa.select(Series))
    assert "<script>" not in series.description
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ontmoeten" in page
    client.post_form(f"/reeksen/{series.id}/publiceren", token_from=f"/reeksen/{series.id}")
    db.session.rollback()
    public = client.get(f"/reeks/{series.slug}").get_data(as_text=True)
    assert "<script>alert" not in public and "&lt;script&gt;alert(1)" in public


def test_null_byte_in_the_title_is_refused_and_the_rest_kept(client, planner):
    page = _refused(client, planner, "onzichtbaar stuurteken", title="Samen\x00 sterk")
    assert 'value="Samen sterk"' in page


def test_long_description_gets_a_message(client, planner):
    _refused(client, planner, "Gebruik maximaal 5000 tekens.", description="a" * 6000)


def test_five_megabyte_description_gets_the_friendly_too_large_page(client, planner):
    token = client.csrf_token("/reeksen/nieuw")
    response = client.post("/reeksen/nieuw",
                           data=form_data(planner, description="x" * (5 * 1024 * 1024),
                                          csrf_token=token))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Dit is te groot" in page
    assert count_series() == 0


def test_empty_form_keeps_its_shape(client, planner):
    response = client.post_form("/reeksen/nieuw", {})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul een titel in." in page and "Vul de datum in." in page


def test_series_of_another_municipality_is_not_found(client, planner, make_series):
    foreign = make_series()
    for url in (f"/reeksen/{foreign.id}", f"/reeksen/{foreign.id}/bewerken",
                f"/reeksen/{foreign.id}/uitnodigen",
                f"/reeksen/ontmoetingen/{foreign.meetings[0].id}/agenda",
                f"/reeksen/ontmoetingen/{foreign.meetings[0].id}/bewerken",
                f"/reeksen/ontmoetingen/{foreign.meetings[0].id}/draaiboek"):
        assert client.get(url).status_code == 404, url
    token = client.csrf_token("/reeksen/nieuw")
    for url in (f"/reeksen/{foreign.id}/publiceren", f"/reeksen/{foreign.id}/annuleren",
                f"/reeksen/ontmoetingen/{foreign.meetings[0].id}/annuleren"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    db.session.rollback()
    assert db.session.get(Series, foreign.id).status is SeriesStatus.PUBLISHED


def test_coordinator_sees_every_series(client, login_as, make_series):
    series = make_series()
    login_as("coordinator")
    assert client.get(f"/reeksen/{series.id}").status_code == 200


def test_organisation_member_cannot_open_series_screens(client, login_as, make_series):
    series = make_series()
    login_as("organisation_member")
    assert client.get(f"/reeksen/{series.id}").status_code == 403
    assert client.get("/reeksen/nieuw").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, make_series):
    series = make_series()
    response = client.get(f"/reeksen/{series.id}")
    assert response.status_code == 302 and "/account/inloggen" in response.headers["Location"]


def test_editing_a_meeting_checks_order_and_dst(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[1]
    url = f"/reeksen/ontmoetingen/{meeting.id}/bewerken"
    base = {"venue_id": str(meeting.venue_id), "capacity": "20", "notes": ""}
    response = client.post_form(url, base | {"day": "2030-03-01", "start": "19:00",
                                             "end": "21:00"})
    assert response.status_code == 422
    assert "Elke ontmoeting moet beginnen nadat de vorige is afgelopen" in response.get_data(
        as_text=True)
    response = client.post_form(url, base | {"day": "2030-03-31", "start": "02:15",
                                             "end": "04:00"})
    assert response.status_code == 422
    assert "Deze tijd bestaat niet" in response.get_data(as_text=True)
    response = client.post_form(url, base | {"day": "2030-03-12", "start": "19:00",
                                             "end": "21:00", "capacity": "0"})
    assert response.status_code == 422
    db.session.rollback()
    assert db.session.get(Meeting, meeting.id).sequence == 0
