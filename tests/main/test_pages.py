"""Home page, language switch, health check, error pages, response headers."""
from __future__ import annotations

import pytest


def test_home_is_dutch_by_default(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl"' in page
    assert "Ontmoetingen: elkaar ontmoeten, samen iets veranderen" in page
    assert 'href="#main-content"' in page and 'id="main-content"' in page


def test_anonymous_readers_get_no_session_cookie(client):
    response = client.get("/")
    assert "Set-Cookie" not in response.headers


def test_language_switch_works_without_javascript(client):
    response = client.get("/taal/en?next=/account/inloggen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/inloggen"
    page = client.get("/account/inloggen").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "E-mail address" in page
    assert 'hreflang="nl"' in page  # the way back
    client.get("/taal/nl")
    assert "E-mailadres" in client.get("/account/inloggen").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example"])
def test_language_switch_does_not_redirect_away(client, target):
    response = client.get(f"/taal/en?next={target}")
    assert response.headers["Location"] in ("/", "/dashboard")


def test_unknown_language_is_ignored(client):
    client.get("/taal/xx")
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"
    assert "Set-Cookie" not in response.headers


def test_healthz_reports_an_unreachable_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
                   SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_not_found_page_is_friendly_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "We kunnen deze pagina niet vinden" in response.get_data(as_text=True)


def test_unexpected_error_shows_the_friendly_page_without_details(make_app):
    app = make_app()

    def broken():
        raise RuntimeError("secret internal detail")

    broken.portal_permission = "public"
    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, er ging bij ons iets mis" in page
    assert "secret internal detail" not in page and "Traceback" not in page


@pytest.mark.parametrize("url", ["/?q=%00", "/account/inloggen?next=%00x", "/bestaat%00niet"])
def test_control_characters_in_the_url_are_refused_politely(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert "<html" in response.get_data(as_text=True)


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_served_locally(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.split("<body")[0].replace("http://localhost", "")
    assert "https://" not in page.split("<body")[0]
    for asset in ("/static/css/portal.css", "/static/vendor/utrecht/index.css",
                  "/static/vendor/voorbeeld/theme.css"):
        with client.get(asset) as response:
            assert response.status_code == 200, asset


def test_a_municipality_theme_can_replace_the_example_theme(make_app):
    app = make_app(THEME_CSS_URL="https://huisstijl.gemeente.example/theme.css",
                   THEME_CLASS="gemeente-theme")
    response = app.test_client().get("/")
    page = response.get_data(as_text=True)
    assert 'href="https://huisstijl.gemeente.example/theme.css"' in page
    assert "voorbeeld/theme.css" not in page
    assert 'class="utrecht-document gemeente-theme"' in page
    assert "https://huisstijl.gemeente.example" in response.headers["Content-Security-Policy"]


def test_form_fields_never_render_none_attributes(client):
    page = client.post_form("/account/inloggen", {"email": "", "password": ""}).get_data(
        as_text=True)
    assert '"None"' not in page
    assert 'type="email"' in page and 'type="password"' in page
