"""Factories: create_x(**overrides) with sensible defaults; call inside an app context."""
from __future__ import annotations

import itertools

from portal.auth.models import FacilitatorKind, Role
from portal.auth.service import create_user as create_account
from portal.directory.models import (Municipality, Organisation, OrganisationKind, TargetUnit,
                                     Venue)
from portal.extensions import db

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def _n() -> int:
    return next(_sequence)


def create_municipality(**overrides) -> Municipality:
    n = _n()
    values = {"name": f"Gemeente {n}", "slug": f"gemeente-{n}"} | overrides
    municipality = Municipality(**values)
    db.session.add(municipality)
    db.session.flush()
    return municipality


def create_venue(**overrides) -> Venue:
    values = {"name": f"Buurthuis {_n()}", "street": "Dorpsstraat 1", "postcode": "1234 AB",
              "city": "Huissen"} | overrides
    if "municipality" not in values and "municipality_id" not in values:
        values["municipality"] = create_municipality()
    venue = Venue(**values)
    db.session.add(venue)
    db.session.flush()
    return venue


def create_organisation(**overrides) -> Organisation:
    values = {"name": f"Organisatie {_n()}", "kind": OrganisationKind.HOUSING_CORPORATION,
              "response_target_days": 10, "response_target_unit": TargetUnit.WORKING_DAYS} \
        | overrides
    organisation = Organisation(**values)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def create_user(role: str | Role = Role.FACILITATOR, **overrides):
    role = Role(role) if isinstance(role, str) else role
    n = _n()
    kwargs = {
        "email": overrides.pop("email", f"user{n}@example.org"),
        "display_name": overrides.pop("display_name", f"Gebruiker {n}"),
        "role": role,
        "password": overrides.pop("password", PASSWORD),
    }
    if role is Role.ORGANISATION_MEMBER:
        kwargs["organisation"] = overrides.pop("organisation", None) or create_organisation()
    if role is Role.FACILITATOR:
        kwargs["municipalities"] = overrides.pop("municipalities", None) or [create_municipality()]
        kwargs["facilitator_kind"] = overrides.pop("facilitator_kind",
                                                   FacilitatorKind.SOCIAL_WORKER)
    user = create_account(**kwargs)
    for key, value in overrides.items():
        setattr(user, key, value)
    db.session.flush()
    return user
