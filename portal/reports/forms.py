"""The report filter: a period and a municipality, read from the query string (GET, no CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from portal.forms import PortalForm


class FilterForm(PortalForm):
    class Meta:
        csrf = False

    van = DateField(_l("From"), validators=[Optional()])
    tot = DateField(_l("Up to and including"), validators=[Optional()])
    gemeente = SelectField(_l("Municipality"), choices=[], validate_choice=False)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.van.data and self.tot.data and self.van.data > self.tot.data:
            self.tot.errors = [_l("Choose an end date after the start date.")]
            return False
        return valid
