"""API fixtures: the wishes world (tests/wishes/conftest.py) plus a token per organisation."""
from __future__ import annotations

import pytest

from portal.api import service
from portal.extensions import db
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)


@pytest.fixture
def make_token(app):
    def make(organisation, actor):
        _row, token = service.create_token(actor, organisation, "Zaaksysteem")
        db.session.commit()
        return token

    return make


@pytest.fixture
def api(client):
    """api("GET", "/wishes", token) → response; JSON bodies as json=."""

    def call(method: str, path: str, token: str | None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call
