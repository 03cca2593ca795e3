"""Exercise services: plan and dreiebok, running with live injects, observation, evaluation, replay and deletion."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.errors import ApiError
from beredskap.exercises.models import (
    Exercise,
    ExerciseStatus,
    Inject,
    InjectState,
    Objective,
)
from beredskap.exercises.planclock import clock_warning, format_day, plan_clock
from beredskap.exercises.replay import board_state, timeline
from beredskap.exercises.scenario import (
    ScenarioError,
    dump_dreiebok_csv,
    dump_scenario_yaml,
    parse_dreiebok_csv,
    parse_scenario_yaml,
    validate_scenario,
)
from beredskap.exercises.schedule import exercise_elapsed, offset_seconds, seconds_until_due
from beredskap.extensions import db
from beredskap.incidents.models import Incident, IncidentKind, IncidentStatus, IncidentType
from beredskap.incidents.services import open_incident, update_incident
from beredskap.realtime import catchup
from beredskap.realtime.journal import append_event, events_since, events_until
from beredskap.realtime.models import Channel, Event
from beredskap.routing import is_digits
from beredskap.transaction import transactional

OSLO = ZoneInfo("Europe/Oslo")
LIBRARY = Path(__file__).resolve().parents[2] / "exercises"
MAX_SPEED = 10_000.0
MAX_TEXT = 4000
# A start that claimed the exercise but never linked its incident (the process died) may be retried after this.
STUCK_START = timedelta(minutes=2)
# Placeholders that let a plan be saved before it has objectives or injects; a real value can never equal them.
_PAD_OBJECTIVE = "\x00"
_PLAN_FIELDS = (
    "title",
    "form",
    "purpose",
    "date",
    "location",
    "duration",
    "participants",
    "scenario",
    "ground_rules",
    "notes",
)
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


# ------------------------------------------------------------------------------------------------ reading


def get_exercise(exercise_id: int) -> Exercise:
    """Return the exercise or raise 404."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None:
        raise ApiError(404, "not_found", "Ukjent øvelse.")
    return exercise


def get_inject(inject_id: int) -> Inject:
    """Return the inject or raise 404."""
    inject = db.session.get(Inject, inject_id)
    if inject is None:
        raise ApiError(404, "not_found", "Ukjent innspill.")
    return inject


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


def _invalid(err: ScenarioError) -> ApiError:
    return ApiError(422, "invalid_scenario", str(err), {"line": err.line} if err.line is not None else None)


def _require_planned(exercise: Exercise) -> None:
    if exercise.status != ExerciseStatus.PLANNED:
        raise ApiError(409, "not_planned", "Planen og dreieboka kan bare endres før øvelsen starter.")


def _validate_plan(plan: Mapping[str, Any]) -> dict[str, Any]:
    """validate_scenario, except that a plan being written may lack objectives or injects for now."""
    padded = dict(plan)
    if not plan.get("objectives"):
        padded["objectives"] = [{"id": _PAD_OBJECTIVE, "text": "-"}]
    if not plan.get("injects"):
        padded["injects"] = [{"no": 1, "at": "00:00", "text": "-"}]
    try:
        valid = validate_scenario(padded)
    except ScenarioError as err:
        raise _invalid(err) from None
    if not plan.get("objectives"):
        valid["objectives"] = []
        if any(inject["objective"] for inject in valid["injects"]):
            raise ApiError(422, "invalid_scenario", "Innspillene viser til øvingsmål, men planen har ingen mål.")
    if not plan.get("injects"):
        valid["injects"] = []
    return valid


def parse_day(value: str | None) -> date | None:
    """Return the date of an ISO text (YYYY-MM-DD), None for None."""
    return date.fromisoformat(value) if value else None


def _write_plan(exercise: Exercise, valid: Mapping[str, Any], *, with_dreiebok: bool = True) -> None:
    """Set the plan fields, and with `with_dreiebok` the objectives and injects, from a validated scenario."""
    exercise.title = valid["title"]
    exercise.form = valid["form"]
    exercise.purpose = valid["purpose"]
    exercise.date = parse_day(valid["date"])
    exercise.location = valid["location"]
    exercise.duration = valid["duration"]
    exercise.participants = list(valid["participants"])
    exercise.scenario = valid["scenario"]
    exercise.ground_rules = list(valid["ground_rules"])
    exercise.notes = valid["notes"]
    exercise.updated_at = utcnow()
    if with_dreiebok:
        _write_objectives(exercise, valid["objectives"])
        _write_injects(exercise, valid["injects"])


