"""The "what works" exchange: a changed wish becomes a practice, is published, proposed in
another municipality and routed there with the precedent linked; access and bad input."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db


@pytest.fixture
def two_towns(app, factories):
    """Lingewaard with a changed wish at its housing corporation; Oldenzaal with its own one."""
    from portal.directory.models import Theme, ThemeGroup
    from portal.wishes import service, workflow

    with app.app_context():
        lingewaard = factories.create_municipality(name="Lingewaard", slug="lingewaard")
        oldenzaal = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
        theme = Theme(key="wonen-test", group=ThemeGroup.LIFE_DOMAIN, name_nl="Wonen",
                      name_en="Housing")
        db.session.add(theme)
        corporation = factories.create_organisation(
            name="Woonstichting Lingewaard", contact_email="info@wl.example",
            municipalities=[lingewaard])
        twente = factories.create_organisation(
            name="Woonstichting Twente Thuis", contact_email="info@tt.example",
            municipalities=[oldenzaal])
        staff = factories.create_user("facilitator", municipalities=[lingewaard])
        member = factories.create_user("organisation_member", organisation=corporation)
        wish = service.log_wish(staff, municipality=lingewaard,
                                what="Geen brieven over schulden op vrijdag", themes=[theme])
        links = service.Links(lambda w: "x", lambda w: "x", lambda t: "x")
        service.route_wish(wish, staff, corporation, links=links)
        workflow.transition(wish, "acknowledge", member)
        workflow.transition(wish, "mark_changed", member,
                            "We sturen geen brieven meer op vrijdag.",
                            outcome="Brieven over achterstand gaan nu op dinsdag de deur uit.",
                            changed_from=date(2026, 3, 1))
        db.session.commit()
        return {"lingewaard": lingewaard.id, "oldenzaal": oldenzaal.id, "wish": wish.id,
                "staff": staff.id, "twente": twente.id, "theme": theme.id}


def _login(client, app, user_id):
    from portal.auth.models import User
    from tests.conftest import PASSWORD

    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post_form("/account/inloggen", {"email": email, "password": PASSWORD})
    assert response.status_code == 302


def _municipality_id(app, user) -> str:
    from portal.auth.models import User

    with app.app_context():
        return str(db.session.get(User, user.id).municipalities[0].id)


def _csrf(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_friday_letters_walk(app, client, login_as, factories, two_towns):
    from portal.learning.models import Practice
    from portal.wishes.models import Wish, WishStatus

    _login(client, app, two_towns["staff"])
    wish_url = f"/begeleiding/wensen/{two_towns['wish']}"
    assert "Publiceer als wat werkt" in client.get(wish_url).get_data(as_text=True)
    response = client.post(f"/begeleiding/wat-werkt/uit-wens/{two_towns['wish']}",
                           data={"csrf_token": _csrf(client, wish_url)})
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    with app.app_context():
        practice = db.session.scalars(sa.select(Practice)).one()
        practice_id = practice.id
        assert not practice.is_published
        assert "We sturen geen brieven meer op vrijdag." in practice.evidence
        assert "dinsdag" in practice.what_was_done
    # A draft is not public.
    assert app.test_client().get(f"/wat-werkt/{practice_id}").status_code == 404
    client.post(f"/begeleiding/wat-werkt/{practice_id}/publiceren",
                data={"csrf_token": _csrf(client, edit_url), "publish": "1"})

    # A facilitator in Oldenzaal proposes it there.
    with app.app_context():
        from portal.directory.models import Municipality
        other = factories.create_user(
            "facilitator", municipalities=[db.session.get(Municipality, two_towns["oldenzaal"])])
        db.session.commit()
        other_id = other.id
    client = app.test_client()
    _login(client, app, other_id)
    page = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Stel dit hier voor" in page
    response = client.post(f"/begeleiding/wat-werkt/{practice_id}/voorstellen",
                           data={"csrf_token": _csrf(client, f"/wat-werkt/{practice_id}")})
    assert response.status_code == 302
    with app.app_context():
        proposed = db.session.scalars(sa.select(Wish).where(
            Wish.municipality_id == two_towns["oldenzaal"])).one()
        assert proposed.status is WishStatus.ROUTED
        assert proposed.organisation_id == two_towns["twente"]
        assert proposed.precedent_practice_id == practice_id
        assert [t.name_nl for t in proposed.themes] == ["Wonen"]
        proposed_id = proposed.id
    precedent = f'href="/wat-werkt/{practice_id}"'
    assert precedent in client.get(f"/begeleiding/wensen/{proposed_id}").get_data(as_text=True)
    # Oldenzaal's corporation sees where it already worked: in its workspace and on the answer
    # link of an organisation without accounts.
    with app.app_context():
        from portal.directory.models import Organisation
        from portal.wishes import service as wish_service

        member = factories.create_user(
            "organisation_member", organisation=db.session.get(Organisation, two_towns["twente"]))
        token = wish_service.issue_answer_link(db.session.get(Wish, proposed_id))
        db.session.commit()
        member_id = member.id
    member_client = app.test_client()
    _login(member_client, app, member_id)
    assert precedent in member_client.get(f"/organisatie/wensen/{proposed_id}").get_data(
        as_text=True)
    assert precedent in app.test_client().get(f"/wens/antwoord/{token}").get_data(as_text=True)

    # Not the Oldenzaal facilitator's practice to edit.
    assert client.get(f"/begeleiding/wat-werkt/{practice_id}").status_code == 404

    client = app.test_client()
    public = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Opgepakt in 2 gemeenten: Lingewaard, Oldenzaal." in public
    assert "Stel dit hier voor" not in public
    listing = client.get("/wat-werkt?organisatie=housing_corporation").get_data(as_text=True)
    assert "Geen brieven over schulden op vrijdag" in listing
    assert "Geen brieven" not in client.get("/wat-werkt?organisatie=school").get_data(
        as_text=True)
    by_theme = f"/wat-werkt?thema={two_towns['theme']}"
    assert "Geen brieven over schulden op vrijdag" in client.get(by_theme).get_data(as_text=True)
    with app.app_context():
        from portal.directory.models import Theme, ThemeGroup

        other_theme = Theme(key="gezondheid-test", group=ThemeGroup.LIFE_DOMAIN,
                            name_nl="Gezondheid", name_en="Health")
        db.session.add(other_theme)
        db.session.commit()
        other_theme_id = other_theme.id
    assert "Geen brieven" not in client.get(f"/wat-werkt?thema={other_theme_id}").get_data(
        as_text=True)
    feed = client.get("/wat-werkt/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    from xml.etree import ElementTree
    root = ElementTree.fromstring(feed.data)
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 1

    # Only once Oldenzaal's corporation changes it too does the page say it changed things there.
    assert "Het veranderde iets in: Lingewaard." in public
    with app.app_context():
        from portal.wishes import workflow

        wish = db.session.get(Wish, proposed_id)
        member = factories.create_user("organisation_member", organisation=wish.organisation)
        workflow.transition(wish, "acknowledge", member)
        workflow.transition(wish, "mark_changed", member, "Ook hier gaan ze op dinsdag.",
                            outcome="Brieven op dinsdag.", changed_from=date(2026, 6, 1))
        db.session.commit()
    public = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Het veranderde iets in: Lingewaard, Oldenzaal." in public


def test_organisation_members_are_refused(client, login_as):
    login_as("organisation_member")
    assert client.get("/begeleiding/wat-werkt/").status_code == 403
    assert client.get("/begeleiding/wat-werkt/nieuw").status_code == 403


@pytest.mark.parametrize("title,summary,message", [
    ("", "Iets", "Geef de praktijk een titel."),
    ("Titel", "", "Schrijf kort op wat werkte."),
    ("Titel", "x" * 10_000, "Gebruik maximaal 5000 tekens."),
    ("Titel\x00", "Iets", None),
])
def test_bad_input_keeps_what_was_typed(app, client, login_as, title, summary, message):
    user = login_as("facilitator")
    url = "/begeleiding/wat-werkt/nieuw"
    response = client.post_form(url, {"kind": "lesson", "title": title, "summary": summary,
                                      "municipality_id": _municipality_id(app, user)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    if message:
        assert message in page
    from portal.learning.models import Practice
    with app.app_context():
        assert db.session.scalars(sa.select(Practice)).first() is None


def test_html_is_stored_harmless(app, client, login_as):
    user = login_as("facilitator")
    response = client.post_form("/begeleiding/wat-werkt/nieuw", {
        "kind": "lesson", "title": "<b>Koffie</b> eerst",
        "summary": "<script>alert(1)</script>Begin met koffie.",
        "what_was_done": "Voor kinderen < 12 jaar en ouders > 65 jaar: gratis & dichtbij.",
        "municipality_id": _municipality_id(app, user)})
    assert response.status_code == 302
    from portal.learning.models import Practice
    with app.app_context():
        practice = db.session.scalars(sa.select(Practice)).one()
        assert practice.title == "Koffie eerst"
        assert "<script" not in practice.summary
        # A lone "<" or ">" is text, not a tag: no words go missing.
        assert practice.what_was_done == ("Voor kinderen < 12 jaar en ouders > 65 jaar: "
                                          "gratis & dichtbij.")


def test_demo_has_the_friday_letters_practice_in_two_municipalities(app):
    from portal.learning.models import Practice, PracticeKind
    from portal.wishes.models import Wish, WishStatus

    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    assert "joost@ontmoetingen.example" in result.output
    with app.app_context():
        # (Lingewaard shares an agenda template too, see test_practice_templates.py.)
        practice = db.session.scalars(sa.select(Practice).where(
            Practice.kind == PracticeKind.CHANGE)).one()
        assert practice.is_published and practice.municipality.name == "Lingewaard"
        proposed = db.session.scalars(sa.select(Wish).where(
            Wish.precedent_practice_id == practice.id)).one()
        assert proposed.municipality.name == "Oldenzaal"
        assert proposed.status is WishStatus.ROUTED
        assert proposed.organisation.name == "Woonstichting Twente Thuis"
        practice_id = practice.id
    page = app.test_client().get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Opgepakt in 2 gemeenten: Lingewaard, Oldenzaal." in page
    # Raised in the completed Gendt series: its evaluation is part of the evidence.
    assert "Evaluatie van de reeks (" in page and "Ik voelde me gehoord: " in page


def test_without_a_local_organisation_the_wish_stays_new_and_says_so(app, client, factories,
                                                                     two_towns):
    from portal.directory.models import Municipality, Organisation
    from portal.learning import practices
    from portal.learning.models import Practice
    from portal.auth.models import User
    from portal.wishes.models import Wish, WishStatus

    with app.app_context():
        practice = practices.draft_from_wish(db.session.get(User, two_towns["staff"]),
                                             db.session.get(Wish, two_towns["wish"]))
        practices.publish(db.session.get(User, two_towns["staff"]), practice)
        db.session.get(Organisation, two_towns["twente"]).is_active = False
        elsewhere = factories.create_user("facilitator", municipalities=[
            db.session.get(Municipality, two_towns["oldenzaal"])])
        db.session.commit()
        practice_id, user_id = practice.id, elsewhere.id
    _login(client, app, user_id)
    response = client.post(f"/begeleiding/wat-werkt/{practice_id}/voorstellen",
                           data={"csrf_token": _csrf(client, f"/wat-werkt/{practice_id}")},
                           follow_redirects=True)
    assert "Er werkt nog geen organisatie van deze soort in je gemeente." in \
        response.get_data(as_text=True)
    with app.app_context():
        proposed = db.session.scalars(sa.select(Wish).where(
            Wish.precedent_practice_id == practice_id)).one()
        assert proposed.status is WishStatus.NEW and proposed.organisation_id is None
        assert db.session.get(Practice, practice_id).adoptions[0].wish_id == proposed.id


def test_public_lookups_that_do_not_exist(client):
    assert client.get("/wat-werkt/999999").status_code == 404
    assert client.get("/wat-werkt/99999999999999999999").status_code == 404
    page = client.get("/wat-werkt?thema=abc&organisatie=<script>&zoek=%25&pagina=99")
    assert page.status_code == 200
    assert "<script>" not in page.get_data(as_text=True).split("<main", 1)[-1]


def test_coordinators_cannot_propose_and_drafts_need_a_changed_wish(app, client, login_as,
                                                                     two_towns):
    from portal.auth.models import User
    from portal.directory.models import Municipality
    from portal.learning.models import Practice
    from portal.wishes import service

    coordinator = login_as("coordinator")
    wish_url = f"/begeleiding/wensen/{two_towns['wish']}"
    response = client.post("/begeleiding/wat-werkt/1/voorstellen",
                           data={"csrf_token": _csrf(client, wish_url)})
    assert response.status_code == 403
    with app.app_context():
        open_wish = service.log_wish(db.session.get(User, coordinator.id),
                                     municipality=db.session.get(Municipality,
                                                                 two_towns["lingewaard"]),
                                     what="Meer bankjes in het park")
        db.session.commit()
        open_id = open_wish.id
    open_url = f"/begeleiding/wensen/{open_id}"
    assert "Publiceer als wat werkt" not in client.get(open_url).get_data(as_text=True)
    response = client.post(f"/begeleiding/wat-werkt/uit-wens/{open_id}",
                           data={"csrf_token": _csrf(client, open_url)}, follow_redirects=True)
    assert "Alleen een wens die iets veranderde kan een praktijk worden." in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Practice)).first() is None


def test_no_proposal_where_it_already_worked(app, client, two_towns):
    from portal.auth.models import User
    from portal.learning import practices
    from portal.wishes.models import Wish

    with app.app_context():
        staff = db.session.get(User, two_towns["staff"])
        practice = practices.draft_from_wish(staff, db.session.get(Wish, two_towns["wish"]))
        practices.publish(staff, practice)
        db.session.commit()
        practice_id = practice.id
    _login(client, app, two_towns["staff"])
    assert "Stel dit hier voor" not in client.get(f"/wat-werkt/{practice_id}").get_data(
        as_text=True)
    response = client.post(f"/begeleiding/wat-werkt/{practice_id}/voorstellen",
                           data={"csrf_token": _csrf(client, "/wat-werkt")},
                           follow_redirects=True)
    assert "Dit werkte al in je eigen gemeente." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Wish.id))) == 1


def test_the_evidence_carries_the_residents_confirmation_and_the_evaluation(
        app, factories, learning_series):
    """Made from a wish raised in a meeting: the residents' answers (counts, never their notes)
    and the series' scores on the method's values, from enough answers only."""
    from portal.learning import practices
    from portal.learning.models import SCORE_KEYS, EvaluationResponse
    from portal.wishes import workflow
    from portal.wishes.models import Confirmation, WishStatus
    from tests.wishes.factories import create_wish

    series = learning_series()
    first, second = series.meetings[0], series.meetings[1]
    for meeting, scores in ((first, (5, 5, 4, 4, 3, 3)), (second, (1, 1, 1))):
        for score in scores:
            db.session.add(EvaluationResponse(meeting_id=meeting.id, answered_on=date.today(),
                                              **{key: score for key in SCORE_KEYS}))
    staff = factories.create_user("facilitator", municipalities=[series.municipality])
    wish = create_wish(WishStatus.CHANGED, municipality=series.municipality, meeting=first)
    workflow.transition(wish, "confirm", staff, "Mijn buurvrouw kreeg hem op vrijdag.",
                        answer=Confirmation.PARTLY)
    practice = practices.draft_from_wish(staff, wish)
    assert "Deels bevestigd door inwoners: 0 ja, 1 deels, 0 nee." in practice.evidence
    assert "buurvrouw" not in practice.evidence
    # Meeting 2 has only three answers: it does not count, so the average stays 4.0.
    assert "Evaluatie van de reeks (6 antwoorden)" in practice.evidence
    assert "Ik voelde me gehoord: 4,0 van 5" in practice.evidence


def test_practice_lists_cost_the_same_for_three_or_a_page_full(client, login_as, factories,
                                                             count_queries):
    from portal.directory.models import Theme, ThemeGroup
    from portal.learning.models import Practice, PracticeAdoption, PracticeKind
    from portal.models import utcnow

    elsewhere = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
    staff = factories.create_user("coordinator")
    themes = [Theme(key=f"t{n}", group=ThemeGroup.LIFE_DOMAIN, name_nl=f"Thema {n}",
                    name_en=f"Theme {n}") for n in range(3)]
    db.session.add_all(themes)

    def add(count):
        db.session.commit()  # a fresh snapshot: the requests wrote since this session last read
        for n in range(count):
            # Each from its own municipality: a lazy load per row would show.
            practice = Practice(kind=PracticeKind.LESSON, title=f"Les {n}", summary="Kort.",
                                municipality=factories.create_municipality(),
                                created_by=staff, themes=themes,
                                organisation_kind="housing_corporation", is_published=True,
                                published_at=utcnow())
            db.session.add(practice)
            db.session.add(PracticeAdoption(practice=practice, municipality_id=elsewhere.id))
        db.session.commit()

    add(3)
    login_as(staff)
    public = client.application.test_client()
    urls = ["/wat-werkt", "/wat-werkt?thema=&organisatie=housing_corporation",
            "/wat-werkt/feed.atom", "/begeleiding/wat-werkt/"]
    few = []
    for url in urls:
        with count_queries() as statements:
            assert (public if url.startswith("/wat") else client).get(url).status_code == 200
        few.append(len(statements))
    add(22)  # more than a page
    for url, before in zip(urls, few):
        with count_queries() as statements:
            response = (public if url.startswith("/wat") else client).get(url)
        assert "Les 21" in response.get_data(as_text=True)
        assert len(statements) == before, url
    assert max(few) <= 8
