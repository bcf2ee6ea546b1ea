"""Helpers for the story tests: submit through the real form and read the code off the page."""
from __future__ import annotations

import re

import pytest

CODE_ON_PAGE = re.compile(r'data-testid="receipt-code">([0-9A-Z-]+)<')


def code_from(page: str) -> str:
    match = CODE_ON_PAGE.search(page)
    assert match, "no receipt code on the page"
    return match.group(1)


@pytest.fixture
def story_factories(app):
    from tests.stories import factories as module

    with app.app_context():
        yield module


@pytest.fixture
def municipality(app):
    from portal.extensions import db
    from tests import factories

    with app.app_context():
        municipality = factories.create_municipality(name="Lingewaard", slug="lingewaard")
        db.session.commit()
        return municipality.id


@pytest.fixture
def submit(client, municipality):
    """submit(**fields) posts the public form like a browser; returns (response, code|None)."""

    def post(**fields):
        data = {"kind": "story", "title": "", "body": "Brieven komen altijd op vrijdag.",
                "municipality": str(municipality), "consent": "public"} | fields
        response = client.post_form("/vertel", data)
        page = response.get_data(as_text=True)
        match = CODE_ON_PAGE.search(page)
        return response, (match.group(1) if match else None)

    return post


@pytest.fixture
def open_receipt(client):
    def post(code: str, **kwargs):
        return client.post_form("/bon", {"code": code}, **kwargs)

    return post
