"""Deliver the outbox: claim due rows, send them over SMTP or as .eml files, retry with backoff.

A row moves pending -> sending (claimed by one worker until `claimed_until`) -> sent, or back to
pending with a later `next_attempt_at` after a temporary failure, or to failed after a permanent
one or the last retry. Nothing is ever deleted here (retention.purge does that much later).

Exactly once between workers: a row is claimed atomically (PostgreSQL: SELECT ... FOR UPDATE SKIP
LOCKED; SQLite: a conditional UPDATE per row), and right before each send the worker renews its own
claim with a conditional UPDATE that only matches while `claimed_until` still holds the value it
wrote. A claim that expired and was taken over by another worker therefore makes the first worker
skip the row instead of sending it again. A worker that crashes between the SMTP server's "250"
and the commit of `sent` will have the row sent again after its claim expires: at least once, with
the same Message-ID, so mail clients can fold the two together.

No addresses or message text in log lines or in `last_error`: message ids, SMTP codes and the
server's reply with any address replaced by "<address>".
"""
from __future__ import annotations

import email.policy
import logging
import os
import re
import smtplib
import socket
import ssl
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from portal.claims import claim_due_rows
from portal.extensions import db
from portal.logs import scrub
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.models import utcnow

log = logging.getLogger("portal.mail")

# Wait before retry number 1, 2, ... after a temporary failure; one more failure after the last
# of these marks the message failed (so at most len(RETRY_DELAYS) + 1 attempts, over ~16 hours).
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
    timedelta(hours=3), timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
BATCH_SIZE = 10  # messages claimed at once, and sent over one SMTP connection
MAX_PER_RUN = 200  # a run ends after this many, so the worker gets to its other jobs
CLAIM_SECONDS = 10 * 60  # a claim older than this belongs to a crashed worker

# RFC 5322 with CRLF; refuses CR/LF inside header values (no header injection).
POLICY = email.policy.SMTP
_EMAIL_ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")
_ERROR_LENGTH = 500


# Building the message --------------------------------------------------------------------------

