"""JSON API of the formannskap questions and the regional politiråd's member list (routes on the cooperation `bp`)."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import formannskap, regional
from beredskap.cooperation.api_base import MAX_TEXT, bp, version_of
from beredskap.errors import ApiError

# --- formannskap: the politicians' questions --------------------------------------------------------------


def _question_fields(data: dict, *, creating: bool) -> dict:
    fields: dict = {}
    for key, limit in (("asked_by", 200), ("answered_by", 200)):
        if creating or key in data:
            fields[key] = field(data, key, str, required=creating and key == "asked_by", default="", max_length=limit)
    for key in ("question", "answer"):
        if creating or key in data:
            fields[key] = field(
                data, key, str, required=creating and key == "question", default="", max_length=MAX_TEXT
            )
    return fields


@bp.get("/cooperation/meetings/<int:meeting_id>/questions")
@require(Perm.COOP_READ)
def list_questions(meeting_id: int):
    """The politicians' questions in a formannskap meeting, with the answers and who gave them."""
    return jsonify({"questions": formannskap.questions_for(meeting_id)})


@bp.post("/cooperation/meetings/<int:meeting_id>/questions")
@require(Perm.COOP_WRITE)
def add_question(meeting_id: int):
    """Record a question `{"asked_by", "question", "answer"?, "answered_by"?}` (formannskap meetings only)."""
    fields = _question_fields(json_body(), creating=True)
    return jsonify(formannskap.add_question(meeting_id, fields, actor=current_user).to_dict()), 201


@bp.patch("/cooperation/questions/<int:question_id>")
@require(Perm.COOP_WRITE)
def patch_question(question_id: int):
    """Record the answer `{"answer", "answered_by", "version"}` or correct the question."""
    data = json_body()
    version = version_of(data)
    fields = _question_fields(data, creating=False)
    return jsonify(formannskap.update_question(question_id, fields, version, actor=current_user).to_dict())


@bp.delete("/cooperation/questions/<int:question_id>")
@require(Perm.COOP_WRITE)
def delete_question(question_id: int):
    """Remove a question recorded by mistake."""
    formannskap.delete_question(question_id, actor=current_user)
    return jsonify({"deleted": question_id})


# --- regional politiråd -----------------------------------------------------------------------------------


@bp.get("/cooperation/regional-politirad/members")
@require(Perm.COOP_READ)
def regional_members():
    """The regional politiråd's own member list (Region Kristiansand); e-mail only for roles with contacts."""
    return jsonify(regional.members_data(current_user))


@bp.patch("/cooperation/regional-politirad/members")
@require(Perm.COOP_WRITE)
def patch_regional_members():
    """Replace the list: `{"members": [{"name", "organisation"?, "function"?, "email"?}], "version"}`.

    New regional politiråd meetings invite this list; the ordinary politiråd keeps its fixed members."""
    data = json_body()
    version = version_of(data)
    raw = data.get("members")
    if not isinstance(raw, list) or len(raw) > regional.MAX_MEMBERS:
        raise ApiError(
            422, "invalid", f"«members» må være en liste (maks {regional.MAX_MEMBERS}).", {"members": "liste"}
        )
    members = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise ApiError(422, "invalid", "Hvert medlem må være et objekt med navn.", {"members": "objekt"})
        members.append(
            {
                "name": field(entry, "name", str, required=True, max_length=200),
                "organisation": field(entry, "organisation", str, default="", max_length=200),
                "function": field(entry, "function", str, default="", max_length=200),
                "email": field(entry, "email", str, default="", max_length=200),
            }
        )
    regional.replace_members(members, version, actor=current_user)
    return jsonify(regional.members_data(current_user))
