"""Facilitators' screens: a meeting's evaluation (QR, paper forms, results, open answers), the
series' trend, reflections, and the readability endpoint the live advice posts to."""
from __future__ import annotations

import io

import segno
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from portal import ratelimit
from portal.auth.permissions import Role, require
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.forms import show_error
from portal.learning import evaluation, follow_up, readability, results, service
from portal.learning.evaluation import Channel
from portal.learning.forms import ActionForm, EvaluationForm, ReflectionForm
from portal.learning.models import EvaluationRemark, FollowUpRemark, Reflection, RemarkStatus
from portal.series import service as series_service
from portal.series.times import to_local
from portal.text import render_rich_text

bp = Blueprint("learning", __name__)
bp.add_app_template_filter(render_rich_text, "learning_rich_text")
bp.add_app_template_global(format_decimal, "format_decimal")
STAFF = (Role.FACILITATOR, Role.COORDINATOR)


def _meeting(meeting_id: int):
    """Through the series' scoped query: a meeting of another municipality is a 404."""
    try:
        return series_service.get_meeting_for(current_user, meeting_id)
    except NotFound:
        abort(404)


def _series(series_id: int):
    try:
        return series_service.get_series_for(current_user, series_id)
    except NotFound:
        abort(404)


def evaluation_url(code: str) -> str:
    """Absolute, from BASE_URL: the QR code is scanned outside this request."""
    return current_app.config["BASE_URL"] + url_for("learning_public.by_code", code=code)


def personal_link(token: str) -> str:
    return current_app.config["BASE_URL"] + url_for("learning_public.by_token", token=token)


def _window(meeting, channel: str):
    return to_local(meeting.starts_at), to_local(evaluation.open_until(meeting, channel))


@bp.route("/reeksen/ontmoetingen/<int:meeting_id>/evaluatie")
@require(*STAFF)
def meeting_evaluation(meeting_id: int):
    meeting = _meeting(meeting_id)
    row = service.evaluation_for(meeting)
    db.session.commit()
    remarks = results.remarks_for(meeting)
    reflections = db.session.scalars(
        sa.select(Reflection).where(Reflection.meeting_id == meeting.id)
        .options(sa.orm.selectinload(Reflection.author), sa.orm.selectinload(Reflection.updated_by))
        .order_by(Reflection.created_at, Reflection.id)).all()
    return render_template(
        "learning/meeting.html", meeting=meeting, series=meeting.series,
        outcome=results.meeting_results(meeting), remarks=remarks,
        pending=[r for r in remarks if r.status is RemarkStatus.PENDING],
        approved=[r for r in remarks if r.status is RemarkStatus.APPROVED],
        hidden=[r for r in remarks if r.status is RemarkStatus.HIDDEN],
        reflections=reflections, action=ActionForm(), link=evaluation_url(row.code),
        qr_open=evaluation.is_open(meeting, Channel.QR), qr_window=_window(meeting, Channel.QR),
        links_sent=row.links_sent, min_answers=evaluation.MIN_ANSWERS,
        closing=evaluation.is_closing(meeting))


@bp.route("/reeksen/ontmoetingen/<int:meeting_id>/evaluatie/qr")
@require(*STAFF)
def evaluation_qr(meeting_id: int):
    """A big QR code to show on a screen at the end of the meeting."""
    meeting = _meeting(meeting_id)
    row = service.evaluation_for(meeting)
    db.session.commit()
    return render_template("learning/qr.html", meeting=meeting, series=meeting.series,
                           link=evaluation_url(row.code),
                           qr_open=evaluation.is_open(meeting, Channel.QR),
                           qr_window=_window(meeting, Channel.QR))


