"""JSON API of the structured yearly evaluation of the agreement (§6) and its «fortløpende» notes."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import api_blueprint, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import evaluation

bp = api_blueprint("coop_evaluation_api", __name__)


@bp.get("/cooperation/evaluation/<int:year>")
@require(Perm.COOP_READ)
def get_evaluation(year: int):
    """The year's evaluation per innsatsområde and samarbeidsområde, with the notes gathered into it."""
    return jsonify(evaluation.evaluation_data(year))


@bp.put("/cooperation/evaluation/<int:year>/<target>/<int:target_id>")
@require(Perm.COOP_WRITE)
def put_entry(year: int, target: str, target_id: int):
    """Write one area's evaluation `{"status", "worked", "change", "owner", "version"}` (version 0 when new)."""
    data = json_body()
    fields = evaluation.parse_entry(data)
    version = field(data, "version", int)
    entry = evaluation.save_entry(year, target, target_id, fields, version, actor=current_user)
    return jsonify(entry.to_dict())


@bp.post("/cooperation/evaluation-notes")
@require(Perm.COOP_WRITE)
def add_note():
    """A «fortløpende» note `{"text", "target"?: "innsatsomrade"|"samarbeidsomrade"|"generelt", "target_id"?,
    "noted_on"?}`; it is gathered into the evaluation of the year it is dated."""
    note = evaluation.add_note(json_body(), actor=current_user)
    return jsonify(note.to_dict()), 201
