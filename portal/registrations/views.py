"""Facilitators: participants, role mix, needs, waiting list, sign-up on someone's behalf,
CSV, check-in list and attendance. Only series of their own municipalities (404 otherwise)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.permissions import Role, require
from portal.csv_export import csv_response
from portal.errors import DomainError
from portal.extensions import db
from portal.registrations import service, summary
from portal.registrations.forms import ActionForm, FacilitatorSignUpForm
from portal.registrations.forms import details_from_form
from portal.registrations.models import AttendanceStatus, Registration, RegistrationStatus
from portal.registrations.public import manage_url
from portal.series.models import Meeting, Series

bp = Blueprint("registrations", __name__, url_prefix="/begeleiding")

STAFF = (Role.FACILITATOR, Role.COORDINATOR)


def visible_series_query(user):
    """Series a user may manage: a facilitator's own municipalities, a coordinator all."""
    query = sa.select(Series)
    if user.role is not Role.COORDINATOR:
        query = query.where(Series.municipality_id.in_(user.municipality_ids or {-1}))
    return query


def _series(series_id: int) -> Series:
    series = db.session.scalar(visible_series_query(current_user).where(Series.id == series_id))
    if series is None:
        abort(404)
    return series


def _registration(series: Series, registration_id: int) -> Registration:
    registration = db.session.scalar(sa.select(Registration).where(
        Registration.id == registration_id, Registration.series_id == series.id))
    if registration is None:
        abort(404)
    return registration


def _registrations(series: Series) -> list[Registration]:
    return list(db.session.scalars(
        sa.select(Registration).where(Registration.series_id == series.id)
        .options(selectinload(Registration.attendances), selectinload(Registration.registered_by))
        .order_by(Registration.status, Registration.queue_number, Registration.display_name,
                  Registration.id)).all())


def _positions(registrations) -> dict[int, int]:
    waiting = sorted((r for r in registrations if r.is_waiting), key=lambda r: r.queue_number)
    return {r.id: n for n, r in enumerate(waiting, start=1)}


@bp.route("/aanmeldingen")
@require(*STAFF)
def index():
    counts = dict(db.session.execute(
        sa.select(Registration.series_id, sa.func.count(Registration.id))
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.series_id)).all())
    series_list = db.session.scalars(visible_series_query(current_user)
                                     .order_by(Series.created_at.desc()).limit(100)).all()
    return render_template("registrations/index.html", series_list=series_list, counts=counts)


@bp.route("/reeksen/<int:series_id>/aanmeldingen")
@require(*STAFF)
def participants(series_id: int):
    series = _series(series_id)
    registrations = _registrations(series)
    confirmed = [r for r in registrations if r.is_confirmed]
    meetings = [m for m in series.meetings if not m.is_cancelled]
    return render_template(
        "registrations/participants.html", series=series, registrations=registrations,
        confirmed=confirmed, waiting=[r for r in registrations if r.is_waiting],
        cancelled=[r for r in registrations if r.is_cancelled], positions=_positions(registrations),
        mix=summary.role_mix(confirmed), needs=summary.needs_per_meeting(meetings, confirmed),
        capacity=service.series_capacity(series), meetings=meetings, action_form=ActionForm())


@bp.route("/reeksen/<int:series_id>/aanmeldingen.csv")
@require(*STAFF)
def export_csv(series_id: int):
    series = _series(series_id)
    registrations = _registrations(series)
    header, rows = summary.registrations_csv_rows(registrations, _positions(registrations))
    return csv_response(f"aanmeldingen-{series.id}.csv", header, rows)


@bp.route("/reeksen/<int:series_id>/inchecklijst")
@require(*STAFF)
def check_in_list(series_id: int):
    series = _series(series_id)
    confirmed = sorted((r for r in _registrations(series) if r.is_confirmed),
                       key=lambda r: r.display_name.lower())
    return render_template("registrations/check_in.html", series=series, confirmed=confirmed,
                           meetings=[m for m in series.meetings if not m.is_cancelled])


