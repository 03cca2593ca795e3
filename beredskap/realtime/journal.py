"""Append events in the caller's transaction and read them back for catch-up and replay."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.realtime.models import Channel, Event

PENDING_KEY = "beredskap_pending_events"

_channels = Channel.__table__
_events = Event.__table__
# Built once; run on the session's connection, so they join its transaction without autoflushing pending objects.
_RESERVE = (
    update(_channels)
    .where(_channels.c.name == bindparam("channel"))
    .values(last_seq=_channels.c.last_seq + bindparam("count"))
    .returning(_channels.c.last_seq)
)
_INSERT_EVENTS = insert(_events)


def _insert_channel_if_missing(name: str) -> None:
    connection = db.session.connection()
    insert_ = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(insert_(_channels).values(name=name, last_seq=0).on_conflict_do_nothing())


def ensure_channel(name: str) -> None:
    """Create the channel's counter row if it is not there (idempotent, race-free)."""
    _insert_channel_if_missing(name)


def _reserve_seqs(channel: str, count: int = 1) -> int:
    """Take the next `count` seqs of the channel and return the last one.

    The counter row stays locked until the transaction ends, so writers of one channel get gap-free seqs in
    commit order. Pending ORM objects are not flushed by it: they are written when the caller flushes or commits.
    """
    connection = db.session.connection()
    params = {"channel": channel, "count": count}
    seq = connection.execute(_RESERVE, params).scalar()
    if seq is None:
        _insert_channel_if_missing(channel)
        seq = connection.execute(_RESERVE, params).scalar_one()
    return seq


def _next_seq(channel: str) -> int:
    return _reserve_seqs(channel)


def append_events(
    items: Iterable[tuple[str, str, dict]], *, actor_id: int | None = None, at: datetime | None = None
) -> list[Event]:
    """Write several events `(channel, type, data)` in the current transaction, in the order given.

    One counter update per channel (first-seen order, so callers keep a fixed lock order) and one insert for
    all rows. They are broadcast only after the transaction commits. `data` carries ids, counts, statuses and
    titles — never personal data.
    """
    items = list(items)
    if not items:
        return []
    at = at or utcnow()
    per_channel: dict[str, int] = {}
    for channel, _type, _data in items:
        per_channel[channel] = per_channel.get(channel, 0) + 1
    next_seq = {channel: _reserve_seqs(channel, count) - count + 1 for channel, count in per_channel.items()}
    events = []
    for channel, type_, data in items:
        events.append(Event(channel=channel, seq=next_seq[channel], type=type_, data=data, actor_id=actor_id, at=at))
        next_seq[channel] += 1
    rows = [
        {"channel": e.channel, "seq": e.seq, "type": e.type, "data": e.data, "actor_id": e.actor_id, "at": e.at}
        for e in events
    ]
    db.session.connection().execute(_INSERT_EVENTS, rows)
    # The envelopes are built now, from the values written: nothing is reloaded after commit.
    db.session.info.setdefault(PENDING_KEY, []).extend(event.envelope() for event in events)
    return events


def append_event(
    channel: str, type_: str, data: dict, *, actor_id: int | None = None, at: datetime | None = None
) -> Event:
    """Write an event in the current transaction; it is broadcast only after the transaction commits.

    `data` carries ids, counts, statuses and titles — never personal data. The returned Event holds the values
    written (it is not attached to the session).
    """
    return append_events([(channel, type_, data)], actor_id=actor_id, at=at)[0]


def events_since(channel: str, since: int = 0, limit: int | None = None) -> list[Event]:
    stmt = select(Event).where(Event.channel == channel, Event.seq > since).order_by(Event.seq)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def last_seq(channel: str) -> int:
    # Read from the table, not the identity map: _reserve_seqs changes the row without touching loaded objects.
    return db.session.scalar(select(Channel.last_seq).where(Channel.name == channel)) or 0


def events_until(channel: str, until: datetime) -> list[Event]:
    """Every event of the channel up to a moment — the input of replay."""
    stmt = select(Event).where(Event.channel == channel, Event.at <= until).order_by(Event.seq)
    return list(db.session.scalars(stmt))
