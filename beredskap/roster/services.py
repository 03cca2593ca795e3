"""Roster services: the hooks the app calls (demo seed, scheduled jobs, start page) and the public service API."""

from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.roster.alerting import (
    answer_alert,
    check_in_by_token,
    check_in_recipient,
    escalate_overdue_alerts,
    send_alert,
)
from beredskap.roster.board import get_alert, list_alerts, status_counts
from beredskap.roster.demo import seed_roster
from beredskap.roster.models import TEAM_TITLES, Alert, Position, Team
from beredskap.roster.queue import list_outbox, process_delivery_queue
from beredskap.roster.rota import team_gaps

__all__ = [
    "answer_alert",
    "check_in_by_token",
    "check_in_recipient",
    "escalate_overdue_alerts",
    "get_alert",
    "list_alerts",
    "list_outbox",
    "process_delivery_queue",
    "run_scheduled_jobs",
    "seed_demo",
    "send_alert",
    "start_page_panel",
]

PANEL_HORIZON = timedelta(hours=48)


def seed_demo() -> list[str]:
    """Fictitious crisis organisation for the Kristiansand demo (idempotent)."""
    return seed_roster()


def run_scheduled_jobs(now: datetime) -> None:
    """Every tick, in every process: escalate unanswered alerts, then send (and retry) queued messages."""
    escalate_overdue_alerts(now)
    process_delivery_queue(now)


def start_page_panel(user) -> dict | None:
    """The start page card: vacant functions, rota gaps in the next 48 hours, the latest alert."""
    if not user.can(Perm.ROSTER_READ):
        return None
    positions = list(db.session.scalars(select(Position)))
    if not positions:
        return None
    page = ("roster.roster_page", {})
    lines = []
    now = utcnow()
    gap_teams = [gettext(TEAM_TITLES[team]) for team in Team if team_gaps(team.value, now, now + PANEL_HORIZON)]
    vacant = [p.title for p in positions if p.holder_id is None]
    latest = db.session.scalar(select(Alert).order_by(Alert.id.desc()).limit(1))
    if latest is not None:
        counts = status_counts(latest)
        waiting = counts["sent"] + counts["failed"] + counts["escalated"]
        latest_values = {
            "group": latest.group_title,
            "coming": counts["acknowledged"],
            "declined": counts["declined"],
            "waiting": waiting,
        }
        if latest.exercise:
            text = gettext(
                "ØVELSE – Siste varsling: %(group)s – %(coming)s kommer, %(declined)s kan ikke, "
                "%(waiting)s venter på svar",
                **latest_values,
            )
        else:
            text = gettext(
                "Siste varsling: %(group)s – %(coming)s kommer, %(declined)s kan ikke, %(waiting)s venter på svar",
                **latest_values,
            )
        lines.append({"text": text, "page": page})
    lines.append(
        {"text": gettext("%(n)s funksjoner, %(vacant)s ubesatt", n=len(positions), vacant=len(vacant)), "page": page}
    )
    if vacant:
        names = ", ".join(vacant[:4]) + (" …" if len(vacant) > 4 else "")
        lines.append({"text": gettext("Ubesatt: %(names)s", names=names)})
    panel: dict = {"title": gettext("Kriseorganisasjon"), "lines": lines}
    if gap_teams:
        panel["warning"] = gettext("Hull i vaktlisten neste 48 timer: %(teams)s", teams=", ".join(gap_teams))
        lines.append({"text": gettext("Se vaktlisten"), "page": ("roster.schedule_page", {})})
    return panel
