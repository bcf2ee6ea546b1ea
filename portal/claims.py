"""Row claims for background jobs: two workers at once never take the same row.

A claimable table has `id`, `status`, `next_attempt_at` and `claimed_until`. A claim sets the
status to "sending" until `claimed_until`; a claim that ran out belongs to a worker that died and
may be taken over (the caller's `due` condition says so).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal.database import is_postgresql
from portal.extensions import db


def claim_due_rows(model, due: sa.ColumnElement[bool], *, sending_status,
                   claimed_until: datetime, limit: int) -> list[int]:
    """Claim up to `limit` rows matching `due`, oldest first, and commit the claim."""
    candidates = (sa.select(model.id).where(due)
                  .order_by(model.next_attempt_at, model.id).limit(limit))
    claim = sa.update(model).values(status=sending_status, claimed_until=claimed_until)
    options = {"synchronize_session": False}
    if is_postgresql():
        ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(claim.where(model.id.in_(ids)), execution_options=options)
    else:
        # SQLite has one writer at a time: read the candidates, end that read, then claim each
        # with an UPDATE that still demands the row be due. Another worker's claim makes it 0.
        found = list(db.session.scalars(candidates))
        db.session.commit()
        ids = [row_id for row_id in found
               if db.session.execute(claim.where(model.id == row_id, due),
                                     execution_options=options).rowcount == 1]
    db.session.commit()
    return ids
