"""Ontmoetingen portal: create_app() is the only place the application is built."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config → extensions → blueprints → cli → errors."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    register_config(app, config)
    register_logging(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_cli(app)
    register_errors(app)
    register_request_hooks(app)
    return app


def register_config(app: Flask, overrides: dict | None) -> None:
    from portal.config import load_config

    app.config.from_mapping(load_config(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def register_logging(app: Flask) -> None:
    from portal.logs import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    from portal import database
    from portal.extensions import babel, csrf, db, login_manager, migrate
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login_manager.init_app(app)
    # Feature models register with the metadata (migrations and create_all see them all).
    import portal.all_models  # noqa: F401
    from portal.auth.service import configure_login

    configure_login(login_manager)


def register_url_converters(app: Flask) -> None:
    """Ids in URLs stay within the database's integer range: a larger one is a 404, not an
    overflow error from the database driver."""
    from werkzeug.routing import IntegerConverter

    from portal.database import MAX_ID

    class DatabaseId(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseId


def register_blueprints(app: Flask) -> None:
    from portal.api.manage import bp as integrations_bp
    from portal.api.views import bp as api_bp
    from portal.auth.views import bp as auth_bp
    from portal.directory.views import bp as directory_bp
    from portal.learning.admin import bp as plain_words_bp
    from portal.learning.follow_up_public import bp as follow_up_public_bp
    from portal.learning.practice_public import bp as practices_public_bp
    from portal.learning.practice_views import bp as practices_bp
    from portal.learning.public import bp as learning_public_bp
    from portal.learning.views import bp as learning_bp
    from portal.main.views import bp as main_bp
    from portal.registrations.public import bp as registrations_public_bp
    from portal.reports.views import bp as reports_bp
    from portal.registrations.views import bp as registrations_bp
    from portal.series.library import bp as agenda_library_bp
    from portal.series.public import bp as series_public_bp
    from portal.series.views import bp as series_bp
    from portal.stories.public import bp as stories_public_bp
    from portal.stories.views import bp as stories_bp
    from portal.wishes.public import bp as wishes_public_bp
    from portal.wishes.rules import bp as routing_rules_bp
    from portal.wishes.views import bp as wishes_bp
    from portal.wishes.workspace import bp as workspace_bp

    for bp in (main_bp, auth_bp, directory_bp, series_bp, series_public_bp, agenda_library_bp,
               registrations_bp, registrations_public_bp, stories_bp, stories_public_bp,
               wishes_bp, workspace_bp, wishes_public_bp, routing_rules_bp, learning_bp,
               learning_public_bp, follow_up_public_bp, plain_words_bp, practices_bp,
               practices_public_bp, reports_bp, api_bp, integrations_bp):
        app.register_blueprint(bp)


def register_cli(app: Flask) -> None:
    from portal.cli import portal_cli

    app.cli.add_command(portal_cli)


def register_errors(app: Flask) -> None:
    from portal.errors import register_error_handlers

    register_error_handlers(app)


def register_request_hooks(app: Flask) -> None:
    from portal.auth.permissions import enforce_declared_permissions
    from portal.page_cache import init_page_cache, serve_from_cache, store_in_cache
    from portal.security import add_security_headers, refuse_control_characters_in_url
    from portal.i18n import inject_template_globals, theme_name

    app.before_request(refuse_control_characters_in_url)
    app.before_request(enforce_declared_permissions)
    init_page_cache(app)
    app.before_request(serve_from_cache)
    app.after_request(add_security_headers)
    app.after_request(store_in_cache)
    app.context_processor(inject_template_globals)
    app.add_template_filter(theme_name)
    from portal.pagination import page_url

    app.add_template_global(page_url)
