"""Fixtures for the coordinator screens."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.extensions import db

CATALOGUE = Path(__file__).resolve().parents[2] / "portal/translations/nl/LC_MESSAGES/messages.po"


@pytest.fixture
def coordinator(login_as):
    """The client is logged in as a coordinator; returns that user."""
    return login_as("coordinator")


@pytest.fixture
def quick_coordinator(app, client):
    """Like `coordinator`, without the deliberately slow password hashing: for the many
    parametrised cases. The session holds what a real login stores."""
    from tests import factories

    with app.app_context():
        user = factories.create_user("coordinator", password=None)
        session_id, user_id = user.get_id(), user.id
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return user_id


@pytest.fixture
def in_db(app):
    """in_db(fn) runs fn inside an app context, commits, and returns its result."""
    def run(fn):
        with app.app_context():
            result = fn()
            db.session.commit()
            return result
    return run


def _dutch_patterns() -> list[re.Pattern]:
    with open(CATALOGUE, "rb") as f:
        catalogue = read_po(f)
    patterns = []
    for message in catalogue:
        text = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        if message.id and text:
            patterns.append(re.compile(
                "^" + re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(text)) + "$"))
    return patterns


DUTCH = _dutch_patterns()


def field_error(page: str, field_id: str) -> str | None:
    """The error message shown under a field, or None."""
    match = re.search(rf'id="{re.escape(field_id)}-error"><span[^>]*>[^<]*</span>(.*?)</div>',
                      page, re.DOTALL)
    return html.unescape(match.group(1)).strip() if match else None


def is_dutch(message: str) -> bool:
    """True when the message is one of the Dutch texts in the catalogue."""
    return any(pattern.match(message) for pattern in DUTCH)
