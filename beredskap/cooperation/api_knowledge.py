"""JSON API of the directory, the agreement as data and the Oversiktsbilde (routes on the cooperation `bp`)."""

from datetime import date

from flask import jsonify
from flask_login import current_user

from beredskap.api import field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import knowledge, services
from beredskap.cooperation.agreement import FUNCTIONS, ROUTINE_STATUSES
from beredskap.cooperation.api_base import MAX_TEXT, bp, id_field, parse_day, version_of
from beredskap.errors import ApiError

# --- directory --------------------------------------------------------------------------------------------


def _person_fields(data: dict, *, creating: bool) -> dict:
    fields: dict = {}
    if creating or "name" in data:
        fields["name"] = field(data, "name", str, required=True, max_length=200)
    if creating or "function" in data:
        fields["function"] = field(data, "function", str, required=True, choices=tuple(FUNCTIONS))
    if creating or "unit_id" in data:
        fields["unit_id"] = id_field(data, "unit_id", required=True)
    for key, limit in (("title", 200), ("email", 200), ("phone", 40)):
        if key in data:
            fields[key] = field(data, key, str, default="", max_length=limit)
    if "bydel" in data:
        # Checked against the map's current bydeler by the service.
        fields["bydel"] = field(data, "bydel", str, max_length=80) if data.get("bydel") else None
    if "deputy_of_id" in data:
        fields["deputy_of_id"] = id_field(data, "deputy_of_id")
    if "active" in data and not creating:
        fields["active"] = field(data, "active", bool, required=True)
    return fields


@bp.get("/cooperation/directory")
@require(Perm.COOP_READ)
def directory():
    """Parties and units, functions, people, and the bydeler with områdekontakter, police contacts and meeting
    points; phone and e-mail only for roles that work with the contacts."""
    return jsonify(services.directory_data(current_user))


@bp.post("/cooperation/people")
@require(Perm.COOP_WRITE)
def add_person():
    """Add someone to the directory: `{"name", "function", "unit_id", "title"?, "bydel"?, "email"?, "phone"?,
    "deputy_of_id"?}` (`deputy_of_id`: the person whose function this one deputises for)."""
    person = services.add_person(_person_fields(json_body(), creating=True), actor=current_user)
    return jsonify(person.to_dict(contacts=True)), 201


@bp.patch("/cooperation/people/<int:person_id>")
@require(Perm.COOP_WRITE)
def patch_person(person_id: int):
    """Change or deactivate someone in the directory; needs `version`."""
    data = json_body()
    version = version_of(data)
    person = services.update_person(person_id, _person_fields(data, creating=False), version, actor=current_user)
    return jsonify(person.to_dict(contacts=True))


@bp.patch("/cooperation/districts/<int:district_id>")
@require(Perm.COOP_WRITE)
def patch_district(district_id: int):
    """Change a bydel's regular meeting point `{"meeting_point"?, "meeting_schedule"?, "version"}`."""
    data = json_body()
    version = version_of(data)
    changes = {
        key: field(data, key, str, default="", max_length=300)
        for key in ("meeting_point", "meeting_schedule")
        if key in data
    }
    return jsonify(services.update_district(district_id, changes, version, actor=current_user).to_dict())


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


def _day(data: dict, name: str) -> date:
    """A required date in the body, by the API's one date rule (`parse_day`)."""
    value = parse_day(data.get(name), name)
    if value is None:
        raise ApiError(422, "invalid", f"Feltet «{name}» mangler, f.eks. 2029-01-01.", {name: "påkrevd"})
    return value


def _text_list(data: dict, name: str, limit: int = 20) -> list[str]:
    value = data.get(name) or []
    if not isinstance(value, list) or len(value) > limit or not all(isinstance(v, str) and v.strip() for v in value):
        raise ApiError(422, "invalid", f"«{name}» må være en liste med tekst.", {name: "liste"})
    return [v.strip()[:300] for v in value]


