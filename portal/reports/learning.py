"""Report figures from the learning loop: how the meetings scored on the method's values (per
municipality and per series), how many people answered the evaluation, whether residents confirm
that changed wishes really changed, and which practices other municipalities took up.

Scores follow the evaluation rule (portal/learning/evaluation.py): a meeting's answers count
only from MIN_ANSWERS answers on, and a total adds up only the meetings that reached it, as the
series results do (portal/learning/results.py). Counts of people pass through
suppression.shown(); wish and practice figures are about organisations and are shown whole.
Every table is a fixed number of aggregate queries, whatever the number of rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.directory.models import Municipality
from portal.extensions import db
from portal.learning.evaluation import MIN_ANSWERS, STATEMENTS
from portal.learning.models import (SCORE_KEYS, EvaluationResponse, MeetingEvaluation, Practice,
                                    PracticeAdoption)
from portal.registrations.models import Attendance, AttendanceStatus
from portal.reports.suppression import SUPPRESSED, is_suppressed, shown
from portal.reports.tables import Filters, Table, held_meetings, in_period
from portal.series.models import Series
from portal.wishes import workflow
from portal.wishes.models import Confirmation, Wish


def _count_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _percent(part: int, whole: int, *, people: bool = True):
    """part of whole in whole percents; "" without a whole, "<5" when either count is hidden."""
    if not whole:
        return ""
    if people and (is_suppressed(shown(part)) or is_suppressed(shown(whole))):
        return SUPPRESSED
    return round(100 * part / whole)


# Values --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scores:
    answers: int  # every answer, also those of meetings below the threshold
    counted: int  # the answers of meetings that reached it
    sums: tuple[int, ...]  # per statement, over the counted answers

    def averages(self) -> list:
        """Per statement, rounded like the series results; the marker when no meeting had
        enough answers, nothing when there were no answers at all."""
        if self.counted:
            return [round(total / self.counted, 1) for total in self.sums]
        return [SUPPRESSED if self.answers else ""] * len(SCORE_KEYS)


NO_SCORES = Scores(0, 0, (0,) * len(SCORE_KEYS))


def _scores(filters: Filters, *, by_series: bool = False) -> dict[tuple[int, ...], Scores]:
    """{(municipality_id[, series_id]): Scores} for the answers to held meetings of the period,
    grouped per meeting first so that only meetings with MIN_ANSWERS answers add up."""
    held = held_meetings(filters).subquery()
    per_meeting = (
        sa.select(held.c.municipality_id, held.c.series_id,
                  sa.func.count(EvaluationResponse.id).label("answers"),
                  *[sa.func.sum(getattr(EvaluationResponse, key)).label(key)
                    for key in SCORE_KEYS])
        .select_from(held)
        .join(EvaluationResponse, EvaluationResponse.meeting_id == held.c.id)
        .group_by(held.c.id, held.c.municipality_id, held.c.series_id)).subquery()
    enough = per_meeting.c.answers >= MIN_ANSWERS

    def counted(column):
        return sa.func.coalesce(sa.func.sum(sa.case((enough, column), else_=0)), 0)

    keys = [per_meeting.c.municipality_id] + ([per_meeting.c.series_id] if by_series else [])
    rows = db.session.execute(
        sa.select(*keys, sa.func.sum(per_meeting.c.answers), counted(per_meeting.c.answers),
                  *[counted(per_meeting.c[key]) for key in SCORE_KEYS])
        .group_by(*keys))
    width = len(keys)
    return {tuple(row[:width]): Scores(int(row[width]), int(row[width + 1]),
                                       tuple(int(v) for v in row[width + 2:]))
            for row in rows}


def _values_note():
    return _l("Averages from 1 (no, not at all) to 5 (yes, very much). Only meetings with at "
              "least %(n)s answers count; \"<5\" means no meeting had that many answers yet.",
              n=MIN_ANSWERS)


def values_by_municipality(filters: Filters) -> Table:
    scores = _scores(filters)
    table = Table("waarden-gemeente", _l("Values per municipality"),
                  [_l("Municipality"), _l("Answers counted"), *[s.text for s in STATEMENTS]],
                  note=_values_note())
    for municipality in filters.municipalities:
        figures = scores.get((municipality.id,), NO_SCORES)
        table.rows.append([municipality.name, figures.counted, *figures.averages()])
    return table


def values_by_series(filters: Filters) -> Table:
    scores = _scores(filters, by_series=True)
    series = db.session.execute(
        sa.select(Series.id, Series.title, Municipality.name)
        .join(Municipality, Series.municipality_id == Municipality.id)
        .where(Series.id.in_([s for _m, s in scores] or [-1]))
        .order_by(Municipality.name, Series.title, Series.id)).all()
    table = Table("waarden-reeks", _l("Values per series"),
                  [_l("Series title"), _l("Municipality"), _l("Answers counted"),
                   *[s.text for s in STATEMENTS]],
                  note=_values_note())
    municipality_of = {s: m for m, s in scores}
    for series_id, title, municipality in series:
        figures = scores[(municipality_of[series_id], series_id)]
        table.rows.append([title, municipality, figures.counted, *figures.averages()])
    return table


# Response ------------------------------------------------------------------------------------

def evaluation_response(filters: Filters) -> Table:
    """Answers against the people marked present at the held meetings of the period."""
    held = held_meetings(filters).subquery()
    present = dict(db.session.execute(
        sa.select(held.c.municipality_id, sa.func.count(Attendance.id))
        .select_from(held).join(Attendance, Attendance.meeting_id == held.c.id)
        .where(Attendance.status == AttendanceStatus.PRESENT)
        .group_by(held.c.municipality_id)).all())
    sent = {m: (int(links or 0), int(paper or 0)) for m, links, paper in db.session.execute(
        sa.select(held.c.municipality_id, sa.func.sum(MeetingEvaluation.links_sent),
                  sa.func.sum(MeetingEvaluation.paper_count))
        .select_from(held).join(MeetingEvaluation, MeetingEvaluation.meeting_id == held.c.id)
        .group_by(held.c.municipality_id))}
    scores = _scores(filters)
    table = Table("respons-evaluatie", _l("Evaluation response"),
                  [_l("Municipality"), _l("People present"), _l("Answers"),
                   _l("Answered (%)"), _l("Personal links sent"), _l("Paper forms")],
                  chart_value=3,
                  note=_l("Answers to the evaluation compared with the people marked present "
                          "at the meetings. With the shared QR code there can be more answers "
                          "than people present. Numbers from 1 to 4 are shown as \"<5\", so "
                          "that nobody can be recognised."))
    for municipality in filters.municipalities:
        here = present.get(municipality.id, 0)
        answers = scores.get((municipality.id,), NO_SCORES).answers
        links, paper = sent.get(municipality.id, (0, 0))
        table.rows.append([municipality.name, shown(here), shown(answers),
                           _percent(answers, here), shown(links), shown(paper)])
    return table


# Confirmation --------------------------------------------------------------------------------

def changed_wishes_confirmed(filters: Filters) -> Table:
    """Wishes changed in the period and the verdict of the residents who answered."""
    answered = Wish.confirmation.is_not(None)  # a verdict as soon as anyone answered
    counts = {row[0]: [int(v) for v in row[1:]] for row in db.session.execute(
        sa.select(Wish.municipality_id, sa.func.count(Wish.id), _count_if(answered),
                  *[_count_if(Wish.confirmation == verdict) for verdict in Confirmation])
        .where(Wish.municipality_id.in_(filters.ids), Wish.changed_clause(),
               in_period(Wish.resolved_at, filters))
        .group_by(Wish.municipality_id))}
    labels = workflow.VERDICT_LABELS
    table = Table("bevestigd-door-inwoners", _l("Changed wishes confirmed by residents"),
                  [_l("Municipality"), _l("Wishes changed"), _l("Residents answered"),
                   *[labels[verdict] for verdict in Confirmation], _l("Confirmed (%)")],
                  chart_value=6,
                  note=_l("Wishes that an organisation changed in this period. Residents are "
                          "asked whether it really changed for them; a wish is confirmed when "
                          "everyone who answered said yes. The share is of all changed "
                          "wishes."))
    for municipality in filters.municipalities:
        changed, replied, *verdicts = counts.get(municipality.id, [0] * (2 + len(Confirmation)))
        yes = verdicts[list(Confirmation).index(Confirmation.YES)]
        table.rows.append([municipality.name, changed, replied, *verdicts,
                           _percent(yes, changed, people=False)])
    return table


# Practices -----------------------------------------------------------------------------------

def practices_taken_up(filters: Filters) -> Table:
    """Published practices from the chosen municipalities or proposed in them in the period:
    in how many other municipalities they were proposed, and in how many that wish changed."""
    is_changed = Wish.changed_clause()
    adoptions = (
        sa.select(PracticeAdoption.practice_id, PracticeAdoption.municipality_id,
                  sa.case((is_changed, PracticeAdoption.municipality_id)).label("changed_in"))
        .join(Practice, PracticeAdoption.practice_id == Practice.id)
        .outerjoin(Wish, PracticeAdoption.wish_id == Wish.id)
        .where(PracticeAdoption.municipality_id != Practice.municipality_id,
               in_period(PracticeAdoption.created_at, filters))).subquery()
    proposed_here = sa.select(adoptions.c.practice_id).where(
        adoptions.c.municipality_id.in_(filters.ids))
    taken_up = sa.func.count(sa.distinct(adoptions.c.municipality_id))
    changed = sa.func.count(sa.distinct(adoptions.c.changed_in))
    rows = db.session.execute(
        sa.select(Practice.title, Municipality.name, taken_up, changed)
        .join(Municipality, Practice.municipality_id == Municipality.id)
        .outerjoin(adoptions, adoptions.c.practice_id == Practice.id)
        .where(Practice.is_published.is_(True), Practice.published_at < filters.end_at,
               sa.or_(Practice.municipality_id.in_(filters.ids),
                      Practice.id.in_(proposed_here)))
        .group_by(Practice.id, Practice.title, Municipality.name)
        .order_by(taken_up.desc(), Practice.title, Practice.id)).all()
    table = Table("wat-werkt-overgenomen", _l("Practices taken up by other municipalities"),
                  [_l("Practice"), _l("Worked in"), _l("Proposed in other municipalities"),
                   _l("Changed there")], chart_value=2,
                  note=_l("Practices from \"what works\" that facilitators elsewhere proposed "
                          "in their own municipality in this period. \"Changed there\": in how "
                          "many of those municipalities the proposed wish has since led to a "
                          "change."))
    for title, municipality, proposed, changed_in in rows:
        table.rows.append([title, municipality, int(proposed), int(changed_in)])
    return table


def tables(filters: Filters) -> list[Table]:
    """The learning figures, in page order."""
    return [values_by_municipality(filters), values_by_series(filters),
            evaluation_response(filters), changed_wishes_confirmed(filters),
            practices_taken_up(filters)]
