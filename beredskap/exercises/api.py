"""JSON API for exercises (CONTRACT §7): plan and dreiebok, import/export, run control, observation, evaluation."""


from flask import Response, jsonify, request
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.csvfile import csv_response
from beredskap.errors import ApiError
from beredskap.exercises import evaluate, services
from beredskap.exercises.models import ExerciseStatus, InjectState
from beredskap.exercises.scenario import INJECT_FIELDS, MAX_TEXT_BYTES
from beredskap.exercises.schemas import (
    PLAN_FIELDS,
    ActionIn,
    ActionPatch,
    ActionsQuery,
    ExerciseIn,
    ExercisePatch,
    FinishIn,
    ImportQuery,
    InjectIn,
    InjectPatch,
    LessonIn,
    LessonPatch,
    ObservationIn,
    PlayerQuery,
    RatingIn,
    ReplayQuery,
    StartIn,
    SummaryIn,
)
from beredskap.routing import is_digits
from beredskap.security import upload_route
from beredskap.validation import use_body, use_query

bp = api_blueprint("exercises_api", __name__)

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


def _is_csv(query: ImportQuery) -> bool:
    return request.mimetype in _CSV_TYPES or query.format == "csv"


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
        {"exercises": [_list_item(e) for e in services.list_exercises()], "plan_clock": services.plan_clock_status()}
    )


@bp.post("/exercises")
@require(Perm.EXERCISE_WRITE)
@use_body(ExerciseIn)
def create_exercise(body: ExerciseIn):
    """Create an exercise from a scenario in the structure of the YAML files (`draft: true` may omit the dreiebok)."""
    data = {k: v for k, v in body.sent().items() if k not in ("draft", "organisers", "counts_for_plan")}
    exercise = services.create_exercise(
        data, draft=body.draft, organisers=body.organisers, counts_for_plan=body.counts_for_plan, actor=_user()
    )
    return jsonify(exercise.to_dict()), 201


@bp.post("/exercises/import")
@upload_route
@require(Perm.EXERCISE_WRITE)
@use_query(ImportQuery)
def import_exercise(query: ImportQuery):
    """Import a scenario YAML (body) as a new exercise; with CSV and `?exercise=<id>` replace that dreiebok."""
    if _is_csv(query):
        target = query.exercise or ""
        if not is_digits(target) or len(target) > 12:
            raise ApiError(
                422, "invalid", "En dreiebok i CSV hører til en øvelse: oppgi ?exercise=<id>.", {"exercise": "påkrevd"}
            )
        services.get_exercise(int(target))
        exercise = services.import_dreiebok_csv(int(target), _body_text("csv"), actor=_user())
        return jsonify(exercise.to_dict())
    exercise = services.import_scenario_yaml(_body_text("yaml"), actor=_user())
    return jsonify(exercise.to_dict()), 201


@bp.get("/exercises/library")
@require(Perm.EXERCISE_READ)
def library():
    """The scenarios shipped with the app."""
    return jsonify({"scenarios": services.library_scenarios()})


@bp.post("/exercises/library/<name>")
@require(Perm.EXERCISE_WRITE)
def load_from_library(name: str):
    """Create a planned exercise from a shipped scenario."""
    exercise = services.load_library_scenario(name, actor=_user())
    return jsonify(exercise.to_dict()), 201


@bp.get("/exercises/plan-clock")
@require(Perm.EXERCISE_READ)
def plan_clock():
    """When the preparedness plan was last exercised and when the two-year limit (§ 7) falls."""
    return jsonify(services.plan_clock_status())


