"""A realistic Dutch demo: Lingewaard, its venue, facilitators and organisations."""
from __future__ import annotations

import sqlalchemy as sa

from portal.auth.models import FacilitatorKind, Role, User
from portal.auth.service import create_user
from portal.directory.models import (Municipality, Organisation, OrganisationKind, TargetUnit,
                                     Venue)
from portal.extensions import db
from portal.seed import seed_defaults

DEMO_PASSWORD = "ontmoeten-demo"


def has_accounts() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def load_demo() -> list[tuple[str, str]]:
    """Create the demo; returns (login, description) pairs to print."""
    seed_defaults()
    lingewaard = Municipality(name="Lingewaard", slug="lingewaard")
    db.session.add(lingewaard)
    db.session.add(venue := Venue(
        municipality=lingewaard, name="Buurthuis De Poort", street="Dorpsstraat 12",
        postcode="6851 AB", city="Huissen", is_wheelchair_accessible=True,
        has_public_transport=True, has_quiet_room=True,
        accessibility_notes="Ingang zonder drempel, invalidentoilet, bushalte op 100 meter.",
        notes="Sleutel bij de beheerder. Koffie en thee aanwezig.",
    ))
    housing = Organisation(
        name="Woonstichting Betuwe Thuis", kind=OrganisationKind.HOUSING_CORPORATION,
        response_target_days=10, response_target_unit=TargetUnit.WORKING_DAYS,
        municipalities=[lingewaard])
    municipality_org = Organisation(
        name="Gemeente Lingewaard", kind=OrganisationKind.MUNICIPALITY,
        response_target_days=10, response_target_unit=TargetUnit.WORKING_DAYS,
        municipalities=[lingewaard])
    welfare = Organisation(
        name="Welzijn Lingewaard", kind=OrganisationKind.WELFARE, response_target_days=14,
        response_target_unit=TargetUnit.CALENDAR_DAYS, municipalities=[lingewaard],
        contact_email="info@welzijn-lingewaard.example")
    db.session.add_all([housing, municipality_org, welfare])
    # A second municipality that tries the method too, with its own housing corporation.
    oldenzaal = Municipality(name="Oldenzaal", slug="oldenzaal")
    twente = Organisation(
        name="Woonstichting Twente Thuis", kind=OrganisationKind.HOUSING_CORPORATION,
        response_target_days=10, response_target_unit=TargetUnit.WORKING_DAYS,
        municipalities=[oldenzaal], contact_email="info@twentethuis.example")
    db.session.add_all([oldenzaal, twente])
    db.session.flush()

    people = [
        ("coordinator@ontmoetingen.example", "Carla Coördinator", Role.COORDINATOR, {},
         "coordinator (beheer)"),
        ("sanne@ontmoetingen.example", "Sanne de Vries", Role.FACILITATOR,
         {"facilitator_kind": FacilitatorKind.SOCIAL_WORKER, "municipalities": [lingewaard]},
         "facilitator, social worker, Lingewaard"),
        ("marco@ontmoetingen.example", "Marco Jansen", Role.FACILITATOR,
         {"facilitator_kind": FacilitatorKind.EXPERIENCE_EXPERT, "municipalities": [lingewaard]},
         "facilitator, experience expert, Lingewaard"),
        ("petra@betuwethuis.example", "Petra Bosman", Role.ORGANISATION_MEMBER,
         {"organisation": housing}, "member, Woonstichting Betuwe Thuis"),
        ("ahmed@lingewaard.example", "Ahmed El Amrani", Role.ORGANISATION_MEMBER,
         {"organisation": municipality_org}, "member, Gemeente Lingewaard"),
        ("ineke@welzijn-lingewaard.example", "Ineke van Dijk", Role.ORGANISATION_MEMBER,
         {"organisation": welfare}, "member, Welzijn Lingewaard"),
        ("joost@ontmoetingen.example", "Joost Nijhuis", Role.FACILITATOR,
         {"facilitator_kind": FacilitatorKind.SOCIAL_WORKER, "municipalities": [oldenzaal]},
         "facilitator, social worker, Oldenzaal"),
        ("fatma@twentethuis.example", "Fatma Yilmaz", Role.ORGANISATION_MEMBER,
         {"organisation": twente}, "member, Woonstichting Twente Thuis"),
    ]
    logins, users = [], {}
    for email, name, role, extra, description in people:
        users[email] = create_user(email, name, role, DEMO_PASSWORD, **extra)
        logins.append((email, description))
    db.session.flush()
    series = _demo_series(lingewaard, venue, users["sanne@ontmoetingen.example"],
                          users["marco@ontmoetingen.example"])
    if series is not None:
        from portal.registrations.demo import add_demo_registrations

        add_demo_registrations(series, users["sanne@ontmoetingen.example"])
    past = _past_demo_series(lingewaard, venue, users["sanne@ontmoetingen.example"],
                             users["marco@ontmoetingen.example"])
    wish = _friday_letters(past.meetings[2], housing, users["sanne@ontmoetingen.example"],
                           users["petra@betuwethuis.example"])
    _friday_letters_practice(wish, users["sanne@ontmoetingen.example"],
                             users["joost@ontmoetingen.example"], oldenzaal)
    from portal.learning.demo import add_demo_agenda_practice

    add_demo_agenda_practice(lingewaard, users["sanne@ontmoetingen.example"])
    return logins


