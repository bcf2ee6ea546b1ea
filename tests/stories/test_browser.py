"""In Chromium: an anonymous story, its code written down, a facilitator's reply, and the sender
reading it and answering with only the code. Plus the public form and capture at 360 px."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, email):
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def test_anonymous_story_reply_and_answer_with_only_the_code(browser, live_server, page,
                                                             factories):
    municipality = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    factories.create_user("facilitator", email="sanne@example.org", display_name="Sanne",
                          municipalities=[municipality])
    db.session.commit()

    # The sender tells a story, without an account.
    page.goto("/")
    page.get_by_role("link", name="Vertel je verhaal").click()
    page.get_by_label("Een zorg: iets waar ik me zorgen over maak").check()
    page.get_by_label("Titel").fill("Brieven op vrijdag")
    page.get_by_label("Je verhaal", exact=True).fill(
        "De brieven komen altijd op vrijdag. Dan kan ik niemand bellen.")
    page.get_by_label("Het mag in de groep gedeeld worden, zonder mijn naam").check()
    page.get_by_role("button", name="Verstuur mijn verhaal").click()
    page.get_by_role("heading", name="Dank je wel. Je verhaal is verstuurd.").wait_for()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    expect(page.get_by_role("button", name="Codekaart printen")).to_be_visible()  # JS enhanced

    # A facilitator logs in through the page and replies.
    staff = browser.new_context(base_url=live_server, locale="nl-NL")
    facilitator = staff.new_page()
    facilitator.set_default_timeout(10_000)
    _log_in(facilitator, "sanne@example.org")
    facilitator.get_by_role("link", name="Verhalen").click()
    facilitator.get_by_role("link", name="Brieven op vrijdag").click()
    facilitator.get_by_label("Je antwoord").fill("Dank je. Welke organisatie stuurt die brieven?")
    facilitator.get_by_role("button", name="Antwoord sturen").click()
    facilitator.get_by_text("Je antwoord is verstuurd").wait_for()

    # The sender comes back later, on another device: only the code, typed sloppily.
    sender = browser.new_context(base_url=live_server, locale="nl-NL")
    again = sender.new_page()
    again.set_default_timeout(10_000)
    again.goto("/")
    again.get_by_role("link", name="Ik heb een code").click()
    again.get_by_label("Je code").fill(code.lower().replace("-", " "))
    again.get_by_role("button", name="Openen").click()
    again.get_by_text("Welke organisatie stuurt die brieven?").wait_for()
    again.get_by_label("Je bericht").fill("De woningcorporatie.")
    again.get_by_role("button", name="Versturen").click()
    again.get_by_text("Je bericht is naar de begeleiders gestuurd.").wait_for()
    expect(again.get_by_text("De woningcorporatie.")).to_be_visible()

    # The facilitator sees the answer.
    facilitator.reload()
    facilitator.get_by_text("De woningcorporatie.").wait_for()
    staff.close()
    sender.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_story_form_and_capture_screen_fit_a_phone(phone_page, factories):
    municipality = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
    factories.create_user("facilitator", email="kim@example.org", municipalities=[municipality])
    db.session.commit()

    phone_page.goto("/vertel")
    assert _fits(phone_page)
    _log_in(phone_page, "kim@example.org")
    phone_page.goto("/begeleiding/verhalen/vastleggen")
    assert _fits(phone_page)
    phone_page.get_by_label("Verhaal", exact=True).check()
    phone_page.get_by_label("Wat er werd verteld").fill("Ik durf de post niet open te maken.")
    phone_page.get_by_label("Alleen de begeleiders mogen het lezen").check()
    phone_page.get_by_role("button", name="Opslaan").click()
    phone_page.get_by_text("Opgeslagen. Je kunt het volgende verhaal opschrijven.").wait_for()
    assert _fits(phone_page)
