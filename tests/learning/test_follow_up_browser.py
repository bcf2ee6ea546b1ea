"""The check-in months later, on a 360 px phone: readable, accessible, big answer boxes, once."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.learning.models import Changed, FollowUpAnswer, InTouch
from tests.browser.test_accessibility import assert_accessible, assert_fits
from tests.learning.test_follow_up import _open_link

pytestmark = pytest.mark.browser


def test_a_participant_checks_in_on_a_phone_once(app, learning_series, outbox, phone_page):
    _, path = _open_link(learning_series, outbox)  # the series ended 100 days ago

    phone_page.goto(path)
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Hoe gaat het met je?"
    assert_accessible(phone_page)
    assert_fits(phone_page)
    phone_page.get_by_role("button", name=re.compile("Verstuur")).click()
    expect(phone_page.get_by_role("alert").first).to_be_visible()  # the error summary
    assert_accessible(phone_page)
    in_touch = phone_page.get_by_role("group", name=re.compile("contact met mensen"))
    box = in_touch.locator("label.portal-tile").filter(has_text="Een beetje")
    assert box.bounding_box()["height"] >= 44  # a big tap target
    box.click()
    phone_page.get_by_role("group", name=re.compile("iets veranderd")).locator(
        "label.portal-tile").filter(has_text="Deels").click()
    phone_page.get_by_role("button", name=re.compile("Verstuur")).click()
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Dank je wel!"
    assert_accessible(phone_page)
    phone_page.goto(path)
    assert "werkt niet" in phone_page.locator("main").inner_text()
    db.session.commit()
    [answer] = db.session.query(FollowUpAnswer).all()
    assert (answer.in_touch, answer.changed) == (InTouch.A_LITTLE, Changed.PARTLY)
