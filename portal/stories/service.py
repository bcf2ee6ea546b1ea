"""Story rules: anonymous submission, capture, the receipt channel, moderation, withdrawal.

Services flush, the caller commits. Nothing here knows about requests: no IP address, user agent
or account of a sender can reach these functions, because none is passed in.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.directory.models import Municipality, Theme
from portal.errors import DomainError, InvalidTransition, NotAllowed
from portal.extensions import db
from portal.mail.service import enqueue_mail
from portal.series.models import Meeting, Series
from portal.stories import receipts
from portal.stories.models import (ConsentLevel, MessageAuthor, Story, StoryKind, StoryMessage,
                                   StoryNotificationAddress, StoryOrigin, StoryRevision,
                                   StoryStatus)
from portal.text import clean_html, normalise_line

MAX_BODY = 20_000
MAX_MESSAGE = 5_000

# Which moderation status each consent level allows. The one place this rule lives.
STATUSES_ALLOWED_BY_CONSENT = {
    ConsentLevel.FACILITATORS: {StoryStatus.NEW, StoryStatus.REVIEWED},
    ConsentLevel.GROUP: {StoryStatus.NEW, StoryStatus.REVIEWED, StoryStatus.SHARED},
    ConsentLevel.PUBLIC: {StoryStatus.NEW, StoryStatus.REVIEWED, StoryStatus.SHARED,
                          StoryStatus.PUBLISHED},
}
# Facilitators capture what is told in a meeting; concerns come in through the anonymous form.
CAPTURE_KINDS = (StoryKind.STORY, StoryKind.STRUGGLE, StoryKind.EYE_OPENER)


def today() -> date:
    """The date in the Netherlands: all that is kept of when something was sent."""
    return datetime.now(ZoneInfo(current_app.config["TIME_ZONE"])).date()


def _rich_text(value: str | None, *, field: str, required: bool, limit: int) -> str:
    cleaned = clean_html(value or "").strip()
    if required and not normalise_line(_visible_text(cleaned)):
        raise DomainError(_l("Write something first."), field=field)
    if len(cleaned) > limit:
        raise DomainError(_l("This is too long. Use at most %(n)s characters.", n=limit),
                          field=field)
    return cleaned


def _visible_text(html: str) -> str:
    import bleach

    return bleach.clean(html, tags=set(), strip=True)


def _title(value: str | None) -> str:
    # Plain text, kept as typed; templates, mail and export escape it on output.
    return normalise_line(value)[:200]


# Scoped access ---------------------------------------------------------------------------------

def visible_stories(user: User) -> sa.Select:
    """Stories this staff member may open: facilitators their municipalities, coordinators all."""
    query = sa.select(Story)
    if user.role is Role.COORDINATOR:
        return query
    if user.role is Role.FACILITATOR:
        return query.where(Story.municipality_id.in_(user.municipality_ids or {-1}))
    return query.where(sa.false())


def get_visible_story(user: User, story_id: int) -> Story | None:
    return db.session.scalars(visible_stories(user).where(Story.id == story_id)).first()


# Submission ------------------------------------------------------------------------------------

def _where(municipality: Municipality | None, series: Series | None) -> Municipality:
    """A story belongs to a municipality: the series' one when a series is given."""
    if series is not None:
        return series.municipality
    if municipality is None:
        raise DomainError(_l("Choose your municipality or your series of meetings."),
                          field="municipality")
    return municipality


def submit_anonymous(*, kind: StoryKind, consent: ConsentLevel, body: str,
                     municipality: Municipality | None = None, series: Series | None = None,
                     title: str = "", wish_text: str = "", themes: list[Theme] | tuple = (),
                     notify_email: str = "") -> tuple[Story, str]:
    """Store an anonymous story; returns it with its receipt code (the only time it exists)."""
    municipality = _where(municipality, series)
    code = receipts.generate_code()
    normalised = receipts.normalise_code(code)
    story = Story(
        municipality=municipality, series=series, origin=StoryOrigin.ANONYMOUS, kind=kind,
        consent=consent, status=StoryStatus.NEW, title=_title(title),
        body=_rich_text(body, field="body", required=True, limit=MAX_BODY),
        wish_text=_rich_text(wish_text, field="wish_text", required=False, limit=MAX_BODY),
        submitted_on=today(),
        receipt_lookup=receipts.lookup_key(normalised, current_app.config["SECRET_KEY"]),
        receipt_hash=receipts.hash_code(normalised),
        themes=list(themes),
    )
    db.session.add(story)
    if notify_email.strip():
        story.notification_address = StoryNotificationAddress(email=notify_email.strip())
    db.session.flush()
    return story, code


