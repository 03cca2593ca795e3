"""EPS centres, departments and staffing, evacuees with their status history, households and inquiries."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.eps.fields import NEED_KEYS
from beredskap.extensions import db
from beredskap.vocabulary import (  # noqa: F401 - the statuses and labels live in the vocabulary; re-exported
    CENTRE_STATUS_TITLES,
    EVACUEE_STATUS_TITLES,
    INQUIRY_STATUS_TITLES,
    NEED_TITLES,
    CentreStatus,
    EvacueeStatus,
    InquiryStatus,
)

# The order a centre moves through; a status can only move forward.
CENTRE_FLOW: tuple[str, ...] = tuple(CentreStatus)


class DecidedBy(StrEnum):
    POLITI = "politi"
    KOMMUNE = "kommune"


class EvacuationCentre(db.Model):
    """An evakuerte- og pårørendesenter opened for one incident, usually at a pre-designated venue (resource)."""

    __tablename__ = "eps_centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # A venue from the resource register; no foreign key so EPS works while maps is absent or a venue is removed.
    resource_id: Mapped[int | None] = mapped_column(index=True)
    location: Mapped[dict | None] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=CentreStatus.BESLUTTET)
    decided_by: Mapped[str] = mapped_column(String(20), default=DecidedBy.KOMMUNE)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    operating_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The EPS-leder: keeps the list of access purposes and reads the centre's audit trail. The user who
    # opened the centre until someone hands it over.
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Running counts (no personal data), changed only by services.change_counts: an atomic
    # `UPDATE … SET present_count = present_count + 1 … RETURNING` in the transaction of the change,
    # so concurrent writers stay exact and a registration needs no GROUP BY over the registry.
    present_count: Mapped[int] = mapped_column(default=0, server_default="0")
    left_count: Mapped[int] = mapped_column(default=0, server_default="0")
    open_inquiry_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reunited_inquiry_count: Mapped[int] = mapped_column(default=0, server_default="0")
    closed_inquiry_count: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def channel(self) -> str:
        return f"incident:{self.incident_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == CentreStatus.AVVIKLET


class Department(db.Model):
    """One function of the centre (mottak, pårørendesenter …) with its leader, deputy and action card."""

    __tablename__ = "eps_departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("eps_centres.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    # Staff of the municipality or volunteers, never evacuees; a roster person id when picked from the roster.
    leader_name: Mapped[str] = mapped_column(String(200), default="")
    leader_person_id: Mapped[int | None] = mapped_column()
    deputy_name: Mapped[str] = mapped_column(String(200), default="")
    deputy_person_id: Mapped[int | None] = mapped_column()
    staff_needed: Mapped[int] = mapped_column(default=0)
    # [{"text": str, "done": bool, "done_at": iso | None}] — the action card of this department.
    actions: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class StaffAssignment(db.Model):
    """A staff member or volunteer working in a department."""

    __tablename__ = "eps_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("eps_departments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column()
    role: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self, with_names: bool) -> dict:
        return {
            "id": self.id,
            "department_id": self.department_id,
            "name": self.name if with_names else None,
            "person_id": self.person_id,
            "role": self.role,
        }


class Household(db.Model):
    """People registered together as one family group; holds no personal data itself."""

    __tablename__ = "eps_households"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("eps_centres.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evacuee(db.Model):
    """A person registered at a centre. Confidential: read only through audited services."""

    __tablename__ = "eps_evacuees"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("eps_centres.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("eps_households.id", ondelete="SET NULL"))
    # Personal data: cleared by the retention purge (anonymised_at is then set).
    full_name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column()
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    needs: Mapped[dict] = mapped_column(JSON, default=dict)
    needs_note: Mapped[str | None] = mapped_column(Text)
    destination: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=EvacueeStatus.PRESENT)
    exercise: Mapped[bool] = mapped_column(default=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_eps_evacuees_centre_status", "centre_id", "status"),)

    def need_keys(self) -> list[str]:
        return [key for key in NEED_KEYS if (self.needs or {}).get(key)]

    def matching_record(self) -> dict:
        """The plain record `matching.score_candidate` compares."""
        return {
            "id": self.id,
            "full_name": self.full_name or "",
            "birth_date": self.birth_date or self.birth_year,
            "phone": self.phone,
        }

    def to_dict(self) -> dict:
        """Every field, personal data included: only for callers that have audited the read."""
        return {
            "id": self.id,
            "eps_id": self.centre_id,
            "incident_id": self.incident_id,
            "household_id": self.household_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "birth_year": self.birth_year,
            "phone": self.phone,
            "address": self.address,
            "needs": self.need_keys(),
            "needs_note": self.needs_note,
            "status": self.status,
            "destination": self.destination,
            "exercise": self.exercise,
            "registered_at": isoformat(self.registered_at),
            "left_at": isoformat(self.left_at),
            "anonymised": self.anonymised_at is not None,
            "version": self.version,
        }


class EvacueeHistory(db.Model):
    """What happened to a registration and when (registered, checked out, reunited); no personal data."""

    __tablename__ = "eps_evacuee_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    evacuee_id: Mapped[int] = mapped_column(ForeignKey("eps_evacuees.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    inquiry_id: Mapped[int | None] = mapped_column()

    def to_dict(self) -> dict:
        return {
            "action": self.action,
            "status": self.status,
            "at": isoformat(self.at),
            "actor_id": self.actor_id,
            "inquiry_id": self.inquiry_id,
        }


class RecordChange(db.Model):
    """One correction of a registration, an inquiry or a centre: the values before and after, who and when.

    For evacuees and inquiries the values are personal data: cleared by the retention purge with the record."""

    __tablename__ = "eps_record_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("eps_centres.id", ondelete="CASCADE"), index=True)
    # "evacuee", "inquiry" or "centre"
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(30), default="corrected")
    # {field: {"from": old, "to": new}}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (Index("ix_eps_record_changes_subject", "subject_type", "subject_id"),)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "action": self.action,
            "changes": dict(self.changes or {}),
            "version": self.version,
            "at": isoformat(self.at),
            "actor_id": self.actor_id,
            "actor": self.actor_name,
        }


class AccessPurpose(db.Model):
    """Why personal data is read («formål»): the list the EPS-leder keeps; the desk picks one before reading."""

    __tablename__ = "eps_access_purposes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "active": self.active,
            "position": self.position,
            "version": self.version,
        }


class Inquiry(db.Model):
    """A next-of-kin inquiry: who asks, about whom; candidates are suggestions, a person confirms."""

    __tablename__ = "eps_inquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("eps_centres.id", ondelete="CASCADE"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="telefon")
    # Personal data of the inquirer and the person sought: cleared by the retention purge.
    inquirer_name: Mapped[str | None] = mapped_column(String(200))
    inquirer_phone: Mapped[str | None] = mapped_column(String(40))
    relation: Mapped[str | None] = mapped_column(String(100))
    sought_name: Mapped[str | None] = mapped_column(String(200))
    sought_birth_year: Mapped[int | None] = mapped_column()
    sought_phone: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=InquiryStatus.OPEN)
    # [{"evacuee_id", "score"}] best first: ids and scores only.
    candidates: Mapped[list] = mapped_column(JSON, default=list)
    candidates_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reunited_evacuee_id: Mapped[int | None] = mapped_column(ForeignKey("eps_evacuees.id", ondelete="SET NULL"))
    reunited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reunited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exercise: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_eps_inquiries_incident_status", "incident_id", "status"),)

    def matching_record(self) -> dict:
        return {
            "sought_name": self.sought_name or "",
            "sought_birth_year": self.sought_birth_year,
            "sought_phone": self.sought_phone,
        }

    def to_dict(self) -> dict:
        """Every field, personal data included: only for callers that have audited the read."""
        return {
            "id": self.id,
            "eps_id": self.centre_id,
            "incident_id": self.incident_id,
            "channel": self.channel,
            "inquirer_name": self.inquirer_name,
            "inquirer_phone": self.inquirer_phone,
            "relation": self.relation,
            "sought_name": self.sought_name,
            "sought_birth_year": self.sought_birth_year,
            "sought_phone": self.sought_phone,
            "note": self.note,
            "status": self.status,
            "candidates": list(self.candidates or []),
            "reunited_evacuee_id": self.reunited_evacuee_id,
            "reunited_at": isoformat(self.reunited_at),
            "exercise": self.exercise,
            "created_at": isoformat(self.created_at),
            "anonymised": self.anonymised_at is not None,
            "version": self.version,
        }


class JobMarker(db.Model):
    """When a periodic EPS job last ran; claimed with a conditional UPDATE so one process runs it."""

    __tablename__ = "eps_job_markers"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
