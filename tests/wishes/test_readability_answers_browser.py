"""In Chromium: a member of the organisation gets live B1 advice under the public answer while
typing, the check button re-renders the same step with the advice (no step taken), and the
answer is then given with the step's own button."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.wishes.models import Wish, WishStatus
from tests.conftest import PASSWORD
from tests.wishes.factories import create_wish

pytestmark = pytest.mark.browser

OFFICIAL = "Middels deze brief delen wij u mede dat wij inzake uw verzoek de brieven verplaatsen."
PLAIN = "We sturen de brieven nu op dinsdag. Bel ons als je vragen hebt."


def test_live_and_button_advice_on_the_public_answer(page, world, app):
    wish = create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(world.member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/organisatie/wensen/{wish.id}")

    answer = page.locator("#answer-note")
    advice = page.locator("#answer-note-readability")
    answer.fill(OFFICIAL)
    advice.get_by_text("inzake → over").wait_for()  # live, with JavaScript
    assert "Middels → met" in advice.inner_text()
    assert page.locator("#decline-note-readability").inner_text() == ""  # only its own field

    # The button posts the answer step's form to its own address: advice, text kept, no step.
    page.get_by_role("region", name="Openbaar antwoorden").get_by_role(
        "button", name="Controleer de leesbaarheid").click()
    page.wait_for_url(f"**/organisatie/wensen/{wish.id}/stap/answer#answer-note-readability")
    assert "inzake → over" in page.locator("#answer-note-readability").inner_text()
    assert page.locator("#answer-note").input_value() == OFFICIAL
    assert page.get_by_test_id("wish-status").inner_text().startswith("Mee bezig")

    answer = page.locator("#answer-note")
    answer.fill(PLAIN)
    page.locator("#answer-note-readability").get_by_text("Goed zo!").wait_for()
    page.get_by_role("button", name="Openbaar antwoorden").click()
    page.wait_for_url(f"**/organisatie/wensen/{wish.id}")
    assert PLAIN in page.get_by_test_id("wish-answer").inner_text()
    db.session.commit()  # see what the requests committed
    assert db.session.get(Wish, wish.id).public_answer == PLAIN
