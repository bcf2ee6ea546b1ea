"""The "what works" exchange between municipalities: practices (a change that worked, a meeting
format, an agenda template, a lesson) that facilitators and coordinators publish, and "propose it
here", which turns a practice into a wish in one's own municipality, routed by the normal rules
and linked to the precedent.

A practice never carries personal data: a draft made from a changed wish takes only the
organisation's public answer, the outcome and the facts (municipality, organisation kind,
themes), never the story or who told it. Texts are plain; tags are removed on saving and
templates escape the rest. Services flush, the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.auth.permissions import is_facilitator_or_coordinator, works_in
from portal.directory.models import Municipality, Organisation, OrganisationKind, Theme
from portal.errors import DomainError, NotAllowed
from portal.extensions import db
from portal.learning import practice_agendas
from portal.learning.models import Practice, PracticeAdoption, PracticeKind
from portal.models import utcnow
from portal.text import has_control_characters, normalise_line, strip_tags
from portal.wishes import routing, service as wishes
from portal.wishes.models import Wish

MAX_TITLE = 200
MAX_TEXT = 5_000
KIND_LABELS = {
    PracticeKind.CHANGE: _l("A change that worked"),
    PracticeKind.MEETING_FORMAT: _l("A meeting format"),
    PracticeKind.AGENDA_TEMPLATE: _l("An agenda template"),
    PracticeKind.LESSON: _l("A lesson learned"),
}
ORGANISATION_KIND_LABELS = {
    OrganisationKind.HOUSING_CORPORATION.value: _l("Housing corporation"),
    OrganisationKind.MUNICIPALITY.value: _l("Municipality"),
    OrganisationKind.WELFARE.value: _l("Welfare organisation"),
    OrganisationKind.ENERGY_SUPPLIER.value: _l("Energy supplier"),
    OrganisationKind.SCHOOL.value: _l("School"),
    OrganisationKind.HEALTH_INSURER.value: _l("Health insurer"),
    OrganisationKind.OTHER.value: _l("Other organisation"),
}


# Reading ---------------------------------------------------------------------------------------

def published_query(*, theme_id: int | None = None, organisation_kind: str | None = None,
                    search: str = "") -> sa.Select:
    """Published practices, newest first, with their themes and municipality loaded."""
    query = (sa.select(Practice).where(Practice.is_published.is_(True))
             .options(sa.orm.selectinload(Practice.themes),
                      sa.orm.joinedload(Practice.municipality))
             .order_by(Practice.published_at.desc(), Practice.id.desc()))
    if theme_id is not None:
        query = query.where(Practice.themes.any(Theme.id == theme_id))
    if organisation_kind:
        query = query.where(Practice.organisation_kind == organisation_kind)
    search = normalise_line(search)[:100]
    if search:
        like = f"%{search.replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(Practice.title.ilike(like), Practice.summary.ilike(like),
                                   Practice.what_was_done.ilike(like)))
    return query


def get_published(practice_id: int) -> Practice | None:
    return db.session.scalars(sa.select(Practice).where(
        Practice.id == practice_id, Practice.is_published.is_(True))).first()


def editable_query(user: User) -> sa.Select:
    """Practices this staff member may edit: coordinators all, facilitators those of their
    municipalities."""
    query = sa.select(Practice).options(sa.orm.joinedload(Practice.municipality))
    if user.role is Role.COORDINATOR:
        return query
    if user.role is Role.FACILITATOR:
        return query.where(Practice.municipality_id.in_(user.municipality_ids or {-1}))
    return query.where(sa.false())


def get_editable(user: User, practice_id: int) -> Practice | None:
    return db.session.scalars(editable_query(user).where(Practice.id == practice_id)).first()


@dataclass(frozen=True)
class Uptake:
    """Where a practice was taken up (its own municipality first) and where it changed things."""

    municipalities: tuple[str, ...]
    changed_in: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.municipalities)


def uptake(practice: Practice) -> Uptake:
    names = [practice.municipality.name]
    changed = [practice.municipality.name] if practice.kind is PracticeKind.CHANGE else []
    adoptions = db.session.scalars(
        sa.select(PracticeAdoption).where(PracticeAdoption.practice_id == practice.id)
        .options(sa.orm.joinedload(PracticeAdoption.municipality),
                 sa.orm.joinedload(PracticeAdoption.wish))
        .order_by(PracticeAdoption.id)).all()
    for adoption in adoptions:
        name = adoption.municipality.name
        if name not in names:
            names.append(name)
        wish = adoption.wish
        if wish is not None and wish.is_changed and name not in changed:
            changed.append(name)
    return Uptake(tuple(names), tuple(changed))


# Writing ---------------------------------------------------------------------------------------

def _text(value: str | None, *, field: str, limit: int, required_message=None) -> str:
    text = strip_tags(value)
    if has_control_characters(text.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise DomainError(_l("Remove the invisible control characters."), field=field)
    if required_message is not None and not text:
        raise DomainError(required_message, field=field)
    if len(text) > limit:
        raise DomainError(_l("This is too long. Use at most %(n)s characters.", n=limit),
                          field=field)
    return text


@dataclass(frozen=True)
class PracticeInput:
    kind: str
    title: str
    summary: str = ""
    what_was_done: str = ""
    evidence: str = ""
    municipality_id: int | None = None
    organisation_kind: str = ""
    themes: tuple[Theme, ...] = ()
    agenda_template_id: int | None = None  # None keeps the shared agenda as it is


def _allowed_municipality(actor: User, municipality_id: int | None) -> Municipality:
    municipality = db.session.get(Municipality, municipality_id) \
        if isinstance(municipality_id, int) else None
    if municipality is None:
        raise DomainError(_l("Choose the municipality."), field="municipality_id")
    if not works_in(actor, municipality.id):
        raise NotAllowed(_l("Choose one of your own municipalities."), field="municipality_id")
    return municipality


def save_practice(actor: User, data: PracticeInput, practice: Practice | None = None) -> Practice:
    """Create a draft (practice None) or change one; a published practice stays published.
    A chosen agenda template is shared as a snapshot (see PracticeAgenda)."""
    if not is_facilitator_or_coordinator(actor) or (
            practice is not None and not works_in(actor, practice.municipality_id)):
        raise NotAllowed()
    try:
        kind = PracticeKind(data.kind)
    except ValueError:
        raise DomainError(_l("Choose what kind of practice this is."), field="kind") from None
    title = normalise_line(_text(data.title, field="title", limit=MAX_TITLE,
                                 required_message=_l("Give the practice a title.")))
    summary = _text(data.summary, field="summary", limit=MAX_TEXT,
                    required_message=_l("Write in short what worked."))
    what_was_done = _text(data.what_was_done, field="what_was_done", limit=MAX_TEXT)
    evidence = _text(data.evidence, field="evidence", limit=MAX_TEXT)
    organisation_kind = data.organisation_kind or None
    if organisation_kind is not None and organisation_kind not in ORGANISATION_KIND_LABELS:
        raise DomainError(_l("Choose a kind of organisation from the list."),
                          field="organisation_kind")
    municipality = _allowed_municipality(actor, data.municipality_id)
    template = practice_agendas.chosen_template(actor, data.agenda_template_id, kind)
    if practice is None:
        practice = Practice(created_by=actor, is_published=False)
        db.session.add(practice)
    practice.kind, practice.title, practice.summary = kind, title, summary
    practice.what_was_done, practice.evidence = what_was_done, evidence
    practice.organisation_kind, practice.municipality = organisation_kind, municipality
    practice.themes = list(data.themes)
    db.session.flush()
    if template is not None:
        practice_agendas.take_snapshot(practice, template)
    return practice


def _residents_said(wish: Wish) -> str:
    """The residents' confirmation as evidence: counts only, never their notes."""
    from portal.wishes.workflow import confirmation_counts, verdict_label

    if not wish.confirmation:
        return ""
    return _("%(verdict)s: %(counts)s.", verdict=verdict_label(wish),
             counts=confirmation_counts(wish))


