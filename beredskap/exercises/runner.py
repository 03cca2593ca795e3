"""Running an exercise: start it with its incident, pause, resume, change speed, finish."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, update

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.exercises.models import Exercise, ExerciseStatus
from beredskap.exercises.queries import OSLO, exercise_clock, get_exercise, locked_exercise, scenario_of
from beredskap.exercises.scenario import ScenarioError, validate_scenario
from beredskap.extensions import db
from beredskap.incidents.models import Incident, IncidentKind, IncidentStatus, IncidentType
from beredskap.incidents.services import open_incident, update_incident
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

MAX_SPEED = 10_000.0


# A start that claimed the exercise but never linked its incident (the process died) may be retried after this.
STUCK_START = timedelta(minutes=2)


# Words in an exercise title that tell which kind of incident it plays; the board offers that type's action cards.
_TYPE_WORDS = (
    (("flom", "ras", "skred"), IncidentType.FLOM),
    (("brann", "røyk"), IncidentType.BRANN),
    (("eksplosjon", "gass"), IncidentType.EKSPLOSJON),
    (("ulykke", "kollisjon", "e18", "e39"), IncidentType.ULYKKE),
    (("terror", "skyting", "vold", "pågående livstruende"), IncidentType.VOLD),
    (("pandemi", "smitte", "epidemi"), IncidentType.PANDEMI),
    (("storm", "uvær", "ekstremvær", "orkan"), IncidentType.EKSTREMVAER),
    (("ikt", "dataangrep", "løsepengevirus", "cyber", "strømbrudd"), IncidentType.IKT),
)


def _validate_speed(speed: Any) -> float:
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0 < float(speed) <= MAX_SPEED:
        raise Invalid(
            "invalid",
            gettext("Hastigheten må være et tall større enn 0 og høyst %(max)s.", max=format(MAX_SPEED, "g")),
            {"speed": "ugyldig"},
        )
    return float(speed)


def _incident_type_for(exercise: Exercise) -> str:
    title = exercise.title.casefold()
    for words, incident_type in _TYPE_WORDS:
        if any(word in title for word in words):
            return incident_type
    return IncidentType.ANNET


@transactional
def _claim_start(exercise_id: int, speed: float, now: datetime) -> bool:
    table = Exercise.__table__
    stuck = and_(
        table.c.status == ExerciseStatus.RUNNING,
        table.c.incident_id.is_(None),
        table.c.clock_origin.is_(None),
        table.c.updated_at < now - STUCK_START,
    )
    result = db.session.execute(
        update(table)
        .where(table.c.id == exercise_id, (table.c.status == ExerciseStatus.PLANNED) | stuck)
        .values(status=ExerciseStatus.RUNNING, speed=speed, updated_at=now, version=table.c.version + 1)
    )
    db.session.commit()
    return result.rowcount == 1


@transactional
def _release_start(exercise_id: int) -> None:
    table = Exercise.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == exercise_id, table.c.incident_id.is_(None), table.c.clock_origin.is_(None))
        .values(status=ExerciseStatus.PLANNED, version=table.c.version + 1)
    )
    db.session.commit()


@transactional
def _link_incident(exercise_id: int, incident_id: int, now: datetime, actor: User | None) -> Exercise:
    exercise = get_exercise(exercise_id)
    db.session.refresh(exercise)
    exercise.incident_id = incident_id
    exercise.started_at = now
    exercise.clock_origin = now
    exercise.paused_seconds = 0.0
    exercise.paused_since = None
    exercise.updated_at = now
    db.session.flush()
    append_event(
        f"incident:{incident_id}",
        "exercise.started",
        {
            "exercise_id": exercise.id,
            "title": exercise.title,
            "speed": exercise.speed,
            "started_at": now.isoformat(),
            "injects": len(exercise.injects),
        },
        actor_id=actor.id if actor else None,
    )
    record_audit(
        "exercise.start",
        "exercise",
        exercise.id,
        actor=actor,
        meta={"incident_id": incident_id, "speed": exercise.speed},
    )
    db.session.commit()
    return exercise


def start_exercise(
    exercise_id: int, *, speed: float | None = None, actor: User | None = None, now: datetime | None = None
) -> Exercise:
    """Start the exercise: open its incident (kind `exercise`) and start the clock; injects follow at `at / speed`.

    The exercise is claimed first (status planned → running with a conditional UPDATE), so a double click or two
    control rooms start it once.
    """
    exercise = get_exercise(exercise_id)
    speed = _validate_speed(exercise.speed if speed is None else speed)
    try:
        validate_scenario(scenario_of(exercise))
    except ScenarioError as err:
        raise Conflict(
            "incomplete_plan", gettext("Øvelsen kan ikke starte før planen er komplett: %(error)s", error=str(err))
        ) from None
    now = now or utcnow()
    title, description, incident_type = exercise.title, exercise.scenario or "", _incident_type_for(exercise)
    if not _claim_start(exercise_id, speed, now):
        raise Conflict("already_started", gettext("Øvelsen er allerede startet eller gjennomført."))
    try:
        incident = open_incident(
            title=title, kind=IncidentKind.EXERCISE, type_=incident_type, description=description, actor=actor
        )
    except Exception:
        _release_start(exercise_id)
        raise
    return _link_incident(exercise_id, incident.id, now, actor)


def _clock_event(exercise: Exercise, type_: str, now: datetime, actor: User | None, **extra: Any) -> None:
    """The clock changed: stamp and flush the exercise, and tell its incident's channel (when it has one)."""
    exercise.updated_at = now
    db.session.flush()
    if exercise.incident_id is None:
        return
    data = {
        "exercise_id": exercise.id,
        "status": exercise.status,
        "speed": exercise.speed,
        "elapsed_seconds": round(exercise_clock(exercise, now) or 0.0, 1),
        **extra,
    }
    append_event(f"incident:{exercise.incident_id}", type_, data, actor_id=actor.id if actor else None)


