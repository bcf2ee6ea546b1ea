"""Lists page through their rows and load in a fixed number of queries, however many rows."""
from __future__ import annotations

import pytest

from portal.directory.models import ThemeGroup
from portal.extensions import db
from tests.directory.factories import create_theme


def _add_rows(factories, section: str, count: int) -> None:
    """count rows, each with its own related rows, so a lazy load would show up per row."""
    for _ in range(count):
        municipality = factories.create_municipality()
        if section == "locaties":
            factories.create_venue(municipality=municipality)
        elif section == "organisaties":
            factories.create_organisation(municipalities=[municipality,
                                                          factories.create_municipality()])
        elif section == "themas":
            create_theme(group=ThemeGroup.SOCIAL_QUALITY)
        elif section == "gebruikers":
            factories.create_user("organisation_member", password=None)
            factories.create_user("facilitator", password=None, municipalities=[municipality])
    db.session.commit()


@pytest.mark.parametrize("url", ["/beheer/gemeenten", "/beheer/locaties", "/beheer/organisaties",
                                 "/beheer/themas", "/beheer/gebruikers",
                                 "/beheer/gebruikers?rol=facilitator", "/beheer/"])
def test_a_list_takes_as_many_queries_for_30_rows_as_for_3(client, coordinator, factories,
                                                           count_queries, url):
    section = url.split("/")[2].split("?")[0]
    _add_rows(factories, section, 3)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add_rows(factories, section, 27)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= 8


def test_lists_are_paged(client, coordinator, factories):
    for n in range(30):
        factories.create_municipality(name=f"Gemeente {n:02d}", slug=f"gemeente-{n:02d}")
    db.session.commit()
    first = client.get("/beheer/gemeenten").get_data(as_text=True)
    assert "Gemeente 00" in first and "Gemeente 24" in first and "Gemeente 25" not in first
    assert "Pagina 1 van 2" in first and 'href="/beheer/gemeenten?pagina=2"' in first
    second = client.get("/beheer/gemeenten?pagina=2").get_data(as_text=True)
    assert "Gemeente 25" in second and "Gemeente 29" in second and "Gemeente 00" not in second
    for odd in ("abc", "-1", "0", "99999999999999999999999", "<script>"):
        assert client.get("/beheer/gemeenten", query_string={"page": odd}).status_code == 200
    # Control characters in a web address are refused app-wide, politely.
    assert client.get("/beheer/gemeenten", query_string={"page": "\x00"}).status_code == 400


def test_the_role_filter_keeps_its_place_when_paging(client, coordinator, factories):
    for _ in range(30):
        factories.create_user("facilitator", password=None)
    db.session.commit()
    page = client.get("/beheer/gebruikers?rol=facilitator").get_data(as_text=True)
    assert "rol=facilitator" in page and "pagina=2" in page
