"""JSON API of the årshjul, meetings, saksliste, approvals, innspill and sending."""

from flask import jsonify, request, url_for
from flask_login import current_user

from beredskap.api import field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import agenda, annual, decisions, dispatch, meetings, minutes, periods, proposals
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    CYCLE_ITEM_STATUSES,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    PARTY_BODIES,
)
from beredskap.cooperation.api_base import MAX_TEXT, bp, int_arg, parse_day, parse_moment, parse_people, version_of
from beredskap.errors import ApiError
from beredskap.routing import MAX_ID, is_digits


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
    item = agenda.add_agenda_item(meeting_id, fields, actor=current_user)
    return jsonify(item.to_dict()), 201


@bp.patch("/cooperation/agenda-items/<int:item_id>")
@require(Perm.COOP_WRITE)
def patch_item(item_id: int):
    """Edit a sak; changes to the saksliste withdraw the approvals, `minutes` (referat) does not."""
    data = json_body()
    version = version_of(data)
    item = agenda.update_agenda_item(item_id, _item_fields(data), version, actor=current_user)
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
    agenda.delete_agenda_item(item_id, version, actor=current_user)
    return jsonify({"deleted": item_id})


@bp.post("/cooperation/meetings/<int:meeting_id>/approve")
@require(Perm.COOP_APPROVE)
def approve(meeting_id: int):
    """Record a ledergruppe's approval: `{"by": "kommune" | "politi", "station"?: "politi-kristiansand" |
    "politi-sogne-songdalen"}` (audited; who registered it and when are kept)."""
    data = json_body()
    party = field(data, "by", str, required=True, choices=tuple(PARTY_BODIES))
    station = field(data, "station", str, default="", max_length=60)
    agenda.approve_agenda(meeting_id, party, current_user, station=station)
    return jsonify(decisions.meeting_detail(meeting_id))


# --- innspill ---------------------------------------------------------------------------------------------


@bp.get("/cooperation/meetings/<int:meeting_id>/proposals")
@require(Perm.COOP_READ)
def list_proposals(meeting_id: int):
    """The innspill to a meeting's saksliste with their status and, when declined, the reason."""
    meetings.get_meeting(meeting_id)
    return jsonify({"proposals": [p.to_dict() for p in proposals.list_proposals(meeting_id)]})


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
    return jsonify(proposals.add_proposal(meeting_id, fields, actor=current_user).to_dict()), 201


@bp.post("/cooperation/proposals/<int:proposal_id>/accept")
@require(Perm.COOP_WRITE)
def accept_proposal(proposal_id: int):
    """The secretary puts the innspill on the saksliste `{"version", "kind"?}`; withdraws earlier approvals."""
    data = json_body()
    version = version_of(data)
    kind = field(data, "kind", str, default="orientering", choices=tuple(AGENDA_ITEM_KINDS))
    return jsonify(proposals.accept_proposal(proposal_id, version, current_user, kind=kind).to_dict())


@bp.post("/cooperation/proposals/<int:proposal_id>/decline")
@require(Perm.COOP_WRITE)
def decline_proposal(proposal_id: int):
    """The secretary declines the innspill with a reason `{"version", "reason"}`."""
    data = json_body()
    version = version_of(data)
    reason = field(data, "reason", str, required=True, max_length=4000)
    return jsonify(proposals.decline_proposal(proposal_id, version, reason, current_user).to_dict())


@bp.post("/cooperation/meetings/<int:meeting_id>/send")
@require(Perm.COOP_WRITE)
def send(meeting_id: int):
    """Send the saksliste to the council: 409 until both ledergrupper have approved it. Members and guests get an
    e-mail through the delivery backends with the saksliste PDF and an invitation (iCalendar, METHOD:REQUEST);
    `mail` in the answer counts the copies by outcome."""
    agenda.send_agenda(meeting_id, current_user)
    mail = dispatch.send_meeting_mail(meeting_id, "agenda", actor=current_user)
    return jsonify({**decisions.meeting_detail(meeting_id), "mail": mail})


@bp.post("/cooperation/meetings/<int:meeting_id>/minutes/send")
@require(Perm.COOP_WRITE)
def send_minutes(meeting_id: int):
    """Distribute the referat (PDF) to members and guests the same way: 409 until the meeting is held and both
    ledergrupper have approved the referat."""
    minutes.mark_minutes_sent(meeting_id, current_user)
    mail = dispatch.send_meeting_mail(meeting_id, "minutes", actor=current_user)
    return jsonify({**decisions.meeting_detail(meeting_id), "mail": mail})


@bp.post("/cooperation/meetings/<int:meeting_id>/minutes/approve")
@require(Perm.COOP_APPROVE)
def approve_minutes(meeting_id: int):
    """Record a ledergruppe's approval of the referat, as for the saksliste: `{"by", "station"?}`; the meeting must
    be held. A change to the referat afterwards (attendance, notes, a sak's referat, a vedtak) withdraws both."""
    data = json_body()
    party = field(data, "by", str, required=True, choices=tuple(PARTY_BODIES))
    station = field(data, "station", str, default="", max_length=60)
    minutes.approve_minutes(meeting_id, party, current_user, station=station)
    return jsonify(decisions.meeting_detail(meeting_id))
