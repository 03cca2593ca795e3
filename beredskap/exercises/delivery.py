"""Injects during a run: the scheduler's delivery in `no` order, send now and skip, the control room's view, replay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import exists, select, update
from sqlalchemy.orm import aliased

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict
from beredskap.exercises.models import Exercise, ExerciseStatus, Inject, InjectState, Objective
from beredskap.exercises.queries import exercise_clock, get_exercise, get_inject, lock_exercise, locked_exercise
from beredskap.exercises.replay import board_state, timeline
from beredskap.exercises.schedule import seconds_until_due
from beredskap.extensions import db
from beredskap.realtime.journal import append_event, events_since, events_until
from beredskap.transaction import transactional


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
    exercise = lock_exercise(exercise_id)
    inject = _next_pending(exercise_id)
    if not _next_is_due(exercise, now, inject) or not _claim_inject(inject, InjectState.DELIVERED, now, in_order=True):
        db.session.rollback()
        return False
    # SQLite takes its write lock with the claim: a pause committed after the reads above shows up now.
    exercise = lock_exercise(exercise_id)
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
    exercise = locked_exercise(inject.exercise_id)
    if exercise.status not in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED) or exercise.incident_id is None:
        raise Conflict("not_running", gettext("Innspill kan bare sendes eller hoppes over mens øvelsen pågår."))
    return inject, exercise


@transactional
def skip_inject(inject_id: int, *, actor: User | None = None, now: datetime | None = None) -> Inject:
    """Skip a pending inject: it will never be delivered, and the ones after it no longer wait for it."""
    now = now or utcnow()
    inject, exercise = _control_inject(inject_id)
    if not _claim_inject(inject, InjectState.SKIPPED, now, in_order=False):
        raise Conflict(
            "not_pending", gettext("Innspill nr. %(no)s er allerede levert eller hoppet over.", no=inject.no)
        )
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
        raise Conflict(
            "not_pending", gettext("Innspill nr. %(no)s er allerede levert eller hoppet over.", no=inject.no)
        )
    if not _claim_inject(inject, InjectState.DELIVERED, now, in_order=True, early=True):
        first = _next_pending(exercise.id)
        if first is not None and first.id != inject.id:
            raise Conflict(
                "out_of_order",
                gettext(
                    "Innspillene leveres i rekkefølge: send eller hopp over innspill nr. %(no)s først.", no=first.no
                ),
            )
        raise Conflict(
            "not_pending", gettext("Innspill nr. %(no)s er allerede levert eller hoppet over.", no=inject.no)
        )
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


def replay_state(exercise_id: int, at: datetime | None = None) -> dict[str, Any]:
    """The exercise's board as it stood at `at` (now when None), folded from the journal of its incident."""
    exercise = get_exercise(exercise_id)
    if exercise.incident_id is None:
        raise Conflict("not_started", gettext("Øvelsen er ikke startet, så det finnes ingen tavle å spille av."))
    channel = f"incident:{exercise.incident_id}"
    events = events_until(channel, at) if at is not None else events_since(channel, 0)
    everything = [event.envelope() for event in events_since(channel, 0)]
    return {
        "exercise_id": exercise.id,
        "incident_id": exercise.incident_id,
        "state": board_state([event.envelope() for event in events], at),
        "timeline": timeline(everything),
    }
