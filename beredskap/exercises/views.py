"""Pages: exercise list and library, plan with dreiebok editor, control room, player and observer views,
evaluation with action plan and PDF, and replay."""

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.concurrency import render_report
from beredskap.errors import ApiError
from beredskap.exercises import delivery, evaluate, library, queries
from beredskap.exercises.models import (
    ACTION_STATUS_TITLES,
    EXERCISE_STATUS_TITLES,
    INJECT_STATE_TITLES,
    LESSON_KIND_TITLES,
    RATING_TITLES,
    ExerciseStatus,
)
from beredskap.exercises.planclock import format_day
from beredskap.exercises.scenario import FORMS
from beredskap.realtime.journal import last_seq
from beredskap.reports.evaluation import build_evaluation
from beredskap.vocabulary import EXERCISE_FORM_TITLES

bp = Blueprint("exercises", __name__)

FORM_TITLES = EXERCISE_FORM_TITLES
SPEEDS = (1, 2, 5, 10, 30, 60, 120, 600)


def start_page_panel(user: Any) -> dict | None:
    """The start page card (here, since it links pages): § 7 plan clock, running exercises, open actions."""
    if user is None or not user.can(Perm.EXERCISE_READ):
        return None
    status = queries.plan_clock_status()
    lines = []
    if status["last_exercise"]:
        last = date.fromisoformat(status["last_exercised"])
        due = date.fromisoformat(status["due"])
        lines.append(
            {
                "text": gettext(
                    "Beredskapsplanen sist øvd %(day)s: %(title)s",
                    day=format_day(last),
                    title=status["last_exercise"]["title"],
                ),
                "url": url_for("exercises.plan_page", exercise_id=status["last_exercise"]["id"]),
            }
        )
        lines.append({"text": gettext("Neste øvelse senest %(day)s (§ 7: minst hvert annet år)", day=format_day(due))})
    for exercise in queries.running_exercises():
        if exercise.status == ExerciseStatus.RUNNING:
            text = gettext("ØVELSE %(title)s pågår", title=exercise.title)
        else:
            text = gettext("ØVELSE %(title)s er pauset", title=exercise.title)
        lines.append(
            {
                "text": text,
                "url": url_for("exercises.control_page", exercise_id=exercise.id),
            }
        )
    today = utcnow().astimezone(queries.OSLO).date()
    open_actions = evaluate.list_actions(status="not_done")
    overdue = [item for item in open_actions if item.is_overdue(today)]
    if open_actions:
        lines.append(
            {
                "text": gettext(
                    "%(count)s tiltak fra øvelser er ikke utført, %(overdue)s over fristen",
                    count=len(open_actions),
                    overdue=len(overdue),
                )
                if overdue
                else gettext("%(count)s tiltak fra øvelser er ikke utført", count=len(open_actions)),
                "url": url_for("exercises.list_page"),
            }
        )
    lines.append({"text": gettext("Alle øvelser"), "url": url_for("exercises.list_page")})
    panel: dict[str, Any] = {"title": gettext("Øvelser (§ 7)"), "lines": lines}
    if status["warning"]:
        panel["warning"] = status["warning"]
    return panel


def _titles() -> dict:
    return {
        "status_titles": {str(k): v for k, v in EXERCISE_STATUS_TITLES.items()},
        "state_titles": {str(k): v for k, v in INJECT_STATE_TITLES.items()},
        "rating_titles": {str(k): v for k, v in RATING_TITLES.items()},
        "lesson_titles": {str(k): v for k, v in LESSON_KIND_TITLES.items()},
        "action_titles": {str(k): v for k, v in ACTION_STATUS_TITLES.items()},
        # Lists keep the order (JSON objects are sorted by key when embedded).
        "rating_options": [[str(k), v] for k, v in RATING_TITLES.items()],
        "action_options": [[str(k), v] for k, v in ACTION_STATUS_TITLES.items()],
        "form_titles": FORM_TITLES,
        "forms": FORMS,
    }


def can_see_dreiebok(exercise) -> bool:
    """Players must not read the injects to come; the control room and finished exercises show them all."""
    return current_user.can(Perm.EXERCISE_CONTROL) or exercise.status == ExerciseStatus.FINISHED


def _channel_seq(exercise) -> int:
    return last_seq(f"incident:{exercise.incident_id}") if exercise.incident_id else 0


