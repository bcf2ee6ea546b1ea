"""Accounts, passwords, sessions. No HTTP here: callers pass what they know."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from portal import ratelimit
from portal.auth.models import FacilitatorKind, PasswordResetToken, Role, User
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow

MIN_PASSWORD_LENGTH = 10
LOGIN_WINDOW_SECONDS = 15 * 60
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_CLIENT = 20
RESET_REQUESTS_PER_ACCOUNT = 3

# Checked against when the address is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class LoginThrottled(DomainError):
    default_message = _l("Too many attempts. Wait 15 minutes and try again.")


class WrongCredentials(DomainError):
    default_message = _l("The e-mail address or password is not right.")


class InvalidResetToken(DomainError):
    default_message = _l(
        "This link to set a new password is no longer valid. It may have been used already or "
        "expired. Ask for a new one."
    )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_strength(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("Choose a password of at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="new_password",
        )
    if email and password.strip().lower() == normalise_email(email):
        raise DomainError(_l("Your password cannot be your e-mail address."), field="new_password")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login gives back what get_id() stored: "<id>:<session version>"."""
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def configure_login(login_manager) -> None:
    login_manager.user_loader(load_user_from_session)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    # The per-user session version already ends old sessions; "strong" would also log people
    # out when their phone switches between wifi and mobile data.
    login_manager.session_protection = "basic"


def create_user(
    email: str,
    display_name: str,
    role: Role,
    password: str | None = None,
    *,
    organisation=None,
    municipalities=(),
    facilitator_kind: FacilitatorKind | None = None,
) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise DomainError(_l("There already is an account with this e-mail address."),
                          field="email")
    if role is Role.ORGANISATION_MEMBER and organisation is None:
        raise DomainError(_l("An organisation member needs an organisation."),
                          field="organisation_id")
    if password is not None:
        check_password_strength(password, email)
    user = User(
        email=email,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password) if password else None,
        organisation=organisation if role is Role.ORGANISATION_MEMBER else None,
        facilitator_kind=facilitator_kind if role is Role.FACILITATOR else None,
    )
    user.municipalities = list(municipalities)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, client: str) -> User:
    """The user for these credentials, or WrongCredentials/LoginThrottled: the same for all
    addresses, known or not, so the answer reveals nothing about who has an account."""
    email = normalise_email(email)
    if ratelimit.is_limited("login-account", email, limit=FAILURES_PER_ACCOUNT) or \
            ratelimit.is_limited("login-client", client, limit=FAILURES_PER_CLIENT):
        raise LoginThrottled()
    user = find_user_by_email(email)
    valid = check_password_hash(
        user.password_hash if user and user.password_hash else _DUMMY_HASH, password
    )
    if not (user and user.is_active and user.password_hash and valid):
        ratelimit.hit("login-account", email, limit=FAILURES_PER_ACCOUNT,
                      window_seconds=LOGIN_WINDOW_SECONDS)
        ratelimit.hit("login-client", client, limit=FAILURES_PER_CLIENT,
                      window_seconds=LOGIN_WINDOW_SECONDS)
        raise WrongCredentials()
    ratelimit.reset("login-account", email)
    user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Every session cookie issued before this moment stops working."""
    user.session_version += 1


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not (user.password_hash and check_password_hash(user.password_hash, current_password)):
        raise DomainError(_l("Your current password is not right."), field="current_password")
    check_password_strength(new_password, user.email)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_token(user: User, hours: int | None = None) -> str:
    """A single-use token for the set-password page; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    hours = hours or current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=_token_hash(token),
                                      created_at=now, expires_at=now + timedelta(hours=hours)))
    return token


def request_password_reset(email: str, reset_url_for) -> None:
    """Mail a reset link when the address has an active account; silent otherwise.

    `reset_url_for(token)` builds the absolute link (the caller knows the URL map).
    """
    from portal.mail.service import enqueue_mail

    email = normalise_email(email)
    if not ratelimit.hit("reset-account", email, limit=RESET_REQUESTS_PER_ACCOUNT,
                         window_seconds=60 * 60):
        return
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = issue_password_token(user)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    enqueue_mail(
        to=user.email,
        subject=str(_l("Set a new password for Ontmoetingen")),
        text_body=render_template("auth/mail/reset_password.txt", user=user,
                                  url=reset_url_for(token), hours=hours),
    )


def invite_user(user: User, set_password_url_for, invited_by: User | None = None) -> None:
    """Mail a new staff member a link to choose their password (valid 7 days)."""
    from portal.mail.service import enqueue_mail

    token = issue_password_token(user, hours=24 * 7)
    enqueue_mail(
        to=user.email,
        subject=str(_l("Your account for Ontmoetingen")),
        text_body=render_template("auth/mail/invitation.txt", user=user,
                                  url=set_password_url_for(token), invited_by=invited_by),
    )


def find_valid_reset_token(token: str) -> PasswordResetToken:
    record = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    ) if token else None
    if record is None or record.used_at is not None or record.expires_at <= utcnow() \
            or not record.user.is_active:
        raise InvalidResetToken()
    return record


def reset_password(token: str, new_password: str) -> User:
    record = find_valid_reset_token(token)
    user = record.user
    check_password_strength(new_password, user.email)
    user.password_hash = hash_password(new_password)
    now = utcnow()
    # Spend this token and every other open one for the account.
    db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    end_all_sessions(user)
    db.session.flush()
    return user
