"""Invitations: the ready-to-copy text, and personal e-mails that leave only a count behind."""
from __future__ import annotations

import re

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import render_template
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.series.models import InvitationBatch, Series
from portal.series.times import to_local

MAX_ADDRESSES = 200
_SEPARATORS = re.compile(r"[\s,;]+")


def meeting_lines(series: Series) -> list[str]:
    """'1. dinsdag 6 oktober 2026, 19:00-21:00' per meeting, in the reader's language."""
    lines = []
    for meeting in series.meetings:
        start, end = to_local(meeting.starts_at), to_local(meeting.ends_at)
        line = _("%(number)s. %(day)s, %(start)s-%(end)s", number=meeting.number,
                 day=format_date(start, "EEEE d MMMM y"), start=format_time(start, "HH:mm"),
                 end=format_time(end, "HH:mm"))
        if meeting.is_cancelled:
            line += " " + _("(cancelled)")
        lines.append(line)
    return lines


def share_text(series: Series, public_url: str) -> str:
    """Short, plain text for WhatsApp and social media."""
    venue = series.meetings[0].venue if series.meetings else None
    parts = [
        _("You are invited: %(title)s", title=series.title),
        _("Four meetings with people from %(place)s. We listen to each other and choose "
          "together what must change. Coffee and tea are ready. It is free.",
          place=series.municipality.name),
        "\n".join(meeting_lines(series)),
    ]
    if venue:
        parts.append(_("Where: %(venue)s, %(address)s", venue=venue.name, address=venue.address))
    parts.append(_("Sign up here: %(url)s", url=public_url))
    return "\n\n".join(parts)


def sent_total(series: Series) -> int:
    """How many personal invitations went out for this series, all batches together."""
    total = sa.func.coalesce(sa.func.sum(InvitationBatch.sent_count), 0)
    return db.session.scalar(sa.select(total).where(InvitationBatch.series_id == series.id))


def parse_addresses(text: str) -> list[str]:
    """Valid addresses, deduplicated case-insensitively; DomainError names the invalid ones."""
    seen, addresses, invalid = set(), [], []
    for raw in _SEPARATORS.split(text or ""):
        raw = raw.strip().strip("<>")
        if not raw:
            continue
        try:
            address = validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError:
            invalid.append(raw[:80])
            continue
        if address.casefold() not in seen:
            seen.add(address.casefold())
            addresses.append(address)
    if invalid:
        raise DomainError(_l("These are not e-mail addresses: %(list)s. Correct or remove them.",
                             list=", ".join(invalid[:10]) + (" …" if len(invalid) > 10 else "")),
                          field="addresses")
    if not addresses:
        raise DomainError(_l("Fill in at least one e-mail address."), field="addresses")
    if len(addresses) > MAX_ADDRESSES:
        raise DomainError(_l("At most %(max)s addresses at a time. You filled in %(count)s.",
                             max=MAX_ADDRESSES, count=len(addresses)), field="addresses")
    return addresses


def send_invitations(actor: User, series: Series, addresses_text: str, message: str,
                     public_url: str) -> InvitationBatch:
    """One outbox message per address; only the count is kept."""
    if not series.is_public or series.status.value == "cancelled":
        raise DomainError(_l("Publish the series first: the invitation links to its page."),
                          field="addresses")
    addresses = parse_addresses(addresses_text)
    subject = _("Invitation: %(title)s", title=series.title)
    body = render_template("series/mail/invitation.txt", series=series, message=message.strip(),
                           sender=actor, meeting_lines=meeting_lines(series),
                           public_url=public_url)
    for address in addresses:
        enqueue_mail(address, subject, body, reply_to=actor.email)
    batch = InvitationBatch(series_id=series.id, sent_count=len(addresses), sent_at=utcnow(),
                            sent_by=actor)
    db.session.add(batch)
    db.session.flush()
    return batch
