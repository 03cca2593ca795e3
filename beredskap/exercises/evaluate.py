"""Observation and evaluation services: timed observations, ratings per objective, læringspunkter, the action
plan followed up until done, and the data of the evaluation report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.exercises.models import (
    ActionPlanItem,
    ActionStatus,
    Evaluation,
    Exercise,
    ExerciseStatus,
    Lesson,
    LessonKind,
    Observation,
    Rating,
)
from beredskap.exercises.queries import MAX_TEXT, OSLO, exercise_clock, get_exercise, parse_day
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents.services import actor_name
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

_RATING_ALIASES = {
    "achieved": Rating.ACHIEVED,
    "partially_achieved": Rating.PARTIAL,
    "not_achieved": Rating.NOT_ACHIEVED,
}


# ----------------------------------------------------------------------------------------------- observing


def _objective_code(exercise: Exercise, code: Any) -> str | None:
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if not isinstance(code, str):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være koden til et øvingsmål, f.eks. M1.", label=label("objective")),
            {"objective": "ugyldig"},
        )
    code = code.strip()
    known = [objective.code for objective in exercise.objectives]
    if code not in known:
        if known:
            message = gettext(
                "Ukjent øvingsmål «%(code)s». Øvelsen har %(known)s.", code=code[:20], known=", ".join(known)
            )
        else:
            message = gettext("Ukjent øvingsmål «%(code)s». Øvelsen har ingen mål.", code=code[:20])
        raise Invalid("unknown_objective", message, {"objective": "ukjent"})
    return code


@transactional
def add_observation(
    exercise_id: int,
    *,
    objective: Any,
    text: str,
    actor: User | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Observation:
    """Log a timed observation against an objective (None for a general one); unknown objectives are refused."""
    now = now or utcnow()
    exercise = get_exercise(exercise_id)
    code = _objective_code(exercise, objective)
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise Invalid("invalid", gettext("Observasjonen kan ikke være tom."), {"text": "påkrevd"})
    if len(text) > MAX_TEXT:
        raise Invalid(
            "invalid", gettext("Observasjonen er for lang (maks %(max)s tegn).", max=MAX_TEXT), {"text": "for lang"}
        )
    when = at or now
    observation = Observation(
        exercise_id=exercise.id,
        objective=code,
        text=text,
        at=when,
        exercise_seconds=exercise_clock(exercise, when),
        observer_id=actor.id if actor else None,
        observer=actor_name(actor),
    )
    db.session.add(observation)
    if exercise.channel:
        db.session.flush()
        # Ids only: the text is read through the API by those allowed to, not pushed to players on the channel.
        append_event(
            exercise.channel,
            "observation.added",
            {"exercise_id": exercise.id, "id": observation.id},
            actor_id=actor.id if actor else None,
        )
    db.session.commit()
    return observation


def list_observations(exercise_id: int) -> list[Observation]:
    """The observations of an exercise in time order."""
    get_exercise(exercise_id)
    return list(
        db.session.scalars(
            select(Observation).where(Observation.exercise_id == exercise_id).order_by(Observation.at, Observation.id)
        )
    )


# ---------------------------------------------------------------------------------------------- evaluating


def normalise_rating(value: Any) -> str:
    """Return the Norwegian rating (oppnådd / delvis oppnådd / ikke oppnådd) for a rating or its English code."""
    if isinstance(value, str):
        folded = " ".join(value.strip().casefold().split())
        if folded in tuple(Rating):
            return Rating(folded).value
        if folded in _RATING_ALIASES:
            return _RATING_ALIASES[folded].value
    raise Invalid(
        "invalid",
        gettext("Vurderingen må være «oppnådd», «delvis oppnådd» eller «ikke oppnådd»."),
        {"rating": "ugyldig"},
    )


@transactional
def rate_objective(
    exercise_id: int, code: str, *, rating: Any, reasoning: Any, version: int | None = None, actor: User | None = None
) -> Evaluation:
    """Rate one objective with the reasoning; changing an existing rating needs its version (409 when stale)."""
    exercise = get_exercise(exercise_id)
    objective = next((o for o in exercise.objectives if o.code == code), None)
    if objective is None:
        raise NotFound(gettext("Øvelsen har ikke øvingsmålet «%(code)s».", code=code[:20]))
    rating = normalise_rating(rating)
    reasoning = reasoning.strip() if isinstance(reasoning, str) else ""
    if not reasoning:
        raise Invalid("invalid", gettext("Skriv begrunnelsen for vurderingen."), {"reasoning": "påkrevd"})
    if len(reasoning) > MAX_TEXT:
        raise Invalid(
            "invalid", gettext("Begrunnelsen er for lang (maks %(max)s tegn).", max=MAX_TEXT), {"reasoning": "for lang"}
        )
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.objective_id == objective.id))
    if evaluation is None:
        evaluation = Evaluation(exercise_id=exercise.id, objective_id=objective.id)
        db.session.add(evaluation)
    elif version != evaluation.version:
        raise Conflict("version_conflict", gettext("Vurderingen er endret av noen andre. Last inn på nytt."))
    evaluation.rating = rating
    evaluation.reasoning = reasoning
    evaluation.author = actor_name(actor)
    evaluation.updated_at = utcnow()
    db.session.flush()
    db.session.commit()
    return evaluation


def _clean_text(value: Any, name: str, label: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise Invalid("invalid", gettext("%(label)s må være tekst.", label=label), {name: "feil type"})
    if required and not text:
        raise Invalid("invalid", gettext("%(label)s mangler.", label=label), {name: "påkrevd"})
    if len(text) > max_length:
        raise Invalid(
            "invalid",
            gettext("%(label)s er for lang (maks %(max)s tegn).", label=label, max=max_length),
            {name: "for lang"},
        )
    return text


def _lesson_kind(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in tuple(LessonKind):
        raise Invalid("invalid", gettext("Læringspunktet er enten «bevare» eller «forbedre»."), {"kind": "ugyldig"})
    return value


@transactional
def add_lesson(
    exercise_id: int, *, text: Any, kind: Any = None, objective: Any = None, actor: User | None = None
) -> Lesson:
    """Add a læringspunkt (what to keep or to improve)."""
    exercise = get_exercise(exercise_id)
    lesson = Lesson(
        exercise_id=exercise.id,
        text=_clean_text(text, "text", gettext("Læringspunktet")),
        kind=_lesson_kind(kind),
        objective=_objective_code(exercise, objective),
        author=actor_name(actor),
        created_at=utcnow(),
    )
    db.session.add(lesson)
    db.session.commit()
    return lesson


def get_lesson(lesson_id: int) -> Lesson:
    return get_or_not_found(Lesson, lesson_id, gettext("Ukjent læringspunkt."))


@transactional
def update_lesson(lesson_id: int, changes: Mapping[str, Any], version: int, *, actor: User | None = None) -> Lesson:
    """Edit a læringspunkt; a stale version gets 409."""
    lesson = get_lesson(lesson_id)
    if lesson.version != version:
        raise Conflict("version_conflict", gettext("Læringspunktet er endret av noen andre. Last inn på nytt."))
    if "text" in changes:
        lesson.text = _clean_text(changes["text"], "text", gettext("Læringspunktet"))
    if "kind" in changes:
        lesson.kind = _lesson_kind(changes["kind"])
    if "objective" in changes:
        lesson.objective = _objective_code(get_exercise(lesson.exercise_id), changes["objective"])
    db.session.flush()
    db.session.commit()
    return lesson


@transactional
def delete_lesson(lesson_id: int, *, actor: User | None = None) -> None:
    """Remove a læringspunkt; actions made from it stay in the plan."""
    db.session.delete(get_lesson(lesson_id))
    db.session.commit()


def _parse_deadline(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise Invalid("invalid", gettext("Fristen må være en dato på formen ÅÅÅÅ-MM-DD."), {"deadline": "format"})


@transactional
def add_action(
    exercise_id: int, *, action: Any, owner: Any, deadline: Any = None, lesson_id: Any = None, actor: User | None = None
) -> ActionPlanItem:
    """Add a tiltak to the action plan with an owner and a deadline; it starts as `open`."""
    exercise = get_exercise(exercise_id)
    if lesson_id is not None:
        lesson = db.session.get(Lesson, lesson_id) if isinstance(lesson_id, int) else None
        if lesson is None or lesson.exercise_id != exercise.id:
            raise Invalid("invalid", gettext("Læringspunktet finnes ikke i denne øvelsen."), {"lesson_id": "ukjent"})
    now = utcnow()
    item = ActionPlanItem(
        exercise_id=exercise.id,
        lesson_id=lesson_id,
        action=_clean_text(action, "action", gettext("Tiltaket")),
        owner=_clean_text(owner, "owner", gettext("Ansvarlig"), max_length=200),
        deadline=_parse_deadline(deadline),
        status=ActionStatus.OPEN,
        created_at=now,
        updated_at=now,
        updated_by=actor_name(actor),
    )
    db.session.add(item)
    db.session.commit()
    return item


def get_action(action_id: int) -> ActionPlanItem:
    return get_or_not_found(ActionPlanItem, action_id, gettext("Ukjent tiltak."))


@transactional
def update_action(
    action_id: int, changes: Mapping[str, Any], version: int, *, actor: User | None = None
) -> ActionPlanItem:
    """Follow up a tiltak (status open → in_progress → done, owner, deadline, follow-up note); 409 when stale."""
    item = get_action(action_id)
    if item.version != version:
        raise Conflict("version_conflict", gettext("Tiltaket er endret av noen andre. Last inn på nytt."))
    now = utcnow()
    if "action" in changes:
        item.action = _clean_text(changes["action"], "action", gettext("Tiltaket"))
    if "owner" in changes:
        item.owner = _clean_text(changes["owner"], "owner", gettext("Ansvarlig"), max_length=200)
    if "deadline" in changes:
        item.deadline = _parse_deadline(changes["deadline"])
    if "followup" in changes:
        item.followup = _clean_text(changes["followup"], "followup", gettext("Oppfølgingen"), required=False)
    if "status" in changes:
        status = changes["status"]
        if status not in tuple(ActionStatus):
            raise Invalid("invalid", gettext("Status må være open, in_progress eller done."), {"status": "ugyldig"})
        if status == ActionStatus.DONE and item.status != ActionStatus.DONE:
            item.done_at = now
        elif status != ActionStatus.DONE:
            item.done_at = None
        item.status = status
    item.updated_at = now
    item.updated_by = actor_name(actor)
    db.session.flush()
    db.session.commit()
    return item


def list_actions(*, exercise_id: int | None = None, status: str | None = None) -> list[ActionPlanItem]:
    """Tiltak of one exercise or all of them; `status=not_done` gives those still to follow up."""
    stmt = select(ActionPlanItem).order_by(
        ActionPlanItem.deadline.is_(None), ActionPlanItem.deadline, ActionPlanItem.id
    )
    if exercise_id is not None:
        get_exercise(exercise_id)
        stmt = stmt.where(ActionPlanItem.exercise_id == exercise_id)
    if status == "not_done":
        stmt = stmt.where(ActionPlanItem.status != ActionStatus.DONE)
    elif status:
        stmt = stmt.where(ActionPlanItem.status == status)
    return list(db.session.scalars(stmt))


def evaluation_data(exercise_id: int) -> dict[str, Any]:
    """Everything the evaluation page and API show: ratings per objective, observations, lessons, actions."""
    exercise = get_exercise(exercise_id)
    today = utcnow().astimezone(OSLO).date()
    evaluations = {
        e.objective_id: e for e in db.session.scalars(select(Evaluation).where(Evaluation.exercise_id == exercise_id))
    }
    observations = list_observations(exercise_id)
    objectives = []
    for objective in exercise.objectives:
        evaluation = evaluations.get(objective.id)
        objectives.append(
            {
                **objective.to_dict(),
                "rating": evaluation.rating if evaluation else None,
                "reasoning": evaluation.reasoning if evaluation else None,
                "rated_by": evaluation.author if evaluation else None,
                "version": evaluation.version if evaluation else None,
                "observations": sum(1 for o in observations if o.objective == objective.code),
            }
        )
    lessons = db.session.scalars(select(Lesson).where(Lesson.exercise_id == exercise_id).order_by(Lesson.id))
    return {
        "exercise": exercise.summary_dict(),
        "summary": exercise.evaluation_summary,
        "objectives": objectives,
        "observations": [o.to_dict() for o in observations],
        "lessons": [lesson.to_dict() for lesson in lessons],
        "actions": [item.to_dict(today) for item in list_actions(exercise_id=exercise_id)],
    }


_PDF_ACTION_STATUS = {ActionStatus.OPEN: "planlagt", ActionStatus.IN_PROGRESS: "pågår", ActionStatus.DONE: "utført"}


def evaluation_report_data(exercise_id: int) -> dict[str, Any]:
    """The input of reports.evaluation.build_evaluation for an exercise (plain data, no database objects)."""
    exercise = get_exercise(exercise_id)
    data = evaluation_data(exercise_id)
    return {
        "plan": {
            "title": exercise.title,
            "form": exercise.form,
            "date": exercise.held_on or exercise.date,
            "location": exercise.location,
            "purpose": exercise.purpose,
            "organiser": exercise.organisers,
            "participants": [p.get("role") for p in exercise.participants or [] if p.get("role")],
        },
        "objectives": [
            {"id": o["id"], "text": o["text"], "rating": o["rating"], "reasoning": o["reasoning"]}
            for o in data["objectives"]
        ],
        "observations": [
            {"objective": o.objective, "text": o.text, "observer": o.observer, "at": o.at}
            for o in list_observations(exercise_id)
        ],
        "lessons": [{"text": lesson["text"], "kind": lesson["kind"]} for lesson in data["lessons"]],
        "action_plan": [
            {
                "action": a["action"],
                "owner": a["owner"],
                "deadline": parse_day(a["deadline"]),
                "status": _PDF_ACTION_STATUS.get(a["status"], a["status"]),
            }
            for a in data["actions"]
        ],
        "summary": exercise.evaluation_summary,
        "exercise": True,
        "draft": exercise.status != ExerciseStatus.FINISHED,
        "generated_at": utcnow(),
    }
