"""Exercise lookups: one exercise or inject, the scenario view of a plan, its clock, the § 7 plan clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.clock import utcnow
from beredskap.domain_errors import NotFound
from beredskap.exercises.models import Exercise, ExerciseStatus, Inject
from beredskap.exercises.planclock import clock_warning, format_day, plan_clock
from beredskap.exercises.schedule import exercise_elapsed
from beredskap.extensions import db
from beredskap.lookup import get_or_not_found
from beredskap.vocabulary import OSLO

MAX_TEXT = 4000


def get_exercise(exercise_id: int) -> Exercise:
    """Return the exercise or raise 404."""
    return get_or_not_found(Exercise, exercise_id, gettext("Ukjent øvelse."))


def get_inject(inject_id: int) -> Inject:
    """Return the inject or raise 404."""
    return get_or_not_found(Inject, inject_id, gettext("Ukjent innspill."))


def lock_exercise(exercise_id: int) -> Exercise | None:
    """Read the exercise with a row lock (PostgreSQL), fresh from the database."""
    stmt = (
        select(Exercise).where(Exercise.id == exercise_id).with_for_update().execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).first()


def locked_exercise(exercise_id: int) -> Exercise:
    exercise = lock_exercise(exercise_id)
    if exercise is None:
        raise NotFound(gettext("Ukjent øvelse."))
    return exercise


def list_exercises() -> list[Exercise]:
    """Return every exercise, the newest plan first."""
    return list(db.session.scalars(select(Exercise).order_by(Exercise.date.desc(), Exercise.id.desc())))


def scenario_of(exercise: Exercise) -> dict[str, Any]:
    """Return the exercise as a scenario (the structure of the YAML files and of POST /exercises)."""
    return {
        "title": exercise.title,
        "form": exercise.form,
        "purpose": exercise.purpose,
        "date": exercise.date.isoformat() if exercise.date else None,
        "location": exercise.location,
        "duration": exercise.duration,
        "participants": list(exercise.participants or []),
        "scenario": exercise.scenario,
        "ground_rules": list(exercise.ground_rules or []),
        "objectives": [objective.to_dict() for objective in exercise.objectives],
        "injects": [inject.scenario_dict() for inject in exercise.injects],
        "notes": exercise.notes,
    }


def recipients_of(exercise: Exercise) -> list[str]:
    """Return the roles that take part or receive injects, in the order they first appear."""
    roles: list[str] = []
    for role in [p.get("role") for p in exercise.participants or []] + [i.recipient for i in exercise.injects]:
        if role and role not in roles and role not in ("øvingsledelse", "spillstab"):
            roles.append(role)
    return roles


def exercise_clock(exercise: Exercise, now: datetime) -> float | None:
    """Return seconds passed on the exercise clock, or None before the clock has started."""
    if exercise.clock_origin is None:
        return None
    end = exercise.finished_at if exercise.status == ExerciseStatus.FINISHED and exercise.finished_at else now
    return exercise_elapsed(
        started_at=exercise.clock_origin,
        now=end,
        speed=exercise.speed,
        paused_seconds=exercise.paused_seconds,
        paused_since=exercise.paused_since,
    )


def parse_day(value: str | None) -> date | None:
    """Return the date of an ISO text (YYYY-MM-DD), None for None."""
    return date.fromisoformat(value) if value else None


def running_exercises() -> list[Exercise]:
    """The exercises running or paused now, oldest first."""
    return list(
        db.session.scalars(
            select(Exercise)
            .where(Exercise.status.in_((ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)))
            .order_by(Exercise.id)
        )
    )


def last_plan_exercise() -> Exercise | None:
    """The most recent finished exercise that tests the preparedness plan."""
    return db.session.scalars(
        select(Exercise)
        .where(
            Exercise.status == ExerciseStatus.FINISHED,
            Exercise.counts_for_plan.is_(True),
            Exercise.held_on.is_not(None),
        )
        .order_by(Exercise.held_on.desc(), Exercise.id.desc())
        .limit(1)
    ).first()


def plan_clock_status(today: date | None = None) -> dict[str, Any]:
    """The § 7 clock as plain data: state, last exercised (and by which exercise), due date, warning."""
    today = today or utcnow().astimezone(OSLO).date()
    last = last_plan_exercise()
    clock = plan_clock(last.held_on if last else None, today)
    return {
        "state": clock.state,
        "last_exercised": clock.last_exercised.isoformat() if clock.last_exercised else None,
        "last_exercise": {"id": last.id, "title": last.title} if last else None,
        "due": clock.due.isoformat() if clock.due else None,
        "last_exercised_text": format_day(clock.last_exercised) if clock.last_exercised else None,
        "due_text": format_day(clock.due) if clock.due else None,
        "days_left": clock.days_left,
        "warning": clock_warning(clock),
    }
