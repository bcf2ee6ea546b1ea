"""Wish rules besides the state machine: logging, routing with notice, merging, answering,
answer links, what the teller and the public may see. Every status change goes through
workflow.transition(). Services flush, the caller commits; nothing here knows about requests:
links are built by callables the caller passes in.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.directory.models import Municipality, Organisation, Theme
from portal.errors import DomainError, InvalidTransition, NotAllowed
from portal.extensions import db
from portal.mail.service import enqueue_mail
from portal.models import utcnow
from portal.text import normalise_line
from portal.wishes import confirmations, deadlines, workflow
from portal.wishes.models import (AnswerChannel, AnswerTemplate, Resolution, Wish,
                                  WishAnswerLink, WishOrigin, WishStatus)

MAX_WHAT = 1_000
MAX_WHY = 5_000
MAX_SUPPORTERS = 999
ANSWER_LINK_DAYS = 14


@dataclass(frozen=True)
class Links:
    """How the caller builds absolute links for mail (the service knows no URL map)."""

    staff_wish: Callable[[Wish], str]
    workspace_wish: Callable[[Wish], str]
    answer_link: Callable[[str], str]


# Scoped access ---------------------------------------------------------------------------------

def visible_wishes(user: User) -> sa.Select:
    """Wishes this staff member may open. Organisation members: only wishes now sent to their
    organisation (a wish they handed back leaves their view); facilitators: their
    municipalities; coordinators: all."""
    query = sa.select(Wish)
    if user.role is Role.COORDINATOR:
        return query
    if user.role is Role.FACILITATOR:
        return query.where(Wish.municipality_id.in_(user.municipality_ids or {-1}))
    if user.role is Role.ORGANISATION_MEMBER and user.organisation_id is not None:
        return query.where(Wish.organisation_id == user.organisation_id,
                           Wish.status != WishStatus.MERGED)
    return query.where(sa.false())


def get_visible_wish(user: User, wish_id: int) -> Wish | None:
    return db.session.scalars(visible_wishes(user).where(Wish.id == wish_id)).first()


# Logging ---------------------------------------------------------------------------------------

def _text(value: str | None, *, field: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_l("Write what should change."), field=field)
    if len(text) > limit:
        raise DomainError(_l("This is too long. Use at most %(n)s characters.", n=limit),
                          field=field)
    return text


def log_wish(actor: User, *, municipality: Municipality | None, what: str, why: str = "",
             for_whom: str = "", themes: list[Theme] | tuple = (), supporters: int = 1,
             publication_consent: bool = False, meeting=None, story=None) -> Wish:
    """Write a wish down: during a meeting, from a story or concern, or directly."""
    if story is not None:
        municipality = story.municipality
        if meeting is not None and meeting.series.municipality_id != municipality.id:
            raise DomainError(_l("Choose a meeting of the story's municipality."),
                              field="meeting")
    elif meeting is not None:
        municipality = meeting.series.municipality
    if municipality is None:
        raise DomainError(_l("Choose the municipality."), field="municipality")
    if actor.role is Role.FACILITATOR and municipality.id not in actor.municipality_ids:
        raise NotAllowed(_l("You can only log wishes for your own municipalities."),
                         field="municipality")
    if actor.role not in (Role.FACILITATOR, Role.COORDINATOR):
        raise NotAllowed()
    if not isinstance(supporters, int) or not 1 <= supporters <= MAX_SUPPORTERS:
        raise DomainError(_l("Fill in a number from 1 to %(n)s.", n=MAX_SUPPORTERS),
                          field="supporters")
    if story is not None:
        from portal.stories.models import StoryKind

        origin = WishOrigin.CONCERN if story.kind is StoryKind.CONCERN else WishOrigin.STORY
    else:
        origin = WishOrigin.MEETING if meeting is not None else WishOrigin.DIRECT
    wish = Wish(
        municipality=municipality, origin=origin, story=story,
        meeting=meeting if meeting is not None else (story.meeting if story else None),
        what=_text(what, field="what", limit=MAX_WHAT, required=True),
        why=_text(why, field="why", limit=MAX_WHY),
        for_whom=normalise_line(for_whom)[:300], supporters=supporters,
        publication_consent=bool(publication_consent), status=WishStatus.NEW,
        themes=list(themes), created_by=actor)
    db.session.add(wish)
    workflow.record_logged(wish, actor)
    db.session.flush()
    return wish


def wish_from_story(actor: User, story, **fields) -> Wish:
    """A wish made from a story or an anonymous concern; the story stays linked, so its teller
    follows the wish with the receipt code."""
    if story.is_withdrawn:
        raise InvalidTransition(_l("This story was withdrawn."), field="what")
    fields.setdefault("themes", list(story.themes))
    return log_wish(actor, municipality=story.municipality, story=story, **fields)


# Routing and answer links ----------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_links(wish: Wish) -> None:
    now = utcnow()
    for link in db.session.scalars(sa.select(WishAnswerLink).where(
            WishAnswerLink.wish_id == wish.id, WishAnswerLink.revoked_at.is_(None))):
        link.revoked_at = now


def issue_answer_link(wish: Wish) -> str:
    """A fresh personal link for the wish's organisation; older links stop working."""
    _revoke_links(wish)
    token = secrets.token_urlsafe(32)
    db.session.add(WishAnswerLink(wish=wish, organisation=wish.organisation,
                                  token_hash=_token_hash(token),
                                  expires_at=utcnow() + timedelta(days=ANSWER_LINK_DAYS)))
    db.session.flush()
    return token


