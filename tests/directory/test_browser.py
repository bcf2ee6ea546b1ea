"""A coordinator manages venues and users on a 360 px phone, without sideways scrolling."""
from __future__ import annotations

import pytest

from portal.extensions import db
from tests.browser.test_accessibility import assert_accessible as _accessible
from tests.browser.test_accessibility import assert_fits as _fits
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser



def _log_in(page, factories):
    factories.create_user("coordinator", email="carla@example.org")
    factories.create_municipality(name="Lingewaard")
    db.session.commit()
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("carla@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")


def test_a_coordinator_adds_a_venue_on_a_phone(phone_page, factories):
    page = phone_page
    _log_in(page, factories)
    page.goto("/beheer/")
    page.get_by_role("link", name="Locaties").click()
    page.get_by_role("link", name="Locatie toevoegen").click()
    page.get_by_label("Naam van de locatie").fill("Buurthuis De Linde")
    page.get_by_label("Straat en huisnummer").fill("Dorpsstraat 1")
    page.get_by_label("Postcode").fill("12 AB")
    page.get_by_label("Plaats").fill("Huissen")
    page.get_by_label("Toegankelijk met een rolstoel").check()
    page.get_by_role("button", name="Opslaan").click()
    # A wrong postcode: the summary says so, the rest stays filled in.
    summary = page.get_by_role("alert")
    assert "Postcode" in summary.inner_text()
    assert page.get_by_label("Naam van de locatie").input_value() == "Buurthuis De Linde"
    assert page.get_by_label("Toegankelijk met een rolstoel").is_checked()
    _fits(page)
    _accessible(page)
    page.get_by_label("Postcode").fill("1234 xy")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/beheer/locaties")
    assert "Buurthuis De Linde is opgeslagen." in page.content()
    assert "1234 XY" in page.content()
    _fits(page)
    _accessible(page)


@pytest.mark.parametrize("path", ["/beheer/", "/beheer/gebruikers", "/beheer/gebruikers/nieuw",
                                  "/beheer/organisaties/nieuw", "/beheer/themas/nieuw"])
def test_management_pages_fit_a_phone_and_pass_axe(phone_page, factories, path):
    _log_in(phone_page, factories)
    phone_page.goto(path)
    _fits(phone_page)
    _accessible(phone_page)
