"""JSON API for exercises (CONTRACT §7): plan and dreiebok, import/export, run control, replay; evaluation is in
api_evaluation.py on the same blueprint."""

from flask import Response, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.csvfile import csv_response
from beredskap.errors import ApiError
from beredskap.exercises import board, deletion, delivery, planning, queries, runner
from beredskap.exercises import library as scenario_library
from beredskap.exercises.api_common import _user, bp, with_page_links
from beredskap.exercises.models import ExerciseStatus, InjectState
from beredskap.exercises.scenario import INJECT_FIELDS
from beredskap.exercises.scenario_yaml import MAX_TEXT_BYTES
from beredskap.exercises.schemas import (
    PLAN_FIELDS,
    ExerciseIn,
    ExercisePatch,
    FinishIn,
    ImportQuery,
    InjectIn,
    InjectPatch,
    PlayerQuery,
    ReplayQuery,
    StartIn,
)
from beredskap.security import upload_route
from beredskap.validation import takes_file, use_body, use_query

_CSV_TYPES = ("text/csv", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel")


def _body_text(kind: str) -> str:
    """The raw request body as text: UTF-8 (with or without BOM); a CSV may also come as Windows-1252."""
    if (request.content_length or 0) > MAX_TEXT_BYTES:
        raise ApiError(413, "too_large", gettext("Filen er for stor (maks %(mb)s MB).", mb=MAX_TEXT_BYTES // 1_000_000))
    raw = request.get_data(cache=False)
    if len(raw) > MAX_TEXT_BYTES:
        raise ApiError(413, "too_large", gettext("Filen er for stor (maks %(mb)s MB).", mb=MAX_TEXT_BYTES // 1_000_000))
    if not raw.strip():
        raise ApiError(422, "invalid_scenario", gettext("Linje 1: filen er tom"), {"line": 1})
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
        raise ApiError(
            400, "invalid_encoding", gettext("Linje %(line)s: filen er ikke UTF-8-tekst.", line=line), {"line": line}
        ) from None


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


@bp.get("/exercises")
@require(Perm.EXERCISE_READ)
def list_exercises():
    """Every exercise with counts, and the § 7 clock."""
    return jsonify(
        {"exercises": [_list_item(e) for e in queries.list_exercises()], "plan_clock": queries.plan_clock_status()}
    )


@bp.post("/exercises")
@require(Perm.EXERCISE_WRITE)
@use_body(ExerciseIn)
def create_exercise(body: ExerciseIn):
    """Create an exercise from a scenario in the structure of the YAML files (`draft: true` may omit the dreiebok)."""
    data = {k: v for k, v in body.sent().items() if k not in ("draft", "organisers", "counts_for_plan")}
    exercise = planning.create_exercise(
        data, draft=body.draft, organisers=body.organisers, counts_for_plan=body.counts_for_plan, actor=_user()
    )
    return jsonify(exercise.to_dict()), 201


@bp.post("/exercises/import")
@upload_route
@takes_file("application/yaml", "text/csv")
@require(Perm.EXERCISE_WRITE)
@use_query(ImportQuery, status=422)
def import_exercise(query: ImportQuery):
    """Import a scenario YAML (body) as a new exercise; with CSV and `?exercise=<id>` replace that dreiebok."""
    if _is_csv(query):
        if query.exercise is None:
            raise ApiError(
                422,
                "invalid",
                gettext("En dreiebok i CSV hører til en øvelse: oppgi ?exercise=<id>."),
                {"exercise": "påkrevd"},
            )
        queries.get_exercise(query.exercise)
        exercise = planning.import_dreiebok_csv(query.exercise, _body_text("csv"), actor=_user())
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
@use_body(ExercisePatch)
def patch_exercise(exercise_id: int, body: ExercisePatch):
    """Change the plan; needs the version it read."""
    exercise = queries.get_exercise(exercise_id)
    expect_version(body, exercise.version)
    changes = {key: value for key, value in body.sent().items() if key in PLAN_FIELDS}
    changes.update(body.given("organisers", "counts_for_plan", "evaluation_summary", "held_on"))
    exercise = planning.update_exercise(exercise_id, changes, body.version, actor=_user())
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
@takes_file("text/csv")
@require(Perm.EXERCISE_WRITE)
def import_csv(exercise_id: int):
    """Replace the dreiebok of a planned exercise with the CSV in the body; a broken file changes nothing."""
    queries.get_exercise(exercise_id)
    exercise = planning.import_dreiebok_csv(exercise_id, _body_text("csv"), actor=_user())
    return jsonify(exercise.to_dict())


def _inject_fields(body: InjectIn) -> dict:
    return {key: value for key, value in body.sent().items() if key in INJECT_FIELDS}


@bp.get("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_CONTROL)
def list_injects(exercise_id: int):
    """The dreiebok with the state of each inject."""
    return jsonify({"injects": [i.to_dict() for i in queries.get_exercise(exercise_id).injects]})


@bp.post("/exercises/<int:exercise_id>/injects")
@require(Perm.EXERCISE_WRITE)
@use_body(InjectIn)
def add_inject(exercise_id: int, body: InjectIn):
    """Add a line to the dreiebok (before the start)."""
    queries.get_exercise(exercise_id)
    inject = planning.add_inject(exercise_id, _inject_fields(body), actor=_user())
    return jsonify(inject.to_dict()), 201


@bp.get("/injects/<int:inject_id>")
@require(Perm.EXERCISE_CONTROL)
def get_inject(inject_id: int):
    """One inject."""
    return jsonify(queries.get_inject(inject_id).to_dict())


@bp.patch("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
@use_body(InjectPatch)
def patch_inject(inject_id: int, body: InjectPatch):
    """Edit a line of the dreiebok (before the start); needs its version."""
    inject = queries.get_inject(inject_id)
    expect_version(body, inject.version)
    inject = planning.update_inject(inject_id, _inject_fields(body), body.version, actor=_user())
    return jsonify(inject.to_dict())


@bp.delete("/injects/<int:inject_id>")
@require(Perm.EXERCISE_WRITE)
def delete_inject(inject_id: int):
    """Remove a line from the dreiebok (before the start)."""
    planning.delete_inject(inject_id, actor=_user())
    return "", 204


@bp.post("/exercises/<int:exercise_id>/start")
@require(Perm.EXERCISE_CONTROL)
@use_body(StartIn, optional=True)
def start(exercise_id: int, body: StartIn):
    """Start: opens the exercise incident; injects are delivered at `at / speed`."""
    queries.get_exercise(exercise_id)
    exercise = runner.start_exercise(exercise_id, speed=body.speed, actor=_user())
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
@use_body(StartIn)
def speed(exercise_id: int, body: StartIn):
    """Change the speed without a jump of the exercise clock."""
    queries.get_exercise(exercise_id)
    return jsonify(runner.set_speed(exercise_id, body.speed, actor=_user()).summary_dict())


@bp.post("/exercises/<int:exercise_id>/finish")
@require(Perm.EXERCISE_CONTROL)
@use_body(FinishIn, optional=True)
def finish(exercise_id: int, body: FinishIn):
    """End the exercise (records the day it was held for § 7) and close its incident."""
    queries.get_exercise(exercise_id)
    return jsonify(runner.finish_exercise(exercise_id, held_on=body.held_on, actor=_user()).summary_dict())


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
@use_query(PlayerQuery)
def player(exercise_id: int, query: PlayerQuery):
    """Delivered injects addressed to `?role=` (all without it), and the roles of the exercise."""
    role = (query.role or "").strip()[:300] or None
    exercise = queries.get_exercise(exercise_id)
    return jsonify(
        {
            "role": role,
            "roles": queries.recipients_of(exercise),
            "incident_id": exercise.incident_id,
            "injects": [_player_view(i) for i in delivery.player_injects(exercise_id, role)],
        }
    )


@bp.get("/incidents/<int:incident_id>/exercise")
@require(Perm.EXERCISE_READ)
def board_exercise(incident_id: int):
    """The exercise on an incident's board: clock, state and delivered injects; the control room also what comes."""
    if not current_user.can(Perm.INCIDENT_READ):
        raise ApiError(403, "forbidden", gettext("Rollen din har ikke tilgang til dette."))
    return jsonify(with_page_links(board.board_panel_or_404(incident_id, _user())))


@bp.get("/exercises/<int:exercise_id>/replay")
@require(Perm.EXERCISE_READ)
@use_query(ReplayQuery, status=422)
def replay(exercise_id: int, query: ReplayQuery):
    """The board of the exercise as it stood at `?at=<ISO 8601>` (now without it), from the journal."""
    return jsonify(delivery.replay_state(exercise_id, query.at))


# The observation and evaluation routes live in their own module on the same blueprint.
from beredskap.exercises import api_evaluation  # noqa: E402, F401
