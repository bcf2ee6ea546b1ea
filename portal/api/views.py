"""/api/v1: JSON for an organisation's own systems. Token auth per organisation (no cookies, so
no CSRF); every step goes through the wish workflow, with the organisation as actor.

Errors are `{"error": {"code", "message", "field"}}`: 400 a malformed request, 401 no valid
token, 403 a step only staff may take, 404 a wish that is not the organisation's, 409 a step the
wish's status does not allow, 422 a missing or wrong note, outcome or date.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from portal.api import service
from portal.api.openapi import SPEC
from portal.api.serialise import wish_json
from portal.auth.permissions import public
from portal.directory.models import Theme
from portal.errors import DomainError, InvalidTransition, NotAllowed
from portal.extensions import csrf, db
from portal.forms import CONTROL_CHARACTER_MESSAGE
from portal.text import has_control_characters
from portal.wishes import deadlines, workflow
from portal.wishes import service as wish_service
from portal.wishes.models import Wish, WishStatus

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 25, 100, 10_000
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "bad_request",
          422: "invalid", 429: "too_many_requests", 500: "server_error"}


class ApiError(Exception):
    def __init__(self, status: int, message, field: str | None = None):
        self.status, self.message, self.field = status, message, field
        super().__init__(str(message))


def error_response(status: int, message, field: str | None = None):
    response = jsonify({"error": {"code": _CODES.get(status, "error"), "message": str(message),
                                  "field": field}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    db.session.rollback()
    return error_response(error.status, error.message, error.field)


def http_error_json(error: HTTPException):
    """Also used by portal.errors for /api/ paths that match no endpoint."""
    return error_response(error.code or 500, error.description or error.name)


bp.register_error_handler(HTTPException, http_error_json)


@bp.before_request
def _authenticate():
    """Every endpoint but the OpenAPI document needs a token; the token is the organisation."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    row = service.authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        return error_response(401, _("Send a valid API token: Authorization: Bearer <token>."))
    db.session.commit()  # last_used_at
    g.api_organisation_id = row.organisation_id
    return None


def _actor() -> workflow.ApiActor:
    return workflow.ApiActor(organisation_id=g.api_organisation_id)


def _load(wish_id: int) -> Wish:
    wish = db.session.scalars(service.organisation_wishes(g.api_organisation_id)
                              .where(Wish.id == wish_id)).first()
    if wish is None:
        raise ApiError(404, _("This wish does not exist, or it is not for your organisation."))
    return wish


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ApiError(400, _("%(name)s must be a whole number from %(low)s to %(high)s.",
                              name=name, low=low, high=high), field=name)
    return int(raw)


def _detail(wish: Wish) -> dict:
    data = wish_json(wish, with_timeline=True)
    data["is_overdue"] = deadlines.is_overdue(wish)
    data["allowed_actions"] = workflow.allowed_actions(wish, _actor())
    return data


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(SPEC)


@bp.route("/wishes")
@public  # token auth in _authenticate, for the whole blueprint
def list_wishes():
    query = service.organisation_wishes(g.api_organisation_id)
    status = request.args.get("status")
    if status is not None:
        if status not in {s.value for s in WishStatus} or status == WishStatus.MERGED.value:
            raise ApiError(400, _("Unknown status."), field="status")
        query = query.where(Wish.status == WishStatus(status))
    theme = request.args.get("theme")
    if theme is not None:
        query = query.where(Wish.themes.any(Theme.key == theme[:60]))
    overdue = request.args.get("overdue")
    if overdue is not None:
        if overdue not in ("true", "false"):
            raise ApiError(400, _("overdue must be true or false."), field="overdue")
        late = sa.and_(Wish.status == WishStatus.ROUTED,
                       Wish.acknowledge_due_on < deadlines.today())
        query = query.where(late if overdue == "true" else sa.not_(late))
    page = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", PER_PAGE, 1, MAX_PER_PAGE)
    query = query.options(sa.orm.joinedload(Wish.municipality),
                          sa.orm.selectinload(Wish.themes)).order_by(Wish.id.desc())
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    items = []
    for wish in result.items:
        data = wish_json(wish)
        data["is_overdue"] = deadlines.is_overdue(wish)
        items.append(data)
    return jsonify({"data": items, "pagination": {
        "page": page, "per_page": per_page, "total": result.total, "pages": result.pages}})


@bp.route("/wishes/<int:wish_id>")
@public  # token auth in _authenticate
def get_wish(wish_id: int):
    return jsonify(_detail(_load(wish_id)))


def _body(allowed: set[str]) -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, _("Send a JSON object with Content-Type: application/json."))
    unknown = set(body) - allowed
    if unknown:
        raise ApiError(400, _("Unknown field: %(name)s.", name=sorted(unknown)[0]),
                       field=sorted(unknown)[0])
    return body


def _string(value, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ApiError(400, _("%(name)s must be text.", name=field), field=field)
    if has_control_characters(value):
        raise ApiError(422, CONTROL_CHARACTER_MESSAGE, field=field)
    return value


def _step(wish: Wish, action: str, note: str, **data):
    from portal.wishes.views import mail_links

    try:
        wish_service.answer_wish(wish, action, _actor(), note, links=mail_links(), **data)
    except NotAllowed as error:
        raise ApiError(403, error.message, error.field) from None
    except InvalidTransition as error:
        raise ApiError(409, error.message, error.field) from None
    except DomainError as error:
        raise ApiError(422, error.message, error.field) from None
    db.session.commit()


@bp.route("/wishes/<int:wish_id>/transitions", methods=["POST"])
@public  # token auth in _authenticate
def transition_wish(wish_id: int):
    wish = _load(wish_id)
    body = _body({"action", "note", "data"})
    action = body.get("action")
    if not isinstance(action, str) or action not in workflow.TRANSITIONS:
        raise ApiError(400, _("Unknown action."), field="action")
    note = _string(body.get("note"), "note")
    data = body.get("data")
    data = {} if data is None else data
    if not isinstance(data, dict) or set(data) - {"outcome", "changed_from"}:
        raise ApiError(400, _("data may hold outcome and changed_from only."), field="data")
    outcome = _string(data.get("outcome"), "outcome")
    changed_from = None
    if data.get("changed_from") is not None:
        try:
            changed_from = date.fromisoformat(_string(data["changed_from"], "changed_from"))
        except ValueError:
            raise ApiError(422, _("changed_from must be a date like 2026-03-01."),
                           field="changed_from") from None
    _step(wish, action, note, outcome=outcome, changed_from=changed_from)
    # Not through _load: after a hand-back the wish is no longer the organisation's.
    return jsonify(_detail(db.session.get(Wish, wish.id)))


@bp.route("/wishes/<int:wish_id>/answer", methods=["POST"])
@public  # token auth in _authenticate
def answer_wish(wish_id: int):
    wish = _load(wish_id)
    body = _body({"answer"})
    if "answer" not in body:
        raise ApiError(400, _("Send the answer in the field answer."), field="answer")
    _step(wish, "answer", _string(body["answer"], "answer"))
    return jsonify(_detail(db.session.get(Wish, wish.id)))
