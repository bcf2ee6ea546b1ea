"""Facilitators' and coordinators' screens for a series, its meetings and agendas."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from portal import ratelimit
from portal.auth.permissions import Role, require
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import show_error
from portal.series import item_views
from portal.series.item_views import item_input
from portal.learning import readability
from portal.pagination import paginate
from portal.series import agenda, invitations, service
from portal.series.forms import (ActionForm, AgendaItemForm, InvitationForm, MeetingForm,
                                 SeriesEditForm, SeriesForm, lead_label)
from portal.series.models import Lead, Meeting, Series
from portal.series.times import to_local

bp = Blueprint("series", __name__, url_prefix="/reeksen")
STAFF = (Role.FACILITATOR, Role.COORDINATOR)


# Helpers shared with the template library and the public pages --------------------------------

def public_url(series: Series) -> str:
    """Absolute, from BASE_URL: the QR code and the mails must work outside this request."""
    return current_app.config["BASE_URL"] + url_for("series_public.page", slug=series.slug)


def _series(series_id: int) -> Series:
    try:
        return service.get_series_for(current_user, series_id)
    except NotFound:
        abort(404)


def _meeting(meeting_id: int) -> Meeting:
    try:
        return service.get_meeting_for(current_user, meeting_id)
    except NotFound:
        abort(404)


def _status(code_ok: int, form) -> int:
    return 422 if form.error_summary else code_ok


def _set_choices(form, municipality_ids) -> None:
    form.facilitator_ids.choices = [
        SelectChoice(u.id, f"{u.display_name} ({kind_label(u)})")
        for u in service.facilitators_for(municipality_ids)]


def kind_label(user) -> str:
    if user.facilitator_kind is None:
        return _("facilitator")
    return str(lead_label(Lead(user.facilitator_kind.value)))


def _venue_choices(municipality_ids):
    return [SelectChoice("", _("Choose a venue"))] + [
        SelectChoice(v.id, f"{v.name}, {v.city} ({v.municipality.name})")
        for v in service.venues_for(municipality_ids)]


# Series -------------------------------------------------------------------------------------

@bp.route("/")
@require(*STAFF)
def index():
    query = service.visible_series(current_user).options(
        selectinload(Series.meetings), selectinload(Series.municipality)) \
        .order_by(Series.id.desc())
    pagination = paginate(query)
    return render_template("series/index.html", pagination=pagination)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(*STAFF)
def new():
    municipalities = service.municipalities_for(current_user)
    ids = {m.id for m in municipalities}
    form = SeriesForm()
    form.municipality_id.choices = [SelectChoice(m.id, m.name) for m in municipalities]
    _set_choices(form, ids)
    templates = agenda.templates_for_language(_language())
    venue_choices = _venue_choices(ids)
    for number, entry in enumerate(form.meetings.entries, start=1):
        entry.form.venue_id.choices = venue_choices
        if request.method == "GET" and len(venue_choices) == 2:
            entry.form.venue_id.data = venue_choices[1].value  # the only venue there is
        entry.form.template_id.choices = [SelectChoice("", _("No template"))] + [
            SelectChoice(t.id, t.name) for t in templates]
        if request.method == "GET":
            entry.form.template_id.data = next(
                (t.id for t in templates if t.meeting_number == number), None)
            entry.form.capacity.data = 20
    if request.method == "GET" and current_user.role is Role.FACILITATOR:
        form.facilitator_ids.data = [current_user.id]
    if readability.check_requested(request.form):  # advice only: nothing is saved
        return render_template("series/new.html", form=form,
                               advice=readability.advice_for_fields(form.description))
    if form.validate_on_submit():
        try:
            series = service.create_series(current_user, service.SeriesInput(
                title=form.title.data, municipality_id=form.municipality_id.data,
                facilitator_ids=[i for i in form.facilitator_ids.data or [] if i is not None],
                description=form.description.data or "", audience=form.audience.data or "",
                meetings=[service.MeetingInput(
                    day=e.form.day.data, start=e.form.start.data, end=e.form.end.data,
                    venue_id=e.form.venue_id.data, capacity=e.form.capacity.data,
                    template_id=e.form.template_id.data) for e in form.meetings.entries]))
        except DomainError as error:
            show_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("The series has been saved as a draft."), "success")
            return redirect(url_for("series.detail", series_id=series.id))
    return render_template("series/new.html", form=form), _status(200, form)


def _language() -> str:
    return str(get_locale() or "nl")[:2]


@bp.route("/<int:series_id>")
@require(*STAFF)
def detail(series_id: int):
    series = _series(series_id)
    return render_template(
        "series/detail.html", series=series, action=ActionForm(),
        missing_pair=service.missing_pair_message(series) if series.missing_facilitator_kinds
        else None, public_url=public_url(series), kind_label=kind_label)


@bp.route("/<int:series_id>/bewerken", methods=["GET", "POST"])
@require(*STAFF)
def edit(series_id: int):
    series = _series(series_id)
    form = SeriesEditForm(obj=series if request.method == "GET" else None)
    _set_choices(form, {series.municipality_id})
    if request.method == "GET":
        form.facilitator_ids.data = [u.id for u in series.facilitators]
    if readability.check_requested(request.form):  # advice only: nothing is saved
        return render_template("series/edit.html", form=form, series=series,
                               advice=readability.advice_for_fields(form.description))
    if form.validate_on_submit():
        try:
            service.update_series(current_user, series, form.title.data,
                                  form.description.data or "", form.audience.data or "",
                                  [i for i in form.facilitator_ids.data or [] if i is not None])
        except DomainError as error:
            show_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("series.detail", series_id=series.id))
    return render_template("series/edit.html", form=form, series=series), _status(200, form)


_STATUS_ACTIONS = {
    "publish": (service.publish_series, lambda: _("The series is published. Its page is public.")),
    "complete": (service.complete_series, lambda: _("The series is completed.")),
    "cancel": (service.cancel_series, lambda: _("The series is cancelled.")),
}


def _status_action(series_id: int, action: str):
    series = _series(series_id)
    if ActionForm().validate_on_submit():
        function, message = _STATUS_ACTIONS[action]
        try:
            function(current_user, series)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(message(), "success")
    return redirect(url_for("series.detail", series_id=series.id))


@bp.route("/<int:series_id>/publiceren", methods=["POST"])
@require(*STAFF)
def publish(series_id: int):
    return _status_action(series_id, "publish")


@bp.route("/<int:series_id>/afronden", methods=["POST"])
@require(*STAFF)
def complete(series_id: int):
    return _status_action(series_id, "complete")


@bp.route("/<int:series_id>/annuleren", methods=["POST"])
@require(*STAFF)
def cancel(series_id: int):
    return _status_action(series_id, "cancel")


@bp.route("/<int:series_id>/uitnodigen", methods=["GET", "POST"])
@require(*STAFF)
def invite(series_id: int):
    series = _series(series_id)
    url = public_url(series)
    form = InvitationForm()
    status = 200
    advice = None
    if readability.check_requested(request.form):  # advice only: nothing is sent
        advice = readability.advice_for_fields(form.message)
    elif form.validate_on_submit():
        if not ratelimit.hit("series-invitations", str(current_user.id), limit=10,
                             window_seconds=3600):
            form.addresses.errors.append(_("You sent many invitations in a short time. "
                                           "Try again in an hour."))
            status = 429
        else:
            try:
                batch = invitations.send_invitations(current_user, series, form.addresses.data,
                                                     form.message.data, url)
            except DomainError as error:
                show_error(form, error, "addresses")
            else:
                db.session.commit()
                flash(_("%(count)s invitations are on their way.", count=batch.sent_count),
                      "success")
                return redirect(url_for("series.invite", series_id=series.id))
    if request.method == "GET":
        form.message.data = _("Hello, I would like to invite you to our meetings. "
                              "I hope to see you there!")
    return render_template(
        "series/invite.html", series=series, form=form, public_url=url,
        share_text=invitations.share_text(series, url),
        sent_total=invitations.sent_total(series), advice=advice,
    ), (status if status != 200 else _status(200, form))


# Meetings -------------------------------------------------------------------------------------

@bp.route("/ontmoetingen/<int:meeting_id>/bewerken", methods=["GET", "POST"])
@require(*STAFF)
def edit_meeting(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = MeetingForm()
    form.venue_id.choices = _venue_choices({meeting.series.municipality_id})
    if request.method == "GET":
        start, end = to_local(meeting.starts_at), to_local(meeting.ends_at)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.venue_id.data, form.capacity.data = meeting.venue_id, meeting.capacity
        form.notes.data = meeting.notes
    if form.validate_on_submit():
        try:
            service.update_meeting(current_user, meeting, service.MeetingInput(
                day=form.day.data, start=form.start.data, end=form.end.data,
                venue_id=form.venue_id.data, capacity=form.capacity.data,
                notes=form.notes.data or ""))
        except DomainError as error:
            show_error(form, error, "day")
        else:
            db.session.commit()
            flash(_("Meeting %(number)s is saved.", number=meeting.number), "success")
            return redirect(url_for("series.detail", series_id=meeting.series_id))
    return render_template("series/edit_meeting.html", form=form, meeting=meeting), \
        _status(200, form)


@bp.route("/ontmoetingen/<int:meeting_id>/annuleren", methods=["POST"])
@require(*STAFF)
def cancel_meeting(meeting_id: int):
    meeting = _meeting(meeting_id)
    if ActionForm().validate_on_submit():
        try:
            service.cancel_meeting(current_user, meeting)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Meeting %(number)s is cancelled.", number=meeting.number), "success")
    return redirect(url_for("series.detail", series_id=meeting.series_id))


@bp.route("/ontmoetingen/<int:meeting_id>/agenda", methods=["GET", "POST"])
@require(*STAFF)
def meeting_agenda(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            agenda.add_item(meeting, item_input(form))
        except DomainError as error:
            show_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("The item is added."), "success")
            return redirect(url_for("series.meeting_agenda", meeting_id=meeting.id))
    return render_template("series/agenda.html", meeting=meeting, form=form,
                           timed=agenda.timed_items(meeting), action=ActionForm(),
                           lead_label=lead_label), _status(200, form)


@bp.route("/ontmoetingen/<int:meeting_id>/agenda/<int:item_id>", methods=["GET", "POST"])
@require(*STAFF)
def edit_agenda_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = item_views.find_item(meeting.agenda_items, item_id)
    return item_views.edit_item_page(
        item, heading=meeting.series.title,
        back=url_for("series.meeting_agenda", meeting_id=meeting.id))


@bp.route("/ontmoetingen/<int:meeting_id>/agenda/<int:item_id>/<any(up, down):direction>",
          methods=["POST"])
@require(*STAFF)
def move_agenda_item(meeting_id: int, item_id: int, direction: str):
    meeting = _meeting(meeting_id)
    item = item_views.find_item(meeting.agenda_items, item_id)
    return item_views.move_item(meeting, item, direction,
                                back=url_for("series.meeting_agenda", meeting_id=meeting.id))


@bp.route("/ontmoetingen/<int:meeting_id>/agenda/<int:item_id>/verwijderen", methods=["POST"])
@require(*STAFF)
def remove_agenda_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = item_views.find_item(meeting.agenda_items, item_id)
    return item_views.remove_item(meeting, item,
                                  back=url_for("series.meeting_agenda", meeting_id=meeting.id))


@bp.route("/ontmoetingen/<int:meeting_id>/agenda/afdrukken")
@require(*STAFF)
def print_agenda(meeting_id: int):
    meeting = _meeting(meeting_id)
    return render_template("series/print_agenda.html", meeting=meeting,
                           timed=agenda.timed_items(meeting), lead_label=lead_label)


@bp.route("/ontmoetingen/<int:meeting_id>/draaiboek")
@require(*STAFF)
def run_sheet(meeting_id: int):
    meeting = _meeting(meeting_id)
    return render_template("series/run_sheet.html", meeting=meeting,
                           timed=agenda.timed_items(meeting), lead_label=lead_label,
                           leads=agenda.leads_by_kind(meeting.series),
                           materials=agenda.materials_checklist(meeting),
                           lead_social=Lead.SOCIAL_WORKER, lead_expert=Lead.EXPERIENCE_EXPERT)
