"""Run one job in several threads at the same moment, as several workers would."""
from __future__ import annotations

import threading

from portal.extensions import db


def run_at_once(app, job, *args, workers: int = 2) -> list:
    """Start `job(*args)` in `workers` threads together, each in its own app context and
    transaction (committed at the end), and return what each returned. Errors are raised."""
    start = threading.Barrier(workers)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                results.append(job(*args))
                db.session.commit()
                db.session.remove()
        except Exception as error:  # pragma: no cover - raised below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    assert len(results) == workers, "a worker did not finish in time"
    return results
