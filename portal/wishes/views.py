"""Facilitators: log wishes (quick entry in a meeting, from a story, directly), route them with
the suggested organisation preselected, merge duplicates, close once the answer went back."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.auth.models import Role
from portal.auth.permissions import municipalities_of, require
from portal.database import database_id
from portal.directory.models import Municipality, Organisation, Theme
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.forms import show_error
from portal.learning import readability
from portal.pagination import paginate
from portal.models import utcnow
from portal.series.models import Meeting, MeetingStatus, Series, SeriesStatus
from portal.wishes import confirmations, deadlines, routing, service, timeline, workflow
from portal.wishes.forms import ActionForm, StoryWishForm, WishForm, for_step
from portal.wishes.models import Wish, WishStatus

bp = Blueprint("wishes", __name__, url_prefix="/begeleiding/wensen")

STAFF = (Role.FACILITATOR, Role.COORDINATOR)
STAFF_STEPS = ("route", "merge", "close", "confirm", "reopen")
QUEUE_FILTERS = {
    "open": [WishStatus.NEW, WishStatus.ROUTED, WishStatus.IN_PROGRESS, WishStatus.RETURNED],
    "af": [WishStatus.CHANGED, WishStatus.DECLINED],
    "gesloten": [WishStatus.CLOSED, WishStatus.MERGED],
    "alle": list(WishStatus),
}


bp.add_app_template_global(workflow.verdict_label, "verdict_label")
bp.add_app_template_global(workflow.confirmation_counts, "confirmation_counts")


# Shared with workspace.py and public.py ----------------------------------------------------------

def mail_links() -> service.Links:
    return service.Links(
        staff_wish=lambda wish: url_for("wishes.detail", wish_id=wish.id, _external=True),
        workspace_wish=lambda wish: url_for("workspace.detail", wish_id=wish.id, _external=True),
        answer_link=lambda token: url_for("wishes_public.answer_link", token=token,
                                          _external=True))


def locale() -> str:
    return str(get_locale() or "nl")


def theme_choices() -> list[SelectChoice]:
    themes = db.session.scalars(sa.select(Theme).where(Theme.is_active.is_(True))
                                .order_by(Theme.position, Theme.id)).all()
    return [SelectChoice(str(t.id), t.name_for(locale())) for t in themes]


def themes_from(ids) -> list[Theme]:
    wanted = [i for i in map(database_id, ids or ()) if i]
    if not wanted:
        return []
    return db.session.scalars(sa.select(Theme).where(Theme.id.in_(wanted))
                              .order_by(Theme.position, Theme.id)).all()


@bp.app_context_processor
def _dashboard_helpers():
    """For the dashboard: a callable, so pages that do not show it run no query."""
    return {"wishes_needing_attention": lambda: db.session.scalars(
        service.attention_query(current_user).limit(20)).all()}


# Loading -----------------------------------------------------------------------------------------

def _load(wish_id: int) -> Wish:
    wish = service.get_visible_wish(current_user, wish_id)
    if wish is None:
        abort(404)  # also for wishes of another municipality
    return wish


def _meetings(municipalities: list[Municipality]) -> list[Meeting]:
    """Meetings of my municipalities from two weeks back to two weeks ahead."""
    now = utcnow()
    return db.session.scalars(
        sa.select(Meeting).join(Meeting.series)
        .where(Series.municipality_id.in_([m.id for m in municipalities] or [-1]),
               Series.status != SeriesStatus.CANCELLED,
               Meeting.status != MeetingStatus.CANCELLED,
               Meeting.starts_at.between(now - timedelta(days=14), now + timedelta(days=14)))
        .options(sa.orm.contains_eager(Meeting.series))
        .order_by(Meeting.starts_at)).all()


# Queue -------------------------------------------------------------------------------------------

@bp.route("/")
@require(*STAFF)
def index():
    which = request.args.get("filter", "open")
    statuses = QUEUE_FILTERS.get(which, QUEUE_FILTERS["open"])
    query = (service.visible_wishes(current_user).where(Wish.status.in_(statuses))
             .options(sa.orm.joinedload(Wish.organisation), sa.orm.joinedload(Wish.municipality),
                      sa.orm.selectinload(Wish.themes))
             .order_by(Wish.id.desc()))
    pagination = paginate(query)
    attention = db.session.scalars(service.attention_query(current_user).limit(50)).all()
    return render_template("wishes/index.html", pagination=pagination, which=which,
                           filters=QUEUE_FILTERS, attention=attention, today=deadlines.today(),
                           status_labels=workflow.STATUS_LABELS, is_overdue=deadlines.is_overdue,
                           locale=locale())


# Logging -----------------------------------------------------------------------------------------

def _meeting_label(meeting: Meeting) -> str:
    return _("%(series)s, meeting %(number)s, %(date)s", series=meeting.series.title,
             number=meeting.number, date=format_date(meeting.starts_at, "d MMMM"))


def _meeting_choices(form, meetings: list[Meeting]) -> None:
    form.meeting.choices = [SelectChoice("", _("Not in a meeting"))] + [
        SelectChoice(str(m.id), _meeting_label(m)) for m in meetings]


def _default_meeting(meetings: list[Meeting], asked: str) -> str:
    """The meeting asked for, else today's meeting, else none."""
    if any(str(m.id) == asked for m in meetings):
        return asked
    return next((str(m.id) for m in meetings
                 if to_user_timezone(m.starts_at).date() == deadlines.today()), "")