@transactional
def pause_exercise(exercise_id: int, *, actor: User | None = None, now: datetime | None = None) -> Exercise:
    """Stop the exercise clock; no inject is delivered until it resumes."""
    now = now or utcnow()
    exercise = locked_exercise(exercise_id)
    if exercise.status != ExerciseStatus.RUNNING or exercise.clock_origin is None:
        raise Conflict("not_running", gettext("Øvelsen går ikke, så den kan ikke pauses."))
    exercise.status = ExerciseStatus.PAUSED
    exercise.paused_since = now
    _clock_event(exercise, "exercise.paused", now, actor)
    db.session.commit()
    return exercise


@transactional
def resume_exercise(exercise_id: int, *, actor: User | None = None, now: datetime | None = None) -> Exercise:
    """Start the exercise clock again where it stopped."""
    now = now or utcnow()
    exercise = locked_exercise(exercise_id)
    if exercise.status != ExerciseStatus.PAUSED:
        raise Conflict("not_paused", gettext("Øvelsen er ikke pauset."))
    if exercise.paused_since is not None:
        exercise.paused_seconds += max(0.0, (now - exercise.paused_since).total_seconds())
    exercise.paused_since = None
    exercise.status = ExerciseStatus.RUNNING
    _clock_event(exercise, "exercise.resumed", now, actor)
    db.session.commit()
    return exercise


@transactional
def set_speed(exercise_id: int, speed: float, *, actor: User | None = None, now: datetime | None = None) -> Exercise:
    """Change the speed; while running the clock continues from where it stands, without a jump."""
    now = now or utcnow()
    speed = _validate_speed(speed)
    exercise = locked_exercise(exercise_id)
    if exercise.status == ExerciseStatus.FINISHED:
        raise Conflict("finished", gettext("Øvelsen er gjennomført."))
    elapsed = exercise_clock(exercise, now)
    if elapsed is not None:
        # Move the origin so that the new speed gives the same elapsed time now (or at the start of the pause).
        reference = exercise.paused_since or now
        exercise.clock_origin = reference - timedelta(seconds=elapsed / speed)
        exercise.paused_seconds = 0.0
    exercise.speed = speed
    _clock_event(exercise, "exercise.speed_changed", now, actor)
    db.session.commit()
    return exercise


@transactional
def _mark_finished(exercise_id: int, held_on: date | None, actor: User | None, now: datetime) -> Exercise:
    exercise = locked_exercise(exercise_id)
    if exercise.status == ExerciseStatus.FINISHED:
        raise Conflict("finished", gettext("Øvelsen er allerede gjennomført."))
    if exercise.status == ExerciseStatus.RUNNING and exercise.clock_origin is None:
        raise Conflict("starting", gettext("Øvelsen holder på å starte. Prøv igjen om litt."))
    if exercise.paused_since is not None:
        exercise.paused_seconds += max(0.0, (now - exercise.paused_since).total_seconds())
        exercise.paused_since = None
    exercise.status = ExerciseStatus.FINISHED
    exercise.finished_at = now
    exercise.held_on = held_on or now.astimezone(OSLO).date()
    _clock_event(exercise, "exercise.finished", now, actor)
    record_audit(
        "exercise.finish", "exercise", exercise.id, actor=actor, meta={"held_on": exercise.held_on.isoformat()}
    )
    db.session.commit()
    return exercise


def finish_exercise(
    exercise_id: int, *, held_on: date | None = None, actor: User | None = None, now: datetime | None = None
) -> Exercise:
    """End the exercise (also one held without the system, e.g. a discussion exercise) and close its incident.

    The day it was held is recorded for the § 7 clock.
    """
    now = now or utcnow()
    exercise = _mark_finished(exercise_id, held_on, actor, now)
    incident = db.session.get(Incident, exercise.incident_id) if exercise.incident_id else None
    if incident is not None and incident.status != IncidentStatus.CLOSED:
        update_incident(incident.id, {"status": IncidentStatus.CLOSED}, incident.version, actor=actor)
    return get_exercise(exercise_id)
