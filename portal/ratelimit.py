"""Fixed-window rate limits. Counters live in Redis when REDIS_URL is set, in memory otherwise.

Keys are hashed with the secret key before they are counted, so an IP address or e-mail address
never sits in memory or Redis in readable form.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time

from flask import current_app


class MemoryCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._windows.get(key, (0, now + window_seconds))
            if expires <= now:
                count, expires = 0, now + window_seconds
            count += 1
            self._windows[key] = (count, expires)
            if len(self._windows) > 50_000:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
            return count

    def peek(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._windows.get(key, (0, 0.0))
            return count if expires > now else 0

    def reset(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)


class RedisCounter:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str, window_seconds: int) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def peek(self, key: str) -> int:
        return int(self._redis.get(key) or 0)

    def reset(self, key: str) -> None:
        self._redis.delete(key)


def _counter():
    ext = current_app.extensions
    if "portal_ratelimit" not in ext:
        url = current_app.config.get("REDIS_URL")
        ext["portal_ratelimit"] = RedisCounter(url) if url else MemoryCounter()
    return ext["portal_ratelimit"]


def _key(scope: str, subject: str) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), subject.encode(), hashlib.sha256)
    return f"portal:rl:{scope}:{digest.hexdigest()[:32]}"


def hit(scope: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the subject stays within `limit` per window."""
    return _counter().hit(_key(scope, subject), window_seconds) <= limit


def is_limited(scope: str, subject: str, *, limit: int) -> bool:
    return _counter().peek(_key(scope, subject)) >= limit


def reset(scope: str, subject: str) -> None:
    _counter().reset(_key(scope, subject))
