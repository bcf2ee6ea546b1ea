"""Receipt codes: easy to read aloud and write down, shown once, stored only as hashes.

A code is 16 symbols from Crockford's base32 alphabet (0-9 and A-Z without I, L, O, U: no
look-alikes), so 16 x 5 = 80 bits of randomness, written as four groups of four.

Why two hashes:
- `lookup_key` is HMAC-SHA256 of the code with the app's SECRET_KEY. It is deterministic, so it
  can be indexed (unique column) and a lookup is one indexed query instead of running the slow
  hash against every row. Without the secret key it is useless for testing guesses.
- `hash_code` is scrypt with a per-row random salt: what actually proves the code. Should the
  database leak, the stored values do not give codes back.
Both are one-way, so nobody, not even a facilitator or an administrator, can recover a code; a lost
code cannot be resent. Rotating SECRET_KEY makes existing codes unfindable; keep it stable.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LENGTH = 4
CODE_LENGTH = GROUPS * GROUP_LENGTH
BITS = CODE_LENGTH * 5  # log2(32) = 5 bits per symbol

# scrypt cost: about 16 MB and a few tens of milliseconds per hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

# What people write instead: lower case, O for zero, I or L for one.
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·–—]+")


def generate_code() -> str:
    """A fresh code: four groups of four characters joined by dashes."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i:i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise_code(typed: str | None) -> str | None:
    """The canonical 16 symbols, or None when what was typed cannot be a code."""
    if not typed or len(typed) > 64:
        return None
    cleaned = _SEPARATORS.sub("", typed).upper().translate(_TRANSLATE)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def lookup_key(code: str, secret_key: str) -> str:
    """Keyed fast hash of the normalised code: finds the row through an index."""
    return hmac.new(secret_key.encode(), b"receipt:" + code.encode(), hashlib.sha256).hexdigest()


def hash_code(code: str) -> str:
    """Slow salted hash to store: scrypt$N$r$p$salt$hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(code.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_code(code: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                p=int(p), dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def burn_time() -> None:
    """Spend the time of one verification, so an unknown code answers as slowly as a known one."""
    verify_code("0" * CODE_LENGTH, _DUMMY)


_DUMMY = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32
