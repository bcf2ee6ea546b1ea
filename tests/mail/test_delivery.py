"""Mail leaves the outbox over a real SMTP server, or as .eml files, and survives failures."""
from __future__ import annotations

import email
import email.policy
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail import delivery
from portal.mail.delivery import MAX_ATTEMPTS, RETRY_DELAYS, deliver_due
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.service import Attachment, enqueue_mail
from portal.models import utcnow
from tests.workers import run_at_once

ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ontmoetingen//NL\r\nMETHOD:REQUEST\r\n"
       b"BEGIN:VEVENT\r\nUID:ontmoeting-1@example.org\r\nSUMMARY:Eerste ontmoeting\r\n"
       b"DTSTART:20260312T180000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
DUTCH_SUBJECT = "Uitnodiging: eerste ontmoeting in ’t Dorpshuis – één avond café"
DUTCH_BODY = ("Beste Anouk,\n\nWe zien je graag op donderdag. Er is koffie, thee en een "
              "broodje. Heb je vragen? Bel ons gerust.\n\nGroet, Ingrid én Fatma\n")


def queue(app, count=1, **kwargs):
    """Queue messages and commit, as a request would; returns their ids."""
    with app.app_context():
        ids = []
        for number in range(count):
            fields = {"to": f"bewoner{number}@example.nl", "subject": f"Bericht {number}",
                      "text_body": f"Tekst {number}"}
            fields.update(kwargs)
            ids.append(enqueue_mail(**fields).id)
        db.session.commit()
        return ids


def send(app) -> str:
    with app.app_context():
        return deliver_due()


def test_smtp_delivers_dutch_text_html_and_calendar_attachment(smtp_app, smtp_server, rows):
    smtp_server.start()
    queue(smtp_app, to="anouk@example.nl", subject=DUTCH_SUBJECT, text_body=DUTCH_BODY,
          html_body="<p>Beste Anouk,</p><p>We zien je graag op <strong>donderdag</strong>.</p>",
          reply_to="ingrid@welzijn.example.nl",
          attachments=(Attachment("ontmoeting.ics", "text/calendar", ICS),))

    assert send(smtp_app) == "1 sent, 0 retrying, 0 failed"

    assert smtp_server.recipients == [["anouk@example.nl"]]
    [received] = smtp_server.messages
    assert received["Subject"] == DUTCH_SUBJECT
    assert received["From"] == "Ontmoetingen <noreply@example.org>"
    assert received["To"] == "anouk@example.nl"
    assert received["Reply-To"] == "ingrid@welzijn.example.nl"
    assert received["Date"] and received["Message-ID"].endswith("@example.org>")
    assert received.get_body(("plain",)).get_content().replace("\r\n", "\n") == DUTCH_BODY
    assert "<strong>donderdag</strong>" in received.get_body(("html",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "ontmoeting.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"  # taken from the .ics itself
    assert attachment.get_payload(decode=True) == ICS
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, None)
    assert row.sent_at is not None and row.claimed_until is None

    assert send(smtp_app) == "0"  # nothing is sent twice
    assert len(smtp_server.messages) == 1


def test_one_connection_delivers_a_batch(smtp_app, smtp_server, rows):
    smtp_server.start()
    queue(smtp_app, count=delivery.BATCH_SIZE + 3)

    assert send(smtp_app) == f"{delivery.BATCH_SIZE + 3} sent, 0 retrying, 0 failed"

    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert subjects == sorted(f"Bericht {n}" for n in range(delivery.BATCH_SIZE + 3))
    assert {row.status for row in rows()} == {OutboxStatus.SENT}


def test_without_mail_server_messages_become_eml_files(make_app, tmp_path, rows):
    folder = tmp_path / "outbox"
    app = make_app(MAIL_SERVER="", MAIL_OUTBOX_DIR=str(folder))
    [message_id] = queue(app, to="anouk@example.nl", subject=DUTCH_SUBJECT, text_body=DUTCH_BODY,
                         attachments=(Attachment("ontmoeting.ics",
                                                 "text/calendar; method=REQUEST", ICS),))

    assert send(app) == "1 sent, 0 retrying, 0 failed"

    [file] = folder.iterdir()
    assert file.name == f"{message_id}-uitnodiging-eerste-ontmoeting-in-t-dorpshuis-een.eml"
    written = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert written["Subject"] == DUTCH_SUBJECT
    assert written["To"] == "anouk@example.nl"
    assert written.get_body(("plain",)).get_content().replace("\r\n", "\n") == DUTCH_BODY
    [attachment] = list(written.iter_attachments())
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_payload(decode=True) == ICS
    assert rows()[0].status == OutboxStatus.SENT


def test_server_down_then_up_delivers_exactly_once(smtp_app, smtp_server, rows, time_passes):
    [message_id] = queue(smtp_app, to="anouk@example.nl", text_body="Geheime tekst")

    before = utcnow()
    assert send(smtp_app) == "0 sent, 1 retrying, 0 failed"  # nobody listens on the port
    [row] = rows()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at >= before + RETRY_DELAYS[0]
    assert "Connection refused" in row.last_error
    assert "anouk" not in row.last_error and "Geheime" not in row.last_error

    smtp_server.start()
    assert send(smtp_app) == "0"  # still waiting for its retry time
    assert smtp_server.messages == []

    time_passes()
    assert send(smtp_app) == "1 sent, 0 retrying, 0 failed"
    assert send(smtp_app) == "0"
    assert [m["Message-ID"] for m in smtp_server.messages] == [
        f"<outbox.{message_id}.{int(row.created_at.timestamp() * 1_000_000)}@example.org>"]
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, None)


