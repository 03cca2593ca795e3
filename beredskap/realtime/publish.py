"""The one place that emits Socket.IO events: after commit, to the room of the channel."""

import json

from flask import Flask
from sqlalchemy import event as sa_event

from beredskap.extensions import db, socketio
from beredskap.realtime.journal import PENDING_KEY


def room_for(channel: str) -> str:
    return f"ch:{channel}"


def publish_envelopes(envelopes: list[dict]) -> None:
    """Broadcast committed events; with REDIS_URL the message queue carries them to every process."""
    for envelope in envelopes:
        socketio.emit("event", envelope, to=room_for(envelope["channel"]))


def _after_commit(session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    envelopes = list(pending)
    try:
        publish_envelopes(envelopes)
    except Exception:  # noqa: BLE001 - the commit stands; clients catch up by seq
        import logging

        logging.getLogger(__name__).warning("publish failed for %d events; clients will catch up", len(envelopes))


def _after_rollback(session) -> None:
    session.info.pop(PENDING_KEY, None)


def register_publisher(app: Flask) -> None:
    """Hook publish-after-commit onto the app's session."""
    if getattr(register_publisher, "_done", False):
        return
    sa_event.listen(db.session, "after_commit", _after_commit)
    sa_event.listen(db.session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
    register_publisher._done = True  # type: ignore[attr-defined]


def envelope_size(envelope: dict) -> int:
    return len(json.dumps(envelope))
