"""Fixtures for the learning tests: a series whose meetings are (partly) in the past, answers
posted through the real public form, personal links read from the outbox."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ALL_FOURS = {key: "4" for key in ("heard", "no_judgement", "understand", "learned", "belong",
                                   "can_change")}
LINK_IN_MAIL = re.compile(r"http://localhost(/evaluatie/persoonlijk/[A-Za-z0-9_-]+)")


def started_ago(hours: float, weeks_before: int = 0):
    """Four weekly (start, end) local pairs; meeting `weeks_before + 1` started `hours` ago."""
    now = datetime.now(AMSTERDAM).replace(tzinfo=None, second=0, microsecond=0)
    first = now - timedelta(hours=hours) - timedelta(weeks=weeks_before)
    return [(first + timedelta(weeks=n), first + timedelta(weeks=n, hours=2)) for n in range(4)]


@pytest.fixture
def learning_series(factories):
    """learning_series(hours=1, weeks_before=0, **overrides) → committed series; by default
    meeting 1 started an hour ago (its evaluation is open), 2-4 lie ahead."""
    from portal.extensions import db
    from tests.series import factories as series_factories

    def make(hours: float = 1, weeks_before: int = 0, **overrides):
        db.session.commit()  # end a read transaction older than other sessions' writes
        series = series_factories.create_series(
            times=started_ago(hours, weeks_before), with_agenda=False, **overrides)
        db.session.commit()
        return series

    return make


@pytest.fixture
def qr_url(app):
    """The shared link behind a meeting's QR code."""
    from portal.extensions import db
    from portal.learning import service

    def url(meeting) -> str:
        with app.app_context():
            from portal.series.models import Meeting

            row = service.evaluation_for(db.session.get(Meeting, meeting.id))
            db.session.commit()
            return f"/evaluatie/{row.code}"

    return url


@pytest.fixture
def personal_links(app, outbox):
    """personal_links(meeting, addresses) → the paths of the links mailed to them."""
    from portal.extensions import db
    from portal.learning import service
    from portal.series.models import Meeting

    def send(meeting, addresses) -> list[str]:
        before = len(outbox())
        with app.app_context(), app.test_request_context():
            service.send_evaluation_links(
                None, db.session.get(Meeting, meeting.id), addresses,
                lambda token: "http://localhost/evaluatie/persoonlijk/" + token,
                app.config["SECRET_KEY"])
            db.session.commit()
        return [LINK_IN_MAIL.search(m.text_body).group(1) for m in outbox()[before:]]

    return send


@pytest.fixture
def answer(client):
    """answer(url, **fields) posts the evaluation form like a browser (all 4s by default)."""

    def post(url: str, **fields):
        return client.post_form(url, {**ALL_FOURS, **fields})

    return post


def add_responses(meeting_id: int, count: int, score: int = 4, **scores):
    """Answers straight into the table (fast), for result tests."""
    from datetime import date

    from portal.extensions import db
    from portal.learning.models import SCORE_KEYS, EvaluationResponse

    for _ in range(count):
        values = {key: scores.get(key, score) for key in SCORE_KEYS}
        db.session.add(EvaluationResponse(meeting_id=meeting_id, answered_on=date.today(),
                                          **values))
    db.session.flush()
