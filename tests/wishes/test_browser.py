"""The whole loop in Chromium: a teller's concern becomes a wish at a meeting, the housing
corporation acknowledges and changes it, the public board shows it, the teller reads the answer
with the receipt code."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FRIDAY = ("Nare brieven van de woningcorporatie en de gemeente komen altijd op vrijdag. Ik kan "
          "dan niemand bereiken, dus ik heb een heel weekend stress. Kan dat anders?")
WISH = "Verstuur nare brieven niet meer op vrijdag."
ANSWER = "We wisten niet hoe dat landde. Onze brieven gaan nu op dinsdag de deur uit."


def _log_in(page, email):
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


@pytest.fixture
def loop_world(app, factories):
    from portal.directory.models import Theme
    from portal.extensions import db
    from portal.models import utcnow
    from portal.seed import seed_defaults
    from portal.series.models import Meeting, Series, SeriesStatus
    from portal.stories import service as stories
    from portal.stories.models import ConsentLevel, StoryKind
    from portal.wishes.models import RoutingRule

    seed_defaults()
    lingewaard = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    corporation = factories.create_organisation(name="Woonstichting Betuwe Thuis",
                                                municipalities=[lingewaard])
    housing = db.session.scalars(sa.select(Theme).where(Theme.key == "housing")).one()
    db.session.add(RoutingRule(theme=housing, organisation=corporation, municipality=lingewaard))
    factories.create_user("facilitator", email="sanne@example.org", display_name="Sanne",
                          municipalities=[lingewaard])
    factories.create_user("organisation_member", email="petra@example.org",
                          display_name="Petra", organisation=corporation)
    series = Series(slug="huissen1", title="Ontmoetingen Huissen", municipality=lingewaard,
                    status=SeriesStatus.PUBLISHED)
    now = utcnow()
    db.session.add(Meeting(series=series, number=3, starts_at=now - timedelta(hours=1),
                           ends_at=now + timedelta(hours=1), capacity=20,
                           venue=factories.create_venue(municipality=lingewaard)))
    with app.test_request_context():
        story, code = stories.submit_anonymous(
            kind=StoryKind.CONCERN, consent=ConsentLevel.PUBLIC, body=FRIDAY, wish_text=WISH,
            municipality=lingewaard, themes=[housing])
    db.session.commit()
    return {"story_id": story.id, "code": code}


def test_the_friday_letters_loop(page, browser, live_server, loop_world):
    # The facilitator turns the concern into a wish during meeting 3 and routes it.
    _log_in(page, "sanne@example.org")
    page.goto(f"/begeleiding/wensen/uit-verhaal/{loop_world['story_id']}")
    assert page.get_by_label("Wat moet er veranderen?").input_value() == WISH
    assert "Ontmoetingen Huissen, ontmoeting 3" in page.locator(
        "#meeting option:checked").inner_text()
    page.get_by_label("Hoeveel mensen in de groep delen deze wens?").fill("6")
    page.get_by_role("button", name="Bewaren en doorsturen").click()
    page.wait_for_url("**/begeleiding/wensen/*")
    assert page.locator("#route-organisation option:checked").inner_text() == \
        "Woonstichting Betuwe Thuis (voorgesteld)"
    page.get_by_role("button", name="Naar een organisatie sturen").click()
    assert page.get_by_test_id("wish-status").inner_text().startswith(
        "Doorgestuurd naar organisatie")
    page.get_by_role("button", name="Uitloggen").click()

    # Petra of the housing corporation acknowledges it and says what changed.
    _log_in(page, "petra@example.org")
    page.get_by_role("link", name="Wensen voor ons").click()
    page.get_by_role("link", name=WISH).click()
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    assert page.get_by_test_id("wish-status").inner_text().startswith("Mee bezig")
    page.locator("#mark_changed-outcome").fill("Brieven gaan op dinsdag weg, niet op vrijdag.")
    page.locator("#mark_changed-changed_from").fill("2026-03-02")
    page.locator("#mark_changed-note").fill(ANSWER)
    page.get_by_role("button", name="Veranderd: zeg wat er anders is").click()
    assert page.get_by_test_id("wish-status").inner_text().startswith("Veranderd")
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("Opgeschreven", "Naar een organisatie sturen", "Ontvangst bevestigen",
                 "Veranderd: zeg wat er anders is"):
        assert step in timeline

    # Anyone sees it on the public board, without the story.
    reader = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    reader.goto("/")
    reader.get_by_role("link", name="Jij zei, wij deden").click()
    reader.wait_for_url("**/jij-zei-wij-deden/lingewaard")
    board = reader.locator("main").inner_text()
    assert WISH in board and ANSWER in board and "Woonstichting Betuwe Thuis deed:" in board
    assert "weekend stress" not in board
    assert reader.context.cookies() == []

    # The teller reads the answer with the receipt code.
    reader.goto("/bon")
    reader.locator("#code").fill(loop_world["code"])
    reader.locator("main form button[type=submit]").first.click()
    receipt = reader.locator("main").inner_text()
    assert "Veranderd." in receipt and ANSWER in receipt
    reader.context.close()


def test_wish_pages_are_accessible_on_a_phone(phone_page, app, factories):
    from portal.demo import DEMO_PASSWORD, load_demo
    from portal.directory.models import Municipality, Organisation
    from portal.extensions import db
    from portal.wishes import service
    from portal.wishes.models import WishStatus
    from tests.browser.test_accessibility import assert_accessible, assert_fits
    from tests.wishes.factories import create_wish

    load_demo()
    lingewaard = db.session.scalars(sa.select(Municipality).where(
        Municipality.slug == "lingewaard")).one()
    housing = db.session.scalars(sa.select(Organisation).where(
        Organisation.name == "Woonstichting Betuwe Thuis")).one()
    routed = create_wish(WishStatus.ROUTED, municipality=lingewaard, organisation=housing)
    new = create_wish(municipality=lingewaard)
    token = service.issue_answer_link(routed)
    db.session.commit()

    def check(path):
        phone_page.goto(path)
        assert_accessible(phone_page)
        assert_fits(phone_page)

    check("/jij-zei-wij-deden/lingewaard")
    check(f"/wens/antwoord/{token}")
    for email, paths in (
            ("petra@betuwethuis.example", ["/organisatie/wensen/",
                                           f"/organisatie/wensen/{routed.id}",
                                           "/organisatie/wensen/sjablonen"]),
            ("sanne@ontmoetingen.example", ["/begeleiding/wensen/", "/begeleiding/wensen/nieuw",
                                            f"/begeleiding/wensen/{new.id}"])):
        phone_page.context.clear_cookies()
        phone_page.goto("/account/inloggen")
        phone_page.get_by_label("E-mailadres").fill(email)
        phone_page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
        phone_page.get_by_role("button", name="Inloggen").click()
        phone_page.wait_for_url("**/dashboard")
        for path in paths:
            check(path)
