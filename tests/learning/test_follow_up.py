"""Check-ins months after the series: only to those who asked, at 3 and 6 months, each once; a
personal single-use link answered without an account; anonymous answers; results from 5 on; the
address kept for it ends with the last round."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.learning import follow_up
from portal.learning.models import (Changed, FollowUpAnswer, FollowUpContact, FollowUpRemark,
                                    FollowUpToken, InTouch, RemarkStatus)
from portal.models import utcnow
from portal.registrations import service as registrations
from portal.registrations.models import Registration, RegistrationStatus
from portal.registrations.retention import erase_ended_series_registrations
from portal.series.times import to_local
from tests.learning.people import add_person
from tests.workers import run_at_once

SUBJECT = "Hoe gaat het met je? Een vraag over"
LINK = re.compile(r"http://localhost(/hoe-gaat-het/[A-Za-z0-9_-]+)")
INVALID = "Deze link werkt niet (meer)."
TOO_FEW = "Nog geen uitkomsten. We laten pas iets zien als minstens 5 mensen"
ANSWER = {"in_touch": "a_little", "changed": "partly", "remark": ""}


def _check_ins(outbox):
    return [m for m in outbox() if m.subject.startswith(SUBJECT)]


def _ended(series):
    """The moment the series' last meeting ended."""
    return series.meetings[-1].ends_at


def _at(series, months: int, days: int = 1):
    """A moment `days` after the round of `months` is due."""
    ended_on = to_local(_ended(series)).date()
    due = follow_up.add_months(ended_on, months)
    return _ended(series) + (due - ended_on) + timedelta(days=days)


def _run(now) -> str:
    summary = follow_up.send_follow_ups(now)
    db.session.commit()
    return summary


def _contacts():
    db.session.commit()  # see other sessions' writes
    return db.session.scalars(sa.select(FollowUpContact).order_by(FollowUpContact.id)).all()


def _ended_series(learning_series, days_ago: float = 0.1):
    """A series whose fourth meeting ended `days_ago` days ago."""
    return learning_series(hours=24 * days_ago + 2, weeks_before=3)


def test_check_ins_go_only_to_who_asked_at_3_and_6_months_each_once(app, learning_series,
                                                                    outbox):
    series = _ended_series(learning_series)
    add_person(series, "anna@example.org", follow_up=True)
    add_person(series, "bram@example.org")  # did not tick the box
    add_person(series, "cor@example.org", status=RegistrationStatus.WAITING, follow_up=True)
    add_person(series, "dirk@example.org", status=RegistrationStatus.CANCELLED, follow_up=True)
    db.session.commit()

    now = utcnow()
    assert _run(now) == "0 follow-up check-ins, 1 new follow-up contacts"
    assert _run(now) == "0 follow-up check-ins, 0 new follow-up contacts"
    [contact] = _contacts()
    assert (contact.email, contact.next_round) == ("anna@example.org", 3)

    assert _run(_at(series, 3, days=-1)).startswith("0 follow-up check-ins")  # not yet
    assert _run(_at(series, 3)).startswith("1 follow-up check-ins")
    assert _run(_at(series, 3)).startswith("0 follow-up check-ins")
    [contact] = _contacts()
    assert contact.next_round == 6

    assert _run(_at(series, 6)).startswith("1 follow-up check-ins")
    assert _contacts() == []  # gone right after the last round
    assert _run(_at(series, 6, days=2)) == "0 follow-up check-ins, 0 new follow-up contacts"

    mails = _check_ins(outbox)
    assert [m.to_address for m in mails] == ["anna@example.org"] * 2
    assert "3 maanden geleden waren de laatste ontmoetingen" in mails[0].text_body
    assert "6 maanden geleden" in mails[1].text_body
    assert all(LINK.search(m.text_body) for m in mails)
    db.session.commit()
    assert sorted(db.session.scalars(sa.select(FollowUpToken.round_months))) == [3, 6]


