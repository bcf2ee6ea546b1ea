"""The anonymous evaluation: through the meeting's QR code or a personal link.

Nothing here stores who answers. The network address is only hashed in memory for the rate
limit (portal.ratelimit); the per-browser guard is a signed cookie on the participant's own
device that lists the meetings this browser answered (see portal/learning/evaluation.py for what
it can and cannot prevent).
"""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from itsdangerous import BadSignature, URLSafeSerializer

from portal import ratelimit
from portal.auth.permissions import public
from portal.auth.views import client_key
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.learning import evaluation, service
from portal.learning.evaluation import Channel
from portal.learning.forms import EvaluationForm
from portal.series.times import to_local

bp = Blueprint("learning_public", __name__, url_prefix="/evaluatie")

GUARD_COOKIE = "evaluated"
GUARD_DAYS = 90
GUARD_MAX = 40
QR_LIMIT, QR_WINDOW = 40, 3600  # answers per network per meeting per hour: a group shares Wi-Fi


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="evaluation-guard")


def answered_meetings() -> list[int]:
    raw = request.cookies.get(GUARD_COOKIE)
    if not raw or len(raw) > 2000:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    return [v for v in value if isinstance(v, int)] if isinstance(value, list) else []


def _with_guard(response, meeting_id: int):
    meetings = [m for m in answered_meetings() if m != meeting_id][-(GUARD_MAX - 1):]
    response.set_cookie(GUARD_COOKIE, _serializer().dumps(meetings + [meeting_id]),
                        max_age=GUARD_DAYS * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path=bp.url_prefix)
    return response


def _page(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _meeting_context(meeting) -> dict:
    return {"meeting": meeting, "series": meeting.series,
            "day": to_local(meeting.starts_at), "closing": evaluation.is_closing(meeting)}


def _answers(form: EvaluationForm) -> service.Answers:
    return service.Answers(scores=form.scores(), struck=form.struck.data or "",
                           change=(form.change.data or "") if "change" in form else "")


def _form_page(form, meeting, action: str, status: int = 200):
    if form.errors and status == 200:
        status = 422
    return _page("learning/public/evaluate.html", status, form=form, action=action,
                 **_meeting_context(meeting))


def _invalid_link():
    return _page("learning/public/invalid.html", 404)


@bp.route("/<code>", methods=["GET", "POST"])
@public
def by_code(code: str):
    """The shared link behind the QR code shown at the end of a meeting."""
    meeting = service.meeting_for_code(code)
    if meeting is None:
        return _invalid_link()
    if not evaluation.is_open(meeting, Channel.QR):
        return _page("learning/public/closed.html", **_meeting_context(meeting))
    if meeting.id in answered_meetings():
        return _page("learning/public/already.html", **_meeting_context(meeting))
    form = EvaluationForm.for_meeting(evaluation.is_closing(meeting))
    if form.validate_on_submit():
        if not ratelimit.hit("evaluation-qr", f"{client_key()}:{meeting.id}", limit=QR_LIMIT,
                             window_seconds=QR_WINDOW):
            abort(429)
        try:
            service.submit_with_code(meeting, _answers(form))
        except service.EvaluationClosed:
            return _page("learning/public/closed.html", **_meeting_context(meeting))
        except DomainError as error:
            show_error(form, error, "heard")
        else:
            db.session.commit()
            return _with_guard(redirect(url_for("learning_public.thanks")), meeting.id)
    return _form_page(form, meeting, url_for("learning_public.by_code", code=code))


@bp.route("/persoonlijk/<token>", methods=["GET", "POST"])
@public
def by_token(token: str):
    """A personal single-use link from the e-mail after the meeting."""
    meeting = service.meeting_for_token(token, current_app.config["SECRET_KEY"])
    if meeting is None:
        return _invalid_link()
    if not evaluation.is_open(meeting, Channel.LINK):
        return _page("learning/public/closed.html", **_meeting_context(meeting))
    form = EvaluationForm.for_meeting(evaluation.is_closing(meeting))
    if form.validate_on_submit():
        try:
            service.submit_with_token(token, current_app.config["SECRET_KEY"], _answers(form))
        except service.LinkNotValid:
            db.session.rollback()
            return _invalid_link()
        except service.EvaluationClosed:
            return _page("learning/public/closed.html", **_meeting_context(meeting))
        except DomainError as error:
            show_error(form, error, "heard")
        else:
            db.session.commit()
            return _with_guard(redirect(url_for("learning_public.thanks")), meeting.id)
    return _form_page(form, meeting, url_for("learning_public.by_token", token=token))


@bp.route("/bedankt")
@public
def thanks():
    return _page("learning/public/thanks.html")
