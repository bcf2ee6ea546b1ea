"""Every learning URL x every role gets exactly the allowed answer, forged POSTs included.

Roles as in tests/access.py: anonymous, a member of another organisation, a
member of the organisation that serves the objects' municipality, a facilitator of another
municipality, a facilitator of the objects' municipality, a coordinator. Existing objects outside
one's scope are a 404; pages one's role may never use are a 403. Every request is compared with a
snapshot of the whole database: only the roles a row names may change anything, and they must.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.learning import evaluation, follow_up, practice_agendas, service
from portal.learning.models import (Changed, EvaluationRemark, EvaluationToken, FollowUpAnswer,
                                    FollowUpContact, FollowUpRemark, FollowUpToken, InTouch,
                                    PlainWord, Practice, PracticeKind, Reflection,
                                    RemarkQuestion, RemarkStatus)
from portal.models import utcnow
from portal.series.models import AgendaTemplate, AgendaTemplateItem
from portal.wishes.models import WishStatus
from tests.access import PUBLIC, ROLES, STAFF_OBJECT, STAFF_PAGE, expect
from tests.learning.conftest import ALL_FOURS, add_responses, started_ago
from tests.series.factories import create_series
from tests.wishes.conftest import World, world  # noqa: F401  (fixtures)
from tests.wishes.factories import create_wish

STAFF_ROLES = ("other_facilitator", "facilitator", "coordinator")
SCOPED = ("facilitator", "coordinator")
EVERYONE = ROLES
NOBODY = ()

STAFF_POST = expect(401, 403, 403, 404, 302, 302)
COORDINATOR_PAGE = expect(302, 403, 403, 403, 403, 200)
COORDINATOR_POST = expect(401, 403, 403, 403, 403, 302)
NOT_FOUND = expect(404, 404, 404, 404, 404, 404)

PRACTICE = {"kind": "agenda_template", "title": "Een agenda die werkt",
            "summary": "Vier avonden, elke keer kort terugblikken.",
            "municipality_id": "{municipality}", "organisation_kind": "housing_corporation",
            "agenda_template_id": ""}
REFLECTION = {"worked": "De rondjes in tweetallen.", "did_not_work": "Te weinig pauze.",
              "change_next_time": "Tien minuten pauze."}
CHECK_IN = {"in_touch": "a_little", "changed": "partly", "remark": "We koken samen."}
EVALUATION = {**ALL_FOURS, "struck": "Dat iedereen aan de beurt kwam."}
DRAFT_TITLE = "Concept: nog niet naar buiten"
WORD = {"officialese": "ter toetsing", "plain": "om te testen", "is_active": "y"}

# name, method, url (formatted with the objects), fields, expected codes, roles that change data.
# Method JSON is a POST of {"text": ...} with the CSRF token in a header, as the live advice does.
MATRIX = [
    # A meeting's evaluation (portal/learning/views.py)
    ("meeting results", "GET", "/reeksen/ontmoetingen/{meeting}/evaluatie", {}, STAFF_OBJECT,
     NOBODY),
    ("unknown meeting", "GET", "/reeksen/ontmoetingen/{missing}/evaluatie", {},
     expect(302, 403, 403, 404, 404, 404), NOBODY),
    ("QR screen", "GET", "/reeksen/ontmoetingen/{meeting}/evaluatie/qr", {}, STAFF_OBJECT,
     NOBODY),
    ("QR image", "GET", "/reeksen/ontmoetingen/{meeting}/evaluatie/qr.svg", {}, STAFF_OBJECT,
     NOBODY),
    ("paper form", "GET", "/reeksen/ontmoetingen/{meeting}/evaluatie/papier", {}, STAFF_OBJECT,
     NOBODY),
    ("type in a paper form", "POST", "/reeksen/ontmoetingen/{meeting}/evaluatie/papier",
     EVALUATION, STAFF_POST, SCOPED),
    ("forged: a paper form before the meeting", "POST",
     "/reeksen/ontmoetingen/{later}/evaluatie/papier", EVALUATION,
     expect(401, 403, 403, 404, 422, 422), NOBODY),
    ("show an open answer", "POST", "/reeksen/evaluatie/opmerkingen/{remark}/tonen", {},
     STAFF_POST, SCOPED),
    ("hide an open answer", "POST", "/reeksen/evaluatie/opmerkingen/{remark}/verbergen", {},
     STAFF_POST, SCOPED),
    ("forged: show an answer of a meeting with too few answers", "POST",
     "/reeksen/evaluatie/opmerkingen/{early_remark}/tonen", {}, STAFF_POST, NOBODY),
    ("forged: unknown moderation", "POST", "/reeksen/evaluatie/opmerkingen/{remark}/wissen", {},
     NOT_FOUND, NOBODY),
    ("unknown open answer", "POST", "/reeksen/evaluatie/opmerkingen/onbekend/tonen", {},
     expect(401, 403, 403, 404, 404, 404), NOBODY),
    # The series: evaluation trend and follow-up results
    ("series evaluation", "GET", "/reeksen/{series}/evaluatie", {}, STAFF_OBJECT, NOBODY),
    ("follow-up results", "GET", "/reeksen/{ended}/evaluatie", {}, STAFF_OBJECT, NOBODY),
    ("show a follow-up answer", "POST", "/reeksen/nazorg/opmerkingen/{follow_up_remark}/tonen",
     {}, STAFF_POST, SCOPED),
    ("hide a follow-up answer", "POST",
     "/reeksen/nazorg/opmerkingen/{follow_up_remark}/verbergen", {}, STAFF_POST, SCOPED),
    # Reflections
    ("reflection form", "GET", "/reeksen/ontmoetingen/{meeting}/reflectie", {}, STAFF_OBJECT,
     NOBODY),
    ("add a reflection", "POST", "/reeksen/ontmoetingen/{meeting}/reflectie", REFLECTION,
     STAFF_POST, SCOPED),
    ("a reflection", "GET", "/reeksen/reflecties/{reflection}", {}, STAFF_OBJECT, NOBODY),
    ("edit a reflection", "POST", "/reeksen/reflecties/{reflection}", REFLECTION, STAFF_POST,
     SCOPED),
    ("forged: an empty reflection", "POST", "/reeksen/reflecties/{reflection}",
     {"worked": " "}, expect(401, 403, 403, 404, 422, 422), NOBODY),
    # Readability advice (any staff role: organisation members write answers too)
    ("readability advice", "JSON", "/leesbaarheid", {}, expect(401, 200, 200, 200, 200, 200),
     NOBODY),
    # Plain words (portal/learning/admin.py): coordinators only
    ("plain words", "GET", "/beheer/eenvoudige-woorden/", {}, COORDINATOR_PAGE, NOBODY),
    ("new plain word", "GET", "/beheer/eenvoudige-woorden/nieuw", {}, COORDINATOR_PAGE, NOBODY),
    ("add a plain word", "POST", "/beheer/eenvoudige-woorden/nieuw", WORD, COORDINATOR_POST,
     ("coordinator",)),
    ("a plain word", "GET", "/beheer/eenvoudige-woorden/{word}", {}, COORDINATOR_PAGE, NOBODY),
    ("edit a plain word", "POST", "/beheer/eenvoudige-woorden/{word}",
     {"officialese": "inzake-test", "plain": "over", "is_active": "y"}, COORDINATOR_POST,
     ("coordinator",)),
    ("switch a plain word off", "POST", "/beheer/eenvoudige-woorden/{word}/uit", {},
     COORDINATOR_POST, ("coordinator",)),
    ("switch a plain word on", "POST", "/beheer/eenvoudige-woorden/{inactive_word}/aan", {},
     COORDINATOR_POST, ("coordinator",)),
    # Practices, staff side (portal/learning/practice_views.py)
    ("practices", "GET", "/begeleiding/wat-werkt/", {}, STAFF_PAGE, NOBODY),
    ("new practice", "GET", "/begeleiding/wat-werkt/nieuw", {}, STAFF_PAGE, NOBODY),
    ("write a practice", "POST", "/begeleiding/wat-werkt/nieuw", PRACTICE,
     expect(401, 403, 403, 422, 302, 302), SCOPED),
    ("a draft practice", "GET", "/begeleiding/wat-werkt/{draft}", {}, STAFF_OBJECT, NOBODY),
    ("edit a draft", "POST", "/begeleiding/wat-werkt/{draft}", PRACTICE, STAFF_POST, SCOPED),
    ("forged: move a draft to another municipality", "POST", "/begeleiding/wat-werkt/{draft}",
     {**PRACTICE, "municipality_id": "{other_municipality}"},
     expect(401, 403, 403, 404, 422, 302), ("coordinator",)),
    ("forged: share a colleague's agenda template", "POST", "/begeleiding/wat-werkt/{draft}",
     {**PRACTICE, "agenda_template_id": "{private_template}"},
     expect(401, 403, 403, 404, 422, 302), ("coordinator",)),
    ("publish a draft", "POST", "/begeleiding/wat-werkt/{draft}/publiceren", {}, STAFF_POST,
     SCOPED),
    ("unpublish a practice", "POST", "/begeleiding/wat-werkt/{published}/publiceren",
     {"publish": "0"}, STAFF_POST, SCOPED),
    ("draft from a changed wish", "POST", "/begeleiding/wat-werkt/uit-wens/{changed_wish}", {},
     STAFF_POST, SCOPED),
    ("forged: draft from a wish that did not change", "POST",
     "/begeleiding/wat-werkt/uit-wens/{routed_wish}", {}, STAFF_POST, NOBODY),
    ("propose here", "POST", "/begeleiding/wat-werkt/{published}/voorstellen",
     {"municipality": "{other_municipality}"}, expect(401, 403, 403, 302, 302, 403),
     ("other_facilitator",)),
    ("forged: propose a draft", "POST", "/begeleiding/wat-werkt/{draft}/voorstellen",
     {"municipality": "{other_municipality}"}, expect(401, 403, 403, 404, 404, 403), NOBODY),
    ("copy a shared agenda", "POST", "/begeleiding/wat-werkt/{published}/agenda-kopieren", {},
     expect(401, 403, 403, 302, 302, 302), STAFF_ROLES),
    ("forged: copy a draft's agenda", "POST", "/begeleiding/wat-werkt/{draft}/agenda-kopieren",
     {}, expect(401, 403, 403, 404, 404, 404), NOBODY),
    # Practices, public side (portal/learning/practice_public.py)
    ("what works", "GET", "/wat-werkt", {}, PUBLIC, NOBODY),
    ("what works: a practice", "GET", "/wat-werkt/{published}", {}, PUBLIC, NOBODY),
    ("what works: a draft", "GET", "/wat-werkt/{draft}", {}, NOT_FOUND, NOBODY),
    ("what works: unknown", "GET", "/wat-werkt/{missing}", {}, NOT_FOUND, NOBODY),
    ("what works: feed", "GET", "/wat-werkt/feed.atom", {}, PUBLIC, NOBODY),
    # The evaluation itself (portal/learning/public.py)
    ("QR questions", "GET", "/evaluatie/{code}", {}, PUBLIC, NOBODY),
    ("answer by QR", "POST", "/evaluatie/{code}", EVALUATION, expect(*[302] * 6), EVERYONE),
    ("forged: answer by QR before the meeting", "POST", "/evaluatie/{later_code}", EVALUATION,
     PUBLIC, NOBODY),
    ("wrong QR code", "GET", "/evaluatie/abcdefghjk", {}, NOT_FOUND, NOBODY),
    ("forged: answer by a wrong QR code", "POST", "/evaluatie/abcdefghjk", EVALUATION,
     NOT_FOUND, NOBODY),
    ("personal link", "GET", "/evaluatie/persoonlijk/{evaluation_token}", {}, PUBLIC, NOBODY),
    ("answer by personal link", "POST", "/evaluatie/persoonlijk/{evaluation_token}",
     EVALUATION, expect(*[302] * 6), EVERYONE),
    ("forged: answer by a made-up link", "POST", "/evaluatie/persoonlijk/{made_up_token}",
     EVALUATION, NOT_FOUND, NOBODY),
    ("thanks for answering", "GET", "/evaluatie/bedankt", {}, PUBLIC, NOBODY),
    # The follow-up check-in (portal/learning/follow_up_public.py)
    ("check-in", "GET", "/hoe-gaat-het/{check_in_token}", {}, PUBLIC, NOBODY),
    ("answer a check-in", "POST", "/hoe-gaat-het/{check_in_token}", CHECK_IN,
     expect(*[303] * 6), EVERYONE),
    ("forged: check in with an evaluation link", "POST", "/hoe-gaat-het/{evaluation_token}",
     CHECK_IN, NOT_FOUND, NOBODY),
    ("stop the check-ins", "GET", "/hoe-gaat-het/stoppen/{stop_token}", {}, PUBLIC, NOBODY),
    ("confirm the stop", "POST", "/hoe-gaat-het/stoppen/{stop_token}", {}, PUBLIC, EVERYONE),
    ("forged: stop with a check-in link", "POST", "/hoe-gaat-het/stoppen/{check_in_token}", {},
     NOT_FOUND, NOBODY),
    ("thanks for checking in", "GET", "/hoe-gaat-het/bedankt", {}, PUBLIC, NOBODY),
]
CASES = [(row, role) for row in MATRIX for role in ROLES]


def _shipped_template() -> AgendaTemplate:
    return db.session.scalars(sa.select(AgendaTemplate).where(
        AgendaTemplate.key.is_not(None), AgendaTemplate.language == "nl")
        .order_by(AgendaTemplate.id)).first()


def _practice(world, template, title: str, **values) -> Practice:
    practice = Practice(kind=PracticeKind.AGENDA_TEMPLATE, title=title,
                        summary="Korte rondes werkten.", municipality=world.municipality,
                        organisation_kind="housing_corporation", created_by=world.facilitator,
                        **values)
    db.session.add(practice)
    db.session.flush()
    practice_agendas.take_snapshot(practice, template)
    return practice


@pytest.fixture
def objects(world, app):
    """Every kind of learning object, all in the world's municipality; ids as strings."""
    secret = app.config["SECRET_KEY"]
    series = create_series(municipality=world.municipality, facilitators=[world.facilitator],
                           times=started_ago(1), with_agenda=False)
    ended = create_series(municipality=world.municipality, facilitators=[world.facilitator],
                          times=started_ago(24 * 100 + 2, weeks_before=3), with_agenda=False)
    meeting, later = series.meetings[0], series.meetings[1]
    code, later_code = (service.evaluation_for(m).code for m in (meeting, later))
    add_responses(meeting.id, 5)
    remark = EvaluationRemark(meeting_id=meeting.id, answered_on=date.today(),
                              question=RemarkQuestion.STRUCK, text="Goed geluisterd.",
                              status=RemarkStatus.PENDING)
    early_remark = EvaluationRemark(meeting_id=later.id, answered_on=date.today(),
                                    question=RemarkQuestion.STRUCK, text="Nog te vroeg.",
                                    status=RemarkStatus.PENDING)
    follow_up_remark = FollowUpRemark(series_id=ended.id, round_months=3,
                                      answered_on=date.today(), text="We koken nu samen.",
                                      status=RemarkStatus.PENDING)
    for _ in range(5):
        db.session.add(FollowUpAnswer(series_id=ended.id, round_months=3,
                                      answered_on=date.today(), in_touch=InTouch.YES,
                                      changed=Changed.NO))
    reflection = Reflection(meeting_id=meeting.id, author=world.facilitator,
                            updated_by=world.facilitator, worked="De rondjes.")
    inactive_word = PlainWord(officialese="derhalve-test", plain="daarom", is_active=False)
    db.session.add_all([remark, early_remark, follow_up_remark, reflection, inactive_word])

    evaluation_token, check_in_token, stop_token = (evaluation.new_token() for _ in range(3))
    db.session.add(EvaluationToken(token_hash=evaluation.token_hash(evaluation_token, secret),
                                   meeting_id=meeting.id))
    db.session.add(FollowUpToken(token_hash=evaluation.token_hash(
        check_in_token, secret, follow_up.TOKEN_PURPOSE), series_id=ended.id, round_months=3))
    db.session.add(FollowUpContact(
        series_id=ended.id, email="anna@example.org", ended_on=date.today(), next_round=6,
        next_due_on=date.today(), stop_token_hash=evaluation.token_hash(
            stop_token, secret, follow_up.STOP_PURPOSE)))

    template = _shipped_template()
    private_template = AgendaTemplate(  # a colleague's, with notes: not hers to share
        key=None, language="nl", name="Otto's eigen agenda", description="Met notities.",
        meeting_number=1, created_by=world.other_facilitator,
        items=[AgendaTemplateItem(position=0, title="Koffie", minutes=15)])
    db.session.add(private_template)
    draft = _practice(world, template, DRAFT_TITLE, is_published=False)
    published = _practice(world, template, "Vier avonden in Lingewaard", is_published=True,
                          published_at=utcnow())
    changed_wish = create_wish(WishStatus.CHANGED, municipality=world.municipality,
                               organisation=world.organisation)
    routed_wish = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                              organisation=world.organisation)
    word = db.session.scalars(sa.select(PlainWord).where(PlainWord.is_active.is_(True))
                              .order_by(PlainWord.id)).first()
    db.session.flush()
    values = {"series": series, "ended": ended, "meeting": meeting, "later": later,
              "remark": remark,
              "early_remark": early_remark, "follow_up_remark": follow_up_remark,
              "reflection": reflection, "word": word, "inactive_word": inactive_word,
              "draft": draft, "published": published, "changed_wish": changed_wish,
              "routed_wish": routed_wish, "private_template": private_template,
              "municipality": world.municipality,
              "other_municipality": world.other_municipality}
    ids = {name: str(value.id) for name, value in values.items()}
    ids.update(code=code, later_code=later_code, evaluation_token=evaluation_token,
               check_in_token=check_in_token, stop_token=stop_token,
               made_up_token=evaluation.new_token(), missing="99999")
    db.session.commit()
    return ids


