"""A facilitator logs in through the real page in Chromium and lands on the dashboard."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_facilitator_logs_in_and_sees_dashboard(page, factories, app):
    from portal.extensions import db

    user = factories.create_user("facilitator", email="sanne@example.org",
                                 display_name="Sanne de Vries")
    db.session.commit()

    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill("sanne@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url("**/dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Hallo Sanne de Vries"
    assert user.email not in page.url
