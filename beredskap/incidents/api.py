"""JSON API for incidents, the log and tasks (CONTRACT §4); action cards, sitreps and presence add routes to `bp`."""

from datetime import datetime

from flask import jsonify
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.geo import parse_point
from beredskap.incidents import services
from beredskap.incidents.models import IncidentKind, IncidentStatus, IncidentType, LogCategory, TaskStatus

bp = api_blueprint("incidents_api", __name__)


def parse_datetime(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, "invalid", f"«{name}» må være en ISO 8601-tid.", {name: "format"})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en ISO 8601-tid med tidssone.", {name: "format"}) from None
    if parsed.tzinfo is None:
        raise ApiError(422, "invalid", f"«{name}» må ha tidssone (f.eks. +01:00).", {name: "tidssone"})
    return parsed


@bp.get("/incidents")
@require(Perm.INCIDENT_READ)
def list_incidents():
    """All incidents, newest first."""
    return jsonify({"incidents": [i.to_dict() for i in services.list_incidents()]})


@bp.post("/incidents")
@require(Perm.INCIDENT_WRITE)
def create_incident():
    """Open an incident or an exercise run."""
    data = json_body()
    incident = services.open_incident(
        title=field(data, "title", str, required=True, max_length=200),
        kind=field(data, "kind", str, default=IncidentKind.INCIDENT, choices=tuple(IncidentKind)),
        type_=field(data, "type", str, default=IncidentType.ANNET, choices=tuple(IncidentType)),
        description=field(data, "description", str, default="", max_length=4000),
        severity=field(data, "severity", int, default=2, choices=(1, 2, 3)),
        location=parse_point(data.get("location")),
        adopt_action_cards=field(data, "adopt_action_cards", bool, default=False),
        actor=current_user,
    )
    return jsonify(_with_location_warnings(incident.to_dict())), 201


@bp.get("/incidents/<int:incident_id>")
@require(Perm.INCIDENT_READ)
def get_incident(incident_id: int):
    """One incident."""
    return jsonify(services.get_incident(incident_id).to_dict())


@bp.patch("/incidents/<int:incident_id>")
@require(Perm.INCIDENT_WRITE)
def patch_incident(incident_id: int):
    """Change an incident; needs the version it read."""
    data = json_body()
    incident = services.get_incident(incident_id)
    expect_version(data, incident.version)
    changes: dict = {}
    if "title" in data:
        changes["title"] = field(data, "title", str, required=True, max_length=200)
    if "severity" in data:
        changes["severity"] = field(data, "severity", int, required=True, choices=(1, 2, 3))
    if "phase" in data:
        changes["phase"] = field(data, "phase", str, required=True, max_length=60)
    if "description" in data:
        changes["description"] = field(data, "description", str, default="", max_length=4000)
    if "type" in data:
        changes["type"] = field(data, "type", str, required=True, choices=tuple(IncidentType))
    if "location" in data:
        changes["location"] = parse_point(data.get("location"))
    if "status" in data:
        changes["status"] = field(data, "status", str, choices=tuple(IncidentStatus))
    incident = services.update_incident(incident_id, changes, data["version"], actor=current_user)
    body = incident.to_dict()
    return jsonify(_with_location_warnings(body) if "location" in changes else body)


def _with_location_warnings(body: dict) -> dict:
    """A location outside the kommune is saved, and the answer says so (CONTRACT §11)."""
    from beredskap.maps.analysis import location_warnings

    warnings = location_warnings(body.get("location"))
    return {**body, "warnings": warnings} if warnings else body


@bp.get("/incidents/<int:incident_id>/log")
@require(Perm.INCIDENT_READ)
def get_log(incident_id: int):
    """The log, oldest first."""
    return jsonify({"entries": [e.to_dict() for e in services.list_log(incident_id)]})


@bp.post("/incidents/<int:incident_id>/log")
@require(Perm.LOG_WRITE)
def post_log(incident_id: int):
    """Append a log line (or a correction of one)."""
    data = json_body()
    entry = services.append_log_entry(
        incident_id,
        text=services.validate_log_text(data.get("text")),
        category=field(data, "category", str, default=LogCategory.INFORMASJON, choices=tuple(LogCategory)),
        source=field(data, "source", str, default="", max_length=80),
        important=field(data, "important", bool, default=False),
        corrects=field(data, "corrects", int),
        actor=current_user,
    )
    return jsonify(entry.to_dict()), 201


@bp.route("/incidents/<int:incident_id>/log/<int:entry_id>", methods=["PATCH", "DELETE", "PUT"])
@require(Perm.INCIDENT_READ)
def log_is_append_only(incident_id: int, entry_id: int):
    """The log is append-only; corrections are new entries."""
    raise ApiError(405, "append_only", "Loggen kan ikke endres eller slettes. Skriv en korrigering i stedet.")


@bp.get("/incidents/<int:incident_id>/tasks")
@require(Perm.INCIDENT_READ)
def get_tasks(incident_id: int):
    """Tasks of the incident."""
    return jsonify({"tasks": [t.to_dict() for t in services.list_tasks(incident_id)]})


@bp.post("/incidents/<int:incident_id>/tasks")
@require(Perm.TASK_WRITE)
def post_task(incident_id: int):
    """Create a task."""
    data = json_body()
    task = services.create_task(
        incident_id,
        title=field(data, "title", str, required=True, max_length=300),
        assignee=field(data, "assignee", str, default="", max_length=200),
        due=parse_datetime(data.get("due"), "due"),
        description=field(data, "description", str, default="", max_length=4000),
        actor=current_user,
    )
    return jsonify(task.to_dict()), 201


@bp.get("/tasks/<int:task_id>")
@require(Perm.INCIDENT_READ)
def get_task(task_id: int):
    """One task (the board reloads it after a conflict)."""
    return jsonify(services.get_task(task_id).to_dict())


@bp.patch("/tasks/<int:task_id>")
@require(Perm.TASK_WRITE)
def patch_task(task_id: int):
    """Update a task; a stale version gets 409."""
    data = json_body()
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {"version": "påkrevd"})
    changes: dict = {}
    if "status" in data:
        changes["status"] = field(data, "status", str, choices=tuple(TaskStatus))
    if "title" in data:
        changes["title"] = field(data, "title", str, required=True, max_length=300)
    if "assignee" in data:
        changes["assignee"] = field(data, "assignee", str, default="", max_length=200)
    if "description" in data:
        changes["description"] = field(data, "description", str, default="", max_length=4000)
    if "due" in data:
        changes["due"] = parse_datetime(data.get("due"), "due")
    task = services.update_task(task_id, changes, version, actor=current_user)
    return jsonify(task.to_dict())


# Further routes on the same blueprint, split by subject to keep each module short.
from beredskap.incidents import api_board  # noqa: E402, F401
