"""JSON API of the structured yearly evaluation of the agreement (§6) and its «fortløpende» notes."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import api_blueprint, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import evaluation
from beredskap.cooperation.schemas_knowledge import EntryIn, NoteIn
from beredskap.validation import use_body

bp = api_blueprint("coop_evaluation_api", __name__)


@bp.get("/cooperation/evaluation/<int:year>")
@require(Perm.COOP_READ)
def get_evaluation(year: int):
    """The year's evaluation per innsatsområde and samarbeidsområde, with the notes gathered into it."""
    return jsonify(evaluation.evaluation_data(year))


@bp.put("/cooperation/evaluation/<int:year>/<target>/<int:target_id>")
@require(Perm.COOP_WRITE)
@use_body(EntryIn)
def put_entry(year: int, target: str, target_id: int, body: EntryIn):
    """Write one area's evaluation `{"status", "worked", "change", "owner", "version"}` (version 0 when new)."""
    fields = body.model_dump(include={"status", "worked", "change", "owner"})
    entry = evaluation.save_entry(year, target, target_id, fields, body.version, actor=current_user)
    return jsonify(entry.to_dict())


@bp.post("/cooperation/evaluation-notes")
@require(Perm.COOP_WRITE)
@use_body(NoteIn)
def add_note(body: NoteIn):
    """A «fortløpende» note `{"text", "target"?: "innsatsomrade"|"samarbeidsomrade"|"generelt", "target_id"?,
    "noted_on"?}`; it is gathered into the evaluation of the year it is dated."""
    note = evaluation.add_note(body.model_dump(), actor=current_user)
    return jsonify(note.to_dict()), 201
