"""Public read pages are served from a few seconds' cache to readers without a cookie."""
from __future__ import annotations

import time

import pytest

from portal.extensions import db
from tests.conftest import PASSWORD
from tests.queries import sql_statements


@pytest.fixture
def cached_app(make_app):
    return make_app(PUBLIC_CACHE_SECONDS=30)


def count_statements(app, fn):
    with sql_statements(app) as statements:
        result = fn()
    return result, len(statements)


def test_second_read_is_served_without_queries(cached_app, factories):
    factories.create_municipality(name="Lingewaard", slug="lingewaard")
    db.session.commit()
    reader = cached_app.test_client()
    first, first_queries = count_statements(cached_app,
                                            lambda: reader.get("/jij-zei-wij-deden/lingewaard"))
    second, second_queries = count_statements(cached_app,
                                              lambda: reader.get("/jij-zei-wij-deden/lingewaard"))
    assert first_queries > 0 and second_queries == 0
    assert second.headers["X-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    assert "Content-Security-Policy" in second.headers
    assert "Set-Cookie" not in second.headers


def test_staff_with_a_session_always_get_a_fresh_page(cached_app, factories):
    factories.create_user("coordinator", email="carla@example.org")
    db.session.commit()
    cached_app.test_client().get("/")  # fills the cache for anonymous readers
    staff = cached_app.test_client()
    token = __import__("re").search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                    staff.get("/account/inloggen").get_data(as_text=True)).group(1)
    staff.post("/account/inloggen", data={"email": "carla@example.org", "password": PASSWORD,
                                          "csrf_token": token})
    response = staff.get("/")
    assert "X-Cache" not in response.headers
    assert "Uitloggen" in response.get_data(as_text=True)


def test_each_language_has_its_own_copy(cached_app):
    dutch = cached_app.test_client()
    dutch.get("/")
    english = cached_app.test_client()
    english.set_cookie("lang", "en")
    page = english.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert '<html lang="nl"' in dutch.get("/").get_data(as_text=True)


def test_pages_that_are_not_marked_are_never_cached(cached_app):
    client = cached_app.test_client()
    client.get("/account/inloggen")
    assert "X-Cache" not in cached_app.test_client().get("/account/inloggen").headers


def test_entries_expire(cached_app, monkeypatch):
    client = cached_app.test_client()
    client.get("/")
    assert client.get("/").headers.get("X-Cache") == "hit"
    later = time.monotonic() + 31
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "X-Cache" not in client.get("/").headers