def test_server_down_puts_the_whole_batch_back_for_later(smtp_app, rows):
    queue(smtp_app, count=3)

    assert send(smtp_app) == "0 sent, 3 retrying, 0 failed"

    assert [(row.status, row.attempts) for row in rows()] == [(OutboxStatus.PENDING, 1)] * 3


def test_451_is_retried_with_growing_waits(smtp_app, smtp_server, rows, time_passes):
    smtp_server.start()
    smtp_server.handler.temporary_failures = 3
    queue(smtp_app)

    for attempt in (1, 2, 3):
        before = utcnow()
        assert send(smtp_app) == "0 sent, 1 retrying, 0 failed"
        [row] = rows()
        assert row.attempts == attempt and row.status == OutboxStatus.PENDING
        wait = row.next_attempt_at - before
        assert RETRY_DELAYS[attempt - 1] <= wait < RETRY_DELAYS[attempt - 1] + timedelta(minutes=1)
        assert row.last_error.startswith("SMTPDataError: 451")
        time_passes()

    assert send(smtp_app) == "1 sent, 0 retrying, 0 failed"
    assert len(smtp_server.messages) == 1
    assert rows()[0].attempts == 4


def test_refused_recipient_fails_at_once_and_is_kept(smtp_app, smtp_server, rows, caplog):
    smtp_server.start()
    smtp_server.handler.refused_recipients = {"weg@example.nl"}
    [refused_id, fine_id] = [queue(smtp_app, to="weg@example.nl")[0], queue(smtp_app)[0]]

    with caplog.at_level(logging.INFO, logger="portal.mail"):
        assert send(smtp_app) == "1 sent, 0 retrying, 1 failed"

    refused, fine = rows()
    assert (refused.id, refused.status, refused.attempts) == (refused_id, OutboxStatus.FAILED, 1)
    assert refused.last_error.startswith("recipient refused: 550")
    assert "<address>" in refused.last_error and "weg@" not in refused.last_error
    assert fine.status == OutboxStatus.SENT  # the same connection went on with the next one
    assert smtp_server.recipients == [["bewoner0@example.nl"]]
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    assert f"mail {refused_id} failed" in log_text and f"mail {fine_id} sent" in log_text
    assert "@" not in log_text

    assert send(smtp_app) == "0"  # failed mail is not tried again
    assert rows()[0].status == OutboxStatus.FAILED


