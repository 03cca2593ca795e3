"""What a subscriber missed, read once per reconnect wave instead of once per client.

When a server restarts or the network comes back, hundreds of clients subscribe with the same `since` within a
second. The missed envelopes for (channel, since, last_seq) are read from the journal by the first of them and
kept for a couple of seconds; the rest get the same list. Committed events never change, so the key alone
makes an entry right; the short lifetime bounds memory, and deleting a channel (an exercise removed) forgets its
entries in this process at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import select

from beredskap.extensions import db
from beredskap.realtime.models import Channel, Event, envelope

KEEP_SECONDS = 2.0
MAX_ENTRIES = 64
# Batches bigger than this are not kept: a client far behind reads its own, and memory stays bounded.
MAX_CACHED_EVENTS = 5000
# One `events` message carries at most this many envelopes; a longer catch-up comes in several, in order.
BATCH_SIZE = 1000

Key = tuple[str, str, int, int]  # database, channel, since, last_seq


@dataclass
class Missed:
    """The envelopes a subscriber missed, and the `events` messages carrying them, serialised once."""

    channel: str
    envelopes: list[dict]
    last_seq: int
    _texts: list[str] | None = field(default=None, repr=False)

    def batch_texts(self) -> list[str]:
        """JSON of each `{"channel", "events"}` message in order, at most BATCH_SIZE envelopes each."""
        if self._texts is None:
            parts = [self.envelopes[i : i + BATCH_SIZE] for i in range(0, len(self.envelopes), BATCH_SIZE)]
            self._texts = [json.dumps({"channel": self.channel, "events": part}) for part in parts]
        return self._texts


_entries: OrderedDict[Key, tuple[float, Missed]] = OrderedDict()
_locks: dict[Key, threading.Lock] = {}
_guard = threading.Lock()


def _read(channel: str, since: int, last: int) -> list[dict]:
    stmt = (
        select(Event.channel, Event.seq, Event.type, Event.at, Event.data)
        .where(Event.channel == channel, Event.seq > since, Event.seq <= last)
        .order_by(Event.seq)
    )
    return [envelope(*row) for row in db.session.execute(stmt)]


def _cached(key: Key) -> Missed | None:
    entry = _entries.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def missed(channel: str, since: int) -> Missed:
    """The envelopes with seq in (since, last_seq] in order, and last_seq, as committed now.

    Events after last_seq reach the subscriber live: it has joined the channel's room before this is called.
    """
    last = db.session.execute(select(Channel.last_seq).where(Channel.name == channel)).scalar() or 0
    if last <= since:
        return Missed(channel, [], last)
    if last - since > MAX_CACHED_EVENTS:
        return Missed(channel, _read(channel, since, last), last)
    # The database is part of the key: tests (and tools) run several apps in one process.
    key = (str(db.engine.url), channel, since, last)
    found = _cached(key)
    if found is not None:
        return found
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    # One reader per key; the others wait for its result instead of running the same query, and wait without
    # a pooled connection: the session is closed (it has only read) and reconnects if it must read after all.
    if not lock.acquire(blocking=False):
        db.session.close()
        lock.acquire()
    try:
        found = _cached(key)
        if found is None:
            found = Missed(channel, _read(channel, since, last), last)
            with _guard:
                _entries[key] = (time.monotonic() + KEEP_SECONDS, found)
                _entries.move_to_end(key)
                while len(_entries) > MAX_ENTRIES:
                    _entries.popitem(last=False)
    finally:
        lock.release()
    with _guard:
        _locks.pop(key, None)
    return found


def forget(channel: str) -> None:
    """Drop what this process keeps of a channel (its events were deleted)."""
    with _guard:
        for key in [key for key in _entries if key[1] == channel]:
            del _entries[key]
