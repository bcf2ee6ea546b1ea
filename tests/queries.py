"""Count what a request costs in SQL: `with sql_statements(app) as statements: ...`."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from portal.extensions import db


@contextmanager
def sql_statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends inside the block, in order."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
