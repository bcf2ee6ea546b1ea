"""B1 readability advice where organisations write what residents read: the public answer, what
changed and why not (workspace and answer link), and answer templates. Advice only: a check never
takes a step, never saves, and never blocks the step itself. (The `world` fixture seeds the
coordinators' list of plain words.)"""
from __future__ import annotations

import re

import sqlalchemy as sa

from portal.extensions import db
from portal.wishes import service
from portal.wishes.models import AnswerTemplate, Wish, WishStatus
from tests.wishes.factories import create_wish

OFFICIAL = ("Middels deze brief delen wij u mede dat wij inzake uw verzoek teneinde de overlast "
            "te beperken de brieven voortaan op dinsdag versturen.")
PLAIN = "We sturen de brieven nu op dinsdag. Dan kun je ons bellen als je vragen hebt."
_STEP_TOKEN = re.compile(r'name="(?:[a-z_]+-)?csrf_token"[^>]*value="([^"]+)"')


def _check(client, page_url: str, post_url: str, action: str, field: str, **fields):
    """Press "Check readability" in one step's form: its fields with the step's prefix, and the
    button (not prefixed) naming the field it belongs to."""
    page = client.get(page_url).get_data(as_text=True)
    data = {f"{action}-csrf_token": _STEP_TOKEN.search(page).group(1),
            "readability_check": f"{action}-{field}"}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(post_url, data=data)


def _state(app, wish_id: int):
    """What a check must leave alone: status, answers and the timeline."""
    with app.app_context():
        wish = db.session.get(Wish, wish_id)
        return (wish.status, wish.public_answer, wish.outcome, wish.changed_from,
                [(e.action, e.note) for e in wish.events])


