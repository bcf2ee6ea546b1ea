"""In Chromium on a 360 px phone (without JavaScript where axe is not running): a participant
answers "did it really change?" through the e-mail link, a teller through the receipt code; the
facilitator sees the participant's "no" and sends the wish back to the organisation."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import utcnow
from portal.wishes import confirmations
from portal.wishes.models import WishOrigin, WishStatus
from tests.browser.test_accessibility import assert_accessible, assert_fits
from tests.conftest import PASSWORD
from tests.registrations import factories as registration_factories
from tests.stories import factories as story_factories
from tests.wishes.factories import create_wish

pytestmark = pytest.mark.browser

LINK = re.compile(r"http://localhost(/wens/bevestigen/[A-Za-z0-9_-]+)")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", java_script_enabled=False,
                                  viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_residents_say_it_did_not_change_and_the_wish_goes_back(app, world, outbox, phone,
                                                                phone_page, page):
    series = registration_factories.create_series(municipality=world.municipality)
    registration_factories.register(series, email="ali@example.org")
    story, code = story_factories.create_story(municipality=world.municipality)
    wish = create_wish(WishStatus.CHANGED, municipality=world.municipality,
                       organisation=world.organisation, meeting=series.meetings[0],
                       origin=WishOrigin.MEETING, created_by=world.facilitator,
                       publication_consent=True)
    create_wish(WishStatus.CHANGED, municipality=world.municipality,
                organisation=world.organisation, story=story, origin=WishOrigin.STORY)
    wish_id = wish.id
    db.session.commit()
    confirmations.ask_confirmations(now=utcnow() + timedelta(days=15))
    db.session.commit()
    link = next(LINK.search(m.text_body).group(1) for m in outbox()
                if m.to_address == "ali@example.org" and LINK.search(m.text_body))

    # axe needs JavaScript: check the page with it, then answer without it.
    phone_page.goto(link)
    assert_accessible(phone_page)
    assert_fits(phone_page)

    # A participant, on a cheap phone, from the e-mail.
    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Is het voor jou echt veranderd?"
    phone.get_by_role("button", name="Verstuur mijn antwoord").click()
    assert "Kies ja, deels of nee." in phone.get_by_role("alert").first.inner_text()
    phone.get_by_label("Nee, het is niet veranderd").check()
    phone.get_by_label(re.compile("Wil je meer zeggen")).fill("Vorige week weer een brief op vrijdag.")
    phone.get_by_role("button", name="Verstuur mijn antwoord").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Bedankt voor je antwoord"
    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet meer"

    # The teller, with the receipt code (this phone runs JavaScript, for axe).
    teller = phone_page
    teller.goto("/bon")
    teller.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(code)
    teller.get_by_role("button", name="Openen").click()
    expect(teller.get_by_role("heading", name="Is het voor jou echt veranderd?")).to_be_visible()
    assert_accessible(teller)
    assert_fits(teller)
    teller.get_by_label("Deels").check()
    teller.get_by_role("button", name="Verstuur mijn antwoord").click()
    assert "Bedankt voor je antwoord" in teller.get_by_role("status").first.inner_text()
    expect(teller.get_by_text(
        "Je hebt ons verteld of het voor jou echt veranderd is")).to_be_visible()

    # The facilitator sees what residents say and reopens the wish.
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("sanne@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/begeleiding/wensen/{wish_id}")
    assert "Inwoners zeggen dat het niet veranderd is" in page.get_by_test_id(
        "wish-confirmation").inner_text()
    expect(page.get_by_text("Vorige week weer een brief op vrijdag.")).to_be_visible()
    # The long "Did it really change? Residents say" wraps on a phone; the facts beside it keep
    # their room instead of pushing the page sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    assert_fits(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    section = page.locator("section#step-reopen, section[aria-labelledby='step-reopen']")
    section.get_by_label(re.compile("Wat is er volgens inwoners niet veranderd")).fill(
        "Twee mensen kregen nog een brief op vrijdag.")
    section.get_by_role("button").click()
    assert page.get_by_test_id("wish-status").inner_text().startswith(
        "Doorgestuurd naar organisatie")
    assert_accessible(page)
