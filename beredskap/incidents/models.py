"""Incidents, log entries and tasks."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class IncidentKind(StrEnum):
    INCIDENT = "incident"
    EXERCISE = "exercise"


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class IncidentType(StrEnum):
    FLOM = "flom"
    BRANN = "brann"
    EKSPLOSJON = "eksplosjon_gass"
    ULYKKE = "ulykke"
    VOLD = "vold_terror"
    PANDEMI = "pandemi"
    EKSTREMVAER = "ekstremvaer"
    IKT = "ikt_bortfall"
    ANNET = "annet"


INCIDENT_TYPE_TITLES = {
    IncidentType.FLOM: "Flom",
    IncidentType.BRANN: "Brann",
    IncidentType.EKSPLOSJON: "Eksplosjon/gass",
    IncidentType.ULYKKE: "Ulykke",
    IncidentType.VOLD: "Vold/terror",
    IncidentType.PANDEMI: "Pandemi",
    IncidentType.EKSTREMVAER: "Ekstremvær",
    IncidentType.IKT: "IKT-bortfall",
    IncidentType.ANNET: "Annet",
}


class LogCategory(StrEnum):
    INFORMASJON = "informasjon"
    BESLUTNING = "beslutning"
    TILTAK = "tiltak"
    MELDING_INN = "melding_inn"
    MELDING_UT = "melding_ut"


LOG_CATEGORY_TITLES = {
    LogCategory.INFORMASJON: "Informasjon",
    LogCategory.BESLUTNING: "Beslutning",
    LogCategory.TILTAK: "Tiltak",
    LogCategory.MELDING_INN: "Melding inn",
    LogCategory.MELDING_UT: "Melding ut",
}


class TaskStatus(StrEnum):
    NEW = "new"
    STARTED = "started"
    DONE = "done"


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
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), default=LogCategory.INFORMASJON)
    source: Mapped[str] = mapped_column(String(80), default="")
    important: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    corrects: Mapped[int | None] = mapped_column(ForeignKey("log_entries.id"))

    __table_args__ = (Index("ix_log_entries_incident", "incident_id", "id"),)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
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
    assignee: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, now: datetime) -> bool:
        return self.status != TaskStatus.DONE and self.due is not None and self.due < now

    def to_dict(self, now: datetime | None = None) -> dict:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "title": self.title,
            "assignee": self.assignee,
            "due": isoformat(self.due),
            "status": self.status,
            "overdue": self.is_overdue(now or utcnow()),
            "version": self.version,
            "created_at": isoformat(self.created_at),
        }
