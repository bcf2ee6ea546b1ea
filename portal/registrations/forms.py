"""Forms for signing up (public and by a facilitator), changing, and the small POST actions."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, HiddenField, RadioField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import AnyOf, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm, strip
from portal.registrations.details import Details
from portal.registrations.models import NEED_LABELS, NEEDS, ROLE_LABELS, ParticipantRole

try:  # WTForms 3.3 deprecates (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)

_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,24}$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _phone(form, field):
    if field.data and (not _PHONE.match(field.data)
                       or sum(ch.isdigit() for ch in field.data) < 6):
        raise ValidationError(_l("This is not a phone number we can use. "
                                 "Use digits only, for example 06 12345678."))


def _single_line(form, field):
    if field.data and ("\r" in field.data or "\n" in field.data):
        raise ValidationError(_l("Use one line only."))


class _DetailsForm(PortalForm):
    display_name = StringField(
        _l("Your name"), filters=[strip],
        description=_l("A first name or nickname is enough."),
        validators=[InputRequired(_l("Fill in a name. A first name or nickname is enough.")),
                    Length(max=80, message=_l("Use at most 80 characters.")), _single_line])
    email = EmailField(
        _l("E-mail address"), filters=[strip],
        description=_l("For the confirmation and a reminder before each meeting."),
        validators=[Optional(), _single_line,
                    Length(max=254, message=_l("Use at most 254 characters.")),
                    Email(_l("This is not a valid e-mail address. Check it, for example "
                             "name@example.nl."))])
    phone = StringField(
        _l("Phone number"), filters=[strip],
        description=_l("Without an e-mail address or phone number we cannot send you a "
                       "reminder."),
        validators=[Optional(), _single_line, _phone])
    needs = MultiCheckboxField(
        _l("What do you need to be able to come?"),
        choices=[SelectChoice(key, NEED_LABELS[key]) for key in NEEDS], validate_choice=False)
    needs_notes = TextAreaField(
        _l("Anything else we should know?"), filters=[strip],
        description=_l("For example what you cannot eat, or which language you speak."),
        validators=[Length(max=1000, message=_l("Use at most 1000 characters."))])


def _follow_up_field():
    return BooleanField(
        _l("You may e-mail me a few months after the last meeting to ask how it is going."),
        description=_l("Only with an e-mail address. We keep the address for this until we "
                       "have sent the last question. Then we delete it."))


class _RoleMixin:
    role = RadioField(
        _l("I take part as"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in ParticipantRole],
        validate_choice=False,
        validators=[InputRequired(_l("Choose how you take part.")),
                    AnyOf([role.value for role in ParticipantRole],
                          message=_l("Choose one of the options."))])


class SignUpForm(_RoleMixin, _DetailsForm):
    has_follow_up_consent = _follow_up_field()
    consent = BooleanField(
        _l("I agree that the facilitators use my details to organise the meetings."),
        validators=[InputRequired(_l("We can only sign you up if you agree. "
                                     "Tick the box to agree."))])
    # Honeypot: hidden from people (CSS and aria-hidden); robots fill in every field.
    website = StringField(_l("Leave this field empty"), filters=[strip])
    form_key = HiddenField()


class FacilitatorSignUpForm(_RoleMixin, _DetailsForm):
    display_name = StringField(
        _l("Name"), filters=[strip],
        validators=[InputRequired(_l("Fill in a name. A first name or nickname is enough.")),
                    Length(max=80, message=_l("Use at most 80 characters.")), _single_line])
    consent = BooleanField(
        _l("This person agrees that the facilitators use these details to organise the "
           "meetings (said on the phone, in person or on paper)."),
        validators=[InputRequired(_l("We can only sign someone up with their consent."))])
    form_key = HiddenField()


class ChangeForm(_DetailsForm):
    has_follow_up_consent = _follow_up_field()


class ResendLinkForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[
        InputRequired(_l("Fill in your e-mail address.")), _single_line,
        Length(max=254), Email(_l("This is not a valid e-mail address."))])


class ActionForm(PortalForm):
    """An empty form for POST buttons: only the CSRF token."""


def details_from_form(form) -> Details:
    """What the person typed, for the service. A change form has no role: it stays as it was."""
    role = getattr(form, "role", None)
    return Details(
        display_name=form.display_name.data, email=form.email.data, phone=form.phone.data,
        role=ParticipantRole(role.data) if role is not None else None,
        needs=set(form.needs.data or ()), needs_notes=form.needs_notes.data or "",
        follow_up=bool(form.has_follow_up_consent.data) if "has_follow_up_consent" in form
        else None)
