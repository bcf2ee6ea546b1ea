"""Done when: on a 360 px phone someone signs up, gets the confirmation, opens the manage link,
cancels, and the first on the waiting list is promoted and mailed."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_sign_up_manage_and_cancel_on_a_phone(phone_page, reg, app, outbox):
    from portal.extensions import db
    from portal.registrations.models import Registration

    page = phone_page
    series = reg.create_series(capacity=1, title="Samen aan tafel")
    db.session.commit()

    page.goto(f"/aanmelden/{series.slug}")
    page.get_by_label("Je naam").fill("Fatima")
    page.get_by_label("Inwoner").check()
    page.get_by_label("E-mailadres").fill("fatima@example.org")
    page.get_by_label("Kinderopvang").check()
    page.get_by_label("Ik vind het goed").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/bevestiging")
    assert page.get_by_role("heading", level=1).inner_text() == "Dank je wel, Fatima!"
    expect(page.get_by_text("Je bent aangemeld.")).to_be_visible()
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    manage_link = page.locator("#manage-link").get_attribute("href")

    # Someone else signs up while the group is full: waiting list, number 1.
    second = page.context.browser.new_context(base_url=page.url.split("/aanmelding")[0],
                                              viewport={"width": 360, "height": 740})
    other = second.new_page()
    other.goto(f"/aanmelden/{series.slug}")
    other.get_by_label("Je naam").fill("Bram")
    other.get_by_label("Vrijwilliger").check()
    other.get_by_label("E-mailadres").fill("bram@example.org")
    other.get_by_label("Ik vind het goed").check()
    other.get_by_role("button", name="Aanmelden").click()
    other.wait_for_url("**/bevestiging")
    expect(other.get_by_text("Je bent nummer 1.")).to_be_visible()
    second.close()

    page.goto(manage_link)
    assert page.get_by_role("heading", level=1).inner_text() == "Je aanmelding"
    expect(page.get_by_text("Kinderopvang")).to_be_visible()
    page.get_by_role("link", name="Mij afmelden").click()
    page.get_by_role("button", name="Ja, meld mij af").click()
    expect(page.get_by_text("Je hebt je afgemeld.").first).to_be_visible()

    with app.app_context():
        bram = db.session.scalar(sa.select(Registration).where(Registration.display_name == "Bram"))
        assert bram.is_confirmed
    promotions = [m for m in outbox() if m.subject == "Er is plek voor je: Samen aan tafel"]
    assert [m.to_address for m in promotions] == ["bram@example.org"]


def test_registration_pages_are_accessible_on_a_phone(phone_page, reg, app):
    from portal.extensions import db
    from tests.browser.test_accessibility import assert_accessible, assert_fits

    page = phone_page
    series = reg.create_series(capacity=1, title="Samen aan tafel")
    db.session.commit()
    page.goto(f"/aanmelden/{series.slug}")
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("button", name="Aanmelden").click()  # empty: errors on top
    assert "Kijk het formulier na" in page.get_by_role("alert").first.inner_text()
    assert_accessible(page)
    page.get_by_label("Je naam").fill("Fatima")
    page.get_by_label("Inwoner").check()
    page.get_by_label("Ik vind het goed").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/bevestiging")
    assert_accessible(page)
    assert_fits(page)
    page.goto(page.locator("#manage-link").get_attribute("href"))
    assert_accessible(page)
    page.get_by_role("link", name="Mijn gegevens wijzigen").click()
    assert_accessible(page)
    assert_fits(page)


def test_attendance_page_is_accessible_with_big_buttons(phone_page, reg, factories, app):
    from portal.extensions import db
    from tests.conftest import PASSWORD

    page = phone_page
    municipality = factories.create_municipality()
    factories.create_user("facilitator", email="sanne@example.org", municipalities=[municipality])
    series = reg.create_series(municipality=municipality)
    db.session.commit()
    reg.register(series, display_name="Anna")
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("sanne@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/begeleiding/reeksen/{series.id}/ontmoetingen/{series.meetings[0].id}/aanwezigheid")
    button = page.get_by_role("button", name="Anna is aanwezig")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    from tests.browser.test_accessibility import assert_accessible, assert_fits
    assert_accessible(page)
    assert_fits(page)
    button.click()
    expect(page.get_by_text("1 van de 1 aanwezig.")).to_be_visible()
    page.goto(f"/begeleiding/reeksen/{series.id}/aanmeldingen")
    assert_accessible(page)
    assert_fits(page)
    # The check-in list is for paper, but opened on a phone its table scrolls in a region.
    page.goto(f"/begeleiding/reeksen/{series.id}/inchecklijst")
    assert_accessible(page)
    assert_fits(page)
