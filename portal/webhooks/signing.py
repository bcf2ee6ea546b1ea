"""The signature on every webhook: HMAC-SHA256 over "<timestamp>.<body>". Receivers check it
with the recipe in docs/webhooks.md (the tests run that very recipe)."""
from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()
