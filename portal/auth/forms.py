from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import Email, InputRequired, Length

from portal.forms import PortalForm, strip


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[
        InputRequired(_l("Fill in your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(_l("Fill in your password.")), Length(max=200)])
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()


class LogoutForm(PortalForm):
    """Logout changes state, so it is a POST with a CSRF token."""


class ForgotPasswordForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[
        InputRequired(_l("Fill in your e-mail address.")), Length(max=254),
        Email(_l("This is not a valid e-mail address."))])


class _NewPasswordMixin:
    new_password = PasswordField(_l("New password"), validators=[
        InputRequired(_l("Choose a new password.")),
        Length(max=200, message=_l("Use at most 200 characters."))],
        description=_l("At least 10 characters. A sentence of a few words is easy to remember."))


class ResetPasswordForm(_NewPasswordMixin, PortalForm):
    pass


class ChangePasswordForm(_NewPasswordMixin, PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Fill in your current password.")), Length(max=200)])
