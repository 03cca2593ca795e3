"""The socket handlers' share of a process's database pool, so a reconnect wave cannot starve HTTP requests.

Hundreds of sockets subscribe at once after a restart or a network blip, each reading its user, the channel and
what it missed. Unbounded, they take every pooled connection and queue for more; a write arriving meanwhile
waits DB_POOL_TIMEOUT seconds in the same queue and is answered 500 (B8 saw 22 of them). Socket handlers that
read the database first take one of SOCKET_DB_SLOTS here — waiting holds no connection — and at most that many
connections are theirs, leaving the rest of the pool to requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from beredskap.extensions import db

_KEY = "beredskap_socket_db_slots"
# How long a handler waits for a slot: live.js gives up on a subscribe's answer after 10 s and asks again later.
SLOT_WAIT_SECONDS = 10.0


def slot_count(config) -> int:
    """SOCKET_DB_SLOTS, or half of what the pool can hand out (at least one)."""
    configured = int(config.get("SOCKET_DB_SLOTS") or 0)
    if configured > 0:
        return configured
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        # SQLAlchemy's own SQLite pool (5 + 10); SQLite serialises writers anyway.
        return 4
    return max(1, (int(config["DB_POOL_SIZE"]) + int(config["DB_MAX_OVERFLOW"])) // 2)


def _semaphore(app: Flask) -> threading.BoundedSemaphore:
    # Made on first use, after wsgi.py's monkey-patching: under gevent this is gevent's semaphore.
    sem = app.extensions.get(_KEY)
    if sem is None:
        sem = app.extensions.setdefault(_KEY, threading.BoundedSemaphore(slot_count(app.config)))
    return sem


@contextmanager
def socket_db_slot() -> Iterator[bool]:
    """Yield True holding one slot (after at most SLOT_WAIT_SECONDS of waiting), or False when none came free."""
    sem = _semaphore(current_app._get_current_object())
    got = sem.acquire(timeout=SLOT_WAIT_SECONDS)
    try:
        yield got
    finally:
        # The connection goes back to the pool before the slot is given up.
        db.session.remove()
        if got:
            sem.release()
