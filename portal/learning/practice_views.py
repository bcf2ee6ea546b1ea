"""Staff pages of the "what works" exchange: write, edit and publish practices, make one from a
changed wish, and propose a published practice in one's own municipality."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.models import Role
from portal.auth.permissions import require
from portal.database import database_id
from portal.directory.models import Municipality
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.forms import show_error
from portal.learning import practice_agendas, practices, readability
from portal.learning.forms import ActionForm, PracticeForm, ProposeForm
from portal.learning.models import Practice
from portal.pagination import paginate
from portal.series.forms import lead_label
from portal.wishes import service as wishes
from portal.wishes.views import locale, mail_links, theme_choices, themes_from

bp = Blueprint("practices", __name__, url_prefix="/begeleiding/wat-werkt")

STAFF = (Role.FACILITATOR, Role.COORDINATOR)


def _municipalities() -> list[Municipality]:
    if current_user.role is Role.COORDINATOR:
        return db.session.scalars(sa.select(Municipality).where(
            Municipality.is_active.is_(True)).order_by(Municipality.name)).all()
    return sorted(current_user.municipalities, key=lambda m: m.name)


def _form(practice: Practice | None = None) -> PracticeForm:
    form = PracticeForm(obj=practice) if practice is not None and request.method == "GET" \
        else PracticeForm()
    form.kind.choices = [SelectChoice(k.value, str(label))
                         for k, label in practices.KIND_LABELS.items()]
    municipalities = _municipalities()
    form.municipality_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(m.id), m.name) for m in municipalities]
    form.organisation_kind.choices = [SelectChoice("", _("Not about one kind of organisation"))] \
        + [SelectChoice(k, str(label)) for k, label in practices.ORGANISATION_KIND_LABELS.items()]
    form.themes.choices = theme_choices()
    keep = _("Keep the shared agenda as it is") if practice is not None \
        and practice.agenda is not None else _("No agenda template")
    language = locale()[:2]  # the page's language first, as when planning a series
    form.agenda_template_id.choices = [SelectChoice("", keep)] + [
        SelectChoice(str(t.id), t.name) for t in sorted(
            practice_agendas.shareable_templates(current_user),
            key=lambda t: t.language != language)]
    if request.method == "GET":
        if practice is not None:
            form.kind.data = practice.kind.value
            form.municipality_id.data = str(practice.municipality_id)
            form.organisation_kind.data = practice.organisation_kind or ""
            form.themes.data = [str(t.id) for t in practice.themes]
        elif len(municipalities) == 1:
            form.municipality_id.data = str(municipalities[0].id)
    return form


def _input(form: PracticeForm) -> practices.PracticeInput:
    template_id = form.agenda_template_id.data or ""
    return practices.PracticeInput(
        kind=form.kind.data or "", title=form.title.data or "", summary=form.summary.data or "",
        what_was_done=form.what_was_done.data or "", evidence=form.evidence.data or "",
        municipality_id=database_id(form.municipality_id.data),
        organisation_kind=form.organisation_kind.data or "",
        themes=tuple(themes_from(form.themes.data)),
        # Blank keeps the shared agenda; a value that is no id is "not on the list" (0).
        agenda_template_id=(database_id(template_id) or 0) if template_id else None)


def _render(form, practice, status=200, advice=None):
    return render_template("learning/practices/form.html", form=form, practice=practice,
                           advice=advice, lead_label=lead_label,
                           copies=practice_agendas.copy_count(practice) if practice else 0), \
        status


def _save(form: PracticeForm, practice: Practice | None):
    if readability.check_requested(request.form):  # advice only: nothing is saved
        return _render(form, practice,
                       advice=readability.advice_for_fields(form.summary, form.what_was_done))
    if form.validate_on_submit():
        try:
            practice = practices.save_practice(current_user, _input(form), practice)
        except DomainError as error:
            show_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("The practice is saved."), "success")
            return redirect(url_for("practices.edit", practice_id=practice.id))
    db.session.rollback()
    return _render(form, practice, 422 if request.method == "POST" else 200)


def _load(practice_id: int) -> Practice:
    practice = practices.get_editable(current_user, practice_id)
    if practice is None:
        abort(404)
    return practice


@bp.route("/")
@require(*STAFF)
def index():
    query = practices.editable_query(current_user).order_by(Practice.id.desc())
    return render_template("learning/practices/index.html", pagination=paginate(query),
                           kind_labels=practices.KIND_LABELS)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(*STAFF)
def new():
    return _save(_form(), None)


@bp.route("/<int:practice_id>", methods=["GET", "POST"])
@require(*STAFF)
def edit(practice_id: int):
    practice = _load(practice_id)
    return _save(_form(practice), practice)


@bp.route("/<int:practice_id>/publiceren", methods=["POST"])
@require(*STAFF)
def publish(practice_id: int):
    practice = _load(practice_id)
    if ProposeForm().validate_on_submit():
        if request.form.get("publish") == "0":
            practices.unpublish(current_user, practice)
            flash(_("The practice is no longer public."), "success")
        else:
            practices.publish(current_user, practice)
            flash(_("The practice is public now."), "success")
        db.session.commit()
    return redirect(url_for("practices.edit", practice_id=practice.id))


@bp.route("/uit-wens/<int:wish_id>", methods=["POST"])
@require(*STAFF)
def from_wish(wish_id: int):
    """"Publish as what works" on a changed wish: a draft to check and then publish."""
    wish = wishes.get_visible_wish(current_user, wish_id)
    if wish is None:
        abort(404)
    if not ProposeForm().validate_on_submit():
        return redirect(url_for("wishes.detail", wish_id=wish.id))
    try:
        practice = practices.draft_from_wish(current_user, wish)
    except NotAllowed:
        abort(403)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("wishes.detail", wish_id=wish.id))
    db.session.commit()
    flash(_("A draft is ready. Check the text, then publish it."), "success")
    return redirect(url_for("practices.edit", practice_id=practice.id))


@bp.route("/<int:practice_id>/voorstellen", methods=["POST"])
@require(Role.FACILITATOR)
def propose(practice_id: int):
    """"Propose it here": a wish in my municipality, sent to our organisation of the same kind."""
    practice = practices.get_published(practice_id)
    if practice is None:
        abort(404)
    form = ProposeForm()
    if form.validate_on_submit():
        choice = form.municipality.data or ""
        mine = [m for m in current_user.municipalities if m.id != practice.municipality_id] \
            or list(current_user.municipalities)
        municipality = next((m for m in current_user.municipalities if str(m.id) == choice),
                            None) or (mine[0] if len(mine) == 1 and not choice else None)
        try:
            proposal = practices.propose_here(current_user, practice, municipality,
                                              links=mail_links())
        except NotAllowed:
            abort(403)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            if proposal.organisation is not None:
                flash(_("The wish is logged and sent to %(organisation)s.",
                        organisation=proposal.organisation.name), "success")
            else:
                flash(_("The wish is logged. No organisation of this kind works in your "
                        "municipality yet: choose one yourself."), "warning")
            return redirect(url_for("wishes.detail", wish_id=proposal.wish.id))
    db.session.rollback()
    return redirect(url_for("practices_public.detail", practice_id=practice.id))


@bp.route("/<int:practice_id>/agenda-kopieren", methods=["POST"])
@require(*STAFF)
def copy_agenda(practice_id: int):
    """"Copy into my library": the shared agenda becomes an agenda template of my own."""
    practice = practices.get_published(practice_id)
    if practice is None or practice.shared_agenda is None:
        abort(404)
    back = url_for("practices_public.detail", practice_id=practice.id)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    try:
        template, is_new = practice_agendas.copy_to_library(current_user, practice)
    except NotAllowed:
        abort(403)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if is_new:
        flash(_("The agenda is in your library now. You can change it there."), "success")
    else:
        flash(_("This agenda is already in your library, unchanged. Here it is."), "info")
    return redirect(url_for("agenda_library.show", template_id=template.id))