def _write_objectives(exercise: Exercise, objectives: list[Mapping[str, Any]]) -> None:
    # Objectives are matched by code so evaluations made against them survive an edit of the text.
    existing = {objective.code: objective for objective in exercise.objectives}
    kept = []
    for position, item in enumerate(objectives):
        objective = existing.pop(item["id"], None) or Objective(code=item["id"])
        objective.text = item["text"]
        objective.indicators = list(item["indicators"])
        objective.position = position
        kept.append(objective)
    exercise.objectives = kept


def _write_injects(exercise: Exercise, injects: list[Mapping[str, Any]]) -> None:
    existing = {inject.no: inject for inject in exercise.injects}
    kept = []
    for item in injects:
        inject = existing.pop(item["no"], None) or Inject(no=item["no"])
        _set_inject_fields(inject, item)
        kept.append(inject)
    exercise.injects = kept
    # Numbers freed above may be taken again in the same flush; delete the old rows first.
    db.session.flush()


def _set_inject_fields(inject: Inject, item: Mapping[str, Any]) -> None:
    inject.no = item["no"]
    inject.at = item["at"]
    inject.offset = offset_seconds(item["at"])
    inject.sender = item["from"]
    inject.recipient = item["to"]
    inject.channel = item["channel"]
    inject.text = item["text"]
    inject.expected = item["expected"]
    inject.objective = item["objective"]
    inject.notes = item["notes"]


def _organisers_from(participants: list[Mapping[str, Any]]) -> str | None:
    for participant in participants:
        if participant.get("role") in ("øvingsledelse", "spillstab") and participant.get("description"):
            return participant["description"]
    return None


# ------------------------------------------------------------------------------------------------ planning


@transactional
def create_exercise(
    scenario: Mapping[str, Any],
    *,
    draft: bool = False,
    organisers: str | None = None,
    counts_for_plan: bool = True,
    actor: User | None = None,
) -> Exercise:
    """Create an exercise from a scenario (the YAML structure as plain data); all of it or nothing.

    A `draft` may still lack objectives and injects (the plan page fills them in).
    """
    if draft:
        valid = _validate_plan(scenario)
    else:
        try:
            valid = validate_scenario(scenario)
        except ScenarioError as err:
            raise _invalid(err) from None
    now = utcnow()
    exercise = Exercise(
        status=ExerciseStatus.PLANNED,
        speed=1.0,
        counts_for_plan=counts_for_plan,
        organisers=organisers or _organisers_from(valid["participants"]),
        created_by=actor.id if actor else None,
        created_at=now,
    )
    db.session.add(exercise)
    _write_plan(exercise, valid)
    db.session.flush()
    record_audit(
        "exercise.create",
        "exercise",
        exercise.id,
        actor=actor,
        meta={"injects": len(valid["injects"]), "objectives": len(valid["objectives"])},
    )
    db.session.commit()
    return exercise


def import_scenario_yaml(text: str, *, actor: User | None = None) -> Exercise:
    """Create an exercise from a scenario YAML; a broken file is refused with the line named, nothing stored."""
    try:
        scenario = parse_scenario_yaml(text)
    except ScenarioError as err:
        raise _invalid(err) from None
    return create_exercise(scenario, actor=actor)


def load_scenario_file(path: str | Path) -> Exercise:
    """Import a scenario YAML file (the CLI `exercises load`); raises ScenarioError or OSError when it cannot."""
    text = Path(path).read_text(encoding="utf-8")
    scenario = parse_scenario_yaml(text)
    try:
        return create_exercise(scenario)
    except ApiError as err:
        raise ValueError(err.message) from None


def export_scenario_yaml(exercise_id: int) -> str:
    """Return the exercise as a scenario YAML that imports back to the same plan."""
    exercise = get_exercise(exercise_id)
    try:
        return dump_scenario_yaml(scenario_of(exercise))
    except ScenarioError as err:
        raise ApiError(409, "incomplete_plan", f"Planen kan ikke eksporteres ennå: {err}") from None


