"""Incidents, log entries, tasks, action cards, situation reports and who is on the board."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, PrimaryKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db
from beredskap.vocabulary import (  # noqa: F401 - the statuses and labels live in the vocabulary; re-exported
    INCIDENT_TYPE_TITLES,
    KIND_TITLES,
    LOG_CATEGORY_TITLES,
    PHASES,
    SEVERITY_TITLES,
    SITREP_SECTIONS,
    SITREP_STATUS_TITLES,
    STATUS_TITLES,
    TASK_STATUS_TITLES,
    IncidentKind,
    IncidentStatus,
    IncidentType,
    LogCategory,
    SitrepStatus,
    TaskStatus,
)


class Incident(db.Model):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=IncidentKind.INCIDENT)
    type: Mapped[str] = mapped_column(String(30), default=IncidentType.ANNET)
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(default=2)
    phase: Mapped[str] = mapped_column(String(60), default="varsling")
    status: Mapped[str] = mapped_column(String(20), default=IncidentStatus.OPEN)
    location: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Per-incident counters, bumped with UPDATE … RETURNING so numbers follow commit order without gaps.
    log_count: Mapped[int] = mapped_column(default=0)
    sitrep_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_exercise(self) -> bool:
        return self.kind == IncidentKind.EXERCISE

    @property
    def channel(self) -> str:
        return f"incident:{self.id}"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "type": self.type,
            "description": self.description,
            "severity": self.severity,
            "phase": self.phase,
            "status": self.status,
            "location": self.location,
            "version": self.version,
            "created_at": isoformat(self.created_at),
            "closed_at": isoformat(self.closed_at),
        }


class LogEntry(db.Model):
    """Append-only: corrections are new entries naming the one they correct."""

    __tablename__ = "log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=0)  # 1, 2, 3 … within the incident
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), default=LogCategory.INFORMASJON)
    source: Mapped[str] = mapped_column(String(80), default="")
    important: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    corrects: Mapped[int | None] = mapped_column(ForeignKey("log_entries.id"))

    __table_args__ = (
        Index("ix_log_entries_incident", "incident_id", "id"),
        UniqueConstraint("incident_id", "number", name="uq_log_entries_incident_number"),
    )

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "number": self.number,
            "text": self.text,
            "category": self.category,
            "source": self.source,
            "important": self.important,
            "author": self.author,
            "created_at": isoformat(self.created_at),
            "corrects": self.corrects,
        }


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    assignee: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.NEW)
    action_card_id: Mapped[int | None] = mapped_column(ForeignKey("action_cards.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, now: datetime) -> bool:
        return self.status != TaskStatus.DONE and self.due is not None and self.due < now

    def to_dict(self, now: datetime | None = None) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "title": self.title,
            "description": self.description,
            "assignee": self.assignee,
            "due": isoformat(self.due),
            "status": self.status,
            "overdue": self.is_overdue(now or utcnow()),
            "action_card_id": self.action_card_id,
            "version": self.version,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "updated_by": self.updated_by,
        }


class ActionCard(db.Model):
    """Tiltakskort: a standing measure for an incident type, offered as a task when such an incident opens."""

    __tablename__ = "action_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    assignee: Mapped[str] = mapped_column(String(200), default="")  # usually a position, not a person
    due_minutes: Mapped[int | None] = mapped_column()  # deadline relative to when the task is created
    position: Mapped[int] = mapped_column(default=0)
    # A card whose measure is an alert names the roster team to call out (e.g. "kriseledelse"); the board then
    # offers «Send varsling nå», and sending it marks the card's task done.
    alert_team: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "description": self.description,
            "assignee": self.assignee,
            "due_minutes": self.due_minutes,
            "alert_team": self.alert_team,
            "position": self.position,
            "version": self.version,
            "updated_at": isoformat(self.updated_at),
        }


SITREP_SECTION_KEYS = tuple(key for key, _ in SITREP_SECTIONS)


class Sitrep(db.Model):
    """Situasjonsrapport: numbered per incident, draft → approved → issued; frozen once approved."""

    __tablename__ = "sitreps"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=SitrepStatus.DRAFT)
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200), default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("incident_id", "number", name="uq_sitreps_incident_number"),)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "number": self.number,
            "status": self.status,
            "sections": {key: (self.sections or {}).get(key, "") for key in SITREP_SECTION_KEYS},
            "author": self.author,
            "approved_by": self.approved_by,
            "approved_at": isoformat(self.approved_at),
            "issued_at": isoformat(self.issued_at),
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "version": self.version,
        }

    def event_data(self) -> dict:
        # Events carry no report text: clients fetch it over the API.
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "number": self.number,
            "status": self.status,
            "version": self.version,
        }


class BoardPresence(db.Model):
    """Who has the board open: refreshed by a heartbeat, dropped when it goes quiet."""

    __tablename__ = "board_presence"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (PrimaryKeyConstraint("incident_id", "user_id", name="pk_board_presence"),)
