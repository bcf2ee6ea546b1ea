"""Queue mail in the caller's transaction. Delivery is portal.mail.delivery's job."""
from __future__ import annotations

from dataclasses import dataclass

from portal.extensions import db
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.text import has_control_characters


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def _single_line(value: str, what: str) -> str:
    # A CR or LF in a header would let the text add headers (Bcc:...) of its own.
    if has_control_characters(value) or "\n" in value or "\r" in value:
        raise ValueError(f"{what} must be one line without control characters")
    return value.strip()


def enqueue_mail(
    to: str,
    subject: str,
    text_body: str,
    html_body: str | None = None,
    attachments: tuple[Attachment, ...] | list[Attachment] = (),
    reply_to: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller's transaction commits."""
    message = OutboxMessage(
        to_address=_single_line(to, "to"),
        subject=_single_line(subject, "subject")[:255],
        text_body=text_body,
        html_body=html_body,
        reply_to=_single_line(reply_to, "reply_to") if reply_to else None,
    )
    message.attachments = [
        OutboxAttachment(filename=_single_line(a.filename, "filename"),
                         content_type=a.content_type, content=a.content)
        for a in attachments
    ]
    db.session.add(message)
    db.session.flush()
    return message
