"""Coordinator forms: shape only (types, lengths, required, choices). Meaning is in service.py."""
from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.models import FacilitatorKind, Role
from portal.directory.labels import (FACILITATOR_KIND_LABELS, ORGANISATION_KIND_LABELS,
                                     ROLE_LABELS, TARGET_UNIT_LABELS, THEME_GROUP_LABELS)
from portal.directory.models import (Municipality, Organisation, OrganisationKind, TargetUnit,
                                     ThemeGroup)
from portal.extensions import db
from portal.forms import PortalForm

NAME_MAX = 120
NOTES_MAX = 2000
CHOOSE_FROM_LIST = _l("Choose one of the options in the list.")


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _required(message) -> DataRequired:
    return DataRequired(message)


def strip(value):
    """Pasted addresses often carry a space at either end."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    """'' and None mean "nothing chosen"; anything else must be a whole number."""
    if value in ("", None):
        return None
    return int(value)


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" message is ours (and so translated)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0].strip() if isinstance(valuelist[0], str) else valuelist[0]
        if raw in ("", None):
            self.data = None
            return
        try:
            self.data = int(raw)
        except (TypeError, ValueError) as exc:
            self.data = None
            self.raw_data = [valuelist[0]]
            raise ValueError(str(_l("Fill in a whole number, for example 10."))) from exc


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choice_kwargs(message=CHOOSE_FROM_LIST):
    return {"invalid_value_message": message, "invalid_choice_message": message}


class ChoiceRequired:
    """Marks a select or radio field as required; the field's own choice check says what is
    wrong, so an empty and an unknown choice get the same clear message."""

    field_flags: ClassVar[dict] = {"required": True}

    def __call__(self, form, field):
        return None


def enum_choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, text) for member, text in labels.items()]


def _active_or_kept(model, keep_ids=()):
    query = sa.select(model.id, model.name).order_by(model.name)
    keep = [i for i in keep_ids if i is not None]
    query = query.where(sa.or_(model.is_active.is_(True), model.id.in_(keep)) if keep
                        else model.is_active.is_(True))
    return db.session.execute(query).all()


def municipality_choices(keep_ids=()) -> list[SelectChoice]:
    """Active municipalities, plus the ones already chosen (which may have been deactivated)."""
    return [SelectChoice(str(i), name) for i, name in _active_or_kept(Municipality, keep_ids)]


def organisation_choices(keep_ids=()) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("No organisation")))] + [
        SelectChoice(str(i), name) for i, name in _active_or_kept(Organisation, keep_ids)]


class MunicipalityForm(PortalForm):
    name = StringField(_l("Name"), validators=[
        _required(_l("Fill in the name of the municipality.")), _max(NAME_MAX)])
    slug = StringField(_l("Short name in web addresses"), validators=[Optional(), _max(80)],
                       description=_l("Small letters, digits and dashes. Leave empty and we "
                                      "make one from the name."))


class VenueForm(PortalForm):
    municipality_id = SelectField(_l("Municipality"), coerce=optional_int,
                                  validators=[ChoiceRequired()],
                                  **_choice_kwargs(_l("Choose the municipality of the venue.")))
    name = StringField(_l("Name of the venue"), validators=[
        _required(_l("Fill in the name of the venue.")), _max(NAME_MAX)])
    street = StringField(_l("Street and house number"), validators=[
        _required(_l("Fill in the street and house number.")), _max(160)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), _max(10)],
                           description=_l("For example 1234 AB."))
    city = StringField(_l("Town or city"), validators=[
        _required(_l("Fill in the town or city.")), _max(80)])
    is_wheelchair_accessible = BooleanField(_l("Accessible with a wheelchair"))
    has_public_transport = BooleanField(_l("Close to public transport"))
    has_quiet_room = BooleanField(_l("Has a quiet room"))
    accessibility_notes = TextAreaField(_l("More about accessibility"),
                                        validators=[_max(NOTES_MAX)])
    notes = TextAreaField(_l("Notes"), validators=[_max(NOTES_MAX)],
                          description=_l("For example: who has the key, where to park."))


class OrganisationForm(PortalForm):
    name = StringField(_l("Name"), validators=[
        _required(_l("Fill in the name of the organisation.")), _max(160)])
    kind = SelectField(_l("Kind of organisation"), coerce=OrganisationKind,
                       choices=enum_choices(ORGANISATION_KIND_LABELS),
                       validators=[ChoiceRequired()],
                       **_choice_kwargs(_l("Choose the kind of organisation.")))
    municipality_ids = MultiCheckboxField(_l("Municipalities it works for"), coerce=int,
                                          **_choice_kwargs())
    response_target_days = WholeNumberField(
        _l("Answer within"), default=10,
        validators=[InputRequired(_l("Fill in within how many days the organisation answers.")),
                    NumberRange(1, 365, _l("Choose a number from %(min)s to %(max)s."))])
    response_target_unit = RadioField(_l("Count in"), coerce=TargetUnit,
                                      default=TargetUnit.WORKING_DAYS,
                                      choices=enum_choices(TARGET_UNIT_LABELS),
                                      validators=[ChoiceRequired()],
                                      **_choice_kwargs(_l("Choose how to count the days.")))
    contact_email = EmailField(_l("Contact e-mail address"), filters=[strip], validators=[
        Optional(), _max(254), Email(_l("This is not a valid e-mail address."))],
        description=_l("Only for an organisation without accounts in the portal: wishes for "
                       "them go to this address."))


class ThemeForm(PortalForm):
    name_nl = StringField(_l("Name in Dutch"), validators=[
        _required(_l("Fill in the Dutch name.")), _max(NAME_MAX)])
    name_en = StringField(_l("Name in English"), validators=[
        _required(_l("Fill in the English name.")), _max(NAME_MAX)])
    group = RadioField(_l("Group"), coerce=ThemeGroup, default=ThemeGroup.LIFE_DOMAIN,
                       choices=enum_choices(THEME_GROUP_LABELS), validators=[ChoiceRequired()],
                       **_choice_kwargs(_l("Choose the group of the theme.")))
    position = WholeNumberField(
        _l("Place in the list"), default=0,
        validators=[Optional(), NumberRange(0, 999, _l("Choose a number from %(min)s to %(max)s."))],
        description=_l("Lower numbers come first."))


# Created before the mixin's fields, so the e-mail address comes first in the error summary.
_EMAIL = EmailField(_l("E-mail address"), filters=[strip], validators=[
    _required(_l("Fill in the e-mail address.")), _max(254),
    Email(_l("This is not a valid e-mail address."))])


class _UserFieldsMixin:
    display_name = StringField(_l("Name"), validators=[
        _required(_l("Fill in the name.")), _max(NAME_MAX)])
    role = RadioField(_l("Role"), coerce=Role, choices=enum_choices(ROLE_LABELS),
                      validators=[ChoiceRequired()], **_choice_kwargs(_l("Choose a role.")))
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int,
                                  description=_l("Only for organisation members."),
                                  **_choice_kwargs())
    municipality_ids = MultiCheckboxField(_l("Municipalities"), coerce=int,
                                          description=_l("Only for facilitators."),
                                          **_choice_kwargs())
    facilitator_kind = RadioField(_l("Kind of facilitator"), coerce=FacilitatorKind,
                                  choices=enum_choices(FACILITATOR_KIND_LABELS),
                                  validate_choice=False,
                                  description=_l("Only for facilitators."), **_choice_kwargs())

    def load_choices(self, organisation_id=None, municipality_ids=()):
        self.organisation_id.choices = organisation_choices([organisation_id])
        self.municipality_ids.choices = municipality_choices(municipality_ids)
        return self


class UserCreateForm(_UserFieldsMixin, PortalForm):
    email = _EMAIL


class UserEditForm(_UserFieldsMixin, PortalForm):
    pass


class ActionForm(PortalForm):
    """The CSRF token for a button that changes something (deactivate, send again)."""
