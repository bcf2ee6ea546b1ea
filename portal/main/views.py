"""Home page, staff dashboard, language switch, health check."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.page_cache import cached_public_page
from portal.auth.permissions import Role, public, require
from portal.auth.views import safe_next
from portal.extensions import db
from portal.i18n import LANGUAGE_COOKIE

bp = Blueprint("main", __name__)


@bp.route("/")
@public
@cached_public_page
def home():
    return render_template("main/home.html")


@bp.route("/dashboard")
@require()
def dashboard():
    from portal.series.service import dashboard_for

    series_overview = None
    if current_user.role in (Role.FACILITATOR, Role.COORDINATOR):
        series_overview = dashboard_for(current_user)
    return render_template("main/dashboard.html", series_overview=series_overview,
                           is_coordinator=current_user.role is Role.COORDINATOR)


@bp.route("/taal/<lang>")
@public
def set_language(lang: str):
    """A plain link, so switching works without JavaScript; only the choice is stored."""
    target = safe_next(request.args.get("next")) if request.args.get("next") else url_for("main.home")
    response = make_response(redirect(target))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
@public
def healthz():
    # A pooled DBAPI connection and one statement: probed every few seconds by every load
    # balancer, so no ORM session and no transaction of its own.
    try:
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        finally:
            connection.close()
    except Exception:
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
