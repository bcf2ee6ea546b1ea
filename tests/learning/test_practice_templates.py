"""Shared agenda templates in the "what works" exchange: Lingewaard shares its adapted first
meeting as a practice, a snapshot that later edits of the template do not touch; a facilitator
in Oldenzaal copies it into their own library in one step; access, bad input and HTML."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.extensions import db

ITEMS = [  # title, minutes, purpose, lead, materials
    ("Welkom en afspraken", 15, "Iedereen voelt zich welkom.", "both", "Koffie, naamkaartjes"),
    ("Ronde met eigen verhalen", 35, "Wie wil, vertelt.", "experience_expert", "Praatstok"),
    ("Pauze", 10, "Even bijkomen.", "social_worker", "Thee en iets lekkers"),
]


@pytest.fixture
def towns(app, factories):
    """Lingewaard with a facilitator and a template of theirs; Oldenzaal with a facilitator."""
    from portal.series.models import AgendaTemplate, AgendaTemplateItem, Lead

    lingewaard = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    oldenzaal = factories.create_municipality(name="Oldenzaal", slug="oldenzaal")
    sanne = factories.create_user("facilitator", municipalities=[lingewaard])
    joost = factories.create_user("facilitator", municipalities=[oldenzaal])
    template = AgendaTemplate(name="Kennismaken (Lingewaard)", description="Eerste avond.",
                              meeting_number=1, created_by=sanne, items=[
                                  AgendaTemplateItem(position=n, title=title, minutes=minutes,
                                                     purpose=purpose, lead=Lead(lead),
                                                     materials=materials)
                                  for n, (title, minutes, purpose, lead, materials)
                                  in enumerate(ITEMS)])
    db.session.add(template)
    db.session.commit()
    return {"lingewaard": lingewaard.id, "oldenzaal": oldenzaal.id, "sanne": sanne,
            "joost": joost, "template": template.id}


def _share(client, towns, kind="agenda_template", template_id=None, publish=True):
    """Sanne (logged in) shares her template as a practice; returns the response and the id."""
    response = client.post_form("/begeleiding/wat-werkt/nieuw", {
        "kind": kind, "title": "Eerste ontmoeting met pauze",
        "summary": "Een kortere verhalenronde en een pauze.",
        "municipality_id": str(towns["lingewaard"]),
        "agenda_template_id": str(template_id or towns["template"])})
    if response.status_code != 302:
        return response, None
    practice_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    if publish:
        assert client.post_form(f"/begeleiding/wat-werkt/{practice_id}/publiceren",
                                {"publish": "1"},
                                token_from=f"/begeleiding/wat-werkt/{practice_id}"
                                ).status_code == 302
    return response, practice_id


def _published(app, client, login_as, towns) -> int:
    login_as(towns["sanne"])
    _, practice_id = _share(client, towns)
    client.post_form("/account/uitloggen", token_from="/dashboard")
    return practice_id


def _item_values(items):
    return [(i.title, i.minutes, i.purpose, i.lead.value, i.materials) for i in items]


def _copy(client, practice_id, **kwargs):
    return client.post_form(f"/begeleiding/wat-werkt/{practice_id}/agenda-kopieren",
                            token_from=f"/wat-werkt/{practice_id}", **kwargs)


def test_lingewaard_shares_and_oldenzaal_copies_into_its_own_library(app, client, login_as,
                                                                        towns):
    from portal.learning.models import Practice, PracticeAgendaCopy
    from portal.series.models import AgendaTemplate

    practice_id = _published(app, client, login_as, towns)
    public = app.test_client().get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "De agenda" in public and "Kennismaken (Lingewaard)" in public
    assert "3 onderdelen, 60 minuten in totaal." in public
    assert "35 minuten · Wie leidt: Ervaringsdeskundige" in public
    assert "Materialen: Thee en iets lekkers" in public and "Doel: Even bijkomen." in public
    assert "De agenda is 0 keer gekopieerd" in public
    assert "Kopieer naar mijn sjablonen" not in public  # not for anonymous readers

    login_as(towns["joost"])
    page = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Kopieer naar mijn sjablonen" in page
    response = _copy(client, practice_id)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/agendasjablonen/")
    library_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De agenda staat nu bij je agendasjablonen." in library_page
    assert "Kennismaken (Lingewaard) (uit Lingewaard)" in library_page
    assert "Onderdeel toevoegen" in library_page  # editable: the copy is theirs
    with app.app_context():
        copy = db.session.scalars(sa.select(AgendaTemplate).where(
            AgendaTemplate.created_by_id == towns["joost"].id)).one()
        assert copy.name == "Kennismaken (Lingewaard) (uit Lingewaard)"
        assert copy.key is None and copy.meeting_number == 1
        assert _item_values(copy.items) == ITEMS
        assert [i.position for i in copy.items] == [0, 1, 2]
        first_copy = copy.id

    # A second click adds nothing: the unchanged copy is already there.
    response = _copy(client, practice_id)
    assert response.headers["Location"] == f"/agendasjablonen/{first_copy}"
    assert "staat al onveranderd bij je agendasjablonen" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Deze agenda staat al bij je agendasjablonen:" in page
    assert f'href="/agendasjablonen/{first_copy}"' in page

    # Once their copy is changed, another copy is made, with a name that says so.
    with app.app_context():
        db.session.get(AgendaTemplate, first_copy).items[0].minutes = 5
        db.session.commit()
    response = _copy(client, practice_id)
    with app.app_context():
        second = db.session.scalars(sa.select(AgendaTemplate).where(
            AgendaTemplate.created_by_id == towns["joost"].id,
            AgendaTemplate.id != first_copy)).one()
        assert second.name == "Kennismaken (Lingewaard) (uit Lingewaard, kopie 2)"
        assert _item_values(second.items) == ITEMS
        assert db.session.scalar(sa.select(sa.func.count(PracticeAgendaCopy.id))) == 2
        # Counts only: nothing about who copied is on the practice.
        assert db.session.get(Practice, practice_id).created_by_id == towns["sanne"].id
    public = app.test_client().get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "De agenda is 2 keer gekopieerd" in public
    assert towns["joost"].display_name not in public
    client.post_form("/account/uitloggen", token_from="/dashboard")
    login_as(towns["sanne"])  # the staff view shows the agenda and the count too
    staff_page = client.get(f"/begeleiding/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Thee en iets lekkers" in staff_page and "De agenda is 2 keer gekopieerd" in staff_page


def test_later_edits_and_removal_of_the_original_leave_the_practice_as_published(
        app, client, login_as, towns):
    from portal.learning.models import Practice
    from portal.series.models import AgendaTemplate, Lead

    practice_id = _published(app, client, login_as, towns)
    with app.app_context():
        template = db.session.get(AgendaTemplate, towns["template"])
        template.name = "Helemaal anders"
        template.items[1].minutes, template.items[1].lead = 90, Lead.BOTH
        template.items.pop()
        db.session.commit()
        shared = db.session.get(Practice, practice_id).agenda
        assert shared.name == "Kennismaken (Lingewaard)"
        assert _item_values(shared.items) == ITEMS
    public = app.test_client().get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "90 minuten" not in public and "Helemaal anders" not in public
    assert "3 onderdelen, 60 minuten in totaal." in public

    with app.app_context():
        db.session.delete(db.session.get(AgendaTemplate, towns["template"]))
        db.session.commit()
        assert db.session.get(Practice, practice_id).agenda.source_template_id is None
    assert app.test_client().get(f"/wat-werkt/{practice_id}").status_code == 200
    # Saving the practice again without choosing a template keeps the shared agenda.
    login_as(towns["sanne"])
    edit_url = f"/begeleiding/wat-werkt/{practice_id}"
    page = client.get(edit_url).get_data(as_text=True)
    assert "Houd de gedeelde agenda zoals hij is" in page and "Pauze" in page
    response = client.post_form(edit_url, {
        "kind": "agenda_template", "title": "Eerste ontmoeting met pauze, verbeterd",
        "summary": "Een kortere verhalenronde en een pauze.",
        "municipality_id": str(towns["lingewaard"]), "agenda_template_id": ""})
    assert response.status_code == 302
    with app.app_context():
        assert _item_values(db.session.get(Practice, practice_id).agenda.items) == ITEMS


def test_choosing_the_template_again_shares_its_new_version(app, client, login_as, towns):
    from portal.learning.models import Practice
    from portal.series.models import AgendaTemplate

    login_as(towns["sanne"])
    _, practice_id = _share(client, towns)
    with app.app_context():
        db.session.get(AgendaTemplate, towns["template"]).items[0].minutes = 20
        db.session.commit()
    response = client.post_form(f"/begeleiding/wat-werkt/{practice_id}", {
        "kind": "agenda_template", "title": "Eerste ontmoeting met pauze",
        "summary": "Een kortere verhalenronde en een pauze.",
        "municipality_id": str(towns["lingewaard"]),
        "agenda_template_id": str(towns["template"])})
    assert response.status_code == 302
    with app.app_context():
        shared = db.session.get(Practice, practice_id).agenda
        assert [i.minutes for i in shared.items] == [20, 35, 10]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.table("practice_agendas"))) == 1


def test_who_may_copy(app, client, login_as, towns, factories):
    from portal.series.models import AgendaTemplate

    practice_id = _published(app, client, login_as, towns)
    url = f"/begeleiding/wat-werkt/{practice_id}/agenda-kopieren"

    # Anonymous: the public page has no button, a POST is refused, staff pages ask to log in.
    anonymous = app.test_client()
    assert "Kopieer naar mijn sjablonen" not in anonymous.get(
        f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert anonymous.post_form(url, token_from="/account/inloggen").status_code == 401
    assert anonymous.get(f"/begeleiding/wat-werkt/{practice_id}").status_code == 302
    assert "/account/inloggen" in anonymous.get(
        f"/begeleiding/wat-werkt/{practice_id}").headers["Location"]

    # An organisation member reads the public page, but may not copy.
    login_as("organisation_member")
    assert "Kopieer naar mijn sjablonen" not in client.get(
        f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert _copy(client, practice_id).status_code == 403
    client.post_form("/account/uitloggen", token_from="/dashboard")

    # Oldenzaal's facilitator may copy, but not open Lingewaard's practice for editing.
    login_as(towns["joost"])
    assert client.get(f"/begeleiding/wat-werkt/{practice_id}").status_code == 404
    # A forged POST without the CSRF token copies nothing.
    assert client.post(url, data={}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AgendaTemplate.id))) == 1
    client.post_form("/account/uitloggen", token_from="/dashboard")

    # A coordinator copies into their own library.
    coordinator = login_as("coordinator")
    assert _copy(client, practice_id).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(AgendaTemplate).where(
            AgendaTemplate.created_by_id == coordinator.id)).one().name.endswith(
            "(uit Lingewaard)")


def test_copying_what_is_no_shared_agenda_is_a_404(app, client, login_as, towns):
    from portal.series.models import AgendaTemplate

    login_as(towns["sanne"])
    _, draft_id = _share(client, towns, publish=False)
    response = client.post_form("/begeleiding/wat-werkt/nieuw", {
        "kind": "lesson", "title": "Begin met koffie", "summary": "Koffie eerst.",
        "municipality_id": str(towns["lingewaard"])})
    lesson_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post_form(f"/begeleiding/wat-werkt/{lesson_id}/publiceren", {"publish": "1"},
                     token_from=f"/begeleiding/wat-werkt/{lesson_id}")
    token = client.csrf_token("/wat-werkt")
    for practice_id in (draft_id, lesson_id, 999999, 99999999999999999999):
        response = client.post(f"/begeleiding/wat-werkt/{practice_id}/agenda-kopieren",
                               data={"csrf_token": token})
        assert response.status_code == 404, practice_id
    assert client.post("/begeleiding/wat-werkt/abc/agenda-kopieren",
                       data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AgendaTemplate.id))) == 1


@pytest.mark.parametrize("kind,template_id,message", [
    ("agenda_template", "999999", "Kies een agendasjabloon uit de lijst."),
    ("agenda_template", "abc", "Kies een agendasjabloon uit de lijst."),
    ("agenda_template", "99999999999999999999", "Kies een agendasjabloon uit de lijst."),
    ("lesson", None, "Alleen een praktijk van de soort"),
    ("agenda_template", "empty", "Dit sjabloon heeft nog geen onderdelen."),
])
def test_a_template_that_cannot_be_shared_is_a_clear_message(app, client, login_as, towns,
                                                            kind, template_id, message):
    from portal.learning.models import Practice
    from portal.series.models import AgendaTemplate

    if template_id == "empty":
        with app.app_context():
            empty = AgendaTemplate(name="Leeg", created_by_id=towns["sanne"].id)
            db.session.add(empty)
            db.session.commit()
            template_id = str(empty.id)
    login_as(towns["sanne"])
    response, _ = _share(client, towns, kind=kind, template_id=template_id, publish=False)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "Eerste ontmoeting met pauze" in response.get_data(as_text=True)  # kept
    with app.app_context():
        assert db.session.scalars(sa.select(Practice)).first() is None


def test_html_in_item_texts_is_never_stored_as_script(app, client, login_as, towns):
    from portal.learning.models import Practice
    from portal.series.models import AgendaTemplate

    with app.app_context():
        template = db.session.get(AgendaTemplate, towns["template"])
        template.name = "<b>Kennismaken</b>"
        template.items[0].title = "<script>alert(1)</script>Welkom"
        template.items[0].purpose = "Koffie <img src=x onerror=alert(2)> & thee"
        template.items[0].materials = "<a href='javascript:x'>Flap</a>"
        db.session.commit()
    practice_id = _published(app, client, login_as, towns)
    with app.app_context():
        shared = db.session.get(Practice, practice_id).agenda
        stored = " ".join([shared.name] + [f"{i.title} {i.purpose} {i.materials}"
                                           for i in shared.items])
        assert "<" not in stored
        assert shared.items[0].title == "alert(1)Welkom"
    page = app.test_client().get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "Koffie  &amp; thee" in page

    login_as(towns["joost"])
    response = _copy(client, practice_id)
    with app.app_context():
        copy = db.session.scalars(sa.select(AgendaTemplate).where(
            AgendaTemplate.created_by_id == towns["joost"].id)).one()
        assert "<" not in copy.name + "".join(i.title + i.purpose for i in copy.items)
    assert "<script>alert" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_service_says_no_without_http(app, towns, factories):
    from portal.errors import DomainError, NotAllowed
    from portal.learning import practice_agendas, practices
    from portal.learning.models import PracticeKind

    with app.app_context():
        sanne = db.session.merge(towns["sanne"])
        practice = practices.save_practice(sanne, practices.PracticeInput(
            kind="agenda_template", title="Eerste avond", summary="Met pauze.",
            municipality_id=towns["lingewaard"], agenda_template_id=towns["template"]))
        with pytest.raises(DomainError):  # not published yet
            practice_agendas.copy_to_library(sanne, practice)
        practices.publish(sanne, practice)
        with pytest.raises(NotAllowed):
            practice_agendas.copy_to_library(factories.create_user("organisation_member"),
                                             practice)
        practice.kind = PracticeKind.MEETING_FORMAT  # the snapshot stays, but is not shared
        with pytest.raises(DomainError):
            practice_agendas.copy_to_library(sanne, practice)
        practice.kind = PracticeKind.AGENDA_TEMPLATE
        template, is_new = practice_agendas.copy_to_library(sanne, practice)
        assert is_new and template.created_by_id == sanne.id
        assert practice_agendas.copy_to_library(sanne, practice) == (template, False)
        assert practice_agendas.copy_count(practice) == 1
        db.session.rollback()


def test_a_long_name_keeps_where_it_comes_from(app, towns):
    from portal.learning import practice_agendas

    with app.test_request_context():
        name = practice_agendas._copy_name("x" * 160, "Lingewaard", 3)
    assert len(name) <= 160 and name.endswith("(uit Lingewaard, kopie 3)")


def test_the_demo_shares_lingewaards_first_meeting(app, client):
    from portal.learning.models import Practice, PracticeKind

    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        practice = db.session.scalars(sa.select(Practice).where(
            Practice.kind == PracticeKind.AGENDA_TEMPLATE)).one()
        assert practice.is_published and practice.municipality.name == "Lingewaard"
        assert [i.title for i in practice.agenda.items][2:4] == ["Ronde met eigen verhalen",
                                                                  "Pauze"]
        practice_id = practice.id
    page = client.get(f"/wat-werkt/{practice_id}").get_data(as_text=True)
    assert "Kennismaken en verhalen delen (Lingewaard)" in page
    assert "6 onderdelen, 115 minuten in totaal." in page
    response = client.post_form("/account/inloggen", {"email": "joost@ontmoetingen.example",
                                                      "password": "ontmoeten-demo"})
    assert response.status_code == 302
    assert _copy(client, practice_id).status_code == 302


def test_a_facilitator_shares_only_their_own_or_shipped_templates(app, towns, factories):
    """A colleague's template (with its notes) does not go public without them; a coordinator
    may share any template."""
    from portal.errors import DomainError
    from portal.learning import practice_agendas
    from portal.learning.models import PracticeKind

    with app.app_context():
        joost = db.session.merge(towns["joost"])
        sanne = db.session.merge(towns["sanne"])
        ids = {t.id for t in practice_agendas.shareable_templates(joost)}
        assert towns["template"] not in ids
        assert towns["template"] in {t.id for t in practice_agendas.shareable_templates(sanne)}
        with pytest.raises(DomainError):
            practice_agendas.chosen_template(joost, towns["template"],
                                             PracticeKind.AGENDA_TEMPLATE)
        coordinator = factories.create_user("coordinator")
        assert practice_agendas.chosen_template(
            coordinator, towns["template"], PracticeKind.AGENDA_TEMPLATE).id == towns["template"]
        db.session.rollback()
