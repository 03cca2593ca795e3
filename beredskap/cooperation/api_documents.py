"""JSON API of a meeting's attachments, dispatches and decisions."""

from urllib.parse import quote

from flask import Response, jsonify, url_for
from flask_login import current_user

from beredskap.api import require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import attachments, decisions, dispatch, meetings
from beredskap.cooperation.api_base import bp
from beredskap.cooperation.schemas import AttachmentForm, DecisionIn, DecisionPatch, DecisionsQuery, changed
from beredskap.validation import use_body, use_form, use_query


@bp.get("/cooperation/meetings/<int:meeting_id>/attachments")
@require(Perm.COOP_READ)
def list_attachments(meeting_id: int):
    """The meeting's saksfremlegg and saksnotater (metadata; the file is fetched by its own URL)."""
    meetings.get_meeting(meeting_id)
    rows = attachments.list_attachments(meeting_id)
    return jsonify(
        {
            "attachments": [
                {
                    **a.to_dict(),
                    "url": url_for("cooperation_api.get_attachment", attachment_id=a.id),
                }
                for a in rows
            ]
        }
    )


@bp.post("/cooperation/meetings/<int:meeting_id>/attachments")
@require(Perm.COOP_WRITE)
@use_form(AttachmentForm)
def add_attachment(meeting_id: int, form: AttachmentForm):
    """Attach a saksfremlegg or saksnotat: multipart `file` (PDF, DOCX or ODT; checked by content; size-limited)
    and `title`?; 422 and nothing stored when the type, the size or the content is wrong."""
    data = form.file.stream.read(attachments.max_bytes() + 1)
    attachment = attachments.add_attachment(meeting_id, form.file.filename, data, form.title, actor=current_user)
    return jsonify(attachment.to_dict()), 201


@bp.get("/cooperation/attachments/<int:attachment_id>")
@require(Perm.COOP_READ)
def get_attachment(attachment_id: int):
    """The file, with its checked content type, as a download that browsers must not sniff or cache."""
    attachment = attachments.get_attachment(attachment_id)
    return Response(
        attachment.data,
        mimetype=attachment.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/cooperation/meetings/<int:meeting_id>/dispatches")
@require(Perm.COOP_WRITE)
def list_dispatches(meeting_id: int):
    """Every recipient's copy of the sent saksliste and referat, with backend and outcome."""
    meetings.get_meeting(meeting_id)
    return jsonify({"dispatches": [d.to_dict() for d in dispatch.list_dispatches(meeting_id)]})


# --- decisions --------------------------------------------------------------------------------------------


@bp.post("/cooperation/meetings/<int:meeting_id>/decisions")
@require(Perm.COOP_WRITE)
@use_body(DecisionIn)
def add_decision(meeting_id: int, body: DecisionIn):
    """Record a vedtak `{"text", "owner", "due"?, "agenda_item_id"?}`; follow-up status starts as open."""
    decision = decisions.add_decision(
        meeting_id,
        text=body.text,
        owner=body.owner,
        due=body.due,
        agenda_item_id=body.agenda_item_id,
        actor=current_user,
    )
    return jsonify(decision.to_dict(meetings.today())), 201


@bp.get("/cooperation/decisions")
@require(Perm.COOP_READ)
@use_query(DecisionsQuery)
def list_decisions(query: DecisionsQuery):
    """All decisions; `?status=open|in_progress|done|not_done`, `?overdue=1`."""
    return jsonify({"decisions": decisions.list_decisions(status=query.status, overdue=query.overdue)})


@bp.patch("/cooperation/decisions/<int:decision_id>")
@require(Perm.COOP_WRITE)
@use_body(DecisionPatch)
def patch_decision(decision_id: int, body: DecisionPatch):
    """Update follow-up `{"status": "open"|"in_progress"|"done", "version", "status_note"?, ...}`."""
    changes = changed(body, "status", "status_note", "text", "owner", "due")
    decision = decisions.update_decision(decision_id, changes, body.version, actor=current_user)
    return jsonify(decision.to_dict(meetings.today()))
