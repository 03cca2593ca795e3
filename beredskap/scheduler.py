"""Periodic jobs in the server process (inject delivery, alert escalation, retention purge).

Each job must be safe to run in several processes at once: it claims work with a conditional UPDATE
so that exactly one process acts on each item.
"""

import logging

from flask import Flask, current_app

from beredskap.extensions import db, socketio

log = logging.getLogger(__name__)


def run_jobs_once() -> None:
    from beredskap.clock import utcnow

    # Each domain's `run_scheduled_jobs(now)`, as beredskap/domains.py lists them.
    for job in current_app.extensions["beredskap.domains"].scheduled_jobs:
        try:
            job(utcnow())
        except Exception as err:  # noqa: BLE001 - one failing job must not stop the others
            db.session.rollback()
            log.warning("scheduled job %s failed: %s", job.__module__, type(err).__name__)
        finally:
            db.session.remove()


def start_scheduler(app: Flask) -> None:
    if not app.config.get("SCHEDULER_ENABLED"):
        return
    interval = app.config.get("SCHEDULER_INTERVAL", 1.0)

    def loop() -> None:
        while True:
            with app.app_context():
                run_jobs_once()
            socketio.sleep(interval)

    socketio.start_background_task(loop)