def _after_logging(wish: Wish):
    db.session.commit()
    if request.form.get("next") == "another":
        flash(_("The wish is saved. You can write down the next one."), "success")
        return redirect(url_for("wishes.new", meeting=wish.meeting_id or ""))
    flash(_("The wish is saved. Now send it to an organisation."), "success")
    return redirect(url_for("wishes.detail", wish_id=wish.id))


@bp.route("/nieuw", methods=["GET", "POST"])
@require(*STAFF)
def new():
    """Quick entry, also on a phone during a meeting: today's meeting is already chosen."""
    form = WishForm()
    municipalities = municipalities_of(current_user)
    meetings = _meetings(municipalities)
    _meeting_choices(form, meetings)
    form.municipality.choices = [SelectChoice(str(m.id), m.name) for m in municipalities]
    if len(municipalities) != 1:
        form.municipality.choices.insert(0, SelectChoice("", _("Choose…")))
    form.themes.choices = theme_choices()
    if request.method == "GET":
        form.meeting.data = _default_meeting(meetings, request.args.get("meeting", ""))
    if form.validate_on_submit():
        meeting = next((m for m in meetings if str(m.id) == form.meeting.data), None)
        municipality = next((m for m in municipalities if str(m.id) == form.municipality.data),
                            None)
        try:
            wish = service.log_wish(
                current_user, municipality=municipality, meeting=meeting,
                what=form.what.data, why=form.why.data or "", for_whom=form.for_whom.data or "",
                themes=themes_from(form.themes.data), supporters=form.supporters.data,
                publication_consent=form.publication_consent.data)
        except DomainError as error:
            show_error(form, error, "what")
        else:
            return _after_logging(wish)
    return render_template("wishes/new.html", form=form, story=None), \
        422 if form.errors else 200


@bp.route("/uit-verhaal/<int:story_id>", methods=["GET", "POST"])
@require(*STAFF)
def new_from_story(story_id: int):
    """Turn a story or anonymous concern into a wish; its teller follows it with the code."""
    from portal.stories.models import ConsentLevel
    from portal.stories.service import get_visible_story

    story = get_visible_story(current_user, story_id)
    if story is None or story.is_withdrawn:
        abort(404)
    form = StoryWishForm()
    form.themes.choices = theme_choices()
    meetings = _meetings([story.municipality])
    _meeting_choices(form, meetings)
    if request.method == "GET":
        from portal.stories.views import plain_text

        form.meeting.data = _default_meeting(meetings, str(story.meeting_id or ""))
        form.what.data = plain_text(story.wish_text)[:1000]
        form.themes.data = [str(t.id) for t in story.themes]
        form.publication_consent.data = story.consent is ConsentLevel.PUBLIC
    if form.validate_on_submit():
        try:
            wish = service.wish_from_story(
                current_user, story, what=form.what.data, why=form.why.data or "",
                meeting=next((m for m in meetings if str(m.id) == form.meeting.data), None),
                for_whom=form.for_whom.data or "", themes=themes_from(form.themes.data),
                supporters=form.supporters.data,
                publication_consent=form.publication_consent.data)
        except DomainError as error:
            show_error(form, error, "what")
        else:
            return _after_logging(wish)
    return render_template("wishes/new.html", form=form, story=story), \
        422 if form.errors else 200


# A wish's page and the staff steps ---------------------------------------------------------------

def _organisation_choices(wish: Wish) -> tuple[list[SelectChoice], Organisation | None]:
    organisations = db.session.scalars(sa.select(Organisation).where(
        Organisation.is_active.is_(True)).order_by(Organisation.name)).all()
    suggested = routing.suggest_organisation(wish)
    choices = [SelectChoice("", _("Choose…"))]
    for organisation in organisations:
        label = organisation.name
        if suggested is not None and organisation.id == suggested.id:
            label = _("%(name)s (suggested)", name=organisation.name)
        choices.append(SelectChoice(str(organisation.id), label))
    return choices, suggested