def _friday_letters(meeting, housing, facilitator, member):
    """The wish everyone remembers, raised in the third meeting of the completed series, routed
    to the housing corporation and changed, every step through the workflow so its timeline is
    complete. Coming from a meeting, its practice carries that series' evaluation figures."""
    from datetime import timedelta

    from portal.directory.models import Theme
    from portal.wishes import workflow
    from portal.wishes.models import RoutingRule
    from portal.wishes.service import log_wish

    themes = {t.key: t for t in db.session.scalars(sa.select(Theme))}
    lingewaard = meeting.series.municipality
    db.session.add(RoutingRule(theme=themes["housing"], municipality=lingewaard,
                               organisation=housing))
    wish = log_wish(
        facilitator, municipality=lingewaard, meeting=meeting,
        what="Stuur nare brieven niet meer op vrijdag, maar eerder in de week.",
        why="Nare brieven van de woningcorporatie en de gemeente komen altijd op vrijdag. Ik "
            "kan dan niemand bereiken, dus ik heb een heel weekend stress. Op maandag ben ik zo "
            "gefrustreerd dat ik boos bel. Kan dat niet anders?",
        for_whom="Huurders die een brief krijgen over schulden, huur of een afspraak",
        themes=[themes["housing"], themes["letters_contact"]], supporters=7,
        publication_consent=True)
    # No mail: the demo organisation is told in person. The real route_wish mails its members.
    workflow.transition(wish, "route", facilitator, "Besproken in de derde ontmoeting.",
                        organisation=housing)
    workflow.transition(wish, "acknowledge", member, "Ik neem dit mee naar ons team.")
    workflow.transition(
        wish, "mark_changed", member,
        "Zo'n brief gaat langs veel bureaus. We waren blij dat hij aan het eind van de week de "
        "deur uit was. Ik had nooit bedacht hoe dat aankomt. We hebben het meteen veranderd.",
        outcome="Brieven met slecht nieuws gaan voortaan van maandag tot en met woensdag de "
                "deur uit. Dan kun je dezelfde week nog iemand bellen.",
        changed_from=meeting.starts_at.date() + timedelta(weeks=3))
    # The group said so at its follow-up meeting; the facilitator noted it (no mail needed).
    from portal.models import utcnow
    from portal.wishes.models import Confirmation

    workflow.transition(wish, "confirm", facilitator,
                        "In de terugkomavond zeiden zes mensen: de brieven komen nu op dinsdag. "
                        "Eén keer kwam er nog een op vrijdag.", answer=Confirmation.YES)
    wish.confirmation_requested_at = utcnow()
    db.session.flush()
    return wish


