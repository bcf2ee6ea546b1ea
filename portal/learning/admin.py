"""Coordinators' screen for the plain-word list behind the B1 advice: list, add, edit, switch
off. Nothing is deleted: a deactivated pair stays visible and can be switched on again."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.permissions import Role, require
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.pagination import paginate
from portal.learning import service
from portal.learning.forms import ActionForm, PlainWordForm
from portal.learning.models import PlainWord
from portal.text import normalise_line

bp = Blueprint("plain_words", __name__, url_prefix="/beheer/eenvoudige-woorden")
PER_PAGE = 50


def _word(word_id: int) -> PlainWord:
    word = db.session.get(PlainWord, word_id)
    if word is None:
        abort(404)
    return word


@bp.route("/")
@require(Role.COORDINATOR)
def index():
    search = normalise_line(request.args.get("zoek", ""))[:80]
    query = sa.select(PlainWord).order_by(PlainWord.officialese)
    if search:
        like = f"%{search.lower().replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(sa.func.lower(PlainWord.officialese).like(like),
                                   sa.func.lower(PlainWord.plain).like(like)))
    pagination = paginate(query, per_page=PER_PAGE)
    return render_template("learning/plain_words.html", pagination=pagination, search=search,
                           action=ActionForm())


@bp.route("/nieuw", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def new():
    form = PlainWordForm()
    if form.validate_on_submit():
        try:
            word = service.add_plain_word(current_user, form.officialese.data, form.plain.data)
        except DomainError as error:
            show_error(form, error, "officialese")
        else:
            db.session.commit()
            flash(_("“%(word)s” is added.", word=word.officialese), "success")
            return redirect(url_for("plain_words.index"))
    return render_template("learning/plain_word_form.html", form=form, word=None), \
        422 if form.errors else 200


@bp.route("/<int:word_id>", methods=["GET", "POST"])
@require(Role.COORDINATOR)
def edit(word_id: int):
    word = _word(word_id)
    form = PlainWordForm(obj=word if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.update_plain_word(current_user, word, form.officialese.data,
                                      form.plain.data, form.is_active.data)
        except DomainError as error:
            show_error(form, error, "officialese")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("plain_words.index"))
    return render_template("learning/plain_word_form.html", form=form, word=word), \
        422 if form.errors else 200


@bp.route("/<int:word_id>/<any(aan, uit):state>", methods=["POST"])
@require(Role.COORDINATOR)
def toggle(word_id: int, state: str):
    word = _word(word_id)
    if ActionForm().validate_on_submit():
        service.set_plain_word_active(current_user, word, state == "aan")
        db.session.commit()
        flash(_("“%(word)s” is used in the advice again.", word=word.officialese)
              if state == "aan" else
              _("“%(word)s” is deactivated.", word=word.officialese), "success")
    return redirect(url_for("plain_words.index", zoek=request.args.get("zoek") or None))
