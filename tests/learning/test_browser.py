"""In Chromium on a 360 px phone: a participant opens a meeting's evaluation link, answers with
the faces, and cannot answer twice; the facilitator sees results only once 5 people answered.
Plus the live readability advice (JavaScript) on the series form."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from tests.conftest import PASSWORD
from tests.learning.conftest import LINK_IN_MAIL, started_ago

pytestmark = pytest.mark.browser

STATEMENTS = ("Ik voelde me gehoord.", "Niemand had een oordeel over mij.",
              "Ik begrijp de anderen nu beter.",
              "Ik heb iets geleerd van iemand met een ander leven dan ik.",
              "Ik hoor bij deze groep.", "Ik kan helpen om iets te veranderen.")


def _series_with_links(app, count):
    from portal.learning import service
    from portal.mail.models import OutboxMessage
    from tests.series import factories as series_factories

    series = series_factories.create_series(times=started_ago(1), with_agenda=False)
    db.session.commit()
    with app.test_request_context():
        service.send_evaluation_links(
            None, series.meetings[0], [f"deelnemer{n}@example.org" for n in range(count)],
            lambda token: "http://localhost/evaluatie/persoonlijk/" + token,
            app.config["SECRET_KEY"])
        db.session.commit()
    links = [LINK_IN_MAIL.search(m.text_body).group(1)
             for m in db.session.scalars(db.select(OutboxMessage))]
    return series, links


def _answer(page, link, choice="Ja", struck=None):
    page.goto(link)
    page.get_by_role("heading", name="Hoe was ontmoeting 1?").wait_for()
    for statement in STATEMENTS:
        page.get_by_role("group", name=statement).get_by_label(choice, exact=True).check()
    if struck:
        page.get_by_label("Wat viel je vandaag op?").fill(struck)
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    page.get_by_role("heading", name="Dank je wel!").wait_for()


def test_participant_answers_once_and_results_appear_from_five(browser, live_server, phone_page,
                                                                 factories, app):
    from tests.browser.test_accessibility import assert_accessible, assert_fits

    series, links = _series_with_links(app, 5)
    facilitator_email = series.facilitators[0].email
    meeting_id = series.meetings[0].id

    # The participant opens their link on a phone: faces with words, nothing sideways.
    phone_page.goto(links[0])
    expect(phone_page.get_by_role("group", name=STATEMENTS[0]).get_by_label(
        "Nee, helemaal niet")).to_be_visible()
    assert_fits(phone_page)
    assert_accessible(phone_page)
    # A tap on the face (the label), not the tiny radio, chooses it.
    phone_page.get_by_role("group", name=STATEMENTS[0]).locator("label").nth(4).click()
    assert phone_page.get_by_role("group", name=STATEMENTS[0]).get_by_label(
        "Ja, heel erg").is_checked()
    # Sending with five statements open gives errors, and keeps the first choice.
    phone_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    assert "Kies een van de vijf gezichtjes." in phone_page.get_by_role("alert").inner_text()
    assert phone_page.get_by_role("group", name=STATEMENTS[0]).get_by_label(
        "Ja, heel erg").is_checked()
    assert_fits(phone_page)
    _answer(phone_page, links[0], struck="Dat iedereen luisterde.")

    # The same link again: used, and said so plainly.
    phone_page.goto(links[0])
    expect(phone_page.get_by_role("heading", name="Deze link werkt niet")).to_be_visible()
    assert phone_page.get_by_role("radio").count() == 0

    # The facilitator logs in: fewer than 5 answers, so nothing is shown yet.
    staff = browser.new_context(base_url=live_server, locale="nl-NL")
    facilitator = staff.new_page()
    facilitator.set_default_timeout(10_000)
    facilitator.goto("/account/inloggen")
    facilitator.get_by_label("E-mailadres").fill(facilitator_email)
    facilitator.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    facilitator.get_by_role("button", name="Inloggen").click()
    facilitator.wait_for_url("**/dashboard")
    facilitator.goto(f"/reeksen/{series.id}")
    facilitator.get_by_role("link", name="Evaluatie", exact=True).first.click()
    expect(facilitator.get_by_text("Nog geen uitkomsten")).to_be_visible()
    assert facilitator.locator(".portal-distribution").count() == 0

    # Four more people answer through their own links.
    for link in links[1:]:
        _answer(phone_page, link, choice="Een beetje")
    facilitator.reload()
    expect(facilitator.get_by_text("5 mensen hebben de vragen ingevuld.")).to_be_visible()
    expect(facilitator.locator(".portal-distribution")).to_have_count(6)
    expect(facilitator.get_by_text("Dat iedereen luisterde.")).to_be_visible()  # to moderate
    assert_accessible(facilitator)
    facilitator.get_by_role("button", name="Tonen").first.click()
    expect(facilitator.get_by_text("Het antwoord staat nu bij de uitkomsten.")).to_be_visible()
    facilitator.goto(f"/reeksen/ontmoetingen/{meeting_id}/evaluatie/papier")
    assert_accessible(facilitator)
    facilitator.goto(f"/reeksen/{series.id}/evaluatie")
    assert_accessible(facilitator)
    staff.close()


def test_qr_route_guards_against_a_second_answer_from_the_same_phone(phone_page, factories, app):
    from portal.learning import service
    from tests.series import factories as series_factories

    series = series_factories.create_series(times=started_ago(1), with_agenda=False)
    code = service.evaluation_for(series.meetings[0]).code
    db.session.commit()
    _answer(phone_page, f"/evaluatie/{code}")
    phone_page.goto(f"/evaluatie/{code}")
    expect(phone_page.get_by_role("heading", name="Je hebt de vragen al ingevuld")).to_be_visible()
    assert phone_page.get_by_role("radio").count() == 0


def test_live_readability_advice_while_typing(page, factories, app):
    from portal.seed import seed_defaults
    from tests.series import factories as series_factories

    seed_defaults()
    series = series_factories.create_series()
    email = series.facilitators[0].email
    db.session.commit()
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/reeksen/{series.id}/bewerken")
    page.get_by_label("Waar gaat deze reeks over?").fill(
        "Wij informeren u middels deze brief inzake de bijeenkomsten.")
    advice = page.locator("#description-readability")
    advice.get_by_text("inzake → over").wait_for()
    assert "middels → met" in advice.inner_text()
    # Plain text: the advice follows.
    page.get_by_label("Waar gaat deze reeks over?").fill(
        "We praten met elkaar. Je vertelt wat moeilijk is. Wij luisteren goed.")
    advice.get_by_text("Goed zo!").wait_for()
