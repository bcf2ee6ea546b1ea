"""Forms check shape; the service checks meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (EmailField, HiddenField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm
from portal.stories.models import ConsentLevel, StoryKind, StoryStatus
from portal.wishes.forms import ConfirmationForm

KIND_LABELS = {
    StoryKind.STORY: _l("A story: something that happened to me"),
    StoryKind.STRUGGLE: _l("A struggle: something that is hard for me"),
    StoryKind.EYE_OPENER: _l("An eye-opener: something I suddenly understood"),
    StoryKind.CONCERN: _l("A concern: something that worries me"),
}
KIND_SHORT = {
    StoryKind.STORY: _l("Story"),
    StoryKind.STRUGGLE: _l("Struggle"),
    StoryKind.EYE_OPENER: _l("Eye-opener"),
    StoryKind.CONCERN: _l("Concern"),
}
CONSENT_LABELS = {
    ConsentLevel.FACILITATORS: _l("Only the facilitators may read it"),
    ConsentLevel.GROUP: _l("It may be shared within the group, without my name"),
    ConsentLevel.PUBLIC: _l("It may be published, without anything that shows who I am"),
}
# Who sees what, per consent level: shown on the form and on the confirmation.
CONSENT_EXPLAINED = {
    ConsentLevel.FACILITATORS: _l("The facilitators of your municipality read it. Nobody else: "
                                  "not the group, not organisations, not the public."),
    ConsentLevel.GROUP: _l("The facilitators read it. They may tell it in the group of your "
                           "meetings, without your name. Organisations and the public do not "
                           "see it."),
    ConsentLevel.PUBLIC: _l("The facilitators read it. First they remove anything that could "
                            "show who you are. Then it may be on this website. Everyone can read "
                            "it there, also organisations."),
}
STATUS_LABELS = {
    StoryStatus.NEW: _l("New"),
    StoryStatus.REVIEWED: _l("Read"),
    StoryStatus.SHARED: _l("Shared within the group"),
    StoryStatus.PUBLISHED: _l("Published"),
    StoryStatus.WITHDRAWN: _l("Withdrawn"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title_field() -> StringField:
    return StringField(_l("Title"), validators=[
        Optional(), Length(max=200, message=_l("Use at most 200 characters."))])


class TellStoryForm(PortalForm):
    kind = RadioField(_l("What do you want to share?"), choices=[
        SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        default=StoryKind.STORY.value,
        validators=[InputRequired(_l("Choose what you want to share."))])
    title = _title_field()
    body = TextAreaField(_l("Your story"), validators=[
        InputRequired(_l("Write your story first.")),
        Length(max=20_000, message=_l("Use at most 20,000 characters."))],
        description=_l("Write it in your own words. Leave out names and addresses. You may use "
                       "paragraphs, bold text and lists."))
    wish_text = TextAreaField(_l("What should change?"), validators=[
        Optional(), Length(max=5_000, message=_l("Use at most 5,000 characters."))],
        description=_l("In your own words. You may leave this empty."))
    series = SelectField(_l("Your series of meetings"), coerce=str, validators=[Optional()],
                         description=_l("Only if you take part in one."))
    municipality = SelectField(_l("Municipality"), coerce=str, validators=[Optional()],
                               description=_l("The facilitators of this municipality read your "
                                              "story. Not needed if you chose a series."))
    themes = MultiCheckboxField(_l("What is it about?"), coerce=str, validators=[Optional()])
    consent = RadioField(_l("Who may read it?"), choices=[
        SelectChoice(c.value, label) for c, label in CONSENT_LABELS.items()],
        validators=[InputRequired(_l("Choose who may read your story."))])
    notify_email = EmailField(_l("E-mail address for a notice (optional)"), validators=[
        Optional(), Length(max=254), Email(_l("This is not a valid e-mail address."))],
        description=_l("We only send a short notice when there is a reply. It is stored apart "
                       "from your story and you can delete it with your code; but whoever "
                       "reads your mail can then see that you sent a story."))
    # One random value per form, so reloading the confirmation does not send the story twice.
    once = HiddenField()


class CaptureForm(PortalForm):
    kind = RadioField(_l("What was told?"), choices=[
        SelectChoice(k.value, KIND_SHORT[k]) for k in (StoryKind.STORY, StoryKind.STRUGGLE,
                                           StoryKind.EYE_OPENER)],
        default=StoryKind.STORY.value, validators=[InputRequired(_l("Choose a kind."))])
    title = _title_field()
    body = TextAreaField(_l("What was told"), validators=[
        InputRequired(_l("Write down what was told.")),
        Length(max=20_000, message=_l("Use at most 20,000 characters."))])
    consent = RadioField(_l("The teller's consent"), choices=[
        SelectChoice(c.value, label) for c, label in CONSENT_LABELS.items()],
        validators=[InputRequired(_l("Ask the teller who may read it, and choose."))])
    meeting = SelectField(_l("Meeting"), coerce=str, validators=[Optional()])
    municipality = SelectField(_l("Municipality"), coerce=str, validators=[Optional()],
                               description=_l("Only when it was not told in a meeting."))
    themes = MultiCheckboxField(_l("Themes"), coerce=str, validators=[Optional()])


class CodeForm(PortalForm):
    # No length check here: every wrong code must get the same answer (see public.receipt).
    code = StringField(_l("Your code"), validators=[InputRequired(_l("Fill in your code."))],
        description=_l("16 letters and numbers, for example 7KQ2-M9XD-4HPT-B3RW. Small letters "
                       "and spaces are fine."))


class SenderMessageForm(PortalForm):
    code = HiddenField()
    body = TextAreaField(_l("Your message"), validators=[
        InputRequired(_l("Write your message first.")),
        Length(max=5_000, message=_l("Use at most 5,000 characters."))])


class NotificationForm(PortalForm):
    code = HiddenField()
    email = EmailField(_l("E-mail address"), validators=[
        InputRequired(_l("Fill in your e-mail address.")), Length(max=254),
        Email(_l("This is not a valid e-mail address."))])


class TellerConfirmationForm(ConfirmationForm):
    """The teller says whether a changed wish really changed; prefixed per wish on the page."""

    code = HiddenField()


class CodeOnlyForm(PortalForm):
    """Withdraw, delete the address: the code travels in the form, never in a URL or cookie."""

    code = HiddenField()


class ReplyForm(PortalForm):
    body = TextAreaField(_l("Your reply"), validators=[
        InputRequired(_l("Write your reply first.")),
        Length(max=5_000, message=_l("Use at most 5,000 characters."))],
        description=_l("The sender reads this with their code. Do not ask for their name."))


class EditForm(PortalForm):
    title = _title_field()
    body = TextAreaField(_l("Story"), validators=[
        InputRequired(_l("The story cannot be empty.")),
        Length(max=20_000, message=_l("Use at most 20,000 characters."))])
    wish_text = TextAreaField(_l("What should change"), validators=[
        Optional(), Length(max=20_000, message=_l("Use at most 20,000 characters."))])
    note = StringField(_l("What did you change?"), validators=[Optional(), Length(max=500)])


class ThemesForm(PortalForm):
    themes = MultiCheckboxField(_l("Themes"), coerce=str, validators=[Optional()])


class StatusForm(PortalForm):
    status = HiddenField(validators=[InputRequired()])
# The same explanations keyed by the radio button's value, for templates.
CONSENT_BY_VALUE = {level.value: text for level, text in CONSENT_EXPLAINED.items()}


def has_errors(form) -> bool:
    """WTForms caches `form.errors` at validation; this also sees errors a service added later."""
    return any(field.errors for field in form)
