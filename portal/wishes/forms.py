"""Forms check shape; the workflow and service check meaning (which note is required, ...)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm
from portal.wishes.models import AnswerChannel, Confirmation
from portal.wishes.workflow import CHANNEL_LABELS, CONFIRMATION_LABELS, MAX_NOTE

MAX_CONFIRMATION_NOTE = 1000


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayField(DateField):
    """A date field whose complaint is in plain Dutch (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Fill in a date like 1-3-2026.")) from None


class CountField(IntegerField):
    """A whole number, with a plain Dutch complaint for anything else."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Fill in a number.")) from None


class WishForm(PortalForm):
    what = TextAreaField(_l("What should change?"), validators=[
        InputRequired(_l("Write what should change.")),
        Length(max=1_000, message=_l("Use at most 1,000 characters."))],
        description=_l("One wish, short and concrete."))
    why = TextAreaField(_l("Why? In the teller's own words"), validators=[
        Optional(), Length(max=5_000, message=_l("Use at most 5,000 characters."))],
        description=_l("What they experience. Leave out names and addresses."))
    for_whom = StringField(_l("For whom?"), validators=[
        Optional(), Length(max=300, message=_l("Use at most 300 characters."))],
        description=_l("For example: parents with a low income, tenants."))
    themes = MultiCheckboxField(_l("Themes"), coerce=str, validators=[Optional()])
    meeting = SelectField(_l("Meeting"), coerce=str, validators=[Optional()])
    municipality = SelectField(_l("Municipality"), coerce=str, validators=[Optional()],
                               description=_l("Only when it was not raised in a meeting."))
    supporters = CountField(_l("How many people in the group share this wish?"), default=1,
                              validators=[InputRequired(_l("Fill in a number.")),
                                          NumberRange(min=1, max=999, message=_l(
                                              "Fill in a number from 1 to 999."))])
    publication_consent = BooleanField(_l(
        "The group agrees that this wish and the answer may be published, without names"))


class StoryWishForm(WishForm):
    """From a story: the story decides the municipality."""

    municipality = None


class ActionForm(PortalForm):
    """One form for every step; the workflow says which of these a step needs."""

    note = TextAreaField(_l("Note"), validators=[
        Optional(), Length(max=MAX_NOTE, message=_l("Use at most 5,000 characters."))])
    outcome = TextAreaField(_l("What has changed?"), validators=[
        Optional(), Length(max=MAX_NOTE, message=_l("Use at most 5,000 characters."))])
    changed_from = DayField(_l("From when is it different?"), validators=[Optional()],
                             description=_l("For example 1-3-2026."),
                             format=["%Y-%m-%d", "%d-%m-%Y"])
    # Which organisation or wish is allowed is the service's question, not the form's.
    organisation = SelectField(_l("Organisation"), coerce=str, validators=[Optional()],
                               validate_choice=False)
    target = SelectField(_l("Merge into wish"), coerce=str, validators=[Optional()],
                         validate_choice=False)
    channel = RadioField(_l("How did the answer go back?"), choices=[
        SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()],
        validators=[Optional()], validate_choice=False)
    answer = RadioField(_l("What does the group say: did it really change for them?"),
                        choices=[SelectChoice(c.value, label)
                                 for c, label in CONFIRMATION_LABELS.items()],
                        validators=[Optional()], validate_choice=False)

    def channel_value(self) -> AnswerChannel | None:
        try:
            return AnswerChannel(self.channel.data)
        except ValueError:
            return None

    def answer_value(self) -> Confirmation | None:
        return confirmation_value(self.answer.data)


def confirmation_value(value) -> Confirmation | None:
    try:
        return Confirmation(value)
    except ValueError:
        return None


class ConfirmationForm(PortalForm):
    """A resident's own answer: through their e-mail link or their receipt code."""

    answer = RadioField(_l("Did it really change for you?"), choices=[
        SelectChoice(c.value, label) for c, label in CONFIRMATION_LABELS.items()],
        validators=[InputRequired(_l("Choose yes, partly or no."))],
        validate_choice=False)
    note = TextAreaField(_l("Would you like to say more? One sentence is enough (optional)"),
                         validators=[Optional(), Length(
                             max=MAX_CONFIRMATION_NOTE,
                             message=_l("Use at most %(max)d characters.",
                                        max=MAX_CONFIRMATION_NOTE))])

    def answer_value(self) -> Confirmation | None:
        return confirmation_value(self.answer.data)


# What the note means in each step.
NOTE_LABELS = {
    "route": _l("Note for the organisation"),
    "acknowledge": _l("Note (only in the timeline)"),
    "answer": _l("Your answer"),
    "mark_changed": _l("Your answer"),
    "decline": _l("Your answer: why does it not change?"),
    "hand_back": _l("Why is this wish not for your organisation?"),
    "close": _l("Which answer did you pass back?"),
    "merge": _l("Note"),
    "confirm": _l("What did they say? One sentence is enough (optional)"),
    "reopen": _l("What do residents say has not changed?"),
}
NOTE_DESCRIPTIONS = {
    "answer": _l("The group reads this. If the teller agreed, it is also published."),
    "mark_changed": _l("The group reads this. If the teller agreed, it is also published."),
    "decline": _l("The group reads this. Explain it in plain words."),
    "hand_back": _l("The facilitators read this and look for the right organisation."),
    "confirm": _l("Ask the group, for example in a follow-up meeting, and note their answer."),
    "reopen": _l("The wish goes back to the organisation. They read this."),
}


def for_step(form: ActionForm, action: str, note_required: bool) -> ActionForm:
    """Label the note for this step and mark it required when the workflow requires it."""
    form.note.label.text = NOTE_LABELS.get(action, form.note.label.text)
    form.note.description = NOTE_DESCRIPTIONS.get(action, "")
    form.note.flags.required = note_required
    if action == "mark_changed":
        form.outcome.flags.required = True
        form.changed_from.flags.required = True
    if action in ("route", "merge", "close", "confirm"):
        for name in ("organisation", "target", "channel", "answer"):
            getattr(form, name).flags.required = True
    return form


class AnswerTemplateForm(PortalForm):
    title = StringField(_l("Name of the template"), validators=[
        InputRequired(_l("Give the template a name.")), Length(max=120)])
    body = TextAreaField(_l("Answer text"), validators=[
        InputRequired(_l("Write the answer text.")),
        Length(max=MAX_NOTE, message=_l("Use at most 5,000 characters."))])
