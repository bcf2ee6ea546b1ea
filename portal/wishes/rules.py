"""Coordinator screens for the routing rules: list (with a "test the routing" helper), create,
change, delete.

Each view: parse the form → load (404 for an unknown id) → one service call → commit →
redirect with a message, or show the form again with what was typed and a 422.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.auth.models import Role
from portal.auth.permissions import require
from portal.directory.models import Municipality, Theme
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import PortalForm
from portal.pagination import paginate
from portal.wishes import routing, rules_service
from portal.wishes.models import RoutingRule
from portal.wishes.rules_forms import RoutingRuleForm, RoutingTestForm

bp = Blueprint("routing_rules", __name__, url_prefix="/beheer/routering")
bp.add_app_template_global(rules_service.count_rules, "routing_rule_count")

TEST_PREFIX = "test"


def _routing_test():
    """The tester's form, and its answer once a theme and a municipality are chosen."""
    asked = any(key.startswith(f"{TEST_PREFIX}-") for key in request.args)
    form = RoutingTestForm(formdata=request.args if asked else None,
                           prefix=TEST_PREFIX).load_choices()
    if asked and form.validate():
        theme = db.session.get(Theme, form.theme_id.data)
        municipality = db.session.get(Municipality, form.municipality_id.data)
        return form, {"theme": theme, "municipality": municipality,
                      "decision": routing.decide([theme.id], municipality.id)}
    return form, None


@bp.route("/")
@require(Role.COORDINATOR)
def list_rules():
    test_form, test = _routing_test()
    args = {name: value for name, value in request.args.items()
            if name.startswith(f"{TEST_PREFIX}-")}
    page = paginate(rules_service.rules_query())
    return render_template("wishes/rules/index.html", page=page, test_form=test_form,
                           test=test, args=args, skip=routing.Skip), \
        422 if test_form.errors else 200


def _load(rule_id: int) -> RoutingRule:
    rule = rules_service.get_rule(rule_id)
    if rule is None:
        abort(404)
    return rule


def _form_page(form: RoutingRuleForm, rule: RoutingRule | None):
    """Validate → save → commit → back to the list; or the form again, as typed, with a 422."""
    if form.validate_on_submit():
        try:
            rules_service.save_rule(rule, theme_id=form.theme_id.data,
                                    municipality_id=form.municipality_id.data,
                                    organisation_id=form.organisation_id.data)
        except DomainError as error:
            db.session.rollback()
            field = form._fields.get(error.field or "") or form.theme_id
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash(_("The routing rule is saved."), "success")
            return redirect(url_for("routing_rules.list_rules"))
    invalid = any(field.errors for field in form)
    return render_template("wishes/rules/form.html", form=form, rule=rule), \
        422 if invalid else 200


@bp.route("/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_rule():
    return _form_page(RoutingRuleForm().load_choices(), None)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_rule(rule_id: int):
    rule = _load(rule_id)
    return _form_page(RoutingRuleForm(obj=rule).load_choices(rule), rule)


@bp.route("/<int:rule_id>/verwijderen", methods=["POST"])
@require(Role.COORDINATOR)
def delete_rule(rule_id: int):
    rule = _load(rule_id)
    if PortalForm().validate_on_submit():
        rules_service.delete_rule(rule)
        db.session.commit()
        flash(_("The routing rule is deleted. Wishes that were already routed keep their "
                "organisation."), "success")
    return redirect(url_for("routing_rules.list_rules"))
