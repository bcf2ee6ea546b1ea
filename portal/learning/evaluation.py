"""The evaluation rules in one place: the six statements, the scale, when it is open, the
threshold, and how a personal link is made and recognised.

How "one answer per person per meeting, never linkable to the person" is kept
-------------------------------------------------------------------------------
Three ways in, two kinds of guard:

* Personal link (e-mail after the meeting, sent once per meeting by the send-evaluation-links
  job): a random single-use token, 192 bits, one per address. Only HMAC-SHA256(SECRET_KEY,
  token) is stored, in `evaluation_tokens`, a table with the meeting and nothing else: no id,
  no time, no address, no registration. Answering DELETES the token row in the same
  transaction that inserts the answer (`DELETE ... WHERE hash = ?` must remove exactly one
  row, so two clicks at once cannot both count). We delete rather than mark it spent: a
  "spent" flag would be a row written by the same transaction as the answer, kept for
  ever; a deleted row leaves nothing once the database has vacuumed. A used link and a made-up
  link therefore look the same: both get the same friendly "this link does not work (any more)"
  page with a 404.
* Shared QR code shown at the end of the meeting: one random code per meeting, so anyone who
  has it can answer. Here the guard is per browser: a signed cookie listing the meetings this
  browser answered. It stops the honest double tap and the "did I already do this?" second
  answer. It cannot stop someone who clears cookies, uses a private window or a second phone;
  a rate limit per network address (hashed in memory, never stored) and the open window (from
  the meeting's start until QR_OPEN_DAYS after its end) keep that small. Facilitators see the
  number of answers next to the number of people present, so a flood shows.
* Paper form typed in by a facilitator: stored exactly like the others; only the meeting's
  total `paper_count` says that some answers came on paper, never which.

What is stored per answer: the meeting, the date (not the time) and the six scores; the open
answers go to a separate table without a reference to the scores. Primary keys are random, so the
order of rows says nothing. Nothing joins an answer to a token, a registration, an account or a
mail. Honest limits: the outbox keeps each sent mail (address and link) until retention removes
it, so someone with the database and the secret key could tell whether a person's link was used
(whether they answered, never what); and someone reading PostgreSQL's internals (transaction
ids, write-ahead log) on the live server could see which rows one transaction touched until
vacuum. Results are hidden below MIN_ANSWERS answers; a facilitator who watches the results
change from one answer to the next can still see what that one answer added.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from portal.learning.models import SCORE_KEYS
from portal.models import utcnow
from portal.reports.suppression import THRESHOLD

MIN_ANSWERS = THRESHOLD  # results show from as many answers as any report figure about people
QR_OPEN_DAYS = 3
LINK_OPEN_DAYS = 30
# The job mails links for meetings that ended at most this long ago: a first run after an outage
# (or right after an upgrade) must not mail people about a meeting of weeks ago.
LINK_SEND_DAYS = 3
PAPER_OPEN_DAYS = 60
MAX_REMARK = 2000
CLOSING_MEETING = 4
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes: easy to type from a screen
CODE_LENGTH = 10


@dataclass(frozen=True)
class Statement:
    key: str
    text: object  # lazy string


STATEMENTS = (
    Statement("heard", _l("I felt heard.")),
    Statement("no_judgement", _l("Nobody judged me.")),
    Statement("understand", _l("I understand the others better now.")),
    Statement("learned", _l("I learned from someone whose life is different from mine.")),
    Statement("belong", _l("I feel I belong in this group.")),
    Statement("can_change", _l("I can help change something.")),
)
assert tuple(s.key for s in STATEMENTS) == SCORE_KEYS

SCALE = (
    (1, _l("No, not at all")),
    (2, _l("Not really")),
    (3, _l("A bit")),
    (4, _l("Yes")),
    (5, _l("Yes, very much")),
)
SCALE_LABELS = dict(SCALE)

STRUCK_QUESTION = _l("What struck you today?")
CHANGE_QUESTION = _l("What should change in how we meet?")


class Channel:
    LINK = "link"
    QR = "qr"
    PAPER = "paper"


_OPEN_DAYS = {Channel.LINK: LINK_OPEN_DAYS, Channel.QR: QR_OPEN_DAYS,
              Channel.PAPER: PAPER_OPEN_DAYS}


def is_closing(meeting) -> bool:
    """The fourth meeting closes the series: its evaluation asks one question more."""
    return meeting.number == CLOSING_MEETING


def is_open(meeting, channel: str, now: datetime | None = None) -> bool:
    """Open from the meeting's start until some days after its end; never when cancelled."""
    now = now or utcnow()
    if meeting.is_cancelled:
        return False
    return meeting.starts_at <= now <= open_until(meeting, channel)


def open_until(meeting, channel: str) -> datetime:
    return meeting.ends_at + timedelta(days=_OPEN_DAYS[channel])


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def is_code_shaped(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str, secret_key: str, purpose: str = "evaluation") -> str:
    """Keyed, so a leaked table cannot be used to test guesses; fast, since tokens are long
    random strings that no one can guess anyway. The purpose keeps an evaluation link from
    ever matching a follow-up link."""
    return hmac.new(secret_key.encode(), purpose.encode() + b":" + token.encode(),
                    hashlib.sha256).hexdigest()


def is_token_shaped(token: str) -> bool:
    return 16 <= len(token) <= 64 and all(ch.isalnum() or ch in "-_" for ch in token)
