"""JSON API of the legal basis for the EPS exports to the police: record, list and withdraw (CONTRACT §5 add-on)."""

from flask import Response, jsonify
from flask_login import current_user

from beredskap.api import api_blueprint, require
from beredskap.auth.permissions import Perm
from beredskap.consent import services
from beredskap.consent.schemas import BasisIn, WithdrawIn
from beredskap.eps.services import get_centre
from beredskap.validation import use_body

bp = api_blueprint("consent_api", __name__)


@bp.after_request
def no_store(response: Response) -> Response:
    # A consent names who gave it: not for browser or proxy caches.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/eps/<int:eps_id>/share-bases")
@require(Perm.PERSON_EXPORT)
def list_bases(eps_id: int):
    """The hjemler and consents recorded for sharing the centre's registry with the police; reads are audited."""
    get_centre(eps_id)
    bases = services.read_bases("eps", eps_id, current_user)
    return jsonify({"bases": bases, "valid": any(b["valid"] for b in bases)})


@bp.post("/eps/<int:eps_id>/share-bases")
@require(Perm.PERSON_EXPORT)
@use_body(BasisIn)
def record_basis(eps_id: int, body: BasisIn):
    """Record `{"kind": "hjemmel"|"samtykke", "purpose", "legal_basis"?, "consent_by"?, "valid_until"?}`."""
    get_centre(eps_id)
    basis = services.record_basis("eps", eps_id, body.model_dump(), current_user)
    return jsonify(basis.to_dict(services.oslo_today(), with_person=True)), 201


@bp.post("/eps/<int:eps_id>/share-bases/<int:basis_id>/withdraw")
@require(Perm.PERSON_EXPORT)
@use_body(WithdrawIn)
def withdraw_basis(eps_id: int, basis_id: int, body: WithdrawIn):
    """Withdraw a consent or hjemmel `{"reason"?, "version"?}`; exports refuse to run on it from now on."""
    basis = services.withdraw_basis(basis_id, "eps", eps_id, body.reason, current_user, body.version)
    return jsonify(basis.to_dict(services.oslo_today(), with_person=True))