def snapshot() -> dict[str, list]:
    """Every row of every table, in a stable order."""
    db.session.commit()  # end the read transaction: see what the request wrote
    return {table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables}


def _differences(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.mark.parametrize("row,role", CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_access(client, login_as, world, objects, row, role):
    name, method, url, fields, expected, changes = row
    url = url.format(**objects)
    if role != "anonymous":
        login_as(getattr(world, role))
    if method == "GET":
        before = snapshot()
        response = client.get(url)
    else:
        token = client.csrf_token("/account/inloggen" if role == "anonymous" else "/dashboard")
        before = snapshot()
        if method == "JSON":
            response = client.post(url, json={"text": "Wij sturen u inzake uw aanvraag iets."},
                                   headers={"X-CSRFToken": token})
        else:
            data = {"csrf_token": token}
            data.update({k: v.format(**objects) for k, v in fields.items()})
            response = client.post(url, data=data)
    assert response.status_code == expected[role], f"{name} as {role}: {method} {url}"
    changed = _differences(before, snapshot())
    if role in changes:
        assert changed, f"{name} as {role} changed nothing"
    else:
        assert changed == [], f"{name} as {role} changed {changed}"


def test_a_draft_is_listed_nowhere_but_on_its_own_staff_list(client, login_as, world,
                                                              objects):
    """Lists answer 200 to everyone, so the matrix cannot see what is on them."""
    for url in ("/wat-werkt", "/wat-werkt?zoek=Concept", "/wat-werkt/feed.atom"):
        assert DRAFT_TITLE not in client.get(url).get_data(as_text=True), url
    login_as(world.other_facilitator)
    assert DRAFT_TITLE not in client.get("/begeleiding/wat-werkt/").get_data(as_text=True)
    client.post_form("/account/uitloggen", {}, token_from="/dashboard")
    login_as(world.facilitator)
    assert DRAFT_TITLE in client.get("/begeleiding/wat-werkt/").get_data(as_text=True)


def test_every_learning_route_is_in_the_matrix(app):
    """A new route in portal/learning fails here until the matrix says who may use it."""
    learning = {name for name, blueprint in app.blueprints.items()
                if blueprint.import_name.startswith("portal.learning.")}
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in learning
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    placeholders = _Placeholders()
    adapter = app.url_map.bind("localhost")
    covered = set()
    for name, method, url, *_rest in MATRIX:
        verb = "POST" if method == "JSON" else method
        try:
            endpoint, _args = adapter.match(url.format_map(placeholders), method=verb)
        except HTTPException:  # a forged URL that no route matches covers nothing
            continue
        covered.add((endpoint, verb))
    assert routes, "no learning blueprints found"
    assert sorted(routes - covered) == []


class _Placeholders(dict):
    def __missing__(self, key):
        tokens = {"code", "later_code", "evaluation_token", "check_in_token", "stop_token",
                  "made_up_token"}
        return "a" * 32 if key in tokens else "12345"
