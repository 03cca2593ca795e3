"""Situation reports: numbered per incident, draft → approved → issued, and the data of their PDF."""

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents import contributions
from beredskap.incidents.models import (
    LOG_CATEGORY_TITLES,
    SITREP_SECTION_KEYS,
    SITREP_SECTIONS,
    Incident,
    LogCategory,
    LogEntry,
    Sitrep,
    SitrepStatus,
    Task,
    TaskStatus,
)
from beredskap.incidents.services import actor_name, get_incident, next_incident_counter
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional
from beredskap.vocabulary import DAY_TIME_FORMAT, OSLO

_SECTION_TITLES = dict(SITREP_SECTIONS)

MAX_SECTION_TEXT = 8000
# The PDF prints the newest lines of the log; older ones are in earlier reports and the full log export.
SITREP_LOG_LINES = 150


def validate_sections(sections: object) -> dict:
    """Known headings with text; 422 with a message on anything else."""
    if sections is None:
        return {}
    if not isinstance(sections, dict):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være et objekt med overskriftene som nøkler.", label=label("sections")),
            {"sections": "feil type"},
        )
    clean: dict = {}
    for key, value in sections.items():
        if key not in SITREP_SECTION_KEYS:
            raise Invalid("invalid", gettext("Ukjent overskrift «%(key)s».", key=key), {"sections": "ukjent nøkkel"})
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise Invalid(
                "invalid",
                gettext("Teksten under «%(section)s» må være tekst.", section=gettext(_SECTION_TITLES[key])),
                {key: "feil type"},
            )
        value = value.strip()
        if len(value) > MAX_SECTION_TEXT:
            raise Invalid(
                "invalid",
                gettext(
                    "Teksten under «%(section)s» kan ha høyst %(max)s tegn.",
                    section=gettext(_SECTION_TITLES[key]),
                    max=MAX_SECTION_TEXT,
                ),
                {key: "for lang"},
            )
        clean[key] = value
    return clean


def list_sitreps(incident_id: int) -> list[Sitrep]:
    get_incident(incident_id)
    return list(db.session.scalars(select(Sitrep).where(Sitrep.incident_id == incident_id).order_by(Sitrep.number)))


def get_sitrep(sitrep_id: int, incident_id: int | None = None) -> Sitrep:
    sitrep = db.session.get(Sitrep, sitrep_id)
    if sitrep is None or (incident_id is not None and sitrep.incident_id != incident_id):
        raise NotFound(gettext("Ukjent situasjonsrapport."))
    return sitrep


def _oslo_time(value: datetime | None) -> str:
    return value.astimezone(OSLO).strftime(DAY_TIME_FORMAT) if value else ""


def prefill_sections(incident: Incident, previous: Sitrep | None) -> dict:
    """A first draft from the board: tasks done and open, decisions since the last report, carried-over text."""
    since = previous.created_at if previous else None
    tasks = list(db.session.scalars(select(Task).where(Task.incident_id == incident.id).order_by(Task.id)))
    log_stmt = select(LogEntry).where(
        LogEntry.incident_id == incident.id, LogEntry.category.in_([LogCategory.BESLUTNING, LogCategory.TILTAK])
    )
    if since:
        log_stmt = log_stmt.where(LogEntry.created_at > since)
    measures = list(db.session.scalars(log_stmt.order_by(LogEntry.number)))
    corrected = set(
        db.session.scalars(
            select(LogEntry.corrects).where(LogEntry.incident_id == incident.id, LogEntry.corrects.is_not(None))
        )
    )
    taken = [f"– {task.title}" for task in tasks if task.status == TaskStatus.DONE]
    taken += [
        f"– {LOG_CATEGORY_TITLES[LogCategory(e.category)]} ({_oslo_time(e.created_at)}): {e.text}"
        for e in measures
        if e.id not in corrected
    ]
    planned = []
    for task in tasks:
        if task.status == TaskStatus.DONE:
            continue
        details = ", ".join(
            part for part in (task.assignee, f"frist {_oslo_time(task.due)}" if task.due else "") if part
        )
        planned.append(f"– {task.title}" + (f" ({details})" if details else ""))
    carried = (previous.sections or {}) if previous else {}
    return {
        "situation": carried.get("situation") or incident.description or "",
        "actions_taken": "\n".join(taken),
        "actions_planned": "\n".join(planned),
        "consequences": carried.get("consequences", ""),
        "assistance_needed": carried.get("assistance_needed", ""),
        "public_information": carried.get("public_information", ""),
        "next_report": "",
    }


