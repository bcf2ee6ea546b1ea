"""The one way list pages read which page is asked for (`?pagina=`) and load it."""
from __future__ import annotations

from flask import request, url_for

from portal.extensions import db

PAGE_ARG = "pagina"
PER_PAGE = 25
MAX_PAGE = 10_000  # a larger page number would only overflow the database's OFFSET


def requested_page() -> int:
    """The page number from the query string, kept within 1..MAX_PAGE (junk means page 1)."""
    page = request.args.get(PAGE_ARG, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def paginate(query, per_page: int = PER_PAGE):
    """The requested page of `query`: a count and the rows (plus the query's selectinloads);
    a page past the end is empty, not a 404."""
    return db.paginate(query, page=requested_page(), per_page=per_page, error_out=False)


def page_url(page: int) -> str:
    """Template global: this page's URL with every filter kept and another page number."""
    args = {k: v for k, v in request.args.items() if k != PAGE_ARG}
    return url_for(request.endpoint, **(request.view_args or {}), **args, **{PAGE_ARG: page})
