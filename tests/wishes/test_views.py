"""What facilitators, organisation members, organisations without accounts, tellers and the public
see and do."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.wishes import service
from portal.wishes.models import (AnswerTemplate, Wish, WishAnswerLink, WishOrigin,
                                  WishStatus)
from tests.wishes.factories import create_rule, create_wish

FRIDAY = ("Nare brieven van de woningcorporatie en de gemeente komen altijd op vrijdag. "
          "Kan dat anders?")


def _theme(key):
    from portal.directory.models import Theme

    return db.session.scalars(sa.select(Theme).where(Theme.key == key)).one()


def _fresh():
    """End the test's own transaction, so it sees what the requests committed (WAL snapshot)."""
    db.session.commit()
    return db.session


def _get(app, model, id_):
    with app.app_context():
        return db.session.get(model, id_)


# Logging ---------------------------------------------------------------------------------------

def test_facilitator_logs_a_wish_and_sees_the_suggested_organisation(client, login_as, world,
                                                                     app):
    create_rule(_theme("housing"), world.organisation, world.municipality)
    db.session.commit()
    login_as(world.facilitator)
    response = client.post_form("/begeleiding/wensen/nieuw", {
        "what": FRIDAY, "why": "Ik heb dan een heel weekend stress.", "for_whom": "Huurders",
        "themes": [str(_theme("housing").id)], "municipality": str(world.municipality.id),
        "supporters": "6", "publication_consent": "y"})
    assert response.status_code == 302
    wish = _fresh().scalars(sa.select(Wish)).one()
    assert (wish.origin, wish.supporters, wish.status) == (WishOrigin.DIRECT, 6, WishStatus.NEW)
    page = client.get(response.location).get_data(as_text=True)
    assert "De wens is bewaard. Stuur hem nu naar een organisatie." in page
    assert "Voorstel volgens de regels: Woonstichting Betuwe Thuis." in page
    assert re.search(rf'<option selected value="{world.organisation.id}">', page) or \
        re.search(rf'<option value="{world.organisation.id}" selected', page)


