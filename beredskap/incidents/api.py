"""JSON API for incidents, the log and tasks (CONTRACT §4); action cards, sitreps and presence add routes to `bp`."""

from flask import jsonify
from flask_babel import gettext
from flask_login import current_user

from beredskap.api import expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.incidents import contributions, services
from beredskap.incidents.api_blueprint import bp
from beredskap.incidents.schemas import IncidentIn, IncidentPatch, LogIn, TaskIn, TaskPatch
from beredskap.validation import use_body


@bp.get("/incidents")
@require(Perm.INCIDENT_READ)
def list_incidents():
    """All incidents, newest first."""
    return jsonify({"incidents": [i.to_dict() for i in services.list_incidents()]})


@bp.post("/incidents")
@require(Perm.INCIDENT_WRITE)
@use_body(IncidentIn)
def create_incident(body: IncidentIn):
    """Open an incident or an exercise run."""
    incident = services.open_incident(
        title=body.title,
        kind=body.kind,
        type_=body.type,
        description=body.description,
        severity=body.severity,
        location=body.location,
        adopt_action_cards=body.adopt_action_cards,
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
@use_body(IncidentPatch)
def patch_incident(incident_id: int, body: IncidentPatch):
    """Change an incident; needs the version it read."""
    incident = services.get_incident(incident_id)
    expect_version(body, incident.version)
    changes = body.given("title", "severity", "phase", "description", "type", "location", "status")
    incident = services.update_incident(incident_id, changes, body.version, actor=current_user)
    body = incident.to_dict()
    return jsonify(_with_location_warnings(body) if "location" in changes else body)


def _with_location_warnings(body: dict) -> dict:
    """A location outside the kommune is saved, and the answer says so (CONTRACT §11)."""
    warnings = contributions.location_warnings(body.get("location"))
    return {**body, "warnings": warnings} if warnings else body


@bp.get("/incidents/<int:incident_id>/log")
@require(Perm.INCIDENT_READ)
def get_log(incident_id: int):
    """The log, oldest first."""
    return jsonify({"entries": [e.to_dict() for e in services.list_log(incident_id)]})


@bp.post("/incidents/<int:incident_id>/log")
@require(Perm.LOG_WRITE)
@use_body(LogIn)
def post_log(incident_id: int, body: LogIn):
    """Append a log line (or a correction of one)."""
    entry = services.append_log_entry(
        incident_id,
        text=services.validate_log_text(body.text),
        category=body.category,
        source=body.source,
        important=body.important,
        corrects=body.corrects,
        actor=current_user,
    )
    return jsonify(entry.to_dict()), 201


@bp.route("/incidents/<int:incident_id>/log/<int:entry_id>", methods=["PATCH", "DELETE", "PUT"])
@require(Perm.INCIDENT_READ)
def log_is_append_only(incident_id: int, entry_id: int):
    """The log is append-only; corrections are new entries."""
    raise ApiError(405, "append_only", gettext("Loggen kan ikke endres eller slettes. Skriv en korrigering i stedet."))


@bp.get("/incidents/<int:incident_id>/tasks")
@require(Perm.INCIDENT_READ)
def get_tasks(incident_id: int):
    """Tasks of the incident."""
    return jsonify({"tasks": [t.to_dict() for t in services.list_tasks(incident_id)]})


@bp.post("/incidents/<int:incident_id>/tasks")
@require(Perm.TASK_WRITE)
@use_body(TaskIn)
def post_task(incident_id: int, body: TaskIn):
    """Create a task."""
    task = services.create_task(
        incident_id,
        title=body.title,
        assignee=body.assignee,
        due=body.due,
        description=body.description,
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
@use_body(TaskPatch)
def patch_task(task_id: int, body: TaskPatch):
    """Update a task; a stale version gets 409."""
    changes = body.given("status", "title", "assignee", "description", "due")
    task = services.update_task(task_id, changes, body.version, actor=current_user)
    return jsonify(task.to_dict())


# Further routes on the same blueprint, split by subject to keep each module short.
from beredskap.incidents import api_board  # noqa: E402, F401
