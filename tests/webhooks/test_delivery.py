"""Webhooks reach a real receiver (http.server on 127.0.0.1) exactly once, also after it was
down, signed so that the receiver - using the recipe from docs/webhooks.md - can tell a
tampered message."""
from __future__ import annotations

import json
import re
import socket
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.webhooks import delivery
from portal.webhooks.models import DeliveryStatus, WebhookDelivery
from portal.webhooks.service import create_endpoint
from portal.wishes import service, workflow
from portal.wishes.models import WishStatus
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)
from tests.wishes.factories import create_wish

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_recipe():
    """The verification snippet exactly as docs/webhooks.md shows it."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)
    return namespace["verify_signature"]


class Receiver:
    """A small receiver: verifies each message with the documented recipe, keeps what it got."""

    def __init__(self, secret: str, port: int = 0):
        verify = documented_recipe()
        self.received: list[dict] = []
        self.rejected = 0
        self.fail_with: int | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.fail_with:
                    self.send_response(outer.fail_with)
                elif not verify(secret, self.headers, body):
                    outer.rejected += 1
                    self.send_response(401)
                else:
                    outer.received.append({"delivery": self.headers["X-Ontmoetingen-Delivery"],
                                           "event": self.headers["X-Ontmoetingen-Event"],
                                           "body": json.loads(body)})
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def receivers():
    started = []

    def start(secret, port=0):
        receiver = Receiver(secret, port)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


def _links():
    return service.Links(staff_wish=lambda w: f"http://localhost/w/{w.id}",
                         workspace_wish=lambda w: f"http://localhost/o/{w.id}",
                         answer_link=lambda t: f"http://localhost/a/{t}")


def _statuses():
    db.session.commit()
    return db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_each_webhook_arrives_exactly_once_after_the_receiver_comes_back(world, receivers):
    port = free_port()
    _endpoint, secret = create_endpoint(world.coordinator, world.organisation,
                                        f"http://127.0.0.1:{port}/hook", allow_http=True)
    wish = create_wish(WishStatus.NEW, municipality=world.municipality)
    service.route_wish(wish, world.facilitator, world.organisation, links=_links())
    workflow.transition(wish, "acknowledge", world.member)
    db.session.commit()
    rows = _statuses()
    assert [r.event_type for r in rows] == ["wish.routed", "wish.status_changed"]

    # The receiver is down: both stay queued, with the error kept for the delivery log.
    assert delivery.deliver_webhooks() == "0 delivered, 2 retrying, 0 failed"
    rows = _statuses()
    assert {r.status for r in rows} == {DeliveryStatus.PENDING}
    assert all(r.attempts == 1 and r.last_error.startswith("unreachable") for r in rows)
    # Not due yet: a second run right away sends nothing.
    assert delivery.deliver_webhooks() == "0"

    receiver = receivers(secret, port)
    later = utcnow() + timedelta(minutes=2)
    assert delivery.deliver_webhooks(now=later) == "2 delivered, 0 retrying, 0 failed"
    assert delivery.deliver_webhooks(now=later + timedelta(days=1)) == "0"
    assert [m["event"] for m in receiver.received] == ["wish.routed", "wish.status_changed"]
    assert sorted(m["delivery"] for m in receiver.received) == sorted(str(r.id) for r in rows)
    routed = receiver.received[0]["body"]
    assert routed["wish"]["id"] == wish.id and routed["step"]["action"] == "route"
    assert receiver.received[1]["body"]["wish"]["status"] == "in_progress"
    assert all(r.status is DeliveryStatus.DELIVERED and r.last_status_code == 204
               for r in _statuses())


def test_a_5xx_is_retried_with_backoff_and_given_up_after_the_last_attempt(world, receivers):
    receiver = receivers("unused")
    receiver.fail_with = 503
    create_endpoint(world.coordinator, world.organisation,
                    f"http://127.0.0.1:{receiver.port}/hook", allow_http=True)
    wish = create_wish(WishStatus.NEW, municipality=world.municipality)
    service.route_wish(wish, world.facilitator, world.organisation, links=_links())
    db.session.commit()
    moment = utcnow()
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        assert delivery.deliver_webhooks(now=moment) in ("0 delivered, 1 retrying, 0 failed",
                                                         "0 delivered, 0 retrying, 1 failed")
        row = _statuses()[0]
        assert row.attempts == attempt and row.last_status_code == 503
        if attempt < delivery.MAX_ATTEMPTS:
            assert row.next_attempt_at == moment + delivery.RETRY_DELAYS[attempt - 1]
            # One second too early: nothing happens.
            assert delivery.deliver_webhooks(now=row.next_attempt_at - timedelta(seconds=1)) == "0"
            moment = row.next_attempt_at
    assert row.status is DeliveryStatus.FAILED and row.last_error.startswith("gave up")


def test_receiver_rejects_a_tampered_signature(world, receivers):
    receiver = receivers("whsec_right")
    url = f"http://127.0.0.1:{receiver.port}/hook"
    body = json.dumps({"event": "ping"}).encode()
    assert delivery.post(url, "whsec_right", 1, "ping", body).status_code == 204

    import time

    from portal.webhooks.signing import sign

    timestamp = str(int(time.time()))
    good = sign("whsec_right", timestamp, body)
    cases = [
        (body.replace(b"ping", b"pong"), good, timestamp),  # body changed after signing
        (body, good[:-1] + ("0" if good[-1] != "0" else "1"), timestamp),  # signature changed
        (body, sign("whsec_wrong", timestamp, body), timestamp),  # another secret
        (body, sign("whsec_right", "1000", body), "1000"),  # an old message replayed
    ]
    for sent_body, signature, stamp in cases:
        request = urllib.request.Request(url, data=sent_body, method="POST", headers={
            "X-Ontmoetingen-Timestamp": stamp, "X-Ontmoetingen-Signature": signature,
            "X-Ontmoetingen-Delivery": "9", "X-Ontmoetingen-Event": "ping"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        refused.value.close()
        assert refused.value.code == 401
    assert receiver.rejected == 4 and len(receiver.received) == 1


def test_a_rolled_back_change_queues_nothing_and_other_organisations_get_nothing(world):
    create_endpoint(world.coordinator, world.other_organisation, "https://example.org/hook")
    wish = create_wish(WishStatus.NEW, municipality=world.municipality)
    db.session.commit()
    service.route_wish(wish, world.facilitator, world.organisation, links=_links())
    assert _statuses() == []  # only the other organisation has a webhook
    create_endpoint(world.coordinator, world.organisation, "https://example.org/hook")
    db.session.commit()
    workflow.transition(wish, "acknowledge", world.member)
    db.session.rollback()
    assert _statuses() == []


def test_hand_back_is_announced_to_the_organisation_that_handed_it_back(world):
    create_endpoint(world.coordinator, world.organisation, "https://example.org/hook")
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    service.answer_wish(wish, "hand_back", world.member, "Niet voor ons.", links=_links())
    rows = _statuses()
    assert len(rows) == 1 and rows[0].organisation_id == world.organisation.id
    assert json.loads(rows[0].payload)["wish"]["status"] == "returned"


def test_coordinator_sees_the_secret_once_and_the_delivery_log(world, client, login_as):
    login_as(world.coordinator)
    page = f"/beheer/organisaties/{world.organisation.id}/koppelingen/"
    response = client.post_form(page + "webhooks", {"url": "ftp://x"}, token_from=page)
    assert response.status_code == 422
    response = client.post_form(page + "webhooks", {"url": "http://127.0.0.1:9/hook"},
                                token_from=page)
    assert response.status_code == 200
    secret = re.search(r"whsec_[\w-]+", response.get_data(as_text=True)).group(0)
    assert secret not in client.get(page).get_data(as_text=True)
    from portal.webhooks.models import WebhookEndpoint

    db.session.commit()
    endpoint = db.session.scalars(sa.select(WebhookEndpoint)).one()
    assert endpoint.secret == secret
    assert client.post_form(page + f"webhooks/{endpoint.id}/test", {},
                            token_from=page).status_code == 302
    db.session.commit()
    assert delivery.deliver_webhooks() == "0 delivered, 1 retrying, 0 failed"
    text = client.get(page).get_data(as_text=True)
    assert "ping" in text and "unreachable" in text


@pytest.mark.parametrize("role", ["facilitator", "organisation_member"])
def test_only_coordinators_open_the_integrations_screen(world, client, login_as, role):
    login_as(role)
    page = f"/beheer/organisaties/{world.organisation.id}/koppelingen/"
    assert client.get(page).status_code == 403
    assert client.post(page + "webhooks", data={"url": "https://x.example"}).status_code in (
        400, 403)