@transactional
def create_sitrep(
    incident_id: int, sections: dict | None = None, *, prefill: bool = False, actor: User | None = None
) -> Sitrep:
    """Start the next numbered report as a draft, optionally prefilled from the board."""
    incident = get_incident(incident_id)
    sections = validate_sections(sections)
    number = next_incident_counter(incident_id, "sitrep_count")
    if prefill:
        previous = db.session.scalar(
            select(Sitrep).where(Sitrep.incident_id == incident_id).order_by(Sitrep.number.desc()).limit(1)
        )
        sections = {**prefill_sections(incident, previous), **sections}
    now = utcnow()
    sitrep = Sitrep(
        incident_id=incident_id,
        number=number,
        status=SitrepStatus.DRAFT,
        sections={key: sections.get(key, "") for key in SITREP_SECTION_KEYS},
        author_id=actor.id if actor else None,
        author=actor_name(actor),
        created_at=now,
        updated_at=now,
    )
    db.session.add(sitrep)
    db.session.flush()
    append_event(incident.channel, "sitrep.created", sitrep.event_data(), actor_id=sitrep.author_id)
    db.session.commit()
    return sitrep


def _check_version(sitrep: Sitrep, version: int) -> None:
    if sitrep.version != version:
        raise Conflict(
            "version_conflict",
            gettext("Rapporten er endret av noen andre i mellomtiden. Last inn på nytt og prøv igjen."),
        )


