"""The samarbeidsavtale as records: periods, sections, steering documents, innsatsområder, areas, routines."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.cooperation.agreement import (
    ROUTINE_STATUSES,
)
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


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
