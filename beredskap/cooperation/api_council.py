"""JSON API of the formannskap questions and the regional politiråd's member list (routes on the cooperation `bp`)."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import formannskap, regional
from beredskap.cooperation.api_base import bp
from beredskap.cooperation.schemas import MembersIn, QuestionIn, QuestionPatch, changed
from beredskap.validation import use_body

QUESTION_FIELDS = ("asked_by", "question", "answer", "answered_by")

# --- formannskap: the politicians' questions --------------------------------------------------------------


@bp.get("/cooperation/meetings/<int:meeting_id>/questions")
@require(Perm.COOP_READ)
def list_questions(meeting_id: int):
    """The politicians' questions in a formannskap meeting, with the answers and who gave them."""
    return jsonify({"questions": formannskap.questions_for(meeting_id)})


@bp.post("/cooperation/meetings/<int:meeting_id>/questions")
@require(Perm.COOP_WRITE)
@use_body(QuestionIn)
def add_question(meeting_id: int, body: QuestionIn):
    """Record a question `{"asked_by", "question", "answer"?, "answered_by"?}` (formannskap meetings only)."""
    fields = body.model_dump(include=set(QUESTION_FIELDS))
    return jsonify(formannskap.add_question(meeting_id, fields, actor=current_user).to_dict()), 201


@bp.patch("/cooperation/questions/<int:question_id>")
@require(Perm.COOP_WRITE)
@use_body(QuestionPatch)
def patch_question(question_id: int, body: QuestionPatch):
    """Record the answer `{"answer", "answered_by", "version"}` or correct the question."""
    fields = changed(body, *QUESTION_FIELDS)
    return jsonify(formannskap.update_question(question_id, fields, body.version, actor=current_user).to_dict())


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
@use_body(MembersIn)
def patch_regional_members(body: MembersIn):
    """Replace the list: `{"members": [{"name", "organisation"?, "function"?, "email"?}], "version"}`.

    New regional politiråd meetings invite this list; the ordinary politiråd keeps its fixed members."""
    members = [member.model_dump() for member in body.members]
    regional.replace_members(members, body.version, actor=current_user)
    return jsonify(regional.members_data(current_user))
