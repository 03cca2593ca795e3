"""JSON API for the desk's loose ends (issue 17): corrections with history, checking in again, households,
centre history, and the purposes of access the EPS-leder keeps (CONTRACT §5 add-on; docs/API_ADDITIONS.md)."""

from flask import jsonify, session
from flask_login import current_user

from beredskap.api import api_blueprint, require
from beredskap.auth.permissions import Perm
from beredskap.eps import corrections, desk_reads, purposes
from beredskap.eps.api import _reason as access_reason_of
from beredskap.eps.api import no_store
from beredskap.eps.models import Household
from beredskap.eps.queries import get_centre
from beredskap.eps.schemas import (
    EvacueePatch,
    InquiryPatch,
    PurposeChoice,
    PurposeIn,
    PurposeListQuery,
    PurposePatch,
    ReasonQuery,
)
from beredskap.extensions import db
from beredskap.validation import use_body, use_query

bp = api_blueprint("eps_desk_api", __name__)


# Old and new personal values: not for browser or proxy caches, as on the rest of the EPS API.
bp.after_request(no_store)


def reason_for(centre_id: int | None, query: ReasonQuery) -> str:
    return access_reason_of(query, centre_id)


# --- corrections and checking in again ---


@bp.patch("/evacuees/<int:evacuee_id>")
@require(Perm.PERSON_WRITE)
@use_body(EvacueePatch)
def correct_evacuee(evacuee_id: int, body: EvacueePatch):
    """Correct a registration; the values it replaced are kept in its history, the audit names the fields."""
    changes = body.given(*corrections.EVACUEE_FIELDS)
    evacuee = corrections.correct_evacuee(evacuee_id, changes, body.version, actor=current_user)
    return jsonify(evacuee.to_dict())


@bp.post("/evacuees/<int:evacuee_id>/checkin")
@require(Perm.PERSON_WRITE)
def check_in_again(evacuee_id: int):
    """Check a person in again after check-out (409 when present)."""
    evacuee = corrections.check_in_again(evacuee_id, actor=current_user)
    return jsonify({"id": evacuee.id, "status": evacuee.status, "version": evacuee.version})


@bp.get("/evacuees/<int:evacuee_id>/history")
@require(Perm.PERSON_READ)
@use_query(ReasonQuery)
def evacuee_history(evacuee_id: int, query: ReasonQuery):
    """Status history and corrections (values before and after, who, when) of a registration; audited."""
    reason = reason_for(purposes.centre_of("evacuee", evacuee_id), query)
    return jsonify(desk_reads.read_evacuee_history(evacuee_id, current_user, reason))


@bp.patch("/inquiries/<int:inquiry_id>")
@require(Perm.PERSON_WRITE)
@use_body(InquiryPatch)
def correct_inquiry(inquiry_id: int, body: InquiryPatch):
    """Correct a next-of-kin inquiry; an open one is matched again when whom it seeks changed."""
    changes = body.given(*corrections.INQUIRY_FIELDS)
    inquiry = corrections.correct_inquiry(inquiry_id, changes, body.version, actor=current_user)
    return jsonify(inquiry.to_dict())


@bp.get("/inquiries/<int:inquiry_id>/history")
@require(Perm.PERSON_READ)
@use_query(ReasonQuery)
def inquiry_history(inquiry_id: int, query: ReasonQuery):
    """The corrections of an inquiry (values before and after, who, when); audited."""
    reason = reason_for(purposes.centre_of("inquiry", inquiry_id), query)
    return jsonify(desk_reads.read_inquiry_history(inquiry_id, current_user, reason))


@bp.get("/households/<int:household_id>")
@require(Perm.PERSON_READ)
@use_query(ReasonQuery)
def household(household_id: int, query: ReasonQuery):
    """Everyone registered together in a household, present or left; each member shown is audited."""
    found = db.session.get(Household, household_id)
    reason = reason_for(found.centre_id if found else None, query)
    return jsonify(desk_reads.read_household(household_id, current_user, reason))


@bp.get("/eps/<int:eps_id>/history")
@require(Perm.EPS_READ)
def centre_history(eps_id: int):
    """Every change of the centre's name, capacity, status and leader, with who and when (no personal data)."""
    return jsonify(desk_reads.centre_history(eps_id))


# --- purposes of access ---


@bp.get("/eps/purposes")
@require(Perm.PERSON_READ)
@use_query(PurposeListQuery)
def list_purposes(query: PurposeListQuery):
    """The purposes a desk picks from (`?all=1`: inactive ones too, for the EPS-leder)."""
    everything = query.all == "1" and purposes.is_leader(current_user)
    return jsonify({"purposes": purposes.list_purposes(everything), "can_edit": purposes.is_leader(current_user)})


@bp.post("/eps/purposes")
@require(Perm.PERSON_READ)
@use_body(PurposeIn)
def create_purpose(body: PurposeIn):
    """Add a purpose to the list (EPS-leder, admin, coordinator)."""
    return jsonify(purposes.create_purpose(body.title, current_user).to_dict()), 201


@bp.patch("/eps/purposes/<int:purpose_id>")
@require(Perm.PERSON_READ)
@use_body(PurposePatch)
def patch_purpose(purpose_id: int, body: PurposePatch):
    """Rename or (de)activate a purpose (EPS-leder, admin, coordinator); needs the version it read."""
    purpose = purposes.update_purpose(purpose_id, body.given("title", "active"), body.version, current_user)
    return jsonify(purpose.to_dict())


@bp.get("/eps/<int:eps_id>/purpose")
@require(Perm.PERSON_READ)
def chosen_purpose(eps_id: int):
    """The purpose this session picked for the centre (null when none yet) and the list to pick from."""
    get_centre(eps_id)
    return jsonify({"purpose": purposes.remembered(session, eps_id), "purposes": purposes.list_purposes()})


@bp.post("/eps/<int:eps_id>/purpose")
@require(Perm.PERSON_READ)
@use_body(PurposeChoice)
def choose_purpose(eps_id: int, body: PurposeChoice):
    """Pick the purpose for reading personal data at this centre; kept for the session, changeable."""
    return jsonify({"purpose": purposes.remember(session, eps_id, body.purpose_id, body.note)})


@bp.delete("/eps/<int:eps_id>/purpose")
@require(Perm.PERSON_READ)
def forget_purpose(eps_id: int):
    """Forget the purpose picked for this centre; the desk asks again."""
    get_centre(eps_id)
    purposes.forget(session, eps_id)
    return jsonify({"purpose": None})