@bp.get("/exercises")
@require_page(Perm.EXERCISE_READ)
def list_page():
    """Planned, running and finished exercises, the scenario library, the § 7 clock and open actions."""
    exercises = queries.list_exercises()
    groups = {
        "running": [e for e in exercises if e.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)],
        "planned": [e for e in exercises if e.status == ExerciseStatus.PLANNED],
        "finished": sorted(
            (e for e in exercises if e.status == ExerciseStatus.FINISHED),
            key=lambda e: e.held_on or e.date or e.created_at.date(),
            reverse=True,
        ),
    }
    today = utcnow().astimezone(queries.OSLO).date()
    return render_template(
        "exercises/list.html",
        groups=groups,
        clock=queries.plan_clock_status(),
        library=library.library_scenarios(),
        open_actions=[a.to_dict(today) for a in evaluate.list_actions(status="not_done")],
        exercise_titles={e.id: e.title for e in exercises},
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>")
@require_page(Perm.EXERCISE_READ)
def plan_page(exercise_id: int):
    """The øvingsdirektiv, objectives and the dreiebok editor, with CSV/YAML import and export."""
    exercise = queries.get_exercise(exercise_id)
    data = exercise.to_dict()
    if not can_see_dreiebok(exercise):
        data["injects"] = []
    editable = exercise.status == ExerciseStatus.PLANNED and current_user.can(Perm.EXERCISE_WRITE)
    return render_template(
        "exercises/plan.html",
        exercise=exercise,
        data=data,
        editable=editable,
        show_dreiebok=can_see_dreiebok(exercise),
        speeds=SPEEDS,
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>/control")
@require_page(Perm.EXERCISE_CONTROL)
def control_page(exercise_id: int):
    """The control room: what comes next with a countdown, what was delivered, what the players did."""
    exercise = queries.get_exercise(exercise_id)
    return render_template(
        "exercises/control.html",
        exercise=exercise,
        state=delivery.control_state(exercise_id),
        since=_channel_seq(exercise),
        exercise_mode=True,
        speeds=SPEEDS,
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>/player")
@require_page(Perm.EXERCISE_READ)
def player_page(exercise_id: int):
    """A player's board: the injects addressed to the chosen role, arriving live."""
    exercise = queries.get_exercise(exercise_id)
    roles = queries.recipients_of(exercise)
    role = (request.args.get("role") or "").strip()[:300] or None
    injects = delivery.player_injects(exercise_id, role)
    for inject in injects:
        # Players see the message, not what the control room expects of them.
        inject.pop("expected", None)
        inject.pop("notes", None)
    return render_template(
        "exercises/player.html",
        exercise=exercise,
        roles=roles,
        role=role,
        injects=injects,
        since=_channel_seq(exercise),
        exercise_mode=True,
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>/observe")
@require_page(Perm.OBSERVATION_WRITE)
def observe_page(exercise_id: int):
    """The observer's page: timed observations against the objectives, with the delivered injects alongside."""
    exercise = queries.get_exercise(exercise_id)
    return render_template(
        "exercises/observe.html",
        exercise=exercise,
        objectives=[o.to_dict() for o in exercise.objectives],
        observations=[o.to_dict() for o in evaluate.list_observations(exercise_id)],
        delivered=delivery.player_injects(exercise_id, None),
        since=_channel_seq(exercise),
        exercise_mode=True,
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>/evaluation")
@require_page(Perm.EXERCISE_READ)
def evaluation_page(exercise_id: int):
    """Ratings per objective, læringspunkter and the action plan followed up until done."""
    exercise = queries.get_exercise(exercise_id)
    return render_template(
        "exercises/evaluation.html",
        exercise=exercise,
        data=evaluate.evaluation_data(exercise_id),
        can_evaluate=current_user.can(Perm.EVALUATION_WRITE),
        **_titles(),
    )


@bp.get("/exercises/<int:exercise_id>/evaluation.pdf")
@require_page(Perm.EXERCISE_READ)
def evaluation_pdf(exercise_id: int):
    """The evaluation report as PDF (ØVELSE on every page)."""
    data = evaluate.evaluation_report_data(exercise_id)
    pdf = render_report(build_evaluation, data)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="evaluering-ovelse-{exercise_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/exercises/<int:exercise_id>/replay")
@require_page(Perm.EXERCISE_READ)
def replay_page(exercise_id: int):
    """Play the exercise's board back from the journal, with a time slider and a speed."""
    exercise = queries.get_exercise(exercise_id)
    if exercise.incident_id is None:
        raise ApiError(409, "not_started", gettext("Øvelsen er ikke startet, så det finnes ingen tavle å spille av."))
    return render_template(
        "exercises/replay.html",
        exercise=exercise,
        exercise_mode=True,
        **_titles(),
    )
