"""In Chromium on a 360 px phone: the public "what works" pages and the practice form are
accessible and fit, and a facilitator elsewhere sees "Stel dit hier voor"."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.extensions import db

pytestmark = pytest.mark.browser


def test_practice_pages_on_a_phone(phone_page, app, factories):
    from portal.demo import DEMO_PASSWORD, load_demo
    from portal.learning.models import Practice, PracticeKind
    from tests.browser.test_accessibility import assert_accessible, assert_fits

    load_demo()
    db.session.commit()
    practice_id = db.session.scalars(sa.select(Practice.id).where(
        Practice.kind == PracticeKind.CHANGE)).one()

    phone_page.goto("/wat-werkt")
    phone_page.get_by_role("heading", name="Wat werkt", exact=True).wait_for()
    assert_accessible(phone_page)
    assert_fits(phone_page)
    phone_page.get_by_role("link", name="Brieven met slecht nieuws niet meer op vrijdag").click()
    phone_page.get_by_text("Opgepakt in 2 gemeenten: Lingewaard, Oldenzaal.").wait_for()
    assert_accessible(phone_page)
    assert_fits(phone_page)

    phone_page.goto("/account/inloggen")
    phone_page.get_by_label("E-mailadres").fill("sanne@ontmoetingen.example")
    phone_page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    phone_page.get_by_role("button", name="Inloggen").click()
    phone_page.wait_for_url("**/dashboard")
    phone_page.goto(f"/begeleiding/wat-werkt/{practice_id}")
    phone_page.get_by_role("heading", name="Praktijk bewerken").wait_for()
    assert_accessible(phone_page)
    assert_fits(phone_page)
