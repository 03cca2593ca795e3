"""JSON API of the directory, the agreement as data and the Oversiktsbilde (routes on the cooperation `bp`)."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import knowledge, services
from beredskap.cooperation.api_base import bp
from beredskap.cooperation.schemas import (
    PERSON_FIELDS,
    ROUTINE_FIELDS,
    AgreementEvaluationIn,
    AgreementIn,
    DistrictPatch,
    FocusAreaPatch,
    PersonIn,
    PersonPatch,
    RoutineIn,
    RoutinePatch,
    changed,
)
from beredskap.validation import use_body

# --- directory --------------------------------------------------------------------------------------------


@bp.get("/cooperation/directory")
@require(Perm.COOP_READ)
def directory():
    """Parties and units, functions, people, and the bydeler with områdekontakter, police contacts and meeting
    points; phone and e-mail only for roles that work with the contacts."""
    return jsonify(services.directory_data(current_user))


@bp.post("/cooperation/people")
@require(Perm.COOP_WRITE)
@use_body(PersonIn)
def add_person(body: PersonIn):
    """Add someone to the directory: `{"name", "function", "unit_id", "title"?, "bydel"?, "email"?, "phone"?,
    "deputy_of_id"?}` (`deputy_of_id`: the person whose function this one deputises for)."""
    person = services.add_person(changed(body, *PERSON_FIELDS), actor=current_user)
    return jsonify(person.to_dict(contacts=True)), 201


@bp.patch("/cooperation/people/<int:person_id>")
@require(Perm.COOP_WRITE)
@use_body(PersonPatch)
def patch_person(person_id: int, body: PersonPatch):
    """Change or deactivate someone in the directory; needs `version`."""
    fields = changed(body, *PERSON_FIELDS, "active")
    person = services.update_person(person_id, fields, body.version, actor=current_user)
    return jsonify(person.to_dict(contacts=True))


@bp.patch("/cooperation/districts/<int:district_id>")
@require(Perm.COOP_WRITE)
@use_body(DistrictPatch)
def patch_district(district_id: int, body: DistrictPatch):
    """Change a bydel's regular meeting point `{"meeting_point"?, "meeting_schedule"?, "version"}`."""
    changes = changed(body, "meeting_point", "meeting_schedule")
    return jsonify(services.update_district(district_id, changes, body.version, actor=current_user).to_dict())


# --- agreement --------------------------------------------------------------------------------------------


@bp.get("/cooperation/agreement")
@require(Perm.COOP_READ)
def agreement():
    """The agreement: period, sections, steering documents, innsatsområder, cooperation areas with routines,
    yearly evaluations."""
    return jsonify(knowledge.agreement_data())


@bp.get("/cooperation/agreements/<int:agreement_id>")
@require(Perm.COOP_READ)
def agreement_by_id(agreement_id: int):
    """One registered agreement, as `GET /cooperation/agreement` gives the current one."""
    return jsonify(knowledge.agreement_data(agreement_id))


@bp.post("/cooperation/agreements")
@require(Perm.COOP_WRITE)
@use_body(AgreementIn)
def register_agreement(body: AgreementIn):
    """Register the next agreement: `{"valid_from": "2029-01-01", "valid_to": "2032-12-31", "title"?,
    "period_basis"?, "parties"?: [..], "signatories"?: [{"name", "function", "unit", "party"}], "outside_note"?,
    "copy_lists"?: bool}`; the årshjul then covers its years."""
    agreement = knowledge.register_agreement(body.model_dump(), actor=current_user)
    return jsonify(knowledge.agreement_data(agreement.id)), 201


@bp.post("/cooperation/areas/<int:area_id>/routines")
@require(Perm.COOP_WRITE)
@use_body(RoutineIn)
def add_routine(area_id: int, body: RoutineIn):
    """Add a routine `{"title", "owner"?, "status"?: "under_arbeid"|"formalisert", "document_url"?}`."""
    fields = changed(body, *ROUTINE_FIELDS)
    return jsonify(knowledge.add_routine(area_id, fields, actor=current_user).to_dict()), 201


@bp.patch("/cooperation/routines/<int:routine_id>")
@require(Perm.COOP_WRITE)
@use_body(RoutinePatch)
def patch_routine(routine_id: int, body: RoutinePatch):
    """Change a routine (e.g. status formalisert with its document link); needs `version`."""
    fields = changed(body, *ROUTINE_FIELDS)
    routine = knowledge.update_routine(routine_id, fields, body.version, actor=current_user)
    return jsonify(routine.to_dict())


@bp.patch("/cooperation/focus-areas/<int:focus_area_id>")
@require(Perm.COOP_WRITE)
@use_body(FocusAreaPatch)
def patch_focus_area(focus_area_id: int, body: FocusAreaPatch):
    """Rename or describe an innsatsområde; needs `version`."""
    changes = changed(body, "title", "description")
    return jsonify(knowledge.update_focus_area(focus_area_id, changes, body.version, actor=current_user).to_dict())


@bp.post("/cooperation/agreement/evaluations")
@require(Perm.COOP_WRITE)
@use_body(AgreementEvaluationIn)
def add_evaluation(body: AgreementEvaluationIn):
    """Record the year's evaluation `{"year", "summary", "meeting_id"?}`."""
    evaluation = knowledge.record_evaluation(body.year, body.summary, body.meeting_id, actor=current_user)
    return jsonify(evaluation.to_dict()), 201
