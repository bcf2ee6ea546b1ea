"""The one way the portal writes CSV files: streamed, formulas defused, opened right by Excel.

- Separator `;` and a UTF-8 byte-order mark: Dutch Excel (decimal comma, so `;` as list
  separator) opens such a file straight into columns with é, ë and € intact; LibreOffice and
  Numbers detect it too. A comma file would land in one column in a Dutch Excel.
- A cell starting with = + - @, a tab or a carriage return would run as a formula in a
  spreadsheet (CSV injection): it gets a leading apostrophe, so it shows as plain text.
- `csv_response(rows)` streams: the rows are an iterable, written a chunk at a time, so a
  large export never sits whole in memory. `query_rows(query, to_row)` is that iterable for a
  query: it reads `yield_per` rows at a time in a session of its own, because the response is
  iterated after the view has returned and its request's session is gone. So `to_row` may not
  need the request either: give it labels already made into text (`labels()`), not lazy ones.
"""
from __future__ import annotations

import csv
import io
from typing import Callable, Iterable, Iterator

import sqlalchemy as sa
from flask import Response
from sqlalchemy.orm import Session

from portal.extensions import db

DELIMITER = ";"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 200
YIELD_PER = 500


def csv_cell(value) -> str:
    """The text of one cell, with a leading apostrophe when a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterable[str]:
    """The file as text chunks: the BOM and header first, then up to CHUNK_ROWS rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([csv_cell(v) for v in header])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole file as one string (small files, mail attachments, tests)."""
    return "".join(csv_lines(header, rows))


def labels(mapping: dict) -> dict:
    """A label table with its lazy texts made into text now, in the request's language."""
    return {key: str(value) for key, value in mapping.items()}


def query_rows(query: sa.Select, to_row: Callable, yield_per: int = YIELD_PER) -> Iterator:
    """Rows of a CSV file, read from `query` in batches when the response is sent."""
    engine = db.engine  # bound now, inside the request; used later, outside it

    def rows():
        with Session(engine) as session:
            for item in session.scalars(query.execution_options(yield_per=yield_per)):
                yield to_row(item)

    return rows()


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> Response:
    """A streamed download of `header` and `rows` (see query_rows)."""
    response = Response(csv_lines(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
