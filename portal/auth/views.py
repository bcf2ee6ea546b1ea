"""Log in, log out, passwords."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import service
from portal.auth.forms import (ChangePasswordForm, ForgotPasswordForm, LoginForm, LogoutForm,
                               ResetPasswordForm)
from portal.auth.permissions import public, require
from portal.errors import DomainError
from portal.extensions import db

bp = Blueprint("auth", __name__, url_prefix="/account")


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative //host."""
    if not target:
        return url_for("main.dashboard")
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("main.dashboard")
    return target


def client_key() -> str:
    # Hashed before counting (portal.ratelimit); never stored or logged.
    return request.remote_addr or "unknown"


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data, client_key())
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            session.clear()  # a fresh session: nothing from before the login carries over
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(form.next.data))
        db.session.commit()
    form.password.data = ""
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/uitloggen", methods=["POST"])
@require()
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        service.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@require()
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data,
                                    form.new_password.data)
        except DomainError as error:
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            db.session.commit()
            # Other devices are logged out; this one continues with the new session version.
            session.clear()
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. Other devices have been logged out."),
                  "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form), 200 if not form.errors else 422


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        service.request_password_reset(
            form.email.data,
            lambda token: url_for("auth.reset_password", token=token, _external=True),
        )
        db.session.commit()
        return render_template("auth/forgot_password_sent.html")
    return render_template("auth/forgot_password.html", form=form), 200 if not form.errors else 422


@bp.route("/nieuw-wachtwoord/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        record = service.find_valid_reset_token(token)
    except DomainError as error:
        return render_template("auth/reset_invalid.html", message=error.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = service.reset_password(token, form.new_password.data)
        except DomainError as error:
            form.new_password.errors.append(error.message)
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Your new password is saved. You are logged in."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/reset_password.html", form=form, user=record.user), \
        200 if not form.errors else 422