def _evaluation_figures(wish: Wish) -> str:
    """How the series it came from scored on the method's values (only from enough answers)."""
    from portal.learning.results import series_results

    if wish.meeting is None:
        return ""
    results = series_results(wish.meeting.series)
    if not results.combined:
        return ""
    scores = "; ".join(_("%(statement)s: %(average)s of 5", statement=str(r.text).rstrip("."),
                         average=format_decimal(r.average, "0.0")) for r in results.combined)
    return _("Evaluation of the series (%(count)s answers): %(scores)s.",
             count=results.combined_total, scores=scores)


def draft_from_wish(actor: User, wish: Wish) -> Practice:
    """A draft practice from a changed wish: the organisation's answer, the outcome and the
    facts as evidence. Nothing of the story, nobody's name."""
    if not is_facilitator_or_coordinator(actor) or not wishes.get_visible_wish(actor, wish.id):
        raise NotAllowed()
    if not wish.is_changed:
        raise DomainError(_l("Only a wish that changed something can become a practice."))
    organisation = wish.organisation
    what_was_done = wish.outcome
    if wish.changed_from is not None:
        what_was_done = _("%(outcome)s (from %(date)s)", outcome=wish.outcome,
                          date=format_date(wish.changed_from, "d MMMM y"))
    facts = [_("Municipality: %(name)s.", name=wish.municipality.name)]
    if organisation is not None:
        facts.append(_("Organisation: %(kind)s.",
                       kind=ORGANISATION_KIND_LABELS[organisation.kind.value]))
    if wish.themes:
        facts.append(_("Themes: %(themes)s.",
                       themes=", ".join(t.name_for("nl") for t in wish.themes)))
    evidence = "\n\n".join(filter(None, [
        _("The answer of the organisation: %(answer)s", answer=wish.public_answer)
        if wish.public_answer else "", _residents_said(wish), _evaluation_figures(wish),
        " ".join(facts)]))
    practice = Practice(
        kind=PracticeKind.CHANGE, title=wish.title[:MAX_TITLE],
        summary=wish.outcome[:MAX_TEXT] or wish.title, what_was_done=what_was_done[:MAX_TEXT],
        evidence=evidence[:MAX_TEXT], municipality=wish.municipality,
        organisation_kind=organisation.kind.value if organisation is not None else None,
        themes=list(wish.themes), origin_wish_id=wish.id, is_published=False,
        created_by=actor)
    db.session.add(practice)
    db.session.flush()
    return practice


