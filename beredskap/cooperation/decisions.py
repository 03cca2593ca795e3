"""Decisions (vedtak) with follow-up from meeting to meeting, and the data of the agenda and minutes PDFs."""

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.cooperation import formannskap
from beredskap.cooperation.agreement import DECISION_STATUSES, PARTY_BODIES
from beredskap.cooperation.cycle import overdue_decisions
from beredskap.cooperation.meetings import (
    CHANNEL,
    FOLLOW_UP_TITLE,
    agenda_items,
    get_meeting,
    local_day,
    today,
    withdraw_minutes_approvals,
)
from beredskap.cooperation.models import AgendaItem, Decision, Meeting
from beredskap.cooperation.proposals import list_proposals
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.reports.formatting import to_date
from beredskap.transaction import transactional
from beredskap.vocabulary import DATE_FORMAT


def meeting_decisions(meeting_id: int) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.id)))


def get_decision(decision_id: int) -> Decision:
    return get_or_not_found(Decision, decision_id, gettext("Ukjent vedtak."))


def list_decisions(*, status: str | None = None, overdue: bool | None = None) -> list[dict]:
    """Decisions with their meeting's title, oldest due first; `overdue` filters on today's date."""
    day = today()
    rows = db.session.execute(select(Decision, Meeting).join(Meeting, Meeting.id == Decision.meeting_id)).all()
    result = []
    for decision, meeting in rows:
        if status == "not_done" and decision.status == "done":
            continue
        if status and status != "not_done" and decision.status != status:
            continue
        if overdue is not None and decision.is_overdue(day) != overdue:
            continue
        result.append({**decision.to_dict(day), "meeting": meeting.title})
    result.sort(key=lambda d: (d["due"] or "9999", d["id"]))
    return result


def meeting_detail(meeting_id: int) -> dict:
    """The meeting with its saksliste, decisions and the follow-up of earlier decisions."""
    meeting = get_meeting(meeting_id)
    day = today()
    return {
        **meeting.to_dict(),
        "items": [item.to_dict() for item in agenda_items(meeting_id)],
        "proposals": [proposal.to_dict() for proposal in list_proposals(meeting_id)],
        "decisions": [decision.to_dict(day) for decision in meeting_decisions(meeting_id)],
        "follow_up": follow_up(meeting),
        # Formannskap meetings (§3.2): the season's theme and the politicians' questions with the answers.
        "theme": formannskap.theme(meeting),
        "questions": [q.to_dict() for q in formannskap.list_questions(meeting_id)],
    }


def agenda_view(meeting_id: int) -> dict:
    """The saksliste as sent: meeting, follow-up of earlier decisions (overdue first) and the items."""
    meeting = get_meeting(meeting_id)
    return {
        "meeting": meeting.to_dict(),
        "follow_up": follow_up(meeting),
        "items": [item.to_dict() for item in agenda_items(meeting_id)],
    }


def _earlier_meetings(meeting: Meeting) -> list[Meeting]:
    others = db.session.scalars(select(Meeting).where(Meeting.kind == meeting.kind, Meeting.id != meeting.id))
    earlier = []
    for other in others:
        if meeting.starts_at is not None and other.starts_at is not None:
            if other.starts_at < meeting.starts_at:
                earlier.append(other)
        elif meeting.starts_at is None and other.starts_at is not None:
            # An undated meeting comes after every dated one that has already taken place.
            if other.starts_at <= utcnow():
                earlier.append(other)
        elif other.id < meeting.id:
            earlier.append(other)
    return earlier


def follow_up(meeting: Meeting) -> dict:
    """Decisions of earlier meetings of the same kind that are not done; overdue when due before this meeting
    (or before today, for a meeting still to come)."""
    # Overdue as of the meeting day, but never as of a day still to come: a decision due next week is not
    # overdue yet in the draft saksliste of a meeting next month (it becomes so once the due date has passed).
    on = min(local_day(meeting.starts_at), today()) if meeting.starts_at else today()
    earlier = {m.id: m for m in _earlier_meetings(meeting)}
    pending: list[dict] = []
    if earlier:
        decisions = db.session.scalars(
            select(Decision)
            .where(Decision.meeting_id.in_(list(earlier)), Decision.status != "done")
            .order_by(Decision.id)
        )
        for decision in decisions:
            pending.append({**decision.to_dict(), "meeting": earlier[decision.meeting_id].title})
    overdue = overdue_decisions(pending, on)
    overdue_ids = {d["id"] for d in overdue}
    return {
        "title": FOLLOW_UP_TITLE,
        "on": on.isoformat(),
        "overdue": [{**d, "overdue": True} for d in overdue],
        "open": [{**d, "overdue": False} for d in pending if d["id"] not in overdue_ids],
    }


# --- decisions --------------------------------------------------------------------------------------------


def _validate_decision(data: dict) -> None:
    if "text" in data and not (data["text"] or "").strip():
        raise Invalid("invalid", gettext("Vedtaket må ha en tekst."), {"text": "påkrevd"})
    if "owner" in data and not (data["owner"] or "").strip():
        raise Invalid("invalid", gettext("Vedtaket må ha en ansvarlig."), {"owner": "påkrevd"})
    if "status" in data and data["status"] not in DECISION_STATUSES:
        raise Invalid(
            "invalid",
            gettext(
                "%(label)s må være en av: %(allowed)s.", label=label("status"), allowed=", ".join(DECISION_STATUSES)
            ),
            {"status": "ugyldig"},
        )