@pytest.mark.parametrize("what,message", [
    ("", "Schrijf op wat er moet veranderen."),
    ("x" * 10_000, "Gebruik hoogstens 1.000 tekens."),
    ("Brieven\x00 op vrijdag", "onzichtbaar"),
])
def test_bad_input_shows_the_form_again_with_what_was_typed(client, login_as, world, what,
                                                            message):
    login_as(world.facilitator)
    response = client.post_form("/begeleiding/wensen/nieuw", {
        "what": what, "why": "Mijn eigen woorden <script>alert(1)</script>",
        "municipality": str(world.municipality.id), "supporters": "2"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Mijn eigen woorden &lt;script&gt;" in page
    assert _fresh().scalar(sa.select(sa.func.count(Wish.id))) == 0


def test_wrong_types_and_foreign_municipalities_do_not_break(client, login_as, world):
    login_as(world.facilitator)
    response = client.post_form("/begeleiding/wensen/nieuw", {
        "what": FRIDAY, "municipality": str(world.other_municipality.id), "supporters": "veel",
        "themes": ["abc", "99999"]})
    assert response.status_code == 422
    assert "Vul een getal in" in response.get_data(as_text=True)
    response = client.post_form("/begeleiding/wensen/nieuw", {
        "what": FRIDAY, "municipality": str(world.other_municipality.id), "supporters": "1"})
    assert response.status_code == 422  # not one of my municipalities: it is not a choice
    assert _fresh().scalar(sa.select(sa.func.count(Wish.id))) == 0


def test_quick_entry_during_a_meeting_preselects_todays_meeting(client, login_as, world, app):
    from portal.series.models import Meeting, Series, SeriesStatus
    from tests.factories import create_venue

    series = Series(slug="abc123", title="Ontmoetingen Huissen", municipality=world.municipality,
                    status=SeriesStatus.PUBLISHED)
    now = utcnow()
    meeting = Meeting(series=series, number=3, starts_at=now, ends_at=now + timedelta(hours=2),
                      venue=create_venue(municipality=world.municipality), capacity=20)
    db.session.add_all([series, meeting])
    db.session.commit()
    login_as(world.facilitator)
    page = client.get("/begeleiding/wensen/nieuw").get_data(as_text=True)
    assert re.search(rf'<option selected value="{meeting.id}">Ontmoetingen Huissen, '
                     rf'ontmoeting 3', page)
    response = client.post_form("/begeleiding/wensen/nieuw", {
        "what": FRIDAY, "meeting": str(meeting.id), "supporters": "4", "next": "another"})
    assert response.status_code == 302 and "/nieuw" in response.location
    wish = _fresh().scalars(sa.select(Wish)).one()
    assert (wish.origin, wish.meeting_id, wish.municipality_id) == (
        WishOrigin.MEETING, meeting.id, world.municipality.id)


def test_a_wish_from_an_anonymous_concern_keeps_the_story(client, login_as, world, app):
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind

    with app.test_request_context():
        story, code = stories.submit_anonymous(
            kind=StoryKind.CONCERN, consent=ConsentLevel.FACILITATORS, body="Mijn zorg.",
            wish_text="Brieven niet meer op vrijdag", municipality=world.municipality)
        db.session.commit()
    login_as(world.facilitator)
    page = client.get(f"/begeleiding/wensen/uit-verhaal/{story.id}").get_data(as_text=True)
    assert "Brieven niet meer op vrijdag</textarea>" in page
    assert "De verteller wil niet dat het verhaal op de website komt." in page
    response = client.post_form(f"/begeleiding/wensen/uit-verhaal/{story.id}", {
        "what": "Brieven niet meer op vrijdag", "supporters": "1", "publication_consent": "y"})
    assert response.status_code == 302
    wish = _fresh().scalars(sa.select(Wish)).one()
    assert (wish.origin, wish.story_id) == (WishOrigin.CONCERN, story.id)
    assert not wish.is_publishable  # the teller wanted facilitators only


# Routing and notices ---------------------------------------------------------------------------

def test_routing_mails_the_members_with_a_link_to_their_workspace(client, login_as, world,
                                                                   post_step, outbox):
    wish = create_wish(municipality=world.municipality, what=FRIDAY)
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{wish.id}"
    response = post_step(url, f"{url}/stap/route", "route",
                         organisation=str(world.organisation.id), note="Graag voor vrijdag.")
    assert response.status_code == 302
    mails = outbox()
    assert [m.to_address for m in mails] == ["petra@example.org"]
    assert mails[0].subject == "Een veranderwens voor Woonstichting Betuwe Thuis"
    assert f"/organisatie/wensen/{wish.id}" in mails[0].text_body
    assert "Graag voor vrijdag." in mails[0].text_body
    assert _fresh().scalar(sa.select(sa.func.count(WishAnswerLink.id))) == 0


def test_an_organisation_without_accounts_gets_a_personal_answer_link(
        client, login_as, world, post_step, outbox, factories, app):
    school = factories.create_organisation(name="Basisschool De Linde",
                                           contact_email="directie@linde.example")
    wish = create_wish(municipality=world.municipality, what=FRIDAY)
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{wish.id}"
    assert post_step(url, f"{url}/stap/route", "route",
                     organisation=str(school.id)).status_code == 302
    mail = outbox()[0]
    assert mail.to_address == "directie@linde.example"
    link = re.search(r"http://localhost(/wens/antwoord/\S+)", mail.text_body).group(1)
    token = link.rsplit("/", 1)[1]
    stored = _fresh().scalars(sa.select(WishAnswerLink)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert timedelta(days=13) < stored.expires_at - utcnow() <= timedelta(days=14)

    client.post_form("/account/uitloggen", token_from="/dashboard")
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Een wens voor Basisschool De Linde" in page.get_data(as_text=True)
    assert post_step(link, f"{link}/stap/acknowledge", "acknowledge").status_code == 302
    response = post_step(link, f"{link}/stap/mark_changed", "mark_changed",
                         note="We plannen ouderavonden niet meer op vrijdag.",
                         outcome="Ouderavonden op dinsdag.", changed_from="1-3-2026")
    assert response.status_code == 302
    wish = _get(app, Wish, wish.id)
    assert (wish.status, wish.changed_from) == (WishStatus.CHANGED, date(2026, 3, 1))
    with app.app_context():
        event = db.session.get(Wish, wish.id).events[-1]
        assert event.actor_kind.value == "answer_link" and event.actor_user_id is None
    # A forged step the workflow does not allow now: refused with a message.
    forged = post_step(link, f"{link}/stap/acknowledge", "acknowledge")
    assert forged.status_code == 422
    assert "Dit kan nu niet" in forged.get_data(as_text=True)
    # Staff-only steps through the link: refused.
    assert post_step(link, f"{link}/stap/close", "close", channel="meeting",
                     note="x").status_code == 403


def test_an_expired_or_replaced_link_no_longer_works(client, world, app, post_step):
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation)
    token = service.issue_answer_link(wish)
    db.session.commit()
    assert client.get(f"/wens/antwoord/{token}").status_code == 200
    link = _fresh().scalars(sa.select(WishAnswerLink)).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/wens/antwoord/{token}")
    assert page.status_code == 410
    assert "Deze link werkt niet meer" in page.get_data(as_text=True)
    assert client.get("/wens/antwoord/not-a-real-token").status_code == 404
    fresh = service.issue_answer_link(wish)
    second = service.issue_answer_link(wish)  # a new routing replaces the old link
    db.session.commit()
    assert client.get(f"/wens/antwoord/{fresh}").status_code == 410
    assert client.get(f"/wens/antwoord/{second}").status_code == 200


def test_an_organisation_without_members_or_address_cannot_be_chosen(client, login_as, world,
                                                                     factories, post_step):
    nobody = factories.create_organisation(name="Stichting Zonder Adres", contact_email="")
    wish = create_wish(municipality=world.municipality)
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{wish.id}"
    response = post_step(url, f"{url}/stap/route", "route", organisation=str(nobody.id))
    assert response.status_code == 422
    assert "geen accounts en geen e-mailadres" in response.get_data(as_text=True)


@pytest.mark.parametrize("step, field", [("route", "organisation"), ("merge", "target")])
@pytest.mark.parametrize("sent", ["99999999999999999999999", "²", "0"])
def test_an_id_no_database_could_hold_is_refused_plainly(client, login_as, world, post_step,
                                                          app, step, field, sent):
    wish = create_wish(municipality=world.municipality)
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{wish.id}"
    response = post_step(url, f"{url}/stap/{step}", step, **{field: sent})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert _get(app, Wish, wish.id).status is WishStatus.NEW


# The organisation's workspace ------------------------------------------------------------------

def test_member_acknowledges_answers_and_marks_changed(client, login_as, world, post_step, app):
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation, what=FRIDAY)
    db.session.commit()
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    page = client.get(url).get_data(as_text=True)
    assert FRIDAY in page and "Ontvangst bevestigen" in page
    assert "Veranderd: zeg wat er anders is" not in page  # not possible yet
    assert post_step(url, f"{url}/stap/acknowledge", "acknowledge").status_code == 302
    missing = post_step(url, f"{url}/stap/mark_changed", "mark_changed", note="Gedaan.",
                        outcome="", changed_from="morgen")
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert "Vul een datum in, zoals 1-3-2026." in text
    assert "Gedaan.</textarea>" in text  # what was typed stays
    response = post_step(url, f"{url}/stap/mark_changed", "mark_changed",
                         note="Onze brieven gaan voortaan op dinsdag de deur uit.",
                         outcome="Brieven op dinsdag in plaats van vrijdag.",
                         changed_from="2026-03-02")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Bewaard. De status is nu: Veranderd." in page
    assert "Onze brieven gaan voortaan op dinsdag de deur uit." in page
    with app.app_context():
        actions = [e.action for e in db.session.get(Wish, wish.id).events]
    assert actions == ["acknowledge", "mark_changed"]


def test_hand_back_tells_the_facilitators_and_leaves_the_queue(client, login_as, world,
                                                               post_step, outbox):
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation, what=FRIDAY)
    db.session.commit()
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    empty = post_step(url, f"{url}/stap/hand_back", "hand_back", note="")
    assert empty.status_code == 422
    assert "Schrijf waarom deze wens niet voor jouw organisatie is." in empty.get_data(
        as_text=True)
    response = post_step(url, f"{url}/stap/hand_back", "hand_back",
                         note="Brieven van de gemeente gaan over de gemeente.")
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert FRIDAY not in client.get("/organisatie/wensen/").get_data(as_text=True)
    mails = outbox()
    assert [m.to_address for m in mails] == ["sanne@example.org"]  # not Otto of Oldenzaal
    assert "Brieven van de gemeente gaan over de gemeente." in mails[0].text_body


