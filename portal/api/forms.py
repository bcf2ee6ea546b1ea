"""Coordinator forms for an organisation's links with its own systems."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from portal.forms import PortalForm, strip


class TokenForm(PortalForm):
    name = StringField(_l("Name of the token"), filters=[strip], validators=[
        InputRequired(_l("Give the token a name, for example the system that uses it.")),
        Length(max=120, message=_l("Use at most %(max)d characters."))],
        description=_l("For example the name of the system that uses it."))


class WebhookForm(PortalForm):
    url = StringField(_l("Web address that receives the messages"), filters=[strip],
                      validators=[InputRequired(_l("Fill in a full web address that starts "
                                                   "with https://.")),
                                  Length(max=500, message=_l("Use at most %(max)d characters."))],
                      description=_l("The organisation's own system. It gets a signed message "
                                     "for every new wish and every status change."))


class ConfirmForm(PortalForm):
    """A POST button: CSRF only."""
