"""The Redis message queue between server processes, with a heartbeat that proves this process still hears it.

Every process publishes a heartbeat through the queue every REDIS_HEARTBEAT_SECONDS and notes when its own
comes back through its subscription. `GET /healthz` reports `"redis": "stale"` once three beats are missing:
that process would no longer receive live events written through the others (its clients still catch up by
seq, but only at their periodic resubscribe), so monitoring should restart it or look at Redis.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import socketio
from flask import Flask

log = logging.getLogger(__name__)

# Emitted to a room nobody joins: the queue carries it to every process, no socket receives it.
HEARTBEAT_ROOM = "beredskap:heartbeat"
# Same trick for «re-check the sockets of this user» (realtime.sockets.user_changed).
USER_CHANGED_ROOM = "beredskap:user-changed"
MISSED_BEATS = 3

# What a process does when it hears «user changed»; realtime.sockets registers its re-check (the bus sits below it).
_user_changed_listener: Callable[[int], None] | None = None


def on_user_changed(listener: Callable[[int], None]) -> None:
    global _user_changed_listener
    _user_changed_listener = listener


class HeartbeatRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager that also notes when this process's own heartbeat comes back."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.created = time.monotonic()
        self.last_heard: float | None = None

    def _listen(self):
        marker = HEARTBEAT_ROOM.encode()
        changed = USER_CHANGED_ROOM.encode()
        for data in super()._listen():
            raw = data.encode() if isinstance(data, str) else data
            if isinstance(raw, bytes) and changed in raw:
                self._user_changed(raw)
            if isinstance(raw, bytes) and marker in raw:
                try:
                    message = json.loads(raw)
                except ValueError:
                    message = None
                if (
                    isinstance(message, dict)
                    and message.get("room") == HEARTBEAT_ROOM
                    and message.get("host_id") == self.host_id
                ):
                    self.last_heard = time.monotonic()
            yield data

    def _user_changed(self, raw: bytes) -> None:
        """A user was deactivated, logged out, revoked or given another role: re-check this process's sockets."""
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("room") != USER_CHANGED_ROOM:
            return
        data = message.get("data")
        # python-socketio sends the event name and its argument as a list: ["user_changed", {"user_id": …}].
        payload = data[-1] if isinstance(data, list) and data else data
        user_id = payload.get("user_id") if isinstance(payload, dict) else None
        if isinstance(user_id, int) and _user_changed_listener is not None:
            try:
                _user_changed_listener(user_id)
            except Exception as err:  # noqa: BLE001 - the periodic sweep catches what this misses
                log.warning("socket re-check of user %s failed: %s", user_id, type(err).__name__)


def make_manager(url: str, channel: str) -> HeartbeatRedisManager:
    return HeartbeatRedisManager(url, channel=channel)


def bus_state(app: Flask) -> str:
    """ "off" without Redis; "ok" when this process heard its own heartbeat lately; else "starting"/"stale"."""
    manager = getattr(getattr(app.extensions.get("socketio"), "server", None), "manager", None)
    if not isinstance(manager, HeartbeatRedisManager):
        return "off"
    allowed = MISSED_BEATS * app.config["REDIS_HEARTBEAT_SECONDS"]
    now = time.monotonic()
    if manager.last_heard is not None and now - manager.last_heard <= allowed:
        return "ok"
    if manager.last_heard is None and now - manager.created <= allowed:
        return "starting"
    return "stale"


def start_heartbeat(app: Flask) -> None:
    """Publish a heartbeat through the queue every REDIS_HEARTBEAT_SECONDS (server processes only)."""
    sio = app.extensions.get("socketio")
    server = getattr(sio, "server", None)
    if server is None or not isinstance(server.manager, HeartbeatRedisManager):
        return
    interval = app.config["REDIS_HEARTBEAT_SECONDS"]

    def beat() -> None:
        # python-socketio subscribes on the first socket connection; a heartbeat must not wait for one.
        if not server.manager_initialized:
            server.manager_initialized = True
            server.manager.initialize()
        while True:
            try:
                sio.emit("heartbeat", {}, to=HEARTBEAT_ROOM)
            except Exception as err:  # noqa: BLE001 - a missing beat is what /healthz reports
                log.warning("redis heartbeat not published: %s", type(err).__name__)
            sio.sleep(interval)

    sio.start_background_task(beat)
