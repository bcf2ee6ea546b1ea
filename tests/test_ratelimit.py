"""Rate-limit counters: in memory by default, in Redis when REDIS_URL is set (shared by processes)."""
from __future__ import annotations

import os

import pytest

from portal import ratelimit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_memory_counter_limits_within_a_window(app):
    with app.test_request_context():
        results = [ratelimit.hit("t", "client-a", limit=3, window_seconds=60) for _ in range(5)]
        assert results == [True, True, True, False, False]
        assert ratelimit.hit("t", "client-b", limit=3, window_seconds=60)
        ratelimit.reset("t", "client-a")
        assert ratelimit.hit("t", "client-a", limit=3, window_seconds=60)


def test_keys_are_hashed_not_readable(app):
    with app.test_request_context():
        ratelimit.hit("login-client", "203.0.113.7", limit=3, window_seconds=60)
        counter = app.extensions["portal_ratelimit"]
        assert not any("203.0.113.7" in key for key in counter._windows)


def test_redis_counter_is_shared_between_app_instances(make_app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server here")
    first, second = make_app(REDIS_URL=REDIS_URL), make_app(REDIS_URL=REDIS_URL)
    subject = f"client-{os.getpid()}-{id(first)}"
    with first.test_request_context():
        ratelimit.reset("shared", subject)
        assert ratelimit.hit("shared", subject, limit=2, window_seconds=60)
        assert ratelimit.hit("shared", subject, limit=2, window_seconds=60)
    with second.test_request_context():
        assert not ratelimit.hit("shared", subject, limit=2, window_seconds=60)
        ratelimit.reset("shared", subject)
