"""Organisation members: the queue of wishes sent to their organisation, a wish's page with its
timeline, the organisation's steps, and saved answer templates.

They see the wish text only: never a story, never who told it.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.auth.permissions import require
from portal.database import database_id
from portal.directory.models import Municipality, Theme
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.forms import show_error
from portal.learning import readability
from portal.pagination import paginate
from portal.wishes import deadlines, service, timeline, workflow
from portal.wishes.forms import AnswerTemplateForm
from portal.wishes.models import Wish, WishStatus
from portal.wishes.views import (action_forms, locale, mail_links, readable_fields, refusal,
                                 step_advice)

bp = Blueprint("workspace", __name__, url_prefix="/organisatie/wensen")

MEMBER = Role.ORGANISATION_MEMBER
STATUS_FILTERS = (WishStatus.ROUTED, WishStatus.IN_PROGRESS, WishStatus.CHANGED,
                  WishStatus.DECLINED, WishStatus.CLOSED)


def _load(wish_id: int) -> Wish:
    wish = service.get_visible_wish(current_user, wish_id)
    if wish is None:
        abort(404)  # wishes of other organisations, and ones handed back, do not exist here
    return wish


def _int_arg(name: str) -> int | None:
    return database_id(request.args.get(name))


@bp.route("/")
@require(MEMBER)
def queue():
    """Filter by status, theme, municipality and overdue; 25 a page, in a fixed number of
    queries whatever the page holds."""
    query = service.visible_wishes(current_user)
    status = next((s for s in STATUS_FILTERS if s.value == request.args.get("status")), None)
    if status is not None:
        query = query.where(Wish.status == status)
    theme_id, municipality_id = _int_arg("thema"), _int_arg("gemeente")
    if theme_id is not None:
        query = query.where(Wish.themes.any(Theme.id == theme_id))
    if municipality_id is not None:
        query = query.where(Wish.municipality_id == municipality_id)
    overdue_only = request.args.get("te_laat") == "1"
    if overdue_only:
        query = query.where(Wish.status == WishStatus.ROUTED,
                            Wish.acknowledge_due_on < deadlines.today())
    query = query.options(sa.orm.joinedload(Wish.municipality),
                          sa.orm.selectinload(Wish.themes)).order_by(
        (Wish.status == WishStatus.ROUTED).desc(), Wish.acknowledge_due_on.asc().nulls_last(),
        Wish.id.desc())
    pagination = paginate(query)
    municipalities = db.session.scalars(
        sa.select(Municipality).where(Municipality.id.in_(
            service.visible_wishes(current_user).with_only_columns(Wish.municipality_id)))
        .order_by(Municipality.name)).all()
    themes = db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                                .order_by(Theme.position, Theme.id)).all()
    return render_template(
        "wishes/workspace/queue.html", pagination=pagination, status=status,
        statuses=STATUS_FILTERS, status_labels=workflow.STATUS_LABELS, theme_id=theme_id,
        municipality_id=municipality_id, overdue_only=overdue_only, themes=themes,
        municipalities=municipalities, is_overdue=deadlines.is_overdue, locale=locale())


def _detail(wish: Wish, posted=None, status: int = 200, advice=None):
    """The wish with a form per step; `posted` is the step form sent back (refused, or with
    `advice` on its readability), shown again with what was typed."""
    actions = workflow.allowed_actions(wish, current_user)
    forms = action_forms(actions, posted)
    templates = service.answer_templates(current_user.organisation_id)
    chosen = next((t for t in templates if str(t.id) == request.args.get("sjabloon")), None)
    if chosen is not None:
        for action in ("answer", "mark_changed", "decline"):
            if action in forms and forms[action] is not posted:
                forms[action].note.data = chosen.body
    if "mark_changed" in forms and forms["mark_changed"] is not posted and not chosen:
        forms["mark_changed"].note.data = wish.public_answer
    return render_template(
        "wishes/workspace/detail.html", wish=wish, forms=forms, templates=templates,
        refusal=refusal(posted, forms), readable=readable_fields(forms), advice=advice,
        transitions=workflow.TRANSITIONS, lines=timeline.lines(wish.events),
        status_labels=workflow.STATUS_LABELS, is_overdue=deadlines.is_overdue(wish),
        locale=locale()), status


@bp.route("/<int:wish_id>")
@require(MEMBER)
def detail(wish_id: int):
    return _detail(_load(wish_id))


def take_step(wish: Wish, action: str, actor, form) -> None:
    """Shared with the answer-link page: one organisation step from a posted ActionForm."""
    service.answer_wish(wish, action, actor, form.note.data or "", links=mail_links(),
                        outcome=form.outcome.data or "", changed_from=form.changed_from.data)


@bp.route("/<int:wish_id>/stap/<action>", methods=["POST"])
@require(MEMBER)
def act(wish_id: int, action: str):
    """Acknowledge, answer, mark changed, decline, hand back. A step the workflow does not allow
    now is refused with its message, also when the POST was made by hand."""
    wish = _load(wish_id)
    if action not in workflow.TRANSITIONS:
        abort(404)
    from portal.wishes.forms import ActionForm

    form = ActionForm(prefix=action)
    if readability.check_requested(request.form):  # advice only: no step is taken
        return _detail(wish, posted=form, advice=step_advice(action, form))
    if form.validate_on_submit():
        try:
            take_step(wish, action, current_user, form)
        except NotAllowed as error:
            if error.field is None:
                abort(403)
            show_error(form, error, "note")
        except DomainError as error:
            show_error(form, error, "note")
        else:
            db.session.commit()
            flash(_("Saved. The status is now: %(status)s.",
                    status=workflow.STATUS_LABELS[wish.status]), "success")
            if action == "hand_back":
                return redirect(url_for("workspace.queue"))
            return redirect(url_for("workspace.detail", wish_id=wish.id))
    db.session.rollback()
    return _detail(_load(wish_id), posted=form, status=422)


@bp.route("/sjablonen", methods=["GET", "POST"])
@require(MEMBER)
def templates():
    form = AnswerTemplateForm()
    advice = None
    if readability.check_requested(request.form):  # advice only: nothing is saved
        advice = readability.advice_for_fields(form.body)
    elif form.validate_on_submit():
        try:
            service.save_answer_template(current_user, form.title.data, form.body.data)
        except DomainError as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            flash(_("The template is saved."), "success")
            return redirect(url_for("workspace.templates"))
    return render_template("wishes/workspace/templates.html", form=form, advice=advice,
                           templates=service.answer_templates(current_user.organisation_id)), \
        422 if form.errors else 200


@bp.route("/sjablonen/<int:template_id>/verwijderen", methods=["POST"])
@require(MEMBER)
def delete_template(template_id: int):
    from portal.forms import PortalForm

    if not PortalForm().validate_on_submit():
        abort(400)
    if not service.delete_answer_template(current_user, template_id):
        abort(404)
    db.session.commit()
    flash(_("The template is deleted."), "success")
    return redirect(url_for("workspace.templates"))

