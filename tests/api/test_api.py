"""The API does what a member of the same organisation can do on screen, and nothing more."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.wishes import workflow
from portal.wishes.models import ActorKind, Wish, WishEvent, WishStatus
from tests.wishes.factories import create_wish

S = WishStatus


def _fresh() -> bool:
    """End this test's transaction: the API changed rows in requests of its own."""
    db.session.commit()
    return True


@pytest.fixture
def setting(app, world, make_token):
    if True:
        mine = {status: create_wish(status, municipality=world.municipality,
                                    organisation=world.organisation).id
                for status in (S.ROUTED, S.IN_PROGRESS, S.CHANGED, S.DECLINED, S.CLOSED)}
        theirs = create_wish(S.ROUTED, municipality=world.other_municipality,
                             organisation=world.other_organisation).id
        merged = create_wish(S.MERGED, municipality=world.municipality,
                             organisation=world.organisation).id
        new = create_wish(S.NEW, municipality=world.municipality).id
        db.session.commit()
    token = make_token(world.organisation, world.coordinator)
    return {"mine": mine, "theirs": theirs, "merged": merged, "new": new, "token": token,
            "world": world}


def test_without_a_valid_token_every_endpoint_answers_401_json(api, setting):
    wish_id = setting["mine"][S.ROUTED]
    for token in (None, "", "omp_wrong", "x" * 500, setting["token"] + "x"):
        for method, path, body in (("GET", "/wishes", None), ("GET", f"/wishes/{wish_id}", None),
                                   ("POST", f"/wishes/{wish_id}/transitions",
                                    {"action": "acknowledge"}),
                                   ("POST", f"/wishes/{wish_id}/answer", {"answer": "Ja"})):
            response = api(method, path, token, json=body)
            assert response.status_code == 401, (token, path)
            assert response.json["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_answers_401(app, api, setting, client, login_as):
    from portal.api.models import ApiToken

    assert api("GET", "/wishes", setting["token"]).status_code == 200
    login_as(setting["world"].coordinator)
    if _fresh():
        token_row = db.session.scalars(sa.select(ApiToken)).one()
        organisation_id, token_id = token_row.organisation_id, token_row.id
        assert token_row.last_used_at is not None
    page = f"/beheer/organisaties/{organisation_id}/koppelingen/"
    assert "Zaaksysteem" in client.get(page).get_data(as_text=True)
    response = client.post_form(f"{page}tokens/{token_id}/intrekken", {}, token_from=page)
    assert response.status_code == 302
    response = api("GET", "/wishes", setting["token"])
    assert response.status_code == 401 and response.is_json


def test_lists_only_own_wishes_as_members_see_them(api, setting):
    response = api("GET", "/wishes?per_page=2", setting["token"])
    assert response.status_code == 200
    body = response.json
    assert body["pagination"] == {"page": 1, "per_page": 2, "total": 5, "pages": 3}
    ids = set()
    for page in (1, 2, 3):
        ids |= {w["id"] for w in api("GET", f"/wishes?per_page=2&page={page}",
                                     setting["token"]).json["data"]}
    assert ids == set(setting["mine"].values())
    only = api("GET", "/wishes?status=in_progress", setting["token"]).json["data"]
    assert [w["id"] for w in only] == [setting["mine"][S.IN_PROGRESS]]
    assert "story" not in only[0] and "created_by" not in only[0]


@pytest.mark.parametrize("query", ["status=merged", "status=x", "page=0", "page=a",
                                   "per_page=101", "overdue=yes"])
def test_bad_list_parameters_are_400(api, setting, query):
    response = api("GET", f"/wishes?{query}", setting["token"])
    assert response.status_code == 400 and response.json["error"]["message"]


def test_other_organisations_merged_and_unrouted_wishes_are_404_on_every_endpoint(api, setting):
    for key in ("theirs", "merged", "new"):
        wish_id = setting[key]
        for method, path, body in (("GET", f"/wishes/{wish_id}", None),
                                   ("POST", f"/wishes/{wish_id}/transitions",
                                    {"action": "acknowledge"}),
                                   ("POST", f"/wishes/{wish_id}/answer", {"answer": "Ja"})):
            response = api(method, path, setting["token"], json=body)
            assert response.status_code == 404, (key, path)
            assert response.json["error"]["code"] == "not_found"
    assert api("GET", "/wishes/999999", setting["token"]).status_code == 404
    assert api("GET", "/nothing", setting["token"]).json["error"]["code"] == "not_found"


def test_detail_has_timeline_and_the_steps_a_member_may_take(app, api, setting):
    wish_id = setting["mine"][S.ROUTED]
    body = api("GET", f"/wishes/{wish_id}", setting["token"]).json
    if _fresh():
        wish = db.session.get(Wish, wish_id)
        member = setting["world"].member
        assert body["allowed_actions"] == workflow.allowed_actions(wish, member)
    assert body["allowed_actions"] == ["acknowledge", "decline", "hand_back"]
    assert body["timeline"] == []


# Steps no organisation may take (staff, or residents confirming a change).
STAFF_ONLY = tuple(name for name, step in workflow.TRANSITIONS.items()
                   if workflow.Actor.API not in step.roles)


def test_every_step_is_allowed_exactly_when_a_member_may_take_it(app, api, setting):
    """For every wish status and every action: the API and the member's screen agree."""
    data = {"outcome": "Brieven op dinsdag.", "changed_from": "2026-03-01"}
    for status, wish_id in setting["mine"].items():
        for action in workflow.TRANSITIONS:
            if _fresh():
                wish = db.session.get(Wish, wish_id)
                member = setting["world"].member
                member_may = action in workflow.allowed_actions(wish, member)
            response = api("POST", f"/wishes/{wish_id}/transitions", setting["token"],
                           json={"action": action, "note": "Toelichting", "data": data})
            if member_may:
                assert response.status_code == 200, (status, action, response.json)
                # Put the wish back for the next action.
                if _fresh():
                    db.session.execute(sa.update(Wish).where(Wish.id == wish_id).values(
                        status=status, organisation_id=setting["world"].organisation.id))
                    db.session.commit()
            elif action in STAFF_ONLY:
                assert response.status_code == 403, (status, action)
            else:
                assert response.status_code == 409, (status, action)


def test_acknowledge_goes_through_the_workflow_with_the_organisation_as_actor(
        app, api, setting, client, login_as):
    wish_id = setting["mine"][S.ROUTED]
    response = api("POST", f"/wishes/{wish_id}/transitions", setting["token"],
                   json={"action": "acknowledge"})
    assert response.status_code == 200
    assert response.json["status"] == "in_progress"
    step = response.json["timeline"][-1]
    assert step["actor"] == {"kind": "api", "name": None,
                             "organisation": "Woonstichting Betuwe Thuis"}
    if _fresh():
        event = db.session.scalars(sa.select(WishEvent).where(WishEvent.wish_id == wish_id)).one()
        assert event.actor_kind is ActorKind.API and event.actor_user_id is None
    again = api("POST", f"/wishes/{wish_id}/transitions", setting["token"],
                json={"action": "acknowledge"})
    assert again.status_code == 409
    assert again.json["error"]["message"] == 'Dit kan nu niet: de wens heeft de status "Mee bezig".'
    # The members see on screen who took the step.
    login_as(setting["world"].member)
    page = client.get(f"/organisatie/wensen/{wish_id}").get_data(as_text=True)
    assert "Woonstichting Betuwe Thuis (via eigen systeem)" in page



def test_notes_outcome_and_dates_are_checked_like_on_screen(api, setting):
    wish_id = setting["mine"][S.IN_PROGRESS]
    url = f"/wishes/{wish_id}/transitions"
    response = api("POST", url, setting["token"], json={"action": "decline"})
    assert response.status_code == 422 and response.json["error"]["field"] == "note"
    response = api("POST", url, setting["token"], json={"action": "mark_changed", "note": "Ja"})
    assert response.status_code == 422 and response.json["error"]["field"] == "outcome"
    response = api("POST", url, setting["token"], json={
        "action": "mark_changed", "note": "Ja", "data": {"outcome": "x", "changed_from": "gisteren"}})
    assert response.status_code == 422 and response.json["error"]["field"] == "changed_from"
    response = api("POST", url, setting["token"], json={"action": "answer", "note": "x" * 5001})
    assert response.status_code == 422
    response = api("POST", url, setting["token"], json={
        "action": "mark_changed", "note": "We sturen op dinsdag.",
        "data": {"outcome": "Brieven op dinsdag.", "changed_from": "2026-03-01"}})
    assert response.status_code == 200 and response.json["status"] == "changed"
    assert response.json["changed_from"] == date(2026, 3, 1).isoformat()


@pytest.mark.parametrize("body", [None, [], "x", {"action": 3}, {"action": "fly"},
                                  {"action": "answer", "note": 5},
                                  {"action": "answer", "extra": 1},
                                  {"action": "answer", "data": {"x": 1}},
                                  {"action": "answer", "data": []}])
def test_malformed_bodies_are_400(api, setting, body):
    response = api("POST", f"/wishes/{setting['mine'][S.IN_PROGRESS]}/transitions",
                   setting["token"], json=body)
    assert response.status_code == 400 and response.is_json


def test_public_answer_and_hand_back(app, api, setting, outbox):
    wish_id = setting["mine"][S.IN_PROGRESS]
    response = api("POST", f"/wishes/{wish_id}/answer", setting["token"],
                   json={"answer": "We kijken ernaar\x00."})
    assert response.status_code == 422 and response.json["error"]["field"] == "answer"
    response = api("POST", f"/wishes/{wish_id}/answer", setting["token"],
                   json={"answer": "We kijken ernaar."})
    assert response.status_code == 200
    assert response.json["public_answer"] == "We kijken ernaar."
    assert api("POST", f"/wishes/{wish_id}/answer", setting["token"],
               json={"answer": "  "}).status_code == 422
    assert api("POST", f"/wishes/{wish_id}/answer", setting["token"],
               json={"text": "x"}).status_code == 400
    response = api("POST", f"/wishes/{wish_id}/transitions", setting["token"],
                   json={"action": "hand_back", "note": "Niet voor ons."})
    assert response.status_code == 200 and response.json["status"] == "returned"
    assert any(m.to_address == "sanne@example.org" for m in outbox())
    # Handed back: no longer the organisation's.
    assert api("GET", f"/wishes/{wish_id}", setting["token"]).status_code == 404


def test_api_is_csrf_exempt_but_screens_are_not(app, api, setting, make_app):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    wish_id = setting["mine"][S.ROUTED]
    response = client.post(f"/api/v1/wishes/{wish_id}/transitions",
                           headers={"Authorization": f"Bearer {setting['token']}"},
                           json={"action": "acknowledge"})
    assert response.status_code == 200
    assert client.post(f"/organisatie/wensen/{wish_id}/stap/acknowledge").status_code == 400