def action_forms(actions: list[str], posted: ActionForm | None = None) -> dict[str, ActionForm]:
    """One form per step, each with its own prefix, so ids stay unique on the page. The posted
    form (refused, or sent to check readability) is shown again with what was typed."""
    forms = {}
    for action in actions:
        if posted is not None and posted._prefix == f"{action}-":
            form = posted
        else:
            form = ActionForm(formdata=None, prefix=action)
        forms[action] = for_step(form, action, workflow.TRANSITIONS[action].note_required)
    return forms


def refusal(posted: ActionForm | None, forms: dict[str, ActionForm]) -> list[str]:
    """Messages of a step whose form is not on the page (not possible now, or forged)."""
    if posted is None or any(form is posted for form in forms.values()):
        return []
    return [message for field in posted for message in field.errors]


def readable_fields(forms: dict[str, ActionForm]) -> dict[str, tuple[str, ...]]:
    """Per step on the page, the fields residents read: these get readability advice."""
    return {action: workflow.PUBLIC_TEXTS.get(action, ()) for action in forms}


def step_advice(action: str, form: ActionForm) -> dict:
    """B1 advice for the texts of this step that residents read, by field id (none: {})."""
    return readability.advice_for_fields(
        *(form[name] for name in workflow.PUBLIC_TEXTS.get(action, ())))


def _detail(wish: Wish, failed: ActionForm | None = None, status: int = 200):
    actions = [a for a in workflow.allowed_actions(wish, current_user) if a in STAFF_STEPS]
    forms = action_forms(actions, failed)
    organisation_choices, suggested = _organisation_choices(wish)
    candidates = service.merge_candidates(wish)
    for form in forms.values():
        form.organisation.choices = organisation_choices
        form.target.choices = [SelectChoice("", _("Choose…"))] + [
            SelectChoice(str(c.id), f"{c.id}: {c.title}") for c in candidates]
    if "route" in forms and forms["route"] is not failed and suggested is not None:
        forms["route"].organisation.data = str(suggested.id)
    story = None
    if wish.story_id is not None:
        from portal.stories.service import get_visible_story

        story = get_visible_story(current_user, wish.story_id)
    return render_template(
        "wishes/detail.html", wish=wish, forms=forms, suggested=suggested,
        refusal=refusal(failed, forms),
        transitions=workflow.TRANSITIONS, lines=timeline.lines(wish.events),
        status_labels=workflow.STATUS_LABELS, channel_labels=workflow.CHANNEL_LABELS,
        is_overdue=deadlines.is_overdue(wish), story=story, locale=locale()), status


@bp.route("/<int:wish_id>")
@require(*STAFF)
def detail(wish_id: int):
    return _detail(_load(wish_id))


@bp.route("/<int:wish_id>/stap/<action>", methods=["POST"])
@require(*STAFF)
def act(wish_id: int, action: str):
    """Route, merge, close, the group's confirmation, reopen. Every other step, or one not
    allowed now, is refused by the workflow, also when the POST was made by hand."""
    wish = _load(wish_id)
    if action not in workflow.TRANSITIONS:
        abort(404)
    form = ActionForm(prefix=action)
    if form.validate_on_submit():
        try:
            if action == "route":
                organisation_id = database_id(form.organisation.data)
                organisation = db.session.get(Organisation, organisation_id) \
                    if organisation_id else None
                service.route_wish(wish, current_user, organisation, form.note.data or "",
                                   links=mail_links())
            elif action == "merge":
                target_id = database_id(form.target.data)
                target = service.get_visible_wish(current_user, target_id) if target_id else None
                service.merge_wishes(wish, target, current_user, form.note.data or "")
            elif action == "close":
                service.close_wish(wish, current_user, form.channel_value(),
                                   form.note.data or "")
            elif action == "reopen":
                confirmations.reopen_wish(wish, current_user, form.note.data or "",
                                          links=mail_links())
            elif action == "confirm":
                workflow.transition(wish, action, current_user, form.note.data or "",
                                    answer=form.answer_value())
            else:
                workflow.transition(wish, action, current_user, form.note.data or "")
        except NotAllowed as error:
            if error.field is None:
                abort(403)
            show_error(form, error, "note")
        except DomainError as error:
            show_error(form, error, "note")
        else:
            db.session.commit()
            flash(_("Done. The status is now: %(status)s.",
                    status=workflow.STATUS_LABELS[wish.status]), "success")
            return redirect(url_for("wishes.detail", wish_id=wish.id))
    db.session.rollback()
    return _detail(_load(wish_id), failed=form, status=422)
