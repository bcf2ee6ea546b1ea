"""Agenda templates (seeded, copied, edited, reordered) and meeting agendas, printed and timed."""
import sqlalchemy as sa

from portal.extensions import db
from portal.series.agenda import seed_default_templates
from portal.series.agenda_defaults import DEFAULT_TEMPLATES
from portal.series.models import AgendaTemplate, Lead
from portal.seed import seed_defaults


def templates(language=None):
    db.session.rollback()
    query = sa.select(AgendaTemplate).order_by(AgendaTemplate.id)
    if language:
        query = query.where(AgendaTemplate.language == language)
    return db.session.scalars(query).all()


def test_four_defaults_in_dutch_and_english_seeded_once(app_context):
    seed_defaults()
    seed_defaults()
    assert seed_default_templates() == 0
    db.session.commit()
    dutch, english = templates("nl"), templates("en")
    assert [t.name for t in dutch] == ["Kennismaken en verhalen delen",
                                       "Verdiepen: leefwereld en systeemwereld",
                                       "Veranderwensen formuleren", "In gesprek en vervolg"]
    assert [t.meeting_number for t in english] == [1, 2, 3, 4]
    assert english[0].items[0].title == "Welcome and house rules"
    for template in dutch + english:
        assert template.items and all(i.minutes > 0 for i in template.items)
        assert template.total_minutes <= 120
        assert {i.lead for i in template.items} <= set(Lead)
        assert [i.position for i in template.items] == list(range(len(template.items)))


def test_defaults_have_the_same_shape_in_both_languages():
    for default in DEFAULT_TEMPLATES:
        for item in default.items:
            assert set(item.title) == set(item.purpose) == set(item.materials) == {"nl", "en"}


def test_library_lists_templates_with_total_minutes(client, login_as, app):
    login_as("facilitator")
    with app.app_context():
        seed_defaults()
        db.session.commit()
    page = client.get("/agendasjablonen/").get_data(as_text=True)
    assert "Kennismaken en verhalen delen" in page and "115" in page
    assert "Getting to know each other and sharing stories" in page


def test_copy_edit_and_reorder_a_template(client, login_as, app, app_context):
    login_as("facilitator")
    with app.app_context():
        seed_defaults()
        db.session.commit()
    original = templates("nl")[0]
    # The default itself cannot be changed.
    token = client.csrf_token("/agendasjablonen/")
    assert client.post(f"/agendasjablonen/{original.id}/onderdelen",
                       data={"item-csrf_token": token}).status_code == 403

    response = client.post_form(f"/agendasjablonen/{original.id}/kopieren",
                                token_from="/agendasjablonen/")
    assert response.status_code == 302
    copy = templates("nl")[-1]
    assert copy.name == "Kopie van Kennismaken en verhalen delen" and copy.key is None
    first, second = copy.items[0].id, copy.items[1].id

    url = f"/agendasjablonen/{copy.id}"
    client.post_form(f"{url}/onderdelen/{second}/up", token_from=url)
    assert [i.id for i in templates("nl")[-1].items][:2] == [second, first]

    response = client.post_form(f"{url}/onderdelen", {
        "item-title": "Pauze", "item-minutes": "15", "item-lead": "both",
        "item-purpose": "", "item-materials": "Koffie"}, token_from=url)
    assert response.status_code == 302
    copy = templates("nl")[-1]
    assert copy.items[-1].title == "Pauze" and copy.total_minutes == 130
    page = client.get(url).get_data(as_text=True)
    assert "Totaal: 130 minuten" in page

    client.post_form(f"{url}/onderdelen/{copy.items[-1].id}/verwijderen", token_from=url)
    assert templates("nl")[-1].total_minutes == 115

    response = client.post_form(url, {"name": "Onze eerste avond", "description": "",
                                      "meeting_number": "1"})
    assert response.status_code == 302
    assert templates("nl")[-1].name == "Onze eerste avond"
    # The original is untouched.
    assert templates("nl")[0].name == "Kennismaken en verhalen delen"


