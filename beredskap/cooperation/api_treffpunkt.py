"""JSON API of the bydeler's contacts and faste treffpunkter (§4), with the meetings held and their legal basis."""

from flask import Response, jsonify
from flask_login import current_user

from beredskap.api import api_blueprint, expect_version, require
from beredskap.auth.permissions import Perm
from beredskap.consent import services as consent
from beredskap.consent.schemas import BasisIn, WithdrawIn
from beredskap.cooperation import treffpunkt
from beredskap.cooperation.schemas_knowledge import TreffpunktIn, TreffpunktMeetingIn, TreffpunktPatch
from beredskap.validation import use_body

bp = api_blueprint("coop_treffpunkt_api", __name__)


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cooperation/bydeler")
@require(Perm.COOP_READ)
def bydeler():
    """Per bydel of the map's current grouping: områdekontakter, police contacts and treffpunkter."""
    return jsonify(treffpunkt.bydeler_data(current_user))


@bp.post("/cooperation/treffpunkter")
@require(Perm.COOP_WRITE)
@use_body(TreffpunktIn)
def create_treffpunkt(body: TreffpunktIn):
    """Set up a recurring treffpunkt `{"bydel", "title", "location"?, "schedule"?}`."""
    fields = body.changes()
    created = treffpunkt.create_treffpunkt(fields, actor=current_user)
    return jsonify(created.to_dict()), 201


@bp.get("/cooperation/treffpunkter/<int:treffpunkt_id>")
@require(Perm.COOP_READ)
def get_treffpunkt(treffpunkt_id: int):
    """One treffpunkt with every meeting held, newest first."""
    return jsonify(treffpunkt.treffpunkt_data(treffpunkt_id))


@bp.patch("/cooperation/treffpunkter/<int:treffpunkt_id>")
@require(Perm.COOP_WRITE)
@use_body(TreffpunktPatch)
def patch_treffpunkt(treffpunkt_id: int, body: TreffpunktPatch):
    """Change `{"title"?, "bydel"?, "location"?, "schedule"?, "active"?, "version"}`."""
    expect_version(body, treffpunkt.get_treffpunkt(treffpunkt_id).version)
    updated = treffpunkt.update_treffpunkt(treffpunkt_id, body.changes(), body.version, actor=current_user)
    return jsonify(updated.to_dict())


@bp.post("/cooperation/treffpunkter/<int:treffpunkt_id>/meetings")
@require(Perm.COOP_WRITE)
@use_body(TreffpunktMeetingIn)
def record_meeting(treffpunkt_id: int, body: TreffpunktMeetingIn):
    """Record a meeting held `{"held_on", "participants": [...], "summary", "personal_case"?, "basis"?}`; a
    personal case needs `basis` (hjemmel or samtykke, as for the EPS exports)."""
    meeting = treffpunkt.record_meeting(treffpunkt_id, body.model_dump(), actor=current_user)
    return jsonify(treffpunkt.meeting_response(meeting)), 201


@bp.get("/cooperation/treffpunkt-meetings/<int:meeting_id>/bases")
@require(Perm.COOP_WRITE)
def meeting_bases(meeting_id: int):
    """The hjemler and consents of a meeting, who consented included; the read is audited."""
    meeting = treffpunkt.get_meeting(meeting_id)
    return jsonify({"bases": consent.read_bases(treffpunkt.SCOPE, meeting.id, current_user)})


@bp.post("/cooperation/treffpunkt-meetings/<int:meeting_id>/bases")
@require(Perm.COOP_WRITE)
@use_body(BasisIn)
def add_meeting_basis(meeting_id: int, body: BasisIn):
    """Record a new basis for a meeting (`{"kind", "purpose", "legal_basis"?, "consent_by"?, "valid_until"?}`)."""
    basis = treffpunkt.add_meeting_basis(meeting_id, body.model_dump(), actor=current_user)
    return jsonify(basis.to_dict(consent.oslo_today(), with_person=True)), 201


@bp.post("/cooperation/treffpunkt-meetings/<int:meeting_id>/bases/<int:basis_id>/withdraw")
@require(Perm.COOP_WRITE)
@use_body(WithdrawIn)
def withdraw_meeting_basis(meeting_id: int, basis_id: int, body: WithdrawIn):
    """Withdraw a meeting's consent `{"reason"?, "version"?}`; audited."""
    treffpunkt.get_meeting(meeting_id)
    basis = consent.withdraw_basis(basis_id, treffpunkt.SCOPE, meeting_id, body.reason, current_user, body.version)
    return jsonify(basis.to_dict(consent.oslo_today(), with_person=True))
