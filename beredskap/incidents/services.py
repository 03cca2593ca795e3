"""Incident services: open and close incidents, append to the log, create and update tasks."""

from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select, update

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents.models import (
    ActionCard,
    Incident,
    IncidentKind,
    IncidentStatus,
    IncidentType,
    LogCategory,
    LogEntry,
    Task,
    TaskStatus,
)
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event, ensure_channel
from beredskap.transaction import transactional

MAX_LOG_TEXT = 4000


def actor_name(actor: User | None) -> str:
    """How a user is shown on the board."""
    return (actor.display_name or actor.username) if actor else "system"


def get_incident(incident_id: int) -> Incident:
    return get_or_not_found(Incident, incident_id, gettext("Ukjent hendelse."))


def _incident_event_data(incident: Incident) -> dict:
    return {
        "id": incident.id,
        "title": incident.title,
        "kind": incident.kind,
        "type": incident.type,
        "severity": incident.severity,
        "status": incident.status,
        "phase": incident.phase,
        "location": incident.location,
        "version": incident.version,
    }


def next_incident_counter(incident_id: int, column: str) -> int:
    """Bump a per-incident counter and return it.

    The UPDATE locks the incident row until commit (PostgreSQL) or takes the write lock (SQLite), so
    numbers are handed out in commit order, and a rolled-back transaction gives its number back.
    """
    table = Incident.__table__
    stmt = (
        update(table).where(table.c.id == incident_id).values({column: table.c[column] + 1}).returning(table.c[column])
    )
    return db.session.execute(stmt).scalar_one()


def lock_incident(incident_id: int) -> None:
    """Serialise writers of one incident on PostgreSQL (row lock until commit); SQLite has one writer anyway."""
    db.session.execute(select(Incident.id).where(Incident.id == incident_id).with_for_update())


@transactional
def open_incident(
    *,
    title: str,
    kind: str = IncidentKind.INCIDENT,
    type_: str = IncidentType.ANNET,
    description: str = "",
    severity: int = 2,
    location: dict | None = None,
    adopt_action_cards: bool = False,
    actor: User | None = None,
) -> Incident:
    """Open an incident or exercise run; announces it on `global` and starts its own channel.

    With `adopt_action_cards` the action cards of the type become tasks at once; otherwise the
    board offers them.
    """
    if kind not in tuple(IncidentKind):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være «incident» eller «exercise».", label=label("kind")),
            {"kind": "ugyldig"},
        )
    if type_ not in tuple(IncidentType):
        raise Invalid("invalid", gettext("Ukjent hendelsestype."), {"type": "ugyldig"})
    if not 1 <= severity <= 3:
        raise Invalid(
            "invalid", gettext("%(label)s må være 1, 2 eller 3.", label=label("severity")), {"severity": "1–3"}
        )
    incident = Incident(
        title=title,
        kind=kind,
        type=type_,
        description=description,
        severity=severity,
        location=location,
        created_by=actor.id if actor else None,
        created_at=utcnow(),
    )
    db.session.add(incident)
    db.session.flush()
    ensure_channel(incident.channel)
    data = _incident_event_data(incident)
    append_event("global", "incident.created", data, actor_id=incident.created_by)
    append_event(incident.channel, "incident.created", data, actor_id=incident.created_by)
    if adopt_action_cards:
        cards = db.session.scalars(
            select(ActionCard).where(ActionCard.type == type_).order_by(ActionCard.position, ActionCard.id)
        )
        for card in cards:
            add_task_from_card(incident, card, actor)
    db.session.commit()
    return incident


@transactional
def update_incident(incident_id: int, changes: dict, version: int, actor: User | None = None) -> Incident:
    """Change title, severity, phase, description, location or close it; stale versions are refused."""
    incident = get_incident(incident_id)
    if incident.version != version:
        raise Conflict("version_conflict", gettext("Hendelsen er endret av noen andre. Last inn på nytt."))
    if incident.status == IncidentStatus.CLOSED and changes.get("status") != IncidentStatus.OPEN:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    for key in ("title", "severity", "phase", "description", "location", "type"):
        if key in changes:
            setattr(incident, key, changes[key])
    status = changes.get("status")
    if status == IncidentStatus.CLOSED and incident.status != IncidentStatus.CLOSED:
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = utcnow()
    elif status == IncidentStatus.OPEN and incident.status == IncidentStatus.CLOSED:
        incident.status = IncidentStatus.OPEN
        incident.closed_at = None
    db.session.flush()
    data = _incident_event_data(incident)
    actor_id = actor.id if actor else None
    append_event(incident.channel, "incident.updated", data, actor_id=actor_id)
    append_event("global", "incident.updated", data, actor_id=actor_id)
    db.session.commit()
    return incident


