"""A facilitator changing the rooms changes the group's size: the waiting list moves up."""
from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.registrations.models import Registration, RegistrationStatus
from portal.series import service as series_service
from portal.series.times import to_local


def _statuses(app, series_id):
    with app.app_context():
        return db.session.scalars(sa.select(Registration.status).where(
            Registration.series_id == series_id).order_by(Registration.id)).all()


def _full_series_with_two_waiting(reg, factories):
    series = reg.create_series(capacity=2)
    for n in range(4):
        reg.register(series, email=f"deelnemer{n}@example.org")
    return series


def test_raising_every_meeting_capacity_promotes_the_first_waiting(app, reg, factories, outbox):
    series = _full_series_with_two_waiting(reg, factories)
    actor = factories.create_user("facilitator", municipalities=[series.municipality])
    for meeting in series.meetings:
        local = to_local(meeting.starts_at)
        series_service.update_meeting(actor, meeting, series_service.MeetingInput(
            day=local.date(), start=local.time(),
            end=to_local(meeting.ends_at).time(),
            venue_id=meeting.venue_id, capacity=3, notes=""))
    db.session.commit()

    assert _statuses(app, series.id) == [RegistrationStatus.CONFIRMED] * 3 + [
        RegistrationStatus.WAITING]
    promoted_mail = [m for m in outbox() if m.to_address == "deelnemer2@example.org"]
    assert len(promoted_mail) == 2  # the waiting-list confirmation and the promotion


def test_cancelling_the_smallest_meeting_frees_seats(app, reg, factories):
    series = reg.create_series(capacities=[5, 5, 2, 5])
    for n in range(4):
        reg.register(series, email=f"deelnemer{n}@example.org")
    actor = factories.create_user("facilitator", municipalities=[series.municipality])
    series_service.cancel_meeting(actor, series.meetings[2])
    db.session.commit()
    assert _statuses(app, series.id) == [RegistrationStatus.CONFIRMED] * 4
