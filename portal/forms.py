"""The base form every portal form extends: text fields refuse control characters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation

from portal.text import has_control_characters


def strip(value):
    """Filter: drop the spaces a copy-paste brings along."""
    return value.strip() if isinstance(value, str) else value


def refuse_control_characters(form, field):
    if isinstance(field.data, str) and has_control_characters(field.data):
        # Keep what was typed minus the invisible characters, so nothing is lost.
        field.data = "".join(ch for ch in field.data if not has_control_characters(ch))
        raise StopValidation(
            _l("This contains an invisible control character that we cannot store. "
               "We removed it: check the text and send it again.")
        )


class PortalForm(FlaskForm):
    """Adds the control-character check in front of every text field's own validators."""

    def validate(self, extra_validators=None):
        extra = dict(extra_validators or {})
        for name, field in self._fields.items():
            if isinstance(field, (StringField, TextAreaField)):
                extra[name] = [refuse_control_characters, *extra.get(name, [])]
        return super().validate(extra_validators=extra)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, first message) for the error summary at the top of the form."""
        items = []
        for field in self:
            if field.errors:
                items.append((field.id, field.label.text, field.errors[0]))
        return items
