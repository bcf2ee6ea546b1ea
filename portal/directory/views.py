"""Coordinator screens: municipalities, venues, organisations, themes, users.

Each view: parse the form → load (404 for an unknown id) → one service call → commit →
redirect with a message, or show the form again with what was typed and a 422.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role, User
from portal.auth.permissions import require
from portal.directory import service
from portal.directory.forms import (ActionForm, MunicipalityForm, OrganisationForm, ThemeForm,
                                    UserCreateForm, UserEditForm, VenueForm,
                                    municipality_choices)
from portal.directory.labels import ROLE_LABELS, label
from portal.directory.models import Municipality, Organisation, Theme, Venue
from portal.errors import DomainError
from portal.extensions import db
from portal.pagination import paginate

bp = Blueprint("directory", __name__, url_prefix="/beheer")
bp.add_app_template_filter(label, "enum_label")

# URL part → (model, edit endpoint); the sections that can be deactivated and reactivated.
SECTIONS = {
    "gemeenten": (Municipality, "directory.edit_municipality"),
    "locaties": (Venue, "directory.edit_venue"),
    "organisaties": (Organisation, "directory.edit_organisation"),
    "themas": (Theme, "directory.edit_theme"),
    "gebruikers": (User, "directory.edit_user"),
}


def _name(item) -> str:
    if isinstance(item, Theme):
        return item.name_for(get_locale())
    return getattr(item, "display_name", None) or item.name


def _set_password_url(token: str) -> str:
    return url_for("auth.reset_password", token=token, _external=True)


def _form_page(form, template: str, save, **context):
    """Validate → save → commit → back to the list; or the form again, as typed, with a 422."""
    failed = False
    if form.validate_on_submit():
        try:
            item = save()
        except DomainError as error:
            db.session.rollback()
            failed = True
            field = form._fields.get(error.field or "")
            if field is not None:
                field.errors.append(error.message)
            else:
                flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=_name(item)), "success")
            return redirect(url_for(context["done"]))
    invalid = failed or any(field.errors for field in form)
    return render_template(template, form=form, action_form=ActionForm(), **context), \
        422 if invalid else 200


@bp.route("/")
@require(Role.COORDINATOR)
def index():
    return render_template("directory/index.html", counts=service.counts())


@bp.route("/<any(gemeenten, locaties, organisaties, themas, gebruikers):section>"
          "/<int:item_id>/deactiveren", methods=["POST"], endpoint="deactivate",
          defaults={"active": False})
@bp.route("/<any(gemeenten, locaties, organisaties, themas, gebruikers):section>"
          "/<int:item_id>/activeren", methods=["POST"], endpoint="reactivate",
          defaults={"active": True})
@require(Role.COORDINATOR)
def set_active(section: str, item_id: int, active: bool):
    model, edit_endpoint = SECTIONS[section]
    item = db.get_or_404(model, item_id)
    if ActionForm().validate_on_submit():
        try:
            if model is User:
                change = service.reactivate_user if active else service.deactivate_user
                change(item, actor=current_user)
            else:
                service.set_active(item, active)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is active again.", name=_name(item)) if active else
                  _("%(name)s is deactivated. You can make it active again at any time.",
                    name=_name(item)), "success")
    return redirect(url_for(edit_endpoint, item_id=item_id))


# Municipalities ------------------------------------------------------------------------------

@bp.route("/gemeenten")
@require(Role.COORDINATOR)
def list_municipalities():
    page = paginate(service.municipalities_query())
    return render_template("directory/municipalities.html", page=page)


@bp.route("/gemeenten/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_municipality():
    form = MunicipalityForm()
    return _form_page(form, "directory/municipality_form.html", lambda: service.save_municipality(
        None, name=form.name.data, slug=form.slug.data), item=None,
        done="directory.list_municipalities")


@bp.route("/gemeenten/<int:item_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_municipality(item_id: int):
    item = db.get_or_404(Municipality, item_id)
    form = MunicipalityForm(obj=item)
    return _form_page(form, "directory/municipality_form.html", lambda: service.save_municipality(
        item, name=form.name.data, slug=form.slug.data), item=item,
        done="directory.list_municipalities")


# Venues --------------------------------------------------------------------------------------

def _venue_fields(form: VenueForm) -> dict:
    return {name: form[name].data for name in (
        "municipality_id", "name", "street", "postcode", "city", "is_wheelchair_accessible",
        "has_public_transport", "has_quiet_room", "accessibility_notes", "notes")}


@bp.route("/locaties")
@require(Role.COORDINATOR)
def list_venues():
    page = paginate(service.venues_query())
    return render_template("directory/venues.html", page=page)


@bp.route("/locaties/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_venue():
    form = VenueForm()
    form.municipality_id.choices = municipality_choices()
    return _form_page(form, "directory/venue_form.html", lambda: service.save_venue(
        None, **_venue_fields(form)), item=None, done="directory.list_venues")


@bp.route("/locaties/<int:item_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_venue(item_id: int):
    item = db.get_or_404(Venue, item_id)
    form = VenueForm(obj=item)
    form.municipality_id.choices = municipality_choices([item.municipality_id])
    return _form_page(form, "directory/venue_form.html", lambda: service.save_venue(
        item, **_venue_fields(form)), item=item, done="directory.list_venues")


# Organisations -------------------------------------------------------------------------------

def _organisation_fields(form: OrganisationForm) -> dict:
    return {name: form[name].data for name in (
        "name", "kind", "municipality_ids", "response_target_days", "response_target_unit",
        "contact_email")}


@bp.route("/organisaties")
@require(Role.COORDINATOR)
def list_organisations():
    page = paginate(service.organisations_query())
    return render_template("directory/organisations.html", page=page)


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_organisation():
    form = OrganisationForm()
    form.municipality_ids.choices = municipality_choices()
    return _form_page(form, "directory/organisation_form.html", lambda: service.save_organisation(
        None, **_organisation_fields(form)), item=None, done="directory.list_organisations")


@bp.route("/organisaties/<int:item_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_organisation(item_id: int):
    item = db.get_or_404(Organisation, item_id)
    kept = [m.id for m in item.municipalities]
    form = OrganisationForm(obj=item, municipality_ids=kept)
    form.municipality_ids.choices = municipality_choices(kept)
    return _form_page(form, "directory/organisation_form.html", lambda: service.save_organisation(
        item, **_organisation_fields(form)), item=item, done="directory.list_organisations")


# Themes --------------------------------------------------------------------------------------

def _theme_fields(form: ThemeForm) -> dict:
    return {name: form[name].data for name in ("name_nl", "name_en", "group", "position")}


@bp.route("/themas")
@require(Role.COORDINATOR)
def list_themes():
    page = paginate(service.themes_query())
    return render_template("directory/themes.html", page=page)


@bp.route("/themas/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_theme():
    form = ThemeForm()
    return _form_page(form, "directory/theme_form.html", lambda: service.save_theme(
        None, **_theme_fields(form)), item=None, done="directory.list_themes")


@bp.route("/themas/<int:item_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_theme(item_id: int):
    item = db.get_or_404(Theme, item_id)
    form = ThemeForm(obj=item)
    return _form_page(form, "directory/theme_form.html", lambda: service.save_theme(
        item, **_theme_fields(form)), item=item, done="directory.list_themes")


# Users ---------------------------------------------------------------------------------------

def _user_fields(form) -> dict:
    return {name: form[name].data for name in (
        "display_name", "role", "organisation_id", "municipality_ids", "facilitator_kind")}


@bp.route("/gebruikers")
@require(Role.COORDINATOR)
def list_users():
    role = next((r for r in Role if r.value == request.args.get("rol")), None)
    page = paginate(service.users_query(role))
    return render_template("directory/users.html", page=page, role=role, roles=ROLE_LABELS)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def create_user():
    form = UserCreateForm().load_choices()
    return _form_page(form, "directory/user_form.html", lambda: service.create_user(
        actor=current_user, email=form.email.data, set_password_url_for=_set_password_url,
        **_user_fields(form)), item=None, done="directory.list_users")


@bp.route("/gebruikers/<int:item_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit_user(item_id: int):
    item = db.get_or_404(User, item_id)
    kept = [m.id for m in item.municipalities]
    form = UserEditForm(obj=item, municipality_ids=kept).load_choices(item.organisation_id, kept)
    return _form_page(form, "directory/user_form.html", lambda: service.update_user(
        item, actor=current_user, **_user_fields(form)), item=item, done="directory.list_users")


@bp.route("/gebruikers/<int:item_id>/uitnodiging", methods=["POST"])
@require(Role.COORDINATOR)
def resend_invitation(item_id: int):
    item = db.get_or_404(User, item_id)
    if ActionForm().validate_on_submit():
        try:
            service.invite_user(item, actor=current_user, set_password_url_for=_set_password_url)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("We sent %(name)s a new invitation.", name=item.display_name), "success")
    return redirect(url_for("directory.edit_user", item_id=item_id))
