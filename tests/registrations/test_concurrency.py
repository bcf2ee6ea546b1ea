"""Overbooking is impossible: many people at once, through gunicorn with several processes.

Run alone with `pytest -m concurrency` (on SQLite, and with TEST_DATABASE=postgresql).
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.registrations import service
from portal.registrations.models import Registration, RegistrationStatus
from tests.registrations.helpers import form_data, hidden_fields

pytestmark = pytest.mark.concurrency

SIGN_UPS = 50
SEATS = 10
ROUNDS = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(app, base_config, tmp_path_factory):
    """The portal under gunicorn: 2 worker processes with 4 threads each, on the test database."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("gunicorn")  # no gunicorn.conf.py picked up from here
    log = workdir / "gunicorn.log"
    env = {**os.environ,
           "DATABASE_URL": base_config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": base_config["SECRET_KEY"],
           "PORTAL_ENV": "development", "MAIL_SERVER": "",
           "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
           "BASE_URL": f"http://127.0.0.1:{port}",
           # Fifty people from one address (this test) would otherwise hit the spam limit.
           "REGISTRATION_RATE_LIMIT": "100000"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(gunicorn), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
             "--timeout", "60", "portal:create_app()"],
            cwd=workdir, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:  # not listening yet, or still starting up
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail("gunicorn did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    errors = [line for line in log.read_text().splitlines()
              if "unhandled" in line or "Traceback" in line]
    assert errors == [], "\n".join(errors)


class Browser:
    """One person's browser: its own cookies (session, CSRF)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()


def _run_together(tasks):
    """Prepare every task first, then fire all POSTs at the same moment (a barrier)."""
    barrier = threading.Barrier(len(tasks))

    def run(task):
        prepare, fire = task
        prepared = prepare()
        barrier.wait(timeout=60)
        return fire(prepared)

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


def _sign_up_task(base: str, slug: str, email: str):
    browser = Browser(base)

    def prepare():
        status, _, page = browser.get(f"/aanmelden/{slug}")
        assert status == 200
        return {**hidden_fields(page), **form_data(email=email, display_name=email.split("@")[0])}

    def fire(data):
        return browser.post(f"/aanmelden/{slug}", data)

    return prepare, fire


def _cancel_task(base: str, token: str):
    browser = Browser(base)

    def prepare():
        status, _, page = browser.get(f"/aanmelding/{token}/afmelden")
        assert status == 200
        return hidden_fields(page)

    def fire(data):
        return browser.post(f"/aanmelding/{token}/afmelden", data)

    return prepare, fire


def _position(page: str) -> int | None:
    if "Je bent aangemeld." in page:
        return None
    match = re.search(r"Je bent nummer (\d+)\.", page)
    assert match, page[:2000]
    return int(match.group(1))


def _status_counts(series_id: int) -> dict[RegistrationStatus, int]:
    return dict(db.session.execute(
        sa.select(Registration.status, sa.func.count(Registration.id))
        .where(Registration.series_id == series_id).group_by(Registration.status)).all())


def test_fifty_at_once_for_ten_seats_never_overbooks(app_context, server, reg):
    for round_number in range(ROUNDS):
        series = reg.create_series(capacity=SEATS)
        db.session.commit()
        results = _run_together([
            _sign_up_task(server, series.slug, f"r{round_number}p{n}@example.org")
            for n in range(SIGN_UPS)])
        assert [status for status, _, _ in results] == [200] * SIGN_UPS
        assert all("/bevestiging" in url for _, url, _ in results)
        positions = [_position(page) for _, _, page in results]
        assert positions.count(None) == SEATS
        assert sorted(p for p in positions if p is not None) == list(range(1, SIGN_UPS - SEATS + 1))

        db.session.rollback()  # a fresh snapshot: see what the server committed
        assert _status_counts(series.id) == {RegistrationStatus.CONFIRMED: SEATS,
                                             RegistrationStatus.WAITING: SIGN_UPS - SEATS}
        seats = db.session.scalars(sa.select(Registration.seat_number).where(
            Registration.series_id == series.id,
            Registration.status == RegistrationStatus.CONFIRMED)).all()
        assert sorted(seats) == list(range(1, SEATS + 1))
        assert [service.waiting_position(r) for r in service.waiting_list(series)] == \
            list(range(1, SIGN_UPS - SEATS + 1))


def test_cancellations_racing_sign_ups_promote_in_order(app_context, server, reg):
    for round_number in range(3):
        series = reg.create_series(capacity=SEATS)
        db.session.commit()
        seated = [reg.register(series, email=f"r{round_number}seat{n}@example.org")
                  for n in range(SEATS)]
        waiting = [reg.register(series, email=f"r{round_number}wait{n}@example.org").registration
                   for n in range(15)]
        waiting_ids = [r.id for r in waiting]
        db.session.commit()
        mails_before = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0

        over_capacity = []
        stop = threading.Event()

        def watch(series_id=series.id, engine=db.engine):
            while not stop.is_set():
                with engine.connect() as conn:
                    confirmed = conn.execute(sa.select(sa.func.count(Registration.id)).where(
                        Registration.series_id == series_id,
                        Registration.status == RegistrationStatus.CONFIRMED)).scalar()
                if confirmed > SEATS:
                    over_capacity.append(confirmed)
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            tasks = [_cancel_task(server, outcome.token) for outcome in seated]
            tasks += [_sign_up_task(server, series.slug, f"r{round_number}new{n}@example.org")
                      for n in range(10)]
            results = _run_together(tasks)
        finally:
            stop.set()
            watcher.join()
        assert [status for status, _, _ in results] == [200] * len(tasks)
        assert over_capacity == []

        db.session.rollback()  # a fresh snapshot: see what the server committed
        confirmed_ids = db.session.scalars(sa.select(Registration.id).where(
            Registration.series_id == series.id,
            Registration.status == RegistrationStatus.CONFIRMED)).all()
        assert sorted(confirmed_ids) == waiting_ids[:SEATS]  # the first ten, in order
        still_waiting = service.waiting_list(series)
        assert [r.id for r in still_waiting[:5]] == waiting_ids[SEATS:]
        assert [service.waiting_position(r) for r in still_waiting] == list(range(1, 16))

        promotions = db.session.scalars(sa.select(OutboxMessage.to_address).where(
            OutboxMessage.id > mails_before,
            OutboxMessage.subject.startswith("Er is plek voor je"))).all()
        assert sorted(promotions) == sorted(f"r{round_number}wait{n}@example.org"
                                            for n in range(SEATS))


def test_the_same_form_sent_twice_at_the_same_moment_registers_once(app_context, server, reg):
    series = reg.create_series(capacity=SEATS)
    db.session.commit()
    browser = Browser(server)
    _, _, page = browser.get(f"/aanmelden/{series.slug}")
    data = {**hidden_fields(page), **form_data()}
    second_browser_tab = browser
    results = _run_together([(lambda: data, lambda d: browser.post(f"/aanmelden/{series.slug}", d)),
                             (lambda: data,
                              lambda d: second_browser_tab.post(f"/aanmelden/{series.slug}", d))])
    assert [status for status, _, _ in results] == [200, 200]
    assert results[0][1] == results[1][1]  # the same confirmation page
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
        Registration.series_id == series.id)) == 1