def test_two_workers_at_once_send_each_round_once(app, learning_series, outbox):
    series = _ended_series(learning_series)
    for n in range(6):
        add_person(series, f"p{n}@example.org", follow_up=True)
    db.session.commit()
    for now in (utcnow(), _at(series, 3)):
        run_at_once(app, follow_up.send_follow_ups, now)
    addresses = [m.to_address for m in _check_ins(outbox)]
    assert sorted(addresses) == sorted(f"p{n}@example.org" for n in range(6))
    assert len(_contacts()) == 6


def test_rounds_are_configurable(app, learning_series, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "FOLLOW_UP_MONTHS", (1,))
    series = _ended_series(learning_series)
    add_person(series, "anna@example.org", follow_up=True)
    db.session.commit()
    _run(utcnow())
    assert _run(_at(series, 1)).startswith("1 follow-up check-ins")
    assert _contacts() == []
    assert "1 maanden geleden" in _check_ins(outbox)[0].text_body


def test_the_address_outlives_the_erased_registration_only_until_the_last_round(
        app, learning_series):
    series = _ended_series(learning_series)
    add_person(series, "anna@example.org", follow_up=True)
    db.session.commit()
    _run(utcnow())
    erase_ended_series_registrations(utcnow() + timedelta(days=100))
    db.session.commit()
    [registration] = db.session.scalars(sa.select(Registration)).all()
    assert registration.email is None and registration.has_follow_up_consent is False
    assert [c.email for c in _contacts()] == ["anna@example.org"]
    assert _run(_at(series, 3)).startswith("1 follow-up check-ins")
    assert _run(_at(series, 6)).startswith("1 follow-up check-ins")
    assert _contacts() == []


def test_retention_removes_a_contact_whose_round_could_not_be_sent_in_time(
        app, learning_series, outbox):
    series = _ended_series(learning_series)
    add_person(series, "anna@example.org", follow_up=True)
    db.session.commit()
    _run(utcnow())
    late = _at(series, 3, days=follow_up.LATE_DAYS + 1)
    assert follow_up.purge_contacts(_at(series, 3)) == 0
    assert _run(late).startswith("0 follow-up check-ins")  # too late to ask "3 months" now
    assert follow_up.purge_contacts(late) == 1
    db.session.commit()
    assert _contacts() == [] and _check_ins(outbox) == []


