"""What an exercise adds to the board of its incident: the clock, its state and the injects, as each role may see them.

The control room (Perm.EXERCISE_CONTROL) gets the dreiebok still to come; everyone else only what is delivered, so a
player's board data never holds an inject before its time (the channel carries nothing more: an inject enters the
journal only with `inject.delivered`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.domain_errors import NotFound
from beredskap.exercises.models import EXERCISE_STATUS_TITLES, Exercise, ExerciseStatus, Inject, InjectState
from beredskap.exercises.queries import exercise_clock
from beredskap.exercises.schedule import seconds_until_due
from beredskap.extensions import db

# What the control room expects of the players, and its own notes, are not for the players to read.
CONTROL_ONLY_FIELDS = ("expected", "notes")


def exercise_of_incident(incident_id: int) -> Exercise | None:
    """The exercise that runs on this incident, if any."""
    return db.session.scalars(select(Exercise).where(Exercise.incident_id == incident_id).limit(1)).first()


def _inject_view(inject: Inject, control: bool) -> dict[str, Any]:
    data = inject.to_dict()
    if not control:
        for key in CONTROL_ONLY_FIELDS:
            data.pop(key, None)
    return data


def _next_due_in(exercise: Exercise, inject: Inject, now: datetime) -> float | None:
    if exercise.clock_origin is None or exercise.status == ExerciseStatus.FINISHED:
        return None
    return seconds_until_due(
        inject.to_dict(),
        started_at=exercise.clock_origin,
        now=now,
        speed=exercise.speed,
        paused_seconds=exercise.paused_seconds,
        paused_since=exercise.paused_since,
    )


def board_panel(incident_id: int, user: Any, now: datetime | None = None) -> dict[str, Any] | None:
    """The exercise panel of an incident's board for this user; None when no exercise runs on the incident."""
    exercise = exercise_of_incident(incident_id)
    if exercise is None:
        return None
    now = now or utcnow()
    control = bool(user is not None and user.can(Perm.EXERCISE_CONTROL))
    delivered = sorted(
        (i for i in exercise.injects if i.state == InjectState.DELIVERED),
        key=lambda inject: (inject.delivered_at or now, inject.no),
    )
    panel: dict[str, Any] = {
        "exercise_id": exercise.id,
        "incident_id": incident_id,
        "title": exercise.title,
        "status": exercise.status,
        "status_title": EXERCISE_STATUS_TITLES.get(exercise.status, exercise.status),
        "status_titles": {str(k): v for k, v in EXERCISE_STATUS_TITLES.items()},
        "speed": exercise.speed,
        "paused": exercise.paused_since is not None,
        "elapsed_seconds": exercise_clock(exercise, now),
        "now": now.isoformat(),
        "control": control,
        # Which pages to link to; `exercises.views.board_panel` turns them into URLs (the web layer's job).
        "pages": {
            "control": ("exercises.control_page", {"exercise_id": exercise.id}) if control else None,
            "player": ("exercises.player_page", {"exercise_id": exercise.id}),
        },
        "delivered": [_inject_view(i, control) for i in delivered],
    }
    if control:
        pending = [i for i in exercise.injects if i.state == InjectState.PENDING]
        panel["pending"] = [_inject_view(i, control) for i in pending]
        panel["next_due_in"] = _next_due_in(exercise, pending[0], now) if pending else None
        panel["skipped"] = sum(1 for i in exercise.injects if i.state == InjectState.SKIPPED)
    return panel


def board_panel_or_404(incident_id: int, user: Any) -> dict[str, Any]:
    panel = board_panel(incident_id, user)
    if panel is None:
        raise NotFound(gettext("Ingen øvelse kjører på denne hendelsen."))
    return panel
