"""Public pages: the "Jij zei, wij deden" board per municipality and its Atom feed, the
answer-link pages for organisations without accounts, and residents' confirmation links.

The board and feed hold no forms that need a session: readers get no cookie, and each page
costs a fixed number of queries.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import (Blueprint, abort, current_app, make_response, redirect, render_template,
                   request, url_for)

from portal.database import database_id
from portal.page_cache import cached_public_page
from portal.auth.permissions import public
from portal.directory.models import Municipality, Organisation, Theme
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.forms import show_error
from portal.learning import readability
from portal.pagination import paginate
from portal.models import utcnow
from portal.learning.service import LinkNotValid
from portal.wishes import confirmations, service, timeline, workflow
from portal.wishes.forms import ActionForm, ConfirmationForm
from portal.wishes.models import Wish
from portal.wishes.views import action_forms, locale, readable_fields, refusal, step_advice

bp = Blueprint("wishes_public", __name__)

PER_PAGE = 20
FEED_ENTRIES = 30


def _municipality(slug: str) -> Municipality:
    municipality = db.session.scalars(sa.select(Municipality).where(
        Municipality.slug == slug, Municipality.is_active.is_(True))).first()
    if municipality is None:
        abort(404)
    return municipality


def _int_arg(name: str) -> int | None:
    return database_id(request.args.get(name))


def _cacheable(response, seconds: int = 300):
    response = make_response(response)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


@bp.route("/jij-zei-wij-deden")
@public
@cached_public_page
def boards():
    municipalities = db.session.scalars(sa.select(Municipality).where(
        Municipality.is_active.is_(True)).order_by(Municipality.name)).all()
    if len(municipalities) == 1:
        return redirect(url_for("wishes_public.board", slug=municipalities[0].slug))
    return _cacheable(render_template("wishes/public/boards.html",
                                      municipalities=municipalities))


@bp.route("/jij-zei-wij-deden/<slug>")
@public
@cached_public_page
def board(slug: str):
    """Changed wishes with the organisation's answer: only with the tellers' consent, and only
    the wish itself, never the story or who told it."""
    municipality = _municipality(slug)
    theme_id, organisation_id = _int_arg("thema"), _int_arg("organisatie")
    query = service.board_query(municipality, theme_id=theme_id, organisation_id=organisation_id)
    pagination = paginate(query, per_page=PER_PAGE)
    themes = db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                                .order_by(Theme.position, Theme.id)).all()
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(
            service.board_query(municipality).with_only_columns(Wish.organisation_id)
            .order_by(None)))
        .order_by(Organisation.name)).all()
    return _cacheable(render_template(
        "wishes/public/board.html", municipality=municipality, pagination=pagination,
        themes=themes, organisations=organisations, theme_id=theme_id,
        organisation_id=organisation_id, locale=locale()))


@bp.route("/jij-zei-wij-deden/<slug>/feed.atom")
@public
@cached_public_page
def feed(slug: str):
    """An Atom 1.0 feed of new results on the board."""
    municipality = _municipality(slug)
    wishes = db.session.scalars(service.board_query(municipality).limit(FEED_ENTRIES)).all()
    updated = max((w.resolved_at for w in wishes if w.resolved_at), default=None) \
        or municipality.created_at or utcnow()
    board_url = url_for("wishes_public.board", slug=municipality.slug, _external=True)
    body = render_template(
        "wishes/public/feed.xml", municipality=municipality, wishes=wishes, updated=updated,
        board_url=board_url,
        self_url=url_for("wishes_public.feed", slug=municipality.slug, _external=True),
        feed_id=f"{board_url}#feed")
    response = _cacheable(body)
    response.mimetype = "application/atom+xml"
    return response


# The answer link ---------------------------------------------------------------------------

def _link_or_404(token: str):
    link = service.find_answer_link(token)
    if link is None:
        abort(404)
    return link


def _no_store(response, status: int = 200):
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer_page(link, posted=None, status: int = 200, advice=None):
    """As the workspace's wish page: `posted` is the step form sent back (refused, or with
    `advice` on its readability), shown again with what was typed."""
    if not link.is_valid():
        return _no_store(render_template("wishes/public/link_expired.html"), 410)
    wish = link.wish
    actor = workflow.LinkActor(link)
    forms = action_forms(workflow.allowed_actions(wish, actor), posted)
    if "mark_changed" in forms and forms["mark_changed"] is not posted:
        forms["mark_changed"].note.data = wish.public_answer
    return _no_store(render_template(
        "wishes/public/answer_link.html", wish=wish, link=link, token=request.view_args["token"],
        forms=forms, refusal=refusal(posted, forms), readable=readable_fields(forms),
        advice=advice, transitions=workflow.TRANSITIONS, lines=timeline.lines(wish.events),
        status_labels=workflow.STATUS_LABELS, locale=locale()), status)


@bp.route("/wens/antwoord/<token>")
@public
def answer_link(token: str):
    """The wish for an organisation without accounts; the link is the key, for 14 days."""
    return _answer_page(_link_or_404(token))


@bp.route("/wens/antwoord/<token>/stap/<action>", methods=["POST"])
@public
def answer_link_act(token: str, action: str):
    from portal.wishes.workspace import take_step

    link = _link_or_404(token)
    if not link.is_valid():
        return _answer_page(link)
    if action not in workflow.TRANSITIONS:
        abort(404)
    form = ActionForm(prefix=action)
    if readability.check_requested(request.form):  # advice only: no step is taken
        return _answer_page(link, posted=form, advice=step_advice(action, form))
    if form.validate_on_submit():
        try:
            take_step(link.wish, action, workflow.LinkActor(link), form)
        except NotAllowed as error:
            if error.field is None:
                abort(403)
            show_error(form, error, "note")
        except DomainError as error:
            show_error(form, error, "note")
        else:
            db.session.commit()
            if action == "hand_back":
                return _no_store(render_template("wishes/public/handed_back.html"))
            return redirect(url_for("wishes_public.answer_link", token=token))
    db.session.rollback()
    return _answer_page(_link_or_404(token), posted=form, status=422)


# "Did it really change for you?" by e-mail link ----------------------------------------------

def _confirmation_page(template: str, status: int = 200, **context):
    return _no_store(render_template(f"wishes/public/{template}", locale=locale(), **context),
                     status)


@bp.route("/wens/bevestigen/<token>", methods=["GET", "POST"])
@public
def confirm_link(token: str):
    """A participant answers once, without an account; the link is gone once used."""
    secret_key = current_app.config["SECRET_KEY"]
    link = confirmations.find_link(token, secret_key)
    if link is None:
        # Used, expired or made up: one friendly page for all, so nothing can be probed.
        return _confirmation_page("confirm_gone.html", 404, days=confirmations.LINK_DAYS)
    form = ConfirmationForm()
    if form.validate_on_submit():
        try:
            wish = confirmations.confirm_with_link(token, secret_key, form.answer_value(),
                                                   form.note.data or "")
        except LinkNotValid:
            db.session.rollback()
            return _confirmation_page("confirm_gone.html", 404, days=confirmations.LINK_DAYS)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, "answer")
            link = confirmations.find_link(token, secret_key)
            if link is None:
                return _confirmation_page("confirm_gone.html", 404,
                                          days=confirmations.LINK_DAYS)
        else:
            db.session.commit()
            return _confirmation_page("confirm_thanks.html", wish=wish)
    return _confirmation_page("confirm.html", 422 if form.errors else 200, wish=link.wish,
                              form=form)
