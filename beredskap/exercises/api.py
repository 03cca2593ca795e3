"""JSON API for exercises (CONTRACT §7): plan and dreiebok, import/export, run control, observation, evaluation."""

from datetime import date, datetime

from flask import Response, jsonify, request
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.csvfile import csv_response
from beredskap.errors import ApiError
from beredskap.exercises import deletion, delivery, evaluate, planning, queries, runner
from beredskap.exercises import library as scenario_library
from beredskap.exercises.models import ActionStatus, ExerciseStatus, InjectState
from beredskap.exercises.scenario import INJECT_FIELDS, MAX_TEXT_BYTES
from beredskap.routing import is_digits
from beredskap.security import upload_route

bp = api_blueprint("exercises_api", __name__)

_PATCH_PLAN_FIELDS = (
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
    "objectives",
)
_CSV_TYPES = ("text/csv", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel")


def _user():
    return current_user._get_current_object()


def _body_text(kind: str) -> str:
    """The raw request body as text: UTF-8 (with or without BOM); a CSV may also come as Windows-1252."""
    if (request.content_length or 0) > MAX_TEXT_BYTES:
        raise ApiError(413, "too_large", f"Filen er for stor (maks {MAX_TEXT_BYTES // 1_000_000} MB).")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_TEXT_BYTES:
        raise ApiError(413, "too_large", f"Filen er for stor (maks {MAX_TEXT_BYTES // 1_000_000} MB).")
    if not raw.strip():
        raise ApiError(422, "invalid_scenario", "Linje 1: filen er tom", {"line": 1})
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if kind == "csv":
            try:
                # Spreadsheets on Norwegian Windows still save CSV as Windows-1252 (æ, ø, å).
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                pass
        line = raw.count(b"\n", 0, err.start) + 1
        raise ApiError(400, "invalid_encoding", f"Linje {line}: filen er ikke UTF-8-tekst.", {"line": line}) from None


def _is_csv() -> bool:
    return request.mimetype in _CSV_TYPES or request.args.get("format") == "csv"


def _parse_iso_datetime(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en ISO 8601-tid med tidssone.", {name: "format"}) from None
    if parsed.tzinfo is None:
        raise ApiError(422, "invalid", f"«{name}» må ha tidssone (f.eks. +01:00).", {name: "tidssone"})
    return parsed


def _parse_date(value: object, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ApiError(422, "invalid", f"«{name}» må være en dato på formen ÅÅÅÅ-MM-DD.", {name: "format"})


def _list_item(exercise) -> dict:
    states = [inject.state for inject in exercise.injects]
    return {
        **exercise.summary_dict(),
        "injects": len(states),
        "delivered": states.count(InjectState.DELIVERED),
        "objectives": len(exercise.objectives),
    }


# ------------------------------------------------------------------------------------------------ planning


@bp.get("/exercises")
@require(Perm.EXERCISE_READ)
def list_exercises():
    """Every exercise with counts, and the § 7 clock."""
    return jsonify(
        {"exercises": [_list_item(e) for e in queries.list_exercises()], "plan_clock": queries.plan_clock_status()}
    )


@bp.post("/exercises")
@require(Perm.EXERCISE_WRITE)
def create_exercise():
    """Create an exercise from a scenario in the structure of the YAML files (`draft: true` may omit the dreiebok)."""
    data = dict(json_body())
    draft = field(data, "draft", bool, default=False)
    organisers = field(data, "organisers", str, max_length=4000)
    counts_for_plan = field(data, "counts_for_plan", bool, default=True)
    for extra in ("draft", "organisers", "counts_for_plan"):
        data.pop(extra, None)
    exercise = planning.create_exercise(
        data, draft=draft, organisers=organisers, counts_for_plan=counts_for_plan, actor=_user()
    )
    return jsonify(exercise.to_dict()), 201


@bp.post("/exercises/import")
@upload_route
@require(Perm.EXERCISE_WRITE)
def import_exercise():
    """Import a scenario YAML (body) as a new exercise; with CSV and `?exercise=<id>` replace that dreiebok."""
    if _is_csv():
        target = request.args.get("exercise", "")
        if not is_digits(target) or len(target) > 12:
            raise ApiError(
                422, "invalid", "En dreiebok i CSV hører til en øvelse: oppgi ?exercise=<id>.", {"exercise": "påkrevd"}
            )
        queries.get_exercise(int(target))
        exercise = planning.import_dreiebok_csv(int(target), _body_text("csv"), actor=_user())
        return jsonify(exercise.to_dict())
    exercise = planning.import_scenario_yaml(_body_text("yaml"), actor=_user())
    return jsonify(exercise.to_dict()), 201


@bp.get("/exercises/library")
@require(Perm.EXERCISE_READ)
def library():
    """The scenarios shipped with the app."""
    return jsonify({"scenarios": scenario_library.library_scenarios()})


@bp.post("/exercises/library/<name>")
@require(Perm.EXERCISE_WRITE)
def load_from_library(name: str):
    """Create a planned exercise from a shipped scenario."""
    exercise = scenario_library.load_library_scenario(name, actor=_user())
    return jsonify(exercise.to_dict()), 201


@bp.get("/exercises/plan-clock")
@require(Perm.EXERCISE_READ)
def plan_clock():
    """When the preparedness plan was last exercised and when the two-year limit (§ 7) falls."""
    return jsonify(queries.plan_clock_status())


@bp.get("/exercises/<int:exercise_id>")
@require(Perm.EXERCISE_READ)
def get_exercise(exercise_id: int):
    """One exercise with objectives and dreiebok; players see only the injects already delivered."""
    exercise = queries.get_exercise(exercise_id)
    data = exercise.to_dict()
    if not (current_user.can(Perm.EXERCISE_CONTROL) or exercise.status == ExerciseStatus.FINISHED):
        data["injects"] = [_player_view(i) for i in data["injects"] if i["state"] == InjectState.DELIVERED]
        data["dreiebok_hidden"] = True
    return jsonify(data)


def _player_view(inject: dict) -> dict:
    # What the control room expects of the players is not for the players to read.
    return {key: value for key, value in inject.items() if key not in ("expected", "notes")}


@bp.patch("/exercises/<int:exercise_id>")
@require(Perm.EXERCISE_WRITE)
def patch_exercise(exercise_id: int):
    """Change the plan; needs the version it read."""
    data = json_body()
    exercise = queries.get_exercise(exercise_id)
    expect_version(data, exercise.version)
    changes = {key: data[key] for key in _PATCH_PLAN_FIELDS if key in data}
    if "organisers" in data:
        changes["organisers"] = field(data, "organisers", str, default="", max_length=4000)
    if "counts_for_plan" in data:
        changes["counts_for_plan"] = field(data, "counts_for_plan", bool, required=True)
    if "evaluation_summary" in data:
        changes["evaluation_summary"] = field(data, "evaluation_summary", str, default="", max_length=20000)
    if "held_on" in data:
        changes["held_on"] = _parse_date(data["held_on"], "held_on")
    exercise = planning.update_exercise(exercise_id, changes, data["version"], actor=_user())
    return jsonify(exercise.to_dict())


@bp.delete("/exercises/<int:exercise_id>")
@require(Perm.EXERCISE_WRITE)
def delete_exercise(exercise_id: int):
    """Delete the exercise and all its data (plan, run, incident with log, tasks, events, EPS data)."""
    deletion.delete_exercise(exercise_id, actor=_user())
    return "", 204


@bp.get("/exercises/<int:exercise_id>/scenario.yaml")
@require(Perm.EXERCISE_CONTROL)
def export_yaml(exercise_id: int):
    """The exercise as a scenario YAML file."""
    text = planning.export_scenario_yaml(exercise_id)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="ovelse-{exercise_id}.yaml"'},
    )


@bp.get("/exercises/<int:exercise_id>/dreiebok.csv")
@require(Perm.EXERCISE_CONTROL)
def export_csv(exercise_id: int):
    """The dreiebok as CSV."""
    return csv_response(planning.export_dreiebok_csv(exercise_id), f"dreiebok-{exercise_id}.csv")


@bp.route("/exercises/<int:exercise_id>/dreiebok.csv", methods=["PUT", "POST"])
@upload_route
@require(Perm.EXERCISE_WRITE)
def import_csv(exercise_id: int):
    """Replace the dreiebok of a planned exercise with the CSV in the body; a broken file changes nothing."""
    queries.get_exercise(exercise_id)
    exercise = planning.import_dreiebok_csv(exercise_id, _body_text("csv"), actor=_user())
    return jsonify(exercise.to_dict())


# ----------------------------------------------------------------------------------------- dreiebok editor


def _inject_fields(data: dict) -> dict:
    return {key: data[key] for key in INJECT_FIELDS if key in data}


@bp.get("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_CONTROL)
def list_injects(exercise_id: int):
    """The dreiebok with the state of each inject."""
    return jsonify({"injects": [i.to_dict() for i in queries.get_exercise(exercise_id).injects]})


@bp.post("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_WRITE)
def add_inject(exercise_id: int):
    """Add a line to the dreiebok (before the start)."""
    queries.get_exercise(exercise_id)
    inject = planning.add_inject(exercise_id, _inject_fields(json_body()), actor=_user())
    return jsonify(inject.to_dict()), 201


@bp.get("/injects/<int:inject_id>")
@require(Perm.EXERCISE_CONTROL)
def get_inject(inject_id: int):
    """One inject."""
    return jsonify(queries.get_inject(inject_id).to_dict())


@bp.patch("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
def patch_inject(inject_id: int):
    """Edit a line of the dreiebok (before the start); needs its version."""
    data = json_body()
    inject = queries.get_inject(inject_id)
    expect_version(data, inject.version)
    inject = planning.update_inject(inject_id, _inject_fields(data), data["version"], actor=_user())
    return jsonify(inject.to_dict())


@bp.delete("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
def delete_inject(inject_id: int):
    """Remove a line from the dreiebok (before the start)."""
    planning.delete_inject(inject_id, actor=_user())
    return "", 204


# --------------------------------------------------------------------------------------------------- running


@bp.post("/exercises/<int:exercise_id>/start")
@require(Perm.EXERCISE_CONTROL)
def start(exercise_id: int):
    """Start: opens the exercise incident; injects are delivered at `at / speed`."""
    queries.get_exercise(exercise_id)
    data = json_body() if request.content_length else {}
    exercise = runner.start_exercise(exercise_id, speed=data.get("speed"), actor=_user())
    return jsonify({"incident_id": exercise.incident_id, **exercise.summary_dict()}), 201


@bp.post("/exercises/<int:exercise_id>/pause")
@require(Perm.EXERCISE_CONTROL)
def pause(exercise_id: int):
    """Stop the exercise clock."""
    queries.get_exercise(exercise_id)
    return jsonify(runner.pause_exercise(exercise_id, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/resume")
@require(Perm.EXERCISE_CONTROL)
def resume(exercise_id: int):
    """Start the exercise clock again."""
    queries.get_exercise(exercise_id)
    return jsonify(runner.resume_exercise(exercise_id, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/speed")
@require(Perm.EXERCISE_CONTROL)
def speed(exercise_id: int):
    """Change the speed without a jump of the exercise clock."""
    queries.get_exercise(exercise_id)
    data = json_body()
    return jsonify(runner.set_speed(exercise_id, data.get("speed"), actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/finish")
@require(Perm.EXERCISE_CONTROL)
def finish(exercise_id: int):
    """End the exercise (records the day it was held for § 7) and close its incident."""
    queries.get_exercise(exercise_id)
    data = json_body() if request.content_length else {}
    held_on = _parse_date(data.get("held_on"), "held_on")
    return jsonify(runner.finish_exercise(exercise_id, held_on=held_on, actor=_user()).summary_dict())


@bp.post("/injects/<int:inject_id>/skip")
@require(Perm.EXERCISE_CONTROL)
def skip(inject_id: int):
    """Skip a pending inject."""
    return jsonify(delivery.skip_inject(inject_id, actor=_user()).to_dict())


@bp.post("/injects/<int:inject_id>/send")
@require(Perm.EXERCISE_CONTROL)
def send_now(inject_id: int):
    """Deliver the next inject now, before its time."""
    return jsonify(delivery.send_inject_now(inject_id, actor=_user()).to_dict())


@bp.get("/exercises/<int:exercise_id>/control")
@require(Perm.EXERCISE_CONTROL)
def control(exercise_id: int):
    """The control room: clock, next inject with countdown, delivered and skipped."""
    return jsonify(delivery.control_state(exercise_id))


@bp.get("/exercises/<int:exercise_id>/player")
@require(Perm.EXERCISE_READ)
def player(exercise_id: int):
    """Delivered injects addressed to `?role=` (all without it), and the roles of the exercise."""
    role = (request.args.get("role") or "").strip()[:300] or None
    exercise = queries.get_exercise(exercise_id)
    return jsonify(
        {
            "role": role,
            "roles": queries.recipients_of(exercise),
            "incident_id": exercise.incident_id,
            "injects": [_player_view(i) for i in delivery.player_injects(exercise_id, role)],
        }
    )


# ------------------------------------------------------------------------------------- observing, evaluating


@bp.get("/exercises/<int:exercise_id>/observations")
@require(Perm.EXERCISE_READ)
def list_observations(exercise_id: int):
    """Observations in time order."""
    return jsonify({"observations": [o.to_dict() for o in evaluate.list_observations(exercise_id)]})


@bp.post("/exercises/<int:exercise_id>/observations")
@require(Perm.OBSERVATION_WRITE)
def add_observation(exercise_id: int):
    """Log a timed observation against an objective; an unknown objective is refused (422)."""
    queries.get_exercise(exercise_id)
    data = json_body()
    observation = evaluate.add_observation(
        exercise_id,
        objective=data.get("objective"),
        text=field(data, "text", str, required=True, max_length=queries.MAX_TEXT),
        at=_parse_iso_datetime(field(data, "at", str), "at"),
        actor=_user(),
    )
    return jsonify(observation.to_dict()), 201


@bp.get("/exercises/<int:exercise_id>/evaluation")
@require(Perm.EXERCISE_READ)
def evaluation(exercise_id: int):
    """Ratings per objective, observations, lessons and the action plan."""
    return jsonify(evaluate.evaluation_data(exercise_id))


@bp.put("/exercises/<int:exercise_id>/objectives/<code>/evaluation")
@require(Perm.EVALUATION_WRITE)
def rate_objective(exercise_id: int, code: str):
    """Rate an objective: oppnådd / delvis oppnådd / ikke oppnådd, with the reasoning (version to change one)."""
    queries.get_exercise(exercise_id)
    data = json_body()
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ApiError(422, "invalid", "Feltet «version» må være et heltall.", {"version": "heltall"})
    item = evaluate.rate_objective(
        exercise_id, code, rating=data.get("rating"), reasoning=data.get("reasoning"), version=version, actor=_user()
    )
    return jsonify(
        {
            "objective": code,
            "rating": item.rating,
            "reasoning": item.reasoning,
            "version": item.version,
            "rated_by": item.author,
        }
    )


@bp.put("/exercises/<int:exercise_id>/evaluation-summary")
@require(Perm.EVALUATION_WRITE)
def evaluation_summary(exercise_id: int):
    """Write the summary of the evaluation; needs the exercise version."""
    data = json_body()
    exercise = queries.get_exercise(exercise_id)
    expect_version(data, exercise.version)
    summary = field(data, "summary", str, default="", max_length=20000)
    exercise = planning.update_exercise(exercise_id, {"evaluation_summary": summary}, data["version"], actor=_user())
    return jsonify({"summary": exercise.evaluation_summary, "version": exercise.version})


@bp.get("/exercises/<int:exercise_id>/lessons")
@require(Perm.EXERCISE_READ)
def list_lessons(exercise_id: int):
    """Læringspunkter."""
    return jsonify({"lessons": evaluate.evaluation_data(exercise_id)["lessons"]})


@bp.post("/exercises/<int:exercise_id>/lessons")
@require(Perm.EVALUATION_WRITE)
def add_lesson(exercise_id: int):
    """Add a læringspunkt `{"text", "kind"?: "bevare"|"forbedre", "objective"?}`."""
    queries.get_exercise(exercise_id)
    data = json_body()
    lesson = evaluate.add_lesson(
        exercise_id, text=data.get("text"), kind=data.get("kind"), objective=data.get("objective"), actor=_user()
    )
    return jsonify(lesson.to_dict()), 201


@bp.patch("/lessons/<int:lesson_id>")
@require(Perm.EVALUATION_WRITE)
def patch_lesson(lesson_id: int):
    """Edit a læringspunkt; needs its version."""
    data = json_body()
    expect_version(data, evaluate.get_lesson(lesson_id).version)
    changes = {key: data[key] for key in ("text", "kind", "objective") if key in data}
    return jsonify(evaluate.update_lesson(lesson_id, changes, data["version"], actor=_user()).to_dict())


@bp.delete("/lessons/<int:lesson_id>")
@require(Perm.EVALUATION_WRITE)
def delete_lesson(lesson_id: int):
    """Remove a læringspunkt."""
    evaluate.delete_lesson(lesson_id, actor=_user())
    return "", 204


@bp.get("/exercises/<int:exercise_id>/actions")
@require(Perm.EXERCISE_READ)
def list_actions(exercise_id: int):
    """The action plan of an exercise."""
    today = utcnow().astimezone(queries.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(exercise_id=exercise_id)]})


@bp.post("/exercises/<int:exercise_id>/actions")
@require(Perm.EVALUATION_WRITE)
def add_action(exercise_id: int):
    """Add a tiltak `{"action", "owner", "deadline"?, "lesson_id"?}`; it starts as `open`."""
    queries.get_exercise(exercise_id)
    data = json_body()
    item = evaluate.add_action(
        exercise_id,
        action=data.get("action"),
        owner=data.get("owner"),
        deadline=data.get("deadline"),
        lesson_id=data.get("lesson_id"),
        actor=_user(),
    )
    return jsonify(item.to_dict(utcnow().astimezone(queries.OSLO).date())), 201


@bp.get("/exercise-actions")
@require(Perm.EXERCISE_READ)
def all_actions():
    """Tiltak across exercises; `?status=not_done` lists those still to follow up."""
    status = request.args.get("status") or None
    if status not in (None, "not_done", *tuple(ActionStatus)):
        raise ApiError(400, "invalid", "status må være open, in_progress, done eller not_done.")
    today = utcnow().astimezone(queries.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(status=status)]})


@bp.patch("/exercise-actions/<int:action_id>")
@require(Perm.EVALUATION_WRITE)
def patch_action(action_id: int):
    """Follow up a tiltak: status open → in_progress → done, owner, deadline, follow-up note; needs its version."""
    data = json_body()
    expect_version(data, evaluate.get_action(action_id).version)
    changes = {key: data[key] for key in ("action", "owner", "deadline", "status", "followup") if key in data}
    item = evaluate.update_action(action_id, changes, data["version"], actor=_user())
    return jsonify(item.to_dict(utcnow().astimezone(queries.OSLO).date()))


# ---------------------------------------------------------------------------------------------------- replay


@bp.get("/exercises/<int:exercise_id>/replay")
@require(Perm.EXERCISE_READ)
def replay(exercise_id: int):
    """The board of the exercise as it stood at `?at=<ISO 8601>` (now without it), from the journal."""
    at = _parse_iso_datetime(request.args.get("at"), "at")
    return jsonify(delivery.replay_state(exercise_id, at))
