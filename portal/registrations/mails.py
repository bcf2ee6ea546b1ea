"""The e-mails a registrant gets. Queued in the caller's transaction (portal.mail)."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from portal.mail.service import Attachment, enqueue_mail
from portal.registrations.calendar import series_calendar_bytes
from portal.registrations.models import Registration
from portal.series.models import Meeting, MeetingStatus


def _calendar(registration: Registration) -> tuple[Attachment, ...]:
    return (Attachment("ontmoetingen.ics", "text/calendar; charset=utf-8",
                       series_calendar_bytes(registration.series)),)


def _meetings(registration: Registration) -> list[Meeting]:
    return [m for m in registration.series.meetings if m.status is not MeetingStatus.CANCELLED]


def send_confirmation(registration: Registration, manage_url: str | None,
                      position: int | None) -> None:
    """Confirmed: the meetings in a calendar file. Waiting: the position, no calendar yet."""
    series = registration.series
    if registration.is_confirmed:
        subject = _("You are signed up: %(title)s", title=series.title)
    else:
        subject = _("You are on the waiting list: %(title)s", title=series.title)
    body = render_template("registrations/mail/confirmation.txt", registration=registration,
                           series=series, meetings=_meetings(registration),
                           manage_url=manage_url, position=position)
    enqueue_mail(registration.email, subject, body,
                 attachments=_calendar(registration) if registration.is_confirmed else ())


def send_promotion(registration: Registration) -> None:
    series = registration.series
    body = render_template("registrations/mail/promotion.txt", registration=registration,
                           series=series, meetings=_meetings(registration))
    enqueue_mail(registration.email, _("There is a place for you: %(title)s", title=series.title),
                 body, attachments=_calendar(registration))


def send_manage_link(registration: Registration, manage_url: str) -> None:
    series = registration.series
    body = render_template("registrations/mail/manage_link.txt", registration=registration,
                           series=series, manage_url=manage_url)
    enqueue_mail(registration.email, _("Your link for %(title)s", title=series.title), body)


def send_reminder(registration: Registration, meeting: Meeting) -> None:
    series = registration.series
    body = render_template("registrations/mail/reminder.txt", registration=registration,
                           series=series, meeting=meeting)
    enqueue_mail(registration.email,
                 _("Reminder: meeting %(number)s of %(title)s", number=meeting.number,
                   title=series.title), body)
