"""Facilitators: queue per municipality, replies through the receipt channel, edits that keep the
original, sharing and publishing only as far as consent allows, capture in a meeting, export."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from portal.errors import NotAllowed
from portal.extensions import db
from portal.stories import service
from portal.stories.models import ConsentLevel, Story, StoryKind, StoryOrigin, StoryStatus


@pytest.fixture
def setting(app, factories, story_factories):
    """Two municipalities, a story in each; returns ids and the code of the own story."""
    own = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    other = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
    story, code = story_factories.create_story(
        municipality=own, title="Vrijdagbrieven", body="Ik woon op <b>Dorpsstraat 12</b>.",
        consent=ConsentLevel.PUBLIC, notify_email="anoniem@example.org")
    foreign, _ = story_factories.create_story(municipality=other, title="Elders")
    db.session.commit()
    return {"own": own.id, "other": other.id, "story": story.id, "foreign": foreign.id,
            "code": code}


@pytest.fixture
def facilitator(login_as, setting, factories):
    """A facilitator of the first municipality, logged in (the test's app context is open)."""
    from portal.directory.models import Municipality

    user = factories.create_user("facilitator", display_name="Sanne", municipalities=[
        db.session.get(Municipality, setting["own"])])
    db.session.commit()
    login_as(user)
    return user


def _story(app, story_id) -> Story:
    with app.app_context():
        story = db.session.get(Story, story_id)
        db.session.expunge(story)
        return story


def test_queue_shows_only_the_own_municipality(client, facilitator, setting):
    page = client.get("/begeleiding/verhalen/").get_data(as_text=True)
    assert "Vrijdagbrieven" in page
    assert "Elders" not in page


@pytest.mark.parametrize("method,path", [
    ("get", ""), ("post", "/antwoord"), ("post", "/themas"), ("post", "/status"),
    ("get", "/bewerken"), ("post", "/bewerken")])
def test_a_foreign_story_answers_404(client, facilitator, setting, method, path):
    url = f"/begeleiding/verhalen/{setting['foreign']}{path}"
    if method == "get":
        response = client.get(url)
    else:
        response = client.post_form(url, {"body": "x", "status": "published"},
                                    token_from="/begeleiding/verhalen/")
    assert response.status_code == 404


def test_organisation_members_and_strangers_get_no_access(client, login_as, setting):
    assert client.get("/begeleiding/verhalen/").status_code == 302  # to the login page
    login_as("organisation_member")
    assert client.get("/begeleiding/verhalen/").status_code == 403
    assert client.get(f"/begeleiding/verhalen/{setting['story']}").status_code == 403


def test_coordinators_see_every_municipality(client, login_as, setting):
    login_as("coordinator")
    page = client.get("/begeleiding/verhalen/").get_data(as_text=True)
    assert "Vrijdagbrieven" in page and "Elders" in page


def test_reply_reaches_the_sender_and_the_notice_holds_no_reply(client, facilitator, setting,
                                                                outbox):
    url = f"/begeleiding/verhalen/{setting['story']}"
    response = client.post_form(f"{url}/antwoord", {"body": "Dank je. <b>Wat</b> bedoel je?"},
                                token_from=url)
    assert response.status_code == 302
    mails = outbox()
    assert [m.to_address for m in mails] == ["anoniem@example.org"]
    assert mails[0].subject == "Er is een antwoord op je verhaal"
    assert "Wat" not in mails[0].text_body and "/bon" in mails[0].text_body
    receipt = client.post_form("/bon", {"code": setting["code"]}).get_data(as_text=True)
    assert "Dank je. <b>Wat</b> bedoel je?" in receipt


def test_reply_without_an_address_sends_no_mail(client, facilitator, setting, outbox, app):
    with app.app_context():
        service.delete_notification_address(db.session.get(Story, setting["story"]))
        db.session.commit()
    url = f"/begeleiding/verhalen/{setting['story']}"
    client.post_form(f"{url}/antwoord", {"body": "Hallo"}, token_from=url)
    assert outbox() == []


def test_an_empty_reply_is_refused_and_nothing_is_sent(client, facilitator, setting, outbox):
    url = f"/begeleiding/verhalen/{setting['story']}"
    response = client.post_form(f"{url}/antwoord", {"body": "  "}, token_from=url)
    assert response.status_code == 422
    assert "Schrijf eerst" in response.get_data(as_text=True)
    assert outbox() == []


def test_edit_keeps_the_original_for_facilitators_only(client, facilitator, setting, app):
    url = f"/begeleiding/verhalen/{setting['story']}"
    response = client.post_form(f"{url}/bewerken", {
        "title": "Vrijdagbrieven", "body": "Ik woon in het dorp.", "wish_text": "",
        "note": "adres weggehaald"}, token_from=f"{url}/bewerken")
    assert response.status_code == 302
    detail = client.get(url).get_data(as_text=True)
    assert "Ik woon in het dorp." in detail
    assert "Oorspronkelijke tekst (alleen begeleiders zien dit)" in detail
    assert "Dorpsstraat 12" in detail
    client.post_form(f"{url}/status", {"status": "published"}, token_from=url)
    public = client.get("/verhalen/lingewaard").get_data(as_text=True)
    assert "Ik woon in het dorp." in public and "Dorpsstraat 12" not in public
    receipt = client.post_form("/bon", {"code": setting["code"]}).get_data(as_text=True)
    assert "Dorpsstraat 12" not in receipt
    assert "De begeleiders hebben dingen weggehaald" in receipt


def test_facilitators_only_consent_can_never_be_shared_or_published(app, story_factories,
                                                                    factories):
    story, _ = story_factories.create_story(consent=ConsentLevel.FACILITATORS)
    for status in (StoryStatus.PUBLISHED, StoryStatus.SHARED):
        with pytest.raises(NotAllowed):
            service.moderate(story, None, status)
    assert story.status is StoryStatus.NEW
    assert service.allowed_statuses(story) == [StoryStatus.REVIEWED]


def test_group_consent_can_be_shared_but_not_published(app, story_factories):
    story, _ = story_factories.create_story(consent=ConsentLevel.GROUP)
    service.moderate(story, None, StoryStatus.SHARED)
    assert story.status is StoryStatus.SHARED
    with pytest.raises(NotAllowed):
        service.moderate(story, None, StoryStatus.PUBLISHED)


def test_publishing_against_consent_is_refused_on_the_page(client, facilitator, setting, app):
    with app.app_context():
        db.session.get(Story, setting["story"]).consent = ConsentLevel.FACILITATORS
        db.session.commit()
    url = f"/begeleiding/verhalen/{setting['story']}"
    page = client.get(url).get_data(as_text=True)
    assert "Zet op: Gepubliceerd" not in page
    response = client.post_form(f"{url}/status", {"status": "published"}, token_from=url)
    assert response.status_code == 422
    assert "geen toestemming gegeven om dit verhaal te publiceren" in response.get_data(
        as_text=True)
    assert _story(app, setting["story"]).status is StoryStatus.NEW
    assert "Vrijdagbrieven" not in client.get("/verhalen/lingewaard").get_data(as_text=True)


def test_publishing_with_consent_shows_it_without_identifying_data(client, facilitator,
                                                                   setting):
    url = f"/begeleiding/verhalen/{setting['story']}"
    response = client.post_form(f"{url}/status", {"status": "published"}, token_from=url)
    assert response.status_code == 302
    public = client.get("/verhalen/lingewaard")
    page = public.get_data(as_text=True)
    assert "Vrijdagbrieven" in page
    assert "anoniem@example.org" not in page and "Sanne" not in page
    assert setting["code"] not in page
    receipt = client.post_form("/bon", {"code": setting["code"]}).get_data(as_text=True)
    assert "Het staat op de website" in receipt


def test_nonsense_status_is_refused(client, facilitator, setting):
    url = f"/begeleiding/verhalen/{setting['story']}"
    for value in ("", "new", "withdrawn", "bogus", "\x00"):
        response = client.post_form(f"{url}/status", {"status": value}, token_from=url)
        assert response.status_code in (400, 422), value


def test_a_withdrawn_story_cannot_be_moderated(app, story_factories):
    story, _ = story_factories.create_story()
    service.withdraw(story)
    with pytest.raises(Exception):
        service.moderate(story, None, StoryStatus.PUBLISHED)
    assert service.allowed_statuses(story) == []


def test_themes_are_tagged(client, facilitator, setting, app):
    from portal.directory.models import Theme, ThemeGroup

    with app.app_context():
        theme = Theme(key="housing", group=ThemeGroup.LIFE_DOMAIN, name_nl="Wonen",
                      name_en="Housing")
        db.session.add(theme)
        db.session.commit()
        theme_id = theme.id
    url = f"/begeleiding/verhalen/{setting['story']}"
    client.post_form(f"{url}/themas", {"themes": [str(theme_id)]}, token_from=url)
    with app.app_context():
        assert [t.key for t in db.session.get(Story, setting["story"]).themes] == ["housing"]
    response = client.post_form(f"{url}/themas", {"themes": ["999"]}, token_from=url)
    assert response.status_code == 422


def test_opening_a_story_clears_the_new_message_mark(client, facilitator, setting, app):
    client.post_form("/bon/bericht", {"code": setting["code"], "body": "Nog iets"},
                     token_from="/bon")
    queue = client.get("/begeleiding/verhalen/").get_data(as_text=True)
    assert "1 verhaal heeft een nieuw bericht van de afzender" in queue
    client.get(f"/begeleiding/verhalen/{setting['story']}")
    assert not _story(app, setting["story"]).has_unread_from_sender


def test_capture_during_a_meeting(client, facilitator, setting, app, story_factories):
    from portal.directory.models import Municipality

    with app.app_context():
        series = story_factories.create_series(
            municipality=db.session.get(Municipality, setting["own"]), title="Huissen")
        meeting = story_factories.create_meeting(series=series)
        db.session.commit()
        meeting_id, series_id = meeting.id, series.id
    form = client.get("/begeleiding/verhalen/vastleggen").get_data(as_text=True)
    assert f'<option selected value="{meeting_id}">' in form or \
        f'value="{meeting_id}" selected' in form
    response = client.post_form("/begeleiding/verhalen/vastleggen", {
        "kind": "eye_opener", "body": "Brieven gaan langs veel bureaus.", "consent": "group",
        "meeting": str(meeting_id)})
    assert response.status_code == 302
    with app.app_context():
        story = db.session.scalars(sa.select(Story).where(
            Story.origin == StoryOrigin.CAPTURED)).one()
        assert story.meeting_id == meeting_id and story.series_id == series_id
        assert story.kind is StoryKind.EYE_OPENER and story.consent is ConsentLevel.GROUP
        assert story.municipality_id == setting["own"]
        assert story.receipt_lookup is None


def test_capture_keeps_the_text_when_consent_is_missing(client, facilitator, setting):
    response = client.post_form("/begeleiding/verhalen/vastleggen", {
        "kind": "story", "body": "Wat er verteld werd", "municipality": str(setting["own"])})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Wat er verteld werd" in page
    assert "Vraag de verteller wie het mag lezen" in page


def test_capture_in_a_foreign_municipality_is_refused(client, facilitator, setting, app):
    response = client.post_form("/begeleiding/verhalen/vastleggen", {
        "kind": "story", "body": "x", "consent": "group",
        "municipality": str(setting["other"])})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Story).where(
            Story.origin == StoryOrigin.CAPTURED)) == 0


def test_capture_service_refuses_concerns_and_foreign_municipalities(app, factories):
    own, other = factories.create_municipality(), factories.create_municipality()
    user = factories.create_user("facilitator", municipalities=[own])
    with pytest.raises(NotAllowed):
        service.capture(actor=user, municipality=other, kind=StoryKind.STORY,
                        consent=ConsentLevel.GROUP, body="x")
    with pytest.raises(Exception):
        service.capture(actor=user, municipality=own, kind=StoryKind.CONCERN,
                        consent=ConsentLevel.GROUP, body="x")


def test_export_is_plain_text_with_formulas_defused(client, facilitator, setting, app,
                                                    story_factories):
    from portal.directory.models import Municipality

    with app.app_context():
        story_factories.create_story(municipality=db.session.get(Municipality, setting["own"]),
                                     title="=HYPERLINK(\"http://evil\")", body="+1+1")
        db.session.commit()
    response = client.get("/begeleiding/verhalen/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    titles = [row[6] for row in rows[1:]]
    assert "Vrijdagbrieven" in titles and "Elders" not in titles
    assert "'=HYPERLINK(\"http://evil\")" in titles
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "<b>" not in response.get_data(as_text=True)
