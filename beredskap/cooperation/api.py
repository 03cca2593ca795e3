"""JSON API of the cooperation (CONTRACT §8): årshjul, meetings, saksliste, approvals, sending and decisions.

The directory, the agreement and the Oversiktsbilde add their routes to `bp` from api_knowledge.
"""

from datetime import date, datetime
from urllib.parse import quote

from flask import Response, jsonify, request, url_for
from flask_login import current_user

from beredskap.api import api_blueprint, field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import annual, attachments, decisions, dispatch, meetings, periods
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    CYCLE_ITEM_STATUSES,
    DECISION_STATUSES,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    PARTY_BODIES,
)
from beredskap.errors import ApiError
from beredskap.routing import MAX_ID, is_digits

bp = api_blueprint("cooperation_api", __name__)

MAX_TEXT = 20000
MAX_PEOPLE = 200


# --- parsing ----------------------------------------------------------------------------------------------


def id_field(data: dict, name: str, *, required: bool = False) -> int | None:
    """An id in the body: a positive integer within the database's range."""
    value = field(data, name, int, required=required)
    if value is not None and not 1 <= value <= MAX_ID:
        raise ApiError(422, "invalid", f"«{name}» er ikke et gyldig id.", {name: "ugyldig"})
    return value


def parse_moment(value: object, name: str) -> datetime | None:
    """ISO 8601 date and time; with an offset, or without one as local time in Oslo (as a form sends it)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ApiError(422, "invalid", f"«{name}» må være dato og klokkeslett (ISO 8601).", {name: "format"})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, "invalid", f"«{name}» må være dato og klokkeslett, f.eks. 2027-04-20T12:00+02:00.", {name: "format"}
        ) from None
    if len(value) <= 10:
        raise ApiError(
            422, "invalid", f"«{name}» trenger også klokkeslett, f.eks. 2027-04-20T12:00.", {name: "klokkeslett"}
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=meetings.OSLO)
    return parsed


def parse_day(value: object, name: str) -> date | None:
    """ISO 8601 date, YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ApiError(422, "invalid", f"«{name}» må være en dato (ÅÅÅÅ-MM-DD).", {name: "format"})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en gyldig dato (ÅÅÅÅ-MM-DD).", {name: "format"}) from None