def find_answer_link(token: str | None) -> WishAnswerLink | None:
    """The link for a token, valid or not (the page says when it expired); None if unknown."""
    if not token or len(token) > 100:
        return None
    return db.session.scalars(sa.select(WishAnswerLink).where(
        WishAnswerLink.token_hash == _token_hash(token))).first()


def _active_members(organisation: Organisation) -> list[User]:
    return db.session.scalars(sa.select(User).where(
        User.organisation_id == organisation.id, User.is_active.is_(True),
        User.role == Role.ORGANISATION_MEMBER).order_by(User.id)).all()


def route_wish(wish: Wish, actor: User, organisation: Organisation | None, note: str = "", *,
               links: Links) -> None:
    """Send the wish to an organisation: its members get a notice; an organisation without
    accounts gets the wish by e-mail with a personal answer link."""
    if organisation is not None:
        check_reachable(organisation, field="organisation")
    workflow.transition(wish, "route", actor, note, organisation=organisation)
    notify_organisation(wish, note, links)
    db.session.flush()


def check_reachable(organisation: Organisation, field: str) -> None:
    if not _active_members(organisation) and not organisation.contact_email:
        raise DomainError(_l("This organisation has no accounts and no e-mail address. Choose "
                             "another one, or ask the coordinator to add an address."),
                          field=field)


def notify_organisation(wish: Wish, note: str, links: Links, *, reopened: bool = False) -> None:
    """The wish is (again) the organisation's: its members get a notice; an organisation
    without accounts gets the wish by e-mail with a fresh personal answer link."""
    organisation = wish.organisation
    _revoke_links(wish)
    members = _active_members(organisation)
    subject = (_("Residents say this has not changed: a wish for %(organisation)s",
                 organisation=organisation.name) if reopened
               else _("A wish for change for %(organisation)s", organisation=organisation.name))
    context = {"wish": wish, "organisation": organisation, "note": note, "reopened": reopened}
    if members:
        for member in members:
            enqueue_mail(member.email, subject, render_template(
                "wishes/mail/routed_member.txt", member=member,
                url=links.workspace_wish(wish), **context))
    else:
        token = issue_answer_link(wish)
        enqueue_mail(organisation.contact_email, subject, render_template(
            "wishes/mail/routed_link.txt", url=links.answer_link(token), days=ANSWER_LINK_DAYS,
            **context))
    db.session.flush()


# Organisation steps ----------------------------------------------------------------------------

