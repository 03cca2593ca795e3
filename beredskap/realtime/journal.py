"""Append events in the caller's transaction and read them back for catch-up and replay."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.realtime.models import Channel, Event

PENDING_KEY = "beredskap_pending_events"


def _insert_channel_if_missing(name: str) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(Channel).values(name=name, last_seq=0).on_conflict_do_nothing())


def ensure_channel(name: str) -> None:
    """Create the channel's counter row if it is not there (idempotent, race-free)."""
    _insert_channel_if_missing(name)


def channel_exists(name: str) -> bool:
    return db.session.get(Channel, name) is not None


def _next_seq(channel: str) -> int:
    stmt = update(Channel).where(Channel.name == channel).values(last_seq=Channel.last_seq + 1)
    seq = db.session.execute(stmt.returning(Channel.last_seq)).scalar()
    if seq is None:
        _insert_channel_if_missing(channel)
        seq = db.session.execute(stmt.returning(Channel.last_seq)).scalar_one()
    return seq


def append_event(
    channel: str, type_: str, data: dict, *, actor_id: int | None = None, at: datetime | None = None
) -> Event:
    """Write an event in the current transaction; it is broadcast only after the transaction commits.

    `data` carries ids, counts, statuses and titles — never personal data.
    """
    seq = _next_seq(channel)
    event = Event(channel=channel, seq=seq, type=type_, data=data, actor_id=actor_id, at=at or utcnow())
    db.session.add(event)
    # The envelope is built now: after commit the instance is expired and must not be reloaded.
    db.session.info.setdefault(PENDING_KEY, []).append(event.envelope())
    return event


def events_since(channel: str, since: int = 0, limit: int | None = None) -> list[Event]:
    stmt = select(Event).where(Event.channel == channel, Event.seq > since).order_by(Event.seq)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def last_seq(channel: str) -> int:
    row = db.session.get(Channel, channel)
    return row.last_seq if row else 0


def events_until(channel: str, until: datetime) -> list[Event]:
    """Every event of the channel up to a moment — the input of replay."""
    stmt = select(Event).where(Event.channel == channel, Event.at <= until).order_by(Event.seq)
    return list(db.session.scalars(stmt))
