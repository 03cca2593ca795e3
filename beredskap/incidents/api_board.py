"""JSON API for the rest of the board: action cards, situation reports and who is on the board."""

from flask import jsonify, request
from flask_login import current_user

from beredskap.api import expect_version, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.incidents import actioncards, presence, sitreps
from beredskap.incidents.api_blueprint import bp
from beredskap.incidents.models import IncidentType
from beredskap.incidents.services import get_incident


def _version(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {"version": "påkrevd"})
    return version


def _card_values(data: dict, *, partial: bool) -> dict:
    values: dict = {}
    for name, kind, length in (
        ("type", str, 30),
        ("title", str, 300),
        ("description", str, 4000),
        ("assignee", str, 200),
    ):
        if name in data or not partial:
            required = name in ("type", "title")
            values[name] = field(
                data,
                name,
                kind,
                required=required,
                default="",
                max_length=length,
                choices=tuple(IncidentType) if name == "type" else None,
            )
    for name in ("due_minutes", "position"):
        if name in data:
            values[name] = field(data, name, int)
    if "alert_team" in data:
        # The roster team an alerting card calls out; null or "" makes it an ordinary card again.
        values["alert_team"] = field(data, "alert_team", str, max_length=40) or None
    return values


# --- action cards (tiltakskort) ---------------------------------------------------------------------------


@bp.get("/actioncards")
@require(Perm.INCIDENT_READ)
def list_action_cards():
    """The library of action cards; `?type=flom` for one incident type."""
    type_ = request.args.get("type") or None
    if type_ is not None and type_ not in tuple(IncidentType):
        raise ApiError(400, "invalid", "Ukjent hendelsestype.", {"type": "ugyldig"})
    return jsonify({"actioncards": [c.to_dict() for c in actioncards.list_action_cards(type_)]})


@bp.post("/actioncards")
@require(Perm.ACTIONCARD_WRITE)
def create_action_card():
    """Add a card to the library."""
    card = actioncards.create_action_card(_card_values(json_body(), partial=False), actor=current_user)
    return jsonify(card.to_dict()), 201


@bp.get("/actioncards/<int:card_id>")
@require(Perm.INCIDENT_READ)
def get_action_card(card_id: int):
    """One card."""
    return jsonify(actioncards.get_action_card(card_id).to_dict())


@bp.patch("/actioncards/<int:card_id>")
@require(Perm.ACTIONCARD_WRITE)
def patch_action_card(card_id: int):
    """Edit a card; needs the version it read."""
    data = json_body()
    version = _version(data)
    card = actioncards.update_action_card(card_id, _card_values(data, partial=True), version, actor=current_user)
    return jsonify(card.to_dict())


@bp.delete("/actioncards/<int:card_id>")
@require(Perm.ACTIONCARD_WRITE)
def delete_action_card(card_id: int):
    """Remove a card from the library."""
    actioncards.delete_action_card(card_id, actor=current_user)
    return "", 204


@bp.get("/incidents/<int:incident_id>/actioncards")
@require(Perm.INCIDENT_READ)
def incident_action_cards(incident_id: int):
    """The cards offered on this board, each with the task made from it."""
    return jsonify({"actioncards": actioncards.incident_action_cards(incident_id)})


@bp.post("/incidents/<int:incident_id>/actioncards/adopt")
@require(Perm.TASK_WRITE)
def adopt_action_cards(incident_id: int):
    """Make tasks of cards (`card_ids`, default all not yet used)."""
    data = json_body()
    card_ids = data.get("card_ids")
    if card_ids is not None and (
        not isinstance(card_ids, list)
        or len(card_ids) > 500
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in card_ids)
    ):
        raise ApiError(422, "invalid", "«card_ids» må være en liste med heltall.", {"card_ids": "feil type"})
    tasks = actioncards.adopt_action_cards(incident_id, card_ids, actor=current_user)
    return jsonify({"tasks": [t.to_dict() for t in tasks]}), 201


# --- situation reports ------------------------------------------------------------------------------------


@bp.get("/incidents/<int:incident_id>/sitreps")
@require(Perm.INCIDENT_READ)
def list_sitreps(incident_id: int):
    """The incident's situation reports by number."""
    return jsonify({"sitreps": [s.to_dict() for s in sitreps.list_sitreps(incident_id)]})


@bp.post("/incidents/<int:incident_id>/sitreps")
@require(Perm.SITREP_WRITE)
def create_sitrep(incident_id: int):
    """Start the next report as a draft (`prefill: true` drafts it from the board)."""
    data = json_body()
    sitrep = sitreps.create_sitrep(
        incident_id, data.get("sections"), prefill=field(data, "prefill", bool, default=False), actor=current_user
    )
    return jsonify(sitrep.to_dict()), 201


@bp.get("/sitreps/<int:sitrep_id>")
@require(Perm.INCIDENT_READ)
def get_sitrep(sitrep_id: int):
    """One report."""
    return jsonify(sitreps.get_sitrep(sitrep_id).to_dict())


@bp.patch("/sitreps/<int:sitrep_id>")
@require(Perm.SITREP_WRITE)
def patch_sitrep(sitrep_id: int):
    """Edit a draft's sections; needs the version it read."""
    data = json_body()
    version = _version(data)
    sitrep = sitreps.update_sitrep(sitrep_id, data.get("sections") or {}, version, actor=current_user)
    return jsonify(sitrep.to_dict())


@bp.post("/sitreps/<int:sitrep_id>/approve")
@require(Perm.SITREP_APPROVE)
def approve_sitrep(sitrep_id: int):
    """Draft → approved (coordinator)."""
    data = json_body()
    expect_version(data, sitreps.get_sitrep(sitrep_id).version)
    return jsonify(sitreps.approve_sitrep(sitrep_id, data["version"], actor=current_user).to_dict())


@bp.post("/sitreps/<int:sitrep_id>/issue")
@require(Perm.SITREP_WRITE)
def issue_sitrep(sitrep_id: int):
    """Approved → issued."""
    data = json_body()
    expect_version(data, sitreps.get_sitrep(sitrep_id).version)
    return jsonify(sitreps.issue_sitrep(sitrep_id, data["version"], actor=current_user).to_dict())


# --- presence ---------------------------------------------------------------------------------------------


@bp.get("/incidents/<int:incident_id>/presence")
@require(Perm.INCIDENT_READ)
def get_presence(incident_id: int):
    """Who has the board open now."""
    get_incident(incident_id)
    present = presence.present_users(incident_id)
    return jsonify({"present": present, "count": len(present), "heartbeat_seconds": presence.HEARTBEAT_SECONDS})


@bp.post("/incidents/<int:incident_id>/presence")
@require(Perm.INCIDENT_READ)
def heartbeat(incident_id: int):
    """Heartbeat of an open board; answers who is on it."""
    present = presence.touch_presence(incident_id, current_user._get_current_object())
    return jsonify({"present": present, "count": len(present), "heartbeat_seconds": presence.HEARTBEAT_SECONDS})


@bp.delete("/incidents/<int:incident_id>/presence")
@require(Perm.INCIDENT_READ)
def leave(incident_id: int):
    """The board was closed."""
    presence.leave_board(incident_id, current_user._get_current_object())
    return "", 204