def export_dreiebok_csv(exercise_id: int) -> str:
    """Return the dreiebok as CSV (no, at, from, to, channel, text, expected, objective, notes)."""
    exercise = get_exercise(exercise_id)
    if not exercise.injects:
        return "no,at,from,to,channel,text,expected,objective,notes\r\n"
    return dump_dreiebok_csv([inject.scenario_dict() for inject in exercise.injects])


@transactional
def import_dreiebok_csv(exercise_id: int, text: str, *, actor: User | None = None) -> Exercise:
    """Replace the dreiebok of a planned exercise with a CSV; a broken file changes nothing."""
    exercise = get_exercise(exercise_id)
    _require_planned(exercise)
    try:
        injects = parse_dreiebok_csv(text, objective_ids={objective.code for objective in exercise.objectives})
    except ScenarioError as err:
        raise _invalid(err) from None
    valid = _validate_plan({**scenario_of(exercise), "injects": injects})
    _write_injects(exercise, valid["injects"])
    exercise.updated_at = utcnow()
    record_audit("exercise.import_csv", "exercise", exercise.id, actor=actor, meta={"injects": len(injects)})
    db.session.commit()
    return exercise


@transactional
def update_exercise(
    exercise_id: int, changes: Mapping[str, Any], version: int, *, actor: User | None = None
) -> Exercise:
    """Change the plan (direktiv fields and, before the start, objectives); a stale version gets 409."""
    exercise = get_exercise(exercise_id)
    if exercise.version != version:
        raise ApiError(409, "version_conflict", "Øvelsen er endret av noen andre. Last inn på nytt.")
    plan_changes = {key: value for key, value in changes.items() if key in (*_PLAN_FIELDS, "objectives")}
    if "objectives" in plan_changes or "duration" in plan_changes:
        _require_planned(exercise)
    if plan_changes:
        valid = _validate_plan({**scenario_of(exercise), **plan_changes})
        # Once started, the scheduler owns the injects' state; only the direktiv fields are written.
        _write_plan(exercise, valid, with_dreiebok=exercise.status == ExerciseStatus.PLANNED)
    if "organisers" in changes:
        exercise.organisers = changes["organisers"] or None
    if "counts_for_plan" in changes:
        exercise.counts_for_plan = bool(changes["counts_for_plan"])
    if "evaluation_summary" in changes:
        exercise.evaluation_summary = changes["evaluation_summary"] or None
    if "held_on" in changes:
        if exercise.status != ExerciseStatus.FINISHED:
            raise ApiError(409, "not_finished", "Datoen øvelsen ble holdt kan bare settes når den er gjennomført.")
        exercise.held_on = changes["held_on"]
    exercise.updated_at = utcnow()
    db.session.flush()
    db.session.commit()
    return exercise


