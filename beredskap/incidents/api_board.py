"""JSON API for the rest of the board: action cards, situation reports and who is on the board."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.incidents import actioncards, presence, sitreps
from beredskap.incidents.api_blueprint import bp
from beredskap.incidents.schemas import (
    ActionCardIn,
    ActionCardPatch,
    ActionCardQuery,
    AdoptIn,
    SitrepIn,
    SitrepPatch,
    VersionIn,
)
from beredskap.incidents.services import get_incident
from beredskap.validation import use_body, use_query


def _card_values(body: ActionCardIn | ActionCardPatch, *, partial: bool) -> dict:
    names = ("type", "title", "description", "assignee")
    values = body.given(*names) if partial else {name: getattr(body, name) for name in names}
    values.update(body.given("due_minutes", "position"))
    if "alert_team" in body.model_fields_set:
        # The roster team an alerting card calls out; null or "" makes it an ordinary card again.
        values["alert_team"] = body.alert_team or None
    return values


# --- action cards (tiltakskort) ---------------------------------------------------------------------------


@bp.get("/actioncards")
@require(Perm.INCIDENT_READ)
@use_query(ActionCardQuery)
def list_action_cards(query: ActionCardQuery):
    """The library of action cards; `?type=flom` for one incident type."""
    return jsonify({"actioncards": [c.to_dict() for c in actioncards.list_action_cards(query.type)]})


@bp.post("/actioncards")
@require(Perm.ACTIONCARD_WRITE)
@use_body(ActionCardIn)
def create_action_card(body: ActionCardIn):
    """Add a card to the library."""
    card = actioncards.create_action_card(_card_values(body, partial=False), actor=current_user)
    return jsonify(card.to_dict()), 201


@bp.get("/actioncards/<int:card_id>")
@require(Perm.INCIDENT_READ)
def get_action_card(card_id: int):
    """One card."""
    return jsonify(actioncards.get_action_card(card_id).to_dict())


@bp.patch("/actioncards/<int:card_id>")
@require(Perm.ACTIONCARD_WRITE)
@use_body(ActionCardPatch)
def patch_action_card(card_id: int, body: ActionCardPatch):
    """Edit a card; needs the version it read."""
    values = _card_values(body, partial=True)
    card = actioncards.update_action_card(card_id, values, body.version, actor=current_user)
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
@use_body(AdoptIn)
def adopt_action_cards(incident_id: int, body: AdoptIn):
    """Make tasks of cards (`card_ids`, default all not yet used)."""
    tasks = actioncards.adopt_action_cards(incident_id, body.card_ids, actor=current_user)
    return jsonify({"tasks": [t.to_dict() for t in tasks]}), 201


# --- situation reports ------------------------------------------------------------------------------------


@bp.get("/incidents/<int:incident_id>/sitreps")
@require(Perm.INCIDENT_READ)
def list_sitreps(incident_id: int):
    """The incident's situation reports by number."""
    return jsonify({"sitreps": [s.to_dict() for s in sitreps.list_sitreps(incident_id)]})


@bp.post("/incidents/<int:incident_id>/sitreps")
@require(Perm.SITREP_WRITE)
@use_body(SitrepIn)
def create_sitrep(incident_id: int, body: SitrepIn):
    """Start the next report as a draft (`prefill: true` drafts it from the board)."""
    sitrep = sitreps.create_sitrep(incident_id, body.sections, prefill=body.prefill, actor=current_user)
    return jsonify(sitrep.to_dict()), 201


@bp.get("/sitreps/<int:sitrep_id>")
@require(Perm.INCIDENT_READ)
def get_sitrep(sitrep_id: int):
    """One report."""
    return jsonify(sitreps.get_sitrep(sitrep_id).to_dict())


@bp.patch("/sitreps/<int:sitrep_id>")
@require(Perm.SITREP_WRITE)
@use_body(SitrepPatch)
def patch_sitrep(sitrep_id: int, body: SitrepPatch):
    """Edit a draft's sections; needs the version it read."""
    sitrep = sitreps.update_sitrep(sitrep_id, body.sections or {}, body.version, actor=current_user)
    return jsonify(sitrep.to_dict())


@bp.post("/sitreps/<int:sitrep_id>/approve")
@require(Perm.SITREP_APPROVE)
@use_body(VersionIn)
def approve_sitrep(sitrep_id: int, body: VersionIn):
    """Draft → approved (coordinator)."""
    expect_version(body, sitreps.get_sitrep(sitrep_id).version)
    return jsonify(sitreps.approve_sitrep(sitrep_id, body.version, actor=current_user).to_dict())


@bp.post("/sitreps/<int:sitrep_id>/issue")
@require(Perm.SITREP_WRITE)
@use_body(VersionIn)
def issue_sitrep(sitrep_id: int, body: VersionIn):
    """Approved → issued."""
    expect_version(body, sitreps.get_sitrep(sitrep_id).version)
    return jsonify(sitreps.issue_sitrep(sitrep_id, body.version, actor=current_user).to_dict())


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
