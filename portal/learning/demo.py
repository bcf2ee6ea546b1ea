"""Believable evaluations and reflections for the demo's completed series."""
from __future__ import annotations

import random

from portal.extensions import db
from portal.learning.models import (SCORE_KEYS, EvaluationRemark, EvaluationResponse,
                                    Reflection, RemarkQuestion, RemarkStatus)
from portal.learning.service import evaluation_for
from portal.series.times import to_local

# Per meeting: how many answered, how many of them on paper, and a mood that grows as the group
# gets to know each other (the chance of a 4 or 5).
_MEETINGS = {1: (9, 2, 0.55), 2: (8, 1, 0.65), 3: (7, 1, 0.75), 4: (10, 2, 0.85)}

_REMARKS = {
    1: [("Dat de wethouder gewoon naast mij zat en luisterde.", RemarkStatus.APPROVED),
        ("Iedereen heeft wel eens een brief die je niet snapt.", RemarkStatus.APPROVED),
        ("Het was spannend om mijn verhaal te vertellen.", RemarkStatus.PENDING)],
    2: [("De brieven op vrijdag. Dat wist de woningcorporatie niet.", RemarkStatus.APPROVED),
        ("Meneer de V. van de bank moet niet meer komen.", RemarkStatus.HIDDEN)],
    3: [("We hebben drie wensen gekozen. Daar ben ik trots op.", RemarkStatus.APPROVED)],
    4: [("Ze hebben het echt veranderd. De brieven komen nu op dinsdag.", RemarkStatus.APPROVED),
        ("Ik wil graag verder met deze groep.", RemarkStatus.APPROVED)],
}
_CHANGE = [("Meer tijd in kleine groepjes.", RemarkStatus.APPROVED),
           ("Een oppas regelen, dan kunnen meer ouders komen.", RemarkStatus.APPROVED),
           ("Eerder beginnen, 21 uur is laat.", RemarkStatus.PENDING)]


def _score(rng: random.Random, positive: float) -> int:
    if rng.random() < positive:
        return rng.choice((4, 4, 5))
    return rng.choice((2, 3, 3))


# The group of the completed series: name, role, and the meetings they missed.
_GROUP = [("Anja", "resident", ()), ("Bilal", "resident", (3,)), ("Carmen", "resident", ()),
          ("Dirk", "resident", (2,)), ("Esra", "resident", ()), ("Fleur", "volunteer", ()),
          ("Gerard", "resident", (3,)), ("Hanna", "professional", ()),
          ("Ilse", "policy_maker", (2, 3)), ("Jan", "resident", ()), ("Kees", "volunteer", (1,))]


def _add_demo_group(series, sanne) -> dict[int, int]:
    """Who came to each meeting of the completed series, as Sanne marked it at the door, so the
    report can set the answers beside the people present. Returns, per meeting number, how many
    who came have an e-mail address (the evaluation job mailed them a link)."""
    from portal.models import utcnow
    from portal.registrations.models import (Attendance, AttendanceStatus, ParticipantRole,
                                             Registration, RegistrationStatus)

    mailed = {meeting.number: 0 for meeting in series.meetings}
    for seat, (name, role, missed) in enumerate(_GROUP, start=1):
        registration = Registration(
            series_id=series.id, display_name=name, role=ParticipantRole(role),
            email=f"{name.lower()}@voorbeeld.example" if seat % 3 else None,
            consent_version="2026-11", consent_given_at=series.meetings[0].starts_at,
            status=RegistrationStatus.CONFIRMED, seat_number=seat,
            confirmed_at=series.meetings[0].starts_at, has_follow_up_consent=seat % 2 == 1)
        db.session.add(registration)
        db.session.flush()
        for meeting in series.meetings:
            came = meeting.number not in missed
            mailed[meeting.number] += came and registration.email is not None
            db.session.add(Attendance(
                registration_id=registration.id, meeting_id=meeting.id, marked_by_id=sanne.id,
                status=AttendanceStatus.PRESENT if came else AttendanceStatus.ABSENT,
                marked_at=min(meeting.starts_at, utcnow())))
    return mailed


