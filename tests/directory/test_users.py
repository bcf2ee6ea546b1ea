"""Users: invite, change, deactivate (logged out at once), reactivate, send the invitation again."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.auth.models import FacilitatorKind, Role, User
from portal.extensions import db
from tests.conftest import PortalClient
from tests.directory.conftest import field_error

NEW_PASSWORD = "een lange zin als wachtwoord"


def _user(app, **where) -> User:
    with app.app_context():
        user = db.session.scalars(sa.select(User).filter_by(**where)).one()
        user.municipality_names = [m.name for m in user.municipalities]
        user.organisation_name = user.organisation.name if user.organisation else None
        db.session.expunge(user)
        return user


def _new_client(app) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()


def _link(message) -> str:
    match = re.search(r"http://localhost(/account/nieuw-wachtwoord/\S+)", message.text_body)
    assert match, message.text_body
    return match.group(1)


@pytest.fixture
def municipality(factories):
    municipality = factories.create_municipality(name="Lingewaard")
    db.session.commit()
    return municipality


def test_a_new_facilitator_is_invited_and_can_log_in(app, client, coordinator, municipality,
                                                     outbox):
    response = client.post_form("/beheer/gebruikers/nieuw", {
        "email": "  Sanne@Example.org ", "display_name": "Sanne de Vries", "role": "facilitator",
        "organisation_id": "", "municipality_ids": [municipality.id],
        "facilitator_kind": "experience_expert"})
    assert response.status_code == 302
    assert "Sanne de Vries is opgeslagen." in client.get("/beheer/gebruikers").get_data(
        as_text=True)
    user = _user(app, email="sanne@example.org")
    assert (user.role, user.facilitator_kind, user.municipality_names, user.password_hash) == \
        (Role.FACILITATOR, FacilitatorKind.EXPERIENCE_EXPERT, ["Lingewaard"], None)

    [message] = outbox()
    assert message.to_address == "sanne@example.org"
    assert message.subject == "Je account voor Ontmoetingen"

    newcomer = _new_client(app)
    link = _link(message)
    assert newcomer.get(link).status_code == 200
    response = newcomer.post_form(link, {"new_password": NEW_PASSWORD})
    assert response.status_code == 302
    newcomer.post_form("/account/uitloggen", token_from="/")

    again = _new_client(app)
    response = again.post_form("/account/inloggen", {"email": "sanne@example.org",
                                                      "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Sanne de Vries" in again.get("/dashboard").get_data(as_text=True)


def test_an_organisation_member_needs_an_organisation(client, coordinator, factories, outbox):
    organisation = factories.create_organisation(name="Rijnstad")
    db.session.commit()
    data = {"email": "piet@example.org", "display_name": "Piet", "role": "organisation_member",
            "organisation_id": ""}
    response = client.post_form("/beheer/gebruikers/nieuw", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "organisation_id") == "Kies de organisatie waar deze persoon werkt."
    assert 'value="piet@example.org"' in page and 'value="Piet"' in page
    assert outbox() == []

    response = client.post_form("/beheer/gebruikers/nieuw",
                                data | {"organisation_id": organisation.id})
    assert response.status_code == 302
    assert len(outbox()) == 1


def test_an_organisation_is_refused_for_other_roles(client, coordinator, factories):
    organisation = factories.create_organisation()
    db.session.commit()
    response = client.post_form("/beheer/gebruikers/nieuw", {
        "email": "co@example.org", "display_name": "Co", "role": "coordinator",
        "organisation_id": organisation.id})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "organisation_id").startswith(
        "Alleen medewerkers van een organisatie horen bij een organisatie.")


def test_a_facilitator_needs_a_municipality_and_a_kind(client, coordinator, municipality):
    data = {"email": "f@example.org", "display_name": "F", "role": "facilitator"}
    response = client.post_form("/beheer/gebruikers/nieuw", data)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "municipality_ids") == \
        "Kies minstens één gemeente voor een begeleider."
    response = client.post_form("/beheer/gebruikers/nieuw",
                                data | {"municipality_ids": [municipality.id]})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "facilitator_kind") == \
        "Kies of deze begeleider sociaal werker of ervaringsdeskundige is."


def test_municipalities_are_refused_for_other_roles(client, coordinator, municipality):
    response = client.post_form("/beheer/gebruikers/nieuw", {
        "email": "co@example.org", "display_name": "Co", "role": "coordinator",
        "municipality_ids": [municipality.id]})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "municipality_ids") == \
        "Alleen begeleiders hebben gemeenten. Haal de vinkjes weg."


def test_an_email_address_is_used_once_whatever_the_case(client, coordinator, factories):
    factories.create_user("coordinator", email="ans@example.org")
    db.session.commit()
    response = client.post_form("/beheer/gebruikers/nieuw", {
        "email": "ANS@Example.org", "display_name": "Ans", "role": "coordinator"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "email") == "Er is al een account met dit e-mailadres."
    assert 'value="Ans"' in page


def test_a_coordinator_changes_a_user(app, client, coordinator, factories, municipality):
    organisation = factories.create_organisation(name="Rijnstad")
    user = factories.create_user("facilitator", display_name="Fenna")
    user_id, organisation_id = user.id, organisation.id
    db.session.commit()
    edit = f"/beheer/gebruikers/{user_id}"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="Fenna"' in page and "Sociaal werker" in page
    response = client.post_form(edit, {"display_name": "Fenna Jansen",
                                       "role": "organisation_member",
                                       "organisation_id": organisation_id,
                                       "facilitator_kind": "social_worker"})
    assert response.status_code == 302
    user = _user(app, id=user_id)
    assert (user.display_name, user.role, user.organisation_name, user.municipality_names,
            user.facilitator_kind) == ("Fenna Jansen", Role.ORGANISATION_MEMBER, "Rijnstad", [],
                                       None)


def test_the_role_filter_shows_only_that_role(client, coordinator, factories):
    factories.create_user("facilitator", display_name="Fenna Begeleider")
    factories.create_user("organisation_member", display_name="Olaf Organisatie")
    db.session.commit()
    page = client.get("/beheer/gebruikers?rol=facilitator").get_data(as_text=True)
    assert "Fenna Begeleider" in page and "Olaf Organisatie" not in page
    page = client.get("/beheer/gebruikers?rol=organisation_member").get_data(as_text=True)
    assert "Olaf Organisatie" in page and "Fenna Begeleider" not in page
    page = client.get("/beheer/gebruikers?rol=<script>").get_data(as_text=True)
    assert "Olaf Organisatie" in page and "Fenna Begeleider" in page


def test_a_coordinator_cannot_demote_or_deactivate_themselves(app, client, coordinator):
    edit = f"/beheer/gebruikers/{coordinator.id}"
    response = client.post_form(edit, {"display_name": "Ik", "role": "facilitator"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "role") == \
        "Je kunt je eigen rol als coördinator niet weghalen. Vraag het een andere coördinator."
    response = client.post_form(f"{edit}/deactiveren", token_from=edit)
    assert response.status_code == 302
    assert "Je kunt je eigen account niet uitzetten." in client.get(edit).get_data(as_text=True)
    user = _user(app, id=coordinator.id)
    assert (user.role, user.is_active) == (Role.COORDINATOR, True)


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app, client, coordinator, factories):
    from tests.factories import PASSWORD

    user = factories.create_user("facilitator", email="weg@example.org", display_name="Wim")
    user_id = user.id
    db.session.commit()
    theirs = _new_client(app)
    assert theirs.post_form("/account/inloggen", {"email": "weg@example.org",
                                                  "password": PASSWORD}).status_code == 302
    assert theirs.get("/dashboard").status_code == 200

    edit = f"/beheer/gebruikers/{user_id}"
    assert client.post_form(f"{edit}/deactiveren", token_from=edit).status_code == 302
    assert "Wim staat uit." in client.get(edit).get_data(as_text=True)

    # Their open session stops working at once...
    response = theirs.get("/dashboard")
    assert response.status_code == 302 and "/account/inloggen" in response.headers["Location"]
    # ...and logging in again is refused with the usual answer.
    response = _new_client(app).post_form("/account/inloggen", {"email": "weg@example.org",
                                                                "password": PASSWORD})
    assert response.status_code == 422
    assert "Het e-mailadres of wachtwoord klopt niet." in response.get_data(as_text=True)

    client.post_form(f"{edit}/activeren", token_from=edit)
    assert _new_client(app).post_form("/account/inloggen", {
        "email": "weg@example.org", "password": PASSWORD}).status_code == 302


def test_the_invitation_can_be_sent_again(app, client, coordinator, factories, outbox):
    user = factories.create_user("facilitator", email="opnieuw@example.org", password=None,
                                 display_name="Olga")
    user_id = user.id
    db.session.commit()
    edit = f"/beheer/gebruikers/{user_id}"
    assert "Uitgenodigd, nog geen wachtwoord" in client.get("/beheer/gebruikers").get_data(
        as_text=True)
    response = client.post_form(f"{edit}/uitnodiging", token_from=edit)
    assert response.status_code == 302
    assert "We hebben Olga een nieuwe uitnodiging gestuurd." in client.get(edit).get_data(
        as_text=True)
    [message] = outbox()
    assert message.to_address == "opnieuw@example.org"
    newcomer = _new_client(app)
    assert newcomer.post_form(_link(message), {"new_password": NEW_PASSWORD}).status_code == 302

    client.post_form(f"{edit}/deactiveren", token_from=edit)
    client.post_form(f"{edit}/uitnodiging", token_from=edit)
    assert "Dit account is uitgezet. Zet het eerst weer aan." in client.get(edit).get_data(
        as_text=True)
    assert len(outbox()) == 1
