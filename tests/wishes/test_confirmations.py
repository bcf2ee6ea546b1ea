"""Did it really change? Residents confirm a changed wish; a "no" lets staff reopen it."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.errors import InvalidTransition
from portal.extensions import db
from portal.models import utcnow
from portal.retention import purge
from portal.wishes import confirmations, workflow
from portal.wishes.models import (ActorKind, Confirmation, ConfirmationLink, Resolution, Wish,
                                  WishOrigin, WishStatus)
from tests.registrations import factories as registration_factories
from tests.stories import factories as story_factories
from portal.wishes.service import wish_of_story
from tests.wishes.factories import create_wish

LINK = re.compile(r"http://localhost(/wens/bevestigen/[A-Za-z0-9_-]+)")
LATER = timedelta(days=15)  # past the default CONFIRMATION_DELAY_DAYS of 14


def _wish(world, status=WishStatus.CHANGED, **overrides):
    return create_wish(status, municipality=world.municipality, organisation=world.organisation,
                       publication_consent=True, created_by=world.facilitator, **overrides)


def _reload(wish_id: int) -> Wish:
    """End the test's own transaction, so it sees what the requests committed."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Wish, wish_id)


@pytest.mark.parametrize("yes,partly,no,expected", [
    (0, 0, 0, None), (3, 0, 0, Confirmation.YES), (0, 0, 2, Confirmation.NO),
    (4, 0, 1, Confirmation.PARTLY), (0, 1, 0, Confirmation.PARTLY), (2, 1, 0, Confirmation.PARTLY),
])
def test_the_verdict_is_yes_only_when_nobody_doubts_it(yes, partly, no, expected):
    assert workflow.verdict(yes, partly, no) is expected


def test_the_group_answer_goes_on_the_timeline_and_the_public_board(client, login_as, world,
                                                                    post_step, app):
    wish_id = _wish(world).id
    db.session.commit()
    login_as(world.facilitator)
    page = f"/begeleiding/wensen/{wish_id}"
    assert "Antwoord van inwoners: is het echt veranderd?" in client.get(page).get_data(
        as_text=True)
    response = post_step(page, f"{page}/stap/confirm", "confirm", answer="yes",
                         note="Iedereen kreeg zijn brief op dinsdag.")
    assert response.status_code == 302
    detail = client.get(page).get_data(as_text=True)
    assert "Bevestigd door inwoners" in detail and "1 ja, 0 deels, 0 nee" in detail
    assert "Iedereen kreeg zijn brief op dinsdag." in detail  # on the timeline
    board = client.get("/jij-zei-wij-deden/lingewaard").get_data(as_text=True)
    assert "Bevestigd door inwoners" in board and "1 antwoord" in board


def test_the_group_answer_needs_a_choice_and_keeps_the_note(client, login_as, world, post_step,
                                                            app):
    wish_id = _wish(world).id
    db.session.commit()
    login_as(world.facilitator)
    page = f"/begeleiding/wensen/{wish_id}"
    response = post_step(page, f"{page}/stap/confirm", "confirm", note="Ze twijfelden.")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies ja, deels of nee." in body and "Ze twijfelden." in body
    assert _reload(wish_id).confirmations == 0


def test_a_declined_wish_cannot_be_confirmed_even_once_closed(world):
    wish = _wish(world, WishStatus.CLOSED, resolution=Resolution.DECLINED)
    assert "confirm" not in workflow.allowed_actions(wish, world.facilitator)
    with pytest.raises(InvalidTransition):
        workflow.transition(wish, "confirm", world.facilitator, answer=Confirmation.YES)


def test_reopening_needs_residents_to_say_it_did_not_change(world):
    wish = _wish(world, WishStatus.CLOSED)
    assert "reopen" not in workflow.allowed_actions(wish, world.facilitator)
    workflow.transition(wish, "confirm", world.facilitator, answer=Confirmation.YES)
    assert "reopen" not in workflow.allowed_actions(wish, world.facilitator)
    with pytest.raises(InvalidTransition):
        workflow.transition(wish, "reopen", world.facilitator, "Toch niet.")
    workflow.transition(wish, "confirm", world.facilitator, answer=Confirmation.NO)
    assert wish.confirmation is Confirmation.PARTLY
    assert "reopen" in workflow.allowed_actions(wish, world.facilitator)