@transactional
def update_sitrep(sitrep_id: int, sections: dict, version: int, actor: User | None = None) -> Sitrep:
    """Edit a draft; an approved or issued report is frozen."""
    sitrep = get_sitrep(sitrep_id)
    _check_version(sitrep, version)
    if sitrep.status != SitrepStatus.DRAFT:
        raise Conflict("frozen", gettext("Rapporten er godkjent og kan ikke endres. Lag en ny rapport."))
    sitrep.sections = {**(sitrep.sections or {}), **validate_sections(sections)}
    sitrep.updated_at = utcnow()
    db.session.flush()
    incident = get_incident(sitrep.incident_id)
    append_event(incident.channel, "sitrep.updated", sitrep.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return sitrep


@transactional
def approve_sitrep(sitrep_id: int, version: int, actor: User | None = None) -> Sitrep:
    """Draft → approved: the report is frozen and names its approver."""
    sitrep = get_sitrep(sitrep_id)
    _check_version(sitrep, version)
    if sitrep.status != SitrepStatus.DRAFT:
        raise Conflict("invalid_state", gettext("Bare et utkast kan godkjennes."))
    now = utcnow()
    sitrep.status = SitrepStatus.APPROVED
    sitrep.approved_by_id = actor.id if actor else None
    sitrep.approved_by = actor_name(actor)
    sitrep.approved_at = now
    _record_step(sitrep, now, "sitrep.approve", "sitrep.approved", actor)
    return sitrep


@transactional
def issue_sitrep(sitrep_id: int, version: int, actor: User | None = None) -> Sitrep:
    """Approved → issued: this is now the report the PDF link gives out."""
    sitrep = get_sitrep(sitrep_id)
    _check_version(sitrep, version)
    if sitrep.status != SitrepStatus.APPROVED:
        raise Conflict("invalid_state", gettext("Rapporten må godkjennes før den sendes ut."))
    now = utcnow()
    sitrep.status = SitrepStatus.ISSUED
    sitrep.issued_at = now
    _record_step(sitrep, now, "sitrep.issue", "sitrep.issued", actor)
    return sitrep


def _record_step(sitrep: Sitrep, now, action: str, event: str, actor: User | None) -> None:
    """A step of approval (approved, issued): audited, announced on the incident's channel, committed."""
    sitrep.updated_at = now
    db.session.flush()
    incident = get_incident(sitrep.incident_id)
    record_audit(action, "sitrep", sitrep.id, actor=actor, meta={"incident_id": incident.id, "number": sitrep.number})
    append_event(incident.channel, event, sitrep.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()


def report_sitrep(incident_id: int, sitrep_id: int | None = None) -> Sitrep | None:
    """The report the PDF shows: the one asked for, else the latest issued, else the newest of any status."""
    if sitrep_id is not None:
        return get_sitrep(sitrep_id, incident_id)
    stmt = select(Sitrep).where(Sitrep.incident_id == incident_id).order_by(Sitrep.number.desc()).limit(1)
    issued = db.session.scalar(stmt.where(Sitrep.status == SitrepStatus.ISSUED))
    return issued or db.session.scalar(stmt)


def sitrep_report_data(incident_id: int, sitrep_id: int | None = None, now: datetime | None = None) -> dict:
    """Plain data for reports/sitrep.py `build_sitrep` (without the map, which is drawn off the event loop)."""
    incident = get_incident(incident_id)
    sitrep = report_sitrep(incident_id, sitrep_id)
    now = now or utcnow()
    if sitrep is None or sitrep.status == SitrepStatus.DRAFT:
        as_of = now
    else:
        as_of = sitrep.issued_at or sitrep.approved_at or now
    # Only lines up to the report's time: an issued report prints the same log every time it is opened.
    # Plain rows, not ORM objects: this runs on the event loop before the PDF goes to its worker process.
    newest = db.session.execute(
        select(
            LogEntry.id,
            LogEntry.number,
            LogEntry.created_at,
            LogEntry.category,
            LogEntry.author,
            LogEntry.text,
            LogEntry.corrects,
        )
        .where(LogEntry.incident_id == incident_id, LogEntry.created_at <= as_of)
        .order_by(LogEntry.number.desc())
        .limit(SITREP_LOG_LINES)
    ).all()
    newest.reverse()
    tasks = db.session.scalars(
        select(Task).where(Task.incident_id == incident_id).order_by(Task.due.is_(None), Task.due, Task.id)
    )
    return {
        "incident": {
            "id": incident.id,
            "title": incident.title,
            "kind": incident.kind,
            "severity": incident.severity,
            "status": incident.status,
        },
        "location": incident.location,
        "number": sitrep.number if sitrep else None,
        "as_of": as_of,
        "author": sitrep.author if sitrep else None,
        "approved_by": sitrep.approved_by if sitrep else None,
        "approved_at": sitrep.approved_at if sitrep else None,
        "status": "approved" if sitrep and sitrep.status != SitrepStatus.DRAFT else "draft",
        "sections": dict(sitrep.sections or {}) if sitrep else {},
        "log": [
            {
                "id": e.id,
                "seq": e.number,
                "created_at": e.created_at,
                "category": LOG_CATEGORY_TITLES.get(e.category, e.category),
                "author": e.author,
                "text": e.text,
                "corrects": e.corrects,
            }
            for e in newest
        ],
        "tasks": [
            {"id": t.id, "title": t.title, "assignee": t.assignee, "due": t.due, "status": t.status} for t in tasks
        ],
        "exercise": incident.is_exercise,
        "generated_at": now,
        **_map_data(incident_id),
    }


def _map_data(incident_id: int) -> dict:
    """What the sitrep map draws besides the location: zones, EPS and the current bydel grouping (issue 15)."""
    return contributions.map_data(incident_id)
