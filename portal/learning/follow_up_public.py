"""The follow-up check-in through a personal link, months after the series. No account, no
JavaScript; nothing here stores who answers (see portal/learning/follow_up.py)."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, url_for

from portal.auth.permissions import public
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.learning import follow_up
from portal.learning.forms import FollowUpForm, StopForm

bp = Blueprint("follow_up_public", __name__, url_prefix="/hoe-gaat-het")


def _page(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _invalid_link():
    return _page("learning/follow_up/invalid.html", 404)


@bp.route("/<token>", methods=["GET", "POST"])
@public
def check_in(token: str):
    """A personal single-use link from the check-in mail."""
    secret_key = current_app.config["SECRET_KEY"]
    found = follow_up.check_in_for_token(token, secret_key)
    if found is None:
        return _invalid_link()
    series, round_months = found
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            follow_up.submit_check_in(token, secret_key, follow_up.CheckIn(
                form.in_touch.data, form.changed.data, form.remark.data or ""))
        except follow_up.LinkNotValid:
            db.session.rollback()
            return _invalid_link()
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, "in_touch")
        else:
            db.session.commit()
            return redirect(url_for("follow_up_public.thanks"), 303)
    return _page("learning/follow_up/check_in.html", 422 if form.errors else 200, form=form,
                 series=series, months=round_months,
                 action=url_for("follow_up_public.check_in", token=token))


@bp.route("/stoppen/<token>", methods=["GET", "POST"])
@public
def stop(token: str):
    """"No more of these mails", from the link in a check-in; asks once before it deletes."""
    form = StopForm()
    if form.validate_on_submit():
        stopped = follow_up.stop_contact(token, current_app.config["SECRET_KEY"])
        db.session.commit()
        return _page("learning/follow_up/stopped.html", 200 if stopped else 404,
                     stopped=stopped)
    return _page("learning/follow_up/stop.html", form=form)


@bp.route("/bedankt")
@public
def thanks():
    return _page("learning/follow_up/thanks.html")