def test_a_reopened_wish_goes_back_to_the_organisation_and_leaves_the_board(
        client, login_as, world, post_step, outbox, app):
    wish = _wish(world, WishStatus.CLOSED, confirmed_no=2,
                 confirmation=Confirmation.NO)
    wish_id = wish.id
    db.session.commit()
    assert "Inwoners zeggen dat het niet veranderd is" in client.get(
        "/jij-zei-wij-deden/lingewaard").get_data(as_text=True)
    login_as(world.facilitator)
    page = f"/begeleiding/wensen/{wish_id}"
    response = post_step(page, f"{page}/stap/reopen", "reopen",
                         note="De brieven komen nog steeds op vrijdag.")
    assert response.status_code == 302
    wish = _reload(wish_id)
    assert wish.status is WishStatus.ROUTED and wish.organisation_id == world.organisation.id
    assert wish.resolution is None and wish.confirmation is None
    assert wish.acknowledge_due_on is not None
    assert [e.action for e in wish.events][-1] == "reopen"
    mail = outbox()[-1]
    assert mail.to_address == "petra@example.org"
    assert "niet veranderd" in mail.subject
    assert "De brieven komen nog steeds op vrijdag." in mail.text_body
    assert "Geen nare brieven" not in client.get("/jij-zei-wij-deden/lingewaard").get_data(
        as_text=True)


def test_the_organisation_sees_what_residents_say_but_cannot_confirm(client, login_as, world,
                                                                     app, post_step):
    wish_id = _wish(world, confirmed_yes=1, confirmed_no=1,
                    confirmation=Confirmation.PARTLY).id
    db.session.commit()
    login_as(world.member)
    page = client.get(f"/organisatie/wensen/{wish_id}")
    assert page.status_code == 200
    assert "Deels bevestigd door inwoners" in page.get_data(as_text=True)
    forged = post_step(f"/organisatie/wensen/{wish_id}",
                       f"/organisatie/wensen/{wish_id}/stap/confirm", "confirm", answer="no")
    assert forged.status_code == 403  # the workflow: only staff and residents confirm
    assert _reload(wish_id).confirmed_no == 1


# Asking by e-mail ------------------------------------------------------------------------------

@pytest.fixture
def asked(app, world, outbox):
    """A series with a wish raised in its meeting, and a concern of a teller who left an
    address that became a wish in the same meeting; the job ran."""
    series = registration_factories.create_series(municipality=world.municipality)
    for address in ("ali@example.org", "bea@example.org"):
        registration_factories.register(series, email=address)
    registration_factories.register(series)  # no address: not asked
    story, code = story_factories.create_story(municipality=world.municipality,
                                               notify_email="teller@example.org")
    wish = _wish(world, meeting=series.meetings[0], origin=WishOrigin.MEETING,
                 what="Bel terug binnen een week.")
    story_wish = _wish(world, meeting=series.meetings[0], story=story, origin=WishOrigin.STORY)
    wish_id, story_wish_id = wish.id, story_wish.id
    db.session.commit()
    before = len(outbox())
    summary = confirmations.ask_confirmations(now=utcnow() + LATER)
    db.session.commit()
    mails = outbox()[before:]
    return {"wish_id": wish_id, "story_wish_id": story_wish_id, "code": code, "mails": mails,
            "summary": summary, "story_id": story.id}


def test_the_job_asks_everyone_who_raised_it_once(app, asked, outbox):
    assert asked["summary"] == "2 wishes, 4 mails"
    by_address = {}
    for mail in asked["mails"]:
        by_address.setdefault(mail.to_address, []).append(mail)
    assert sorted(by_address) == ["ali@example.org", "bea@example.org", "sanne@example.org",
                                  "teller@example.org"]
    [teller] = by_address["teller@example.org"]
    assert "/bon" in teller.text_body and "Geen nare brieven" not in teller.text_body
    # Participants are asked about the wish raised in their meeting, never about the teller's.
    [ali] = by_address["ali@example.org"]
    assert LINK.search(ali.text_body) and "Bel terug binnen een week." in ali.text_body
    assert "In jouw groep" in ali.text_body
    assert "Geen nare brieven" not in ali.text_body
    # The facilitator asks the group about the meeting's wish, never about the teller's.
    [facilitator] = by_address["sanne@example.org"]
    assert "Bel terug binnen een week." in facilitator.text_body
    count = len(outbox())
    assert confirmations.ask_confirmations(now=utcnow() + LATER) == "0 wishes, 0 mails"
    db.session.commit()
    assert len(outbox()) == count
    # Only hashes: no table holds an address next to a link.
    links = db.session.scalars(sa.select(ConfirmationLink)).all()
    assert len(links) == 2 and {link.wish_id for link in links} == {asked["wish_id"]}
    assert {c.name for c in ConfirmationLink.__table__.columns} == {
        "token_hash", "wish_id", "expires_at"}


def test_link_rows_are_written_in_hash_order_not_mail_order(app, world, outbox):
    """Neither table's order says whose link is whose (rows in hash order, mails shuffled)."""
    series = registration_factories.create_series(20, municipality=world.municipality)
    for n in range(12):
        registration_factories.register(series, email=f"p{n}@example.org")
    _wish(world, meeting=series.meetings[0], origin=WishOrigin.MEETING)
    db.session.commit()
    confirmations.ask_confirmations(now=utcnow() + LATER)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        order = sa.text("SELECT token_hash FROM wish_confirmation_links ORDER BY rowid")
    else:
        order = sa.text("SELECT token_hash FROM wish_confirmation_links ORDER BY ctid")
    written = db.session.execute(order).scalars().all()
    assert written == sorted(written) and len(written) == 12
    from portal.wishes.confirmations import _hash

    mailed = [_hash(LINK.search(m.text_body).group(1).rsplit("/", 1)[1], "test-secret-key")
              for m in outbox() if LINK.search(m.text_body)]
    assert sorted(mailed) == written and mailed != written  # 1 in 12! to be equal by chance


def test_changes_long_ago_are_not_asked_about(app, world, outbox):
    _wish(world, resolved_at=utcnow() - timedelta(days=confirmations.ASK_WITHIN_DAYS + 20))
    db.session.commit()
    assert confirmations.ask_confirmations() == "0 wishes, 0 mails"


def test_nobody_is_asked_before_the_change_had_time_to_land(app, world, outbox):
    _wish(world)
    db.session.commit()
    assert confirmations.ask_confirmations() == "0 wishes, 0 mails"


def test_a_participant_answers_once_with_the_link(client, app, asked):
    path = LINK.search(next(m for m in asked["mails"]
                            if m.to_address == "ali@example.org").text_body).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert "Is het voor jou echt veranderd?" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    # Bad input first: no choice, then a far too long note. Nothing is used up.
    missing = client.post_form(path, {"note": "Weet ik niet."})
    assert missing.status_code == 422
    assert "Kies ja, deels of nee." in missing.get_data(as_text=True)
    assert "Weet ik niet." in missing.get_data(as_text=True)
    too_long = client.post_form(path, {"answer": "no", "note": "x" * 10_000})
    assert too_long.status_code == 422
    assert "Gebruik maximaal 1000 tekens." in too_long.get_data(as_text=True)
    done = client.post_form(path, {"answer": "no",
                                   "note": "Gisteren kwam er weer een brief op vrijdag."})
    assert done.status_code == 200
    assert "Bedankt voor je antwoord" in done.get_data(as_text=True)
    again = client.get(path)
    assert again.status_code == 404
    assert "werkt één keer" in again.get_data(as_text=True)
    wish = _reload(asked["wish_id"])
    assert (wish.confirmed_no, wish.confirmation) == (1, Confirmation.NO)
    event = wish.events[-1]
    assert (event.action, event.detail, event.actor_kind, event.actor_user_id) == (
        "confirm", "no", ActorKind.RESIDENT_LINK, None)
    assert event.note == "Gisteren kwam er weer een brief op vrijdag."


def test_forged_and_malformed_links_are_a_friendly_404(client):
    for path in ("/wens/bevestigen/" + "a" * 32, "/wens/bevestigen/kort",
                 "/wens/bevestigen/" + "<script>alert(1)</script>"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_the_teller_answers_once_with_the_receipt_code(client, app, asked):
    code, wish_id = asked["code"], asked["story_wish_id"]
    page = client.post_form("/bon", {"code": code}).get_data(as_text=True)
    assert "Is het voor jou echt veranderd?" in page
    token = re.search(rf'name="wens{wish_id}-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    fields = {f"wens{wish_id}-csrf_token": token, f"wens{wish_id}-code": code}
    url = f"/bon/bevestigen/{wish_id}"
    refused = client.post(url, data=fields | {f"wens{wish_id}-note": "Half."})
    assert refused.status_code == 422 and "Kies ja, deels of nee." in refused.get_data(
        as_text=True)
    answered = client.post(url, data=fields | {f"wens{wish_id}-answer": "partly"})
    assert answered.status_code == 200
    body = answered.get_data(as_text=True)
    assert "Bedankt voor je antwoord" in body
    assert "Je hebt ons verteld of het voor jou echt veranderd is" in body
    twice = client.post(url, data=fields | {f"wens{wish_id}-answer": "yes"})
    assert twice.status_code == 422
    assert "Je hebt deze vraag al beantwoord" in twice.get_data(as_text=True)
    wish = _reload(wish_id)
    assert (wish.confirmed_partly, wish.confirmed_yes) == (1, 0)
    assert wish.events[-1].actor_kind is ActorKind.ANONYMOUS_TELLER


def test_a_wrong_code_or_another_story_cannot_confirm(client, app, asked, world):
    wish_id = asked["story_wish_id"]
    _, other_code = story_factories.create_story(municipality=world.municipality)
    db.session.commit()
    token = client.csrf_token("/bon")
    wrong = client.post(f"/bon/bevestigen/{wish_id}", data={
        f"wens{wish_id}-csrf_token": token, f"wens{wish_id}-code": "ABCD-EFGH-JKMN-PQRS",
        f"wens{wish_id}-answer": "yes"})
    assert wrong.status_code == 422
    other = client.post(f"/bon/bevestigen/{wish_id}", data={
        f"wens{wish_id}-csrf_token": token, f"wens{wish_id}-code": other_code,
        f"wens{wish_id}-answer": "yes"})
    assert other.status_code == 404
    assert _reload(wish_id).confirmations == 0


def test_reopening_voids_the_open_links_and_retention_purges_expired_ones(app, asked, world):
    wish = _reload(asked["wish_id"])
    workflow.transition(wish, "confirm", world.facilitator, answer=Confirmation.NO)
    confirmations.reopen_wish(wish, world.facilitator, "Niet veranderd.",
                              links=_links())
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConfirmationLink)) == 0
    db.session.add(ConfirmationLink(token_hash="f" * 64, wish_id=wish.id,
                                    expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert "1 unused confirmation links" in purge()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConfirmationLink)) == 0


def _links():
    from portal.wishes.service import Links

    return Links(staff_wish=lambda w: "http://localhost/s", workspace_wish=lambda w: "http://x/w",
                 answer_link=lambda t: "http://localhost/a/" + t)


def test_two_tellers_of_merged_wishes_each_answer_once(world):
    first_story, _ = story_factories.create_story(municipality=world.municipality)
    second_story, _ = story_factories.create_story(municipality=world.municipality)
    target = _wish(world, story=first_story, origin=WishOrigin.STORY)
    duplicate = create_wish(WishStatus.MERGED, municipality=world.municipality,
                            story=second_story, origin=WishOrigin.STORY, merged_into=target)
    db.session.flush()
    assert wish_of_story(second_story, duplicate.id) is target
    confirmations.confirm_as_teller(first_story, target, Confirmation.YES)
    assert confirmations.teller_has_answered(first_story, target)
    assert not confirmations.teller_has_answered(second_story, target)
    confirmations.confirm_as_teller(second_story, target, Confirmation.NO)
    with pytest.raises(InvalidTransition):
        confirmations.confirm_as_teller(second_story, target, Confirmation.YES)
    assert (target.confirmed_yes, target.confirmed_no, target.confirmation) == (
        1, 1, Confirmation.PARTLY)
    # After a reopen and a new change, the tellers are asked again.
    workflow.transition(target, "reopen", world.facilitator, "Niet voor iedereen.")
    assert not confirmations.teller_has_answered(first_story, target)


def test_a_teller_who_withdrew_the_story_no_longer_answers_for_it(world):
    from portal.errors import NotAllowed
    from portal.stories.service import withdraw

    story, _ = story_factories.create_story(municipality=world.municipality)
    wish = _wish(world, story=story, origin=WishOrigin.STORY)
    withdraw(story)
    with pytest.raises(NotAllowed):
        confirmations.confirm_as_teller(story, wish, Confirmation.YES)
    assert wish.confirmations == 0 and wish.confirmation is None


def test_every_kind_of_actor_has_words_in_the_timeline_and_the_export(app, world):
    from portal.reports.views import actor_kinds
    from portal.wishes.models import WishEvent
    from portal.wishes.timeline import actor_label, lines

    wish = _wish(world)
    with app.test_request_context():
        assert set(actor_kinds()) == set(ActorKind)
        for kind in ActorKind:
            event = WishEvent(wish=wish, action="confirm", actor_kind=kind, detail="partly",
                              at=utcnow(), note="")
            if kind is ActorKind.USER:
                event.actor_user = world.facilitator
            assert actor_label(event) not in ("", "Oud-gebruiker"), kind
        [line] = lines([WishEvent(action="confirm", actor_kind=ActorKind.RESIDENT_LINK,
                                  detail="no", at=utcnow(), note="Nog steeds op vrijdag.")])
        assert (line.who, line.detail) == ("Een deelnemer (via de link in de e-mail)",
                                           "Nee, het is niet veranderd")
    db.session.rollback()


def test_the_timeline_export_names_a_participant_who_answered_by_link(client, login_as, world,
                                                                     asked):
    path = LINK.search(next(m for m in asked["mails"]
                            if m.to_address == "bea@example.org").text_body).group(1)
    assert client.post_form(path, {"answer": "yes"}).status_code == 200
    login_as(world.coordinator)
    response = client.get("/begeleiding/rapportages/wensen-met-tijdlijn.csv")
    assert response.status_code == 200
    assert "een deelnemer (link in e-mail)" in response.get_data(as_text=True)
