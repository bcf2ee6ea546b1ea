"""Agenda templates and meeting agendas: seed, copy, edit, reorder. Flushes; callers commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.auth.models import Role, User
from portal.errors import DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.series.agenda_defaults import DEFAULT_TEMPLATES, LANGUAGES
from portal.series.models import (AgendaItem, AgendaTemplate, AgendaTemplateItem, Lead, Meeting)
from portal.text import normalise_line

MAX_ITEM_MINUTES = 240
MAX_ITEMS = 30


@dataclass(frozen=True)
class ItemInput:
    title: str
    minutes: int | None
    purpose: str = ""
    lead: Lead = Lead.BOTH
    materials: str = ""


class TimedItem(NamedTuple):
    """An agenda item with its clock times, computed from the meeting's start."""

    item: AgendaItem
    starts_at: datetime
    ends_at: datetime


def seed_default_templates() -> int:
    """Add the four default templates in every language that is missing. Idempotent."""
    existing = {tuple(row) for row in db.session.execute(
        sa.select(AgendaTemplate.key, AgendaTemplate.language)
        .where(AgendaTemplate.key.is_not(None)))}
    added = 0
    for default in DEFAULT_TEMPLATES:
        for language in LANGUAGES:
            if (default.key, language) in existing:
                continue
            template = AgendaTemplate(
                key=default.key, language=language, name=default.name[language],
                description=default.description[language],
                meeting_number=default.meeting_number)
            template.items = [
                AgendaTemplateItem(position=position, title=item.title[language],
                                   minutes=item.minutes, purpose=item.purpose[language],
                                   lead=item.lead, materials=item.materials[language])
                for position, item in enumerate(default.items)]
            db.session.add(template)
            added += 1
    db.session.flush()
    return added


def templates_query():
    """All templates, defaults first, with their items (a fixed number of queries)."""
    return (sa.select(AgendaTemplate).options(selectinload(AgendaTemplate.items))
            .order_by(AgendaTemplate.key.is_(None), AgendaTemplate.meeting_number,
                      AgendaTemplate.name, AgendaTemplate.id))


def get_template(template_id: int) -> AgendaTemplate:
    template = db.session.get(AgendaTemplate, template_id)
    if template is None:
        raise NotFound()
    return template


def can_edit_template(user: User, template: AgendaTemplate) -> bool:
    """The defaults stay as shipped (copy them); a copy belongs to its maker and coordinators."""
    if template.is_default:
        return False
    return user.role is Role.COORDINATOR or template.created_by_id == user.id


def require_editable(user: User, template: AgendaTemplate) -> None:
    if not can_edit_template(user, template):
        raise NotAllowed(_l("You cannot change this template. Make a copy first."))


def copy_template(actor: User, template: AgendaTemplate) -> AgendaTemplate:
    copy = AgendaTemplate(
        key=None, language=template.language,
        name=_l("Copy of %(name)s", name=template.name).__str__()[:160],
        description=template.description, meeting_number=template.meeting_number,
        created_by=actor)
    copy.items = [_clone(item, AgendaTemplateItem) for item in template.items]
    db.session.add(copy)
    db.session.flush()
    return copy


def update_template(actor: User, template: AgendaTemplate, name: str, description: str,
                    meeting_number: int | None) -> None:
    require_editable(actor, template)
    name = normalise_line(name)
    if not name:
        raise DomainError(_l("Give the template a name."), field="name")
    template.name = name[:160]
    template.description = description.strip()
    template.meeting_number = meeting_number if meeting_number in (1, 2, 3, 4) else None
    db.session.flush()


def copy_template_into(meeting: Meeting, template: AgendaTemplate | None) -> None:
    """A meeting gets its own copy of the template's items, to change freely."""
    meeting.template = template
    meeting.agenda_items = [_clone(item, AgendaItem) for item in (template.items if template
                                                                   else ())]


def _clone(item, cls):
    return cls(position=item.position, title=item.title, minutes=item.minutes,
               purpose=item.purpose, lead=item.lead, materials=item.materials)


# Items: the same rules for a template's items and a meeting's items.

def _owner_items(owner) -> list:
    return owner.items if isinstance(owner, AgendaTemplate) else owner.agenda_items


def _check(data: ItemInput) -> ItemInput:
    title = normalise_line(data.title)
    if not title:
        raise DomainError(_l("Give the item a title."), field="title")
    if data.minutes is None or not 1 <= data.minutes <= MAX_ITEM_MINUTES:
        raise DomainError(_l("Fill in a number of minutes from 1 to %(max)s.",
                             max=MAX_ITEM_MINUTES), field="minutes")
    return ItemInput(title=title[:160], minutes=data.minutes, purpose=data.purpose.strip(),
                     lead=data.lead, materials=data.materials.strip())


def add_item(owner, data: ItemInput):
    data = _check(data)
    items = _owner_items(owner)
    if len(items) >= MAX_ITEMS:
        raise DomainError(_l("An agenda can have at most %(max)s items.", max=MAX_ITEMS),
                          field="title")
    cls = AgendaTemplateItem if isinstance(owner, AgendaTemplate) else AgendaItem
    item = cls(position=(max((i.position for i in items), default=-1) + 1), **vars(data))
    items.append(item)
    db.session.flush()
    return item


def update_item(item, data: ItemInput) -> None:
    data = _check(data)
    for key, value in vars(data).items():
        setattr(item, key, value)
    db.session.flush()


def remove_item(owner, item) -> None:
    items = _owner_items(owner)
    items.remove(item)
    _renumber(items)
    db.session.flush()


def move_item(owner, item, direction: str) -> None:
    """Swap with the neighbour above ("up") or below ("down"); nothing at either end."""
    items = sorted(_owner_items(owner), key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    _owner_items(owner).sort(key=lambda i: i.position)
    db.session.flush()


def _renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position


def timed_items(meeting: Meeting) -> list[TimedItem]:
    """Clock times for each item, counted from the meeting's start."""
    result, moment = [], meeting.starts_at
    for item in meeting.agenda_items:
        end = moment + timedelta(minutes=item.minutes)
        result.append(TimedItem(item, moment, end))
        moment = end
    return result


def templates_for_language(language: str) -> list[AgendaTemplate]:
    """Templates to choose from when planning: this language first, then the others."""
    templates = list(db.session.scalars(templates_query()))
    return sorted(templates, key=lambda t: t.language != language)


def leads_by_kind(series) -> dict[Lead, str]:
    """Who 'social worker', 'experience expert' and 'both' are in this series, by name."""
    names = {kind: ", ".join(u.display_name for u in series.facilitators
                             if u.facilitator_kind and u.facilitator_kind.value == kind.value)
             for kind in (Lead.SOCIAL_WORKER, Lead.EXPERIENCE_EXPERT)}
    names[Lead.BOTH] = ", ".join(u.display_name for u in series.facilitators)
    return names


def materials_checklist(meeting: Meeting) -> list[str]:
    """Every material named in the agenda, once, in agenda order."""
    seen: dict[str, str] = {}
    for item in meeting.agenda_items:
        for part in item.materials.replace("\n", ",").split(","):
            part = part.strip()
            if part and part.casefold() not in seen:
                seen[part.casefold()] = part
    return list(seen.values())
