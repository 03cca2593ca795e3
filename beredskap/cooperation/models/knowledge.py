"""Årshjul items, the Oversiktsbilde and calendar tokens."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


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
    # §3.3: the writing team [{"role", "person_id"} | {"role", "name", "organisation"}] and the three sources'
    # years {"kriminalstatistikk": {"year", "note"}, "ungdata": {...}, "kvalitativ": {...}}.
    team: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[dict] = mapped_column(JSON, default=dict)
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


class ThreatAssessment(db.Model):
    """The police's yearly Trusselvurdering for Agder (§3.3), as a document record."""

    __tablename__ = "coop_threat_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "title": self.title,
            "summary": self.summary,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "url": self.url,
            "version": self.version,
        }
