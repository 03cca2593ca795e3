"""Deleting an exercise with everything it made, its incident and that incident's EPS data (audited purge)."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import delete

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.domain_errors import Conflict, Forbidden
from beredskap.eps.privacy import delete_exercise_personal_data
from beredskap.exercises.models import Exercise, ExerciseStatus
from beredskap.exercises.queries import get_exercise
from beredskap.extensions import db
from beredskap.incidents.models import Incident, IncidentKind
from beredskap.realtime import catchup
from beredskap.realtime.journal import append_event
from beredskap.realtime.models import Channel, Event
from beredskap.transaction import transactional


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
        raise Forbidden(
            gettext(
                "Bare administrator og beredskapskoordinator kan slette en øvelse som er"
                " gjennomført, fordi den kan ha data fra EPS."
            ),
        )
    if exercise.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED):
        raise Conflict("running", gettext("Avslutt øvelsen før du sletter den."))
    if incident_id is not None:
        delete_exercise_personal_data(incident_id)
    _delete_rows(exercise_id, incident_id, actor)