@bp.route("/reeksen/ontmoetingen/<int:meeting_id>/evaluatie/qr.svg")
@require(*STAFF)
def evaluation_qr_svg(meeting_id: int):
    meeting = _meeting(meeting_id)
    row = service.evaluation_for(meeting)
    db.session.commit()
    buffer = io.BytesIO()
    segno.make(evaluation_url(row.code), error="m").save(
        buffer, kind="svg", scale=10, border=4, xmldecl=False,
        title=_("QR code to the questions about this meeting"))
    response = current_app.response_class(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/reeksen/ontmoetingen/<int:meeting_id>/evaluatie/papier", methods=["GET", "POST"])
@require(*STAFF)
def paper_form(meeting_id: int):
    """Type in a paper form. Each saved form starts a fresh, empty one."""
    meeting = _meeting(meeting_id)
    closing = evaluation.is_closing(meeting)
    form = EvaluationForm.for_meeting(closing)
    if form.validate_on_submit():
        try:
            service.enter_paper_form(current_user, meeting, service.Answers(
                scores=form.scores(), struck=form.struck.data or "",
                change=(form.change.data or "") if closing else ""))
        except DomainError as error:
            show_error(form, error, "heard")
        else:
            db.session.commit()
            flash(_("The paper form is saved. You can type in the next one."), "success")
            return redirect(url_for("learning.paper_form", meeting_id=meeting.id))
    status = 422 if form.errors else 200
    return render_template("learning/paper.html", form=form, meeting=meeting,
                           series=meeting.series, closing=closing,
                           is_open=evaluation.is_open(meeting, Channel.PAPER),
                           paper_days=evaluation.PAPER_OPEN_DAYS), status


@bp.route("/reeksen/evaluatie/opmerkingen/<remark_id>/<any(tonen, verbergen):action>",
          methods=["POST"])
@require(*STAFF)
def moderate_remark(remark_id: str, action: str):
    remark = db.session.get(EvaluationRemark, remark_id[:40])
    if remark is None:
        abort(404)
    meeting = _meeting(remark.meeting_id)
    return _moderate(remark, action, is_shown=bool(results.remarks_for(meeting)),
                     back=url_for("learning.meeting_evaluation", meeting_id=meeting.id) + "#open")


def _moderate(remark, action: str, *, is_shown: bool, back: str):
    """Show or hide an open answer, once its results are shown at all (5 answers or more)."""
    if ActionForm().validate_on_submit() and is_shown:
        service.moderate_remark(current_user, remark, approve=action == "tonen")
        db.session.commit()
        flash(_("The answer is shown with the results.") if action == "tonen"
              else _("The answer is hidden."), "success")
    return redirect(back)


@bp.route("/reeksen/<int:series_id>/evaluatie")
@require(*STAFF)
def series_evaluation(series_id: int):
    series = _series(series_id)
    return render_template("learning/series.html", series=series,
                           outcome=results.series_results(series),
                           follow_up=results.follow_up_results(series, follow_up.rounds()),
                           min_answers=evaluation.MIN_ANSWERS)


@bp.route("/reeksen/nazorg/opmerkingen/<remark_id>/<any(tonen, verbergen):action>",
          methods=["POST"])
@require(*STAFF)
def moderate_follow_up_remark(remark_id: str, action: str):
    remark = db.session.get(FollowUpRemark, remark_id[:40])
    if remark is None:
        abort(404)
    series = _series(remark.series_id)
    return _moderate(remark, action,
                     is_shown=results.follow_up_round_is_shown(series.id, remark.round_months),
                     back=url_for("learning.series_evaluation", series_id=series.id)
                     + "#follow-up")


# Reflections -------------------------------------------------------------------------------------

def _reflection_input(form: ReflectionForm) -> service.ReflectionInput:
    return service.ReflectionInput(form.worked.data or "", form.did_not_work.data or "",
                                   form.change_next_time.data or "")


@bp.route("/reeksen/ontmoetingen/<int:meeting_id>/reflectie", methods=["GET", "POST"])
@require(*STAFF)
def new_reflection(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = ReflectionForm()
    if form.validate_on_submit():
        try:
            service.add_reflection(current_user, meeting, _reflection_input(form))
        except DomainError as error:
            show_error(form, error, "worked")
        else:
            db.session.commit()
            flash(_("Your reflection is saved."), "success")
            return redirect(url_for("learning.meeting_evaluation", meeting_id=meeting.id)
                            + "#reflections")
    return render_template("learning/reflection_form.html", form=form, meeting=meeting,
                           series=meeting.series, reflection=None), 422 if form.errors else 200


@bp.route("/reeksen/reflecties/<int:reflection_id>", methods=["GET", "POST"])
@require(*STAFF)
def edit_reflection(reflection_id: int):
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None:
        abort(404)
    meeting = _meeting(reflection.meeting_id)
    form = ReflectionForm(obj=reflection if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.update_reflection(current_user, reflection, _reflection_input(form))
        except DomainError as error:
            show_error(form, error, "worked")
        else:
            db.session.commit()
            flash(_("Your reflection is saved."), "success")
            return redirect(url_for("learning.meeting_evaluation", meeting_id=meeting.id)
                            + "#reflections")
    return render_template("learning/reflection_form.html", form=form, meeting=meeting,
                           series=meeting.series, reflection=reflection), \
        422 if form.errors else 200


# Readability (live advice) ------------------------------------------------------------------------

@bp.route("/leesbaarheid", methods=["POST"])
@require()
def readability_check():
    """JSON in ({"text": ...}), advice out, with the same HTML the form shows without JS."""
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return jsonify(error=_("Send the text as JSON: {\"text\": \"...\"}.")), 400
    if len(text) > readability.MAX_TEXT:
        return jsonify(error=_("This text is too long to check.")), 413
    if not ratelimit.hit("readability", str(current_user.id), limit=600, window_seconds=3600):
        return jsonify(error=_("Too many checks. Wait a moment.")), 429
    advice = readability.readability_advice(text)
    html = render_template("learning/_readability_result.html", advice=advice)
    return jsonify(advice=advice.as_dict(), html=html)
