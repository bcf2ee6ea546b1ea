"""After each meeting the `send-evaluation-links` job mails every participant who came one personal
link, once: a second run, or a second worker at the same moment, sends nothing."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.learning import evaluation_links
from portal.learning.models import EvaluationToken, MeetingEvaluation
from portal.models import utcnow
from portal.registrations.models import RegistrationStatus
from portal.series.models import MeetingStatus, SeriesStatus
from tests.learning.conftest import ALL_FOURS
from tests.learning.people import add_person
from tests.workers import run_at_once

SUBJECT = "Hoe was ontmoeting 1? Vertel het ons in 1 minuut"
LINK = re.compile(r"(https?://\S+/evaluatie/persoonlijk/[A-Za-z0-9_-]+)")


def _links(outbox):
    return [m for m in outbox() if m.subject == SUBJECT]


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["portal", "send-evaluation-links"])
    assert result.exit_code == 0, result.output
    return result.output


def test_one_link_for_each_participant_who_came_and_a_second_run_sends_nothing(
        app, client, learning_series, outbox):
    series = learning_series(hours=4)  # meeting 1 ended two hours ago
    add_person(series, "anna@example.org", present=(1,))
    add_person(series, "bram@example.org", present=(1,))
    add_person(series, "cor@example.org", absent=(1,))  # did not come
    add_person(series, None, present=(1,))  # came, but left no address
    add_person(series, "eva@example.org", status=RegistrationStatus.WAITING, present=(1,))
    add_person(series, "fleur@example.org", status=RegistrationStatus.CANCELLED, present=(1,))
    db.session.commit()

    assert "2 evaluation links for 1 meetings" in _run(app)
    mails = _links(outbox)
    assert sorted(m.to_address for m in mails) == ["anna@example.org", "bram@example.org"]
    links = [LINK.search(m.text_body).group(1) for m in mails]
    assert all(link.startswith("http://localhost/evaluatie/persoonlijk/") for link in links)
    assert len(set(links)) == 2

    assert "0 evaluation links for 0 meetings" in _run(app)
    assert len(_links(outbox)) == 2

    # The link in the mail works, once.
    path = links[0].removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    assert client.post_form(path, ALL_FOURS).status_code == 302
    assert client.get(path).status_code == 404


def test_without_any_attendance_marked_everyone_confirmed_with_an_address_gets_one(
        app, learning_series, outbox):
    series = learning_series(hours=4)
    add_person(series, "anna@example.org")
    add_person(series, "bram@example.org")
    add_person(series, "erased@example.org", erased=True)
    add_person(series, "eva@example.org", status=RegistrationStatus.WAITING)
    db.session.commit()
    assert "2 evaluation links" in _run(app)
    assert sorted(m.to_address for m in _links(outbox)) == ["anna@example.org",
                                                            "bram@example.org"]


def test_the_link_is_absolute_on_the_configured_base_url(app, learning_series, outbox,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://ontmoetingen.example/portal")
    series = learning_series(hours=4)
    add_person(series, "anna@example.org")
    db.session.commit()
    _run(app)
    [mail] = _links(outbox)
    assert LINK.search(mail.text_body).group(1).startswith(
        "https://ontmoetingen.example/portal/evaluatie/persoonlijk/")


def test_no_links_while_running_too_soon_after_or_for_cancelled_and_old_meetings(
        app, learning_series, outbox):
    running = learning_series(hours=1)  # meeting 1 still going on
    just_ended = learning_series(hours=2.5)  # ended 30 minutes ago: attendance may follow
    old = learning_series(hours=24 * 5)  # ended five days ago: too late to ask now
    cancelled = learning_series(hours=4)
    cancelled.meetings[0].status = MeetingStatus.CANCELLED
    draft = learning_series(hours=4, status=SeriesStatus.DRAFT)
    for series in (running, just_ended, old, cancelled, draft):
        add_person(series, f"{series.id}@example.org")
    db.session.commit()
    assert "0 evaluation links for 0 meetings" in _run(app)
    assert _links(outbox) == []


def test_the_claim_on_a_meeting_succeeds_once(app, learning_series):
    series = learning_series(hours=4)
    meeting = series.meetings[0]
    assert evaluation_links._claim(meeting, utcnow()) is True
    assert evaluation_links._claim(meeting, utcnow()) is False
    db.session.commit()
    assert db.session.scalar(sa.select(MeetingEvaluation.links_sent_at)) is not None


def test_two_workers_at_once_send_each_link_once(app, learning_series, outbox):
    for _ in range(3):
        series = learning_series(hours=4)
        for n in range(4):
            add_person(series, f"p{n}-{series.id}@example.org", present=(1,))
    db.session.commit()
    run_at_once(app, evaluation_links.send_evaluation_links)
    addresses = [m.to_address for m in _links(outbox)]
    assert len(addresses) == len(set(addresses)) == 12
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationToken)) == 12


def test_a_meeting_that_ended_a_while_ago_but_within_the_window_still_gets_its_links(
        app, learning_series, outbox):
    series = learning_series(hours=4)
    add_person(series, "anna@example.org")
    db.session.commit()
    later = utcnow() + timedelta(days=2)
    assert evaluation_links.send_evaluation_links(later).startswith("1 evaluation links")
    db.session.commit()
    assert [m.to_address for m in _links(outbox)] == ["anna@example.org"]
