"""Exercise planning: create a plan from a scenario, edit it and its dreiebok, import and export YAML and CSV."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.exercises.models import Exercise, ExerciseStatus, Inject, Objective
from beredskap.exercises.queries import get_exercise, get_inject, parse_day, scenario_of
from beredskap.exercises.scenario import (
    PLAN_FIELDS,
    ScenarioError,
    parse_scenario_yaml,
    validate_scenario,
)
from beredskap.exercises.scenario_files import dump_dreiebok_csv, dump_scenario_yaml, parse_dreiebok_csv
from beredskap.exercises.schedule import offset_seconds
from beredskap.extensions import db
from beredskap.routing import is_digits
from beredskap.transaction import transactional

# Placeholders that let a plan be saved before it has objectives or injects; a real value can never equal them.
_PAD_OBJECTIVE = "\x00"


_PLAN_FIELDS = PLAN_FIELDS


def _invalid(err: ScenarioError) -> Invalid:
    return Invalid("invalid_scenario", str(err), {"line": err.line} if err.line is not None else None)


def _require_planned(exercise: Exercise) -> None:
    if exercise.status != ExerciseStatus.PLANNED:
        raise Conflict("not_planned", gettext("Planen og dreieboka kan bare endres før øvelsen starter."))


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
            raise Invalid("invalid_scenario", gettext("Innspillene viser til øvingsmål, men planen har ingen mål."))
    if not plan.get("injects"):
        valid["injects"] = []
    return valid


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


def export_scenario_yaml(exercise_id: int) -> str:
    """Return the exercise as a scenario YAML that imports back to the same plan."""
    exercise = get_exercise(exercise_id)
    try:
        return dump_scenario_yaml(scenario_of(exercise))
    except ScenarioError as err:
        raise Conflict(
            "incomplete_plan", gettext("Planen kan ikke eksporteres ennå: %(error)s", error=str(err))
        ) from None


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
        raise Conflict("version_conflict", gettext("Øvelsen er endret av noen andre. Last inn på nytt."))
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
            raise Conflict("not_finished", gettext("Datoen øvelsen ble holdt kan bare settes når den er gjennomført."))
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
        raise Conflict("version_conflict", gettext("Innspillet er endret av noen andre. Last inn på nytt."))
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
