"""The rules for what coordinators manage. No HTTP here: views pass plain values and the actor."""
from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.auth import service as accounts
from portal.auth.models import FacilitatorKind, Role, User
from portal.directory.models import (Municipality, Organisation, OrganisationKind, TargetUnit,
                                     Theme, ThemeGroup, Venue)
from portal.errors import DomainError
from portal.extensions import db
from portal.text import normalise_line

PER_PAGE = 25
SLUG_MAX = 80
KEY_MAX = 60
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
_APOSTROPHES = "'’‘`´"


# Reading ------------------------------------------------------------------------------------

def counts() -> dict[str, int]:
    """How many of each there are, for the overview, in one query."""
    def count(model):
        return sa.select(sa.func.count()).select_from(model).scalar_subquery()

    row = db.session.execute(sa.select(
        count(Municipality), count(Venue), count(Organisation), count(Theme), count(User))).one()
    return dict(zip(("municipalities", "venues", "organisations", "themes", "users"), row))


def municipalities_query():
    return sa.select(Municipality).order_by(Municipality.is_active.desc(), Municipality.name)


def venues_query():
    return (sa.select(Venue).options(selectinload(Venue.municipality))
            .order_by(Venue.is_active.desc(), Venue.name, Venue.id))


def organisations_query():
    return (sa.select(Organisation).options(selectinload(Organisation.municipalities))
            .order_by(Organisation.is_active.desc(), Organisation.name))


def themes_query():
    return sa.select(Theme).order_by(Theme.is_active.desc(), Theme.group, Theme.position,
                                     Theme.name_nl)


def users_query(role: Role | None = None):
    query = (sa.select(User)
             .options(selectinload(User.organisation), selectinload(User.municipalities))
             .order_by(User.is_active.desc(), User.display_name, User.id))
    return query.where(User.role == role) if role else query


# Names, slugs, keys, postcodes ---------------------------------------------------------------