def validate_log_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid("invalid", gettext("Loggteksten kan ikke være tom."), {"text": "påkrevd"})
    text = text.strip()
    if len(text) > MAX_LOG_TEXT:
        raise Invalid(
            "invalid", gettext("Loggteksten er for lang (maks %(max)s tegn).", max=MAX_LOG_TEXT), {"text": "for lang"}
        )
    return text


@transactional
def append_log_entry(
    incident_id: int,
    *,
    text: str,
    category: str = LogCategory.INFORMASJON,
    source: str = "",
    important: bool = False,
    corrects: int | None = None,
    actor: User | None = None,
) -> LogEntry:
    """Append a line to the incident log; a correction names the entry it corrects."""
    text = validate_log_text(text)
    if category not in tuple(LogCategory):
        raise Invalid("invalid", gettext("Ukjent loggkategori."), {"category": "ugyldig"})
    incident = get_incident(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("closed", gettext("Hendelsen er avsluttet; loggen er låst."))
    if corrects is not None:
        original = db.session.get(LogEntry, corrects)
        if original is None or original.incident_id != incident_id:
            raise Invalid(
                "invalid",
                gettext("Oppføringen som skal korrigeres finnes ikke i denne loggen."),
                {"corrects": "ukjent"},
            )
    entry = LogEntry(
        incident_id=incident_id,
        number=next_incident_counter(incident_id, "log_count"),
        text=text,
        category=category,
        source=(source or "").strip()[:80],
        important=bool(important),
        corrects=corrects,
        author_id=actor.id if actor else None,
        author=actor_name(actor),
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    # Board text is operational, not personal data about evacuees; those never go in the log.
    append_event(incident.channel, "log.created", entry.to_dict(), actor_id=entry.author_id)
    db.session.commit()
    return entry


def list_log(incident_id: int) -> list[LogEntry]:
    get_incident(incident_id)
    return list(
        db.session.scalars(
            select(LogEntry).where(LogEntry.incident_id == incident_id).order_by(LogEntry.number, LogEntry.id)
        )
    )


def add_task_from_card(incident: Incident, card: ActionCard, actor: User | None) -> Task:
    """Add a task made from an action card to the current transaction; the caller commits."""
    now = utcnow()
    due = now + timedelta(minutes=card.due_minutes) if card.due_minutes else None
    fields = {"title": card.title, "description": card.description, "assignee": card.assignee, "due": due}
    return _add_task(incident, now, actor, action_card_id=card.id, **fields)


def _add_task(incident: Incident, now: datetime, actor: User | None, **fields) -> Task:
    """A new task on the board, announced as task.created; the caller commits."""
    task = Task(incident_id=incident.id, created_at=now, updated_at=now, updated_by=actor_name(actor), **fields)
    db.session.add(task)
    db.session.flush()
    append_event(incident.channel, "task.created", task.to_dict(now), actor_id=actor.id if actor else None)
    return task


@transactional
def create_task(
    incident_id: int,
    *,
    title: str,
    assignee: str = "",
    due: datetime | None = None,
    description: str = "",
    actor: User | None = None,
) -> Task:
    """Add a task to the board."""
    incident = get_incident(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    task = _add_task(incident, utcnow(), actor, title=title, assignee=assignee, due=due, description=description)
    db.session.commit()
    return task


def get_task(task_id: int) -> Task:
    return get_or_not_found(Task, task_id, gettext("Ukjent oppgave."))


@transactional
def update_task(task_id: int, changes: dict, version: int, actor: User | None = None) -> Task:
    """Update a task; a stale version gets 409, never a silent overwrite."""
    task = get_task(task_id)
    if task.version != version:
        raise Conflict(
            "version_conflict",
            gettext("Oppgaven er endret av noen andre i mellomtiden. Se den nye versjonen og prøv igjen."),
        )
    if "status" in changes and changes["status"] not in tuple(TaskStatus):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være new, started eller done.", label=label("status")),
            {"status": "ugyldig"},
        )
    for key in ("title", "assignee", "due", "status", "description"):
        if key in changes:
            setattr(task, key, changes[key])
    task.updated_at = utcnow()
    task.updated_by = actor_name(actor)
    # version_id_col makes this UPDATE carry "WHERE version = :old": a concurrent writer that passed
    # the check above with the same version loses at flush time (StaleDataError → 409).
    db.session.flush()
    incident = get_incident(task.incident_id)
    append_event(incident.channel, "task.updated", task.to_dict(), actor_id=actor.id if actor else None)
    db.session.commit()
    return task


def list_tasks(incident_id: int) -> list[Task]:
    get_incident(incident_id)
    return list(db.session.scalars(select(Task).where(Task.incident_id == incident_id).order_by(Task.id)))


def list_incidents(status: str | None = None) -> list[Incident]:
    stmt = select(Incident).order_by(Incident.id.desc())
    if status:
        stmt = stmt.where(Incident.status == status)
    return list(db.session.scalars(stmt))