def _friday_letters_practice(wish, sanne, joost, oldenzaal) -> None:
    """What worked in Lingewaard, published as a practice and proposed in Oldenzaal, where it
    goes to Oldenzaal's own housing corporation with the precedent linked."""
    from flask import current_app

    from portal.learning import practices
    from portal.wishes.views import mail_links

    practice = practices.draft_from_wish(sanne, wish)
    practice.title = "Brieven met slecht nieuws niet meer op vrijdag"
    practice.summary = ("Nare brieven kwamen altijd op vrijdag. Dan kun je niemand bellen en "
                        "heb je een weekend stress. Nu gaan ze van maandag tot en met woensdag "
                        "de deur uit.")
    practices.publish(sanne, practice)
    base = current_app.config.get("BASE_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=base):
        practices.propose_here(joost, practice, oldenzaal, links=mail_links())
    db.session.flush()


def _demo_series(municipality, venue, sanne, marco):
    """A published series of four Tuesday evenings, starting at least a week from today."""
    from datetime import date, time, timedelta

    from portal.series.models import AgendaTemplate
    from portal.series.service import MeetingInput, SeriesInput, create_series, publish_series

    today = date.today()
    first = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    templates = {t.meeting_number: t.id for t in db.session.scalars(
        sa.select(AgendaTemplate).where(AgendaTemplate.key.is_not(None),
                                        AgendaTemplate.language == "nl"))}
    series = create_series(sanne, SeriesInput(
        title="Samen aan tafel in Huissen",
        municipality_id=municipality.id,
        facilitator_ids=[sanne.id, marco.id],
        description="Rondkomen is voor veel mensen moeilijk. Brieven zijn lastig, regels "
                    "veranderen steeds. In vier avonden praten inwoners, vrijwilligers, "
                    "professionals en de gemeente met elkaar. We luisteren. Samen kiezen we "
                    "wat er anders moet.",
        audience="Voor iedereen in Lingewaard die wil meepraten. Ook als je het zelf moeilijk "
                 "hebt, of als je werkt bij een organisatie.",
        meetings=[MeetingInput(day=first + timedelta(weeks=n), start=time(19, 0),
                               end=time(21, 0), venue_id=venue.id, capacity=20,
                               template_id=templates.get(n + 1)) for n in range(4)]))
    publish_series(sanne, series)
    return series


def _past_demo_series(municipality, venue, sanne, marco):
    """A completed series that ended two months ago, with its evaluations and reflections."""
    from datetime import date, time, timedelta

    from portal.learning.demo import add_demo_evaluations
    from portal.series.models import AgendaTemplate
    from portal.series.service import (MeetingInput, SeriesInput, complete_series,
                                       create_series, publish_series)

    today = date.today()
    last_tuesday = today - timedelta(days=(today.weekday() - 1) % 7 or 7)
    first = last_tuesday - timedelta(weeks=11)
    templates = {t.meeting_number: t.id for t in db.session.scalars(
        sa.select(AgendaTemplate).where(AgendaTemplate.key.is_not(None),
                                        AgendaTemplate.language == "nl"))}
    series = create_series(sanne, SeriesInput(
        title="Samen aan tafel in Gendt",
        municipality_id=municipality.id,
        facilitator_ids=[sanne.id, marco.id],
        description="Vier avonden over rondkomen, brieven en regels. Inwoners, vrijwilligers, "
                    "professionals en de gemeente praten met elkaar.",
        audience="Voor iedereen in Gendt en omgeving.",
        meetings=[MeetingInput(day=first + timedelta(weeks=n), start=time(19, 0),
                               end=time(21, 0), venue_id=venue.id, capacity=16,
                               template_id=templates.get(n + 1)) for n in range(4)]))
    publish_series(sanne, series)
    complete_series(sanne, series)
    add_demo_evaluations(series, sanne, marco)
    return series
