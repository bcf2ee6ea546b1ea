"""Coordinators: an organisation's API tokens and webhooks, and the webhook delivery log.
A new token or secret is shown once, on the page the POST renders, and never again."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.api import service
from portal.api.forms import ConfirmForm, TokenForm, WebhookForm
from portal.api.models import ApiToken
from portal.auth.models import Role
from portal.auth.permissions import require
from portal.directory.models import Organisation
from portal.errors import DomainError
from portal.extensions import db
from portal.webhooks import service as webhooks
from portal.webhooks.models import DeliveryStatus, WebhookEndpoint
from portal.webhooks.queue import enqueue_ping

bp = Blueprint("integrations", __name__, url_prefix="/beheer/organisaties/<int:organisation_id>"
                                                   "/koppelingen")

DELIVERY_LABELS = {
    DeliveryStatus.PENDING: _l("Waiting to be sent"),
    DeliveryStatus.SENDING: _l("Being sent"),
    DeliveryStatus.DELIVERED: _l("Delivered"),
    DeliveryStatus.FAILED: _l("Failed: given up"),
}


def _page(organisation: Organisation, *, token_form=None, webhook_form=None, new_token=None,
          new_secret=None, status=200):
    return render_template(
        "api/integrations.html", organisation=organisation,
        tokens=service.tokens_of(organisation.id),
        endpoints=webhooks.endpoints_of(organisation.id),
        deliveries=webhooks.delivery_log(organisation.id),
        token_form=token_form or TokenForm(), webhook_form=webhook_form or WebhookForm(),
        delivery_labels=DELIVERY_LABELS, new_token=new_token, new_secret=new_secret,
        api_url=url_for("api.openapi", _external=True)), status


def _organisation(organisation_id: int) -> Organisation:
    return db.get_or_404(Organisation, organisation_id)


def _allow_http() -> bool:
    return current_app.config.get("PORTAL_ENV") != "production"


@bp.route("/")
@require(Role.COORDINATOR)
def index(organisation_id: int):
    return _page(_organisation(organisation_id))


@bp.route("/tokens", methods=["POST"])
@require(Role.COORDINATOR)
def create_token(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _row, token = service.create_token(current_user, organisation, form.name.data)
        except DomainError as error:
            form.name.errors = list(form.name.errors) + [error.message]
        else:
            db.session.commit()
            return _page(organisation, new_token=token)
    return _page(organisation, token_form=form, status=422)


@bp.route("/tokens/<int:token_id>/intrekken", methods=["POST"])
@require(Role.COORDINATOR)
def revoke_token(organisation_id: int, token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.organisation_id != organisation_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.revoke_token(current_user, token)
    db.session.commit()
    flash(_("The token is revoked. It no longer works."), "success")
    return redirect(url_for("integrations.index", organisation_id=organisation_id))


@bp.route("/webhooks", methods=["POST"])
@require(Role.COORDINATOR)
def create_webhook(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            _endpoint, secret = webhooks.create_endpoint(
                current_user, organisation, form.url.data, allow_http=_allow_http())
        except DomainError as error:
            form.url.errors = list(form.url.errors) + [error.message]
        else:
            db.session.commit()
            return _page(organisation, new_secret=secret)
    return _page(organisation, webhook_form=form, status=422)


def _endpoint(organisation_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.organisation_id != organisation_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return endpoint


@bp.route("/webhooks/<int:endpoint_id>/<any(aan, uit):state>", methods=["POST"])
@require(Role.COORDINATOR)
def set_webhook_active(organisation_id: int, endpoint_id: int, state: str):
    webhooks.set_active(current_user, _endpoint(organisation_id, endpoint_id), state == "aan")
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("integrations.index", organisation_id=organisation_id))


@bp.route("/webhooks/<int:endpoint_id>/test", methods=["POST"])
@require(Role.COORDINATOR)
def ping_webhook(organisation_id: int, endpoint_id: int):
    enqueue_ping(_endpoint(organisation_id, endpoint_id))
    db.session.commit()
    flash(_("A test message is on its way. See the delivery log below."), "success")
    return redirect(url_for("integrations.index", organisation_id=organisation_id))
