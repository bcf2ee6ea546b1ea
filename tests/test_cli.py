"""Operator commands: seed, demo, worker, purge."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.auth.models import User
from portal.directory.models import Organisation, Theme
from portal.extensions import db
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.service import enqueue_mail
from portal.models import utcnow


def test_seed_adds_the_default_themes_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "seed"]).exit_code == 0
    assert runner.invoke(args=["portal", "seed"]).exit_code == 0
    with app.app_context():
        keys = db.session.scalars(sa.select(Theme.key)).all()
    assert len(keys) == len(set(keys)) == 13
    assert {"housing", "letters_contact", "social_cohesion"} <= set(keys)


def test_demo_loads_lingewaard_and_prints_logins(app):
    result = app.test_cli_runner().invoke(args=["portal", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "sanne@ontmoetingen.example" in result.output
    assert "ontmoeten-demo" in result.output
    with app.app_context():
        names = set(db.session.scalars(sa.select(Organisation.name)))
        assert {"Woonstichting Betuwe Thuis", "Gemeente Lingewaard", "Welzijn Lingewaard"} <= names
        assert db.session.scalar(sa.select(sa.func.count(User.id))) >= 6
    again = app.test_cli_runner().invoke(args=["portal", "demo", "--if-empty"])
    assert "not loaded" in again.output


def test_demo_logins_work(app, client):
    app.test_cli_runner().invoke(args=["portal", "demo"])
    response = client.post_form("/account/inloggen", {
        "email": "petra@betuwethuis.example", "password": "ontmoeten-demo"})
    assert response.status_code == 302
    assert "Woonstichting Betuwe Thuis" in client.get("/dashboard").get_data(as_text=True)


def test_worker_once_runs_every_job(app):
    with app.app_context():
        enqueue_mail("someone@example.org", "Hallo", "Tekst")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["portal", "worker", "--once"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(OutboxMessage.status)) is OutboxStatus.SENT


def test_purge_removes_old_sent_mail_but_keeps_recent_and_pending(app):
    with app.app_context():
        old = enqueue_mail("old@example.org", "Oud", "x")
        old.status, old.sent_at = OutboxStatus.SENT, utcnow() - timedelta(days=31)
        recent = enqueue_mail("recent@example.org", "Nieuw", "x")
        recent.status, recent.sent_at = OutboxStatus.SENT, utcnow() - timedelta(days=2)
        enqueue_mail("pending@example.org", "Wacht", "x")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["portal", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 sent mail" in result.output
    with app.app_context():
        left = set(db.session.scalars(sa.select(OutboxMessage.to_address)))
    assert left == {"recent@example.org", "pending@example.org"}


def test_purge_keeps_the_webhook_log_short(app, factories):
    from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

    organisation = factories.create_organisation()
    endpoint = WebhookEndpoint(organisation=organisation, url="http://127.0.0.1:9/hook",
                               secret="s" * 32)
    db.session.add(endpoint)
    now = utcnow()
    for days, status in ((31, DeliveryStatus.DELIVERED), (2, DeliveryStatus.DELIVERED),
                         (91, DeliveryStatus.FAILED), (31, DeliveryStatus.FAILED)):
        db.session.add(WebhookDelivery(
            endpoint=endpoint, organisation_id=organisation.id, event_type="wish.routed",
            payload="{}", status=status, created_at=now - timedelta(days=days),
            delivered_at=now - timedelta(days=days) if status is DeliveryStatus.DELIVERED
            else None))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["portal", "purge"])
    assert "2 webhook deliveries" in result.output
    left = db.session.execute(sa.select(WebhookDelivery.status, WebhookDelivery.created_at)).all()
    assert len(left) == 2
