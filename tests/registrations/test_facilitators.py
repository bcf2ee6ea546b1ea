"""Facilitator screens: own municipalities only, role mix, needs, waiting list, CSV, attendance."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.registrations.models import (Attendance, AttendanceStatus, ParticipantRole,
                                         Registration)
from portal.csv_export import csv_cell


@pytest.fixture
def setting(app, factories, reg):
    municipality = factories.create_municipality(name="Lingewaard")
    facilitator = factories.create_user("facilitator", municipalities=[municipality])
    series = reg.create_series(capacity=3, municipality=municipality, title="Samen aan tafel")
    db.session.commit()
    return facilitator, series


def _url(series, suffix=""):
    return f"/begeleiding/reeksen/{series.id}{suffix}"


def test_facilitators_of_other_municipalities_get_404(client, login_as, setting, reg):
    _, series = setting
    login_as("facilitator")  # another municipality
    for suffix in ("/aanmeldingen", "/aanmeldingen.csv", "/inchecklijst", "/aanmelden",
                   f"/ontmoetingen/{series.meetings[0].id}/aanwezigheid"):
        assert client.get(_url(series, suffix)).status_code == 404


def test_organisation_members_and_anonymous_are_refused(client, login_as, setting):
    _, series = setting
    assert client.get(_url(series, "/aanmeldingen")).status_code == 302  # to the login
    login_as("organisation_member")
    assert client.get(_url(series, "/aanmeldingen")).status_code == 403


def test_coordinator_sees_every_series(client, login_as, setting):
    _, series = setting
    login_as("coordinator")
    assert client.get(_url(series, "/aanmeldingen")).status_code == 200


def test_participant_list_shows_role_mix_and_warns_about_few_residents(client, login_as,
                                                                         setting, reg):
    facilitator, series = setting
    reg.register(series, role=ParticipantRole.PROFESSIONAL, display_name="Petra")
    reg.register(series, role=ParticipantRole.POLICY_MAKER, display_name="Ruud")
    reg.register(series, role=ParticipantRole.RESIDENT, display_name="Fatima",
                 needs={"childcare"})
    reg.register(series, role=ParticipantRole.RESIDENT, display_name="Henk")
    login_as(facilitator)
    page = client.get(_url(series, "/aanmeldingen")).get_data(as_text=True)
    assert "3 van de 3 plekken bezet, 1 op de wachtlijst." in page
    assert "Inwoner: 1" in page and "Professional: 1" in page and "Beleidsmaker: 1" in page
    assert "Minder dan een derde van de groep is inwoner." not in page  # exactly a third
    assert "Henk" in page  # on the waiting list


def test_warning_when_residents_are_under_a_third(client, login_as, setting, reg):
    facilitator, series = setting
    reg.register(series, role=ParticipantRole.PROFESSIONAL)
    reg.register(series, role=ParticipantRole.VOLUNTEER)
    reg.register(series, role=ParticipantRole.RESIDENT)
    db.session.execute(sa.update(Registration).where(
        Registration.role == ParticipantRole.RESIDENT).values(
        role=ParticipantRole.OTHER))
    db.session.commit()
    login_as(facilitator)
    page = client.get(_url(series, "/aanmeldingen")).get_data(as_text=True)
    assert "Minder dan een derde van de groep is inwoner." in page


def test_needs_per_meeting_leave_out_who_is_marked_absent(app, client, login_as, setting, reg):
    facilitator, series = setting
    anna = reg.register(series, needs={"childcare", "transport"}).registration
    reg.register(series, needs={"childcare"})
    db.session.add(Attendance(registration_id=anna.id, meeting_id=series.meetings[1].id,
                              status=AttendanceStatus.ABSENT, marked_at=anna.created_at))
    db.session.commit()
    login_as(facilitator)
    page = client.get(_url(series, "/aanmeldingen")).get_data(as_text=True)
    rows = page.split("Wat nodig is per ontmoeting")[1].split("</table>")[0].split("<tr")
    first, second = rows[2], rows[3]
    assert [c.split(">")[1].split("<")[0] for c in first.split("<td")[1:4]] == ["2", "2", "1"]
    assert [c.split(">")[1].split("<")[0] for c in second.split("<td")[1:4]] == ["1", "1", "0"]


def test_register_on_behalf_is_marked_and_follows_capacity(app, client, login_as, setting,
                                                             reg, outbox):
    facilitator, series = setting
    for _ in range(3):
        reg.register(series)
    login_as(facilitator)
    url = _url(series, "/aanmelden")
    response = client.post_form(url, {"display_name": "Henk", "role": "resident",
                                      "phone": "06 12345678", "consent": "y"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Henk staat op de wachtlijst, nummer 1." in page
    assert "aangemeld door begeleider" in page
    with app.app_context():
        henk = db.session.scalar(sa.select(Registration).where(
            Registration.display_name == "Henk"))
        assert henk.is_registered_by_facilitator and henk.registered_by_id == facilitator.id
        assert henk.is_waiting
    assert outbox() == []  # no e-mail address, no mail


def test_register_on_behalf_needs_consent_and_keeps_input(client, login_as, setting):
    facilitator, series = setting
    login_as(facilitator)
    response = client.post_form(_url(series, "/aanmelden"),
                                {"display_name": "Henk", "role": "resident"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "als die persoon het goed vindt" in body and 'value="Henk"' in body


def test_manual_promote_and_cancel(app, client, login_as, setting, reg, outbox):
    facilitator, series = setting
    seated = [reg.register(series).registration for _ in range(3)]
    waiting = reg.register(series, email="w@example.org").registration
    login_as(facilitator)
    promote_url = _url(series, f"/aanmeldingen/{waiting.id}/plaats-geven")
    response = client.post_form(promote_url, {}, token_from=_url(series, "/aanmeldingen"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Alle plekken zijn bezet." in page
    client.post_form(_url(series, f"/aanmeldingen/{seated[0].id}/afmelden"), {},
                     token_from=_url(series, "/aanmeldingen"))
    with app.app_context():
        assert db.session.get(Registration, waiting.id).is_confirmed
    assert [m.to_address for m in outbox() if m.subject.startswith("Er is plek")] == \
        ["w@example.org"]


def test_foreign_registration_id_is_404(client, login_as, setting, reg):
    facilitator, series = setting
    other_series = reg.create_series()
    other = reg.register(other_series).registration
    login_as(facilitator)
    response = client.post_form(_url(series, f"/aanmeldingen/{other.id}/afmelden"), {},
                                token_from=_url(series, "/aanmeldingen"))
    assert response.status_code == 404


def test_csv_export_neutralises_formulas(client, login_as, setting, reg):
    facilitator, series = setting
    reg.register(series, display_name="=HYPERLINK(\"http://evil\")", email="a@example.org",
                 needs_notes="@SUM(1)")
    reg.register(series, display_name="+31 Anna", needs_notes="-2+3")
    login_as(facilitator)
    response = client.get(_url(series, "/aanmeldingen.csv"))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][:3] == ["Naam", "Rol", "Status"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'@SUM(1)" in cells
    assert "'+31 Anna" in cells and "'-2+3" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("Anna", "Anna"), ("", ""), (None, ""), (3, "3")])
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_check_in_list_is_printable(client, login_as, setting, reg):
    facilitator, series = setting
    reg.register(series, display_name="Zoë")
    reg.register(series, display_name="Ali")
    login_as(facilitator)
    page = client.get(_url(series, "/inchecklijst")).get_data(as_text=True)
    assert page.index("Ali") < page.index("Zoë")
    assert page.count("☐") == 8  # two people, four meetings


def test_attendance_on_a_phone_with_post_buttons(app, client, login_as, setting, reg):
    facilitator, series = setting
    anna = reg.register(series, display_name="Anna").registration
    meeting = series.meetings[0]
    login_as(facilitator)
    url = _url(series, f"/ontmoetingen/{meeting.id}/aanwezigheid")
    page = client.get(url).get_data(as_text=True)
    assert "portal-button--tap" in page and 'name="status" value="present"' in page
    response = client.post_form(f"{url}/{anna.id}", {"status": "present"}, token_from=url)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#r{anna.id}")
    page = client.get(url).get_data(as_text=True)
    assert "1 van de 1 aanwezig." in page
    client.post_form(f"{url}/{anna.id}", {"status": "absent"}, token_from=url)
    with app.app_context():
        [mark] = db.session.scalars(sa.select(Attendance)).all()
        assert mark.status is AttendanceStatus.ABSENT
    assert client.post_form(f"{url}/{anna.id}", {"status": "maybe"},
                            token_from=url).status_code == 400