def test_the_purge_command_removes_overdue_contacts(app, learning_series):
    series = _ended_series(learning_series, days_ago=200)
    long_ago = to_local(_ended(series)).date()
    db.session.add(FollowUpContact(series_id=series.id, email="anna@example.org",
                                   ended_on=long_ago, next_round=3,
                                   next_due_on=follow_up.add_months(long_ago, 3)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["portal", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 follow-up contacts" in result.output
    assert _contacts() == []


def test_cancelling_deleting_or_withdrawing_forgets_the_address(app, learning_series):
    series = _ended_series(learning_series)
    people = [add_person(series, f"p{n}@example.org", follow_up=True) for n in range(4)]
    db.session.commit()
    _run(utcnow())
    assert len(_contacts()) == 4
    registrations.cancel(people[0])
    db.session.commit()
    registrations.delete_registration(db.session.get(Registration, people[1].id))
    db.session.commit()
    registrations.change(db.session.get(Registration, people[2].id), registrations.Details(
        display_name="Cor", role=None, email="p2@example.org", follow_up=False))
    db.session.commit()
    assert [c.email for c in _contacts()] == ["p3@example.org"]
    _run(utcnow())  # nothing comes back
    assert [c.email for c in _contacts()] == ["p3@example.org"]


def test_a_sign_up_that_still_agrees_keeps_its_address(app, learning_series):
    """Anna cancelled, signed up again and agreed again: removing the old sign-up or another
    with her address must not stop the check-ins she asked for."""
    series = _ended_series(learning_series)
    old = add_person(series, "anna@example.org", status=RegistrationStatus.CANCELLED,
                     follow_up=True)
    add_person(series, "Anna@example.org", follow_up=True)
    other = add_person(series, "anna@example.org")  # same address, did not agree
    db.session.commit()
    _run(utcnow())
    assert [c.email.lower() for c in _contacts()] == ["anna@example.org"]
    registrations.delete_registration(db.session.get(Registration, old.id))
    db.session.commit()
    registrations.cancel(db.session.get(Registration, other.id))
    db.session.commit()
    assert [c.email.lower() for c in _contacts()] == ["anna@example.org"]


# Answering ----------------------------------------------------------------------------------------

def _open_link(learning_series, outbox) -> tuple[object, str]:
    """A series that ended 100 days ago, and the path of a 3-month link that is open now."""
    series = _ended_series(learning_series, days_ago=100)
    ended_on = to_local(_ended(series)).date()
    db.session.add(FollowUpContact(series_id=series.id, email="anna@example.org",
                                   ended_on=ended_on, next_round=3,
                                   next_due_on=follow_up.add_months(ended_on, 3)))
    db.session.commit()
    before = len(_check_ins(outbox))
    assert _run(utcnow()).startswith("1 follow-up check-ins")
    return series, LINK.search(_check_ins(outbox)[before].text_body).group(1)


def _answers():
    db.session.commit()
    return db.session.scalars(sa.select(FollowUpAnswer)).all()


def test_the_check_in_works_without_an_account_and_only_once(app, client, learning_series,
                                                             outbox):
    series, path = _open_link(learning_series, outbox)
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Heb je nog contact met mensen uit de groep?" in html
    assert "Is er iets veranderd voor jou sinds de ontmoetingen?" in html
    assert "Een beetje" in html and "Deels" in html
    assert html.count('type="radio"') == 6
    assert "<script" not in html

    response = client.post_form(path, {**ANSWER, "remark": "Ik zie Fatima nog elke week."})
    assert response.status_code == 303
    assert "Je antwoorden zijn binnen." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    [answer] = _answers()
    assert (answer.series_id, answer.round_months) == (series.id, 3)
    assert (answer.in_touch, answer.changed) == (InTouch.A_LITTLE, Changed.PARTLY)
    [remark] = db.session.scalars(sa.select(FollowUpRemark)).all()
    assert remark.text == "Ik zie Fatima nog elke week." and remark.status is RemarkStatus.PENDING

    again = client.get(path)
    assert again.status_code == 404 and INVALID in again.get_data(as_text=True)
    assert client.post_form(path, ANSWER, token_from="/account/inloggen").status_code == 404
    assert len(_answers()) == 1


def test_a_forged_or_misused_link_is_a_friendly_404(app, client, learning_series, outbox,
                                                    personal_links):
    series = learning_series(hours=4)
    [evaluation_link] = personal_links(series.meetings[0], ["anna@example.org"])
    token = evaluation_link.rsplit("/", 1)[1]
    for path in ("/hoe-gaat-het/" + "a" * 32, "/hoe-gaat-het/kort", "/hoe-gaat-het/" + token,
                 "/hoe-gaat-het/%3Cscript%3E" + "b" * 20):
        response = client.get(path)
        assert response.status_code == 404, path
        assert INVALID in response.get_data(as_text=True)


def test_bad_input_gets_a_clear_message_keeps_what_was_typed_and_keeps_the_link(
        app, client, learning_series, outbox):
    _, path = _open_link(learning_series, outbox)
    out_of_range = client.post_form(path, {"in_touch": "maybe", "changed": "7",
                                           "remark": "Mijn verhaal"})
    html = out_of_range.get_data(as_text=True)
    assert out_of_range.status_code == 422
    assert "Kijk het formulier na" in html and "Kies een van de drie antwoorden." in html
    assert "Mijn verhaal" in html

    too_long = client.post_form(path, {**ANSWER, "remark": "x" * 10_000})
    assert too_long.status_code == 422
    assert "Dat is veel tekst. Gebruik hooguit 1000 tekens" in too_long.get_data(as_text=True)

    control = client.post_form(path, {**ANSWER, "remark": "Hallo\x00daar"})
    assert control.status_code == 422
    assert "onzichtbaar stuurteken" in control.get_data(as_text=True)
    assert _answers() == []

    script = client.post_form(path, {**ANSWER,
                                     "remark": "<script>alert(1)</script>Het gaat goed"})
    assert script.status_code == 303
    db.session.commit()
    [remark] = db.session.scalars(sa.select(FollowUpRemark)).all()
    assert "<script" not in remark.text and "Het gaat goed" in remark.text


def test_a_closed_round_is_a_404_and_its_unused_links_are_purged(app, client, learning_series,
                                                                 outbox):
    series, path = _open_link(learning_series, outbox)
    assert follow_up.purge_expired_tokens(utcnow()) == 0
    closes = _at(series, 3, days=follow_up.OPEN_DAYS + 1)
    assert follow_up.purge_expired_tokens(closes) == 1
    db.session.commit()
    assert client.get(path).status_code == 404


# Anonymity and results ----------------------------------------------------------------------------

def test_answer_tables_hold_nothing_that_points_at_a_person(app):
    expected = {
        "follow_up_answers": {"id", "series_id", "round_months", "answered_on", "in_touch",
                              "changed"},
        "follow_up_remarks": {"id", "series_id", "round_months", "answered_on", "text",
                              "status"},
        "follow_up_tokens": {"token_hash", "series_id", "round_months"},
    }
    with app.app_context():
        inspector = sa.inspect(db.engine)
        for table, columns in expected.items():
            found = {c["name"]: c["type"] for c in inspector.get_columns(table)}
            assert set(found) == columns, table
            assert not any(isinstance(kind, sa.DateTime) for kind in found.values()), table
            targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
            assert targets == {"series"}, table
        # The contact knows no registration, and nothing points at the answers or the contacts.
        assert {fk["referred_table"] for fk in inspector.get_foreign_keys(
            "follow_up_contacts")} == {"series"}
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                assert not fk["referred_table"].startswith("follow_up_"), table
    for model in (FollowUpAnswer, FollowUpRemark):
        column = model.__table__.c.id
        assert isinstance(column.type, sa.String) and column.autoincrement is not True


def _add_answers(series_id: int, count: int, round_months: int = 3,
                 in_touch: InTouch = InTouch.YES) -> None:
    db.session.commit()  # end a read older than the requests' writes
    for _ in range(count):
        db.session.add(FollowUpAnswer(series_id=series_id, round_months=round_months,
                                      answered_on=utcnow().date(), in_touch=in_touch,
                                      changed=Changed.NO))
    db.session.commit()


def test_results_show_from_five_answers_per_round_and_open_answers_after_moderation(
        app, client, login_as, learning_series):
    series = _ended_series(learning_series, days_ago=100)
    db.session.add(FollowUpRemark(series_id=series.id, round_months=3,
                                  answered_on=utcnow().date(), text="We koken nu samen.",
                                  status=RemarkStatus.PENDING))
    _add_answers(series.id, 4)
    login_as(series.facilitators[0])
    url = f"/reeksen/{series.id}/evaluatie"
    html = client.get(url).get_data(as_text=True)
    section = html[html.index('id="follow-up"'):]
    assert "Na 3 maanden" in section and "Na 6 maanden" in section
    assert section.count(TOO_FEW) == 2
    assert "We koken nu samen." not in section and "Heb je nog contact" not in section

    _add_answers(series.id, 1, in_touch=InTouch.NO)
    section = client.get(url).get_data(as_text=True)
    section = section[section.index('id="follow-up"'):]
    assert section.count(TOO_FEW) == 1  # only the 6-month round
    assert "5 mensen hebben de vragen ingevuld." in section
    assert "Heb je nog contact met mensen uit de groep?" in section
    assert re.search(r"Ja</th>\s*<td[^>]*>4</td>", section)
    assert re.search(r"Nee</th>\s*<td[^>]*>1</td>", section)
    assert "We koken nu samen." in section and "Nog lezen (1)" in section

    [remark] = db.session.scalars(sa.select(FollowUpRemark)).all()
    response = client.post_form(f"/reeksen/nazorg/opmerkingen/{remark.id}/tonen", {},
                                token_from=url)
    assert response.status_code == 302
    db.session.commit()
    assert db.session.get(FollowUpRemark, remark.id).status is RemarkStatus.APPROVED


def test_follow_up_results_of_another_municipality_are_404(app, client, login_as,
                                                           learning_series):
    series = _ended_series(learning_series, days_ago=100)
    remark = FollowUpRemark(series_id=series.id, round_months=3, answered_on=utcnow().date(),
                            text="Tekst", status=RemarkStatus.PENDING)
    db.session.add(remark)
    _add_answers(series.id, 5)
    remark_id = remark.id
    login_as("facilitator")  # of another municipality
    assert client.get(f"/reeksen/{series.id}/evaluatie").status_code == 404
    response = client.post_form(f"/reeksen/nazorg/opmerkingen/{remark_id}/tonen", {},
                                token_from="/dashboard")
    assert response.status_code == 404
    db.session.commit()
    assert db.session.get(FollowUpRemark, remark_id).status is RemarkStatus.PENDING


STOP_LINK = re.compile(r"http://localhost(/hoe-gaat-het/stoppen/[A-Za-z0-9_-]+)")


def test_a_check_in_can_stop_the_next_ones_even_after_the_registration_is_gone(
        app, client, learning_series, outbox):
    series = _ended_series(learning_series)
    add_person(series, "anna@example.org", follow_up=True)
    add_person(series, "bram@example.org", follow_up=True)
    db.session.commit()
    _run(utcnow())
    assert _run(_at(series, 3)).startswith("2 follow-up check-ins")
    mails = {m.to_address: m for m in _check_ins(outbox)}
    stop_path = STOP_LINK.search(mails["anna@example.org"].text_body).group(1)
    assert "Wil je deze e-mails niet meer?" in mails["anna@example.org"].text_body
    # The registrations (and their manage links) are erased long before the 6-month round.
    db.session.execute(sa.update(Registration).values(email=None, erased_at=utcnow()))
    db.session.commit()

    page = client.get(stop_path)
    assert page.status_code == 200 and "Ja, stop de e-mails" in page.get_data(as_text=True)
    assert [c.email for c in _contacts()] == ["anna@example.org", "bram@example.org"]  # a GET
    stopped = client.post_form(stop_path, {})
    assert stopped.status_code == 200
    assert "Je krijgt geen e-mails met vragen meer" in stopped.get_data(as_text=True)
    assert [c.email for c in _contacts()] == ["bram@example.org"]
    assert client.post_form(stop_path, {}, token_from="/account/inloggen").status_code == 404
    assert client.post_form("/hoe-gaat-het/stoppen/" + "x" * 32, {},
                            token_from="/account/inloggen").status_code == 404

    assert _run(_at(series, 6)).startswith("1 follow-up check-ins")
    last = [m for m in _check_ins(outbox) if m.to_address == "bram@example.org"][-1]
    assert not STOP_LINK.search(last.text_body)  # the last one: the address is gone already
    assert "Dit is de laatste vraag" in last.text_body
    assert _contacts() == []
    assert not any(m.to_address == "anna@example.org" for m in _check_ins(outbox)[2:])


def test_check_in_links_are_written_in_hash_order_not_mail_order(app, learning_series, outbox):
    series = _ended_series(learning_series)
    for n in range(8):
        add_person(series, f"p{n}@example.org", follow_up=True)
    db.session.commit()
    _run(utcnow())
    _run(_at(series, 3))
    order = "rowid" if db.engine.dialect.name == "sqlite" else "ctid"
    written = db.session.execute(sa.text(
        f"SELECT token_hash FROM follow_up_tokens ORDER BY {order}")).scalars().all()
    assert len(written) == 8 and written == sorted(written)
