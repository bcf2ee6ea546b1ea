"""Facilitators: the moderation queue of their municipalities, a story's page, capture, export."""
from __future__ import annotations

import html
from datetime import timedelta

import bleach
import sqlalchemy as sa
from flask import (Blueprint, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import format_date, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.models import Role
from portal.auth.permissions import municipalities_of, require
from portal.csv_export import csv_response, labels, query_rows
from portal.database import database_id
from portal.directory.models import Municipality, Theme
from portal.errors import DomainError
from portal.extensions import db
from portal.pagination import paginate
from portal.models import utcnow
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus
from portal.stories import service
from portal.stories.forms import has_errors as _has_errors
from portal.stories.forms import (CONSENT_BY_VALUE, CONSENT_EXPLAINED, CONSENT_LABELS,
                                  KIND_SHORT, STATUS_LABELS, CaptureForm, EditForm, ReplyForm,
                                  StatusForm, ThemesForm)
from portal.stories.models import ConsentLevel, Story, StoryKind, StoryStatus

bp = Blueprint("stories", __name__, url_prefix="/begeleiding/verhalen")

STAFF = (Role.FACILITATOR, Role.COORDINATOR)
QUEUE_FILTERS = {"nieuw": [StoryStatus.NEW], "alle": list(StoryStatus),
                 "gedeeld": [StoryStatus.SHARED, StoryStatus.PUBLISHED],
                 "ingetrokken": [StoryStatus.WITHDRAWN]}


def plain_text(value: str) -> str:
    """Rich text as plain text: tags dropped, entities read back (templates escape it again)."""
    return html.unescape(bleach.clean(value or "", tags=set(), strip=True))


def _load(story_id: int) -> Story:
    story = service.get_visible_story(current_user, story_id)
    if story is None:
        abort(404)  # also for stories of another municipality
    return story


def _theme_choices() -> list[SelectChoice]:
    themes = db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                                .order_by(Theme.position, Theme.id)).all()
    from flask_babel import get_locale

    return [SelectChoice(str(t.id), t.name_for(str(get_locale() or "nl"))) for t in themes]


def _themes(ids) -> list[Theme]:
    wanted = {i for i in map(database_id, ids or ()) if i}
    return db.session.scalars(sa.select(Theme).where(Theme.id.in_(wanted))).all() if wanted else []


@bp.route("/")
@require(*STAFF)
def queue():
    which = request.args.get("filter", "nieuw")
    statuses = QUEUE_FILTERS.get(which, QUEUE_FILTERS["nieuw"])
    query = (service.visible_stories(current_user)
             .where(Story.status.in_(statuses))
             .options(sa.orm.selectinload(Story.themes), sa.orm.joinedload(Story.municipality))
             .order_by(Story.has_unread_from_sender.desc(), Story.id.desc()))
    unread = service.visible_stories(current_user).where(Story.has_unread_from_sender.is_(True))
    pagination = paginate(query)
    rows = [(story, plain_text(story.body)[:240]) for story in pagination.items]
    return render_template("stories/queue.html", rows=rows, pagination=pagination, which=which,
                           filters=QUEUE_FILTERS, kind_labels=KIND_SHORT,
                           status_labels=STATUS_LABELS, consent_labels=CONSENT_LABELS,
                           unread_count=db.session.scalar(
                               sa.select(sa.func.count()).select_from(unread.subquery())))


def _detail(story: Story, *, reply_form=None, themes_form=None, status_error=None, status=200):
    themes_form = themes_form or ThemesForm(formdata=None,
                                            themes=[str(t.id) for t in story.themes])
    themes_form.themes.choices = _theme_choices()
    return render_template(
        "stories/detail.html", story=story, reply_form=reply_form or ReplyForm(formdata=None),
        themes_form=themes_form, status_form=StatusForm(formdata=None),
        allowed_statuses=service.allowed_statuses(story), status_error=status_error,
        kind_label=KIND_SHORT[story.kind], status_labels=STATUS_LABELS,
        consent_label=CONSENT_LABELS[story.consent],
        consent_explained=CONSENT_EXPLAINED[story.consent]), status


@bp.route("/<int:story_id>")
@require(*STAFF)
def detail(story_id: int):
    story = _load(story_id)
    service.mark_read(story)
    db.session.commit()
    return _detail(story)


