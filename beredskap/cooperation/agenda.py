"""Saksliste services: agenda items, the standing item, withdrawing approvals, two-party approval, sending."""

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    PARTY_BODIES,
    STANDING_ITEM_TITLE,
)
from beredskap.cooperation.approvals import check_party, record_approval
from beredskap.cooperation.meetings import (
    AGENDA_FIELDS,
    CHANNEL,
    agenda_items,
    get_agenda_item,
    lock_meeting,
    next_case_number,
    withdraw_minutes_approvals,
)
from beredskap.cooperation.models import AgendaItem, FocusArea, Meeting
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


def check_focus_area_ids(meeting: Meeting, ids: list[int]) -> list[int]:
    """Innsatsområder in focus must be those of the agreement covering the meeting's year."""
    from beredskap.cooperation.periods import agreement_for_year

    agreement = agreement_for_year(meeting.year)
    known = (
        set(db.session.scalars(select(FocusArea.id).where(FocusArea.agreement_id == agreement.id)))
        if agreement
        else set()
    )
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise Invalid(
            "invalid",
            gettext("Ukjent innsatsområde for avtalen som gjelder dette året."),
            {"focus_area_ids": "ukjent"},
        )
    return list(dict.fromkeys(ids))


def check_agenda_open(meeting: Meeting) -> None:
    if meeting.status == "held":
        raise Conflict(
            "held", gettext("Møtet er avholdt; sakslisten kan ikke endres lenger. Referatet kan fortsatt skrives.")
        )


def reset_approvals(meeting: Meeting, actor: User | None, reason: str) -> None:
    """Withdraw both approvals (and a sent status) after the saksliste changed.

    An approval is of the saksliste as the ledergruppe saw it. A changed saksliste is a different document
    that neither ledergruppe has approved, so it must be approved again by both, and sent again, before it
    may reach the council.
    """
    if meeting.approved_kommune_at is None and meeting.approved_politi_at is None and meeting.status != "sent":
        return
    had = [party for party in PARTY_BODIES if getattr(meeting, f"approved_{party}_at") is not None]
    meeting.approved_kommune_at = None
    meeting.approved_kommune_by = ""
    meeting.approved_politi_at = None
    meeting.approved_politi_by = ""
    meeting.approved_politi_station = ""
    was_sent = meeting.status == "sent"
    meeting.status = "draft"
    meeting.sent_at = None
    db.session.flush()
    record_audit(
        "meeting.approvals_reset",
        "meeting",
        meeting.id,
        actor=actor,
        reason=reason,
        meta={"withdrawn": had, "was_sent": was_sent},
    )
    append_event(
        CHANNEL,
        "meeting.approvals_reset",
        {**meeting.event_data(), "withdrawn": had, "was_sent": was_sent},
        actor_id=actor.id if actor else None,
    )


def _validate_item(data: dict) -> None:
    if "kind" in data and data["kind"] not in AGENDA_ITEM_KINDS:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(allowed)s.", label=label("kind"), allowed=", ".join(AGENDA_ITEM_KINDS)),
            {"kind": "ugyldig"},
        )
    if "title" in data and not (data["title"] or "").strip():
        raise Invalid("invalid", gettext("Saken må ha en tittel."), {"title": "påkrevd"})


def item_event(item: AgendaItem) -> dict:
    return {
        "id": item.id,
        "meeting_id": item.meeting_id,
        "number": item.number,
        "title": item.title,
        "position": item.position,
        "version": item.version,
    }


@transactional
def add_agenda_item(meeting_id: int, data: dict, actor: User | None = None) -> AgendaItem:
    """Add a sak to the saksliste; withdraws earlier approvals (see `reset_approvals`)."""
    _validate_item({"title": data.get("title", ""), **data})
    meeting = lock_meeting(meeting_id)
    check_agenda_open(meeting)
    position = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id))
    item = AgendaItem(
        meeting_id=meeting_id,
        position=data.get("position") if data.get("position") is not None else (position or 0) + 1,
        number=data.get("number") or next_case_number(meeting),
        title=data["title"],
        kind=data.get("kind") or "orientering",
        note=data.get("note") or "",
        presenter=data.get("presenter") or "",
        proposal=data.get("proposal") or "",
        minutes=data.get("minutes") or "",
    )
    db.session.add(item)
    db.session.flush()
    reset_approvals(meeting, actor, "Ny sak på sakslisten")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "agenda.item_created", item_event(item), actor_id=actor.id if actor else None)
    db.session.commit()
    return item


