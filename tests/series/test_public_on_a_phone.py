"""The public series page on a cheap phone: accessible, no sideways scrolling, works without JS."""
import pytest

from tests.browser.test_accessibility import assert_accessible, assert_fits

pytestmark = pytest.mark.browser


def test_public_series_page_on_a_phone(phone_page, make_series):
    series = make_series()
    phone_page.goto(f"/reeks/{series.slug}")
    assert_accessible(phone_page)
    assert_fits(phone_page)
    button = phone_page.get_by_role("link", name="Aanmelden")
    box = button.bounding_box()
    assert box["height"] >= 44
    button.click()
    assert series.title in phone_page.get_by_role("heading", level=1).inner_text()


def test_poster_is_accessible(page, make_series):
    series = make_series()
    page.goto(f"/reeks/{series.slug}/poster")
    assert_accessible(page)
