"""Parties, directory, agreement, meetings, decisions, årshjul items and the Oversiktsbilde."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    DECISION_STATUSES,
    FUNCTIONS,
    MEETING_KINDS,
    MEETING_STATUSES,
    PARTY_BODIES,
    PROPOSAL_STATUSES,
    ROUTINE_STATUSES,
    approval_body,
)
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


class Party(db.Model):
    """Kristiansand kommune, Agder politidistrikt, and their units (politistasjoner, etater)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # kommune | politi
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))

    def to_dict(self) -> dict:
        return {"id": self.id, "key": self.key, "name": self.name, "kind": self.kind, "parent_id": self.parent_id}


# --- directory --------------------------------------------------------------------------------------------


class Person(db.Model):
    """Someone in the cooperation: a function holder, an områdekontakt, a police contact (fictitious in the demo)."""

    __tablename__ = "coop_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(40))  # key of agreement.FUNCTIONS
    title: Mapped[str] = mapped_column(String(200), default="")  # as written on the agenda
    unit_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    bydel: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def function_title(self) -> str:
        return FUNCTIONS.get(self.function, ("", self.function))[1]

    def to_dict(self, *, contacts: bool) -> dict:
        data = {
            "id": self.id,
            "name": self.name,
            "function": self.function,
            "function_title": self.function_title,
            "title": self.title,
            "unit_id": self.unit_id,
            "bydel": self.bydel,
            "active": self.active,
            "version": self.version,
        }
        # Phone and e-mail only for roles that work with the contacts, not for read-only roles.
        if contacts:
            data.update({"email": self.email, "phone": self.phone})
        return data


class District(db.Model):
    """A bydel with its regular meeting point between områdekontakter and the police."""

    __tablename__ = "coop_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    police_unit_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    meeting_point: Mapped[str] = mapped_column(String(300), default="")
    meeting_schedule: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "police_unit_id": self.police_unit_id,
            "meeting_point": self.meeting_point,
            "meeting_schedule": self.meeting_schedule,
            "version": self.version,
        }


# --- the agreement ----------------------------------------------------------------------------------------


class Agreement(db.Model):
    """A samarbeidsavtale for a period: the signed 2025–2028 one, and the next ones as the coordinator registers them.

    `period_start`/`period_end` are the calendar years it covers (the årshjul follows them); `valid_from`/`valid_to`
    the dates as written in the agreement."""

    __tablename__ = "coop_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int] = mapped_column(unique=True)
    period_end: Mapped[int]
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    period_basis: Mapped[str] = mapped_column(Text, default="")  # e.g. «følger bystyreperioden»
    parties: Mapped[list] = mapped_column(JSON, default=list)  # party names as written
    signatories: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "function", "unit", "party"}]
    goals: Mapped[list] = mapped_column(JSON, default=list)  # §2: what the cooperation shall contribute to
    mandates: Mapped[dict] = mapped_column(JSON, default=dict)  # §2: {"politi", "kommune"} samfunnsoppdrag
    outside_note: Mapped[str] = mapped_column(Text, default="")  # §1: structures the agreement does not cover
    summary: Mapped[str] = mapped_column(Text, default="")
    focus_areas_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end

    def period_dict(self) -> dict:
        return {
            "start": self.period_start,
            "end": self.period_end,
            "valid_from": _iso_date(self.valid_from),
            "valid_to": _iso_date(self.valid_to),
            "basis": self.period_basis,
        }


class AgreementSection(db.Model):
    __tablename__ = "coop_agreement_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    def to_dict(self) -> dict:
        return {"id": self.id, "number": self.number, "title": self.title, "text": self.text}


class SteeringDocument(db.Model):
    __tablename__ = "coop_steering_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(20))  # kommune | politi
    url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "owner": self.owner, "url": self.url}


class FocusArea(db.Model):
    """One of the eight innsatsområder of the municipal crime-prevention plan."""

    __tablename__ = "coop_focus_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "position": self.position,
            "title": self.title,
            "description": self.description,
            "version": self.version,
        }


class CooperationArea(db.Model):
    """One of the ten areas of operational cooperation."""

    __tablename__ = "coop_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))

    def to_dict(self) -> dict:
        return {"id": self.id, "position": self.position, "title": self.title}


class Routine(db.Model):
    """A samarbeidsrutine within a cooperation area."""

    __tablename__ = "coop_routines"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("coop_areas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="under_arbeid")
    document_url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "area_id": self.area_id,
            "title": self.title,
            "owner": self.owner,
            "status": self.status,
            "status_title": ROUTINE_STATUSES.get(self.status, self.status),
            "document_url": self.document_url,
            "updated_at": isoformat(self.updated_at),
            "version": self.version,
        }


class AgreementEvaluation(db.Model):
    """The yearly evaluation of the agreement in the politiråd."""

    __tablename__ = "coop_agreement_evaluations"
    __table_args__ = (UniqueConstraint("agreement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("coop_meetings.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "year": self.year,
            "meeting_id": self.meeting_id,
            "summary": self.summary,
            "version": self.version,
        }


# --- meetings, agenda, decisions --------------------------------------------------------------------------


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_title(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def status_title(self) -> str:
        return MEETING_STATUSES.get(self.status, self.status)

    def approval(self, party: str) -> dict | None:
        at = getattr(self, f"approved_{party}_at")
        if at is None:
            return None
        return {
            "body": approval_body(party, self.approved_politi_station if party == "politi" else ""),
            "station": self.approved_politi_station if party == "politi" else None,
            "recorded_by": getattr(self, f"approved_{party}_by"),
            "at": isoformat(at),
        }

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


# --- årshjul and knowledge base ---------------------------------------------------------------------------


class CycleItem(db.Model):
    """The state of a document item of the årshjul in one year: Trusselvurdering, Oversiktsbilde, evaluation."""

    __tablename__ = "coop_cycle_items"
    __table_args__ = (UniqueConstraint("year", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    key: Mapped[str] = mapped_column(String(40))
    day: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planlagt")
    note: Mapped[str] = mapped_column(Text, default="")
    document_url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class OverviewReport(db.Model):
    """The yearly Oversiktsbilde for barne- og ungdomskriminalitet."""

    __tablename__ = "coop_overview_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    conclusions: Mapped[str] = mapped_column(Text, default="")  # one per line
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class OverviewIndicator(db.Model):
    """One figure or observation for a bydel from one of the three sources."""

    __tablename__ = "coop_overview_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("coop_overview_reports.id", ondelete="CASCADE"), index=True)
    bydel: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(30))  # kriminalstatistikk | ungdata | kvalitativ
    name: Mapped[str] = mapped_column(String(300), default="")
    value: Mapped[float | None] = mapped_column(Float)
    previous: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")  # qualitative information
    informant: Mapped[str] = mapped_column(String(200), default="")  # which service it came from
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "bydel": self.bydel,
            "source": self.source,
            "name": self.name,
            "value": self.value,
            "previous": self.previous,
            "unit": self.unit,
            "comment": self.comment,
            "text": self.text,
            "from": self.informant,
            "version": self.version,
        }


class CalendarToken(db.Model):
    """A user's secret for subscribing to the årshjul feed; only its hash is stored."""

    __tablename__ = "coop_calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
