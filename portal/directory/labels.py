"""Translatable labels for the directory's and accounts' enums; other features reuse them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.auth.models import FacilitatorKind, Role
from portal.directory.models import OrganisationKind, TargetUnit, ThemeGroup

ORGANISATION_KIND_LABELS = {
    OrganisationKind.HOUSING_CORPORATION: _l("Housing corporation"),
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
    OrganisationKind.WELFARE: _l("Welfare organisation"),
    OrganisationKind.ENERGY_SUPPLIER: _l("Energy supplier"),
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.HEALTH_INSURER: _l("Health insurer"),
    OrganisationKind.OTHER: _l("Other"),
}

TARGET_UNIT_LABELS = {
    TargetUnit.WORKING_DAYS: _l("working days"),
    TargetUnit.CALENDAR_DAYS: _l("calendar days"),
}

THEME_GROUP_LABELS = {
    ThemeGroup.LIFE_DOMAIN: _l("Life domain"),
    ThemeGroup.SOCIAL_QUALITY: _l("Social quality"),
}

ROLE_LABELS = {
    Role.COORDINATOR: _l("Coordinator"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.ORGANISATION_MEMBER: _l("Organisation member"),
}

FACILITATOR_KIND_LABELS = {
    FacilitatorKind.SOCIAL_WORKER: _l("Social worker"),
    FacilitatorKind.EXPERIENCE_EXPERT: _l("Experience expert"),
}


def label(value) -> str:
    """The label of any enum member above; its value when there is none."""
    for labels in (ORGANISATION_KIND_LABELS, TARGET_UNIT_LABELS, THEME_GROUP_LABELS,
                   ROLE_LABELS, FACILITATOR_KIND_LABELS):
        if value in labels:
            return str(labels[value])
    return "" if value is None else str(getattr(value, "value", value))
