"""The app builds from any working directory, with safe settings."""
from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from portal.config import ConfigError, load_config
from portal.extensions import db


def test_templates_and_static_are_found_from_any_directory(tmp_path, database_url):
    code = (
        "from portal import create_app\n"
        f"app = create_app({{'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': {database_url!r}}})\n"
        "r = app.test_client().get('/account/inloggen')\n"
        "s = app.test_client().get('/static/css/portal.css'); s.close()\n"
        "print(r.status_code, s.status_code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split() == ["200", "200"], result.stderr[-2000:]


def test_production_refuses_a_missing_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path)


def test_development_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32
    assert load_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.db'}"


def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/portal")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/portal"


def test_bad_number_in_environment_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        load_config(tmp_path)


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(app):
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(app_context):
    from portal.directory.models import Venue

    db.session.add(Venue(municipality_id=987654, name="x", street="y", city="z"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_passwords_are_hashed_with_full_strength_scrypt_outside_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    assert load_config(tmp_path)["PASSWORD_HASH_METHOD"] == "scrypt"
