"""The base form every portal form extends: text fields refuse control characters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from portal.text import has_control_characters


def strip(value):
    """Filter: drop the spaces a copy-paste brings along."""
    return value.strip() if isinstance(value, str) else value


CONTROL_CHARACTER_MESSAGE = _l(
    "This contains an invisible control character that we cannot store. "
    "We removed it: check the text and send it again."
)


def _without_control_characters(value: str) -> str:
    return "".join(ch for ch in value if not has_control_characters(ch))


class PortalForm(FlaskForm):
    """Refuses control characters (NUL, ...) in every text field, before any other check.

    The invisible characters are removed from what is shown again, so the person keeps
    everything else they typed and only has to send it once more.
    """

    def validate(self, extra_validators=None):
        dirty = []
        for field in self:
            if isinstance(field, (StringField, TextAreaField)) and isinstance(field.data, str) \
                    and has_control_characters(field.data):
                field.data = _without_control_characters(field.data)
                dirty.append(field)
        valid = super().validate(extra_validators=extra_validators)
        for field in dirty:
            field.errors = [CONTROL_CHARACTER_MESSAGE]
        return valid and not dirty

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, first message) for the error summary at the top of the form."""
        items = []
        for field in self:
            if field.errors:
                items.append((field.id, field.label.text, field.errors[0]))
        return items


def show_error(form, error, default: str) -> None:
    """Put a service's message on the named field (nested names like meetings-0-venue_id too)."""
    target = _find_field(form, error.field) or _find_field(form, default)
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    target.errors.append(error.message)


def _find_field(form, name):
    for field in form:
        if name in (field.name, field.short_name):  # a prefixed form's fields too
            return field
        nested = getattr(field, "entries", None)
        for entry in nested or ([field] if hasattr(field, "form") else []):
            found = _find_field(entry.form, name) if hasattr(entry, "form") else None
            if found is not None:
                return found
    return None
