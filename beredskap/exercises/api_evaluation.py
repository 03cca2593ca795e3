"""JSON API for exercises (CONTRACT §7), part two: observation, evaluation, lessons and the action plan."""

from flask import jsonify, request

from beredskap.api import expect_version, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.errors import ApiError
from beredskap.exercises import evaluate, planning, queries
from beredskap.exercises.api_common import _parse_iso_datetime, _user, bp
from beredskap.exercises.models import ActionStatus

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
