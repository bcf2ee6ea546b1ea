"""Engine set-up per dialect, the one way to take a write lock before a capacity check, and the
one way to read an id someone sent."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; a larger number overflows the driver


def database_id(value) -> int | None:
    """An id from a form field or the query string, or None when it cannot be one. Only ASCII
    digits count: "²" and "١" pass str.isdigit() but int() refuses them."""
    value = str(value if value is not None else "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy emit BEGIN itself, so a transaction can start IMMEDIATE when it writes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
        # writes, fails with "database is locked" under concurrency despite the busy timeout.
        # Asked for per transaction by begin_immediate() (an execution option), or for every
        # transaction of a connection by connection.info["immediate"].
        immediate = bool(connection.get_execution_options().get(IMMEDIATE_OPTION)
                         or connection.info.get("immediate"))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        # Recorded per transaction, so holds_write_lock() can tell what this one began with.
        connection.info[_BEGAN_IMMEDIATE] = immediate


IMMEDIATE_OPTION = "portal_sqlite_immediate"
_BEGAN_IMMEDIATE = "portal_began_immediate"


def begin_immediate() -> None:
    """Start the session's transaction so that it holds the write lock from its first statement.

    SQLite ignores SELECT ... FOR UPDATE: a capacity check there is only safe in a transaction
    begun with BEGIN IMMEDIATE. Call this before the first statement of such a transaction. A
    read-only transaction that is already open (the login loading the user, the view loading the
    series) is ended first; pending changes are a programming error. On PostgreSQL nothing
    happens here: the service locks the row it counts under (SELECT ... FOR UPDATE).
    """
    if db.engine.dialect.name != "sqlite":
        return
    session = db.session()
    if session.in_transaction():
        if holds_write_lock():
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_immediate() with unflushed changes in the session")
        session.commit()
    session.connection(execution_options={IMMEDIATE_OPTION: True})


def holds_write_lock() -> bool:
    """On SQLite: whether the session's current transaction began IMMEDIATE. True elsewhere."""
    if db.engine.dialect.name != "sqlite":
        return True
    session = db.session()
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get(_BEGAN_IMMEDIATE))


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"