@bp.get("/exercises/<int:exercise_id>")
@require(Perm.EXERCISE_READ)
def get_exercise(exercise_id: int):
    """One exercise with objectives and dreiebok; players see only the injects already delivered."""
    exercise = services.get_exercise(exercise_id)
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
@use_body(ExercisePatch)
def patch_exercise(exercise_id: int, body: ExercisePatch):
    """Change the plan; needs the version it read."""
    exercise = services.get_exercise(exercise_id)
    expect_version(body, exercise.version)
    changes = {key: value for key, value in body.sent().items() if key in PLAN_FIELDS}
    changes.update(body.given("organisers", "counts_for_plan", "evaluation_summary", "held_on"))
    exercise = services.update_exercise(exercise_id, changes, body.version, actor=_user())
    return jsonify(exercise.to_dict())


@bp.delete("/exercises/<int:exercise_id>")
@require(Perm.EXERCISE_WRITE)
def delete_exercise(exercise_id: int):
    """Delete the exercise and all its data (plan, run, incident with log, tasks, events, EPS data)."""
    services.delete_exercise(exercise_id, actor=_user())
    return "", 204


@bp.get("/exercises/<int:exercise_id>/scenario.yaml")
@require(Perm.EXERCISE_CONTROL)
def export_yaml(exercise_id: int):
    """The exercise as a scenario YAML file."""
    text = services.export_scenario_yaml(exercise_id)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="ovelse-{exercise_id}.yaml"'},
    )


@bp.get("/exercises/<int:exercise_id>/dreiebok.csv")
@require(Perm.EXERCISE_CONTROL)
def export_csv(exercise_id: int):
    """The dreiebok as CSV."""
    return csv_response(services.export_dreiebok_csv(exercise_id), f"dreiebok-{exercise_id}.csv")


@bp.route("/exercises/<int:exercise_id>/dreiebok.csv", methods=["PUT", "POST"])
@upload_route
@require(Perm.EXERCISE_WRITE)
def import_csv(exercise_id: int):
    """Replace the dreiebok of a planned exercise with the CSV in the body; a broken file changes nothing."""
    services.get_exercise(exercise_id)
    exercise = services.import_dreiebok_csv(exercise_id, _body_text("csv"), actor=_user())
    return jsonify(exercise.to_dict())


# ----------------------------------------------------------------------------------------- dreiebok editor


def _inject_fields(body: InjectIn) -> dict:
    return {key: value for key, value in body.sent().items() if key in INJECT_FIELDS}


