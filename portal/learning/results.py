"""What facilitators see of the evaluations: distributions, the trend over the four meetings,
moderated open answers. Nothing at all below evaluation.MIN_ANSWERS answers for a meeting, and
series totals only add up meetings that reached it (otherwise the difference would give a small
meeting's answers away). The follow-up check-ins follow the same rule per round."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from portal.extensions import db
from portal.learning import follow_up
from portal.learning.evaluation import MIN_ANSWERS, SCALE, STATEMENTS
from portal.learning.models import (SCORE_KEYS, EvaluationRemark, EvaluationResponse,
                                    FollowUpAnswer, FollowUpRemark, MeetingEvaluation,
                                    RemarkStatus)


@dataclass
class Bar:
    value: int
    label: object
    count: int
    percent: int
    width: int  # rounded to 5 for the fixed set of CSS width classes


@dataclass
class StatementResult:
    key: str
    text: object
    bars: list[Bar]
    total: int
    average: float
    share_positive: int  # percent answering 4 or 5


@dataclass
class MeetingResults:
    meeting: object
    enough: bool
    total: int | None  # None below the threshold: not even the number is shown
    paper_count: int | None
    statements: list[StatementResult] = field(default_factory=list)


def _bars(choices, values: list) -> list[Bar]:
    """One bar per (value, label) choice, numbered from 1 (faces show their value)."""
    total = len(values)
    bars = []
    for number, (value, label) in enumerate(choices, start=1):
        count = values.count(value)
        percent = round(100 * count / total) if total else 0
        bars.append(Bar(number, label, count, percent, 5 * round(percent / 5)))
    return bars


def _statement_results(rows: list[tuple[int, ...]]) -> list[StatementResult]:
    results = []
    total = len(rows)
    for index, statement in enumerate(STATEMENTS):
        values = [row[index] for row in rows]
        bars = _bars(SCALE, values)
        positive = sum(1 for v in values if v >= 4)
        results.append(StatementResult(
            statement.key, statement.text, bars, total,
            round(sum(values) / total, 1) if total else 0.0,
            round(100 * positive / total) if total else 0))
    return results


def _scores_by_meeting(meeting_ids) -> dict[int, list[tuple[int, ...]]]:
    columns = [getattr(EvaluationResponse, key) for key in SCORE_KEYS]
    by_meeting: dict[int, list[tuple[int, ...]]] = {mid: [] for mid in meeting_ids}
    for meeting_id, *scores in db.session.execute(
            sa.select(EvaluationResponse.meeting_id, *columns)
            .where(EvaluationResponse.meeting_id.in_(list(meeting_ids) or [-1]))):
        by_meeting[meeting_id].append(tuple(scores))
    return by_meeting


def meeting_results(meeting) -> MeetingResults:
    rows = _scores_by_meeting([meeting.id])[meeting.id]
    if len(rows) < MIN_ANSWERS:
        return MeetingResults(meeting, False, None, None)
    paper = db.session.scalar(sa.select(MeetingEvaluation.paper_count).where(
        MeetingEvaluation.meeting_id == meeting.id)) or 0
    return MeetingResults(meeting, True, len(rows), paper, _statement_results(rows))


def remarks_for(meeting, statuses=None) -> list[EvaluationRemark]:
    """Open answers, only once the meeting has enough answers to hide who wrote what."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse).where(
            EvaluationResponse.meeting_id == meeting.id)) < MIN_ANSWERS:
        return []
    query = sa.select(EvaluationRemark).where(EvaluationRemark.meeting_id == meeting.id)
    if statuses:
        query = query.where(EvaluationRemark.status.in_(statuses))
    return list(db.session.scalars(query.order_by(EvaluationRemark.answered_on,
                                                  EvaluationRemark.question,
                                                  EvaluationRemark.id)))


@dataclass
class TrendCell:
    number: int
    enough: bool
    total: int | None
    average: float | None
    share_positive: int | None


@dataclass
class TrendRow:
    key: str
    text: object
    cells: list[TrendCell]


@dataclass
class SeriesResults:
    series: object
    meetings: list[MeetingResults]
    trend: list[TrendRow]
    combined: list[StatementResult]  # meetings with enough answers only
    combined_total: int
    approved_remarks: list[EvaluationRemark]


