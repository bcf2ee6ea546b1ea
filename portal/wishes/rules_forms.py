"""Forms for the routing rules: shape only (choices). What a valid rule is: rules_service.py."""
from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from portal.directory.forms import optional_int
from portal.directory.models import Municipality, Organisation, Theme
from portal.extensions import db
from portal.forms import PortalForm
from portal.i18n import theme_name


class Chosen:
    """A select with a "Choose…" line: that line is no answer."""

    field_flags: ClassVar[dict] = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            # Junk that is no number already has its message: say it once.
            raise StopValidation(None if field.errors else self.message)


def _choice_kwargs(message):
    return {"invalid_value_message": message, "invalid_choice_message": message}


def _options(model, order, label, keep_id=None, *, active_only=True):
    """Active rows; the one the rule already has stays in the list, marked when deactivated."""
    query = sa.select(model).order_by(*order)
    if active_only:
        query = query.where(sa.or_(model.is_active.is_(True), model.id == keep_id)
                            if keep_id is not None else model.is_active.is_(True))
    choices = []
    for item in db.session.scalars(query):
        text = label(item)
        if not item.is_active:
            text = _("%(name)s (deactivated)", name=text)
        choices.append(SelectChoice(str(item.id), text))
    return choices


def theme_options(keep_id=None):
    return _options(Theme, (Theme.group, Theme.position, Theme.name_nl), theme_name, keep_id)


def municipality_options(keep_id=None):
    return _options(Municipality, (Municipality.name,), lambda m: m.name, keep_id)


def organisation_options(keep_id=None):
    return _options(Organisation, (Organisation.name,), lambda o: o.name, keep_id)


class RoutingRuleForm(PortalForm):
    theme_id = SelectField(_l("Theme"), coerce=optional_int,
                           validators=[Chosen(_l("Choose a theme."))],
                           **_choice_kwargs(_l("Choose a theme.")))
    municipality_id = SelectField(
        _l("Municipality"), coerce=optional_int,
        description=_l("Choose “All municipalities” when the rule holds wherever the "
                       "organisation works. A rule for one municipality goes first."),
        **_choice_kwargs(_l("Choose a municipality, or “All municipalities”.")))
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int,
                                  validators=[Chosen(_l("Choose an organisation."))],
                                  **_choice_kwargs(_l("Choose an organisation.")))

    def load_choices(self, rule=None):
        choose = SelectChoice("", _("Choose…"))
        self.theme_id.choices = [choose] + theme_options(rule.theme_id if rule else None)
        self.municipality_id.choices = [SelectChoice("", _("All municipalities"))] + \
            municipality_options(rule.municipality_id if rule else None)
        self.organisation_id.choices = [choose] + organisation_options(
            rule.organisation_id if rule else None)
        return self


class RoutingTestForm(PortalForm):
    """The "test the routing" helper: a GET form, so no CSRF token and no change."""

    class Meta:
        csrf = False

    theme_id = SelectField(_l("Theme of the wish"), coerce=optional_int,
                           validators=[Chosen(_l("Choose a theme."))],
                           **_choice_kwargs(_l("Choose a theme.")))
    municipality_id = SelectField(_l("Municipality of the wish"), coerce=optional_int,
                                  validators=[Chosen(_l("Choose a municipality."))],
                                  **_choice_kwargs(_l("Choose a municipality.")))

    def load_choices(self):
        choose = SelectChoice("", _("Choose…"))
        self.theme_id.choices = [choose] + theme_options()
        self.municipality_id.choices = [choose] + municipality_options()
        return self
