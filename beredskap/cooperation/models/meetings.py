"""Meetings, saksliste, innspill, attachments, dispatches and decisions."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    DECISION_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    PARTY_BODIES,
    PROPOSAL_STATUSES,
    approval_body,
)
from beredskap.cooperation.models.agreement import _iso_date
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class Meeting(db.Model):
    """A politiråd, formannskap or regional politiråd meeting, with its agenda approvals and minutes."""

    __tablename__ = "coop_meetings"
    __table_args__ = (UniqueConstraint("year", "cycle_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(index=True)
    cycle_key: Mapped[str | None] = mapped_column(String(40))  # the årshjul slot, e.g. "politirad-var"
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    host: Mapped[str | None] = mapped_column(String(20))  # kommune | politi
    chair: Mapped[str] = mapped_column(String(200), default="")
    secretary: Mapped[str] = mapped_column(String(200), default="")
    members: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "organisation", "function"?}]
    invited: Mapped[list] = mapped_column(JSON, default=list)
    present: Mapped[list] = mapped_column(JSON, default=list)
    absent: Mapped[list] = mapped_column(JSON, default=list)
    minutes_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_kommune_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_kommune_by: Mapped[str] = mapped_column(String(200), default="")
    approved_politi_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_politi_by: Mapped[str] = mapped_column(String(200), default="")
    # Which politistasjon's ledergruppe approved (a Party key), as the agreement tells the two stations apart.
    approved_politi_station: Mapped[str] = mapped_column(String(60), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The referat is approved by both ledergrupper the same way, then distributed (minutes_sent_at).
    minutes_approved_kommune_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_kommune_by: Mapped[str] = mapped_column(String(200), default="")
    minutes_approved_politi_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_politi_by: Mapped[str] = mapped_column(String(200), default="")
    minutes_approved_politi_station: Mapped[str] = mapped_column(String(60), default="")
    minutes_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_title(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def status_title(self) -> str:
        return MEETING_STATUSES.get(self.status, self.status)

    def approval(self, party: str, prefix: str = "approved") -> dict | None:
        """The party's approval of the saksliste (`prefix` "approved") or of the referat ("minutes_approved")."""
        at = getattr(self, f"{prefix}_{party}_at")
        if at is None:
            return None
        station = getattr(self, f"{prefix}_politi_station") if party == "politi" else ""
        return {
            "body": approval_body(party, station),
            "station": station if party == "politi" else None,
            "recorded_by": getattr(self, f"{prefix}_{party}_by"),
            "at": isoformat(at),
        }

    @property
    def minutes_approvals(self) -> dict:
        return {party: self.approval(party, "minutes_approved") for party in PARTY_BODIES}

    @property
    def minutes_approved_by_both(self) -> bool:
        return self.minutes_approved_kommune_at is not None and self.minutes_approved_politi_at is not None

    @property
    def approvals(self) -> dict:
        return {party: self.approval(party) for party in PARTY_BODIES}

    @property
    def approved_by_both(self) -> bool:
        return self.approved_kommune_at is not None and self.approved_politi_at is not None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "kind_title": self.kind_title,
            "year": self.year,
            "cycle_key": self.cycle_key,
            "title": self.title,
            "date": isoformat(self.starts_at),
            "location": self.location,
            "host": self.host,
            "chair": self.chair,
            "secretary": self.secretary,
            "members": self.members or [],
            "invited": self.invited or [],
            "present": self.present or [],
            "absent": self.absent or [],
            "minutes_notes": self.minutes_notes,
            "status": self.status,
            "status_title": self.status_title,
            "approvals": self.approvals,
            "approved_by_both": self.approved_by_both,
            "sent_at": isoformat(self.sent_at),
            "minutes_approvals": self.minutes_approvals,
            "minutes_approved_by_both": self.minutes_approved_by_both,
            "minutes_sent_at": isoformat(self.minutes_sent_at),
            "version": self.version,
        }

    def event_data(self) -> dict:
        """What the cooperation channel may carry: ids, kind, title, date, statuses — no names."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "date": isoformat(self.starts_at),
            "status": self.status,
            "approvals": {party: self.approval(party) is not None for party in PARTY_BODIES},
            "minutes_approvals": {
                party: self.approval(party, "minutes_approved") is not None for party in PARTY_BODIES
            },
            "version": self.version,
        }


class AgendaItem(db.Model):
    """A sak on the saksliste with its saksnotat; `minutes` holds what the referat says about it."""

    __tablename__ = "coop_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(20))  # saksnummer, e.g. "3/26"
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="orientering")
    note: Mapped[str] = mapped_column(Text, default="")  # saksnotat
    presenter: Mapped[str] = mapped_column(String(200), default="")
    proposal: Mapped[str] = mapped_column(Text, default="")  # forslag til vedtak
    minutes: Mapped[str] = mapped_column(Text, default="")
    # The politiråd's standing item «Felles fokusområder og tiltak» (§3.1): on every agenda, cannot be removed.
    standing: Mapped[bool] = mapped_column(default=False)
    focus_area_ids: Mapped[list] = mapped_column(JSON, default=list)  # innsatsområder in focus
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "standing": self.standing,
            "focus_area_ids": self.focus_area_ids or [],
            "position": self.position,
            "number": self.number,
            "title": self.title,
            "kind": self.kind,
            "kind_title": AGENDA_ITEM_KINDS.get(self.kind, self.kind),
            "note": self.note,
            "presenter": self.presenter,
            "proposal": self.proposal,
            "minutes": self.minutes,
            "version": self.version,
        }


class Proposal(db.Model):
    """An innspill: a sak proposed by a tjenesteområde of the kommune or the police for a meeting's saksliste.

    The secretary (kriminalitetsforebyggende koordinator) accepts it onto the saksliste or declines it with a
    reason."""

    __tablename__ = "coop_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    from_unit: Mapped[str] = mapped_column(String(200))  # the tjenesteområde or police unit proposing it
    party: Mapped[str] = mapped_column(String(20))  # kommune | politi
    proposed_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | accepted | declined
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("coop_agenda_items.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "title": self.title,
            "description": self.description,
            "from": self.from_unit,
            "party": self.party,
            "proposed_by": self.proposed_by,
            "created_at": isoformat(self.created_at),
            "status": self.status,
            "status_title": PROPOSAL_STATUSES.get(self.status, self.status),
            "decided_by": self.decided_by,
            "decided_at": isoformat(self.decided_at),
            "decline_reason": self.decline_reason,
            "agenda_item_id": self.agenda_item_id,
            "version": self.version,
        }


class Attachment(db.Model):
    """A saksfremlegg or saksnotat for a meeting (PDF, DOCX or ODT, checked by content), read like the meeting."""

    __tablename__ = "coop_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "title": self.title,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "uploaded_by": self.uploaded_by,
            "created_at": isoformat(self.created_at),
        }


class Dispatch(db.Model):
    """One recipient's copy of a sent saksliste or referat: where it went, through which backend, and how it went.

    Status: sent (SMTP accepted it), outbox (kept in the outbox backend), failed (with a short error code),
    no_address (the member has no e-mail address in the directory)."""

    __tablename__ = "coop_dispatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(20))  # agenda | minutes
    recipient: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200), default="")
    backend: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # file names
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "document": self.document,
            "recipient": self.recipient,
            "address": self.address,
            "backend": self.backend,
            "status": self.status,
            "error": self.error,
            "subject": self.subject,
            "attachments": self.attachments or [],
            "created_at": isoformat(self.created_at),
        }


class Decision(db.Model):
    """A vedtak in the referat; both parties follow it up until it is done."""

    __tablename__ = "coop_decisions"
    __table_args__ = (Index("ix_coop_decisions_status_due", "status", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("coop_agenda_items.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, on: date) -> bool:
        return self.status != "done" and self.due is not None and self.due < on

    def to_dict(self, today: date | None = None) -> dict:
        data = {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "agenda_item_id": self.agenda_item_id,
            "text": self.text,
            "owner": self.owner,
            "due": _iso_date(self.due),
            "status": self.status,
            "status_title": DECISION_STATUSES.get(self.status, self.status),
            "status_note": self.status_note,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "version": self.version,
        }
        if today is not None:
            data["overdue"] = self.is_overdue(today)
        return data

    def event_data(self) -> dict:
        # Text and owner stay out of the channel: clients with the role fetch them over the API.
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "status": self.status,
            "due": _iso_date(self.due),
            "version": self.version,
        }


class MeetingQuestion(db.Model):
    """A politician's question in a formannskap meeting (§3.2), with the answer and who gave it."""

    __tablename__ = "coop_meeting_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coop_meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    asked_by: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "position": self.position,
            "asked_by": self.asked_by,
            "question": self.question,
            "answer": self.answer,
            "answered_by": self.answered_by,
            "answered": bool(self.answer),
            "version": self.version,
        }
