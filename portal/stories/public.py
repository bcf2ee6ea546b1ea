"""Anonymous pages: tell your story, the receipt page (with only the code), published stories.

Nothing here reads or keeps who sends: the client address is only hashed in memory for rate
limits (portal.ratelimit), the code travels in form fields (never in a URL, never in a cookie),
and pages that show a code are marked no-store.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from wtforms.fields.choices import SelectChoice

from portal import ratelimit
from portal.database import database_id
from portal.page_cache import cached_public_page
from portal.auth.permissions import public
from portal.auth.views import client_key
from portal.directory.models import Municipality, Theme
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import show_error
from portal.pagination import requested_page
from portal.series.models import Series, SeriesStatus
from portal.stories import service
from portal.stories.forms import has_errors as _has_errors
from portal.stories.forms import (CONSENT_BY_VALUE, CONSENT_EXPLAINED, CONSENT_LABELS,
                                  KIND_SHORT, CodeForm, CodeOnlyForm, NotificationForm,
                                  SenderMessageForm, TellerConfirmationForm, TellStoryForm)
from portal.stories.models import ConsentLevel, StoryKind, StoryStatus
from portal.text import render_rich_text

bp = Blueprint("stories_public", __name__)
# `{{ story.body | rich_text }}`: stored text is sanitised, and sanitised again on the way out.
bp.add_app_template_filter(render_rich_text, "rich_text")
bp.add_app_template_global(format_date, "format_date")

SUBMIT_LIMIT, SUBMIT_WINDOW = 10, 3600
# Wrong codes per client before the receipt page refuses every attempt for a while.
CODE_LIMIT, CODE_WINDOW = 10, 15 * 60


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _fill_choices(form) -> None:
    municipalities = db.session.scalars(sa.select(Municipality).where(
        Municipality.is_active.is_(True)).order_by(Municipality.name)).all()
    form.municipality.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(m.id), m.name) for m in municipalities]
    if len(municipalities) == 1 and request.method == "GET":
        form.municipality.data = str(municipalities[0].id)
    form.themes.choices = [SelectChoice(str(t.id), t.name_for(_locale()))
                          for t in _active_themes()]
    form.series.choices = [SelectChoice("", _("No series"))] + [
        SelectChoice(str(s.id), f"{s.title} ({s.municipality.name})") for s in _open_series()]
    if request.method == "GET" and request.args.get("reeks"):
        chosen = next((s for s in _open_series() if s.slug == request.args["reeks"]), None)
        form.series.data = str(chosen.id) if chosen else ""


def _open_series() -> list[Series]:
    """Series a sender can pick: published ones of active municipalities."""
    from flask import g

    if "stories_open_series" not in g:
        g.stories_open_series = db.session.scalars(
            sa.select(Series).join(Series.municipality)
            .where(Series.status.in_((SeriesStatus.PUBLISHED, SeriesStatus.COMPLETED)),
                   Municipality.is_active.is_(True))
            .options(sa.orm.contains_eager(Series.municipality))
            .order_by(Municipality.name, Series.title)).all()
    return g.stories_open_series


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "nl")


def _active_themes():
    return db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                              .order_by(Theme.position, Theme.id)).all()


def _chosen_themes(ids) -> list[Theme]:
    wanted = {i for i in map(database_id, ids or ()) if i}
    if not wanted:
        return []
    return db.session.scalars(sa.select(Theme).where(Theme.id.in_(wanted),
                                                     Theme.is_active.is_(True))).all()


@bp.route("/vertel", methods=["GET", "POST"])
@public
def tell():
    form = TellStoryForm()
    _fill_choices(form)
    if request.method == "GET":
        form.once.data = secrets.token_urlsafe(16)
    status = 200
    if form.validate_on_submit():
        municipality = (db.session.get(Municipality, int(form.municipality.data))
                        if form.municipality.data else None)
        series = next((x for x in _open_series() if str(x.id) == form.series.data), None)
        if not ratelimit.hit("story-submit", client_key(), limit=SUBMIT_LIMIT,
                             window_seconds=SUBMIT_WINDOW):
            form.body.errors.append(_("Many stories were sent from here just now. Wait an hour "
                                      "and send it again. Your text is still here."))
            status = 429
        elif not ratelimit.hit("story-once", form.once.data or secrets.token_hex(8), limit=1,
                               window_seconds=2 * 24 * 3600):
            return _no_store(render_template("stories/public/already_sent.html"))
        else:
            try:
                story, code = service.submit_anonymous(
                    municipality=municipality, series=series, kind=StoryKind(form.kind.data),
                    consent=ConsentLevel(form.consent.data), body=form.body.data,
                    title=form.title.data, wish_text=form.wish_text.data,
                    themes=_chosen_themes(form.themes.data),
                    notify_email=form.notify_email.data or "")
            except DomainError as error:
                getattr(form, error.field or "body").errors.append(error.message)
            else:
                db.session.commit()
                return _no_store(render_template(
                    "stories/public/confirmation.html", story=story, code=code,
                    kind_label=KIND_SHORT[story.kind],
                    consent_label=CONSENT_LABELS[story.consent],
                    consent_explained=CONSENT_EXPLAINED[story.consent],
                    receipt_url=url_for("stories_public.receipt", _external=True)))
    if _has_errors(form) and status == 200:
        status = 422
    return _no_store(render_template("stories/public/tell.html", form=form,
                                     consent_explained=CONSENT_BY_VALUE)), status


def _story_from_code(code: str | None):
    """The story for a code, counting failures per client. Over the limit, every attempt is
    refused, a right code too, so guessing cannot continue."""
    key = client_key()
    if ratelimit.is_limited("receipt-code", key, limit=CODE_LIMIT):
        abort(429)
    story = service.find_by_code(code)
    if story is None:
        ratelimit.hit("receipt-code", key, limit=CODE_LIMIT, window_seconds=CODE_WINDOW)
    return story


def _code_page(form: CodeForm, status: int = 200):
    return _no_store(render_template("stories/public/code.html", form=form)), status


def _wrong_code(code: str | None):
    form = CodeForm(formdata=None, code=code or "")
    # One message for every failure: it must not tell whether a story with this code exists.
    form.code.errors = [_("We cannot open a story with this code. Check the code and try "
                          "again.")]
    return _code_page(form, 422)


def _confirmation_forms(wishes, code: str, failed: dict | None = None) -> dict:
    """One form per wish the teller can still confirm, each with its own prefix (unique ids)."""
    forms = {view.id: TellerConfirmationForm(formdata=None, prefix=f"wens{view.id}", code=code)
             for view in wishes if view.can_confirm}
    forms.update(failed or {})
    return forms


def _receipt_page(story, code: str, *, message_form=None, email_form=None, notice=None,
                  confirmation_forms=None, status=200):
    wishes = service.wishes_for(story)
    return _no_store(render_template(
        "stories/public/receipt.html", story=story, code=code,
        message_form=message_form or SenderMessageForm(formdata=None, code=code),
        email_form=email_form or NotificationForm(formdata=None, code=code),
        code_form=CodeOnlyForm(formdata=None, code=code),
        kind_label=KIND_SHORT[story.kind], consent_label=CONSENT_LABELS[story.consent],
        consent_explained=CONSENT_EXPLAINED[story.consent],
        has_reply=any(not m.is_from_sender for m in story.messages),
        wishes=wishes, confirmation_forms=_confirmation_forms(wishes, code, confirmation_forms),
        notice=notice,
        published_url=(url_for("stories_public.published", slug=story.municipality.slug)
                       if story.status is StoryStatus.PUBLISHED else None))), status


@bp.route("/bon", methods=["GET", "POST"])
@public
def receipt():
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(form, 422 if _has_errors(form) else 200)
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    return _receipt_page(story, form.code.data)


@bp.route("/bon/bericht", methods=["POST"])
@public
def send_message():
    form = SenderMessageForm()
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    if form.validate_on_submit():
        try:
            if any(not m.is_from_sender for m in story.messages):
                service.answer(story, form.body.data)
            else:
                service.add_information(story, form.body.data)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            return _receipt_page(story, form.code.data,
                                 notice=_("Your message has been sent to the facilitators."))
    return _receipt_page(story, form.code.data, message_form=form, status=422)


@bp.route("/bon/bevestigen/<int:wish_id>", methods=["POST"])
@public
def confirm_change(wish_id: int):
    """The teller answers "did it really change for you?" for a wish made from their story."""
    from portal.wishes import confirmations
    from portal.wishes.service import wish_of_story

    form = TellerConfirmationForm(prefix=f"wens{wish_id}")
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    wish = wish_of_story(story, wish_id)
    if wish is None or story.is_withdrawn:
        abort(404)
    if confirmations.teller_has_answered(story, wish):
        return _receipt_page(story, form.code.data, status=422, notice=_(
            "You already answered this question. Thank you!"))
    if form.validate_on_submit():
        try:
            confirmations.confirm_as_teller(story, wish, form.answer_value(),
                                            form.note.data or "")
        except DomainError as error:
            show_error(form, error, "answer")
        else:
            db.session.commit()
            return _receipt_page(story, form.code.data, notice=_(
                "Thank you for your answer. The facilitators and the organisation can see it."))
    db.session.rollback()
    return _receipt_page(story, form.code.data, confirmation_forms={wish_id: form}, status=422)


@bp.route("/bon/intrekken", methods=["POST"])
@public
def withdraw():
    form = CodeOnlyForm()
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    if form.validate_on_submit():
        service.withdraw(story)
        db.session.commit()
        return _receipt_page(story, form.code.data,
                             notice=_("Your story is withdrawn. Nobody can read it any more."))
    return _receipt_page(story, form.code.data, status=400)


@bp.route("/bon/email", methods=["POST"])
@public
def set_email():
    form = NotificationForm()
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    if form.validate_on_submit():
        try:
            service.set_notification_address(story, form.email.data)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            return _receipt_page(story, form.code.data,
                                 notice=_("We will send a notice to this address when there "
                                          "is a reply."))
    return _receipt_page(story, form.code.data, email_form=form, status=422)


@bp.route("/bon/email/verwijderen", methods=["POST"])
@public
def delete_email():
    form = CodeOnlyForm()
    story = _story_from_code(form.code.data)
    if story is None:
        return _wrong_code(form.code.data)
    if form.validate_on_submit():
        service.delete_notification_address(story)
        db.session.commit()
        return _receipt_page(story, form.code.data,
                             notice=_("Your e-mail address is deleted."))
    return _receipt_page(story, form.code.data, status=400)


@bp.route("/verhalen/<slug>")
@bp.route("/verhalen/<slug>/reeks/<series_slug>")
@public
@cached_public_page
def published(slug: str, series_slug: str | None = None):
    """Published stories of a municipality or one of its series: no forms, so no session cookie
    for readers, and a fixed number of queries."""
    municipality = db.session.scalars(sa.select(Municipality).where(
        Municipality.slug == slug, Municipality.is_active.is_(True))).first()
    if municipality is None:
        abort(404)
    series = None
    if series_slug is not None:
        series = db.session.scalars(sa.select(Series).where(
            Series.slug == series_slug, Series.municipality_id == municipality.id)).first()
        if series is None or not series.is_public:
            abort(404)
    pagination = service.published_stories(municipality, series=series,
                                           page=requested_page())
    return render_template("stories/public/published.html", municipality=municipality,
                           series=series, pagination=pagination, kind_labels=KIND_SHORT,
                           locale=_locale())
