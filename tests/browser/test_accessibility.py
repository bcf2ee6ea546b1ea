"""Pages pass axe (WCAG 2.1 AA rules), fit a 360 px screen and work without JavaScript."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x) e.g. {v['nodes'][0]['html'][:120]}"
                  for v in results.response["violations"]]
    assert violations == [], "\n".join(violations)


def assert_fits(page, width=360):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !e.closest('.portal-table-wrap'))
        .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
        .slice(0, 1).map(e => e.outerHTML.slice(0, 160))""")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px, {widest}"


@pytest.mark.parametrize("path", ["/", "/account/inloggen", "/account/wachtwoord-vergeten",
                                  "/bestaat-niet"])
def test_public_pages_are_accessible_on_a_phone(phone_page, path):
    phone_page.goto(path)
    assert_accessible(phone_page)
    assert_fits(phone_page)


def test_form_with_errors_is_accessible_and_focusable(phone_page):
    phone_page.goto("/account/inloggen")
    phone_page.get_by_role("button", name="Inloggen").click()
    summary = phone_page.get_by_role("alert")
    assert "Kijk het formulier na" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert phone_page.evaluate("document.activeElement.id") == "email"
    assert_accessible(phone_page)


def test_dashboard_is_accessible(page, factories):
    factories.create_user("coordinator", email="carla@example.org")
    db.session.commit()
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("carla@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    assert page.evaluate("getComputedStyle(document.activeElement).position") == "absolute"


def test_login_and_language_switch_work_without_javascript(browser, live_server, factories):
    factories.create_user("facilitator", email="sanne@example.org", display_name="Sanne")
    db.session.commit()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/account/inloggen")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    page.get_by_label("E-mail address").fill("sanne@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Sanne"
    page.get_by_role("button", name="Log out").click()
    assert "You are logged out." in page.content()
    context.close()
