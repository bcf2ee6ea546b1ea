"""Every documented endpoint behaves as documented: schemathesis generates requests from the
OpenAPI document the app serves and checks status codes, content types and response bodies
against it (with a valid token; and without one, that the documented 401 comes)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.wishes.models import WishStatus
from tests.wishes.factories import create_wish


@pytest.fixture
def api_schema(app, world, make_token):
    for status in (WishStatus.ROUTED, WishStatus.IN_PROGRESS, WishStatus.CHANGED):
        create_wish(status, municipality=world.municipality, organisation=world.organisation)
    create_wish(WishStatus.ROUTED, municipality=world.other_municipality,
                organisation=world.other_organisation)
    from portal.extensions import db

    db.session.commit()
    app.config["API_TEST_TOKEN"] = make_token(world.organisation, world.coordinator)
    # A schema cannot say which steps a wish's status allows, nor that a note must hold more
    # than spaces: valid-looking data may meet the documented 409 or 422 as well.
    config = schemathesis.config.SchemathesisConfig.from_dict({"checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}}})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def test_api_matches_its_openapi_document(api_schema, app):
    """Each operation in turn, a dozen generated requests each (bounded, so it stays fast)."""
    headers = {"Authorization": f"Bearer {app.config['API_TEST_TOKEN']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers)

        check()


def test_document_is_served_and_lists_every_api_route(client, app):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {("/api/v1" + path.replace("{", "<int:").replace("}", ">"), method.upper())
                  for path, item in document["paths"].items() for method in item}
    served = {(rule.rule, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented
