"""The anonymous form, the confirmation with its code, and the receipt page with only the code."""
from __future__ import annotations

import re

import sqlalchemy as sa

from portal.extensions import db
from portal.stories.models import MessageAuthor, Story, StoryMessage, StoryStatus
from tests.stories.conftest import code_from

WRONG_CODE = "Met deze code kunnen we geen verhaal openen"


def _story(app) -> Story:
    with app.app_context():
        story = db.session.scalars(sa.select(Story)).one()
        db.session.expunge(story)
        return story


def test_form_says_who_sees_what_per_consent_level(client, municipality):
    page = client.get("/vertel").get_data(as_text=True)
    assert "<h1" in page and "Vertel je verhaal" in page
    assert "Alleen de begeleiders mogen het lezen" in page
    assert "Nobody else" not in page  # Dutch, not the English source
    assert "niet de groep, niet organisaties, niet het publiek" in page
    assert "Organisaties en het publiek zien het niet" in page
    assert "Iedereen kan het daar lezen, ook organisaties" in page
    assert "We bewaren je naam, je internetadres, je apparaat en het tijdstip niet" in page


def test_submission_shows_the_code_once_with_a_printable_card(client, submit, app):
    response, code = submit(consent="group", title="Vrijdagbrieven")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert "Schrijf je code nu op" in page
    assert "portal-code-card" in page and "js/print.js" in page
    assert "Ze mogen het in de groep van je ontmoetingen vertellen, zonder je naam" in page
    assert response.headers["Cache-Control"] == "no-store"
    # Shown once: nothing else shows it again.
    assert code not in client.get("/vertel").get_data(as_text=True)
    assert code not in client.get("/bon").get_data(as_text=True)


def test_story_is_stored_with_the_date_only(client, submit, app):
    submit(title="Vrijdag", body="Ik schrik <b>elke</b> vrijdag.", wish_text="Brief op maandag")
    story = _story(app)
    assert story.status is StoryStatus.NEW
    assert story.body == "Ik schrik <b>elke</b> vrijdag."
    assert story.submitted_on is not None
    assert story.captured_by_id is None


def test_what_was_typed_stays_when_something_is_missing(client, municipality):
    response = client.post_form("/vertel", {"kind": "story", "title": "Mijn titel",
                                            "body": "Een lang verhaal", "consent": "",
                                            "municipality": str(municipality)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mijn titel" in page and "Een lang verhaal" in page
    assert "Kies wie je verhaal mag lezen" in page
    assert "error-summary" in page


def test_bad_input_never_gives_a_server_error(client, municipality):
    for data in ({"body": "\x00hallo"}, {"body": "x" * 10_000}, {"body": "<script>x</script>"},
                 {"body": ""}, {"municipality": "abc"}, {"municipality": "99999"},
                 {"kind": "nonsense"}, {"consent": "everyone"}, {"themes": ["x", "1"]},
                 {"notify_email": "not an address"}, {"series": "abc"}):
        fields = {"kind": "story", "body": "Hallo", "municipality": str(municipality),
                  "consent": "public"} | data
        response = client.post_form("/vertel", fields)
        assert response.status_code in (200, 422), (data, response.status_code)


def test_a_story_with_only_markup_is_refused_and_kept(client, municipality):
    response = client.post_form("/vertel", {"kind": "story", "body": "<script></script>",
                                            "municipality": str(municipality),
                                            "consent": "public"})
    assert response.status_code == 422
    assert "Schrijf eerst iets" in response.get_data(as_text=True)


def test_reloading_the_confirmation_does_not_store_the_story_twice(client, municipality, app):
    form_page = client.get("/vertel").get_data(as_text=True)
    once = re.search(r'name="once"[^>]*value="([^"]+)"', form_page).group(1)
    data = {"kind": "story", "body": "Eén keer", "municipality": str(municipality),
            "consent": "public", "once": once}
    first = client.post_form("/vertel", data, token_from="/vertel")
    second = client.post_form("/vertel", data, token_from="/vertel")
    assert code_from(first.get_data(as_text=True))
    assert "Dit verhaal is al verstuurd" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Story)) == 1


def test_submissions_are_rate_limited_without_losing_the_text(client, submit):
    from portal.stories.public import SUBMIT_LIMIT

    for _ in range(SUBMIT_LIMIT):
        assert submit()[1]
    response, code = submit(body="Mijn tekst die niet verloren mag gaan")
    assert code is None
    assert response.status_code == 429
    assert "Mijn tekst die niet verloren mag gaan" in response.get_data(as_text=True)


def test_receipt_page_opens_with_a_forgiving_code(client, submit, open_receipt):
    _, code = submit(title="Vrijdagbrieven")
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    response = open_receipt(typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vrijdagbrieven" in page
    assert "De begeleiders hebben het nog niet gelezen" in page
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_format_and_unknown_code_answer_the_same(client, submit, open_receipt):
    _, code = submit()
    unknown = "ZZZZ-ZZZZ-ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ-ZZZZ-ZZZZ" else "YYYY-YYYY-YYYY-YYYY"
    answers = [open_receipt(typed) for typed in (unknown, "hallo", "<b>x</b>", "x" * 150)]
    assert {r.status_code for r in answers} == {422}
    for response, typed in zip(answers, (unknown, "hallo", "<b>x</b>", "x" * 150)):
        page = response.get_data(as_text=True)
        assert WRONG_CODE in page
        # The pages differ only in the echoed code: same message, same form.
        assert page.replace(typed, "").count(WRONG_CODE) == 2  # summary and field


def test_brute_force_is_throttled_even_for_the_right_code(client, submit, open_receipt):
    from portal.stories.public import CODE_LIMIT

    _, code = submit()
    for n in range(CODE_LIMIT):
        assert open_receipt(f"AAAA-AAAA-AAAA-{n:04d}").status_code == 422
    blocked = open_receipt(code)
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "Te veel pogingen" in page and "Wacht een paar minuten" in page
    assert "Brieven komen altijd op vrijdag" not in page


def test_throttling_is_per_client(client, submit, open_receipt, app):
    from portal.stories.public import CODE_LIMIT

    _, code = submit()
    for n in range(CODE_LIMIT):
        open_receipt(f"AAAA-AAAA-AAAA-{n:04d}")
    other = app.test_client()
    other.__class__ = client.__class__
    response = other.post_form("/bon", {"code": code},
                               environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert response.status_code == 200


def test_sender_adds_information_and_answers_a_reply(client, submit, open_receipt, app,
                                                     factories):
    _, code = submit()
    response = client.post_form("/bon/bericht", {"code": code, "body": "Nog iets"},
                                token_from="/bon")
    assert "Je bericht is naar de begeleiders gestuurd" in response.get_data(as_text=True)
    story = _story(app)
    with app.app_context():
        from portal.stories import service

        service.reply(db.session.get(Story, story.id), factories.create_user("facilitator"),
                      "Dank je. Mag ik iets vragen?", receipt_url="http://localhost/bon")
        db.session.commit()
    page = open_receipt(code).get_data(as_text=True)
    assert "Dank je. Mag ik iets vragen?" in page
    assert "Antwoord of voeg iets toe" in page
    client.post_form("/bon/bericht", {"code": code, "body": "Ja hoor"}, token_from="/bon")
    with app.app_context():
        messages = db.session.scalars(sa.select(StoryMessage).order_by(StoryMessage.id)).all()
        assert [m.author for m in messages] == [MessageAuthor.SENDER, MessageAuthor.FACILITATOR,
                                                MessageAuthor.SENDER]
        assert messages[-1].author_user_id is None
        assert db.session.get(Story, story.id).has_unread_from_sender


def test_an_empty_message_is_refused_on_the_same_page(client, submit):
    _, code = submit()
    response = client.post_form("/bon/bericht", {"code": code, "body": ""}, token_from="/bon")
    assert response.status_code == 422
    assert "Schrijf eerst je bericht" in response.get_data(as_text=True)


def test_actions_with_a_wrong_code_do_nothing(client, submit, app):
    submit()
    for url, data in (("/bon/bericht", {"body": "x"}), ("/bon/intrekken", {}),
                      ("/bon/email", {"email": "a@example.org"}), ("/bon/email/verwijderen", {})):
        response = client.post_form(url, {"code": "AAAA-BBBB-CCCC-DDDD"} | data,
                                    token_from="/bon")
        assert response.status_code == 422
        assert WRONG_CODE in response.get_data(as_text=True)
    story = _story(app)
    assert story.status is StoryStatus.NEW
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoryMessage)) == 0