def test_another_facilitators_copy_is_read_only(client, login_as, app, factories):
    owner = factories.create_user("facilitator")
    seed_defaults()
    db.session.commit()
    template_id = templates("nl")[0].id
    login_as(owner)
    client.post_form(f"/agendasjablonen/{template_id}/kopieren", token_from="/agendasjablonen/")
    copy_id = templates("nl")[-1].id
    client.post_form("/account/uitloggen", token_from="/dashboard")
    other = login_as("facilitator")
    assert other.id != owner.id
    page = client.get(f"/agendasjablonen/{copy_id}").get_data(as_text=True)
    assert "Maak eerst een kopie" in page
    item_id = templates("nl")[-1].items[0].id
    assert client.get(f"/agendasjablonen/{copy_id}/onderdelen/{item_id}").status_code == 403


def test_bad_item_input_is_kept_with_a_message(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    url = f"/reeksen/ontmoetingen/{series.meetings[0].id}/agenda"
    for minutes, message in (("0", "Vul een aantal minuten in van 1 tot 240."),
                             ("veel", "Vul een heel getal in, zoals 20."),
                             ("999", "Vul een aantal minuten in van 1 tot 240.")):
        response = client.post_form(url, {"title": "<b>Pauze</b>", "minutes": minutes,
                                           "lead": "both"})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and 'value="&lt;b&gt;Pauze&lt;/b&gt;"' in page
    response = client.post_form(url, {"title": "Pauze", "minutes": "10", "lead": "boss"})
    assert response.status_code == 422


def test_meeting_agenda_warns_when_longer_than_the_meeting(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[0]
    url = f"/reeksen/ontmoetingen/{meeting.id}/agenda"
    page = client.get(url).get_data(as_text=True)
    assert "Totaal: 115 van 120 minuten" in page and "langer dan de ontmoeting" not in page
    client.post_form(url, {"title": "Pauze", "minutes": "20", "lead": "both",
                           "materials": "Koek"})
    page = client.get(url).get_data(as_text=True)
    assert "Totaal: 135 van 120 minuten" in page
    assert "De agenda is 15 minuten langer dan de ontmoeting." in page
    detail = client.get(f"/reeksen/{series.id}").get_data(as_text=True)
    assert "De agenda is 15 minuten langer dan de ontmoeting." in detail


def test_meeting_agenda_reorders_without_javascript(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    meeting = series.meetings[0]
    url = f"/reeksen/ontmoetingen/{meeting.id}/agenda"
    ids = [i.id for i in meeting.agenda_items]
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/{ids[0]}/down"' in page and f'action="{url}/{ids[0]}/up"' not in page
    client.post_form(f"{url}/{ids[0]}/down", token_from=url)
    client.post_form(f"{url}/{ids[-1]}/verwijderen", token_from=url)
    db.session.rollback()
    from portal.series.models import Meeting
    assert [i.id for i in db.session.get(Meeting, meeting.id).agenda_items] == \
        [ids[1], ids[0], *ids[2:-1]]


def test_printed_agenda_has_clock_times_leads_and_materials(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    page = client.get(f"/reeksen/ontmoetingen/{series.meetings[0].id}/agenda/afdrukken") \
        .get_data(as_text=True)
    assert "19:00–19:15" in page and "19:15–19:35" in page and "20:45–20:55" in page
    assert "Welkom en afspraken" in page and "Ervaringsdeskundige" in page
    assert "Koffie en thee, naamkaartjes" in page
    assert "portal-sheet" in page


def test_run_sheet_names_the_facilitators_and_lists_materials(client, make_series, login_as):
    series = make_series()
    login_as(series.facilitators[0])
    page = client.get(f"/reeksen/ontmoetingen/{series.meetings[0].id}/draaiboek") \
        .get_data(as_text=True)
    social, expert = (u.display_name for u in series.facilitators
                      if u.facilitator_kind.value == "social_worker"), \
        (u.display_name for u in series.facilitators
         if u.facilitator_kind.value == "experience_expert")
    assert next(social) in page and next(expert) in page
    assert "☐ Praatstok of ander voorwerp" in page
    assert "Stap voor stap" in page
