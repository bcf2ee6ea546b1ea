"""Agenda items are edited, moved and removed the same way in a template and in a meeting;
only the owner and the page to go back to differ."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from portal.errors import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.series import agenda
from portal.series.forms import ActionForm, AgendaItemForm
from portal.series.models import Lead


def item_input(form: AgendaItemForm) -> agenda.ItemInput:
    return agenda.ItemInput(title=form.title.data, minutes=form.minutes.data,
                            purpose=form.purpose.data or "", lead=Lead(form.lead.data),
                            materials=form.materials.data or "")


def fill_item_form(form: AgendaItemForm, item) -> None:
    form.title.data, form.minutes.data = item.title, item.minutes
    form.purpose.data, form.lead.data, form.materials.data = (item.purpose, item.lead.value,
                                                              item.materials)


def find_item(items, item_id: int):
    """The owner's item with this id, or 404 (an id of another agenda is not found here)."""
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def edit_item_page(item, *, heading: str, back: str):
    form = AgendaItemForm()
    if request.method == "GET":
        fill_item_form(form, item)
    if form.validate_on_submit():
        try:
            agenda.update_item(item, item_input(form))
        except DomainError as error:
            show_error(form, error, "title")
        else:
            db.session.commit()
            return redirect(back)
    return render_template("series/edit_item.html", form=form, heading=heading, back=back), \
        (422 if form.error_summary else 200)


def move_item(owner, item, direction: str, *, back: str):
    if ActionForm().validate_on_submit():
        agenda.move_item(owner, item, direction)
        db.session.commit()
    return redirect(f"{back}#item-{item.id}")


def remove_item(owner, item, *, back: str):
    if ActionForm().validate_on_submit():
        agenda.remove_item(owner, item)
        db.session.commit()
        flash(_("The item is removed."), "success")
    return redirect(back)