def publish(actor: User, practice: Practice) -> None:
    if not works_in(actor, practice.municipality_id):
        raise NotAllowed()
    if not practice.is_published:
        practice.is_published, practice.published_at = True, utcnow()
    db.session.flush()


def unpublish(actor: User, practice: Practice) -> None:
    if not works_in(actor, practice.municipality_id):
        raise NotAllowed()
    practice.is_published = False
    db.session.flush()


# Propose it here -------------------------------------------------------------------------------

def local_organisation(practice: Practice, municipality: Municipality) -> Organisation | None:
    """Where the proposed wish goes: the routing rules first (when they pick an organisation of
    the practice's kind), else the active organisation of that kind serving the municipality."""
    suggested = routing.suggest_for([t.id for t in practice.themes], municipality.id)
    if suggested is not None and (practice.organisation_kind is None
                                  or suggested.kind.value == practice.organisation_kind):
        return suggested
    if practice.organisation_kind is None:
        return None
    return db.session.scalars(
        sa.select(Organisation).where(
            Organisation.kind == OrganisationKind(practice.organisation_kind),
            Organisation.is_active.is_(True),
            Organisation.serving(municipality.id))
        .order_by(Organisation.name, Organisation.id)).first()


@dataclass(frozen=True)
class Proposal:
    wish: Wish
    organisation: Organisation | None  # None: the wish waits for a facilitator to route it


def propose_here(actor: User, practice: Practice, municipality: Municipality | None, *,
                 links: wishes.Links) -> Proposal:
    """Log a wish in the facilitator's own municipality, linked to the precedent, and route it
    to the local organisation of the same kind when there is one."""
    if actor.role is not Role.FACILITATOR:
        raise NotAllowed()
    if not practice.is_published:
        raise DomainError(_l("This practice is not published."))
    if municipality is None or municipality.id not in actor.municipality_ids:
        raise DomainError(_l("Choose one of your own municipalities."), field="municipality")
    if municipality.id == practice.municipality_id:
        raise DomainError(_l("This already worked in your municipality."), field="municipality")
    why = _("This already worked in %(municipality)s: %(summary)s",
            municipality=practice.municipality.name, summary=practice.summary)
    wish = wishes.log_wish(actor, municipality=municipality, what=practice.title[:wishes.MAX_WHAT],
                           why=why[:wishes.MAX_WHY], themes=list(practice.themes))
    wish.precedent_practice = practice
    db.session.add(PracticeAdoption(practice=practice, municipality=municipality, wish=wish))
    db.session.flush()
    organisation = local_organisation(practice, municipality)
    if organisation is not None:
        try:
            with db.session.begin_nested():
                wishes.route_wish(wish, actor, organisation, links=links)
        except DomainError:
            organisation = None  # no accounts and no address: a facilitator routes it by hand
    return Proposal(wish, organisation)