def capture(*, actor: User, kind: StoryKind, consent: ConsentLevel, body: str,
            meeting: Meeting | None = None, municipality: Municipality | None = None,
            title: str = "", themes: list[Theme] | tuple = ()) -> Story:
    """A facilitator writes down what someone told in a meeting, with that person's consent."""
    series = meeting.series if meeting is not None else None
    municipality = _where(municipality, series)
    if actor.role is Role.FACILITATOR and municipality.id not in actor.municipality_ids:
        raise NotAllowed(field="municipality")
    if kind not in CAPTURE_KINDS:
        raise DomainError(_l("Choose story, struggle or eye-opener."), field="kind")
    story = Story(
        municipality=municipality, series=series, meeting=meeting, origin=StoryOrigin.CAPTURED,
        kind=kind, consent=consent, status=StoryStatus.REVIEWED, title=_title(title),
        body=_rich_text(body, field="body", required=True, limit=MAX_BODY),
        submitted_on=today(), captured_by=actor, themes=list(themes),
    )
    db.session.add(story)
    db.session.flush()
    return story


# The receipt channel ---------------------------------------------------------------------------

def find_by_code(typed: str | None) -> Story | None:
    """The story for a receipt code, or None. Wrong format, unknown code and wrong hash are
    indistinguishable to the caller, and take about the same time."""
    code = receipts.normalise_code(typed)
    if code is None:
        receipts.burn_time()
        return None
    key = receipts.lookup_key(code, current_app.config["SECRET_KEY"])
    story = db.session.scalars(sa.select(Story).where(Story.receipt_lookup == key)).first()
    if story is None:
        receipts.burn_time()
        return None
    return story if receipts.verify_code(code, story.receipt_hash) else None


def _sender_message(story: Story, body: str) -> StoryMessage:
    if story.is_withdrawn:
        raise InvalidTransition(_l("You withdrew this story. You cannot send anything about it "
                                   "any more."), field="body")
    message = StoryMessage(author=MessageAuthor.SENDER, sent_on=today(),
                           body=_rich_text(body, field="body", required=True, limit=MAX_MESSAGE))
    story.messages.append(message)
    story.has_unread_from_sender = True
    db.session.flush()
    return message


def answer(story: Story, body: str) -> StoryMessage:
    """The sender answers the facilitators' reply."""
    return _sender_message(story, body)


def add_information(story: Story, body: str) -> StoryMessage:
    """The sender adds something to the story (before or after any reply)."""
    return _sender_message(story, body)


def withdraw(story: Story) -> None:
    """Honour a withdrawal: off the public page and out of the group, the text erased."""
    if story.is_withdrawn:
        return
    story.status = StoryStatus.WITHDRAWN
    story.title, story.body, story.wish_text = "", "", ""
    story.published_on = None
    story.revisions.clear()
    story.themes.clear()
    story.notification_address = None
    db.session.flush()


def set_notification_address(story: Story, email: str) -> None:
    email = email.strip()
    if not email:
        raise DomainError(_l("Fill in your e-mail address."), field="email")
    if story.notification_address is None:
        story.notification_address = StoryNotificationAddress(email=email)
    else:
        story.notification_address.email = email
    db.session.flush()


def delete_notification_address(story: Story) -> None:
    story.notification_address = None
    db.session.flush()


def wishes_for(story: Story) -> list:
    """The wishes made from this story, as the sender may see them on the receipt page."""
    from portal.wishes.service import wishes_for_story  # wishes build on stories, not the reverse

    return wishes_for_story(story)


# Moderation ------------------------------------------------------------------------------------

