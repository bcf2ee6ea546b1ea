"""Signing up without an account, the confirmation, and the personal manage link."""
from __future__ import annotations

import sqlalchemy as sa
from flask import (Blueprint, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal import ratelimit
from portal.auth.permissions import public
from portal.errors import DomainError
from portal.extensions import db
from portal.learning import follow_up
from portal.registrations import service
from portal.registrations.calendar import series_calendar_bytes
from portal.registrations.forms import (ActionForm, ChangeForm, ResendLinkForm, SignUpForm,
                                        details_from_form)
from portal.series.models import Series

bp = Blueprint("registrations_public", __name__)


def _public_series(slug: str) -> Series:
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None or not series.is_public:
        abort(404)
    return series


def manage_url(token: str) -> str:
    return url_for("registrations_public.manage", token=token, _external=True)


def _show_form(series, form, status=200, **extra):
    closed = service.closed_reason(series)
    return render_template("registrations/sign_up.html", series=series, form=form,
                           closed=closed, show_form=not closed or request.method == "POST",
                           retention_days=current_app.config["RETENTION_DAYS_AFTER_SERIES"],
                           resend_form=extra.pop("resend_form", None), **extra), status


def _confirmation_redirect(outcome: service.Outcome):
    if outcome.token is None:
        return render_template("registrations/already_done.html",
                               series=outcome.registration.series)
    return redirect(url_for("registrations_public.confirmation", token=outcome.token), 303)


@bp.route("/aanmelden/<slug>", methods=["GET", "POST"])
@public
def sign_up(slug: str):
    series = _public_series(slug)
    form = SignUpForm()
    if request.method == "GET":
        form.form_key.data = service.new_form_key()
        return _show_form(series, form)
    if not service.is_form_key(form.form_key.data):
        form.form_key.data = service.new_form_key()
    if not form.validate():
        return _show_form(series, form, 422)
    if form.website.data:
        return render_template("registrations/honeypot.html", series=series)
    if not ratelimit.hit("sign-up", request.remote_addr or "unknown",
                         limit=current_app.config["REGISTRATION_RATE_LIMIT"],
                         window_seconds=3600):
        form.display_name.errors.append(_("You have signed up many times in a short while. "
                                          "Please try again in an hour."))
        return _show_form(series, form, 429)
    try:
        outcome = _register(series, form)
    except service.AlreadyRegistered as error:
        form.email.errors.append(error.message)
        return _show_form(series, form, 422,
                          resend_form=ResendLinkForm(formdata=None, email=form.email.data))
    except DomainError as error:
        getattr(form, error.field or "display_name").errors.append(error.message)
        return _show_form(series, form, 422, error=error.message)
    return _confirmation_redirect(outcome)


def _register(series: Series, form: SignUpForm) -> service.Outcome:
    """Register and commit; a double submit that lost the race finds the first registration."""
    key = form.form_key.data
    for attempt in range(2):
        try:
            outcome = service.register(series, details_from_form(form), consent=form.consent.data,
                                       form_key=key, manage_url=manage_url)
            db.session.commit()
            return outcome
        except IntegrityError:
            db.session.rollback()
            if earlier := service.find_by_form_key(key):
                return earlier
            if attempt:
                raise
    raise AssertionError("unreachable")


@bp.route("/aanmelden/<slug>/link-opnieuw", methods=["POST"])
@public
def resend_link(slug: str):
    series = _public_series(slug)
    form = ResendLinkForm()
    if form.validate() and ratelimit.hit("resend-link", request.remote_addr or "unknown",
                                         limit=5, window_seconds=3600):
        service.resend_manage_link(series, form.email.data, manage_url)
        db.session.commit()
    # The same answer whether or not the address is known.
    return render_template("registrations/link_sent.html", series=series)


@bp.route("/privacy/aanmelden")
@public
def privacy():
    return render_template("registrations/privacy.html",
                           retention_days=current_app.config["RETENTION_DAYS_AFTER_SERIES"],
                           follow_up_months=max(follow_up.rounds(), default=0))


def _by_token(token: str):
    registration = service.find_by_token(token)
    if registration is None:
        abort(make_response(render_template("registrations/link_invalid.html"), 404))
    return registration


def _manage_page(template: str, registration, token: str, status: int = 200, **extra):
    return render_template(
        template, registration=registration, series=registration.series, token=token,
        manage_url=manage_url(token), position=service.waiting_position(registration),
        action_form=ActionForm(), **extra), status


@bp.route("/aanmelding/<token>/bevestiging")
@public
def confirmation(token: str):
    return _manage_page("registrations/confirmation.html", _by_token(token), token)


@bp.route("/aanmelding/<token>")
@public
def manage(token: str):
    return _manage_page("registrations/manage.html", _by_token(token), token)


@bp.route("/aanmelding/<token>/agenda.ics")
@public
def calendar(token: str):
    registration = _by_token(token)
    response = make_response(series_calendar_bytes(registration.series))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="ontmoetingen.ics"'
    return response


@bp.route("/aanmelding/<token>/wijzigen", methods=["GET", "POST"])
@public
def change(token: str):
    registration = _by_token(token)
    if registration.is_cancelled:
        return redirect(url_for("registrations_public.manage", token=token))
    form = ChangeForm(obj=registration if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.change(registration, details_from_form(form))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "display_name").errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("registrations_public.manage", token=token, changed=1), 303)
    return _manage_page("registrations/change.html", registration, token,
                        422 if form.errors else 200, form=form)


@bp.route("/aanmelding/<token>/afmelden", methods=["GET", "POST"])
@public
def cancel(token: str):
    registration = _by_token(token)
    form = ActionForm()
    if form.validate_on_submit():
        service.cancel(registration)
        db.session.commit()
        return redirect(url_for("registrations_public.manage", token=token), 303)
    return _manage_page("registrations/cancel.html", registration, token)


@bp.route("/aanmelding/<token>/verwijderen", methods=["GET", "POST"])
@public
def delete(token: str):
    registration = _by_token(token)
    form = ActionForm()
    if form.validate_on_submit():
        series = registration.series
        service.delete_registration(registration)
        db.session.commit()
        return render_template("registrations/deleted.html", series=series)
    return _manage_page("registrations/delete.html", registration, token)
