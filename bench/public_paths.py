"""The public pages worth measuring in the demo database."""
from __future__ import annotations

import sqlalchemy as sa


def public_paths(app) -> list[str]:
    from portal.extensions import db
    from portal.learning.models import Practice
    from portal.series.models import Series, SeriesStatus

    with app.app_context():
        series = db.session.scalars(
            sa.select(Series).where(Series.status == SeriesStatus.PUBLISHED)).first()
        practice_id = db.session.scalar(
            sa.select(Practice.id).where(Practice.published_at.is_not(None)).limit(1))
    paths = ["/", "/healthz", "/jij-zei-wij-deden/lingewaard",
             "/jij-zei-wij-deden/lingewaard/feed.atom", "/verhalen/lingewaard"]
    if series is not None:
        paths += [f"/reeks/{series.slug}", f"/reeks/{series.slug}/kalender.ics"]
    paths += ["/wat-werkt", "/wat-werkt/feed.atom"]
    if practice_id is not None:
        paths.append(f"/wat-werkt/{practice_id}")
    # Forms: they carry a CSRF token, so they set a session cookie by design.
    paths += ["/vertel", "/bon"] + ([f"/aanmelden/{series.slug}"] if series else [])
    return paths
