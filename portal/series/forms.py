"""Forms check shape (types, lengths, required); the service checks meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (DateField, FieldList, Form, FormField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm
from portal.series.models import Lead

MAX_DESCRIPTION = 5000
MAX_ADDRESSES_TEXT = 200 * 256


def optional_int(value):
    """Coerce a posted id; anything that is not a whole number becomes None (the service says
    what is missing), so a tampered value never reaches the database or an English message."""
    if value is None or value == "" or isinstance(value, int):
        return value if isinstance(value, int) else None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def lead_label(lead: Lead):
    return {Lead.SOCIAL_WORKER: _l("Social worker"),
            Lead.EXPERIENCE_EXPERT: _l("Experience expert"),
            Lead.BOTH: _l("Both")}[lead]


class _FriendlyParse:
    """Blank stays blank (InputRequired speaks); a value that does not parse gets our message."""

    parse_message = None

    def process_formdata(self, valuelist):
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.parse_message) from None


class DayField(_FriendlyParse, DateField):
    parse_message = _l("Fill in a date like 24-03-2027.")


class ClockField(_FriendlyParse, TimeField):
    parse_message = _l("Fill in a time like 19:30.")


class WholeNumberField(StringField):
    """A number typed as text: '10^9' or 'ten' get a clear message, not a 500."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        raw = (self.data or "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw) if len(raw) <= 12 else None
        except ValueError:
            self.data = None
        if self.data is None:
            self.data = raw
            raise ValueError(_l("Fill in a whole number, like 20."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title_field(label):
    return StringField(label, validators=[
        InputRequired(_l("Fill in a title.")),
        Length(max=160, message=_l("Use at most %(max)d characters."))])


def _description_field(label, max_length=MAX_DESCRIPTION, description=None):
    return TextAreaField(label, validators=[
        Optional(), Length(max=max_length, message=_l("Use at most %(max)d characters."))],
        description=description)


class _MeetingFields:
    day = DayField(_l("Date"), validators=[InputRequired(_l("Fill in the date."))])
    start = ClockField(_l("Start time"), validators=[InputRequired(_l("Fill in the start time."))])
    end = ClockField(_l("End time"), validators=[InputRequired(_l("Fill in the end time."))])
    venue_id = SelectField(_l("Venue"), coerce=optional_int, validate_choice=False)
    capacity = WholeNumberField(_l("Number of places"), validators=[
        InputRequired(_l("Fill in how many people can come."))])


class MeetingSubform(_MeetingFields, Form):
    """One of the four meetings inside the series form (no CSRF of its own)."""

    template_id = SelectField(_l("Agenda template"), coerce=optional_int, validate_choice=False)


def _flat_errors(form):
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                yield from _flat_errors(entry.form)
        elif isinstance(field, FormField):
            yield from _flat_errors(field.form)
        elif field.errors:
            yield field.id, field.label.text, field.errors[0]


class SeriesForm(PortalForm):
    title = _title_field(_l("Title"))
    municipality_id = SelectField(_l("Municipality"), coerce=optional_int, validate_choice=False)
    facilitator_ids = MultiCheckboxField(_l("Facilitators"), coerce=optional_int,
                                         validate_choice=False)
    description = _description_field(
        _l("What is this series about?"),
        description=_l("Short sentences. This is shown on the public page."))
    audience = _description_field(_l("Who is this for?"), max_length=2000)
    meetings = FieldList(FormField(MeetingSubform), min_entries=4, max_entries=4)

    @property
    def error_summary(self):
        return list(_flat_errors(self))


class SeriesEditForm(PortalForm):
    title = _title_field(_l("Title"))
    facilitator_ids = MultiCheckboxField(_l("Facilitators"), coerce=optional_int,
                                         validate_choice=False)
    description = _description_field(_l("What is this series about?"))
    audience = _description_field(_l("Who is this for?"), max_length=2000)


class MeetingForm(_MeetingFields, PortalForm):
    notes = _description_field(_l("Notes for the facilitators"))


class AgendaItemForm(PortalForm):
    title = _title_field(_l("Title"))
    minutes = WholeNumberField(_l("Minutes"), validators=[
        InputRequired(_l("Fill in how many minutes this takes."))])
    purpose = _description_field(_l("Purpose"), max_length=2000)
    lead = RadioField(_l("Who leads"),
                      choices=[SelectChoice(lead.value, lead_label(lead)) for lead in Lead],
                      default=Lead.BOTH.value, validators=[InputRequired(_l("Choose who leads."))])
    materials = _description_field(_l("Materials"), max_length=1000)


class TemplateForm(PortalForm):
    name = StringField(_l("Name"), validators=[
        InputRequired(_l("Fill in a name.")),
        Length(max=160, message=_l("Use at most %(max)d characters."))])
    description = _description_field(_l("Description"), max_length=2000)
    meeting_number = SelectField(
        _l("Suits meeting"), coerce=optional_int, validate_choice=False,
        choices=[SelectChoice("", _l("Any meeting"))] + [SelectChoice(str(n)) for n in range(1, 5)])


class InvitationForm(PortalForm):
    addresses = TextAreaField(_l("E-mail addresses"), validators=[
        InputRequired(_l("Fill in at least one e-mail address.")),
        Length(max=MAX_ADDRESSES_TEXT, message=_l("This list is too long."))],
        description=_l("One address per line, or separated by commas. At most 200 at a time. "
                       "We do not keep the addresses after sending."))
    message = TextAreaField(_l("Your message"), validators=[
        InputRequired(_l("Write a short message.")),
        Length(max=2000, message=_l("Use at most %(max)d characters."))])


class ActionForm(PortalForm):
    """A button that changes state: a POST with a CSRF token and nothing else."""
