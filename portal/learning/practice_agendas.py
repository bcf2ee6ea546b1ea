"""Shared agenda templates in the "what works" exchange: an agenda-template practice carries a
snapshot of a library template, and staff copy it into their own library in one step.

The library is one shared shelf: every facilitator and coordinator sees every template
(`series.agenda.templates_query`, no municipality), and a template that is not a default belongs
to its maker (`can_edit_template`). A facilitator shares the shipped templates and their own (a
colleague's template, notes and all, does not go public without them); a coordinator any. A copy
goes into the actor's own part of the shelf; there is no municipality to choose. Services flush,
the caller commits.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.auth.permissions import is_facilitator_or_coordinator
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.learning.models import (Practice, PracticeAgenda, PracticeAgendaCopy,
                                    PracticeAgendaItem, PracticeKind)
from portal.models import utcnow
from portal.series import agenda
from portal.series.models import AgendaTemplate, AgendaTemplateItem
from portal.text import strip_tags

NAME_LIMIT = 160  # AgendaTemplate.name
_ITEM_FIELDS = ("title", "minutes", "purpose", "lead", "materials")


def _values(item) -> tuple:
    return tuple(getattr(item, name) for name in _ITEM_FIELDS)


# Sharing ---------------------------------------------------------------------------------------

def _shareable_query(actor: User):
    """The shipped templates and the actor's own; coordinators may share any. A facilitator
    does not put a colleague's template (with its notes) on a public page."""
    query = agenda.templates_query()
    if actor.role is not Role.COORDINATOR:
        query = query.where(sa.or_(AgendaTemplate.key.is_not(None),
                                   AgendaTemplate.created_by_id == actor.id))
    return query


def shareable_templates(actor: User) -> list[AgendaTemplate]:
    """The templates this staff member may share."""
    if not is_facilitator_or_coordinator(actor):
        return []
    return list(db.session.scalars(_shareable_query(actor)))


def chosen_template(actor: User, template_id: int | None, kind: PracticeKind) -> \
        AgendaTemplate | None:
    """The template to share, checked against the library; None keeps the agenda as it is."""
    if template_id is None:
        return None
    template = db.session.scalars(_shareable_query(actor).where(
        AgendaTemplate.id == template_id)).first() if is_facilitator_or_coordinator(actor) else None
    if template is None:
        raise DomainError(_l("Choose an agenda template from the list."),
                          field="agenda_template_id")
    if kind is not PracticeKind.AGENDA_TEMPLATE:
        raise DomainError(_l("Only a practice of the kind 'An agenda template' shares an "
                             "agenda. Choose that kind, or no template."),
                          field="agenda_template_id")
    if not template.items:
        raise DomainError(_l("This template has no items yet. Choose another one."),
                          field="agenda_template_id")
    return template


def take_snapshot(practice: Practice, template: AgendaTemplate) -> PracticeAgenda:
    """Copy the template's name and items into the practice, so that later changes to the
    template (or its removal) leave what was shared as it was."""
    shared = practice.agenda or PracticeAgenda()
    shared.source_template_id = template.id
    shared.name = (strip_tags(template.name) or _("Agenda"))[:NAME_LIMIT]
    shared.description = strip_tags(template.description)
    shared.language, shared.meeting_number = template.language, template.meeting_number
    shared.taken_at = utcnow()
    shared.items = [
        PracticeAgendaItem(position=position, title=(strip_tags(item.title) or "–")[:160],
                           minutes=item.minutes, purpose=strip_tags(item.purpose), lead=item.lead,
                           materials=strip_tags(item.materials))
        for position, item in enumerate(template.items)]
    practice.agenda = shared
    db.session.flush()
    return shared


# Copying into one's library --------------------------------------------------------------------

def copy_count(practice: Practice) -> int:
    """How often the shared agenda was copied into a library (a count, never who)."""
    return db.session.scalar(sa.select(sa.func.count(PracticeAgendaCopy.id)).where(
        PracticeAgendaCopy.practice_id == practice.id)) or 0


def _copies_by(actor: User, practice: Practice) -> list[AgendaTemplate]:
    return list(db.session.scalars(
        sa.select(AgendaTemplate).join(PracticeAgendaCopy,
                                       PracticeAgendaCopy.template_id == AgendaTemplate.id)
        .where(PracticeAgendaCopy.practice_id == practice.id,
               AgendaTemplate.created_by_id == actor.id)
        .options(sa.orm.selectinload(AgendaTemplate.items))
        .order_by(AgendaTemplate.id)))


def unchanged_copy(actor: User, practice: Practice) -> AgendaTemplate | None:
    """The actor's earlier copy of this shared agenda whose items are still the same."""
    shared = practice.shared_agenda
    if shared is None or not is_facilitator_or_coordinator(actor):
        return None
    wanted = [_values(item) for item in shared.items]
    return next((template for template in _copies_by(actor, practice)
                 if [_values(item) for item in template.items] == wanted), None)


def _copy_name(name: str, municipality: str, number: int) -> str:
    """"<name> (from <municipality>)"; from the second copy on (the first was changed) with its
    number, so two copies are never confused. The name is shortened, never the origin."""
    def named(text: str) -> str:
        if number == 1:
            return _("%(name)s (from %(municipality)s)", name=text, municipality=municipality)
        return _("%(name)s (from %(municipality)s, copy %(number)s)", name=text,
                 municipality=municipality, number=number)

    room = max(NAME_LIMIT - len(named("")), 20)
    return named(name[:room])[:NAME_LIMIT]


def copy_to_library(actor: User, practice: Practice) -> tuple[AgendaTemplate, bool]:
    """A template of the actor's own with every item of the practice's shared agenda, named
    after where it comes from. Returns (template, True), or (their unchanged earlier copy,
    False) so that a second click adds nothing."""
    if not is_facilitator_or_coordinator(actor):
        raise NotAllowed()
    shared = practice.shared_agenda
    if not practice.is_published or shared is None:
        raise DomainError(_l("This practice has no agenda to copy."))
    earlier = unchanged_copy(actor, practice)
    if earlier is not None:
        return earlier, False
    template = AgendaTemplate(
        key=None, language=shared.language,
        name=_copy_name(shared.name, practice.municipality.name,
                        len(_copies_by(actor, practice)) + 1),
        description=shared.description, meeting_number=shared.meeting_number, created_by=actor)
    template.items = [AgendaTemplateItem(position=position, **dict(zip(_ITEM_FIELDS,
                                                                        _values(item))))
                      for position, item in enumerate(shared.items)]
    db.session.add(template)
    db.session.add(PracticeAgendaCopy(practice=practice, template=template))
    db.session.flush()
    return template, True
