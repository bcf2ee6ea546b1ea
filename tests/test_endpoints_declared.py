"""Every endpoint says who may use it (@public or @require); nothing is open by accident."""
from portal.auth.permissions import declared_permission


def test_every_endpoint_declares_its_permission(app):
    with app.test_request_context():
        undeclared = sorted(
            rule.endpoint for rule in app.url_map.iter_rules()
            if declared_permission(rule.endpoint) is None
        )
    assert undeclared == []


def test_an_undeclared_endpoint_is_refused(make_app):
    app = make_app()
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_ids_beyond_the_database_range_are_not_found(client, login_as):
    login_as("coordinator")
    for url in ("/beheer/gemeenten/99999999999999999999", "/beheer/gemeenten/2147483648",
                "/begeleiding/verhalen/99999999999999999999"):
        assert client.get(url).status_code == 404, url
