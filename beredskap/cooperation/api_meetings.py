"""JSON API of the årshjul, meetings, saksliste, approvals, innspill and sending."""

from flask import jsonify, request, url_for
from flask_login import current_user

from beredskap.api import json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import agenda, annual, decisions, dispatch, meetings, minutes, periods, proposals
from beredskap.cooperation.api_base import bp
from beredskap.cooperation.schemas import (
    ITEM_FIELDS,
    AcceptIn,
    ApprovalIn,
    CycleItemPatch,
    DatesIn,
    DeclineIn,
    ItemIn,
    ItemPatch,
    MeetingIn,
    MeetingPatch,
    ProposalIn,
    VersionIn,
    VersionQuery,
    YearQuery,
    changed,
)
from beredskap.validation import parse, use_body, use_query

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
@use_body(DatesIn)
def fix_dates(year: int, body: DatesIn):
    """Fix the year's dates: `{"dates": {"politirad-var": "2027-04-20T12:00+02:00", "trusselvurdering": "2027-02-11"}}`.

    Meetings without a date are created with the agreement's defaults; the autumn politiråd does this for next year.
    """
    result = annual.fix_cycle_dates(year, body.fixed(), actor=current_user)
    return jsonify({**result, **annual.cycle_as_json(annual.annual_cycle(year))})


@bp.patch("/cooperation/annual-cycle/<int:year>/items/<key>")
@require(Perm.COOP_WRITE)
@use_body(CycleItemPatch)
def patch_cycle_item(year: int, key: str, body: CycleItemPatch):
    """Track a document item (trusselvurdering, oversiktsbilde, avtaleevaluering): status, note, link, date."""
    changes = changed(body, "status", "note", "document_url")
    if "date" in body.model_fields_set:
        changes["day"] = body.date
    item = annual.update_cycle_item(year, key, changes, body.version, actor=current_user)
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
@use_query(YearQuery)
def list_meetings(query: YearQuery):
    """Meetings, by date; `?year=` filters."""
    return jsonify({"meetings": [m.to_dict() for m in meetings.list_meetings(query.year)]})


@bp.post("/cooperation/meetings")
@require(Perm.COOP_WRITE)
@use_body(MeetingIn)
def create_meeting(body: MeetingIn):
    """Create a meeting: `{"kind", "date"?, "year"?, "cycle_key"?, "title"?, "host"?, "chair"?, ...}`."""
    changes = body.changes()
    starts_at = changes.pop("starts_at", None)
    meeting = meetings.create_meeting(
        kind=body.kind,
        year=body.year,
        starts_at=starts_at,
        cycle_key=body.cycle_key or None,
        fields=changes,
        actor=current_user,
    )
    return jsonify(decisions.meeting_detail(meeting.id)), 201


@bp.get("/cooperation/meetings/<int:meeting_id>")
@require(Perm.COOP_READ)
def get_meeting(meeting_id: int):
    """A meeting with saksliste, approvals, decisions and the follow-up of earlier decisions."""
    return jsonify(decisions.meeting_detail(meeting_id))


@bp.patch("/cooperation/meetings/<int:meeting_id>")
@require(Perm.COOP_WRITE)
@use_body(MeetingPatch)
def patch_meeting(meeting_id: int, body: MeetingPatch):
    """Change details or the referat (present, absent, minutes_notes; status "held"); needs `version`."""
    meetings.update_meeting(meeting_id, body.changes(), body.version, actor=current_user)
    return jsonify(decisions.meeting_detail(meeting_id))


@bp.get("/cooperation/meetings/<int:meeting_id>/agenda")
@require(Perm.COOP_READ)
def get_agenda(meeting_id: int):
    """The saksliste: «Oppfølging av vedtak» (overdue decisions of earlier meetings first), then the items."""
    return jsonify(decisions.agenda_view(meeting_id))


@bp.post("/cooperation/meetings/<int:meeting_id>/items")
@require(Perm.COOP_WRITE)
@use_body(ItemIn)
def add_item(meeting_id: int, body: ItemIn):
    """Add a sak `{"title", "kind"?, "note"?, "presenter"?, "proposal"?, "number"?}`; withdraws approvals."""
    item = agenda.add_agenda_item(meeting_id, changed(body, *ITEM_FIELDS), actor=current_user)
    return jsonify(item.to_dict()), 201


@bp.patch("/cooperation/agenda-items/<int:item_id>")
@require(Perm.COOP_WRITE)
@use_body(ItemPatch)
def patch_item(item_id: int, body: ItemPatch):
    """Edit a sak; changes to the saksliste withdraw the approvals, `minutes` (referat) does not."""
    item = agenda.update_agenda_item(item_id, changed(body, *ITEM_FIELDS), body.version, actor=current_user)
    return jsonify(item.to_dict())


@bp.delete("/cooperation/agenda-items/<int:item_id>")
@require(Perm.COOP_WRITE)
@use_query(VersionQuery, status=422)
def delete_item(item_id: int, query: VersionQuery):
    """Remove a sak: `?version=` (or a JSON body with it) is required; withdraws the approvals."""
    version = query.version
    if version is None:
        # The body is optional on a DELETE; when sent it is read like any other.
        version = parse(VersionIn, json_body() if request.get_data() else {}).version
    agenda.delete_agenda_item(item_id, version, actor=current_user)
    return jsonify({"deleted": item_id})


@bp.post("/cooperation/meetings/<int:meeting_id>/approve")
@require(Perm.COOP_APPROVE)
@use_body(ApprovalIn)
def approve(meeting_id: int, body: ApprovalIn):
    """Record a ledergruppe's approval: `{"by": "kommune" | "politi", "station"?: "politi-kristiansand" |
    "politi-sogne-songdalen"}` (audited; who registered it and when are kept)."""
    agenda.approve_agenda(meeting_id, body.by, current_user, station=body.station)
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
@use_body(ProposalIn)
def add_proposal(meeting_id: int, body: ProposalIn):
    """Propose a sak: `{"title", "from": "<tjenesteområde or unit>", "party": "kommune"|"politi",
    "description"?}`."""
    fields = {"title": body.title, "from": body.from_, "party": body.party, "description": body.description}
    return jsonify(proposals.add_proposal(meeting_id, fields, actor=current_user).to_dict()), 201


@bp.post("/cooperation/proposals/<int:proposal_id>/accept")
@require(Perm.COOP_WRITE)
@use_body(AcceptIn)
def accept_proposal(proposal_id: int, body: AcceptIn):
    """The secretary puts the innspill on the saksliste `{"version", "kind"?}`; withdraws earlier approvals."""
    return jsonify(proposals.accept_proposal(proposal_id, body.version, current_user, kind=body.kind).to_dict())


@bp.post("/cooperation/proposals/<int:proposal_id>/decline")
@require(Perm.COOP_WRITE)
@use_body(DeclineIn)
def decline_proposal(proposal_id: int, body: DeclineIn):
    """The secretary declines the innspill with a reason `{"version", "reason"}`."""
    return jsonify(proposals.decline_proposal(proposal_id, body.version, body.reason, current_user).to_dict())


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
@use_body(ApprovalIn)
def approve_minutes(meeting_id: int, body: ApprovalIn):
    """Record a ledergruppe's approval of the referat, as for the saksliste: `{"by", "station"?}`; the meeting must
    be held. A change to the referat afterwards (attendance, notes, a sak's referat, a vedtak) withdraws both."""
    minutes.approve_minutes(meeting_id, body.by, current_user, station=body.station)
    return jsonify(decisions.meeting_detail(meeting_id))