@transactional
def add_decision(
    meeting_id: int,
    *,
    text: str,
    owner: str,
    due: date | None = None,
    agenda_item_id: int | None = None,
    actor: User | None = None,
) -> Decision:
    """Record a vedtak in the referat; it binds both parties to follow it up."""
    _validate_decision({"text": text, "owner": owner})
    meeting = get_meeting(meeting_id)
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            raise Invalid("invalid", gettext("Saken finnes ikke i dette møtet."), {"agenda_item_id": "ukjent"})
    now = utcnow()
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item_id,
        text=text,
        owner=owner,
        due=due,
        status="open",
        created_at=now,
        updated_at=now,
    )
    db.session.add(decision)
    db.session.flush()
    withdraw_minutes_approvals(meeting, actor, "Vedtak lagt til i referatet")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "decision.created", decision.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return decision


@transactional
def update_decision(decision_id: int, changes: dict, version: int, actor: User | None = None) -> Decision:
    """Update follow-up status (open / in_progress / done), note, text, owner or due date."""
    _validate_decision(changes)
    decision = get_decision(decision_id)
    if decision.version != version:
        raise Conflict("version_conflict", gettext("Vedtaket er endret av noen andre. Last inn på nytt."))
    # The vedtak's wording, owner and due date are part of the referat; its follow-up status is not.
    referat_changed = any(key in changes and changes[key] != getattr(decision, key) for key in ("text", "owner", "due"))
    for key in ("text", "owner", "due", "status", "status_note"):
        if key in changes:
            setattr(decision, key, changes[key])
    decision.updated_at = utcnow()
    db.session.flush()
    if referat_changed:
        meeting = get_meeting(decision.meeting_id)
        withdraw_minutes_approvals(meeting, actor, "Vedtak i referatet endret")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "decision.updated", decision.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return decision


# --- report data ------------------------------------------------------------------------------------------


def _report_meeting(meeting: Meeting) -> dict:
    return {
        "id": meeting.id,
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.starts_at,
        "location": meeting.location,
        "host": meeting.host,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
    }


def _report_approvals(meeting: Meeting) -> dict:
    approvals = {}
    for party, body in PARTY_BODIES.items():
        at = getattr(meeting, f"approved_{party}_at")
        recorded_by = getattr(meeting, f"approved_{party}_by")
        approvals[party] = {"by": f"{body} (registrert av {recorded_by})", "at": at} if at else None
    return approvals


def _follow_up_lines(entry: dict) -> list[str]:
    lines = []
    for decision in entry["overdue"]:
        lines.append(
            f"FORFALT: {decision['text']} (ansvarlig: {decision['owner']}, frist: "  # i18n: PDF report text
            f"{_norwegian_date(decision['due'])}, status: {decision['status_title']}; fra {decision['meeting']})"
        )
    for decision in entry["open"]:
        due = f", frist: {_norwegian_date(decision['due'])}" if decision["due"] else ""
        lines.append(
            f"Pågår: {decision['text']} (ansvarlig: {decision['owner']}{due}, status: "  # i18n: PDF report text
            f"{decision['status_title']}; fra {decision['meeting']})"
        )
    return lines


def _norwegian_date(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime(DATE_FORMAT) if iso else "–"


def agenda_report_data(meeting_id: int) -> dict:
    """Input of `reports.cooperation.build_agenda`: the follow-up of decisions comes first, as a standing item."""
    meeting = get_meeting(meeting_id)
    entry = follow_up(meeting)
    lines = _follow_up_lines(entry)
    standing = {
        "number": "",
        "title": FOLLOW_UP_TITLE,
        "kind": "orientering",
        "responsible": meeting.secretary or None,
        "note": lines or "Ingen åpne vedtak fra tidligere møter.",
    }
    items = [
        {
            "number": i.number,
            "title": i.title,
            "kind": i.kind,
            "responsible": i.presenter or None,
            "note": i.note or None,
            "proposal": i.proposal or None,
        }
        for i in agenda_items(meeting_id)
    ]
    return {
        "meeting": _report_meeting(meeting),
        "items": [standing, *items],
        "approvals": _report_approvals(meeting),
        "generated_at": utcnow(),
    }


def minutes_report_data(meeting_id: int) -> dict:
    """Input of `reports.cooperation.build_minutes`."""
    meeting = get_meeting(meeting_id)
    items = agenda_items(meeting_id)
    numbers = {item.id: item.number for item in items}
    earlier = {m.id: m for m in _earlier_meetings(meeting)}
    earlier_decisions = []
    if earlier:
        for decision in db.session.scalars(select(Decision).where(Decision.meeting_id.in_(list(earlier)))):
            earlier_decisions.append(
                {
                    "meeting": earlier[decision.meeting_id].title,
                    "text": decision.text,
                    "owner": decision.owner,
                    "due": decision.due,
                    "status": decision.status,
                }
            )
    data = {
        "meeting": _report_meeting(meeting),
        "present": meeting.present or [],
        "absent": meeting.absent or [],
        "items": [{"number": i.number, "title": i.title, "minutes": i.minutes or None} for i in items],
        "decisions": [
            {"item": numbers.get(d.agenda_item_id), "text": d.text, "owner": d.owner, "due": d.due, "status": d.status}
            for d in meeting_decisions(meeting_id)
        ],
        # Past due (before the meeting day, in Oslo) and not done; the report only draws them.
        "overdue_decisions": overdue_decisions(earlier_decisions, on=to_date(meeting.starts_at) or date.today()),
        "approvals": _report_approvals(meeting),
        "draft": meeting.status != "held",
        "generated_at": utcnow(),
    }
    if meeting.minutes_notes:
        data["items"].insert(0, {"number": "", "title": "Generelt", "minutes": meeting.minutes_notes})
    return data