def _in_progress(world) -> Wish:
    wish = create_wish(WishStatus.IN_PROGRESS, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    return wish


def _assert_officialese_advice(html: str):
    assert "Leesbaarheid (B1)" in html
    assert "Middels → met" in html and "inzake → over" in html and "teneinde → om" in html
    assert "23 woorden" in html  # the long sentence
    assert "Dit is alleen advies. Je kunt altijd opslaan." in html


def test_the_workspace_shows_advice_under_the_texts_residents_read_only(client, login_as,
                                                                         world):
    wish = _in_progress(world)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    page = client.get(url).get_data(as_text=True)
    for field_id in ("answer-note", "mark_changed-outcome", "mark_changed-note", "decline-note"):
        assert f'data-readability-for="{field_id}"' in page
    assert 'data-readability-for="hand_back-note"' not in page  # facilitators read that one
    assert "js/readability.js" in page
    # The button posts the step's own form, to the step's address (not the page's).
    assert (f'formaction="{url}/stap/answer#answer-note-readability"' in page)
    assert (f'formaction="{url}/stap/mark_changed#mark_changed-outcome-readability"' in page)
    assert page.count("Controleer de leesbaarheid") == 3  # answer, mark changed, decline


def test_checking_an_answer_shows_advice_keeps_the_text_and_takes_no_step(
        client, login_as, world, app, outbox, post_step):
    wish = _in_progress(world)
    before = _state(app, wish.id)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    response = _check(client, url, f"{url}/stap/answer", "answer", "note", note=OFFICIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    _assert_officialese_advice(html)
    assert f"{OFFICIAL}</textarea>" in html  # what was typed stays
    assert _state(app, wish.id) == before
    assert outbox() == []
    # The step itself still works, officialese and all: advice never blocks.
    saved = post_step(url, f"{url}/stap/answer", "answer", note=OFFICIAL)
    assert saved.status_code == 302
    with app.app_context():
        saved_wish = db.session.get(Wish, wish.id)
        assert saved_wish.public_answer == OFFICIAL
        assert [e.action for e in saved_wish.events] == ["answer"]


def test_a_check_needs_no_note_and_gives_no_step_errors(client, login_as, world, app):
    wish = _in_progress(world)
    before = _state(app, wish.id)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    response = _check(client, url, f"{url}/stap/answer", "answer", "note", note="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Schrijf eerst je antwoord." not in html and "Kijk het formulier na" not in html
    assert _state(app, wish.id) == before


def test_checking_what_changed_advises_on_both_texts_and_keeps_them(client, login_as, world,
                                                                    app, post_step):
    wish = _in_progress(world)
    before = _state(app, wish.id)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    response = _check(client, url, f"{url}/stap/mark_changed", "mark_changed", "outcome",
                      outcome=OFFICIAL, note=PLAIN, changed_from="2-3-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    outcome = html.split('id="mark_changed-outcome-readability"', 1)[1].split(
        'id="mark_changed-note-readability"', 1)[0]
    _assert_officialese_advice(outcome)
    note = html.split('id="mark_changed-note-readability"', 1)[1].split("</section>", 1)[0]
    assert "Makkelijk te lezen." in note and "Goed zo!" in note and "Middels" not in note
    assert f"{OFFICIAL}</textarea>" in html and f"{PLAIN}</textarea>" in html
    assert 'value="2-3-2026"' in html
    assert _state(app, wish.id) == before
    # Then the step as usual: the status changes.
    saved = post_step(url, f"{url}/stap/mark_changed", "mark_changed", outcome=OFFICIAL,
                      note=PLAIN, changed_from="2-3-2026")
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Wish, wish.id).status is WishStatus.CHANGED


def test_checking_a_decline_takes_no_step_then_declining_does(client, login_as, world, app,
                                                              post_step):
    wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                       organisation=world.organisation)
    db.session.commit()
    before = _state(app, wish.id)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    response = _check(client, url, f"{url}/stap/decline", "decline", "note", note=OFFICIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    _assert_officialese_advice(html.split('id="decline-note-readability"', 1)[1])
    assert f"{OFFICIAL}</textarea>" in html
    assert _state(app, wish.id) == before
    assert post_step(url, f"{url}/stap/decline", "decline", note=OFFICIAL).status_code == 302
    with app.app_context():
        assert db.session.get(Wish, wish.id).status is WishStatus.DECLINED


def test_a_check_posted_to_any_step_never_takes_it(client, login_as, world, app, outbox):
    """Hand back has no check button; a check posted there by hand still changes nothing."""
    wish = _in_progress(world)
    before = _state(app, wish.id)
    login_as(world.member)
    url = f"/organisatie/wensen/{wish.id}"
    response = _check(client, url, f"{url}/stap/hand_back", "hand_back", "note",
                      note="Dit is voor de gemeente.")
    assert response.status_code == 200
    assert "Dit is voor de gemeente.</textarea>" in response.get_data(as_text=True)
    assert _state(app, wish.id) == before
    assert outbox() == []


def test_the_answer_link_checks_readability_without_an_account(client, world, app, post_step):
    wish = _in_progress(world)
    with app.test_request_context():
        token = service.issue_answer_link(wish)
    db.session.commit()
    before = _state(app, wish.id)
    link = f"/wens/antwoord/{token}"
    page = client.get(link).get_data(as_text=True)
    assert "Controleer de leesbaarheid" in page
    assert f'formaction="{link}/stap/answer#answer-note-readability"' in page
    # No live advice: its endpoint needs a login.
    assert "data-readability-for" not in page and "js/readability.js" not in page
    assert 'id="answer-note-readability"' in page
    response = _check(client, link, f"{link}/stap/answer", "answer", "note", note=OFFICIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    _assert_officialese_advice(html)
    assert f"{OFFICIAL}</textarea>" in html
    assert "js/readability.js" not in html
    assert _state(app, wish.id) == before
    outcome = _check(client, link, f"{link}/stap/mark_changed", "mark_changed", "outcome",
                     outcome=OFFICIAL, changed_from="2-3-2026")
    assert outcome.status_code == 200
    _assert_officialese_advice(outcome.get_data(as_text=True))
    assert _state(app, wish.id) == before
    # The step itself through the link still works.
    assert post_step(link, f"{link}/stap/answer", "answer", note=PLAIN).status_code == 302
    with app.app_context():
        assert db.session.get(Wish, wish.id).public_answer == PLAIN


def test_answer_templates_get_advice_and_a_check_saves_nothing(client, login_as, world, app):
    login_as(world.member)
    url = "/organisatie/wensen/sjablonen"
    page = client.get(url).get_data(as_text=True)
    assert 'data-readability-for="body"' in page and "js/readability.js" in page
    assert "Controleer de leesbaarheid" in page
    response = client.post_form(url, {"title": "", "body": OFFICIAL,
                                      "readability_check": "body"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    _assert_officialese_advice(html)
    assert f"{OFFICIAL}</textarea>" in html
    assert "Geef het sjabloon een naam." not in html  # a check asks for nothing
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerTemplate)) == 0
    saved = client.post_form(url, {"title": "Brieven", "body": OFFICIAL})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(AnswerTemplate.body)).all() == [OFFICIAL]
