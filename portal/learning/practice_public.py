"""Public pages of the "what works" exchange: published practices, searchable by theme and
organisation kind, one practice with where it was taken up, and an Atom feed. Drafts are a 404
here. Readers get no cookie; each page costs a fixed number of queries."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.models import Role
from portal.auth.permissions import is_facilitator_or_coordinator, public
from portal.database import database_id
from portal.directory.models import Theme
from portal.extensions import db
from portal.learning import practice_agendas, practices
from portal.learning.forms import ProposeForm
from portal.models import utcnow
from portal.page_cache import cached_public_page
from portal.pagination import paginate
from portal.series.forms import lead_label
from portal.wishes.views import locale

bp = Blueprint("practices_public", __name__)

PER_PAGE = 20
FEED_ENTRIES = 30


def _cacheable(response, seconds: int = 300):
    response = make_response(response)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


def _filters():
    theme = request.args.get("thema", "")
    kind = request.args.get("organisatie", "")
    return (database_id(theme),
            kind if kind in practices.ORGANISATION_KIND_LABELS else None,
            request.args.get("zoek", "")[:100])


@bp.route("/wat-werkt")
@public
@cached_public_page
def index():
    theme_id, kind, search = _filters()
    pagination = paginate(practices.published_query(theme_id=theme_id, organisation_kind=kind,
                                                    search=search), per_page=PER_PAGE)
    themes = db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                                .order_by(Theme.position, Theme.id)).all()
    return _cacheable(render_template(
        "learning/practices/public_index.html", pagination=pagination, themes=themes,
        theme_id=theme_id, kind=kind, search=search, locale=locale(),
        kind_labels=practices.KIND_LABELS,
        organisation_kinds=practices.ORGANISATION_KIND_LABELS))


@bp.route("/wat-werkt/<int:practice_id>")
@public
@cached_public_page
def detail(practice_id: int):
    practice = practices.get_published(practice_id)
    if practice is None:
        abort(404)
    propose_form = None
    if getattr(current_user, "role", None) is Role.FACILITATOR:
        mine = sorted((m for m in current_user.municipalities
                       if m.id != practice.municipality_id), key=lambda m: m.name)
        if mine:  # where it already worked there is nothing to propose
            propose_form = ProposeForm()
            propose_form.municipality.choices = [SelectChoice(str(m.id), m.name) for m in mine]
    shared_agenda = practice.shared_agenda
    staff = is_facilitator_or_coordinator(current_user)
    response = make_response(render_template(
        "learning/practices/public_detail.html", practice=practice,
        uptake=practices.uptake(practice), locale=locale(), kind_labels=practices.KIND_LABELS,
        organisation_kinds=practices.ORGANISATION_KIND_LABELS, propose_form=propose_form,
        shared_agenda=shared_agenda, lead_label=lead_label,
        copies=practice_agendas.copy_count(practice) if shared_agenda else 0,
        can_copy=staff and shared_agenda is not None,
        own_copy=practice_agendas.unchanged_copy(current_user, practice) if staff else None))
    if propose_form is None and not staff:  # staff get a form or a link of their own
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/wat-werkt/feed.atom")
@public
@cached_public_page
def feed():
    """An Atom 1.0 feed of newly published practices."""
    rows = db.session.scalars(practices.published_query().limit(FEED_ENTRIES)).all()
    updated = max((p.published_at for p in rows if p.published_at), default=None) or utcnow()
    index_url = url_for("practices_public.index", _external=True)
    body = render_template(
        "learning/practices/feed.xml", practices=rows, updated=updated, index_url=index_url,
        self_url=url_for("practices_public.feed", _external=True), feed_id=f"{index_url}#feed")
    response = _cacheable(body)
    response.mimetype = "application/atom+xml"
    return response
