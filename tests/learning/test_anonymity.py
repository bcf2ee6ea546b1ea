"""No stored evaluation answer can be joined to a registration or a person: not through the
schema (no column, key or time that could), and not through the data (two answers given through
two personal links are indistinguishable apart from their content and a random id)."""
from __future__ import annotations

import logging

import sqlalchemy as sa

from portal.extensions import db
from portal.learning.models import EvaluationRemark, EvaluationResponse, EvaluationToken
from tests.learning.conftest import ALL_FOURS

ANSWER_TABLES = ("evaluation_responses", "evaluation_remarks")
IP = "203.0.113.9"
USER_AGENT = "Mozilla/5.0 EvaluationProbe/9.9 Okapi"


def _columns(app, table: str) -> dict[str, sa.types.TypeEngine]:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        return {c["name"]: c["type"] for c in inspector.get_columns(table)}


def test_answer_tables_hold_no_column_that_could_point_at_a_person(app):
    expected = {
        "evaluation_responses": {"id", "meeting_id", "answered_on", "heard", "no_judgement",
                                 "understand", "learned", "belong", "can_change"},
        "evaluation_remarks": {"id", "meeting_id", "answered_on", "question", "text", "status"},
        "evaluation_tokens": {"token_hash", "meeting_id"},
    }
    with app.app_context():
        inspector = sa.inspect(db.engine)
        for table, columns in expected.items():
            assert set(_columns(app, table)) == columns, table
            # The only foreign key is to the meeting: never users, registrations, tokens, mail.
            targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
            assert targets == {"meetings"}, table
        # Nothing else in the schema points at the answer tables either.
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                assert fk["referred_table"] not in ANSWER_TABLES + ("evaluation_tokens",), table


def test_answers_carry_a_date_at_most_never_a_time(app):
    for table in ANSWER_TABLES:
        for name, kind in _columns(app, table).items():
            assert not isinstance(kind, sa.DateTime), f"{table}.{name} holds a time"
            assert not name.endswith("_at"), f"{table}.{name}"
        assert isinstance(_columns(app, table)["answered_on"], sa.Date)


def test_answer_ids_are_random_not_a_sequence(app):
    for model in (EvaluationResponse, EvaluationRemark):
        column = model.__table__.c.id
        assert isinstance(column.type, sa.String) and column.autoincrement is not True


def _rows(app, model):
    with app.app_context():
        table = model.__table__
        return [dict(row._mapping) for row in db.session.execute(sa.select(table))]


def test_two_answers_through_two_personal_links_cannot_be_told_apart(
        client, app, learning_series, personal_links, caplog):
    caplog.set_level(logging.DEBUG)
    series = learning_series()
    first, second = personal_links(series.meetings[0], ["ann@example.org", "bob@example.org"])
    tokens = [link.rsplit("/", 1)[1] for link in (first, second)]
    for link in (first, second):
        assert client.post_form(link, {**ALL_FOURS, "struck": "Mooi gesprek."},
                                environ_base={"REMOTE_ADDR": IP,
                                              "HTTP_USER_AGENT": USER_AGENT}).status_code == 302

    responses, remarks = _rows(app, EvaluationResponse), _rows(app, EvaluationRemark)
    assert len(responses) == 2 and len(remarks) == 2
    # Apart from the random id, the stored rows are identical: nothing says which link, which
    # person, or which came first.
    for rows in (responses, remarks):
        without_id = [{k: v for k, v in row.items() if k != "id"} for row in rows]
        assert without_id[0] == without_id[1]
    # Used tokens are gone; nothing stored contains a token, its hash, an address or the client.
    assert _rows(app, EvaluationToken) == []
    everything = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name == "outbox_messages":
                continue  # the mails themselves (address + link) until retention removes them
            for row in db.session.execute(sa.select(table)):
                everything.extend(str(v) for v in row)
    stored = "\n".join(everything)
    for secret in tokens + ["ann@example.org", "bob@example.org", IP, "Okapi"]:
        assert secret not in stored
    assert IP not in caplog.text and "Okapi" not in caplog.text


def test_open_answers_are_not_linked_to_the_scores_given_with_them(client, app, learning_series,
                                                                   qr_url):
    url = qr_url(learning_series().meetings[0])
    client.post_form(url, {**ALL_FOURS, "heard": "1", "struck": "Ik voelde me niet gehoord."})
    [response], [remark] = _rows(app, EvaluationResponse), _rows(app, EvaluationRemark)
    assert response["id"] != remark["id"]
    assert set(remark) & set(response) == {"id", "meeting_id", "answered_on"}


def test_the_guard_cookie_says_only_which_meetings_this_browser_answered(
        client, learning_series, qr_url):
    series = learning_series()
    response = client.post_form(qr_url(series.meetings[0]), ALL_FOURS)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("evaluated=") and "HttpOnly" in cookie
    assert "Path=/evaluatie" in cookie and "SameSite=Lax" in cookie


def test_evaluation_token_rows_are_in_hash_order_not_mail_order(app, learning_series,
                                                                personal_links):
    """Rows in the order of their hashes, mails shuffled: the outbox order says nothing."""
    import sqlalchemy as sa

    from portal.extensions import db

    series = learning_series()
    personal_links(series.meetings[0], [f"p{n}@example.org" for n in range(10)])
    order = "rowid" if db.engine.dialect.name == "sqlite" else "ctid"
    with app.app_context():
        written = db.session.execute(sa.text(
            f"SELECT token_hash FROM evaluation_tokens ORDER BY {order}")).scalars().all()
    assert len(written) == 10 and written == sorted(written)
