"""Logging in and out: fresh sessions, replayed cookies, lockout, safe redirects."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from tests.conftest import PASSWORD

LOGIN = "/account/inloggen"


@pytest.fixture
def facilitator(app, factories):
    user = factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    return user


def login(client, email="sanne@example.org", password=PASSWORD, **extra):
    return client.post_form(LOGIN, {"email": email, "password": password, **extra})


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def test_login_page_is_dutch_and_labelled(client):
    page = client.get(LOGIN).get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert '<label class="utrecht-form-label" for="email">E-mailadres' in page
    assert '<label class="utrecht-form-label" for="password">Wachtwoord' in page


def test_login_then_dashboard(client, facilitator):
    response = login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Hallo" in client.get("/dashboard").get_data(as_text=True)


def test_login_gives_a_fresh_session(client, facilitator):
    client.get(LOGIN)
    before = session_cookie(client)
    login(client)
    assert session_cookie(client) != before


def test_wrong_password_and_unknown_address_get_the_same_answer(client, facilitator):
    wrong = login(client, password="not the password")
    unknown = login(client, email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 422
    normalise = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert normalise(wrong) == normalise(unknown)
    assert "Het e-mailadres of wachtwoord klopt niet." in wrong.get_data(as_text=True)


def test_failed_login_keeps_the_email_but_not_the_password(client, facilitator):
    page = login(client, password="wrong-secret-123").get_data(as_text=True)
    assert 'value="sanne@example.org"' in page
    assert "wrong-secret-123" not in page


def test_logout_invalidates_a_copied_session_cookie(client, app, facilitator):
    login(client)
    stolen = session_cookie(client)
    token = client.csrf_token("/dashboard")
    response = client.post("/account/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/inloggen")


def test_logout_needs_a_post_with_csrf(client, facilitator):
    login(client)
    assert client.get("/account/uitloggen").status_code == 405
    assert client.post("/account/uitloggen").status_code == 400  # no CSRF token
    assert client.get("/dashboard").status_code == 200  # still logged in


def test_password_change_logs_out_other_devices_but_not_this_one(client, app, facilitator):
    login(client)
    other_device = app.test_client_class and app.test_client()
    other_device.set_cookie("session", session_cookie(client))
    assert other_device.get("/dashboard").status_code == 200

    response = client.post_form("/account/wachtwoord", {
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302


def test_change_password_wrong_current_password_is_a_field_error(client, facilitator):
    login(client)
    response = client.post_form("/account/wachtwoord", {
        "current_password": "nope nope", "new_password": "a brand new passphrase"})
    assert response.status_code == 422
    assert "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, facilitator):
    for _ in range(5):
        assert login(client, password="wrong password").status_code == 422
    response = login(client)
    assert response.status_code == 422
    assert "Te veel pogingen" in response.get_data(as_text=True)


def test_unknown_address_locks_the_same_way(client):
    for _ in range(5):
        login(client, email="ghost@example.org", password="wrong password")
    assert "Te veel pogingen" in login(client, email="ghost@example.org").get_data(as_text=True)


def test_one_client_trying_many_accounts_is_slowed_down(client, app, factories):
    factories.create_user("coordinator", email="target@example.org")
    db.session.commit()
    for n in range(20):
        login(client, email=f"guess{n}@example.org", password="wrong password")
    assert "Te veel pogingen" in login(client, email="target@example.org").get_data(as_text=True)
    # Another client is not affected.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.50"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      other.get(LOGIN).get_data(as_text=True)).group(1)
    response = other.post(LOGIN, data={"email": "target@example.org", "password": PASSWORD,
                                       "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", " //evil.example",
])
def test_next_only_goes_to_local_paths(client, facilitator, target):
    response = login(client, next=target)
    assert response.headers["Location"] == "/dashboard"


def test_next_to_a_local_page_is_followed(client, facilitator):
    response = client.get("/account/wachtwoord")
    assert response.status_code == 302
    assert "next=/account/wachtwoord" in response.headers["Location"]
    response = login(client, next="/account/wachtwoord")
    assert response.headers["Location"] == "/account/wachtwoord"


def test_deactivated_user_cannot_log_in_and_loses_the_session(client, app, facilitator):
    from portal.auth.models import User

    login(client)
    with app.app_context():
        db.session.get(User, facilitator.id).is_active = False
        db.session.commit()
    assert client.get("/dashboard").status_code == 302
    assert login(client).status_code == 422


def test_session_cookie_flags(client, facilitator):
    response = login(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = make_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
