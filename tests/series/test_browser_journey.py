"""Done when: a facilitator goes from login to a published series with four meetings, a poster
and a QR code — in Chromium, by clicking through the real pages."""
import pytest
from playwright.sync_api import expect

from portal.auth.models import FacilitatorKind
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_facilitator_publishes_a_series_with_poster_and_qr_code(page, factories, app):
    from portal.extensions import db
    from portal.seed import seed_defaults

    seed_defaults()
    lingewaard = factories.create_municipality(name="Lingewaard")
    factories.create_venue(municipality=lingewaard, name="Buurthuis De Poort",
                           is_wheelchair_accessible=True)
    factories.create_user("facilitator", municipalities=[lingewaard], display_name="Marco Jansen",
                          facilitator_kind=FacilitatorKind.EXPERIENCE_EXPERT)
    factories.create_user("facilitator", municipalities=[lingewaard], email="sanne@example.org",
                          display_name="Sanne de Vries")
    db.session.commit()

    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("sanne@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Nieuwe reeks").click()
    page.get_by_label("Titel").fill("Samen aan tafel in Huissen")
    page.get_by_label("Marco Jansen (Ervaringsdeskundige)").check()
    page.get_by_label("Waar gaat deze reeks over?").fill(
        "Vier avonden over rondkomen, wonen en brieven.")
    for n, day in enumerate(["2030-10-15", "2030-10-22", "2030-10-29", "2030-11-05"]):
        page.locator(f"#meetings-{n}-day").fill(day)
        page.locator(f"#meetings-{n}-start").fill("19:00")
        page.locator(f"#meetings-{n}-end").fill("21:00")
    page.get_by_role("button", name="Opslaan als concept").click()

    page.get_by_role("heading", level=1, name="Samen aan tafel in Huissen").wait_for()
    expect(page.get_by_text("De reeks is opgeslagen als concept.")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Ontmoeting 4")).to_be_visible()
    page.get_by_role("button", name="Publiceren").click()
    page.get_by_text("De reeks is gepubliceerd.").wait_for()

    page.get_by_role("link", name="Poster om af te drukken (A4)").click()
    poster_url = page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Samen aan tafel in Huissen"
    expect(page.get_by_text("dinsdag 15 oktober 2030, 19:00-21:00 uur")).to_be_visible()
    expect(page.get_by_text("dinsdag 5 november 2030, 19:00-21:00 uur")).to_be_visible()
    qr = page.get_by_role("img", name="QR-code naar de aanmeldpagina")
    qr.wait_for()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")

    slug = poster_url.rstrip("/").split("/")[-2]
    response = page.request.get(f"/reeks/{slug}/qr.png")
    assert response.ok and response.headers["content-type"] == "image/png"

    page.goto(f"/reeks/{slug}")
    expect(page.get_by_role("link", name="Aanmelden")).to_be_visible()
    assert page.locator('meta[property="og:title"]').get_attribute("content") == \
        "Samen aan tafel in Huissen"


def test_agenda_pages_fit_a_phone_and_pass_axe(phone_page, make_series):
    """The agenda's scroll region holds its visually hidden labels (they once stretched the page
    sideways) and the printable agenda scrolls in a region of its own on a phone."""
    from tests.browser.test_accessibility import assert_accessible, assert_fits

    series = make_series()
    meeting_id = series.meetings[0].id
    page = phone_page
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(series.facilitators[0].email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    for path in (f"/reeksen/ontmoetingen/{meeting_id}/agenda",
                 f"/reeksen/ontmoetingen/{meeting_id}/agenda/afdrukken",
                 f"/reeksen/ontmoetingen/{meeting_id}/draaiboek"):
        page.goto(path)
        assert_fits(page)
        assert_accessible(page)
    # The add-item form with its errors, too.
    page.goto(f"/reeksen/ontmoetingen/{meeting_id}/agenda")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
