"""Signing up from a phone without an account, the confirmation and the manage link."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.registrations.models import Registration, RegistrationStatus
from portal.series.models import SeriesStatus
from tests.registrations.helpers import form_data, hidden_fields, sign_up, token_from


@pytest.fixture
def series(app, reg):
    series = reg.create_series(capacity=2, title="Samen rondkomen")
    db.session.commit()
    return series


def _registrations(app):
    with app.app_context():
        return db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()


def test_form_is_plain_dutch_and_says_why_contact_details_help(client, series):
    page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    assert "Aanmelden voor Samen rondkomen" in page
    assert "Een voornaam of bijnaam is genoeg." in page
    assert "Zonder e-mail of telefoon kunnen we je geen herinnering sturen." in page
    assert "Inwoner" in page and "Beleidsmaker" in page and "Kinderopvang" in page
    assert "privacyverklaring" in page and 'href="/privacy/aanmelden"' in page
    assert "90 dagen na de laatste ontmoeting" in page


def test_sign_up_confirms_with_link_and_mails_the_calendar(app, client, series, outbox):
    response = sign_up(client, series.slug)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je bent aangemeld." in page
    token = token_from(response.headers["Location"])
    assert f"/aanmelding/{token}" in page
    [mail] = outbox()
    assert mail.to_address == "anna@example.org"
    assert mail.subject == "Je bent aangemeld: Samen rondkomen"
    assert f"http://localhost/aanmelding/{token}" in mail.text_body
    [ics] = mail.attachments
    assert ics.content.count(b"BEGIN:VEVENT") == 4
    [registration] = _registrations(app)
    assert registration.manage_token_hash != token and token not in str(vars(registration))
    assert registration.needs_childcare and registration.consent_version
    ics_download = client.get(f"/aanmelding/{token}/agenda.ics")
    assert ics_download.mimetype == "text/calendar" and b"Samen rondkomen" in ics_download.data


def test_full_series_puts_people_on_the_waiting_list_with_their_number(client, series):
    for n in range(2):
        sign_up(client, series.slug, email=f"p{n}@example.org")
    response = sign_up(client, series.slug, email="late@example.org")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je staat op de wachtlijst." in page and "Je bent nummer 1." in page


def test_double_submit_gives_the_first_confirmation(app, client, series):
    page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    data = {**hidden_fields(page), **form_data()}
    first = client.post(f"/aanmelden/{series.slug}", data=data)
    second = client.post(f"/aanmelden/{series.slug}", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_registrations(app)) == 1


def test_same_email_again_is_told_kindly_and_can_get_the_link_mailed(app, client, series,
                                                                     outbox):
    first = sign_up(client, series.slug)
    old_token = token_from(first.headers["Location"])
    again = sign_up(client, series.slug, display_name="Anna B", email="ANNA@example.org")
    page = html.unescape(again.get_data(as_text=True))
    assert again.status_code == 422
    assert "Dit e-mailadres is al aangemeld voor deze reeks." in page
    assert 'value="Anna B"' in page
    assert "Stuur mij de link" in page
    resent = client.post_form(f"/aanmelden/{series.slug}/link-opnieuw",
                              {"email": "ANNA@example.org"}, token_from=f"/aanmelden/{series.slug}")
    body = resent.get_data(as_text=True)
    assert "Kijk in je e-mail" in body
    assert "/aanmelding/" not in body  # mailed, never shown
    mail = outbox()[-1]
    assert mail.subject == "Je link voor Samen rondkomen" and mail.to_address == "anna@example.org"
    new_token = token_from(mail.text_body)
    assert client.get(f"/aanmelding/{new_token}").status_code == 200
    assert client.get(f"/aanmelding/{old_token}").status_code == 404
    assert len(_registrations(app)) == 1


def test_resend_for_an_unknown_address_answers_the_same_and_mails_nothing(client, series,
                                                                          outbox):
    response = client.post_form(f"/aanmelden/{series.slug}/link-opnieuw",
                                {"email": "nobody@example.org"},
                                token_from=f"/aanmelden/{series.slug}")
    assert response.status_code == 200
    assert "we de link naar je aanmelding daarheen gestuurd" in html.unescape(
        response.get_data(as_text=True))
    assert outbox() == []


@pytest.mark.parametrize("overrides, message, kept", [
    ({"display_name": ""}, "Vul een naam in. Een voornaam of bijnaam is genoeg.", "anna@example.org"),
    ({"display_name": "A" * 300}, "Gebruik hoogstens 80 tekens.", "A" * 300),
    ({"email": "anna@"}, "Dit is geen geldig e-mailadres.", "anna@"),
    ({"email": "anna@example.org\r\nBcc: victim@example.org"}, "Gebruik maar één regel.",
     "Bcc: victim@example.org"),
    ({"role": "king"}, "Kies een van de mogelijkheden.", "anna@example.org"),
    ({"role": None}, "Kies hoe je meedoet.", "anna@example.org"),
    ({"consent": None}, "Zet een vinkje in het vakje.", "anna@example.org"),
    ({"phone": "bel me maar"}, "Dit telefoonnummer kunnen we niet gebruiken.", "bel me maar"),
    ({"display_name": "Anna\x00"}, "onzichtbaar", "anna@example.org"),
    ({"needs_notes": "<script>alert(1)</script>" + "x" * 10_000},
     "Gebruik hoogstens 1000 tekens.", "&lt;script&gt;"),
])
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(app, client, series, outbox,
                                                                 overrides, message, kept):
    response = sign_up(client, series.slug, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.unescape(page)
    assert kept in page or kept in html.unescape(page)
    assert "<script>alert" not in page
    assert _registrations(app) == [] and outbox() == []


@pytest.mark.parametrize("status, message", [
    (SeriesStatus.CANCELLED, "Deze reeks gaat niet door."),
    (SeriesStatus.COMPLETED, "Deze reeks is voorbij."),
])
def test_closed_series_say_so_and_keep_what_was_typed(app, client, reg, status, message):
    series = reg.create_series()
    db.session.commit()
    page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    fields = hidden_fields(page)
    series.status = status
    db.session.commit()
    response = client.post(f"/aanmelden/{series.slug}",
                           data={**fields, **form_data(display_name="Bram")})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and 'value="Bram"' in body
    assert _registrations(app) == []
    closed_page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    assert message in closed_page and 'name="display_name"' not in closed_page


def test_started_series_closes_public_sign_up(client, reg):
    series = reg.create_series(starts_in_days=-0.5)
    db.session.commit()
    page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    assert "De eerste ontmoeting is al begonnen." in page


def test_draft_and_unknown_series_are_not_found(client, reg):
    draft = reg.create_series(status=SeriesStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/aanmelden/{draft.slug}").status_code == 404
    assert client.get("/aanmelden/bestaat-niet").status_code == 404


def test_honeypot_filled_in_registers_nobody(app, client, series):
    response = sign_up(client, series.slug, website="http://spam.example")
    assert response.status_code == 200
    assert _registrations(app) == []


def test_rate_limit_per_client(app, client, series, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", 2)
    assert sign_up(client, series.slug, email="a@example.org").status_code == 303
    assert sign_up(client, series.slug, email="b@example.org").status_code == 303
    response = sign_up(client, series.slug, email="c@example.org", display_name="Cor")
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Probeer het over een uur nog eens." in body and 'value="Cor"' in body


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500, "abc.def", "%00", "%0d%0aBcc:x"])
def test_tampered_manage_token_is_a_kind_not_found(client, series, token):
    response = client.get(f"/aanmelding/{token}")
    assert response.status_code in (404, 400)
    if response.status_code == 404:
        assert "Deze link werkt niet" in response.get_data(as_text=True)


def test_manage_link_changes_details(app, client, series):
    token = token_from(sign_up(client, series.slug).headers["Location"])
    response = client.post_form(f"/aanmelding/{token}/wijzigen", {
        "display_name": "Anna K", "email": "", "phone": "06 12345678",
        "needs": ["transport", "interpreter"], "needs_notes": "Arabisch"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je wijzigingen zijn opgeslagen." in page and "Anna K" in page
    [registration] = _registrations(app)
    assert (registration.email, registration.phone) == (None, "06 12345678")
    assert registration.needs == ["transport", "interpreter"]
    assert registration.role.value == "resident"


def test_change_with_bad_input_keeps_what_was_typed(client, series):
    token = token_from(sign_up(client, series.slug).headers["Location"])
    response = client.post_form(f"/aanmelding/{token}/wijzigen", {
        "display_name": "", "email": "nope", "needs_notes": "veganistisch"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een naam in." in body and "veganistisch" in body and 'value="nope"' in body


def test_cancel_via_manage_link_promotes_the_waiting_list(app, client, series, outbox):
    tokens = [token_from(sign_up(client, series.slug, email=f"p{n}@example.org")
                         .headers["Location"]) for n in range(3)]
    confirm = client.get(f"/aanmelding/{tokens[0]}/afmelden").get_data(as_text=True)
    assert "Weet je zeker dat je niet kunt komen" in confirm
    response = client.post_form(f"/aanmelding/{tokens[0]}/afmelden", {})
    assert response.status_code == 303
    assert "Je hebt je afgemeld." in client.get(f"/aanmelding/{tokens[0]}").get_data(as_text=True)
    assert "Je bent aangemeld." in client.get(f"/aanmelding/{tokens[2]}").get_data(as_text=True)
    promotion = [m for m in outbox() if m.subject == "Er is plek voor je: Samen rondkomen"]
    assert [m.to_address for m in promotion] == ["p2@example.org"]


def test_delete_via_manage_link_erases_everything(app, client, series):
    token = token_from(sign_up(client, series.slug).headers["Location"])
    response = client.post_form(f"/aanmelding/{token}/verwijderen", {})
    assert "Je aanmelding is verwijderd" in response.get_data(as_text=True)
    assert _registrations(app) == []
    assert client.get(f"/aanmelding/{token}").status_code == 404


def test_without_contact_details_the_confirmation_says_no_reminder(client, series):
    response = sign_up(client, series.slug, email="", phone="")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zonder e-mail of telefoon kunnen we je geen herinnering sturen." in page


def test_waiting_list_status_after_sign_up(app, client, reg):
    series = reg.create_series(capacity=1)
    db.session.commit()
    sign_up(client, series.slug, email="a@example.org")
    sign_up(client, series.slug, email="b@example.org")
    statuses = [r.status for r in _registrations(app)]
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


def test_the_follow_up_check_in_is_opt_in_off_by_default_and_needs_an_address(app, client,
                                                                               series):
    page = client.get(f"/aanmelden/{series.slug}").get_data(as_text=True)
    assert "Jullie mogen mij een paar maanden na de laatste ontmoeting mailen" in page
    [box] = re.findall(r'<input[^>]*name="has_follow_up_consent"[^>]*>', page)
    assert 'type="checkbox"' in box and "checked" not in box  # off by default

    sign_up(client, series.slug, email="zonder@example.org")
    sign_up(client, series.slug, email="met@example.org", has_follow_up_consent="y")
    missing = sign_up(client, series.slug, email="", phone="06 12345678",
                      has_follow_up_consent="y", needs_notes="rolstoel")
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert "We kunnen je later alleen mailen als je je e-mailadres invult." in body
    assert "rolstoel" in body  # what was typed stays
    assert [(r.email, r.has_follow_up_consent) for r in _registrations(app)] == [
        ("zonder@example.org", False), ("met@example.org", True)]


def test_the_follow_up_check_in_can_be_withdrawn_on_the_manage_page(app, client, series):
    token = token_from(sign_up(client, series.slug, has_follow_up_consent="y")
                       .headers["Location"])
    page = client.get(f"/aanmelding/{token}/wijzigen").get_data(as_text=True)
    [box] = re.findall(r'<input[^>]*name="has_follow_up_consent"[^>]*>', page)
    assert "checked" in box
    response = client.post_form(f"/aanmelding/{token}/wijzigen", {
        "display_name": "Anna", "email": "anna@example.org"})
    assert response.status_code == 303
    [registration] = _registrations(app)
    assert registration.has_follow_up_consent is False