def answer_wish(wish: Wish, action: str, actor, note: str = "", *, links: Links,
                outcome: str = "", changed_from: date | None = None) -> None:
    """An organisation's step: acknowledge, answer, mark changed, decline, or hand back.
    Any other step is refused by the workflow (only staff may route, merge or close)."""
    organisation = wish.organisation
    workflow.transition(wish, action, actor, note, outcome=outcome, changed_from=changed_from)
    if action == "hand_back":
        _revoke_links(wish)
        _tell_facilitators(wish, organisation, note, links)
    db.session.flush()


def _tell_facilitators(wish: Wish, organisation: Organisation | None, reason: str,
                       links: Links) -> None:
    facilitators = db.session.scalars(
        sa.select(User).where(User.role == Role.FACILITATOR, User.is_active.is_(True),
                              User.municipalities.any(id=wish.municipality_id))
        .order_by(User.id)).all()
    for facilitator in facilitators:
        enqueue_mail(facilitator.email, _("A wish was handed back"), render_template(
            "wishes/mail/handed_back.txt", wish=wish, organisation=organisation, reason=reason,
            facilitator=facilitator, url=links.staff_wish(wish)))


def merge_wishes(source: Wish, target: Wish, actor: User, note: str = "") -> None:
    """Merge a duplicate: both origins stay linked, the supporters add up, the duplicate leaves
    the queues and says where it went."""
    _revoke_links(source)
    workflow.transition(source, "merge", actor, note, target=target)


def close_wish(wish: Wish, actor: User, channel: AnswerChannel | None, note: str) -> None:
    """The answer went back to the people who raised the wish: say how, and what was said."""
    workflow.transition(wish, "close", actor, note, channel=channel)


# Reading ---------------------------------------------------------------------------------------

def attention_query(user: User) -> sa.Select:
    """Wishes a facilitator should look at: handed back, or overdue at the organisation."""
    return (visible_wishes(user)
            .where(sa.or_(Wish.status == WishStatus.RETURNED,
                          sa.and_(Wish.status == WishStatus.ROUTED,
                                  Wish.acknowledge_due_on < deadlines.today())))
            .options(sa.orm.joinedload(Wish.organisation))
            .order_by(Wish.acknowledge_due_on.asc().nulls_first(), Wish.id))


def merge_candidates(wish: Wish) -> list[Wish]:
    return db.session.scalars(sa.select(Wish).where(
        Wish.municipality_id == wish.municipality_id, Wish.id != wish.id,
        Wish.status.in_([WishStatus.NEW, WishStatus.ROUTED, WishStatus.IN_PROGRESS,
                         WishStatus.RETURNED, WishStatus.CHANGED]))
        .order_by(Wish.id.desc()).limit(200)).all()


def board_query(municipality: Municipality, *, theme_id: int | None = None,
                organisation_id: int | None = None) -> sa.Select:
    """The public "you said, we did" results: changed wishes (also once closed) whose tellers
    agreed to publication, newest change first."""
    from portal.stories.models import ConsentLevel, Story, StoryStatus

    query = (sa.select(Wish)
             .outerjoin(Story, Wish.story_id == Story.id)
             .where(Wish.municipality_id == municipality.id,
                    Wish.changed_clause(),
                    Wish.publication_consent.is_(True),
                    sa.or_(Wish.story_id.is_(None),
                           sa.and_(Story.consent == ConsentLevel.PUBLIC,
                                   Story.status != StoryStatus.WITHDRAWN)))
             .options(sa.orm.selectinload(Wish.themes), sa.orm.joinedload(Wish.organisation))
             .order_by(Wish.resolved_at.desc(), Wish.id.desc()))
    if theme_id is not None:
        query = query.where(Wish.themes.any(Theme.id == theme_id))
    if organisation_id is not None:
        query = query.where(Wish.organisation_id == organisation_id)
    return query


