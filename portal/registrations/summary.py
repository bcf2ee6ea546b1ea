"""What facilitators see at a glance: the role mix, needs per meeting, and the CSV export."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_datetime
from flask_babel import gettext as _

from portal.registrations.models import (NEED_LABELS, NEEDS, ROLE_LABELS, AttendanceStatus,
                                         ParticipantRole, Registration)
from portal.series.models import Meeting


@dataclass
class RoleMix:
    counts: list[tuple[str, int]]  # (label, count) in ParticipantRole order
    total: int
    residents: int

    @property
    def residents_under_a_third(self) -> bool:
        """The method needs residents at the heart of the group: at least a third."""
        return self.total > 0 and self.residents * 3 < self.total


def role_mix(confirmed: list[Registration]) -> RoleMix:
    counts = {role: 0 for role in ParticipantRole}
    for registration in confirmed:
        counts[registration.role] += 1
    return RoleMix([(str(ROLE_LABELS[role]), n) for role, n in counts.items()],
                   total=len(confirmed), residents=counts[ParticipantRole.RESIDENT])


@dataclass
class MeetingNeeds:
    meeting: Meeting
    expected: int
    counts: list[tuple[str, int]]  # (need label, how many of those expected need it)


def needs_per_meeting(meetings: list[Meeting], confirmed: list[Registration]) -> list[MeetingNeeds]:
    """Per meeting, the needs of everyone confirmed who is not marked absent for it."""
    rows = []
    for meeting in meetings:
        expected = [r for r in confirmed if not any(
            a.meeting_id == meeting.id and a.status is AttendanceStatus.ABSENT
            for a in r.attendances)]
        rows.append(MeetingNeeds(meeting, len(expected), [
            (str(NEED_LABELS[need]), sum(1 for r in expected if getattr(r, f"needs_{need}")))
            for need in NEEDS]))
    return rows


def registrations_csv_rows(registrations: list[Registration], positions: dict[int, int]):
    """Header and rows for the export; portal.csv_export writes them (`;`, BOM, no formulas)."""
    header = [_("Name"), _("Role"), _("Status"), _("Waiting list"), _("E-mail address"),
              _("Phone number"), *[str(NEED_LABELS[n]) for n in NEEDS], _("Other needs"),
              _("Signed up by a facilitator"), _("Signed up on")]
    statuses = {"confirmed": _("Confirmed"), "waiting": _("Waiting list"),
                "cancelled": _("Cancelled")}
    rows = [(r.display_name, ROLE_LABELS[r.role], statuses[r.status.value],
             positions.get(r.id, ""), r.email, r.phone,
             *[_("yes") if getattr(r, f"needs_{n}") else "" for n in NEEDS], r.needs_notes,
             _("yes") if r.is_registered_by_facilitator else "",
             format_datetime(r.created_at, "d-M-y HH:mm")) for r in registrations]
    return header, rows