def series_results(series) -> SeriesResults:
    meetings = list(series.meetings)
    scores = _scores_by_meeting([m.id for m in meetings])
    per_meeting = {}
    for meeting in meetings:
        rows = scores[meeting.id]
        per_meeting[meeting.id] = (_statement_results(rows) if len(rows) >= MIN_ANSWERS
                                   else None, len(rows))
    trend = []
    for index, statement in enumerate(STATEMENTS):
        cells = []
        for meeting in meetings:
            results, count = per_meeting[meeting.id]
            if results is None:
                cells.append(TrendCell(meeting.number, False, None, None, None))
            else:
                cells.append(TrendCell(meeting.number, True, count, results[index].average,
                                       results[index].share_positive))
        trend.append(TrendRow(statement.key, statement.text, cells))
    enough_rows = [row for m in meetings if per_meeting[m.id][0] is not None
                   for row in scores[m.id]]
    summaries = [MeetingResults(m, per_meeting[m.id][0] is not None,
                                per_meeting[m.id][1] if per_meeting[m.id][0] else None, None,
                                per_meeting[m.id][0] or []) for m in meetings]
    enough_ids = [m.id for m in meetings if per_meeting[m.id][0] is not None]
    approved = list(db.session.scalars(
        sa.select(EvaluationRemark).where(EvaluationRemark.meeting_id.in_(enough_ids or [-1]),
                                          EvaluationRemark.status == RemarkStatus.APPROVED)
        .order_by(EvaluationRemark.answered_on, EvaluationRemark.id)))
    return SeriesResults(series, summaries, trend,
                         _statement_results(enough_rows) if enough_rows else [],
                         len(enough_rows), approved)


# Follow-up check-ins ------------------------------------------------------------------------------

@dataclass
class ChoiceResult:
    text: object
    bars: list[Bar]


@dataclass
class FollowUpRound:
    months: int
    enough: bool
    total: int | None  # None below the threshold, as for a meeting
    questions: list[ChoiceResult] = field(default_factory=list)
    pending: list[FollowUpRemark] = field(default_factory=list)
    approved: list[FollowUpRemark] = field(default_factory=list)
    hidden: list[FollowUpRemark] = field(default_factory=list)


def _choice_result(text, choices, values) -> ChoiceResult:
    return ChoiceResult(text, _bars(choices, values))


def follow_up_round_is_shown(series_id: int, round_months: int) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpAnswer).where(
        FollowUpAnswer.series_id == series_id,
        FollowUpAnswer.round_months == round_months)) >= MIN_ANSWERS


def follow_up_results(series, months: tuple[int, ...]) -> list[FollowUpRound]:
    """Per round (the configured ones and any that has answers): the two questions, and the
    open answers by moderation status; nothing below MIN_ANSWERS answers in that round."""
    answers: dict[int, list[tuple]] = {}
    for round_months, in_touch, changed in db.session.execute(
            sa.select(FollowUpAnswer.round_months, FollowUpAnswer.in_touch,
                      FollowUpAnswer.changed).where(FollowUpAnswer.series_id == series.id)):
        answers.setdefault(round_months, []).append((in_touch, changed))
    remarks: dict[int, list[FollowUpRemark]] = {}
    for remark in db.session.scalars(
            sa.select(FollowUpRemark).where(FollowUpRemark.series_id == series.id)
            .order_by(FollowUpRemark.answered_on, FollowUpRemark.id)):
        remarks.setdefault(remark.round_months, []).append(remark)
    rounds = []
    for round_months in sorted(set(months) | set(answers)):
        rows = answers.get(round_months, [])
        if len(rows) < MIN_ANSWERS:
            rounds.append(FollowUpRound(round_months, False, None))
            continue
        texts = remarks.get(round_months, [])
        rounds.append(FollowUpRound(
            round_months, True, len(rows),
            [_choice_result(follow_up.IN_TOUCH_QUESTION, follow_up.IN_TOUCH_CHOICES,
                            [row[0] for row in rows]),
             _choice_result(follow_up.CHANGED_QUESTION, follow_up.CHANGED_CHOICES,
                            [row[1] for row in rows])],
            [r for r in texts if r.status is RemarkStatus.PENDING],
            [r for r in texts if r.status is RemarkStatus.APPROVED],
            [r for r in texts if r.status is RemarkStatus.HIDDEN]))
    return rounds