def test_withdrawal_erases_the_text_and_takes_it_offline(client, submit, open_receipt, app):
    _, code = submit(body="Een verhaal om in te trekken")
    with app.app_context():
        from portal.stories import service

        story = db.session.scalars(sa.select(Story)).one()
        service.moderate(story, None, StoryStatus.PUBLISHED)
        db.session.commit()
    assert "Een verhaal om in te trekken" in client.get("/verhalen/lingewaard").get_data(
        as_text=True)
    response = client.post_form("/bon/intrekken", {"code": code}, token_from="/bon")
    assert "Je verhaal is ingetrokken" in response.get_data(as_text=True)
    story = _story(app)
    assert story.status is StoryStatus.WITHDRAWN and story.body == ""
    assert "Een verhaal om in te trekken" not in client.get("/verhalen/lingewaard").get_data(
        as_text=True)
    page = open_receipt(code).get_data(as_text=True)
    assert "Je hebt het ingetrokken" in page
    assert 'action="/bon/bericht"' not in page


def test_notification_address_is_stored_apart_and_deletable(client, submit, open_receipt, app):
    from portal.stories.models import StoryNotificationAddress

    _, code = submit(notify_email="anoniem@example.org")
    with app.app_context():
        assert db.session.scalars(sa.select(StoryNotificationAddress.email)).all() == [
            "anoniem@example.org"]
        assert "anoniem@example.org" not in str(
            db.session.execute(sa.select(Story.__table__)).one())
    page = open_receipt(code).get_data(as_text=True)
    assert "anoniem@example.org" not in page  # not even shown back
    assert "wie je mail leest, kan dan zien dat je een verhaal hebt gestuurd" in page
    response = client.post_form("/bon/email/verwijderen", {"code": code}, token_from="/bon")
    assert "Je e-mailadres is verwijderd" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(StoryNotificationAddress)).all() == []
    client.post_form("/bon/email", {"code": code, "email": "nieuw@example.org"},
                     token_from="/bon")
    with app.app_context():
        assert db.session.scalars(sa.select(StoryNotificationAddress.email)).all() == [
            "nieuw@example.org"]


def test_story_can_be_linked_to_a_public_series(client, app, story_factories):
    series = story_factories.create_series(title="Huissen voorjaar")
    db.session.commit()
    series_id, slug = series.id, series.slug
    page = client.get(f"/vertel?reeks={slug}").get_data(as_text=True)
    assert f'<option selected value="{series_id}">' in page or \
        f'value="{series_id}" selected' in page
    response = client.post_form("/vertel", {"kind": "concern", "body": "Zorgen",
                                            "series": str(series_id), "consent": "group"})
    assert code_from(response.get_data(as_text=True))
    story = _story(app)
    assert story.series_id == series_id and story.municipality_id == series.municipality_id


def test_neither_series_nor_municipality_asks_for_one(client, municipality):
    response = client.post_form("/vertel", {"kind": "story", "body": "Hallo", "consent": "public"})
    assert response.status_code == 422
    assert "Kies je gemeente of je reeks ontmoetingen" in response.get_data(as_text=True)
