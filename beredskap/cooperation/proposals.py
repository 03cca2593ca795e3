"""Innspill: saker proposed for the saksliste, accepted or declined by the secretary."""

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.permissions import Role
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agenda import check_agenda_open, item_event, reset_approvals
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
)
from beredskap.cooperation.meetings import CHANNEL, actor_name, lock_meeting, next_case_number
from beredskap.cooperation.models import AgendaItem, Meeting, Proposal
from beredskap.domain_errors import Conflict, Forbidden, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

# The kriminalitetsforebyggende koordinator is the politiråd's secretary and decides on the innspill.
SECRETARY_ROLES = frozenset({Role.PREVENTION_COORDINATOR, Role.ADMIN})


def list_proposals(meeting_id: int) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.meeting_id == meeting_id).order_by(Proposal.id)))


def _proposal_event(proposal: Proposal) -> dict:
    # The channel carries ids and status; the text is fetched over the API.
    return {
        "id": proposal.id,
        "meeting_id": proposal.meeting_id,
        "status": proposal.status,
        "agenda_item_id": proposal.agenda_item_id,
        "version": proposal.version,
    }


@transactional
def add_proposal(meeting_id: int, data: dict, actor: User | None = None) -> Proposal:
    """A tjenesteområde in the kommune or the police proposes a sak for the saksliste."""
    meeting = lock_meeting(meeting_id)
    check_agenda_open(meeting)
    if meeting.status == "sent":
        raise Conflict("already_sent", gettext("Sakslisten er sendt; innspill må komme før utsending."))
    proposal = Proposal(
        meeting_id=meeting_id,
        title=data["title"],
        description=data.get("description") or "",
        from_unit=data["from"],
        party=data["party"],
        proposed_by=actor_name(actor),
        created_at=utcnow(),
        status="pending",
    )
    db.session.add(proposal)
    db.session.flush()
    record_audit("proposal.created", "meeting", meeting_id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "proposal.created", _proposal_event(proposal), actor_id=actor.id if actor else None)
    db.session.commit()
    return proposal


def _pending_proposal(proposal_id: int, version: int, actor: User) -> tuple[Proposal, Meeting]:
    if actor.role not in SECRETARY_ROLES:
        raise Forbidden(
            gettext("Bare sekretæren (kriminalitetsforebyggende koordinator) avgjør innspill."), code="not_secretary"
        )
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(gettext("Ukjent innspill."))
    meeting = lock_meeting(proposal.meeting_id)
    if proposal.version != version:
        raise Conflict("version_conflict", gettext("Innspillet er endret av noen andre. Last inn på nytt."))
    if proposal.status != "pending":
        raise Conflict("decided", gettext("Innspillet er allerede avgjort."))
    return proposal, meeting


@transactional
def accept_proposal(proposal_id: int, version: int, actor: User, kind: str = "orientering") -> Proposal:
    """Put the innspill on the saksliste; like any new sak it withdraws earlier approvals."""
    if kind not in AGENDA_ITEM_KINDS:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(allowed)s.", label=label("kind"), allowed=", ".join(AGENDA_ITEM_KINDS)),
            {"kind": "ugyldig"},
        )
    proposal, meeting = _pending_proposal(proposal_id, version, actor)
    check_agenda_open(meeting)
    position = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(position or 0) + 1,
        number=next_case_number(meeting),
        title=proposal.title,
        kind=kind,
        note=proposal.description,
        presenter=proposal.from_unit,
    )
    db.session.add(item)
    db.session.flush()
    proposal.status = "accepted"
    proposal.agenda_item_id = item.id
    proposal.decided_by = actor_name(actor)
    proposal.decided_at = utcnow()
    db.session.flush()
    reset_approvals(meeting, actor, "Innspill satt på sakslisten")  # i18n: audit-log reason stored as data
    record_audit("proposal.accepted", "meeting", meeting.id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "agenda.item_created", item_event(item), actor_id=actor.id)
    append_event(CHANNEL, "proposal.decided", _proposal_event(proposal), actor_id=actor.id)
    db.session.commit()
    return proposal


@transactional
def decline_proposal(proposal_id: int, version: int, reason: str, actor: User) -> Proposal:
    """Decline the innspill with a reason the proposer can read."""
    if not (reason or "").strip():
        raise Invalid("invalid", gettext("Skriv en begrunnelse for avslaget."), {"reason": "påkrevd"})
    proposal, meeting = _pending_proposal(proposal_id, version, actor)
    proposal.status = "declined"
    proposal.decline_reason = reason.strip()
    proposal.decided_by = actor_name(actor)
    proposal.decided_at = utcnow()
    db.session.flush()
    record_audit("proposal.declined", "meeting", meeting.id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "proposal.decided", _proposal_event(proposal), actor_id=actor.id)
    db.session.commit()
    return proposal