def test_member_never_sees_the_story_or_who_told_it(client, login_as, world, app):
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind

    with app.test_request_context():
        story, _code = stories.submit_anonymous(
            kind=StoryKind.STORY, consent=ConsentLevel.GROUP,
            body="Mijn buurvrouw Truus van nummer 12 kreeg ook zo'n brief.",
            municipality=world.municipality)
        wish = service.wish_from_story(world.facilitator, story, what=FRIDAY)
        service.route_wish(wish, world.facilitator, world.organisation, links=service.Links(
            staff_wish=str, workspace_wish=str, answer_link=str))
        db.session.commit()
    login_as(world.member)
    page = client.get(f"/organisatie/wensen/{wish.id}").get_data(as_text=True)
    assert FRIDAY in page
    assert "Truus" not in page and "verhalen" not in page


def test_queue_filters_and_a_fixed_number_of_queries(client, login_as, world, count_queries):
    housing, health = _theme("housing"), _theme("health")
    overdue = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                          organisation=world.organisation, what="Te laat bevestigd",
                          acknowledge_due_on=date.today() - timedelta(days=3), themes=[housing])
    create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                organisation=world.organisation, what="Wordt aan gewerkt", themes=[health])
    create_wish(WishStatus.ROUTED, municipality=world.other_municipality,
                organisation=world.other_organisation, what="Van een ander")
    db.session.commit()
    login_as(world.member)

    def titles(query=""):
        page = client.get(f"/organisatie/wensen/{query}").get_data(as_text=True)
        return {t for t in ("Te laat bevestigd", "Wordt aan gewerkt", "Van een ander")
                if t in page}

    assert titles() == {"Te laat bevestigd", "Wordt aan gewerkt"}
    assert titles("?status=in_progress") == {"Wordt aan gewerkt"}
    assert titles(f"?thema={housing.id}") == {"Te laat bevestigd"}
    assert titles("?te_laat=1") == {"Te laat bevestigd"}
    assert titles(f"?gemeente={world.other_municipality.id}") == set()
    assert "Te laat" in client.get("/organisatie/wensen/").get_data(as_text=True)
    assert client.get("/organisatie/wensen/?status=<script>&thema=x&pagina=abc").status_code \
        == 200
    del overdue

    with count_queries() as few:
        client.get("/organisatie/wensen/")
    _fresh()
    for n in range(20):
        create_wish(WishStatus.ROUTED, municipality=world.municipality,
                    organisation=world.organisation, themes=[housing, health])
    db.session.commit()
    with count_queries() as many:
        client.get("/organisatie/wensen/")
    assert len(many) == len(few)


