"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives and can be told to
fail: stopped (connection refused), 451 for the next N messages, 550 for given recipients."""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from portal.extensions import db
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.models import utcnow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.temporary_failures = 0  # answer 451 to this many next messages
        self.refused_recipients: set[str] = set()  # answer 550 at RCPT TO
        self.delay = 0.0  # seconds to wait before accepting, to let workers overlap

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.temporary_failures:
                self.temporary_failures -= 1
                return "451 4.3.0 Mail server temporarily unavailable, try again later"
            message = email.message_from_bytes(envelope.original_content,
                                               policy=email.policy.default)
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    def start(self):
        assert self.controller is None
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self.handler.lock:
            return [message for _, message in self.handler.received]

    @property
    def recipients(self) -> list[list[str]]:
        with self.handler.lock:
            return [rcpt for rcpt, _ in self.handler.received]


@pytest.fixture
def smtp_server():
    """Not started: call .start(); a stopped server refuses connections."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(make_app, smtp_server):
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_USE_TLS=False,
                    MAIL_TIMEOUT=5, MAIL_DEFAULT_SENDER="Ontmoetingen <noreply@example.org>")


@pytest.fixture
def rows(app):
    """The outbox rows as they are in the database now."""
    def read() -> list[OutboxMessage]:
        with app.app_context():
            return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()

    return read


@pytest.fixture
def time_passes(app):
    """Make every message waiting for a retry due now, as if its wait were over."""
    def advance():
        with app.app_context():
            db.session.execute(sa.update(OutboxMessage)
                               .where(OutboxMessage.status == OutboxStatus.PENDING)
                               .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
            db.session.commit()

    return advance