@bp.route("/reeksen/<int:series_id>/aanmelden", methods=["GET", "POST"])
@require(*STAFF)
def register_on_behalf(series_id: int):
    series = _series(series_id)
    form = FacilitatorSignUpForm()
    if request.method == "GET":
        form.form_key.data = service.new_form_key()
    elif form.validate():
        if not service.is_form_key(form.form_key.data):
            form.form_key.data = service.new_form_key()
        try:
            outcome = service.register(series, details_from_form(form), consent=form.consent.data,
                                       form_key=form.form_key.data, actor=current_user,
                                       manage_url=manage_url)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "display_name").errors.append(error.message)
        else:
            db.session.commit()
            registration = outcome.registration
            flash(_("%(name)s is signed up.", name=registration.display_name) if
                  registration.is_confirmed else
                  _("%(name)s is on the waiting list, number %(position)s.",
                    name=registration.display_name,
                    position=service.waiting_position(registration)), "success")
            return redirect(url_for("registrations.participants", series_id=series.id), 303)
    return render_template("registrations/register_on_behalf.html", series=series, form=form,
                           closed=service.closed_reason(series, by_facilitator=True)), \
        422 if form.errors else 200


def _action(series_id: int, registration_id: int, action, done_message):
    series = _series(series_id)
    registration = _registration(series, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(registration)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("registrations.participants", series_id=series_id), 303)


@bp.route("/reeksen/<int:series_id>/aanmeldingen/<int:registration_id>/plaats-geven",
          methods=["POST"])
@require(*STAFF)
def promote(series_id: int, registration_id: int):
    return _action(series_id, registration_id, service.promote,
                   _("The person now has a place and gets an e-mail if we have their address."))


@bp.route("/reeksen/<int:series_id>/aanmeldingen/<int:registration_id>/afmelden",
          methods=["POST"])
@require(*STAFF)
def cancel(series_id: int, registration_id: int):
    return _action(series_id, registration_id, service.cancel,
                   _("The registration has been cancelled."))


@bp.route("/reeksen/<int:series_id>/wachtlijst/aanvullen", methods=["POST"])
@require(*STAFF)
def fill_seats(series_id: int):
    series = _series(series_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    promoted = service.promote_waiting_list(series)
    db.session.commit()
    flash(_("%(count)s people moved up from the waiting list.", count=len(promoted)), "success")
    return redirect(url_for("registrations.participants", series_id=series_id), 303)


def _meeting(series: Series, meeting_id: int) -> Meeting:
    meeting = db.session.scalar(sa.select(Meeting).where(
        Meeting.id == meeting_id, Meeting.series_id == series.id))
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/reeksen/<int:series_id>/ontmoetingen/<int:meeting_id>/aanwezigheid")
@require(*STAFF)
def attendance(series_id: int, meeting_id: int):
    series = _series(series_id)
    meeting = _meeting(series, meeting_id)
    confirmed = sorted((r for r in _registrations(series) if r.is_confirmed),
                       key=lambda r: r.display_name.lower())
    marks = {a.registration_id: a.status for r in confirmed for a in r.attendances
             if a.meeting_id == meeting.id}
    present = sum(1 for s in marks.values() if s is AttendanceStatus.PRESENT)
    return render_template("registrations/attendance.html", series=series, meeting=meeting,
                           confirmed=confirmed, marks=marks, present=present,
                           action_form=ActionForm())


@bp.route("/reeksen/<int:series_id>/ontmoetingen/<int:meeting_id>/aanwezigheid/"
          "<int:registration_id>", methods=["POST"])
@require(*STAFF)
def mark_attendance(series_id: int, meeting_id: int, registration_id: int):
    series = _series(series_id)
    meeting = _meeting(series, meeting_id)
    registration = _registration(series, registration_id)
    try:
        status = AttendanceStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.mark_attendance(registration, meeting, status, current_user)
    db.session.commit()
    return redirect(url_for("registrations.attendance", series_id=series_id,
                            meeting_id=meeting_id, _anchor=f"r{registration.id}"), 303)