def _signatories(data: dict) -> list[dict]:
    value = data.get("signatories") or []
    if not isinstance(value, list) or len(value) > 20:
        raise ApiError(422, "invalid", "«signatories» må være en liste.", {"signatories": "liste"})
    out = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ApiError(422, "invalid", "Hver underskriver må ha et navn.", {"signatories": "navn"})
        out.append({key: str(entry.get(key) or "")[:200] for key in ("name", "function", "unit", "party")})
    return out


@bp.post("/cooperation/agreements")
@require(Perm.COOP_WRITE)
def register_agreement():
    """Register the next agreement: `{"valid_from": "2029-01-01", "valid_to": "2032-12-31", "title"?,
    "period_basis"?, "parties"?: [..], "signatories"?: [{"name", "function", "unit", "party"}], "outside_note"?,
    "copy_lists"?: bool}`; the årshjul then covers its years."""
    data = json_body()
    fields = {
        "valid_from": _day(data, "valid_from"),
        "valid_to": _day(data, "valid_to"),
        "title": field(data, "title", str, default="", max_length=300),
        "period_basis": field(data, "period_basis", str, default="", max_length=1000),
        "outside_note": field(data, "outside_note", str, default="", max_length=4000),
        "summary": field(data, "summary", str, default="", max_length=4000),
        "parties": _text_list(data, "parties"),
        "signatories": _signatories(data),
        "copy_lists": field(data, "copy_lists", bool, default=False),
    }
    agreement = knowledge.register_agreement(fields, actor=current_user)
    return jsonify(knowledge.agreement_data(agreement.id)), 201


def _routine_fields(data: dict) -> dict:
    fields: dict = {}
    if "title" in data:
        fields["title"] = field(data, "title", str, required=True, max_length=300)
    if "owner" in data:
        fields["owner"] = field(data, "owner", str, default="", max_length=200)
    if "status" in data:
        fields["status"] = field(data, "status", str, required=True, choices=tuple(ROUTINE_STATUSES))
    if "document_url" in data:
        fields["document_url"] = field(data, "document_url", str, default="", max_length=500)
    return fields


@bp.post("/cooperation/areas/<int:area_id>/routines")
@require(Perm.COOP_WRITE)
def add_routine(area_id: int):
    """Add a routine `{"title", "owner"?, "status"?: "under_arbeid"|"formalisert", "document_url"?}`."""
    data = json_body()
    fields = _routine_fields(data)
    if not fields.get("title"):
        raise ApiError(422, "invalid", "Feltet «title» mangler.", {"title": "påkrevd"})
    return jsonify(knowledge.add_routine(area_id, fields, actor=current_user).to_dict()), 201


@bp.patch("/cooperation/routines/<int:routine_id>")
@require(Perm.COOP_WRITE)
def patch_routine(routine_id: int):
    """Change a routine (e.g. status formalisert with its document link); needs `version`."""
    data = json_body()
    version = version_of(data)
    routine = knowledge.update_routine(routine_id, _routine_fields(data), version, actor=current_user)
    return jsonify(routine.to_dict())


@bp.patch("/cooperation/focus-areas/<int:focus_area_id>")
@require(Perm.COOP_WRITE)
def patch_focus_area(focus_area_id: int):
    """Rename or describe an innsatsområde; needs `version`."""
    data = json_body()
    version = version_of(data)
    changes: dict = {}
    if "title" in data:
        changes["title"] = field(data, "title", str, required=True, max_length=200)
    if "description" in data:
        changes["description"] = field(data, "description", str, default="", max_length=4000)
    return jsonify(knowledge.update_focus_area(focus_area_id, changes, version, actor=current_user).to_dict())


@bp.post("/cooperation/agreement/evaluations")
@require(Perm.COOP_WRITE)
def add_evaluation():
    """Record the year's evaluation `{"year", "summary", "meeting_id"?}`."""
    data = json_body()
    evaluation = knowledge.record_evaluation(
        field(data, "year", int, required=True),
        field(data, "summary", str, required=True, max_length=MAX_TEXT),
        id_field(data, "meeting_id"),
        actor=current_user,
    )
    return jsonify(evaluation.to_dict()), 201
