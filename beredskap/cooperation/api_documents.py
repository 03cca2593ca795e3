"""JSON API of a meeting's attachments, dispatches and decisions."""

from urllib.parse import quote

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from beredskap.api import field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import attachments, decisions, dispatch, meetings
from beredskap.cooperation.agreement import (
    DECISION_STATUSES,
)
from beredskap.cooperation.api_base import bp, id_field, parse_day, version_of
from beredskap.errors import ApiError


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
def add_attachment(meeting_id: int):
    """Attach a saksfremlegg or saksnotat: multipart `file` (PDF, DOCX or ODT; checked by content; size-limited)
    and `title`?; 422 and nothing stored when the type, the size or the content is wrong."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(422, "invalid", "Velg en fil (feltet «file»).", {"file": "påkrevd"})
    data = upload.stream.read(attachments.max_bytes() + 1)
    title = (request.form.get("title") or "").strip()
    attachment = attachments.add_attachment(meeting_id, upload.filename, data, title, actor=current_user)
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
def add_decision(meeting_id: int):
    """Record a vedtak `{"text", "owner", "due"?, "agenda_item_id"?}`; follow-up status starts as open."""
    data = json_body()
    decision = decisions.add_decision(
        meeting_id,
        text=field(data, "text", str, required=True, max_length=4000),
        owner=field(data, "owner", str, required=True, max_length=200),
        due=parse_day(data.get("due"), "due"),
        agenda_item_id=id_field(data, "agenda_item_id"),
        actor=current_user,
    )
    return jsonify(decision.to_dict(meetings.today())), 201


@bp.get("/cooperation/decisions")
@require(Perm.COOP_READ)
def list_decisions():
    """All decisions; `?status=open|in_progress|done|not_done`, `?overdue=1`."""
    status = request.args.get("status") or None
    if status is not None and status not in (*DECISION_STATUSES, "not_done"):
        raise ApiError(400, "invalid", "Ukjent status.", {"status": "ugyldig"})
    overdue_raw = request.args.get("overdue")
    overdue = None if overdue_raw in (None, "") else overdue_raw in ("1", "true", "ja")
    return jsonify({"decisions": decisions.list_decisions(status=status, overdue=overdue)})


@bp.patch("/cooperation/decisions/<int:decision_id>")
@require(Perm.COOP_WRITE)
def patch_decision(decision_id: int):
    """Update follow-up `{"status": "open"|"in_progress"|"done", "version", "status_note"?, ...}`."""
    data = json_body()
    version = version_of(data)
    changes: dict = {}
    if "status" in data:
        changes["status"] = field(data, "status", str, required=True, choices=tuple(DECISION_STATUSES))
    if "status_note" in data:
        changes["status_note"] = field(data, "status_note", str, default="", max_length=4000)
    if "text" in data:
        changes["text"] = field(data, "text", str, required=True, max_length=4000)
    if "owner" in data:
        changes["owner"] = field(data, "owner", str, required=True, max_length=200)
    if "due" in data:
        changes["due"] = parse_day(data.get("due"), "due")
    decision = decisions.update_decision(decision_id, changes, version, actor=current_user)
    return jsonify(decision.to_dict(meetings.today()))