def add_demo_evaluations(series, sanne, marco) -> None:
    rng = random.Random(1402)  # fixed: the demo looks the same every time
    mailed = _add_demo_group(series, sanne)
    for meeting in series.meetings:
        count, paper, positive = _MEETINGS[meeting.number]
        day = to_local(meeting.starts_at).date()
        for _ in range(count):
            db.session.add(EvaluationResponse(
                meeting_id=meeting.id, answered_on=day,
                **{key: _score(rng, positive) for key in SCORE_KEYS}))
        for text, status in _REMARKS[meeting.number]:
            db.session.add(EvaluationRemark(meeting_id=meeting.id, answered_on=day,
                                            question=RemarkQuestion.STRUCK, text=text,
                                            status=status))
        if meeting.number == 4:
            for text, status in _CHANGE:
                db.session.add(EvaluationRemark(meeting_id=meeting.id, answered_on=day,
                                                question=RemarkQuestion.CHANGE, text=text,
                                                status=status))
        row = evaluation_for(meeting)
        row.paper_count = paper
        row.links_sent = mailed[meeting.number]
        row.links_sent_at = meeting.ends_at
    first, third = series.meetings[0], series.meetings[2]
    db.session.add_all([
        Reflection(meeting_id=first.id, author=sanne, updated_by=sanne,
                   worked="De kennismaking in tweetallen brak het ijs. Iedereen kwam aan het "
                          "woord.",
                   did_not_work="Het verhalenrondje liep uit. Twee mensen moesten eerder weg "
                                "voor de bus.",
                   change_next_time="Het rondje korter maken en om 20.45 uur afronden."),
        Reflection(meeting_id=third.id, author=marco, updated_by=marco,
                   worked="Van strijd naar wens: met de kaartjes op tafel ging het vlot.",
                   did_not_work="De beleidsmedewerker praatte veel in vaktaal.",
                   change_next_time="Vooraf met gasten van organisaties afspreken: korte "
                                    "zinnen, geen afkortingen."),
    ])
    db.session.flush()


def add_demo_agenda_practice(lingewaard, sanne) -> None:
    """Lingewaard's own version of the first meeting, shared as an agenda-template practice:
    after Gendt (see the reflection above) the stories round is shorter and there is a break."""
    import sqlalchemy as sa

    from portal.learning import practices
    from portal.series import agenda
    from portal.series.models import AgendaTemplate, Lead

    default = db.session.scalars(sa.select(AgendaTemplate).where(
        AgendaTemplate.key == "kennismaken", AgendaTemplate.language == "nl")).one()
    adapted = agenda.copy_template(sanne, default)
    agenda.update_template(sanne, adapted, "Kennismaken en verhalen delen (Lingewaard)",
                           "De eerste ontmoeting, zoals wij hem nu doen: een kortere "
                           "verhalenronde en een vaste pauze, zodat iedereen de bus haalt.", 1)
    stories = next(item for item in adapted.items if item.title == "Ronde met eigen verhalen")
    agenda.update_item(stories, agenda.ItemInput(
        title=stories.title, minutes=35, lead=stories.lead, materials=stories.materials,
        purpose=stories.purpose + " Iedereen krijgt ongeveer vijf minuten."))
    pause = agenda.add_item(adapted, agenda.ItemInput(
        title="Pauze", minutes=10, lead=Lead.BOTH, materials="Koffie, thee en iets lekkers",
        purpose="Even bijkomen. Wie wil, praat na met een van de begeleiders."))
    while adapted.items.index(pause) > 3:  # after the stories round, before "what struck you"
        agenda.move_item(adapted, pause, "up")
    practice = practices.save_practice(sanne, practices.PracticeInput(
        kind="agenda_template", title="Eerste ontmoeting: kortere verhalenronde en een pauze",
        summary="Bij de eerste ontmoeting liep de verhalenronde uit. Nu krijgt iedereen ongeveer "
                "vijf minuten en is er een vaste pauze. Zo ronden we op tijd af.",
        what_was_done="We hebben het standaardsjabloon aangepast: de verhalenronde duurt 35 "
                      "minuten in plaats van 45, en na de ronde is er 10 minuten pauze.",
        evidence="In Gendt moesten mensen eerder weg voor de bus en hoorden ze het einde niet. "
                 "Sinds de aanpassing blijft iedereen tot het eind.",
        municipality_id=lingewaard.id, agenda_template_id=adapted.id))
    practices.publish(sanne, practice)
    db.session.flush()
