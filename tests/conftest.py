"""Fixtures: one app per database run (TEST_DATABASE=sqlite|postgresql), a clean database per test,
a client that fills in CSRF tokens like a browser, login_as(role), and factories."""
from __future__ import annotations

import contextvars
import os
import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import db
from tests.queries import sql_statements

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATABASE_KIND = os.environ.get("TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"


def pytest_report_header(config):
    return f"database: {DATABASE_KIND}"


def pytest_collection_modifyitems(config, items):
    other = "sqlite_only" if DATABASE_KIND == "postgresql" else "postgresql_only"
    skip = pytest.mark.skip(reason=f"not about {DATABASE_KIND}")
    for item in items:
        if other in item.keywords:
            item.add_marker(skip)


def _unavailable(what: str):
    if IN_CI:
        pytest.fail(f"{what} is required under CI", pytrace=False)
    pytest.skip(f"{what} is not available here")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A private database for this run: a SQLite file, or a fresh PostgreSQL schema."""
    if DATABASE_KIND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        engine.dispose()
        _unavailable(f"PostgreSQL at {POSTGRES_URL}")
    schema = f"portal_test_{uuid.uuid4().hex[:10]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def base_config(database_url, tmp_path_factory):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": "",
        "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        # Real scrypt, lower cost: hundreds of test accounts would otherwise take minutes.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Tests change data and read the public page at once; tests/test_page_cache.py turns it on.
        "PUBLIC_CACHE_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def app(base_config):
    app = create_app(dict(base_config))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts with empty tables and fresh rate-limit counters."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    app.extensions.pop("portal_ratelimit", None)
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        # DELETE, children first: on a few rows much faster than PostgreSQL's TRUNCATE.
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(sa.text(f'DELETE FROM "{table}"'))


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def make_app(base_config):
    """An app with other settings, on the same database."""
    made = []

    def make(**overrides):
        new_app = create_app({**base_config, **overrides})
        made.append(new_app)
        return new_app

    yield make
    for made_app in made:
        with made_app.app_context():
            db.engine.dispose()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class PortalClient(FlaskClient):
    """post_form() reads the CSRF token from the page first, as a browser would.

    Each request runs in an empty contextvars context: a test that holds an app context open
    (e.g. through `factories`) must not share its `g` or database session with the requests,
    just as separate requests share nothing in production.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self, url: str = "/account/inloggen") -> str:
        page = self.get(url).get_data(as_text=True)
        match = _CSRF.search(page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, *, token_from: str | None = None,
                  **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from or url))
        return self.post(url, data=data, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def count_queries(app):
    """with count_queries() as statements: ... every SQL statement sent meanwhile."""
    return lambda: sql_statements(app)


@pytest.fixture
def factories(app):
    from tests import factories as module

    with app.app_context():
        yield module


@pytest.fixture
def login_as(app, client):
    """login_as("facilitator") creates such a user (or uses the one given) and logs in."""
    from tests import factories

    def login(role_or_user="facilitator", **user_kwargs):
        with app.app_context():
            if isinstance(role_or_user, str):
                user = factories.create_user(role=role_or_user, **user_kwargs)
            else:
                user = role_or_user
            email, user_id = user.email, user.id
            db.session.commit()
        response = client.post_form("/account/inloggen", {"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        with app.app_context():
            return db.session.get(type(user), user_id)

    return login


def outbox_messages(app):
    from portal.mail.models import OutboxMessage

    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def outbox(app):
    return lambda: outbox_messages(app)


# Browser tests ------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served on a free local port, in a thread of this process."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A cheap phone: 360 px wide, touch."""
    context = browser.new_context(base_url=live_server, locale="nl-NL",
                                  viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