def slugify(value: str, separator: str = "-", max_length: int = SLUG_MAX) -> str:
    """'Súdwest-Fryslân' → 'sudwest-fryslan', "'s-Hertogenbosch" → 's-hertogenbosch'."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch for ch in text if ch not in _APOSTROPHES)
    text = re.sub(r"[^A-Za-z0-9]+", separator, text).strip(separator).lower()
    return text[:max_length].rstrip(separator)


def _taken(column, value, exclude_id=None, *, case_insensitive=False) -> bool:
    model = column.class_
    condition = sa.func.lower(column) == value.lower() if case_insensitive else column == value
    query = sa.select(model.id).where(condition)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _unique(column, base: str, max_length: int, separator: str, exclude_id=None) -> str:
    """base, or base-2, base-3, ... whichever is still free."""
    candidate, n = base, 2
    while _taken(column, candidate, exclude_id):
        suffix = f"{separator}{n}"
        candidate = base[:max_length - len(suffix)].rstrip(separator) + suffix
        n += 1
    return candidate


def normalise_postcode(value: str) -> str:
    """'1234ab' → '1234 AB'; empty stays empty; anything else is refused."""
    value = normalise_line(value).upper()
    if not value:
        return ""
    match = _POSTCODE.match(value)
    # Dutch postcodes never start with 0 and never use the letters SA, SD or SS.
    if not match or match.group(2) in {"SA", "SD", "SS"}:
        raise DomainError(_l("Fill in a Dutch postcode: 4 digits and 2 letters, like 1234 AB."),
                          field="postcode")
    return f"{match.group(1)} {match.group(2)}"


def _load(model, item_id: int | None, field: str, message, keep=()):
    """An active row by id; an inactive one only when it is already linked (in `keep`)."""
    item = db.session.get(model, item_id) if item_id is not None else None
    if item is None or (not item.is_active and item not in keep):
        raise DomainError(message, field=field)
    return item


def _load_many(model, ids, field: str, keep=()):
    wanted = set(ids or ())
    if not wanted:
        return []
    items = db.session.scalars(sa.select(model).where(model.id.in_(wanted))).all()
    if len(items) != len(wanted) or any(not i.is_active and i not in keep for i in items):
        raise DomainError(_l("Choose one of the options in the list."), field=field)
    return sorted(items, key=lambda i: i.name)


# Municipalities, venues, organisations, themes -----------------------------------------------

def save_municipality(municipality: Municipality | None, *, name: str,
                      slug: str = "") -> Municipality:
    """Create (municipality=None) or update. An empty slug is made from the name."""
    name = normalise_line(name)
    current_id = municipality.id if municipality else None
    if _taken(Municipality.name, name, current_id, case_insensitive=True):
        raise DomainError(_l("There already is a municipality with this name."), field="name")
    slug = (slug or "").strip()
    if slug:
        if slugify(slug) != slug:
            raise DomainError(_l("Use only small letters without accents, digits and dashes."),
                              field="slug")
        if _taken(Municipality.slug, slug, current_id):
            raise DomainError(_l("Another municipality already uses this short name."),
                              field="slug")
    else:
        slug = _unique(Municipality.slug, slugify(name) or "gemeente", SLUG_MAX, "-", current_id)
    if municipality is None:
        municipality = Municipality()
        db.session.add(municipality)
    municipality.name, municipality.slug = name, slug
    db.session.flush()
    return municipality


def save_venue(venue: Venue | None, *, municipality_id: int | None, name: str, street: str,
               postcode: str, city: str, is_wheelchair_accessible: bool = False,
               has_public_transport: bool = False, has_quiet_room: bool = False,
               accessibility_notes: str = "", notes: str = "") -> Venue:
    municipality = _load(Municipality, municipality_id, "municipality_id",
                         _l("Choose the municipality of the venue."),
                         keep=[venue.municipality] if venue else ())
    postcode = normalise_postcode(postcode)
    if venue is None:
        venue = Venue()
        db.session.add(venue)
    venue.municipality = municipality
    venue.name, venue.street, venue.city = (normalise_line(v) for v in (name, street, city))
    venue.postcode = postcode
    venue.is_wheelchair_accessible = bool(is_wheelchair_accessible)
    venue.has_public_transport = bool(has_public_transport)
    venue.has_quiet_room = bool(has_quiet_room)
    venue.accessibility_notes = (accessibility_notes or "").strip()
    venue.notes = (notes or "").strip()
    db.session.flush()
    return venue


def save_organisation(organisation: Organisation | None, *, name: str, kind: OrganisationKind,
                      municipality_ids=(), response_target_days: int,
                      response_target_unit: TargetUnit, contact_email: str = "") -> Organisation:
    name = normalise_line(name)
    if _taken(Organisation.name, name, organisation.id if organisation else None,
              case_insensitive=True):
        raise DomainError(_l("There already is an organisation with this name."), field="name")
    if not 1 <= int(response_target_days) <= 365:
        raise DomainError(_l("Choose a number from %(min)s to %(max)s.", min=1, max=365),
                          field="response_target_days")
    municipalities = _load_many(Municipality, municipality_ids, "municipality_ids",
                                keep=organisation.municipalities if organisation else ())
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    organisation.name, organisation.kind = name, OrganisationKind(kind)
    organisation.municipalities = municipalities
    organisation.response_target_days = int(response_target_days)
    organisation.response_target_unit = TargetUnit(response_target_unit)
    organisation.contact_email = accounts.normalise_email(contact_email)
    db.session.flush()
    return organisation


def save_theme(theme: Theme | None, *, name_nl: str, name_en: str, group: ThemeGroup,
               position: int | None = 0) -> Theme:
    """The key is made once, from the English name, and never changes: code and rules use it."""
    name_nl, name_en = normalise_line(name_nl), normalise_line(name_en)
    if theme is None:
        theme = Theme(key=_unique(Theme.key, slugify(name_en, "_", KEY_MAX) or "theme",
                                  KEY_MAX, "_"))
        db.session.add(theme)
    theme.name_nl, theme.name_en = name_nl, name_en
    theme.group, theme.position = ThemeGroup(group), int(position or 0)
    db.session.flush()
    return theme


def set_active(item, active: bool) -> None:
    """Deactivate or reactivate. Nothing is deleted: other records keep pointing at it."""
    item.is_active = bool(active)
    db.session.flush()


# Users ---------------------------------------------------------------------------------------

def check_role_fields(role: Role, organisation, municipalities) -> None:
    """Organisation members need an organisation; only facilitators work for municipalities."""
    if role is Role.ORGANISATION_MEMBER and organisation is None:
        raise DomainError(_l("Choose the organisation this person works for."),
                          field="organisation_id")
    if role is not Role.ORGANISATION_MEMBER and organisation is not None:
        raise DomainError(_l("Only organisation members belong to an organisation. "
                             "Choose “No organisation”."), field="organisation_id")
    if role is Role.FACILITATOR and not municipalities:
        raise DomainError(_l("Choose at least one municipality for a facilitator."),
                          field="municipality_ids")
    if role is not Role.FACILITATOR and municipalities:
        raise DomainError(_l("Only facilitators have municipalities. Remove the ticks."),
                          field="municipality_ids")


def _resolve_user_links(user: User | None, role: Role, organisation_id, municipality_ids,
                        facilitator_kind):
    organisation = None
    if organisation_id is not None:
        organisation = _load(Organisation, organisation_id, "organisation_id",
                             _l("Choose one of the options in the list."),
                             keep=[user.organisation] if user else ())
    municipalities = _load_many(Municipality, municipality_ids, "municipality_ids",
                                keep=user.municipalities if user else ())
    check_role_fields(role, organisation, municipalities)
    if role is Role.FACILITATOR and facilitator_kind is None:
        raise DomainError(_l("Choose whether this facilitator is a social worker or an "
                             "experience expert."), field="facilitator_kind")
    # A radio button cannot be unticked, so the kind is simply ignored for other roles.
    kind = FacilitatorKind(facilitator_kind) if role is Role.FACILITATOR else None
    return organisation, municipalities, kind


def invite_user(user: User, *, actor: User, set_password_url_for) -> None:
    """(Again) mail the person a link to choose a password."""
    if not user.is_active:
        raise DomainError(_l("This account is deactivated. Reactivate it first."))
    accounts.invite_user(user, set_password_url_for=set_password_url_for, invited_by=actor)


def create_user(*, actor: User, email: str, display_name: str, role: Role,
                organisation_id: int | None = None, municipality_ids=(),
                facilitator_kind: FacilitatorKind | None = None, set_password_url_for) -> User:
    """A new staff account without a password, and an invitation to choose one."""
    role = Role(role)
    organisation, municipalities, kind = _resolve_user_links(
        None, role, organisation_id, municipality_ids, facilitator_kind)
    user = accounts.create_user(email, normalise_line(display_name), role,
                                organisation=organisation, municipalities=municipalities,
                                facilitator_kind=kind)
    invite_user(user, actor=actor, set_password_url_for=set_password_url_for)
    return user


def update_user(user: User, *, actor: User, display_name: str, role: Role,
                organisation_id: int | None = None, municipality_ids=(),
                facilitator_kind: FacilitatorKind | None = None) -> User:
    role = Role(role)
    if user.id == actor.id and role is not Role.COORDINATOR:
        raise DomainError(_l("You cannot take away your own coordinator role. "
                             "Ask another coordinator."), field="role")
    organisation, municipalities, kind = _resolve_user_links(
        user, role, organisation_id, municipality_ids, facilitator_kind)
    if role is not user.role:
        accounts.end_all_sessions(user)  # pages open with the old role stop working
    user.display_name, user.role = normalise_line(display_name), role
    user.organisation, user.municipalities, user.facilitator_kind = organisation, \
        municipalities, kind
    db.session.flush()
    return user


def deactivate_user(user: User, *, actor: User) -> None:
    """The person can no longer log in, and is logged out everywhere at once."""
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account. Ask another coordinator."))
    user.is_active = False
    accounts.end_all_sessions(user)
    db.session.flush()


def reactivate_user(user: User, *, actor: User) -> None:
    user.is_active = True
    db.session.flush()
