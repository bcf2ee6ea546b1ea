"""Only coordinators open the management screens; others get 403, anonymous people log in."""
from __future__ import annotations

import pytest

from portal.extensions import db

LIST_PAGES = ["/beheer/", "/beheer/gemeenten", "/beheer/locaties", "/beheer/organisaties",
              "/beheer/themas", "/beheer/gebruikers"]
NEW_PAGES = ["/beheer/gemeenten/nieuw", "/beheer/locaties/nieuw", "/beheer/organisaties/nieuw",
             "/beheer/themas/nieuw", "/beheer/gebruikers/nieuw"]
SECTIONS = ["gemeenten", "locaties", "organisaties", "themas", "gebruikers"]


@pytest.fixture
def objects(app, factories):
    """One of everything, by URL section."""
    from tests.directory.factories import create_theme

    venue = factories.create_venue()
    organisation = factories.create_organisation(municipalities=[venue.municipality])
    user = factories.create_user("organisation_member", organisation=organisation)
    theme = create_theme()
    ids = {"gemeenten": venue.municipality_id, "locaties": venue.id,
           "organisaties": organisation.id, "themas": theme.id, "gebruikers": user.id}
    db.session.commit()
    return ids


def _edit_pages(objects):
    return [f"/beheer/{section}/{objects[section]}" for section in SECTIONS]


def test_a_coordinator_opens_every_page(client, coordinator, objects):
    for url in LIST_PAGES + NEW_PAGES + _edit_pages(objects):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<h1" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["facilitator", "organisation_member"])
def test_other_staff_get_403_on_every_page_and_action(client, login_as, objects, role):
    login_as(role)
    for url in LIST_PAGES + NEW_PAGES + _edit_pages(objects):
        assert client.get(url).status_code == 403, url
    token = client.csrf_token("/account/wachtwoord")
    for section in SECTIONS:
        for action in ("deactiveren", "activeren"):
            url = f"/beheer/{section}/{objects[section]}/{action}"
            assert client.post(url, data={"csrf_token": token}).status_code == 403, url
    url = f"/beheer/gebruikers/{objects['gebruikers']}/uitnodiging"
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert client.post("/beheer/gemeenten/nieuw",
                       data={"csrf_token": token, "name": "Stiekem"}).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, objects):
    for url in LIST_PAGES + NEW_PAGES + _edit_pages(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/account/inloggen?next=")
    response = client.post(f"/beheer/gemeenten/{objects['gemeenten']}/deactiveren")
    assert response.status_code in (400, 401)


def test_an_unknown_id_is_404(client, coordinator, objects):
    for section in SECTIONS:
        assert client.get(f"/beheer/{section}/999999").status_code == 404, section
        for action in ("deactiveren", "activeren"):
            response = client.post_form(f"/beheer/{section}/999999/{action}",
                                        token_from="/beheer/")
            assert response.status_code == 404, (section, action)
    response = client.post_form("/beheer/gebruikers/999999/uitnodiging", token_from="/beheer/")
    assert response.status_code == 404
    assert client.get("/beheer/onbekend/1/deactiveren").status_code in (404, 405)
    assert client.get("/beheer/gemeenten/abc").status_code == 404


def test_the_overview_links_to_every_list_with_counts(client, coordinator, objects):
    page = client.get("/beheer/").get_data(as_text=True)
    for url in LIST_PAGES[1:]:
        assert f'href="{url}"' in page
    assert "Gemeenten" in page and "Locaties" in page and "Thema's" in page
    # One municipality, venue, organisation and theme; two users (coordinator and member).
    assert "<strong>1</strong> in totaal" in page
    assert "<strong>2</strong> in totaal" in page  # the coordinator and the member
