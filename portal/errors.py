"""Domain errors raised by services, and the friendly error pages."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule said no. `message` is translatable text safe to show; `field` names a form field."""

    default_message = _l("This could not be done.")

    def __init__(self, message=None, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    default_message = _l("You are not allowed to do this.")


class InvalidTransition(DomainError):
    default_message = _l("This step is not possible in the current status.")


class Full(DomainError):
    default_message = _l("This is full.")


class NotFound(DomainError):
    default_message = _l("This could not be found.")


def register_error_handlers(app: Flask) -> None:
    def render(code: int, template: str):
        return render_template(template), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html", back=request.referrer), 400

    def is_api() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api():
            from portal.api.views import http_error_json

            return http_error_json(error)
        if error.code in (403, 404, 405, 410, 413, 429):
            return render_template(
                f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html",
                error=error,
            ), error.code
        if error.code and error.code < 500:
            return render_template("errors/generic.html", error=error), error.code
        return render(500, "errors/500.html")

    @app.errorhandler(Exception)
    def unexpected_error(error):
        # Log the type and place only: exception text can carry what a user typed.
        log.error("unhandled %s on %s %s", type(error).__name__, request.method, request.endpoint,
                  exc_info=app.debug)
        try:
            from portal.extensions import db
            db.session.rollback()
        except Exception:  # the database may be what failed
            pass
        if is_api():
            from portal.api.views import error_response

            return error_response(500, "Internal server error")
        return render(500, "errors/500.html")
