"""The agenda template library: list, copy, edit, reorder items (no JavaScript needed)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.permissions import Role, require
from portal.errors import DomainError, NotFound
from portal.extensions import db
from portal.series import agenda
from portal.series.forms import ActionForm, AgendaItemForm, TemplateForm, lead_label
from portal.series.models import AgendaTemplate
from portal.forms import show_error
from portal.series import item_views
from portal.series.item_views import item_input

bp = Blueprint("agenda_library", __name__, url_prefix="/agendasjablonen")
STAFF = (Role.FACILITATOR, Role.COORDINATOR)


def _template(template_id: int) -> AgendaTemplate:
    try:
        return agenda.get_template(template_id)
    except NotFound:
        abort(404)


def _editable(template_id: int) -> AgendaTemplate:
    template = _template(template_id)
    if not agenda.can_edit_template(current_user, template):
        abort(403)
    return template


def _rows(template: AgendaTemplate):
    return [(item, None, None) for item in template.items]


@bp.route("/")
@require(*STAFF)
def index():
    templates = list(db.session.scalars(agenda.templates_query()))
    return render_template("series/templates.html", templates=templates, action=ActionForm(),
                           can_edit=lambda t: agenda.can_edit_template(current_user, t))


@bp.route("/<int:template_id>", methods=["GET", "POST"])
@require(*STAFF)
def show(template_id: int):
    template = _template(template_id)
    editable = agenda.can_edit_template(current_user, template)
    form = TemplateForm(obj=template if request.method == "GET" else None)
    item_form = AgendaItemForm(prefix="item")
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                agenda.update_template(current_user, template, form.name.data,
                                       form.description.data or "", form.meeting_number.data)
            except DomainError as error:
                show_error(form, error, "name")
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("agenda_library.show", template_id=template.id))
    status = 422 if form.error_summary else 200
    return render_template("series/template.html", template=template, form=form,
                           item_form=item_form, editable=editable, action=ActionForm(),
                           lead_label=lead_label, item_rows=_rows(template)), status


@bp.route("/<int:template_id>/kopieren", methods=["POST"])
@require(*STAFF)
def copy(template_id: int):
    template = _template(template_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("agenda_library.index"))
    copied = agenda.copy_template(current_user, template)
    db.session.commit()
    flash(_("You made a copy. You can change it now."), "success")
    return redirect(url_for("agenda_library.show", template_id=copied.id))


@bp.route("/<int:template_id>/onderdelen", methods=["POST"])
@require(*STAFF)
def add_item(template_id: int):
    template = _editable(template_id)
    item_form = AgendaItemForm(prefix="item")
    if item_form.validate_on_submit():
        try:
            agenda.add_item(template, item_input(item_form))
        except DomainError as error:
            show_error(item_form, error, "item-title")
        else:
            db.session.commit()
            flash(_("The item is added."), "success")
            return redirect(url_for("agenda_library.show", template_id=template.id))
    return render_template("series/template.html", template=template, form=TemplateForm(
        obj=template), item_form=item_form, editable=True, action=ActionForm(),
        lead_label=lead_label, item_rows=_rows(template)), 422


@bp.route("/<int:template_id>/onderdelen/<int:item_id>", methods=["GET", "POST"])
@require(*STAFF)
def edit_item(template_id: int, item_id: int):
    template = _editable(template_id)
    item = item_views.find_item(template.items, item_id)
    return item_views.edit_item_page(
        item, heading=template.name,
        back=url_for("agenda_library.show", template_id=template.id))


@bp.route("/<int:template_id>/onderdelen/<int:item_id>/<any(up, down):direction>",
          methods=["POST"])
@require(*STAFF)
def move_item(template_id: int, item_id: int, direction: str):
    template = _editable(template_id)
    item = item_views.find_item(template.items, item_id)
    return item_views.move_item(template, item, direction,
                                back=url_for("agenda_library.show", template_id=template.id))


@bp.route("/<int:template_id>/onderdelen/<int:item_id>/verwijderen", methods=["POST"])
@require(*STAFF)
def remove_item(template_id: int, item_id: int):
    template = _editable(template_id)
    item = item_views.find_item(template.items, item_id)
    return item_views.remove_item(template, item,
                                  back=url_for("agenda_library.show", template_id=template.id))
