"""§4's «faste treffpunkter»: recurring meetings per bydel between områdekontakter and the police, and a short
record of each meeting held."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import isoformat, utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class Treffpunkt(db.Model):
    """A recurring meeting in one bydel (the bydel as the map's grouping names it)."""

    __tablename__ = "coop_treffpunkter"

    id: Mapped[int] = mapped_column(primary_key=True)
    bydel: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300), default="")
    schedule: Mapped[str] = mapped_column(String(300), default="")  # e.g. «Andre onsdag i måneden kl. 12.30»
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "bydel": self.bydel,
            "title": self.title,
            "location": self.location,
            "schedule": self.schedule,
            "active": self.active,
            "version": self.version,
        }


class TreffpunktMeeting(db.Model):
    """One meeting held: date, participants, a short summary, and the legal basis when a case with personal
    information was discussed."""

    __tablename__ = "coop_treffpunkt_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    treffpunkt_id: Mapped[int] = mapped_column(ForeignKey("coop_treffpunkter.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[list] = mapped_column(JSON, default=list)  # names and functions of the professionals
    summary: Mapped[str] = mapped_column(Text, default="")
    personal_case: Mapped[bool] = mapped_column(default=False)
    share_basis_id: Mapped[int | None] = mapped_column(ForeignKey("share_bases.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "treffpunkt_id": self.treffpunkt_id,
            "held_on": self.held_on.isoformat(),
            "participants": self.participants or [],
            "summary": self.summary,
            "personal_case": self.personal_case,
            "share_basis_id": self.share_basis_id,
            "recorded_by": self.recorded_by,
            "created_at": isoformat(self.created_at),
        }
