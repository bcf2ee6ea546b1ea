"""A few seconds of caching for public read pages, per process (micro-caching).

Public pages are read far more than written and are the same for every anonymous reader, so a
rendered page is kept for PUBLIC_CACHE_SECONDS and served again without queries or templates.
It is an optimisation only: each process keeps its own copy, nothing depends on it being shared,
and a change shows on the public pages within those few seconds. Only requests without a session
cookie use it (staff and people with a form open always get a fresh page), and only responses
that set no cookie are kept.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, current_app, request

from portal.i18n import LANGUAGE_COOKIE

MAX_ENTRIES = 512
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Last-Modified")


def cached_public_page(view):
    """Mark a @public view whose page is the same for every anonymous reader."""
    view.portal_page_cache = True
    return view


class PageCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[float, bytes, int, list]] = OrderedDict()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key, body: bytes, status: int, headers: list) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self.seconds, body, status, headers)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _cache() -> PageCache | None:
    return current_app.extensions.get("portal_page_cache")


def _key():
    """None when this request may not use the cache."""
    if request.method != "GET" or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "portal_page_cache", False):
        return None
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies or \
            "remember_token" in request.cookies or "Authorization" in request.headers:
        return None
    return (request.full_path, request.cookies.get(LANGUAGE_COOKIE, ""))


def serve_from_cache():
    cache, key = _cache(), _key()
    if cache is None or key is None:
        return None
    entry = cache.get(key)
    if entry is None:
        return None
    _, body, status, headers = entry
    response = Response(body, status=status, headers=headers)
    response.headers["X-Cache"] = "hit"
    return response


def store_in_cache(response: Response) -> Response:
    cache = _cache()
    if cache is None or response.status_code != 200 or response.is_streamed \
            or "X-Cache" in response.headers or "Set-Cookie" in response.headers:
        return response
    key = _key()
    if key is None:
        return response
    headers = [(name, value) for name, value in response.headers.items()
               if name in _KEPT_HEADERS]
    cache.put(key, response.get_data(), response.status_code, headers)
    return response


def init_page_cache(app: Flask) -> None:
    seconds = app.config.get("PUBLIC_CACHE_SECONDS", 0)
    if seconds and seconds > 0:
        app.extensions["portal_page_cache"] = PageCache(seconds)
