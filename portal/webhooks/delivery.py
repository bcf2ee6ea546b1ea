"""Send queued webhooks (the `send-webhooks` job): claim due rows, POST them signed, retry with
backoff while the receiver is down or answers 5xx, give up after MAX_ATTEMPTS (kept, shown).

Claiming follows portal/mail/delivery.py: PostgreSQL takes rows with FOR UPDATE SKIP LOCKED,
SQLite with a conditional UPDATE per row, so two workers never send the same row at once. A
worker that dies after the receiver's 2xx but before the commit sends that row again once its
claim runs out: receivers de-duplicate on the X-Ontmoetingen-Delivery header.
"""
from __future__ import annotations

import logging
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.claims import claim_due_rows
from portal.extensions import db
from portal.models import utcnow
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.webhooks.signing import sign

log = logging.getLogger("portal.webhooks")

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=6), timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10
BATCH_SIZE = 20
MAX_PER_RUN = 200
CLAIM_SECONDS = 5 * 60
USER_AGENT = "Ontmoetingen-portal-webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: following it could reach anywhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _due(now: datetime):
    return sa.or_(
        sa.and_(WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now),
        sa.and_(WebhookDelivery.status == DeliveryStatus.SENDING,
                WebhookDelivery.claimed_until < now),
    )


def claim_batch(now: datetime, limit: int = BATCH_SIZE) -> tuple[list[int], datetime]:
    claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    ids = claim_due_rows(WebhookDelivery, _due(now), sending_status=DeliveryStatus.SENDING,
                         claimed_until=claimed_until, limit=limit)
    return ids, claimed_until


@dataclass
class Result:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, secret: str, delivery_id: int, event_type: str, body: bytes) -> Result:
    """One signed POST. Never raises: the result says what happened."""
    timestamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Ontmoetingen-Event": event_type,
        "X-Ontmoetingen-Delivery": str(delivery_id),
        "X-Ontmoetingen-Timestamp": timestamp,
        "X-Ontmoetingen-Signature": sign(secret, timestamp, body),
    })
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Result(response.status, None)
    except urllib.error.HTTPError as error:
        error.close()
        return Result(error.code, f"HTTP {error.code}")
    except (socket.timeout, TimeoutError):
        return Result(None, "timed out")
    except urllib.error.URLError as error:
        reason = error.reason
        return Result(None, f"unreachable: {type(reason).__name__}"
                      if not isinstance(reason, str) else "unreachable")
    except (OSError, ValueError) as error:
        return Result(None, type(error).__name__)


def _update_own(delivery_id: int, claim: datetime, **values) -> bool:
    """Change a row only while this worker's claim on it holds; commit."""
    done = db.session.execute(
        sa.update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status == DeliveryStatus.SENDING,
            WebhookDelivery.claimed_until == claim).values(**values),
        execution_options={"synchronize_session": False}).rowcount == 1
    db.session.commit()
    return done


@dataclass
class Summary:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        if not (self.delivered or self.retrying or self.failed):
            return "0"
        return f"{self.delivered} delivered, {self.retrying} retrying, {self.failed} failed"


def deliver_webhooks(now: datetime | None = None) -> str:
    """Send every due delivery; the `send-webhooks` job. `now` is for tests of the backoff."""
    summary = Summary()
    handled = 0
    while handled < MAX_PER_RUN:
        moment = now or utcnow()
        ids, claimed_until = claim_batch(moment, min(BATCH_SIZE, MAX_PER_RUN - handled))
        if not ids:
            break
        rows = db.session.execute(
            sa.select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.event_type,
                      WebhookDelivery.payload, WebhookEndpoint.url, WebhookEndpoint.secret,
                      WebhookEndpoint.is_active)
            .join(WebhookEndpoint, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
            .where(WebhookDelivery.id.in_(ids)).order_by(WebhookDelivery.id)).all()
        db.session.commit()  # no transaction stays open while we wait on a receiver
        for row in rows:
            handled += 1
            attempts = row.attempts + 1
            if not row.is_active:
                _update_own(row.id, claimed_until, status=DeliveryStatus.FAILED,
                            attempts=row.attempts, claimed_until=None,
                            last_error="endpoint switched off")
                summary.failed += 1
                continue
            result = post(row.url, row.secret, row.id, row.event_type, row.payload.encode())
            if result.ok:
                _update_own(row.id, claimed_until, status=DeliveryStatus.DELIVERED,
                            attempts=attempts, claimed_until=None, delivered_at=utcnow(),
                            last_status_code=result.status_code, last_error=None)
                summary.delivered += 1
            elif attempts >= MAX_ATTEMPTS:
                _update_own(row.id, claimed_until, status=DeliveryStatus.FAILED,
                            attempts=attempts, claimed_until=None,
                            last_status_code=result.status_code,
                            last_error=f"gave up after {attempts} attempts: {result.error}"[:300])
                summary.failed += 1
                log.error("webhook %d failed for good: %s", row.id, result.error)
            else:
                # 4xx too: a receiver that refuses may be fixed by its people; the log shows it.
                _update_own(row.id, claimed_until, status=DeliveryStatus.PENDING,
                            attempts=attempts, claimed_until=None,
                            next_attempt_at=moment + RETRY_DELAYS[attempts - 1],
                            last_status_code=result.status_code, last_error=result.error)
                summary.retrying += 1
                log.warning("webhook %d: attempt %d failed: %s", row.id, attempts, result.error)
    return str(summary)
