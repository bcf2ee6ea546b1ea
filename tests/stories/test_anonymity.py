"""Anonymous means anonymous: no IP address, user agent or precise time in the database or logs,
no identifying cookie, and the public page of stories is cheap and cookie-free."""
from __future__ import annotations

import logging
import runpy

import pytest
import sqlalchemy as sa

from portal import ROOT
from portal.extensions import db
from portal.stories import service
from portal.stories.models import Story, StoryStatus
from tests.stories.conftest import code_from

IP = "203.0.113.7"
USER_AGENT = "Mozilla/5.0 (X11; Linux) AnonymityProbe/7.7.7 Zebrafish"
SENDER = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": USER_AGENT}


def _all_text_in_database(app) -> str:
    """Every value of every column of every table, as one big string."""
    chunks = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_no_ip_address_or_user_agent_reaches_the_database_or_any_log(
        client, app, municipality, caplog, factories):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="werkzeug")
    caplog.set_level(logging.DEBUG, logger="portal")

    client.get("/vertel", environ_base=SENDER)
    response = client.post_form("/vertel", {
        "kind": "concern", "title": "Zorg", "body": "Ik maak me zorgen.",
        "municipality": str(municipality), "consent": "facilitators",
        "notify_email": "anoniem@example.org"}, environ_base=SENDER)
    code = code_from(response.get_data(as_text=True))
    # The rest of the anonymous flow, from the same address and browser.
    client.post_form("/bon", {"code": code}, environ_base=SENDER)
    client.post_form("/bon", {"code": "AAAA-BBBB-CCCC-DDDD"}, environ_base=SENDER)
    client.post_form("/bon/bericht", {"code": code, "body": "Nog iets"}, token_from="/bon",
                     environ_base=SENDER)
    client.post_form("/bon/email", {"code": code, "email": "ander@example.org"},
                     token_from="/bon", environ_base=SENDER)
    # A facilitator's reply queues the notice mail: that row must be clean too.
    with app.app_context():
        story = db.session.scalars(sa.select(Story)).one()
        service.reply(story, factories.create_user("facilitator"), "Dank je",
                      receipt_url="http://localhost/bon")
        db.session.commit()
    # The line Werkzeug's development server writes for such a request (same shape as
    # WSGIRequestHandler.log_request): the logging filter must scrub the address.
    logging.getLogger("werkzeug").info(
        f'{IP} - - [24/Nov/2026 08:00:00] "%s" %s %s', "POST /vertel HTTP/1.1", "200", "-")

    log_output = caplog.text + "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "the test must actually capture log records"
    assert IP not in log_output
    assert USER_AGENT not in log_output and "Zebrafish" not in log_output
    database = _all_text_in_database(app)
    assert "Ik maak me zorgen" in database  # the story is there...
    assert IP not in database  # ...but nothing about who sent it
    assert USER_AGENT not in database and "Zebrafish" not in database


def test_gunicorn_access_log_leaves_out_the_client_address():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = settings["access_log_format"]
    # %(h)s remote address, %(a)s user agent, %(r)s/%(q)s request line and query string.
    for field in ("%(h)s", "%(a)s", "%(r)s", "%(q)s"):
        assert field not in log_format, field
    for header in ("x-forwarded-for", "x-real-ip", "user-agent"):
        assert header not in log_format.lower(), header


def test_tables_the_sender_writes_keep_dates_not_times():
    for name in ("stories", "story_messages", "story_notification_addresses", "story_themes"):
        table = db.metadata.tables[name]
        for column in table.columns:
            assert not isinstance(column.type, (sa.DateTime, sa.Time)) and not (
                hasattr(column.type, "impl") and isinstance(column.type.impl, sa.DateTime)), \
                f"{name}.{column.name} holds a time"
            words = set(column.name.split("_"))
            assert not words & {"ip", "agent", "remote", "time", "at", "session"}, column.name


def test_the_anonymous_flow_sets_only_the_csrf_session_cookie(client, app, municipality):
    cookies = []
    response = client.get("/vertel")
    cookies += response.headers.getlist("Set-Cookie")
    response = client.post_form("/vertel", {"kind": "story", "body": "Hallo",
                                            "municipality": str(municipality),
                                            "consent": "public"})
    cookies += response.headers.getlist("Set-Cookie")
    code = code_from(response.get_data(as_text=True))
    cookies += client.post_form("/bon", {"code": code}).headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in cookies} <= {"session"}
    session_cookie = client.get_cookie("session")
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(session_cookie.value)
    assert set(contents) <= {"csrf_token", "_fresh"}
    assert code not in str(contents) and code.replace("-", "") not in str(contents)


def test_published_page_sets_no_cookie_and_costs_a_fixed_number_of_queries(
        app, story_factories, count_queries):
    municipality = story_factories.factories.create_municipality(slug="oldenzaal")
    db.session.commit()

    def publish(n):
        for i in range(n):
            story, _ = story_factories.create_story(municipality=municipality,
                                                    body=f"Verhaal {i}")
            story.themes = []
            service.moderate(story, None, StoryStatus.PUBLISHED)
        db.session.commit()

    def queries_for_page() -> tuple[int, object]:
        with count_queries() as statements:
            response = app.test_client().get("/verhalen/oldenzaal")
        return len(statements), response

    publish(1)
    one, response = queries_for_page()
    assert response.status_code == 200 and "Verhaal 0" in response.get_data(as_text=True)
    assert response.headers.getlist("Set-Cookie") == []
    publish(15)
    many, response = queries_for_page()
    assert "Verhaal 14" in response.get_data(as_text=True)
    assert many == one <= 5


@pytest.mark.parametrize("url", ["/verhalen/bestaat-niet", "/verhalen/lingewaard/reeks/nee"])
def test_unknown_published_pages_are_404(client, municipality, url):
    assert client.get(url).status_code == 404
