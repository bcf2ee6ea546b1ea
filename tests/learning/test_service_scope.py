"""The learning services check the actor's municipality themselves: a facilitator from elsewhere
cannot moderate, reflect, type in paper forms or publish, whoever calls the service (the views
already reach these objects through scoped lookups only, see test_access_matrix.py)."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.errors import NotAllowed
from portal.extensions import db
from portal.learning import practices, service
from portal.learning.models import (EvaluationRemark, EvaluationResponse, FollowUpRemark,
                                    MeetingEvaluation, Practice, PracticeKind, Reflection,
                                    RemarkQuestion, RemarkStatus)
from tests.learning.conftest import ALL_FOURS


@pytest.fixture
def scene(app_context, factories, learning_series):
    series = learning_series()
    meeting = series.meetings[0]
    elsewhere = factories.create_user("facilitator",
                                      municipalities=[factories.create_municipality()])
    evaluation_remark = EvaluationRemark(meeting_id=meeting.id, answered_on=date.today(),
                                         question=RemarkQuestion.STRUCK, text="Fijn.")
    follow_up_remark = FollowUpRemark(series_id=series.id, round_months=3,
                                      answered_on=date.today(), text="We koken samen.")
    practice = Practice(kind=PracticeKind.LESSON, title="Een les", summary="Kort terugblikken.",
                        municipality=series.municipality, created_by=series.facilitators[0],
                        is_published=False)
    db.session.add_all([evaluation_remark, follow_up_remark, practice])
    db.session.flush()
    reflection = service.add_reflection(series.facilitators[0], meeting,
                                        service.ReflectionInput(worked="De rondjes."))
    db.session.commit()
    return {"meeting": meeting, "own": series.facilitators[0], "elsewhere": elsewhere,
            "remarks": (evaluation_remark, follow_up_remark), "practice": practice,
            "reflection": reflection}


def _paper(actor, meeting):
    answers = service.Answers(scores={k: int(v) for k, v in ALL_FOURS.items()})
    service.enter_paper_form(actor, meeting, answers)


def test_a_facilitator_from_elsewhere_is_refused_and_nothing_changes(scene):
    elsewhere, meeting = scene["elsewhere"], scene["meeting"]
    refused = [
        lambda: service.moderate_remark(elsewhere, scene["remarks"][0], approve=True),
        lambda: service.moderate_remark(elsewhere, scene["remarks"][1], approve=True),
        lambda: service.add_reflection(elsewhere, meeting,
                                       service.ReflectionInput(worked="Van buiten.")),
        lambda: service.update_reflection(elsewhere, scene["reflection"],
                                          service.ReflectionInput(worked="Overschreven.")),
        lambda: _paper(elsewhere, meeting),
        lambda: practices.publish(elsewhere, scene["practice"]),
        lambda: practices.save_practice(elsewhere, practices.PracticeInput(
            kind="lesson", title="Van ons", summary="Overgenomen.",
            municipality_id=elsewhere.municipality_ids.copy().pop()), scene["practice"]),
    ]
    for call in refused:
        with pytest.raises(NotAllowed):
            call()
    db.session.rollback()
    assert [r.status for r in scene["remarks"]] == [RemarkStatus.PENDING] * 2
    assert [r.worked for r in db.session.query(Reflection)] == ["De rondjes."]
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse))
    assert not db.session.scalar(sa.select(MeetingEvaluation.paper_count).where(
        MeetingEvaluation.meeting_id == meeting.id))
    assert not scene["practice"].is_published and scene["practice"].title == "Een les"


def test_the_facilitator_of_the_municipality_may(scene):
    own, meeting = scene["own"], scene["meeting"]
    for remark in scene["remarks"]:
        service.moderate_remark(own, remark, approve=True)
    service.update_reflection(own, scene["reflection"],
                              service.ReflectionInput(worked="De rondjes in tweetallen."))
    _paper(own, meeting)
    practices.publish(own, scene["practice"])
    assert db.session.scalar(sa.select(MeetingEvaluation.paper_count).where(
        MeetingEvaluation.meeting_id == meeting.id)) == 1
    assert [r.status for r in scene["remarks"]] == [RemarkStatus.APPROVED] * 2
    assert scene["reflection"].worked == "De rondjes in tweetallen."
    assert scene["practice"].is_published
