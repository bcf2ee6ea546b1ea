"""The background jobs. Each is idempotent and claims its own rows, so two workers never do the
same piece of work twice; each is also a `flask portal <name>` command of its own."""
from __future__ import annotations

import importlib
import logging
import signal
import time
from dataclasses import dataclass

import click

from portal.extensions import db

log = logging.getLogger("portal.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    target: str  # "module:function"; the function returns a short summary of what it did
    interval_seconds: int
    help: str

    def run(self):
        module, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module), function)()


JOBS: tuple[Job, ...] = (
    Job("send-mail", "portal.mail.delivery:deliver_due", 20,
        "Deliver pending mail from the outbox, retrying failures with backoff."),
    Job("send-reminders", "portal.registrations.reminders:send_reminders", 15 * 60,
        "E-mail registrants a reminder some days before each meeting (once each)."),
    Job("send-evaluation-links", "portal.learning.evaluation_links:send_evaluation_links", 10 * 60,
        "E-mail each participant a personal evaluation link after a meeting (once per meeting)."),
    Job("send-follow-ups", "portal.learning.follow_up:send_follow_ups", 3600,
        "E-mail the check-ins months after a series to those who asked (each round once)."),
    Job("send-webhooks", "portal.webhooks.delivery:deliver_webhooks", 30,
        "POST queued webhooks to organisations' systems, signed, retrying with backoff."),
    Job("send-digests", "portal.digests.service:send_digests", 3600,
        "Weekly e-mail of open and overdue wishes (once per person per week, from Monday 7:00)."),
    Job("ask-confirmations", "portal.wishes.confirmations:ask_confirmations", 3600,
        "Ask the people who raised a changed wish whether it really changed (once per change)."),
    Job("purge", "portal.retention:purge", 6 * 3600,
        "Erase personal data whose retention period has ended."),
)


def run_job(job: Job) -> str:
    try:
        summary = job.run()
        db.session.commit()
        return str(summary)
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def run_worker(once: bool = False, sleep_seconds: float = 2.0) -> None:
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    next_run = {job.name: 0.0 for job in JOBS}
    click.echo(f"Worker started: {', '.join(job.name for job in JOBS)}")
    while not stopping:
        for job in JOBS:
            if stopping or time.monotonic() < next_run[job.name]:
                continue
            try:
                summary = run_job(job)
                if summary and summary != "0":
                    log.info("%s: %s", job.name, summary)
            except Exception:
                # One failing job must not stop the others; it is tried again next round.
                log.exception("job %s failed", job.name)
            next_run[job.name] = time.monotonic() + job.interval_seconds
        if once:
            break
        time.sleep(sleep_seconds)


def register_job_commands(group: click.Group) -> None:
    for job in JOBS:
        def command(job=job):
            click.echo(f"{job.name}: {run_job(job)}")

        group.command(job.name, help=job.help)(command)