def parse_people(value: object, name: str) -> list[dict]:
    """A list of people as {"name", "organisation"?, "function"?} objects, or plain names."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_PEOPLE:
        raise ApiError(422, "invalid", f"«{name}» må være en liste (maks {MAX_PEOPLE}).", {name: "liste"})
    people = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ApiError(422, "invalid", f"Hver oppføring i «{name}» trenger et navn.", {name: "navn"})
        person = {}
        for key in ("name", "organisation", "function"):
            text = entry.get(key) or ""
            if not isinstance(text, str) or len(text) > 200:
                raise ApiError(422, "invalid", f"«{name}.{key}» må være tekst (maks 200 tegn).", {name: key})
            person[key] = text.strip()
        people.append(person)
    return people


def int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not is_digits(raw) or len(raw) > 6:
        raise ApiError(400, "invalid", f"«{name}» må være et heltall.", {name: "heltall"})
    return int(raw)


def version_of(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {"version": "påkrevd"})
    return version


def _meeting_changes(data: dict) -> dict:
    changes: dict = {}
    for key, limit in (("title", 200), ("location", 300), ("chair", 200), ("secretary", 200)):
        if key in data:
            changes[key] = field(data, key, str, default="", max_length=limit)
    if "title" in changes and not changes["title"]:
        raise ApiError(422, "invalid", "Møtet må ha en tittel.", {"title": "påkrevd"})
    if "minutes_notes" in data:
        changes["minutes_notes"] = field(data, "minutes_notes", str, default="", max_length=MAX_TEXT)
    if "host" in data:
        changes["host"] = field(data, "host", str, choices=tuple(PARTY_BODIES))
    if "date" in data:
        changes["starts_at"] = parse_moment(data.get("date"), "date")
    for key in ("members", "invited", "present", "absent"):
        if key in data:
            changes[key] = parse_people(data.get(key), key)
    if "status" in data:
        changes["status"] = field(data, "status", str, required=True, max_length=20)
    return changes


def _item_fields(data: dict) -> dict:
    fields: dict = {}
    for key, limit in (("number", 20), ("title", 300), ("presenter", 200)):
        if key in data:
            fields[key] = field(data, key, str, default="", max_length=limit)
    for key in ("note", "proposal", "minutes"):
        if key in data:
            fields[key] = field(data, key, str, default="", max_length=MAX_TEXT)
    if "kind" in data:
        fields["kind"] = field(data, "kind", str, required=True, choices=tuple(AGENDA_ITEM_KINDS))
    if "position" in data:
        fields["position"] = field(data, "position", int, required=True)
        if not 0 <= fields["position"] <= 10000:
            raise ApiError(422, "invalid", "position må være mellom 0 og 10000.", {"position": "utenfor"})
    if "focus_area_ids" in data:
        ids = data.get("focus_area_ids")
        if not isinstance(ids, list) or len(ids) > 50 or not all(type(i) is int and 1 <= i <= MAX_ID for i in ids):
            raise ApiError(422, "invalid", "«focus_area_ids» må være en liste med id-er.", {"focus_area_ids": "liste"})
        fields["focus_area_ids"] = ids
    return fields


# --- årshjul ----------------------------------------------------------------------------------------------


@bp.get("/cooperation/annual-cycle/<int:year>")
@require(Perm.COOP_READ)
def annual_cycle(year: int):
    """The årshjul of a year in a registered agreement period: meetings (with fixed dates), documents, evaluation.
    A year no agreement covers answers `{"year", "covered": false, "items": [], "message"}`."""
    if periods.agreement_for_year(year) is None:
        return jsonify(annual.uncovered_cycle(year))
    return jsonify(annual.cycle_as_json(annual.annual_cycle(year)))


@bp.post("/cooperation/annual-cycle/<int:year>/dates")
@require(Perm.COOP_WRITE)
def fix_dates(year: int):
    """Fix the year's dates: `{"dates": {"politirad-var": "2027-04-20T12:00+02:00", "trusselvurdering": "2027-02-11"}}`.

    Meetings without a date are created with the agreement's defaults; the autumn politiråd does this for next year.
    """
    data = json_body()
    raw = data.get("dates")
    if not isinstance(raw, dict) or len(raw) > 20:
        raise ApiError(422, "invalid", "«dates» må være et objekt med punkt → dato.", {"dates": "objekt"})
    dates: dict = {}
    for key, value in raw.items():
        if key in MEETING_CYCLE_KEYS:
            dates[key] = parse_moment(value, key)
        else:
            dates[key] = parse_day(value, key)
    result = annual.fix_cycle_dates(year, dates, actor=current_user)
    return jsonify({**result, **annual.cycle_as_json(annual.annual_cycle(year))})


@bp.patch("/cooperation/annual-cycle/<int:year>/items/<key>")
@require(Perm.COOP_WRITE)
def patch_cycle_item(year: int, key: str):
    """Track a document item (trusselvurdering, oversiktsbilde, avtaleevaluering): status, note, link, date."""
    data = json_body()
    version = version_of(data)
    changes: dict = {}
    if "status" in data:
        changes["status"] = field(data, "status", str, required=True, choices=tuple(CYCLE_ITEM_STATUSES))
    if "note" in data:
        changes["note"] = field(data, "note", str, default="", max_length=4000)
    if "document_url" in data:
        changes["document_url"] = field(data, "document_url", str, default="", max_length=500)
    if "date" in data:
        changes["day"] = parse_day(data.get("date"), "date")
    item = annual.update_cycle_item(year, key, changes, version, actor=current_user)
    return jsonify(
        {
            "year": item.year,
            "key": item.key,
            "status": item.status,
            "note": item.note,
            "document_url": item.document_url,
            "date": item.day.isoformat() if item.day else None,
            "version": item.version,
        }
    )


@bp.post("/cooperation/calendar-token")
@require(Perm.COOP_READ)
def calendar_token():
    """A new secret feed URL for subscribing to the årshjul in a calendar app; the old one stops working."""
    token = annual.issue_calendar_token(current_user)
    return jsonify({"url": url_for("cooperation.calendar_feed", token=token, _external=True)}), 201


# --- meetings ---------------------------------------------------------------------------------------------


@bp.get("/cooperation/meetings")
@require(Perm.COOP_READ)
def list_meetings():
    """Meetings, by date; `?year=` filters."""
    return jsonify({"meetings": [m.to_dict() for m in meetings.list_meetings(int_arg("year"))]})


@bp.post("/cooperation/meetings")
@require(Perm.COOP_WRITE)
def create_meeting():
    """Create a meeting: `{"kind", "date"?, "year"?, "cycle_key"?, "title"?, "host"?, "chair"?, ...}`."""
    data = json_body()
    kind = field(data, "kind", str, required=True, choices=tuple(MEETING_KINDS))
    year = field(data, "year", int)
    cycle_key = field(data, "cycle_key", str, max_length=40)
    changes = _meeting_changes({k: v for k, v in data.items() if k not in ("status",)})
    starts_at = changes.pop("starts_at", None)
    meeting = meetings.create_meeting(
        kind=kind, year=year, starts_at=starts_at, cycle_key=cycle_key or None, fields=changes, actor=current_user
    )
    return jsonify(decisions.meeting_detail(meeting.id)), 201


@bp.get("/cooperation/meetings/<int:meeting_id>")
@require(Perm.COOP_READ)
def get_meeting(meeting_id: int):
    """A meeting with saksliste, approvals, decisions and the follow-up of earlier decisions."""
    return jsonify(decisions.meeting_detail(meeting_id))


@bp.patch("/cooperation/meetings/<int:meeting_id>")
@require(Perm.COOP_WRITE)
def patch_meeting(meeting_id: int):
    """Change details or the referat (present, absent, minutes_notes; status "held"); needs `version`."""
    data = json_body()
    version = version_of(data)
    meetings.update_meeting(meeting_id, _meeting_changes(data), version, actor=current_user)
    return jsonify(decisions.meeting_detail(meeting_id))


@bp.get("/cooperation/meetings/<int:meeting_id>/agenda")
@require(Perm.COOP_READ)
def get_agenda(meeting_id: int):
    """The saksliste: «Oppfølging av vedtak» (overdue decisions of earlier meetings first), then the items."""
    return jsonify(decisions.agenda_view(meeting_id))


@bp.post("/cooperation/meetings/<int:meeting_id>/items")
@require(Perm.COOP_WRITE)
def add_item(meeting_id: int):
    """Add a sak `{"title", "kind"?, "note"?, "presenter"?, "proposal"?, "number"?}`; withdraws approvals."""
    data = json_body()
    fields = _item_fields(data)
    if not fields.get("title"):
        raise ApiError(422, "invalid", "Feltet «title» mangler.", {"title": "påkrevd"})
    item = meetings.add_agenda_item(meeting_id, fields, actor=current_user)
    return jsonify(item.to_dict()), 201


@bp.patch("/cooperation/agenda-items/<int:item_id>")
@require(Perm.COOP_WRITE)
def patch_item(item_id: int):
    """Edit a sak; changes to the saksliste withdraw the approvals, `minutes` (referat) does not."""
    data = json_body()
    version = version_of(data)
    item = meetings.update_agenda_item(item_id, _item_fields(data), version, actor=current_user)
    return jsonify(item.to_dict())


@bp.delete("/cooperation/agenda-items/<int:item_id>")
@require(Perm.COOP_WRITE)
def delete_item(item_id: int):
    """Remove a sak: `?version=` (or a JSON body with it) is required; withdraws the approvals."""
    raw = request.args.get("version")
    if raw is not None:
        if not is_digits(raw) or len(raw) > 9:
            raise ApiError(422, "invalid", "version må være et heltall.", {"version": "heltall"})
        version = int(raw)
    else:
        data = request.get_json(silent=True)
        version = version_of(data if isinstance(data, dict) else {})
    meetings.delete_agenda_item(item_id, version, actor=current_user)
    return jsonify({"deleted": item_id})


@bp.post("/cooperation/meetings/<int:meeting_id>/approve")
@require(Perm.COOP_APPROVE)
def approve(meeting_id: int):
    """Record a ledergruppe's approval: `{"by": "kommune" | "politi", "station"?: "politi-kristiansand" |
    "politi-sogne-songdalen"}` (audited; who registered it and when are kept)."""
    data = json_body()
    party = field(data, "by", str, required=True, choices=tuple(PARTY_BODIES))
    station = field(data, "station", str, default="", max_length=60)
    meetings.approve_agenda(meeting_id, party, current_user, station=station)
    return jsonify(decisions.meeting_detail(meeting_id))


# --- innspill ---------------------------------------------------------------------------------------------


@bp.get("/cooperation/meetings/<int:meeting_id>/proposals")
@require(Perm.COOP_READ)
def list_proposals(meeting_id: int):
    """The innspill to a meeting's saksliste with their status and, when declined, the reason."""
    meetings.get_meeting(meeting_id)
    return jsonify({"proposals": [p.to_dict() for p in meetings.list_proposals(meeting_id)]})


@bp.post("/cooperation/meetings/<int:meeting_id>/proposals")
@require(Perm.COOP_WRITE)
def add_proposal(meeting_id: int):
    """Propose a sak: `{"title", "from": "<tjenesteområde or unit>", "party": "kommune"|"politi",
    "description"?}`."""
    data = json_body()
    fields = {
        "title": field(data, "title", str, required=True, max_length=300),
        "from": field(data, "from", str, required=True, max_length=200),
        "party": field(data, "party", str, required=True, choices=tuple(PARTY_BODIES)),
        "description": field(data, "description", str, default="", max_length=MAX_TEXT),
    }
    return jsonify(meetings.add_proposal(meeting_id, fields, actor=current_user).to_dict()), 201


@bp.post("/cooperation/proposals/<int:proposal_id>/accept")
@require(Perm.COOP_WRITE)
def accept_proposal(proposal_id: int):
    """The secretary puts the innspill on the saksliste `{"version", "kind"?}`; withdraws earlier approvals."""
    data = json_body()
    version = version_of(data)
    kind = field(data, "kind", str, default="orientering", choices=tuple(AGENDA_ITEM_KINDS))
    return jsonify(meetings.accept_proposal(proposal_id, version, current_user, kind=kind).to_dict())


@bp.post("/cooperation/proposals/<int:proposal_id>/decline")
@require(Perm.COOP_WRITE)
def decline_proposal(proposal_id: int):
    """The secretary declines the innspill with a reason `{"version", "reason"}`."""
    data = json_body()
    version = version_of(data)
    reason = field(data, "reason", str, required=True, max_length=4000)
    return jsonify(meetings.decline_proposal(proposal_id, version, reason, current_user).to_dict())


@bp.post("/cooperation/meetings/<int:meeting_id>/send")
@require(Perm.COOP_WRITE)
def send(meeting_id: int):
    """Send the saksliste to the council: 409 until both ledergrupper have approved it. Members and guests get an
    e-mail through the delivery backends with the saksliste PDF and an invitation (iCalendar, METHOD:REQUEST);
    `mail` in the answer counts the copies by outcome."""
    meetings.send_agenda(meeting_id, current_user)
    mail = dispatch.send_meeting_mail(meeting_id, "agenda", actor=current_user)
    return jsonify({**decisions.meeting_detail(meeting_id), "mail": mail})


@bp.post("/cooperation/meetings/<int:meeting_id>/minutes/send")
@require(Perm.COOP_WRITE)
def send_minutes(meeting_id: int):
    """Distribute the referat (PDF) to members and guests the same way; the meeting must be marked held."""
    meeting = meetings.get_meeting(meeting_id)
    if meeting.status != "held":
        raise ApiError(409, "not_held", "Referatet kan sendes når møtet er merket som avholdt.")
    return jsonify({"mail": dispatch.send_meeting_mail(meeting_id, "minutes", actor=current_user)})


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


# Further routes on the same blueprint, split by subject to keep each module short.
from beredskap.cooperation import api_knowledge  # noqa: E402, F401