def test_after_the_last_retry_the_message_fails_and_is_kept(smtp_app, rows):
    [message_id] = queue(smtp_app)
    with smtp_app.app_context():
        db.session.execute(sa.update(OutboxMessage).values(attempts=MAX_ATTEMPTS - 1))
        db.session.commit()

    assert send(smtp_app) == "0 sent, 0 retrying, 1 failed"  # the server is down

    [row] = rows()
    assert (row.id, row.status, row.attempts) == (message_id, OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert row.last_error.startswith(f"gave up after {MAX_ATTEMPTS} attempts")
    assert row.text_body == "Tekst 0"


def test_rolled_back_transaction_sends_nothing(smtp_app, smtp_server, rows):
    smtp_server.start()
    with smtp_app.app_context():
        enqueue_mail("anouk@example.nl", "Welkom", "Hallo")
        db.session.rollback()  # the change that caused the mail did not happen

    assert send(smtp_app) == "0"
    assert rows() == [] and smtp_server.messages == []


def test_header_injection_is_impossible(smtp_app, smtp_server, rows):
    smtp_server.start()
    with pytest.raises(ValueError), smtp_app.app_context():
        enqueue_mail("anouk@example.nl", "Hallo\r\nBcc: iedereen@example.nl", "Tekst")
    # A row that got past enqueue some other way is refused when the message is built.
    with smtp_app.app_context():
        db.session.add(OutboxMessage(to_address="anouk@example.nl", text_body="Tekst",
                                     subject="Hallo\nBcc: iedereen@example.nl"))
        db.session.commit()

    assert send(smtp_app) == "0 sent, 0 retrying, 1 failed"
    assert smtp_server.messages == []
    assert rows()[0].last_error == "could not build the message (ValueError)"


def test_message_of_a_crashed_worker_is_taken_over(smtp_app, smtp_server, rows):
    smtp_server.start()
    [crashed_id, busy_id] = queue(smtp_app, count=2)
    with smtp_app.app_context():
        now = utcnow()
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == crashed_id)
                           .values(status=OutboxStatus.SENDING,
                                   claimed_until=now - timedelta(minutes=1)))
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == busy_id)
                           .values(status=OutboxStatus.SENDING,
                                   claimed_until=now + timedelta(minutes=5)))
        db.session.commit()

    assert send(smtp_app) == "1 sent, 0 retrying, 0 failed"

    crashed, busy = rows()
    assert crashed.status == OutboxStatus.SENT
    assert busy.status == OutboxStatus.SENDING  # another worker is still on it
    assert [m["Subject"] for m in smtp_server.messages] == ["Bericht 0"]


def test_worker_whose_claim_was_taken_over_does_not_send_again(smtp_app, smtp_server, rows):
    smtp_server.start()
    queue(smtp_app)

    def deliver(ids, claimed_until):
        summary = delivery.Summary()
        delivery._deliver_batch(ids, claimed_until, delivery.make_transport(smtp_app.config),
                                smtp_app.config, summary)
        return summary

    with smtp_app.app_context():
        # A slow worker claims the message, then stalls until its claim runs out ...
        slow_claim = delivery.claim_batch()
        db.session.execute(sa.update(OutboxMessage)
                           .values(claimed_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        # ... another worker takes it over ...
        fast_claim = delivery.claim_batch()
        assert fast_claim[0] == slow_claim[0]
        # ... the slow worker wakes up, and leaves it alone ...
        slow = deliver(*slow_claim)
        assert (slow.sent, slow.skipped) == (0, 1)
        assert smtp_server.messages == []
        # ... to the worker that holds the claim now.
        assert deliver(*fast_claim).sent == 1

    assert len(smtp_server.messages) == 1
    assert rows()[0].status == OutboxStatus.SENT


def test_two_workers_at_once_send_every_message_exactly_once(smtp_app, smtp_server, rows,
                                                             monkeypatch):
    smtp_server.start()
    smtp_server.handler.delay = 0.01  # let the workers overlap
    monkeypatch.setattr(delivery, "BATCH_SIZE", 2)
    count = 24
    queue(smtp_app, count=count)
    summaries = run_at_once(smtp_app, deliver_due)

    subjects = [message["Subject"] for message in smtp_server.messages]
    assert sorted(subjects) == sorted(f"Bericht {n}" for n in range(count))  # each exactly once
    assert sum(int(s.split()[0]) for s in summaries if s != "0") == count
    assert all((row.status, row.attempts) == (OutboxStatus.SENT, 1) for row in rows())


def test_send_mail_command(smtp_app, smtp_server, rows):
    smtp_server.start()
    queue(smtp_app, count=2)

    result = smtp_app.test_cli_runner().invoke(args=["portal", "send-mail"])

    assert result.exit_code == 0, result.output
    assert "send-mail: 2 sent, 0 retrying, 0 failed" in result.output
    assert len(smtp_server.messages) == 2
    assert {row.status for row in rows()} == {OutboxStatus.SENT}