def mark_read(story: Story) -> None:
    if story.has_unread_from_sender:
        story.has_unread_from_sender = False
        db.session.flush()


def reply(story: Story, actor: User, body: str, *, receipt_url: str) -> StoryMessage:
    """A facilitator answers through the receipt channel; the sender gets a notice by e-mail
    only if they left an address, and the notice holds no reply text."""
    if story.is_withdrawn:
        raise InvalidTransition(_l("This story was withdrawn."), field="body")
    if not story.is_anonymous:
        raise InvalidTransition(_l("Only anonymous stories have a reply channel."), field="body")
    message = StoryMessage(author=MessageAuthor.FACILITATOR, author_user=actor, sent_on=today(),
                           body=_rich_text(body, field="body", required=True, limit=MAX_MESSAGE))
    story.messages.append(message)
    if story.notification_address is not None:
        context = {"story": story, "receipt_url": receipt_url}
        enqueue_mail(
            story.notification_address.email,
            _("There is a reply to your story"),
            render_template("stories/mail/reply_notice.txt", **context),
            html_body=render_template("stories/mail/reply_notice.html", **context),
        )
    db.session.flush()
    return message


def edit(story: Story, actor: User, *, title: str, body: str, wish_text: str,
         note: str = "") -> None:
    """Remove identifying details. The text before the edit is kept for facilitators only."""
    if story.is_withdrawn:
        raise InvalidTransition(_l("This story was withdrawn."), field="body")
    new_title = _title(title)
    new_body = _rich_text(body, field="body", required=True, limit=MAX_BODY)
    new_wish = _rich_text(wish_text, field="wish_text", required=False, limit=MAX_BODY)
    if (new_title, new_body, new_wish) == (story.title, story.body, story.wish_text):
        return
    story.revisions.append(StoryRevision(title=story.title, body=story.body,
                                         wish_text=story.wish_text, edited_by=actor,
                                         note=normalise_line(note)[:500]))
    story.title, story.body, story.wish_text = new_title, new_body, new_wish
    db.session.flush()


def tag_themes(story: Story, actor: User, themes: list[Theme]) -> None:
    if story.is_withdrawn:
        raise InvalidTransition(_l("This story was withdrawn."), field="themes")
    story.themes = list(themes)
    db.session.flush()


def allowed_statuses(story: Story) -> list[StoryStatus]:
    """The moderation statuses a facilitator may choose for this story now."""
    if story.is_withdrawn:
        return []
    allowed = STATUSES_ALLOWED_BY_CONSENT[story.consent] - {StoryStatus.NEW}
    return [s for s in StoryStatus if s in allowed]


def moderate(story: Story, actor: User, status: StoryStatus) -> None:
    """Mark as reviewed, shared within the group or published — only as far as consent allows."""
    if story.is_withdrawn:
        raise InvalidTransition(_l("This story was withdrawn."), field="status")
    if status not in STATUSES_ALLOWED_BY_CONSENT[story.consent] or status is StoryStatus.NEW:
        if status is StoryStatus.PUBLISHED:
            raise NotAllowed(_l("The teller did not give permission to publish this story."),
                             field="status")
        if status is StoryStatus.SHARED:
            raise NotAllowed(_l("The teller wants only facilitators to read this story."),
                             field="status")
        raise InvalidTransition(field="status")
    story.status = status
    story.published_on = today() if status is StoryStatus.PUBLISHED else None
    db.session.flush()


# Reading ---------------------------------------------------------------------------------------

def published_stories(municipality: Municipality, *, series: Series | None = None,
                      page: int = 1, per_page: int = 20):
    """Published stories of a municipality (or one of its series), newest first; themes come in
    one extra query, so the page costs the same for 1 or 20 stories."""
    query = (sa.select(Story)
             .where(Story.municipality_id == municipality.id,
                    Story.status == StoryStatus.PUBLISHED,
                    Story.consent == ConsentLevel.PUBLIC)
             .options(sa.orm.selectinload(Story.themes))
             .order_by(Story.published_on.desc(), Story.id.desc()))
    if series is not None:
        query = query.where(Story.series_id == series.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
