"""Forms check shape; portal/learning/service.py checks meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms import PortalForm
from portal.wishes.forms import MultiCheckboxField
from portal.learning.evaluation import (CHANGE_QUESTION, MAX_REMARK, SCALE, STATEMENTS,
                                        STRUCK_QUESTION)
from portal.learning import follow_up
from portal.learning.service import MAX_REFLECTION

CHOOSE_A_FACE = _l("Choose one of the five faces.")


class ScaleField(RadioField):
    """Five faces, 1-5. Anything else (6, -1, 'abc') is a field error, never a 500."""

    def __init__(self, label, **kwargs):
        super().__init__(label, choices=[SelectChoice(str(v), text) for v, text in SCALE],
                         validators=[InputRequired(CHOOSE_A_FACE)], **kwargs)

    def pre_validate(self, form):
        if self.data not in {str(v) for v, _ in SCALE}:
            raise ValidationError(CHOOSE_A_FACE)

    @property
    def score(self) -> int | None:
        return int(self.data) if self.data in {str(v) for v, _ in SCALE} else None


def _remark(label):
    return TextAreaField(label, validators=[Optional(), Length(
        max=MAX_REMARK, message=_l("That is a lot of text. Use at most %(max)d characters, "
                                   "and send it again."))])


class EvaluationForm(PortalForm):
    heard = ScaleField(STATEMENTS[0].text)
    no_judgement = ScaleField(STATEMENTS[1].text)
    understand = ScaleField(STATEMENTS[2].text)
    learned = ScaleField(STATEMENTS[3].text)
    belong = ScaleField(STATEMENTS[4].text)
    can_change = ScaleField(STATEMENTS[5].text)
    struck = _remark(STRUCK_QUESTION)
    change = _remark(CHANGE_QUESTION)

    @classmethod
    def for_meeting(cls, closing: bool, **kwargs) -> EvaluationForm:
        form = cls(**kwargs)
        if not closing:
            del form.change
        return form

    @property
    def scale_fields(self):
        return [self[s.key] for s in STATEMENTS]

    def scores(self) -> dict[str, int | None]:
        return {s.key: self[s.key].score for s in STATEMENTS}


CHOOSE_ONE_OF_THREE = _l("Choose one of the three answers.")


class ThreeChoiceField(RadioField):
    """Yes / a little / no as big tap targets. Anything else is a field error, never a 500."""

    def __init__(self, label, choices, **kwargs):
        super().__init__(label, choices=[SelectChoice(value.value, text)
                                         for value, text in choices],
                         validators=[InputRequired(CHOOSE_ONE_OF_THREE)], **kwargs)
        self.allowed = frozenset(value.value for value, _ in choices)

    def pre_validate(self, form):
        if self.data not in self.allowed:
            raise ValidationError(CHOOSE_ONE_OF_THREE)


class FollowUpForm(PortalForm):
    in_touch = ThreeChoiceField(follow_up.IN_TOUCH_QUESTION, follow_up.IN_TOUCH_CHOICES)
    changed = ThreeChoiceField(follow_up.CHANGED_QUESTION, follow_up.CHANGED_CHOICES)
    remark = TextAreaField(
        follow_up.REMARK_QUESTION,
        description=_l("For example what changed for you. Please do not write down names."),
        validators=[Optional(), Length(max=follow_up.MAX_TEXT, message=_l(
            "That is a lot of text. Use at most %(max)d characters, and send it again."))])


def _reflection_field(label):
    return TextAreaField(label, validators=[Optional(), Length(
        max=MAX_REFLECTION, message=_l("Use at most %(max)d characters."))])


class ReflectionForm(PortalForm):
    worked = _reflection_field(_l("What worked?"))
    did_not_work = _reflection_field(_l("What did not work?"))
    change_next_time = _reflection_field(_l("What would we change in the agenda next time?"))


class PlainWordForm(PortalForm):
    officialese = StringField(_l("Difficult word or phrase"), validators=[
        InputRequired(_l("Fill in the difficult word.")),
        Length(max=80, message=_l("Use at most %(max)d characters."))])
    plain = StringField(_l("Plainer alternative"), validators=[
        InputRequired(_l("Fill in a plainer word.")),
        Length(max=160, message=_l("Use at most %(max)d characters."))])
    is_active = BooleanField(_l("Use this pair in the advice"), default=True)


class ActionForm(PortalForm):
    """A button that changes state: a POST with a CSRF token and nothing else."""


class PracticeForm(PortalForm):
    """A practice for the "what works" exchange; portal/learning/practices.py checks meaning."""

    kind = RadioField(_l("What kind of practice is this?"), validate_choice=False, validators=[InputRequired(
        _l("Choose what kind of practice this is."))])
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give the practice a title.")),
                                                 Length(max=200, message=_l(
                                                     "Use at most %(max)d characters."))])
    summary = TextAreaField(_l("What worked, in short"), validators=[
        InputRequired(_l("Write in short what worked.")),
        Length(max=5000, message=_l("Use at most %(max)d characters."))])
    what_was_done = TextAreaField(_l("What was done"), validators=[Optional(), Length(
        max=5000, message=_l("Use at most %(max)d characters."))])
    evidence = TextAreaField(_l("How do you know it worked?"), validators=[Optional(), Length(
        max=5000, message=_l("Use at most %(max)d characters."))])
    municipality_id = SelectField(_l("Municipality"), validate_choice=False, validators=[InputRequired(
        _l("Choose the municipality."))])
    organisation_kind = SelectField(_l("Kind of organisation"), validate_choice=False,
                                    validators=[Optional()])
    themes = MultiCheckboxField(_l("Themes"), coerce=str, validators=[Optional()])
    agenda_template_id = SelectField(
        _l("Agenda template to share"), validate_choice=False, validators=[Optional()],
        description=_l("Only for an agenda template. Its items are copied into the practice "
                       "as they are now; everyone can read them once it is public."))


class ProposeForm(PortalForm):
    municipality = SelectField(_l("In which municipality?"), validate_choice=False,
                               validators=[Optional()])


class StopForm(PortalForm):
    """"No more check-in mails": only the CSRF token, so a link preview cannot stop them."""
