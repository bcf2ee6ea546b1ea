"""Reset by e-mailed, single-use, expiring link; the same answer for every address."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from portal.auth.models import PasswordResetToken
from portal.extensions import db
from portal.models import utcnow
from tests.conftest import PASSWORD

FORGOT = "/account/wachtwoord-vergeten"


def reset_link(message) -> str:
    return re.search(r"http://localhost(/account/nieuw-wachtwoord/\S+)", message.text_body).group(1)


def test_known_and_unknown_addresses_get_the_same_page(client, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    known = client.post_form(FORGOT, {"email": "sanne@example.org"})
    unknown = client.post_form(FORGOT, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert [m.to_address for m in outbox()] == ["sanne@example.org"]


def test_reset_link_sets_a_new_password_once(client, app, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    client.post_form(FORGOT, {"email": "Sanne@Example.org "})
    link = reset_link(outbox()[0])
    assert "Kies een nieuw wachtwoord" in outbox()[0].subject

    response = client.post_form(link, {"new_password": "my new long passphrase"})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200

    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "werkt niet meer" in again.get_data(as_text=True)

    fresh = app.test_client_class and app.test_client()
    assert fresh.post_form("/account/inloggen", {"email": "sanne@example.org",
                                                 "password": PASSWORD}).status_code == 422
    assert fresh.post_form("/account/inloggen", {"email": "sanne@example.org",
                                                 "password": "my new long passphrase"}
                           ).status_code == 302


def test_expired_link_is_refused(client, app, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    client.post_form(FORGOT, {"email": "sanne@example.org"})
    with app.app_context():
        db.session.execute(sa.update(PasswordResetToken).values(
            expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert client.get(reset_link(outbox()[0])).status_code == 410


def test_tampered_link_is_refused(client):
    response = client.get("/account/nieuw-wachtwoord/not-a-real-token")
    assert response.status_code == 410


def test_reset_ends_existing_sessions(client, app, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    logged_in = app.test_client()
    logged_in.post_form("/account/inloggen", {"email": "sanne@example.org", "password": PASSWORD})
    assert logged_in.get("/dashboard").status_code == 200

    client.post_form(FORGOT, {"email": "sanne@example.org"})
    client.post_form(reset_link(outbox()[0]), {"new_password": "my new long passphrase"})
    assert logged_in.get("/dashboard").status_code == 302


def test_too_short_password_keeps_the_page_and_says_why(client, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    client.post_form(FORGOT, {"email": "sanne@example.org"})
    response = client.post_form(reset_link(outbox()[0]), {"new_password": "short"})
    assert response.status_code == 422
    assert "minstens 10 tekens" in response.get_data(as_text=True)


def test_reset_requests_are_limited_per_address(client, factories, outbox):
    factories.create_user("facilitator", email="sanne@example.org")
    db.session.commit()
    for _ in range(6):
        client.post_form(FORGOT, {"email": "sanne@example.org"})
    assert len(outbox()) == 3
