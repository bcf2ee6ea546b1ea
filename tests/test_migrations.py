"""The migrations build exactly the models' schema, and every downgrade works."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import ROOT
from portal.extensions import db
from tests.conftest import DATABASE_KIND, POSTGRES_URL

MIGRATIONS = str(ROOT / "migrations")


@pytest.fixture
def empty_database_app(make_app, tmp_path):
    """An app on a database of its own with no tables at all."""
    if DATABASE_KIND == "sqlite":
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrations.db'}")
        return
    schema = f"portal_migr_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield make_app(SQLALCHEMY_DATABASE_URI=f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}")
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _schema_differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_builds_exactly_the_models_schema(empty_database_app):
    app = empty_database_app
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    assert _schema_differences(app) == []
    assert _tables(app) == set(db.metadata.tables)


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(empty_database_app):
    app = empty_database_app
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
    assert _tables(app) == set()
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    assert _schema_differences(app) == []


def test_each_revision_downgrades_one_step(empty_database_app):
    app = empty_database_app
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        script_heads = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(script_heads) == 1, "one head: migrations must not branch"
        downgrade(directory=MIGRATIONS, revision="-1")
        upgrade(directory=MIGRATIONS)
    assert _schema_differences(app) == []
