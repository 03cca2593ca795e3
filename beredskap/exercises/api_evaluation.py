"""JSON API for exercises (CONTRACT §7), part two: observation, evaluation, lessons and the action plan."""

from flask import jsonify

from beredskap.api import expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.exercises import evaluate, planning, queries
from beredskap.exercises.api_common import _user, bp
from beredskap.exercises.schemas import (
    ActionIn,
    ActionPatch,
    ActionsQuery,
    LessonIn,
    LessonPatch,
    ObservationIn,
    RatingIn,
    SummaryIn,
)
from beredskap.validation import use_body, use_query

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
    queries.get_exercise(exercise_id)
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
    queries.get_exercise(exercise_id)
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
    exercise = queries.get_exercise(exercise_id)
    expect_version(body, exercise.version)
    changes = {"evaluation_summary": body.summary}
    exercise = planning.update_exercise(exercise_id, changes, body.version, actor=_user())
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
    queries.get_exercise(exercise_id)
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
    today = utcnow().astimezone(queries.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(exercise_id=exercise_id)]})


@bp.post("/exercises/<int:exercise_id>/actions")
@require(Perm.EVALUATION_WRITE)
@use_body(ActionIn)
def add_action(exercise_id: int, body: ActionIn):
    """Add a tiltak `{"action", "owner", "deadline"?, "lesson_id"?}`; it starts as `open`."""
    queries.get_exercise(exercise_id)
    item = evaluate.add_action(
        exercise_id,
        action=body.action,
        owner=body.owner,
        deadline=body.deadline,
        lesson_id=body.lesson_id,
        actor=_user(),
    )
    return jsonify(item.to_dict(utcnow().astimezone(queries.OSLO).date())), 201


@bp.get("/exercise-actions")
@require(Perm.EXERCISE_READ)
@use_query(ActionsQuery)
def all_actions(query: ActionsQuery):
    """Tiltak across exercises; `?status=not_done` lists those still to follow up."""
    today = utcnow().astimezone(queries.OSLO).date()
    return jsonify({"actions": [a.to_dict(today) for a in evaluate.list_actions(status=query.status)]})


@bp.patch("/exercise-actions/<int:action_id>")
@require(Perm.EVALUATION_WRITE)
@use_body(ActionPatch)
def patch_action(action_id: int, body: ActionPatch):
    """Follow up a tiltak: status open → in_progress → done, owner, deadline, follow-up note; needs its version."""
    expect_version(body, evaluate.get_action(action_id).version)
    changes = body.given("action", "owner", "deadline", "status", "followup")
    item = evaluate.update_action(action_id, changes, body.version, actor=_user())
    return jsonify(item.to_dict(utcnow().astimezone(queries.OSLO).date()))
