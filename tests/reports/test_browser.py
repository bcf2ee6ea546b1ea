"""The report page and the integrations screen on a 360 px phone: axe (WCAG 2.1 AA), no
sideways scrolling of the page itself."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.directory.test_browser import _accessible, _fits
from tests.reports.test_reports import counted  # noqa: F401  (fixture)
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _log_in(page, email):
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def test_report_page_on_a_phone(phone_page, counted):
    _log_in(phone_page, "carla@example.org")
    phone_page.get_by_role("link", name="Rapportages").first.click()
    phone_page.get_by_label("Van").fill("2026-01-01")
    phone_page.get_by_label("Tot en met").fill("2026-12-31")
    phone_page.get_by_role("button", name="Tonen").click()
    expect(phone_page.get_by_role("img", name="Deelnemers per rol")).to_have_count(1)
    assert "<5" in phone_page.get_by_role("table").nth(2).inner_text()
    _fits(phone_page)
    _accessible(phone_page)


def test_integrations_screen_on_a_phone(phone_page, world):
    _log_in(phone_page, "carla@example.org")
    phone_page.goto(f"/beheer/organisaties/{world.organisation.id}/koppelingen/")
    phone_page.get_by_label("Naam van de token").fill("Zaaksysteem")
    phone_page.get_by_role("button", name="Maak een token").click()
    expect(phone_page.get_by_text("omp_").first).to_be_visible()
    _fits(phone_page)
    _accessible(phone_page)
