"""What a person tells us about themselves: passed from a form to the service."""
from __future__ import annotations

from dataclasses import dataclass, field

from portal.registrations.models import ParticipantRole


@dataclass
class Details:
    display_name: str
    role: ParticipantRole | None  # None when changing: the role stays as it was
    email: str | None = None
    phone: str | None = None
    needs: set[str] = field(default_factory=set)
    needs_notes: str = ""
    # Opt-in to the check-in mails after the series; None when the form does not ask (kept).
    follow_up: bool | None = None