@bp.route("/<int:story_id>/antwoord", methods=["POST"])
@require(*STAFF)
def reply(story_id: int):
    story = _load(story_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            service.reply(story, current_user, form.body.data,
                          receipt_url=url_for("stories_public.receipt", _external=True))
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your reply is sent. The sender reads it with their code."), "success")
            return redirect(url_for("stories.detail", story_id=story.id))
    return _detail(story, reply_form=form, status=422)


@bp.route("/<int:story_id>/themas", methods=["POST"])
@require(*STAFF)
def tag_themes(story_id: int):
    story = _load(story_id)
    form = ThemesForm()
    form.themes.choices = _theme_choices()
    if form.validate_on_submit():
        try:
            service.tag_themes(story, current_user, _themes(form.themes.data))
        except DomainError as error:
            form.themes.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The themes are saved."), "success")
            return redirect(url_for("stories.detail", story_id=story.id))
    return _detail(story, themes_form=form, status=422)


@bp.route("/<int:story_id>/status", methods=["POST"])
@require(*STAFF)
def moderate(story_id: int):
    story = _load(story_id)
    form = StatusForm()
    error_message = _("Choose a status.")
    if form.validate_on_submit():
        try:
            service.moderate(story, current_user, StoryStatus(form.status.data))
        except ValueError:
            pass
        except DomainError as error:
            error_message = error.message
        else:
            db.session.commit()
            flash(_("The status is now: %(status)s.", status=STATUS_LABELS[story.status]),
                  "success")
            return redirect(url_for("stories.detail", story_id=story.id))
    return _detail(story, status_error=error_message, status=422)


@bp.route("/<int:story_id>/bewerken", methods=["GET", "POST"])
@require(*STAFF)
def edit(story_id: int):
    story = _load(story_id)
    if story.is_withdrawn:
        abort(404)
    form = EditForm(obj=None if request.method == "POST" else story)
    if form.validate_on_submit():
        try:
            service.edit(story, current_user, title=form.title.data or "",
                         body=form.body.data, wish_text=form.wish_text.data or "",
                         note=form.note.data or "")
        except DomainError as error:
            getattr(form, error.field or "body").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The story is saved. The original stays visible to facilitators only."),
                  "success")
            return redirect(url_for("stories.detail", story_id=story.id))
    return render_template("stories/edit.html", story=story, form=form), \
        422 if _has_errors(form) else 200


def _capture_meetings(municipalities: list[Municipality]) -> list[Meeting]:
    """Meetings of my municipalities from two weeks back to two weeks ahead, not cancelled."""
    now = utcnow()
    return db.session.scalars(
        sa.select(Meeting).join(Meeting.series)
        .where(Series.municipality_id.in_([m.id for m in municipalities] or [-1]),
               Series.status != SeriesStatus.CANCELLED,
               Meeting.status != MeetingStatus.CANCELLED,
               Meeting.starts_at.between(now - timedelta(days=14), now + timedelta(days=14)))
        .options(sa.orm.contains_eager(Meeting.series))
        .order_by(Meeting.starts_at)).all()


def _meeting_label(meeting: Meeting) -> str:
    return _("%(series)s, meeting %(number)s, %(date)s", series=meeting.series.title,
             number=meeting.number, date=format_date(meeting.starts_at, "d MMMM"))


@bp.route("/vastleggen", methods=["GET", "POST"])
@require(*STAFF)
def capture():
    """Phone-friendly: the meeting of today is already chosen."""
    form = CaptureForm()
    municipalities = municipalities_of(current_user)
    meetings = _capture_meetings(municipalities)
    form.meeting.choices = [SelectChoice("", _("Not in a meeting"))] + [
        SelectChoice(str(m.id), _meeting_label(m)) for m in meetings]
    form.municipality.choices = [SelectChoice(str(m.id), m.name) for m in municipalities]
    if len(municipalities) != 1:
        form.municipality.choices.insert(0, SelectChoice("", _("Choose…")))
    form.themes.choices = _theme_choices()
    if request.method == "GET":
        today = service.today()
        asked = request.args.get("meeting", "")
        form.meeting.data = asked if any(str(m.id) == asked for m in meetings) else next(
            (str(m.id) for m in meetings if to_user_timezone(m.starts_at).date() == today), "")
    if form.validate_on_submit():
        meeting = next((m for m in meetings if str(m.id) == form.meeting.data), None)
        municipality = next((m for m in municipalities if str(m.id) == form.municipality.data),
                            None)
        try:
            story = service.capture(actor=current_user, municipality=municipality,
                                    meeting=meeting,
                                    kind=StoryKind(form.kind.data),
                                    consent=ConsentLevel(form.consent.data),
                                    body=form.body.data, title=form.title.data or "",
                                    themes=_themes(form.themes.data))
        except DomainError as error:
            getattr(form, error.field or "body").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Saved. You can write down the next one."), "success")
            return redirect(url_for("stories.capture", meeting=story.meeting_id or ""))
    return render_template("stories/capture.html", form=form,
                           consent_explained=CONSENT_BY_VALUE), 422 if _has_errors(form) else 200


@bp.route("/export.csv")
@require(*STAFF)
def export():
    """The visible, not withdrawn stories as CSV: plain text only, formulas defused, streamed."""
    query = (service.visible_stories(current_user)
             .where(Story.status != StoryStatus.WITHDRAWN)
             .options(sa.orm.selectinload(Story.themes), sa.orm.joinedload(Story.municipality))
             .order_by(Story.id))
    header = [_("Number"), _("Date"), _("Municipality"), _("Kind"), _("Status"), _("Consent"),
              _("Title"), _("Story"), _("What should change"), _("Themes")]
    kinds, statuses, consents = labels(KIND_SHORT), labels(STATUS_LABELS), labels(CONSENT_LABELS)
    language = str(get_locale() or "nl")

    def row(story: Story):
        return (story.id, story.submitted_on.isoformat(), story.municipality.name,
                kinds[story.kind], statuses[story.status], consents[story.consent], story.title,
                plain_text(story.body), plain_text(story.wish_text),
                ", ".join(t.name_for(language) for t in story.themes))

    return csv_response("verhalen.csv", header, query_rows(query, row))