def _check_dreiebok(exercise: Exercise, injects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _validate_plan({**scenario_of(exercise), "injects": injects})["injects"]


@transactional
def add_inject(exercise_id: int, item: Mapping[str, Any], *, actor: User | None = None) -> Inject:
    """Add a line to the dreiebok of a planned exercise; `no` defaults to the next free number."""
    exercise = get_exercise(exercise_id)
    _require_planned(exercise)
    current = [inject.scenario_dict() for inject in exercise.injects]
    no = item.get("no") or max((inject["no"] for inject in current), default=0) + 1
    new = {key: item.get(key) for key in ("at", "from", "to", "channel", "text", "expected", "objective", "notes")}
    valid = _check_dreiebok(exercise, [*current, {**new, "no": no}])
    line = next(inject for inject in valid if inject["no"] == _as_number(no))
    inject = Inject(exercise_id=exercise.id, no=line["no"])
    _set_inject_fields(inject, line)
    db.session.add(inject)
    exercise.updated_at = utcnow()
    db.session.flush()
    db.session.commit()
    return inject


def _as_number(value: Any) -> Any:
    return int(value) if isinstance(value, str) and is_digits(value.strip()) else value


@transactional
def update_inject(inject_id: int, changes: Mapping[str, Any], version: int, *, actor: User | None = None) -> Inject:
    """Edit a line of the dreiebok of a planned exercise; a stale version gets 409."""
    inject = get_inject(inject_id)
    if inject.version != version:
        raise ApiError(409, "version_conflict", "Innspillet er endret av noen andre. Last inn på nytt.")
    exercise = get_exercise(inject.exercise_id)
    _require_planned(exercise)
    edited = {**inject.scenario_dict(), **{key: value for key, value in changes.items() if key != "version"}}
    others = [other.scenario_dict() for other in exercise.injects if other.id != inject.id]
    valid = _check_dreiebok(exercise, [*others, edited])
    line = next(item for item in valid if item["no"] == _as_number(edited["no"]))
    _set_inject_fields(inject, line)
    exercise.updated_at = utcnow()
    db.session.flush()
    db.session.commit()
    return inject


@transactional
def delete_inject(inject_id: int, *, actor: User | None = None) -> None:
    """Remove a line from the dreiebok of a planned exercise."""
    inject = get_inject(inject_id)
    exercise = get_exercise(inject.exercise_id)
    _require_planned(exercise)
    exercise.injects.remove(inject)
    exercise.updated_at = utcnow()
    db.session.flush()
    db.session.commit()


# ------------------------------------------------------------------------------------------------- running


def _validate_speed(speed: Any) -> float:
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0 < float(speed) <= MAX_SPEED:
        raise ApiError(
            422, "invalid", f"Hastigheten må være et tall større enn 0 og høyst {MAX_SPEED:g}.", {"speed": "ugyldig"}
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
        raise ApiError(409, "incomplete_plan", f"Øvelsen kan ikke starte før planen er komplett: {err}") from None
    now = now or utcnow()
    title, description, incident_type = exercise.title, exercise.scenario or "", _incident_type_for(exercise)
    if not _claim_start(exercise_id, speed, now):
        raise ApiError(409, "already_started", "Øvelsen er allerede startet eller gjennomført.")
    try:
        incident = open_incident(
            title=title, kind=IncidentKind.EXERCISE, type_=incident_type, description=description, actor=actor
        )
    except Exception:
        _release_start(exercise_id)
        raise
    return _link_incident(exercise_id, incident.id, now, actor)


def _lock_exercise(exercise_id: int) -> Exercise | None:
    """Read the exercise with a row lock (PostgreSQL), fresh from the database."""
    stmt = (
        select(Exercise).where(Exercise.id == exercise_id).with_for_update().execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).first()


def _locked_exercise(exercise_id: int) -> Exercise:
    exercise = _lock_exercise(exercise_id)
    if exercise is None:
        raise ApiError(404, "not_found", "Ukjent øvelse.")
    return exercise


def _clock_event(exercise: Exercise, type_: str, now: datetime, actor: User | None, **extra: Any) -> None:
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
    exercise = _locked_exercise(exercise_id)
    if exercise.status != ExerciseStatus.RUNNING or exercise.clock_origin is None:
        raise ApiError(409, "not_running", "Øvelsen går ikke, så den kan ikke pauses.")
    exercise.status = ExerciseStatus.PAUSED
    exercise.paused_since = now
    exercise.updated_at = now
    db.session.flush()
    _clock_event(exercise, "exercise.paused", now, actor)
    db.session.commit()
    return exercise


@transactional
def resume_exercise(exercise_id: int, *, actor: User | None = None, now: datetime | None = None) -> Exercise:
    """Start the exercise clock again where it stopped."""
    now = now or utcnow()
    exercise = _locked_exercise(exercise_id)
    if exercise.status != ExerciseStatus.PAUSED:
        raise ApiError(409, "not_paused", "Øvelsen er ikke pauset.")
    if exercise.paused_since is not None:
        exercise.paused_seconds += max(0.0, (now - exercise.paused_since).total_seconds())
    exercise.paused_since = None
    exercise.status = ExerciseStatus.RUNNING
    exercise.updated_at = now
    db.session.flush()
    _clock_event(exercise, "exercise.resumed", now, actor)
    db.session.commit()
    return exercise


@transactional
def set_speed(exercise_id: int, speed: float, *, actor: User | None = None, now: datetime | None = None) -> Exercise:
    """Change the speed; while running the clock continues from where it stands, without a jump."""
    now = now or utcnow()
    speed = _validate_speed(speed)
    exercise = _locked_exercise(exercise_id)
    if exercise.status == ExerciseStatus.FINISHED:
        raise ApiError(409, "finished", "Øvelsen er gjennomført.")
    elapsed = exercise_clock(exercise, now)
    if elapsed is not None:
        # Move the origin so that the new speed gives the same elapsed time now (or at the start of the pause).
        reference = exercise.paused_since or now
        exercise.clock_origin = reference - timedelta(seconds=elapsed / speed)
        exercise.paused_seconds = 0.0
    exercise.speed = speed
    exercise.updated_at = now
    db.session.flush()
    _clock_event(exercise, "exercise.speed_changed", now, actor)
    db.session.commit()
    return exercise


@transactional
def _mark_finished(exercise_id: int, held_on: date | None, actor: User | None, now: datetime) -> Exercise:
    exercise = _locked_exercise(exercise_id)
    if exercise.status == ExerciseStatus.FINISHED:
        raise ApiError(409, "finished", "Øvelsen er allerede gjennomført.")
    if exercise.status == ExerciseStatus.RUNNING and exercise.clock_origin is None:
        raise ApiError(409, "starting", "Øvelsen holder på å starte. Prøv igjen om litt.")
    if exercise.paused_since is not None:
        exercise.paused_seconds += max(0.0, (now - exercise.paused_since).total_seconds())
        exercise.paused_since = None
    exercise.status = ExerciseStatus.FINISHED
    exercise.finished_at = now
    exercise.held_on = held_on or now.astimezone(OSLO).date()
    exercise.updated_at = now
    db.session.flush()
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


def _claim_inject(inject: Inject, state: str, now: datetime, *, in_order: bool, early: bool = False) -> bool:
    """Move an inject out of `pending` with a conditional UPDATE; True when this transaction won it.

    With `in_order` it is only claimed while every lower `no` of the exercise is delivered or skipped.
    """
    table = Inject.__table__
    lower = aliased(Inject)
    conditions = [table.c.id == inject.id, table.c.state == InjectState.PENDING]
    if in_order:
        conditions.append(
            ~exists().where(
                lower.exercise_id == inject.exercise_id, lower.no < inject.no, lower.state == InjectState.PENDING
            )
        )
    values: dict[str, Any] = {"state": state, "version": table.c.version + 1}
    if state == InjectState.DELIVERED:
        values.update(delivered_at=now, delivered_early=early)
    result = db.session.execute(update(table).where(*conditions).values(**values))
    return result.rowcount == 1


def _objective_text(exercise_id: int, code: str | None) -> str | None:
    if not code:
        return None
    return db.session.scalar(select(Objective.text).where(Objective.exercise_id == exercise_id, Objective.code == code))


def _publish_delivery(exercise: Exercise, inject_id: int, actor: User | None) -> Inject:
    inject = db.session.get(Inject, inject_id, populate_existing=True)
    append_event(
        f"incident:{exercise.incident_id}",
        "inject.delivered",
        inject.event_data(_objective_text(exercise.id, inject.objective)),
        actor_id=actor.id if actor else None,
    )
    return inject


def _clock_running(exercise: Exercise | None) -> bool:
    return (
        exercise is not None
        and exercise.status == ExerciseStatus.RUNNING
        and exercise.paused_since is None
        and exercise.clock_origin is not None
        and exercise.incident_id is not None
    )


def _next_pending(exercise_id: int) -> Inject | None:
    return db.session.scalars(
        select(Inject)
        .where(Inject.exercise_id == exercise_id, Inject.state == InjectState.PENDING)
        .order_by(Inject.no)
        .limit(1)
    ).first()


@transactional
def _deliver_next_due(exercise_id: int, now: datetime) -> bool:
    """Deliver the next inject of one exercise if it is due; True when this call delivered one."""
    if not _next_is_due(db.session.get(Exercise, exercise_id, populate_existing=True), now):
        # Nothing due: no lock taken, so idle ticks cost one read.
        db.session.rollback()
        return False
    exercise = _lock_exercise(exercise_id)
    inject = _next_pending(exercise_id)
    if not _next_is_due(exercise, now, inject) or not _claim_inject(inject, InjectState.DELIVERED, now, in_order=True):
        db.session.rollback()
        return False
    # SQLite takes its write lock with the claim: a pause committed after the reads above shows up now.
    exercise = _lock_exercise(exercise_id)
    if not _next_is_due(exercise, now, inject):
        db.session.rollback()
        return False
    _publish_delivery(exercise, inject.id, None)
    db.session.commit()
    return True


def _next_is_due(exercise: Exercise | None, now: datetime, inject: Inject | None = None) -> bool:
    if not _clock_running(exercise):
        return False
    inject = inject or _next_pending(exercise.id)
    return inject is not None and inject.offset <= exercise_clock(exercise, now)


def deliver_due_injects(now: datetime) -> int:
    """Deliver every inject whose time has come on its exercise clock, each exactly once and in `no` order.

    Each inject is claimed with `UPDATE … SET state='delivered' WHERE id=… AND state='pending'` in the same
    transaction as its `inject.delivered` event, so several processes and restarts never lose or repeat one.
    Returns how many this call delivered.
    """
    running = list(
        db.session.scalars(
            select(Exercise.id).where(
                Exercise.status == ExerciseStatus.RUNNING,
                Exercise.paused_since.is_(None),
                Exercise.clock_origin.is_not(None),
                Exercise.incident_id.is_not(None),
            )
        )
    )
    db.session.rollback()
    delivered = 0
    for exercise_id in running:
        while _deliver_next_due(exercise_id, now):
            delivered += 1
    return delivered


def run_scheduled_jobs(now: datetime) -> None:
    """Called every tick by the server's background loop, in every process."""
    deliver_due_injects(now)


def _control_inject(inject_id: int) -> tuple[Inject, Exercise]:
    inject = get_inject(inject_id)
    exercise = _locked_exercise(inject.exercise_id)
    if exercise.status not in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED) or exercise.incident_id is None:
        raise ApiError(409, "not_running", "Innspill kan bare sendes eller hoppes over mens øvelsen pågår.")
    return inject, exercise


@transactional
def skip_inject(inject_id: int, *, actor: User | None = None, now: datetime | None = None) -> Inject:
    """Skip a pending inject: it will never be delivered, and the ones after it no longer wait for it."""
    now = now or utcnow()
    inject, exercise = _control_inject(inject_id)
    if not _claim_inject(inject, InjectState.SKIPPED, now, in_order=False):
        raise ApiError(409, "not_pending", f"Innspill nr. {inject.no} er allerede levert eller hoppet over.")
    append_event(
        f"incident:{exercise.incident_id}",
        "inject.skipped",
        {"exercise_id": exercise.id, "inject_id": inject.id, "no": inject.no},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return db.session.get(Inject, inject_id, populate_existing=True)


@transactional
def send_inject_now(inject_id: int, *, actor: User | None = None, now: datetime | None = None) -> Inject:
    """Deliver the next inject before its time (also during a pause); order is kept, so it must be the next one."""
    now = now or utcnow()
    inject, exercise = _control_inject(inject_id)
    if inject.state != InjectState.PENDING:
        raise ApiError(409, "not_pending", f"Innspill nr. {inject.no} er allerede levert eller hoppet over.")
    if not _claim_inject(inject, InjectState.DELIVERED, now, in_order=True, early=True):
        first = _next_pending(exercise.id)
        if first is not None and first.id != inject.id:
            raise ApiError(
                409,
                "out_of_order",
                f"Innspillene leveres i rekkefølge: send eller hopp over innspill nr. {first.no} først.",
            )
        raise ApiError(409, "not_pending", f"Innspill nr. {inject.no} er allerede levert eller hoppet over.")
    delivered = _publish_delivery(exercise, inject.id, actor)
    db.session.commit()
    return delivered


def control_state(exercise_id: int, now: datetime | None = None) -> dict[str, Any]:
    """What the control room sees: the clock, what comes next and when, what is delivered and skipped."""
    now = now or utcnow()
    exercise = get_exercise(exercise_id)
    elapsed = exercise_clock(exercise, now)
    injects = [inject.to_dict() for inject in exercise.injects]
    pending = [inject for inject in injects if inject["state"] == InjectState.PENDING]
    next_item = None
    if pending:
        due_in = None
        if exercise.clock_origin is not None and exercise.status != ExerciseStatus.FINISHED:
            due_in = seconds_until_due(
                pending[0],
                started_at=exercise.clock_origin,
                now=now,
                speed=exercise.speed,
                paused_seconds=exercise.paused_seconds,
                paused_since=exercise.paused_since,
            )
        next_item = {"inject": pending[0], "seconds_until_due": due_in}
    return {
        "exercise": exercise.summary_dict(),
        "now": now.isoformat(),
        "elapsed_seconds": elapsed,
        "paused": exercise.paused_since is not None,
        "next": next_item,
        "pending": pending,
        "delivered": sorted(
            (i for i in injects if i["state"] == InjectState.DELIVERED),
            key=lambda inject: (inject["delivered_at"] or "", inject["no"]),
        ),
        "skipped": [inject for inject in injects if inject["state"] == InjectState.SKIPPED],
        "counts": {state.value: sum(1 for i in injects if i["state"] == state) for state in InjectState},
    }


def player_injects(exercise_id: int, role: str | None) -> list[dict[str, Any]]:
    """The delivered injects addressed to a role (all of them without a role), in delivery order."""
    exercise = get_exercise(exercise_id)
    delivered = [inject for inject in exercise.injects if inject.state == InjectState.DELIVERED]
    if role:
        delivered = [inject for inject in delivered if inject.recipient == role]
    delivered.sort(key=lambda inject: (inject.delivered_at or utcnow(), inject.no))
    return [inject.to_dict() for inject in delivered]


# ------------------------------------------------------------------------------------------------- replay


def replay_state(exercise_id: int, at: datetime | None = None) -> dict[str, Any]:
    """The exercise's board as it stood at `at` (now when None), folded from the journal of its incident."""
    exercise = get_exercise(exercise_id)
    if exercise.incident_id is None:
        raise ApiError(409, "not_started", "Øvelsen er ikke startet, så det finnes ingen tavle å spille av.")
    channel = f"incident:{exercise.incident_id}"
    events = events_until(channel, at) if at is not None else events_since(channel, 0)
    everything = [event.envelope() for event in events_since(channel, 0)]
    return {
        "exercise_id": exercise.id,
        "incident_id": exercise.incident_id,
        "state": board_state([event.envelope() for event in events], at),
        "timeline": timeline(everything),
    }


# ------------------------------------------------------------------------------------------------ deleting


def _delete_eps_data(incident_id: int) -> None:
    try:
        eps = importlib.import_module("beredskap.eps.services")
    except ModuleNotFoundError as err:
        if err.name != "beredskap.eps.services":
            raise
        return
    purge = getattr(eps, "delete_exercise_personal_data", None)
    if purge is not None:
        purge(incident_id)


@transactional
def _delete_rows(exercise_id: int, incident_id: int | None, actor: User | None) -> None:
    db.session.execute(delete(Exercise).where(Exercise.id == exercise_id))
    if incident_id is not None:
        channel = f"incident:{incident_id}"
        db.session.execute(delete(Event).where(Event.channel == channel))
        db.session.execute(delete(Channel).where(Channel.name == channel))
        # Log, tasks, sitreps, presence, alerts and EPS rows go with the incident (ON DELETE CASCADE).
        db.session.execute(delete(Incident).where(Incident.id == incident_id, Incident.kind == IncidentKind.EXERCISE))
        append_event(
            "global",
            "incident.deleted",
            {"id": incident_id, "kind": IncidentKind.EXERCISE},
            actor_id=actor.id if actor else None,
        )
    record_audit("exercise.delete", "exercise", exercise_id, actor=actor, meta={"incident_id": incident_id})
    db.session.commit()
    db.session.expunge_all()
    if incident_id is not None:
        catchup.forget(f"incident:{incident_id}")


def delete_exercise(exercise_id: int, *, actor: User | None = None) -> None:
    """Delete an exercise and everything it made, in one action: plan, dreiebok, observations, evaluation, and
    its incident with log, tasks, reports, EPS data and the events of the incident channel.

    Deleting an exercise that has run needs the privacy permission, because its incident may hold (fictitious)
    personal data.
    """
    exercise = get_exercise(exercise_id)
    incident_id = exercise.incident_id
    if incident_id is not None and actor is not None and not actor.can(Perm.PRIVACY_ADMIN):
        raise ApiError(
            403,
            "forbidden",
            "Bare administrator og beredskapskoordinator kan slette en øvelse som er"
            " gjennomført, fordi den kan ha data fra EPS.",
        )
    if exercise.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED):
        raise ApiError(409, "running", "Avslutt øvelsen før du sletter den.")
    if incident_id is not None:
        _delete_eps_data(incident_id)
    _delete_rows(exercise_id, incident_id, actor)


# --------------------------------------------------------------------------------------- start page, seed


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


def start_page_panel(user: Any) -> dict | None:
    """The start page card: when the preparedness plan was last exercised, the two-year limit, running exercises."""
    if user is None or not user.can(Perm.EXERCISE_READ):
        return None
    from flask import url_for

    from beredskap.exercises.evaluate import list_actions

    status = plan_clock_status()
    lines = []
    if status["last_exercise"]:
        last = date.fromisoformat(status["last_exercised"])
        due = date.fromisoformat(status["due"])
        lines.append(
            {
                "text": f"Beredskapsplanen sist øvd {format_day(last)}: {status['last_exercise']['title']}",
                "url": url_for("exercises.plan_page", exercise_id=status["last_exercise"]["id"]),
            }
        )
        lines.append({"text": f"Neste øvelse senest {format_day(due)} (§ 7: minst hvert annet år)"})
    for exercise in db.session.scalars(
        select(Exercise)
        .where(Exercise.status.in_((ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)))
        .order_by(Exercise.id)
    ):
        word = "pågår" if exercise.status == ExerciseStatus.RUNNING else "er pauset"
        lines.append(
            {
                "text": f"ØVELSE {exercise.title} {word}",
                "url": url_for("exercises.control_page", exercise_id=exercise.id),
            }
        )
    today = utcnow().astimezone(OSLO).date()
    open_actions = list_actions(status="not_done")
    overdue = [item for item in open_actions if item.is_overdue(today)]
    if open_actions:
        lines.append(
            {
                "text": f"{len(open_actions)} tiltak fra øvelser er ikke utført"
                + (f", {len(overdue)} over fristen" if overdue else ""),
                "url": url_for("exercises.list_page"),
            }
        )
    lines.append({"text": "Alle øvelser", "url": url_for("exercises.list_page")})
    panel: dict[str, Any] = {"title": "Øvelser (§ 7)", "lines": lines}
    if status["warning"]:
        panel["warning"] = status["warning"]
    return panel


def seed_demo() -> list[str]:
    """Load the scenarios shipped in exercises/ as planned exercises, once each (matched by title)."""
    loaded = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        scenario = parse_scenario_yaml(path.read_text(encoding="utf-8"))
        exists_already = db.session.scalar(
            select(func.count()).select_from(Exercise).where(Exercise.title == scenario["title"])
        )
        if exists_already:
            continue
        create_exercise(scenario)
        loaded.append(scenario["title"])
    if not loaded:
        return ["Øvelsesscenarioene finnes allerede."]
    return [f"Øvelser lastet fra scenariobiblioteket: {', '.join(loaded)}"]


def library_scenarios() -> list[dict[str, Any]]:
    """The scenarios shipped in exercises/: file name, title, form, counts of objectives and injects."""
    result = []
    for path in sorted(LIBRARY.glob("*.yaml")):
        try:
            scenario = parse_scenario_yaml(path.read_text(encoding="utf-8"))
        except (ScenarioError, OSError):
            continue
        result.append(
            {
                "file": path.name,
                "title": scenario["title"],
                "form": scenario["form"],
                "objectives": len(scenario["objectives"]),
                "injects": len(scenario["injects"]),
                "duration": scenario["duration"],
            }
        )
    return result


def load_library_scenario(file_name: str, *, actor: User | None = None) -> Exercise:
    """Create a planned exercise from one of the scenarios shipped in exercises/ (by file name)."""
    known = {path.name: path for path in LIBRARY.glob("*.yaml")}
    path = known.get(file_name)
    if path is None:
        raise ApiError(404, "not_found", "Ukjent scenario i biblioteket.")
    return import_scenario_yaml(path.read_text(encoding="utf-8"), actor=actor)