def build_message(message: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message for an outbox row: text, optional HTML alternative, attachments."""
    mime = EmailMessage(policy=POLICY)
    mime["From"] = sender
    mime["To"] = message.to_address
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(
        message.created_at.astimezone(ZoneInfo(current_app.config["TIME_ZONE"])))
    mime["Message-ID"] = _message_id(message, sender)
    # RFC 3834: tells out-of-office robots not to answer.
    mime["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    mime.set_content(message.text_body, charset="utf-8", cte="quoted-printable")
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html", charset="utf-8",
                             cte="quoted-printable")
    for attachment in message.attachments:
        maintype, subtype, params = _content_type(attachment.content_type, attachment.content)
        mime.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                            filename=attachment.filename, params=params)
    return mime


def _message_id(message: OutboxMessage, sender: str) -> str:
    """Stable per outbox row, so a message sent twice after a crash has one Message-ID."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "ontmoetingen.invalid"
    stamp = int(message.created_at.timestamp() * 1_000_000)
    return f"<outbox.{message.id}.{stamp}@{domain}>"


def _content_type(value: str, content: bytes) -> tuple[str, str, dict[str, str]]:
    header = POLICY.header_factory("content-type", value)
    if header.defects or "/" not in value:
        return "application", "octet-stream", {}
    params = {key: val for key, val in header.params.items() if key.lower() != "boundary"}
    if header.maintype == "text":
        params.setdefault("charset", "utf-8")
    if (header.maintype, header.subtype) == ("text", "calendar") and "method" not in params:
        # Calendar clients show an invitation only with the method of the .ics in the header.
        found = re.search(rb"^METHOD:([A-Za-z-]+)\s*$", content, re.MULTILINE)
        if found:
            params["method"] = found.group(1).decode("ascii").upper()
    return header.maintype, header.subtype, params


# Transports ------------------------------------------------------------------------------------

class Unreachable(Exception):
    """The mail server could not be reached or refused the session: nothing can be sent now."""


class SmtpTransport:
    """One SMTP connection for a batch, opened on the first message."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        timeout = config["MAIL_TIMEOUT"]
        try:
            if config.get("MAIL_USE_SSL"):
                connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(host, port, timeout=timeout)
            try:
                if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                    connection.starttls(context=ssl.create_default_context())
                if config.get("MAIL_USERNAME"):
                    connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            except BaseException:
                connection.close()
                raise
        except (OSError, smtplib.SMTPException) as error:
            raise Unreachable(describe_error(error)) from None
        return connection

    def send(self, mime: EmailMessage, message_id: int) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(mime)
        except smtplib.SMTPRecipientsRefused as error:
            # smtplib has reset the session; it serves the next message unless the server left.
            if any(code == 421 for code, _ in error.recipients.values()):
                self.close()
            raise
        except smtplib.SMTPDataError as error:
            if error.smtp_code == 421:
                self.close()
            raise
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is None:
            return
        connection, self.connection = self.connection, None
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


class FileTransport:
    """Development: `<id>-<slug>.eml` files under MAIL_OUTBOX_DIR, for any mail client to open."""

    def __init__(self, config):
        self.directory = Path(config["MAIL_OUTBOX_DIR"])

    def send(self, mime: EmailMessage, message_id: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{message_id}-{slugify(str(mime['Subject']))}.eml"
        # Write aside, then rename: nobody ever opens half a message.
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(mime.as_bytes(policy=POLICY))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass


def slugify(text: str, length: int = 50) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > length:
        slug = slug[:length + 1].rsplit("-", 1)[0] or slug[:length]  # whole words
    return slug or "bericht"


def make_transport(config):
    return SmtpTransport(config) if config.get("MAIL_SERVER") else FileTransport(config)


# Errors ----------------------------------------------------------------------------------------

def describe_error(error: BaseException) -> str:
    """What went wrong, for last_error and logs: codes and server replies, never an address."""
    if isinstance(error, Unreachable):
        return str(error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [f"{code} {_reply_text(text)}" for code, text in error.recipients.values()]
        text = "recipient refused: " + "; ".join(replies)
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__}: {error.smtp_code} {_reply_text(error.smtp_error)}"
    elif isinstance(error, (socket.timeout, TimeoutError)):
        text = "timed out"
    elif isinstance(error, OSError):
        text = f"{type(error).__name__}: {error.strerror or error.__class__.__name__}"
    elif isinstance(error, smtplib.SMTPException):
        # SMTPServerDisconnected, SMTPNotSupportedError, ...: their text is smtplib's own.
        text = f"{type(error).__name__}: {_reply_text(str(error))}"
    else:
        # Unknown errors may carry anything in their text; the class name is enough.
        text = type(error).__name__
    return text[:_ERROR_LENGTH]


def _reply_text(text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = " ".join(str(text).split())
    return scrub(_EMAIL_ADDRESS.sub("<address>", text))


def is_permanent(error: BaseException) -> bool:
    """A 5xx about this message (recipient or content). A 5xx about our own session (login,
    sender, greeting) is a configuration problem a person fixes, so it is retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    # The address needs SMTPUTF8 and the server has none: trying again will not change that.
    return isinstance(error, smtplib.SMTPNotSupportedError)


# Claiming --------------------------------------------------------------------------------------

def _due(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        # A claim that ran out belongs to a worker that died: take the message over.
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim_batch(limit: int = BATCH_SIZE) -> tuple[list[int], datetime]:
    """Claim up to `limit` due messages for this worker and commit the claim."""
    now = utcnow()
    claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    ids = claim_due_rows(OutboxMessage, _due(now), sending_status=OutboxStatus.SENDING,
                         claimed_until=claimed_until, limit=limit)
    return ids, claimed_until


def _still_mine(message_id: int, claimed_until: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(OutboxMessage.id == message_id,
                   OutboxMessage.status == OutboxStatus.SENDING,
                   OutboxMessage.claimed_until == claimed_until)


def _update_own(message_id: int, claim: datetime, **values) -> bool:
    """Change a message only while this worker's claim on it holds; commit."""
    done = db.session.execute(
        sa.update(OutboxMessage).where(_still_mine(message_id, claim)).values(**values),
        execution_options={"synchronize_session": False}).rowcount == 1
    db.session.commit()
    return done


# Delivering ------------------------------------------------------------------------------------

@dataclass
class Summary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # taken over by another worker

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed

    def __str__(self) -> str:
        if not self.handled:
            return "0"  # the worker logs nothing for "0"
        return f"{self.sent} sent, {self.retrying} retrying, {self.failed} failed"


def deliver_due() -> str:
    """Send every message that is due; the `send-mail` job. Returns a short summary."""
    config = current_app.config
    summary = Summary()
    while summary.handled + summary.skipped < MAX_PER_RUN:
        room = MAX_PER_RUN - summary.handled - summary.skipped
        ids, claimed_until = claim_batch(min(BATCH_SIZE, room))
        if not ids:
            break
        reachable = _deliver_batch(ids, claimed_until, make_transport(config), config, summary)
        if not reachable:
            break  # the server is down; the next run tries again
    return str(summary)


def _deliver_batch(ids: list[int], claimed_until: datetime, transport, config,
                   summary: Summary) -> bool:
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)).all()
    # Build every message before the first commit expires the loaded rows.
    prepared = []
    for message in messages:
        try:
            mime = build_message(message, config["MAIL_DEFAULT_SENDER"])
        except Exception as error:  # a row that cannot become a message never will
            mime = f"could not build the message ({type(error).__name__})"
        prepared.append((message.id, message.attempts, mime))
    # End the reading transaction: on SQLite a write inside it could not wait for the lock.
    db.session.commit()
    unreachable: str | None = None
    try:
        for message_id, attempts, mime in prepared:
            if isinstance(mime, str):
                _fail(message_id, claimed_until, attempts + 1, mime, summary)
                continue
            # Renew the claim; if it ran out and another worker took over, leave it to them.
            mine_until = utcnow() + timedelta(seconds=CLAIM_SECONDS)
            if not _update_own(message_id, claimed_until, claimed_until=mine_until):
                log.info("mail %d: claimed by another worker, skipped", message_id)
                summary.skipped += 1
                continue
            if unreachable is not None:
                _retry_or_fail(message_id, mine_until, attempts + 1, unreachable, summary)
                continue
            try:
                transport.send(mime, message_id)
            except Unreachable as error:
                unreachable = str(error)
                _retry_or_fail(message_id, mine_until, attempts + 1, unreachable, summary)
            except Exception as error:
                description = describe_error(error)
                if is_permanent(error):
                    _fail(message_id, mine_until, attempts + 1, description, summary)
                else:
                    _retry_or_fail(message_id, mine_until, attempts + 1, description, summary)
            else:
                _mark_sent(message_id, mine_until, attempts + 1, summary)
    finally:
        transport.close()
        # Anything still claimed here was not tried (an unexpected error): hand it back.
        _release_untried(ids, claimed_until)
    return unreachable is None


def _mark_sent(message_id: int, claimed_until: datetime, attempts: int, summary: Summary) -> None:
    if not _update_own(message_id, claimed_until, status=OutboxStatus.SENT, sent_at=utcnow(),
                       attempts=attempts, claimed_until=None, last_error=None):
        summary.skipped += 1
        return
    summary.sent += 1
    log.info("mail %d sent (attempt %d)", message_id, attempts)


def _retry_or_fail(message_id: int, claimed_until: datetime, attempts: int, error: str,
                   summary: Summary) -> None:
    if attempts >= MAX_ATTEMPTS:
        _fail(message_id, claimed_until, attempts, f"gave up after {attempts} attempts: {error}",
              summary)
        return
    next_attempt_at = utcnow() + RETRY_DELAYS[attempts - 1]
    if not _update_own(message_id, claimed_until, status=OutboxStatus.PENDING, attempts=attempts,
                       next_attempt_at=next_attempt_at, claimed_until=None,
                       last_error=error[:_ERROR_LENGTH]):
        summary.skipped += 1
        return
    summary.retrying += 1
    log.warning("mail %d: attempt %d failed, next attempt at %s: %s", message_id, attempts,
                next_attempt_at.isoformat(timespec="seconds"), error)


def _fail(message_id: int, claimed_until: datetime, attempts: int, error: str,
          summary: Summary) -> None:
    if not _update_own(message_id, claimed_until, status=OutboxStatus.FAILED, attempts=attempts,
                       claimed_until=None, last_error=error[:_ERROR_LENGTH]):
        summary.skipped += 1
        return
    summary.failed += 1
    log.error("mail %d failed for good after %d attempt(s): %s", message_id, attempts, error)


def _release_untried(ids: list[int], claimed_until: datetime) -> None:
    db.session.rollback()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.claimed_until == claimed_until)
        .values(status=OutboxStatus.PENDING, claimed_until=None),
        execution_options={"synchronize_session": False})
    db.session.commit()
