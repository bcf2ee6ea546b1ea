"""The demo has a completed series with evaluations a facilitator can look at."""
from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.models import utcnow
from portal.learning.models import EvaluationResponse, Reflection
from portal.series.models import Series, SeriesStatus


def test_demo_has_evaluations_for_past_meetings_only_and_a_reflection(app, client):
    result = app.test_cli_runner().invoke(args=["portal", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        past = db.session.scalars(sa.select(Series).where(
            Series.status == SeriesStatus.COMPLETED)).one()
        assert past.title == "Samen aan tafel in Gendt"
        answered = db.session.scalars(sa.select(EvaluationResponse.meeting_id)).all()
        assert {m.id for m in past.meetings} == set(answered)  # none for future meetings
        assert all(m.ends_at < utcnow() for m in past.meetings)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Reflection)) >= 1
        series_id = past.id
    response = client.post_form("/account/inloggen", {"email": "sanne@ontmoetingen.example",
                                                      "password": "ontmoeten-demo"})
    assert response.status_code == 302
    html = client.get(f"/reeksen/{series_id}/evaluatie").get_data(as_text=True)
    assert "De brieven komen nu op dinsdag." in html
    assert "Meneer de V." not in html  # hidden by the facilitators
    assert "minder dan 5</td>" not in html  # every meeting has enough answers