@transactional
def update_agenda_item(item_id: int, changes: dict, version: int, actor: User | None = None) -> AgendaItem:
    """Edit a sak; saksliste fields withdraw the approvals, the referat text (`minutes`) does not."""
    _validate_item(changes)
    item = get_agenda_item(item_id)
    meeting = lock_meeting(item.meeting_id)
    if item.version != version:
        raise Conflict("version_conflict", gettext("Saken er endret av noen andre. Last inn på nytt."))
    if item.standing and "title" in changes and changes["title"] != item.title:
        raise Conflict(
            "standing", gettext("«%(title)s» er en fast sak og beholder navnet sitt.", title=STANDING_ITEM_TITLE)
        )
    if "focus_area_ids" in changes:
        changes["focus_area_ids"] = check_focus_area_ids(meeting, changes["focus_area_ids"])
    agenda_changed = any(
        key in changes and changes[key] != getattr(item, key) for key in (*AGENDA_FIELDS, "focus_area_ids")
    )
    if agenda_changed:
        check_agenda_open(meeting)
    if "focus_area_ids" in changes:
        item.focus_area_ids = changes["focus_area_ids"]
    minutes_changed = "minutes" in changes and (changes["minutes"] or "") != item.minutes
    for key in (*AGENDA_FIELDS, "minutes"):
        if key in changes:
            setattr(item, key, changes[key] if changes[key] is not None else "")
    db.session.flush()
    if minutes_changed:
        withdraw_minutes_approvals(
            meeting,
            actor,
            "Referatet for en sak endret",  # i18n: audit-log reason stored as data
        )
    if agenda_changed:
        reset_approvals(meeting, actor, "Sak på sakslisten endret")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "agenda.item_updated", item_event(item), actor_id=actor.id if actor else None)
    db.session.commit()
    return item


@transactional
def delete_agenda_item(item_id: int, version: int, actor: User | None = None) -> None:
    """Remove a sak from the saksliste; withdraws the approvals."""
    item = get_agenda_item(item_id)
    meeting = lock_meeting(item.meeting_id)
    if item.version != version:
        raise Conflict("version_conflict", gettext("Saken er endret av noen andre. Last inn på nytt."))
    if item.standing:
        raise Conflict(
            "standing",
            gettext("«%(title)s» er en fast sak i hvert politiråd og kan ikke fjernes.", title=STANDING_ITEM_TITLE),
        )
    check_agenda_open(meeting)
    data = item_event(item)
    db.session.delete(item)
    db.session.flush()
    reset_approvals(meeting, actor, "Sak fjernet fra sakslisten")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "agenda.item_deleted", data, actor_id=actor.id if actor else None)
    db.session.commit()


# --- approval and sending ---------------------------------------------------------------------------------


@transactional
def approve_agenda(meeting_id: int, party: str, actor: User, station: str = "") -> Meeting:
    """Record that the party's ledergruppe has approved the saksliste (audited, announced).

    For the police, `station` names whose ledergruppe it was: «politi-kristiansand» or «politi-sogne-songdalen»."""
    check_party(party, station, actor)
    meeting = lock_meeting(meeting_id)
    if meeting.status == "held":
        raise Conflict("held", gettext("Møtet er avholdt."))
    if meeting.status == "sent":
        raise Conflict("already_sent", gettext("Sakslisten er allerede sendt."))
    if getattr(meeting, f"approved_{party}_at") is not None:
        raise Conflict(
            "already_approved", gettext("%(party)s har allerede godkjent sakslisten.", party=PARTY_BODIES[party])
        )
    if not agenda_items(meeting_id):
        raise Conflict("empty_agenda", gettext("Sakslisten er tom; legg til saker før den godkjennes."))
    record_approval(meeting, party, station, actor, prefix="", event="meeting.approved")
    return meeting


@transactional
def send_agenda(meeting_id: int, actor: User) -> Meeting:
    """Send the saksliste to the council; refused (409) until both ledergrupper have approved it."""
    meeting = lock_meeting(meeting_id)
    if meeting.status == "sent":
        raise Conflict("already_sent", gettext("Sakslisten er allerede sendt."))
    if meeting.status == "held":
        raise Conflict("held", gettext("Møtet er avholdt."))
    missing = [PARTY_BODIES[p].lower() for p in PARTY_BODIES if getattr(meeting, f"approved_{p}_at") is None]
    if missing:
        raise Conflict(
            "not_approved",
            gettext(
                "Sakslisten kan ikke sendes før den er godkjent av både kommunedirektørens ledergruppe og "
                "politistasjonens ledergruppe. Mangler godkjenning fra %(missing)s.",
                missing=f" {gettext('og')} ".join(missing),
            ),
        )
    meeting.status = "sent"
    meeting.sent_at = utcnow()
    db.session.flush()
    record_audit("meeting.sent", "meeting", meeting.id, actor=actor)
    append_event(CHANNEL, "meeting.sent", meeting.event_data(), actor_id=actor.id)
    db.session.commit()
    return meeting