@dataclass(frozen=True)
class TellerView:
    """What the anonymous teller may see of a wish made from their story: no names of staff,
    nothing of other tellers."""

    id: int  # of the wish made from the story (a merged one is answered on its successor)
    title: str
    status: str
    organisation: str
    answer: str
    outcome: str
    changed_from: date | None
    can_confirm: bool = False  # changed, and the teller has not said yet whether it really did
    has_confirmed: bool = False

    @property
    def status_label(self) -> str:
        """Status and answer in one sentence (the receipt page shows `title: status_label`)."""
        parts = [self.status]
        if self.answer:
            parts.append(_("Answer of %(organisation)s: %(answer)s",
                           organisation=self.organisation, answer=self.answer))
        if self.outcome:
            parts.append(_("What changed: %(outcome)s", outcome=self.outcome))
        return " ".join(parts)


def _teller_status(wish: Wish) -> str:
    name = wish.organisation.name if wish.organisation else ""
    if wish.resolution is Resolution.CHANGED:
        return _("Changed.")
    if wish.resolution is Resolution.DECLINED:
        return _("%(organisation)s will not change this.", organisation=name) if name \
            else _("This will not change.")
    return {
        WishStatus.NEW: _("The facilitators will send it to an organisation."),
        WishStatus.ROUTED: _("Sent to %(organisation)s. They have not answered yet.",
                             organisation=name),
        WishStatus.IN_PROGRESS: _("%(organisation)s is working on it.", organisation=name),
        WishStatus.RETURNED: _("The facilitators are looking for the right organisation."),
    }.get(wish.status, _("The facilitators will send it to an organisation."))


def wishes_for_story(story) -> list[TellerView]:
    """The wishes made from this story, as the teller may see them with the receipt code.
    A merged wish shows the wish it was merged into."""
    wishes = db.session.scalars(sa.select(Wish).where(Wish.story_id == story.id)
                                .order_by(Wish.id)).all()
    views = []
    for wish in wishes:
        shown = _successor(wish)
        answered = confirmations.teller_has_answered(story, shown)
        views.append(TellerView(
            id=wish.id, title=wish.title, status=_teller_status(shown),
            organisation=shown.organisation.name if shown.organisation else "",
            answer=shown.public_answer, outcome=shown.outcome,
            changed_from=shown.changed_from,
            can_confirm=not story.is_withdrawn and not answered and "confirm" in
            workflow.allowed_actions(shown, confirmations.teller_of(story, shown)),
            has_confirmed=answered))
    return views


def _successor(wish: Wish) -> Wish:
    while wish.merged_into is not None:
        wish = wish.merged_into
    return wish


def wish_of_story(story, wish_id: int | None) -> Wish | None:
    """The wish (or what it was merged into) made from this story, for the teller to answer."""
    if wish_id is None:
        return None
    wish = db.session.scalars(sa.select(Wish).where(Wish.id == wish_id,
                                                    Wish.story_id == story.id)).first()
    return _successor(wish) if wish is not None else None


# Answer templates ------------------------------------------------------------------------------

def save_answer_template(actor: User, title: str, body: str) -> AnswerTemplate:
    if actor.organisation_id is None:
        raise NotAllowed()
    title = normalise_line(title)[:120]
    body = _text(body, field="body", limit=workflow.MAX_NOTE)
    if not title:
        raise DomainError(_l("Give the template a name."), field="title")
    if not body:
        raise DomainError(_l("Write the answer text."), field="body")
    template = AnswerTemplate(organisation_id=actor.organisation_id, title=title, body=body,
                              created_by_id=actor.id)
    db.session.add(template)
    db.session.flush()
    return template


def answer_templates(organisation_id: int) -> list[AnswerTemplate]:
    return db.session.scalars(sa.select(AnswerTemplate).where(
        AnswerTemplate.organisation_id == organisation_id).order_by(AnswerTemplate.title)).all()


def delete_answer_template(actor: User, template_id: int) -> bool:
    template = db.session.scalars(sa.select(AnswerTemplate).where(
        AnswerTemplate.id == template_id,
        AnswerTemplate.organisation_id == actor.organisation_id)).first()
    if template is None:
        return False
    db.session.delete(template)
    db.session.flush()
    return True
