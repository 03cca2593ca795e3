"""Channels and the event journal."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beredskap.clock import utcnow
from beredskap.dbtypes import UTCDateTime
from beredskap.extensions import db


class Channel(db.Model):
    """Per-channel counter row; `UPDATE … last_seq + 1 RETURNING` serialises writers on one channel."""

    __tablename__ = "channels"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(80), ForeignKey("channels.name"))
    seq: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("channel", "seq", name="uq_events_channel_seq"),)

    def envelope(self) -> dict:
        return envelope(self.channel, self.seq, self.type, self.at, self.data)


def envelope(channel: str, seq: int, type_: str, at: datetime, data: dict) -> dict:
    """The envelope of CONTRACT §3, from an Event or from a row of its columns."""
    return {"channel": channel, "seq": seq, "type": type_, "at": at.isoformat(), "data": data}
