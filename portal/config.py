"""Settings from environment variables, with safe defaults for development."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

TIME_ZONE = "Europe/Amsterdam"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable portal."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None


def _months(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """A comma-separated list of whole months, e.g. "3,6"; sorted, no duplicates."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        months = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
    except ValueError:
        raise ConfigError(f"{name} must be whole months separated by commas, got {raw!r}.") \
            from None
    if any(not 1 <= m <= 36 for m in months):
        raise ConfigError(f"{name} must be between 1 and 36 months, got {raw!r}.")
    return months


def _development_secret_key(instance_path: Path) -> str:
    """Generate once and keep under instance/, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: Path) -> dict:
    """Read the environment into a Flask config mapping."""
    env = os.environ.get("PORTAL_ENV", "development").strip().lower()
    is_production = env == "production"

    secret_key = os.environ.get("SECRET_KEY", "")
    if not secret_key:
        if is_production:
            raise ConfigError(
                "SECRET_KEY is not set. In production the portal needs a long random SECRET_KEY "
                "in its environment, e.g. the output of: python -c 'import secrets; "
                "print(secrets.token_hex(32))'"
            )
        secret_key = _development_secret_key(instance_path)

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'portal.db'}"
    # Accept the URL form most hosting panels print.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    mail_server = os.environ.get("MAIL_SERVER", "")
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server connection can go stale between requests; a SQLite file cannot.
        "SQLALCHEMY_ENGINE_OPTIONS": {} if database_url.startswith("sqlite")
        else {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TIME_ZONE": TIME_ZONE,
        # Mail: SMTP when MAIL_SERVER is set, .eml files under instance/outbox otherwise.
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS"), default=bool(mail_server)),
        "MAIL_USE_SSL": _bool(os.environ.get("MAIL_USE_SSL")),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 20),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Ontmoetingen <noreply@ontmoetingen.invalid>"
        ),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Public read pages are kept this many seconds per process (portal/page_cache.py).
        "PUBLIC_CACHE_SECONDS": _int("PUBLIC_CACHE_SECONDS", 10),
        # Link to the municipality's NL Design System theme CSS; the example theme otherwise.
        "THEME_CSS_URL": os.environ.get("THEME_CSS_URL", ""),
        "THEME_CLASS": os.environ.get("THEME_CLASS", "voorbeeld-theme"),
        "PORTAL_NAME": os.environ.get("PORTAL_NAME", "Ontmoetingen"),
        "PASSWORD_RESET_HOURS": _int("PASSWORD_RESET_HOURS", 2),
        # Werkzeug's scrypt (N=32768, r=8, p=1). Only the test suite lowers the cost.
        "PASSWORD_HASH_METHOD": "scrypt",
        "RETENTION_DAYS_AFTER_SERIES": _int("RETENTION_DAYS_AFTER_SERIES", 90),
        "REMINDER_DAYS_BEFORE": _int("REMINDER_DAYS_BEFORE", 2),
        # Ask residents "did it really change?" this long after a change took effect.
        "CONFIRMATION_DELAY_DAYS": _int("CONFIRMATION_DELAY_DAYS", 14),
        # The personal evaluation link goes out this long after a meeting ends, so that the
        # facilitators can mark who came first (see portal/learning/evaluation_links.py).
        "EVALUATION_LINK_DELAY_MINUTES": _int("EVALUATION_LINK_DELAY_MINUTES", 60),
        # Check-in mails this many months after a series' last meeting (opt-in only).
        "FOLLOW_UP_MONTHS": _months("FOLLOW_UP_MONTHS", (3, 6)),
        # Sign-ups per client per hour (the same household or library computer may sign up a few).
        "REGISTRATION_RATE_LIMIT": _int("REGISTRATION_RATE_LIMIT", 10),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": TIME_ZONE,
        "LANGUAGES": ("nl", "en"),
        # A story can take an hour to type: the token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": is_production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": is_production,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PREFERRED_URL_SCHEME": "https" if is_production else "http",
    }
