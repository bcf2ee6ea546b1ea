"""Every wish URL x every role gets exactly the allowed answer, forged POSTs included.

Roles (tests/access.py): anonymous, a member of another organisation, a member of the
responsible organisation, a facilitator of another municipality, a facilitator of the wish's
municipality, a coordinator.
"""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.wishes import service
from portal.wishes.models import AnswerTemplate, WishStatus
from tests.access import PUBLIC, ROLES, STAFF_OBJECT, STAFF_PAGE, expect
from tests.wishes.factories import create_wish

MEMBER_PAGE = expect(302, 200, 200, 403, 403, 403)
MEMBER_OBJECT = expect(302, 404, 200, 403, 403, 403)

# name, method, url (formatted with the objects), step (form prefix) or None, fields, expected
MATRIX = [
    ("staff queue", "GET", "/begeleiding/wensen/", None, {}, STAFF_PAGE),
    ("log a wish", "GET", "/begeleiding/wensen/nieuw", None, {}, STAFF_PAGE),
    ("log from a story", "GET", "/begeleiding/wensen/uit-verhaal/{story}", None, {},
     STAFF_OBJECT),
    ("staff wish page", "GET", "/begeleiding/wensen/{routed}", None, {}, STAFF_OBJECT),
    ("route", "POST", "/begeleiding/wensen/{new}/stap/route", "route",
     {"organisation": "{organisation}"}, expect(401, 403, 403, 404, 302, 302)),
    ("route again while routed (illegal now)", "POST", "/begeleiding/wensen/{routed}/stap/route",
     "route", {"organisation": "{organisation}"}, expect(401, 403, 403, 404, 422, 422)),
    ("forged: staff acknowledge", "POST", "/begeleiding/wensen/{routed}/stap/acknowledge",
     "acknowledge", {}, expect(401, 403, 403, 404, 403, 403)),
    ("forged: unknown step", "POST", "/begeleiding/wensen/{routed}/stap/delete", "delete", {},
     expect(401, 403, 403, 404, 404, 404)),
    ("close", "POST", "/begeleiding/wensen/{changed}/stap/close", "close",
     {"channel": "meeting", "note": "Verteld."}, expect(401, 403, 403, 404, 302, 302)),
    ("merge", "POST", "/begeleiding/wensen/{new}/stap/merge", "merge", {"target": "{routed}"},
     expect(401, 403, 403, 404, 302, 302)),
    ("workspace queue", "GET", "/organisatie/wensen/", None, {}, MEMBER_PAGE),
    ("workspace wish page", "GET", "/organisatie/wensen/{routed}", None, {}, MEMBER_OBJECT),
    ("workspace: handed-back wish", "GET", "/organisatie/wensen/{returned}", None, {},
     expect(302, 404, 404, 403, 403, 403)),
    ("acknowledge", "POST", "/organisatie/wensen/{routed}/stap/acknowledge", "acknowledge", {},
     expect(401, 404, 302, 403, 403, 403)),
    ("forged: member routes", "POST", "/organisatie/wensen/{routed}/stap/route", "route",
     {"organisation": "{organisation}"}, expect(401, 404, 403, 403, 403, 403)),
    ("forged: changed before acknowledged", "POST",
     "/organisatie/wensen/{routed}/stap/mark_changed", "mark_changed",
     {"note": "Klaar.", "outcome": "Dinsdag.", "changed_from": "2026-03-02"},
     expect(401, 404, 422, 403, 403, 403)),
    ("forged: member closes", "POST", "/organisatie/wensen/{changed}/stap/close", "close",
     {"channel": "meeting", "note": "x"}, expect(401, 404, 403, 403, 403, 403)),
    ("answer templates", "GET", "/organisatie/wensen/sjablonen", None, {}, MEMBER_PAGE),
    ("delete a template", "POST", "/organisatie/wensen/sjablonen/{template}/verwijderen", "",
     {}, expect(401, 404, 302, 403, 403, 403)),
    ("boards", "GET", "/jij-zei-wij-deden", None, {}, PUBLIC),
    ("board", "GET", "/jij-zei-wij-deden/lingewaard", None, {}, PUBLIC),
    ("feed", "GET", "/jij-zei-wij-deden/lingewaard/feed.atom", None, {}, PUBLIC),
    ("answer link", "GET", "/wens/antwoord/{token}", None, {}, PUBLIC),
    ("answer link: acknowledge", "POST", "/wens/antwoord/{token}/stap/acknowledge",
     "acknowledge", {}, expect(302, 302, 302, 302, 302, 302)),
    ("answer link: forged close", "POST", "/wens/antwoord/{token}/stap/close", "close",
     {"channel": "meeting", "note": "x"}, expect(403, 403, 403, 403, 403, 403)),
    ("answer link: wrong token", "GET", "/wens/antwoord/wrong-token", None, {},
     expect(404, 404, 404, 404, 404, 404)),
]
CASES = [(row, role) for row in MATRIX for role in ROLES]


@pytest.fixture
def objects(world, app):
    from portal.stories.models import ConsentLevel, StoryKind
    from portal.stories.service import submit_anonymous

    with app.test_request_context():
        story, _code = submit_anonymous(kind=StoryKind.STORY, consent=ConsentLevel.GROUP,
                                        body="Verhaal.", municipality=world.municipality)
    values = {
        "story": story,
        "new": create_wish(municipality=world.municipality),
        "routed": create_wish(WishStatus.ROUTED, municipality=world.municipality,
                              organisation=world.organisation),
        "changed": create_wish(WishStatus.CHANGED, municipality=world.municipality,
                               organisation=world.organisation),
        "returned": create_wish(WishStatus.RETURNED, municipality=world.municipality),
        "organisation": world.organisation,
    }
    template = AnswerTemplate(organisation=world.organisation, title="Dank", body="Dank je.")
    db.session.add(template)
    db.session.flush()
    values["template"] = template
    ids = {k: str(v.id) for k, v in values.items()}
    ids["token"] = service.issue_answer_link(values["routed"])
    db.session.commit()
    return ids


@pytest.mark.parametrize("row,role", CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_access(client, login_as, world, objects, row, role):
    name, method, url, step, fields, expected = row
    url = url.format(**objects)
    if role != "anonymous":
        login_as(getattr(world, role))
    if method == "GET":
        response = client.get(url)
    else:
        token = client.csrf_token("/account/inloggen" if role == "anonymous" else "/dashboard")
        prefix = f"{step}-" if step else ""
        data = {f"{prefix}csrf_token": token}
        data.update({f"{prefix}{k}": v.format(**objects) for k, v in fields.items()})
        response = client.post(url, data=data)
    assert response.status_code == expected[role], f"{name} as {role}: {url}"
