"""The structured yearly evaluation of the agreement (§6): one entry per innsatsområde and samarbeidsområde, and
«fortløpende» notes that are gathered into it."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db

TARGETS: dict[str, str] = {"innsatsomrade": "Innsatsområde", "samarbeidsomrade": "Samarbeidsområde"}
NOTE_TARGETS: dict[str, str] = {**TARGETS, "generelt": "Generelt"}
EVALUATION_STATUSES: dict[str, str] = {
    "ikke_vurdert": "Ikke vurdert",
    "fungerer": "Fungerer godt",
    "delvis": "Fungerer delvis",
    "ma_endres": "Må endres",
}


class EvaluationEntry(db.Model):
    """The politiråd's evaluation of one innsatsområde or samarbeidsområde in one year."""

    __tablename__ = "coop_evaluation_entries"
    __table_args__ = (UniqueConstraint("agreement_id", "year", "target", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    target: Mapped[str] = mapped_column(String(20))  # innsatsomrade | samarbeidsomrade
    target_id: Mapped[int]  # coop_focus_areas.id or coop_areas.id
    status: Mapped[str] = mapped_column(String(20), default="ikke_vurdert")
    worked: Mapped[str] = mapped_column(Text, default="")  # hva fungerte
    change: Mapped[str] = mapped_column(Text, default="")  # hva bør endres
    owner: Mapped[str] = mapped_column(String(200), default="")  # ansvarlig for oppfølging
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "year": self.year,
            "target": self.target,
            "target_id": self.target_id,
            "status": self.status,
            "status_title": EVALUATION_STATUSES.get(self.status, self.status),
            "worked": self.worked,
            "change": self.change,
            "owner": self.owner,
            "updated_by": self.updated_by,
            "updated_at": isoformat(self.updated_at),
            "version": self.version,
        }


class EvaluationNote(db.Model):
    """A «fortløpende» evaluation note, written any time and gathered into the year's evaluation.

    `legacy_evaluation_id` marks the note carried over from the old one-text-field evaluation."""

    __tablename__ = "coop_evaluation_notes"
    __table_args__ = (Index("ix_coop_evaluation_notes_year", "agreement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("coop_agreements.id", ondelete="CASCADE"))
    year: Mapped[int]
    noted_on: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(20), default="generelt")
    target_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    legacy_evaluation_id: Mapped[int | None] = mapped_column(unique=True)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "year": self.year,
            "noted_on": self.noted_on.isoformat(),
            "target": self.target,
            "target_id": self.target_id,
            "text": self.text,
            "author": self.author,
            "created_at": isoformat(self.created_at),
            "legacy": self.legacy_evaluation_id is not None,
        }