def test_answer_templates_fill_in_the_answer(client, login_as, world, app):
    wish = create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    login_as(world.member)
    response = client.post_form("/organisatie/wensen/sjablonen", {
        "title": "Bedankt", "body": "Dank voor jullie wens. We kijken ernaar."})
    assert response.status_code == 302
    template = _fresh().scalars(sa.select(AnswerTemplate)).one()
    page = client.get(f"/organisatie/wensen/{wish.id}").get_data(as_text=True)
    assert "Begin met een bewaard antwoord:" in page
    page = client.get(f"/organisatie/wensen/{wish.id}?sjabloon={template.id}").get_data(
        as_text=True)
    assert "Dank voor jullie wens. We kijken ernaar.</textarea>" in page


# Merging, closing, the dashboard ---------------------------------------------------------------

def test_merging_keeps_both_origins_and_adds_the_supporters(client, login_as, world, post_step,
                                                           app):
    first = create_wish(municipality=world.municipality, supporters=4, what="Eerste")
    duplicate = create_wish(WishStatus.ROUTED, municipality=world.municipality, supporters=3,
                            origin=WishOrigin.MEETING, organisation=world.organisation,
                            what="Dubbel")
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{duplicate.id}"
    assert post_step(url, f"{url}/stap/merge", "merge",
                     target=str(first.id)).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Deze wens is samengevoegd met:" in page
    target_page = client.get(f"/begeleiding/wensen/{first.id}").get_data(as_text=True)
    assert "7 mensen" in target_page and f"Wens {duplicate.id}" in target_page
    assert "Dubbel" not in client.get("/begeleiding/wensen/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Wish, duplicate.id).origin is WishOrigin.MEETING


def test_closing_needs_the_channel_and_the_answer(client, login_as, world, post_step, app):
    wish = create_wish(WishStatus.CHANGED, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    login_as(world.facilitator)
    url = f"/begeleiding/wensen/{wish.id}"
    refused = post_step(url, f"{url}/stap/close", "close", note="")
    assert refused.status_code == 422
    assert "Schrijf welk antwoord je hebt doorgegeven." in refused.get_data(as_text=True)
    assert post_step(url, f"{url}/stap/close", "close", channel="meeting",
                     note="Verteld in ontmoeting 4.").status_code == 302
    assert _get(app, Wish, wish.id).status is WishStatus.CLOSED


def test_the_dashboard_lists_overdue_and_handed_back_wishes(client, login_as, world):
    create_wish(WishStatus.ROUTED, municipality=world.municipality,
                organisation=world.organisation, what="Nog niet bevestigd",
                acknowledge_due_on=date.today() - timedelta(days=1))
    create_wish(WishStatus.RETURNED, municipality=world.municipality, what="Kwam terug")
    create_wish(WishStatus.RETURNED, municipality=world.other_municipality, what="Elders")
    db.session.commit()
    login_as(world.facilitator)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Wensen die op jou wachten" in page
    assert "Woonstichting Betuwe Thuis heeft de ontvangst niet op tijd bevestigd" in page
    assert "Kwam terug" in page and "Elders" not in page


# The public board, the feed, the teller --------------------------------------------------------

def _published(world, **overrides):
    values = {"municipality": world.municipality, "organisation": world.organisation,
              "publication_consent": True, "what": FRIDAY, "themes": [_theme("housing")]}
    return create_wish(WishStatus.CHANGED, **(values | overrides))


def test_the_board_shows_changed_wishes_with_consent_only(client, world, app):
    _published(world)
    create_wish(WishStatus.CLOSED, municipality=world.municipality,
                organisation=world.organisation, publication_consent=True,
                what="Ook gesloten en veranderd")
    _published(world, publication_consent=False, what="Geen toestemming")
    create_wish(WishStatus.DECLINED, municipality=world.municipality,
                organisation=world.organisation, publication_consent=True, what="Afgewezen")
    _published(world, municipality=world.other_municipality, what="Andere gemeente")
    db.session.commit()
    response = client.get("/jij-zei-wij-deden/lingewaard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert FRIDAY in page and "Ook gesloten en veranderd" in page
    assert "Woonstichting Betuwe Thuis deed:" in page
    for hidden in ("Geen toestemming", "Afgewezen", "Andere gemeente", "weekend stress"):
        assert hidden not in page
    filtered = client.get(f"/jij-zei-wij-deden/lingewaard?thema={_theme('health').id}")
    assert FRIDAY not in filtered.get_data(as_text=True)
    assert client.get("/jij-zei-wij-deden/nergens").status_code == 404


def test_a_story_without_public_consent_keeps_its_wish_off_the_board(client, world, app):
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind

    with app.test_request_context():
        story, _code = stories.submit_anonymous(
            kind=StoryKind.STORY, consent=ConsentLevel.GROUP, body="Verhaal.",
            municipality=world.municipality)
        _published(world, story=story, origin=WishOrigin.STORY, what="Uit een groepsverhaal")
        db.session.commit()
    assert "Uit een groepsverhaal" not in client.get("/jij-zei-wij-deden/lingewaard").get_data(
        as_text=True)


def test_the_board_costs_the_same_for_one_or_twenty_results(client, world, count_queries):
    _published(world)
    db.session.commit()
    with count_queries() as one:
        client.get("/jij-zei-wij-deden/lingewaard")
    _fresh()
    for _ in range(19):
        _published(world, themes=[_theme("housing"), _theme("health")])
    db.session.commit()
    with count_queries() as twenty:
        client.get("/jij-zei-wij-deden/lingewaard")
    assert len(one) == len(twenty) <= 8


def test_the_atom_feed_is_valid_atom(client, world):
    _published(world)
    db.session.commit()
    response = client.get("/jij-zei-wij-deden/lingewaard/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{atom}{required}") is not None, required
    assert feed.find(f"{atom}title").text == "Jij zei, wij deden: Lingewaard"
    assert feed.find(f"{atom}link[@rel='self']") is not None
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 1
    entry = entries[0]
    for required in ("id", "title", "updated", "summary"):
        assert entry.find(f"{atom}{required}") is not None, required
    assert entry.find(f"{atom}link[@rel='alternate']").get("href").startswith(
        "http://localhost/jij-zei-wij-deden/lingewaard#wens-")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d",
                        entry.find(f"{atom}updated").text)


def test_the_teller_sees_status_and_answer(world, app):
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind

    with app.test_request_context():
        story, _code = stories.submit_anonymous(
            kind=StoryKind.CONCERN, consent=ConsentLevel.FACILITATORS, body="Zorg.",
            municipality=world.municipality)
        wish = service.wish_from_story(world.facilitator, story, what=FRIDAY)
        [seen] = service.wishes_for_story(story)
        assert seen.status == "De begeleiders sturen de wens naar een organisatie."
        wish.status, wish.organisation = WishStatus.CHANGED, world.organisation
        wish.public_answer, wish.outcome = "We sturen ze op dinsdag.", "Dinsdag."
        from portal.wishes.models import Resolution
        wish.resolution = Resolution.CHANGED
        duplicate = service.wish_from_story(world.facilitator, story, what="Dubbel")
        duplicate.status, duplicate.merged_into = WishStatus.MERGED, wish
        first, second = service.wishes_for_story(story)
        assert first.status == second.status == "Veranderd."
        assert "Antwoord van Woonstichting Betuwe Thuis: We sturen ze op dinsdag." in \
            second.status_label
        assert "Sanne" not in first.status_label


def test_story_page_links_to_making_a_wish_from_it(client, login_as, factories):
    """A facilitator turns a story into a wish from the story page; the form starts from it."""
    import re

    from portal.extensions import db
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind

    municipality = factories.create_municipality()
    story, code = stories.submit_anonymous(
        body="Brieven komen altijd op vrijdag.", title="Vrijdagbrieven", kind=StoryKind.CONCERN,
        consent=ConsentLevel.PUBLIC, municipality=municipality,
        wish_text="Stuur ze eerder in de week.")
    facilitator = factories.create_user("facilitator", municipalities=[municipality])
    db.session.commit()
    login_as(facilitator)
    page = client.get(f"/begeleiding/verhalen/{story.id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">Maak hier een veranderwens van', page)
    assert link, "the story page links to making a wish"
    form = client.get(link.group(1))
    assert form.status_code == 200
    assert "Stuur ze eerder in de week." in form.get_data(as_text=True)
