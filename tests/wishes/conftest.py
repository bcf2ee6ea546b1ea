"""A small world for wish tests: two municipalities, two organisations, a user of every role."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from portal.extensions import db
from portal.seed import seed_defaults
from tests.wishes import factories as wish_factories


@dataclass
class World:
    municipality: object
    other_municipality: object
    organisation: object
    other_organisation: object
    coordinator: object
    facilitator: object
    other_facilitator: object
    member: object
    other_member: object


@pytest.fixture
def wish_factories_module():
    return wish_factories


@pytest.fixture
def world(factories):
    seed_defaults()
    municipality = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    other_municipality = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
    organisation = factories.create_organisation(name="Woonstichting Betuwe Thuis",
                                                 municipalities=[municipality])
    other_organisation = factories.create_organisation(name="Energie Oost",
                                                       municipalities=[other_municipality])
    world = World(
        municipality=municipality, other_municipality=other_municipality,
        organisation=organisation, other_organisation=other_organisation,
        coordinator=factories.create_user("coordinator", email="carla@example.org",
                                          display_name="Carla"),
        facilitator=factories.create_user("facilitator", email="sanne@example.org",
                                          display_name="Sanne", municipalities=[municipality]),
        other_facilitator=factories.create_user("facilitator", email="otto@example.org",
                                                display_name="Otto",
                                                municipalities=[other_municipality]),
        member=factories.create_user("organisation_member", email="petra@example.org",
                                     display_name="Petra", organisation=organisation),
        other_member=factories.create_user("organisation_member", email="emma@example.org",
                                           display_name="Emma", organisation=other_organisation),
    )
    db.session.commit()
    return world


_STEP_TOKEN = re.compile(r'name="(?:[a-z_]+-)?csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def post_step(client):
    """Post one workflow step's form (its fields carry the step as prefix), with the CSRF token
    read from the page like a browser."""

    def post(page_url: str, post_url: str, action: str, **fields):
        page = client.get(page_url).get_data(as_text=True)
        match = _STEP_TOKEN.search(page)
        # A page with no step left to take has no form: a forger takes a token elsewhere.
        token = match.group(1) if match else client.csrf_token("/account/inloggen")
        data = {f"{action}-csrf_token": token}
        data.update({f"{action}-{name}": value for name, value in fields.items()})
        return client.post(post_url, data=data)

    return post
