"""The signature on every webhook: HMAC-SHA256 over "<timestamp>.<body>" (docs/webhooks.md)."""
from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 5 * 60


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str,
           now: float | None = None, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """The receiver's check, as documented: right signature, and not older than 5 minutes."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    if age > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
