"""Municipalities, venues, organisations and themes: create, change, deactivate, reactivate."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.directory.models import (Municipality, Organisation, OrganisationKind, TargetUnit,
                                     Theme, ThemeGroup, Venue)
from portal.directory.service import normalise_postcode, slugify
from portal.errors import DomainError
from portal.extensions import db
from tests.directory.conftest import field_error


def _one(app, model, **where):
    with app.app_context():
        item = db.session.scalars(sa.select(model).filter_by(**where)).one()
        db.session.expunge(item)
        return item


@pytest.mark.parametrize("name, slug", [
    ("Súdwest-Fryslân", "sudwest-fryslan"),
    ("'s-Hertogenbosch", "s-hertogenbosch"),
    ("Bergen (NH)", "bergen-nh"),
    ("  Ede  ", "ede"),
    ("Nuenen, Gerwen en Nederwetten", "nuenen-gerwen-en-nederwetten"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
])
def test_slugs_are_made_from_dutch_names(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("typed, stored", [
    ("1234 AB", "1234 AB"), ("1234ab", "1234 AB"), (" 6851  gh ", "6851 GH"), ("", "")])
def test_postcodes_are_normalised(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["0123 AB", "1234 SS", "12345", "AB 1234", "1234-AB", "abc"])
def test_wrong_postcodes_are_refused(typed):
    with pytest.raises(DomainError) as error:
        normalise_postcode(typed)
    assert error.value.field == "postcode"


def test_a_coordinator_adds_and_changes_a_municipality(app, client, coordinator):
    response = client.post_form("/beheer/gemeenten/nieuw", {"name": "Súdwest-Fryslân", "slug": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/gemeenten"
    page = client.get("/beheer/gemeenten").get_data(as_text=True)
    assert "Súdwest-Fryslân is opgeslagen." in page
    assert "sudwest-fryslan" in page
    municipality = _one(app, Municipality, name="Súdwest-Fryslân")

    url = f"/beheer/gemeenten/{municipality.id}"
    assert 'value="sudwest-fryslan"' in client.get(url).get_data(as_text=True)
    response = client.post_form(url, {"name": "Súdwest Fryslân", "slug": "sw-fryslan"})
    assert response.status_code == 302
    assert _one(app, Municipality, id=municipality.id).slug == "sw-fryslan"


def test_a_second_municipality_with_the_same_slug_gets_a_number(app, client, coordinator):
    client.post_form("/beheer/gemeenten/nieuw", {"name": "Bergen (NH)"})
    client.post_form("/beheer/gemeenten/nieuw", {"name": "Bergen NH"})
    assert _one(app, Municipality, name="Bergen NH").slug == "bergen-nh-2"


def test_municipality_names_and_slugs_are_unique(app, client, coordinator, factories):
    factories.create_municipality(name="Lingewaard", slug="lingewaard")
    db.session.commit()
    response = client.post_form("/beheer/gemeenten/nieuw", {"name": "LINGEWAARD", "slug": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "name") == "Er is al een gemeente met deze naam."
    assert 'value="LINGEWAARD"' in page

    response = client.post_form("/beheer/gemeenten/nieuw", {"name": "Overbetuwe",
                                                            "slug": "lingewaard"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "slug") == \
        "Een andere gemeente gebruikt deze korte naam al."

    response = client.post_form("/beheer/gemeenten/nieuw", {"name": "Overbetuwe",
                                                            "slug": "Over Betuwe"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "slug") == \
        "Gebruik alleen kleine letters zonder accenten, cijfers en streepjes."
    assert 'value="Overbetuwe"' in page and 'value="Over Betuwe"' in page


@pytest.mark.parametrize("section, make", [
    ("gemeenten", lambda f: f.create_municipality()),
    ("locaties", lambda f: f.create_venue()),
    ("organisaties", lambda f: f.create_organisation()),
])
def test_deactivate_and_reactivate_keep_the_record(app, client, coordinator, factories,
                                                    section, make):
    item = make(factories)
    model, item_id, name = type(item), item.id, item.name
    db.session.commit()
    edit = f"/beheer/{section}/{item_id}"
    response = client.post_form(f"{edit}/deactiveren", token_from=edit)
    assert response.status_code == 302 and response.headers["Location"] == edit
    page = client.get(edit).get_data(as_text=True)
    assert f"{name} staat uit." in page
    assert "Weer aanzetten" in page
    assert _one(app, model, id=item_id).is_active is False
    assert "Staat uit" in client.get(f"/beheer/{section}").get_data(as_text=True)

    client.post_form(f"{edit}/activeren", token_from=edit)
    assert _one(app, model, id=item_id).is_active is True
    assert f"{name} staat weer aan." in client.get(edit).get_data(as_text=True)


def test_a_deactivate_without_csrf_token_changes_nothing(app, client, coordinator, factories):
    municipality = factories.create_municipality()
    db.session.commit()
    response = client.post(f"/beheer/gemeenten/{municipality.id}/deactiveren")
    assert response.status_code == 400
    assert _one(app, Municipality, id=municipality.id).is_active is True


def test_a_coordinator_adds_a_venue_with_accessibility(app, client, coordinator, factories):
    municipality = factories.create_municipality(name="Lingewaard")
    db.session.commit()
    response = client.post_form("/beheer/locaties/nieuw", {
        "municipality_id": municipality.id, "name": "Buurthuis De Linde",
        "street": "Dorpsstraat 1", "postcode": "6851gh", "city": "Huissen",
        "is_wheelchair_accessible": "y", "has_quiet_room": "y",
        "accessibility_notes": "Lift naast de ingang.", "notes": "Sleutel bij de buren."})
    assert response.status_code == 302
    venue = _one(app, Venue, name="Buurthuis De Linde")
    assert venue.postcode == "6851 GH"
    assert (venue.is_wheelchair_accessible, venue.has_public_transport, venue.has_quiet_room) \
        == (True, False, True)
    assert venue.accessibility_notes == "Lift naast de ingang."
    page = client.get("/beheer/locaties").get_data(as_text=True)
    assert "Dorpsstraat 1, 6851 GH Huissen" in page and "Lingewaard" in page
    assert "Rolstoel" in page and "Stilteruimte" in page

    response = client.post_form(f"/beheer/locaties/{venue.id}", {
        "municipality_id": municipality.id, "name": "Buurthuis De Linde",
        "street": "Dorpsstraat 1", "postcode": "1234 SS", "city": "Huissen"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "postcode") == \
        "Vul een Nederlandse postcode in: 4 cijfers en 2 letters, zoals 1234 AB."


def test_a_deactivated_municipality_is_not_offered_for_new_venues(app, client, coordinator,
                                                                   factories):
    old = factories.create_municipality(name="Oude Gemeente", is_active=False)
    venue = factories.create_venue(municipality=old)
    factories.create_municipality(name="Nieuwe Gemeente")
    old_id, venue_id = old.id, venue.id
    db.session.commit()
    new_page = client.get("/beheer/locaties/nieuw").get_data(as_text=True)
    assert "Nieuwe Gemeente" in new_page and "Oude Gemeente" not in new_page
    response = client.post_form("/beheer/locaties/nieuw", {
        "municipality_id": old_id, "name": "Buurthuis", "street": "Straat 1", "city": "Huissen"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "municipality_id") == \
        "Kies de gemeente van de locatie."
    # The venue that already is there keeps its municipality.
    assert "Oude Gemeente" in client.get(f"/beheer/locaties/{venue_id}").get_data(as_text=True)
    response = client.post_form(f"/beheer/locaties/{venue_id}", {
        "municipality_id": old_id, "name": "Buurthuis", "street": "Straat 1", "city": "Huissen"})
    assert response.status_code == 302


def test_a_coordinator_adds_an_organisation(app, client, coordinator, factories):
    one = factories.create_municipality(name="Lingewaard")
    two = factories.create_municipality(name="Overbetuwe")
    db.session.commit()
    page = client.get("/beheer/organisaties/nieuw").get_data(as_text=True)
    assert "Woningcorporatie" in page and "Zorgverzekeraar" in page and "werkdagen" in page
    response = client.post_form("/beheer/organisaties/nieuw", {
        "name": "Woonstichting Lingewaard", "kind": "housing_corporation",
        "municipality_ids": [one.id, two.id], "response_target_days": "5",
        "response_target_unit": "calendar_days", "contact_email": " Info@Woon.example "})
    assert response.status_code == 302
    organisation = _one(app, Organisation, name="Woonstichting Lingewaard")
    assert organisation.kind is OrganisationKind.HOUSING_CORPORATION
    assert (organisation.response_target_days, organisation.response_target_unit) == \
        (5, TargetUnit.CALENDAR_DAYS)
    assert organisation.contact_email == "info@woon.example"
    page = client.get("/beheer/organisaties").get_data(as_text=True)
    assert "Lingewaard, Overbetuwe" in page and "5 kalenderdagen" in page

    edit = f"/beheer/organisaties/{organisation.id}"
    response = client.post_form(edit, {
        "name": "Woonstichting Lingewaard", "kind": "welfare", "municipality_ids": [two.id],
        "response_target_days": "10", "response_target_unit": "working_days",
        "contact_email": ""})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.get(Organisation, organisation.id)
        assert [m.name for m in organisation.municipalities] == ["Overbetuwe"]
        assert organisation.kind is OrganisationKind.WELFARE
        assert organisation.contact_email == ""


def test_organisation_names_are_unique(client, coordinator, factories):
    factories.create_organisation(name="Rijnstad")
    db.session.commit()
    response = client.post_form("/beheer/organisaties/nieuw", {
        "name": "rijnstad", "kind": "welfare", "response_target_days": "10",
        "response_target_unit": "working_days"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name") == \
        "Er is al een organisatie met deze naam."


def test_the_seeded_themes_can_be_renamed_and_deactivated(app, client, coordinator):
    from portal.seed import seed_defaults

    with app.app_context():
        seed_defaults()
        db.session.commit()
    page = client.get("/beheer/themas").get_data(as_text=True)
    assert "Geld en schulden" in page and "Sociale cohesie" in page and "Leefgebied" in page
    housing = _one(app, Theme, key="housing")
    edit = f"/beheer/themas/{housing.id}"
    response = client.post_form(edit, {"name_nl": "Wonen en buurt", "name_en": "Housing",
                                       "group": "life_domain", "position": "1"})
    assert response.status_code == 302
    client.post_form(f"{edit}/deactiveren", token_from=edit)
    housing = _one(app, Theme, id=housing.id)
    assert (housing.key, housing.name_nl, housing.is_active) == ("housing", "Wonen en buurt",
                                                                 False)


def test_a_new_theme_gets_a_key_from_its_english_name(app, client, coordinator):
    for _ in range(2):
        response = client.post_form("/beheer/themas/nieuw", {
            "name_nl": "Vervoer", "name_en": "Transport & mobility", "group": "social_quality",
            "position": ""})
        assert response.status_code == 302
    with app.app_context():
        keys = db.session.scalars(sa.select(Theme.key).order_by(Theme.id)).all()
        assert keys == ["transport_mobility", "transport_mobility_2"]
        theme = db.session.scalars(sa.select(Theme)).first()
        assert (theme.group, theme.position) == (ThemeGroup.SOCIAL_QUALITY, 0)