@bp.get("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_CONTROL)
def list_injects(exercise_id: int):
    """The dreiebok with the state of each inject."""
    return jsonify({"injects": [i.to_dict() for i in services.get_exercise(exercise_id).injects]})


@bp.post("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_WRITE)
@use_body(InjectIn)
def add_inject(exercise_id: int, body: InjectIn):
    """Add a line to the dreiebok (before the start)."""
    services.get_exercise(exercise_id)
    inject = services.add_inject(exercise_id, _inject_fields(body), actor=_user())
    return jsonify(inject.to_dict()), 201


@bp.get("/injects/<int:inject_id>")
@require(Perm.EXERCISE_CONTROL)
def get_inject(inject_id: int):
    """One inject."""
    return jsonify(services.get_inject(inject_id).to_dict())


@bp.patch("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
@use_body(InjectPatch)
def patch_inject(inject_id: int, body: InjectPatch):
    """Edit a line of the dreiebok (before the start); needs its version."""
    inject = services.get_inject(inject_id)
    expect_version(body, inject.version)
    inject = services.update_inject(inject_id, _inject_fields(body), body.version, actor=_user())
    return jsonify(inject.to_dict())


@bp.delete("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
def delete_inject(inject_id: int):
    """Remove a line from the dreiebok (before the start)."""
    services.delete_inject(inject_id, actor=_user())
    return "", 204


# --------------------------------------------------------------------------------------------------- running


@bp.post("/exercises/<int:exercise_id>/start")
@require(Perm.EXERCISE_CONTROL)
@use_body(StartIn, optional=True)
def start(exercise_id: int, body: StartIn):
    """Start: opens the exercise incident; injects are delivered at `at / speed`."""
    services.get_exercise(exercise_id)
    exercise = services.start_exercise(exercise_id, speed=body.speed, actor=_user())
    return jsonify({"incident_id": exercise.incident_id, **exercise.summary_dict()}), 201


@bp.post("/exercises/<int:exercise_id>/pause")
@require(Perm.EXERCISE_CONTROL)
def pause(exercise_id: int):
    """Stop the exercise clock."""
    services.get_exercise(exercise_id)
    return jsonify(services.pause_exercise(exercise_id, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/resume")
@require(Perm.EXERCISE_CONTROL)
def resume(exercise_id: int):
    """Start the exercise clock again."""
    services.get_exercise(exercise_id)
    return jsonify(services.resume_exercise(exercise_id, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/speed")
@require(Perm.EXERCISE_CONTROL)
@use_body(StartIn)
def speed(exercise_id: int, body: StartIn):
    """Change the speed without a jump of the exercise clock."""
    services.get_exercise(exercise_id)
    return jsonify(services.set_speed(exercise_id, body.speed, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/finish")
@require(Perm.EXERCISE_CONTROL)
@use_body(FinishIn, optional=True)
def finish(exercise_id: int, body: FinishIn):
    """End the exercise (records the day it was held for § 7) and close its incident."""
    services.get_exercise(exercise_id)
    return jsonify(services.finish_exercise(exercise_id, held_on=body.held_on, actor=_user()).summary_dict())


@bp.post("/injects/<int:inject_id>/skip")
@require(Perm.EXERCISE_CONTROL)
def skip(inject_id: int):
    """Skip a pending inject."""
    return jsonify(services.skip_inject(inject_id, actor=_user()).to_dict())


@bp.post("/injects/<int:inject_id>/send")
@require(Perm.EXERCISE_CONTROL)
def send_now(inject_id: int):
    """Deliver the next inject now, before its time."""
    return jsonify(services.send_inject_now(inject_id, actor=_user()).to_dict())


@bp.get("/exercises/<int:exercise_id>/control")
@require(Perm.EXERCISE_CONTROL)
def control(exercise_id: int):
    """The control room: clock, next inject with countdown, delivered and skipped."""
    return jsonify(services.control_state(exercise_id))


@bp.get("/exercises/<int:exercise_id>/player")
@require(Perm.EXERCISE_READ)
@use_query(PlayerQuery)
def player(exercise_id: int, query: PlayerQuery):
    """Delivered injects addressed to `?role=` (all without it), and the roles of the exercise."""
    role = (query.role or "").strip()[:300] or None
    exercise = services.get_exercise(exercise_id)
    return jsonify(
        {
            "role": role,
            "roles": services.recipients_of(exercise),
            "incident_id": exercise.incident_id,
            "injects": [_player_view(i) for i in services.player_injects(exercise_id, role)],
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
@use_body(ObservationIn)
def add_observation(exercise_id: int, body: ObservationIn):
    """Log a timed observation against an objective; an unknown objective is refused (422)."""
    services.get_exercise(exercise_id)
    observation = evaluate.add_observation(
        exercise_id, objective=body.objective, text=body.text, at=body.at, actor=_user()
    )
    return jsonify(observation.to_dict()), 201


@bp.get("/exercises/<int:exercise_id>/evaluation")
@require(Perm.EXERCISE_READ)
def evaluation(exercise_id: int):
    """Ratings per objective, observations, lessons and the action plan."""
    return jsonify(evaluate.evaluation_data(exercise_id))


@bp.put("/exercises/<int:exercise_id>/objectives/<code>/evaluation")
@require(Perm.EVALUATION_WRITE)
@use_body(RatingIn)
def rate_objective(exercise_id: int, code: str, body: RatingIn):
    """Rate an objective: oppnådd / delvis oppnådd / ikke oppnådd, with the reasoning (version to change one)."""
    services.get_exercise(exercise_id)
    item = evaluate.rate_objective(
        exercise_id, code, rating=body.rating, reasoning=body.reasoning, version=body.version, actor=_user()
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
@use_body(SummaryIn)
def evaluation_summary(exercise_id: int, body: SummaryIn):
    """Write the summary of the evaluation; needs the exercise version."""
    exercise = services.get_exercise(exercise_id)
    expect_version(body, exercise.version)
    changes = {"evaluation_summary": body.summary}
    exercise = services.update_exercise(exercise_id, changes, body.version, actor=_user())
    return jsonify({"summary": exercise.evaluation_summary, "version": exercise.version})


@bp.get("/exercises/<int:exercise_id>/lessons")
@require(Perm.EXERCISE_READ)
def list_lessons(exercise_id: int):
    """Læringspunkter."""
    return jsonify({"lessons": evaluate.evaluation_data(exercise_id)["lessons"]})


@bp.post("/exercises/<int:exercise_id>/lessons")
@require(Perm.EVALUATION_WRITE)
@use_body(LessonIn)
def add_lesson(exercise_id: int, body: LessonIn):
    """Add a læringspunkt `{"text", "kind"?: "bevare"|"forbedre", "objective"?}`."""
    services.get_exercise(exercise_id)
    lesson = evaluate.add_lesson(exercise_id, text=body.text, kind=body.kind, objective=body.objective, actor=_user())
    return jsonify(lesson.to_dict()), 201


@bp.patch("/lessons/<int:lesson_id>")
@require(Perm.EVALUATION_WRITE)
@use_body(LessonPatch)
def patch_lesson(lesson_id: int, body: LessonPatch):
    """Edit a læringspunkt; needs its version."""
    expect_version(body, evaluate.get_lesson(lesson_id).version)
    changes = body.given("text", "kind", "objective")
    return jsonify(evaluate.update_lesson(lesson_id, changes, body.version, actor=_user()).to_dict())


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
    today = services.utcnow().astimezone(services.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(exercise_id=exercise_id)]})


@bp.post("/exercises/<int:exercise_id>/actions")
@require(Perm.EVALUATION_WRITE)
@use_body(ActionIn)
def add_action(exercise_id: int, body: ActionIn):
    """Add a tiltak `{"action", "owner", "deadline"?, "lesson_id"?}`; it starts as `open`."""
    services.get_exercise(exercise_id)
    item = evaluate.add_action(
        exercise_id,
        action=body.action,
        owner=body.owner,
        deadline=body.deadline,
        lesson_id=body.lesson_id,
        actor=_user(),
    )
    return jsonify(item.to_dict(services.utcnow().astimezone(services.OSLO).date())), 201


@bp.get("/exercise-actions")
@require(Perm.EXERCISE_READ)
@use_query(ActionsQuery)
def all_actions(query: ActionsQuery):
    """Tiltak across exercises; `?status=not_done` lists those still to follow up."""
    today = services.utcnow().astimezone(services.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(status=query.status)]})


@bp.patch("/exercise-actions/<int:action_id>")
@require(Perm.EVALUATION_WRITE)
@use_body(ActionPatch)
def patch_action(action_id: int, body: ActionPatch):
    """Follow up a tiltak: status open → in_progress → done, owner, deadline, follow-up note; needs its version."""
    expect_version(body, evaluate.get_action(action_id).version)
    changes = body.given("action", "owner", "deadline", "status", "followup")
    item = evaluate.update_action(action_id, changes, body.version, actor=_user())
    return jsonify(item.to_dict(services.utcnow().astimezone(services.OSLO).date()))


# ---------------------------------------------------------------------------------------------------- replay


@bp.get("/exercises/<int:exercise_id>/replay")
@require(Perm.EXERCISE_READ)
@use_query(ReplayQuery, status=422)
def replay(exercise_id: int, query: ReplayQuery):
    """The board of the exercise as it stood at `?at=<ISO 8601>` (now without it), from the journal."""
    return jsonify(services.replay_state(exercise_id, query.at))
