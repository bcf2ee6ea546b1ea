"""Bad input on the account forms: a Dutch field error, the rest kept, never a 500."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from tests.conftest import PASSWORD

LONG = "a" * 10_000
BAD_VALUES = {
    "empty": "",
    "long": LONG,
    "script": "<script>alert(1)</script>",
    "nul": "sanne\x00@example.org",
    "wrong type": ["a", "b"],
}


@pytest.mark.parametrize("kind", BAD_VALUES)
def test_login_form(client, kind):
    response = client.post_form("/account/inloggen", {"email": BAD_VALUES[kind],
                                                      "password": "x", "remember": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kijk het formulier na" in page
    assert "<script>alert(1)</script>" not in page
    assert "\x00" not in page
    remember = re.search(r'<input[^>]*name="remember"[^>]*>', page).group(0)
    assert "checked" in remember  # the tick the person set is kept


@pytest.mark.parametrize("kind", BAD_VALUES)
def test_forgot_password_form(client, kind):
    response = client.post_form("/account/wachtwoord-vergeten", {"email": BAD_VALUES[kind]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="utrecht-form-field-error-message"' in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("kind", ["empty", "long", "nul", "wrong type"])
def test_change_password_form(client, login_as, kind):
    login_as("facilitator")
    response = client.post_form("/account/wachtwoord", {
        "current_password": PASSWORD, "new_password": BAD_VALUES[kind]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="utrecht-form-field-error-message"' in page


def test_nul_in_a_text_field_is_removed_and_explained(client):
    response = client.post_form("/account/wachtwoord-vergeten",
                                {"email": "sanne\x00@example.org"})
    page = response.get_data(as_text=True)
    assert "onzichtbaar stuurteken" in page
    assert 'value="sanne@example.org"' in page


def test_error_summary_links_to_the_field(client):
    page = client.post_form("/account/inloggen", {"email": "", "password": ""}).get_data(
        as_text=True)
    assert 'href="#email"' in page and 'href="#password"' in page
    assert 'aria-describedby="email-error"' in page
    assert 'aria-invalid="true"' in page


def test_cli_create_user(app, factories):
    municipality = factories.create_municipality(name="Lingewaard")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["portal", "create-user", "--email", "New@Example.org",
                                 "--name", "Nieuwe Begeleider", "--role", "facilitator",
                                 "--municipality", "Lingewaard", "--password", "a long passphrase"])
    assert result.exit_code == 0, result.output
    from portal.auth.service import find_user_by_email

    user = find_user_by_email("new@example.org")
    assert user.municipalities == [municipality]

    again = runner.invoke(args=["portal", "create-user", "--email", "new@example.org",
                                "--name", "x", "--role", "coordinator",
                                "--password", "a long passphrase"])
    assert again.exit_code != 0
    assert "already" in again.output or "al een account" in again.output


def test_a_form_opened_hours_ago_can_still_be_sent(client, monkeypatch):
    """Flask-WTF's default one-hour token limit would throw away a story that took long to type."""
    import time

    token = client.csrf_token("/account/wachtwoord-vergeten")
    later = time.time() + 5 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post("/account/wachtwoord-vergeten",
                           data={"email": "sanne@example.org", "csrf_token": token})
    assert response.status_code == 200
    assert "Kijk in je e-mail" in response.get_data(as_text=True)
