"""Socket.IO handlers: authenticated connect, authorised subscribe with catch-up, sockets that end with their user.

A socket remembers how it was authenticated (the session generation of its cookie, or its token) and the role it
had. When a user is deactivated, logged out, given another role or has tokens revoked, every process re-checks its
own sockets of that user (`user_changed`, carried by the message queue) and disconnects those no longer valid;
a periodic sweep (`recheck_all`) also catches changes made without the queue and tokens that expired.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room
from socketio.packet import EVENT, Packet
from sqlalchemy import or_, select

from beredskap.auth.models import ApiToken, User
from beredskap.auth.services import _token_digest, on_user_changed, user_for_token
from beredskap.clock import utcnow
from beredskap.extensions import db, socketio
from beredskap.realtime import bus, catchup
from beredskap.realtime.bus import USER_CHANGED_ROOM
from beredskap.realtime.channels import channel_known, channel_permission
from beredskap.realtime.dbslots import socket_db_slot
from beredskap.realtime.publish import room_for

# Per socket: subscribes within SUBSCRIBE_WINDOW seconds, and catch-ups being read or sent at once.
SUBSCRIBE_LIMIT = 60
SUBSCRIBE_WINDOW = 60.0
CATCHUP_IN_FLIGHT = 4


@dataclass
class SocketUser:
    user_id: int
    role: str
    generation: int | None  # the cookie session's generation; None for a token socket
    token_digest: str | None
    app: Flask
    subscribes: deque = field(default_factory=deque)
    in_flight: int = 0


# sid → who is behind it; each process knows only its own sockets.
_socket_users: dict[str, SocketUser] = {}
_guard = threading.Lock()


def _socket_user() -> User | None:
    entry = _socket_users.get(request.sid)
    if entry is None:
        return None
    user = db.session.get(User, entry.user_id)
    return user if user and _still_valid(entry, user) else None


def _still_valid(entry: SocketUser, user: User | None) -> bool:
    """The socket's user is active, has the same role, and its session or token is still live."""
    if user is None or not user.active or user.role != entry.role:
        return False
    if entry.token_digest is not None:
        return (
            db.session.scalar(
                select(ApiToken.id).where(
                    ApiToken.token_hash == entry.token_digest,
                    ApiToken.user_id == user.id,
                    ApiToken.revoked_at.is_(None),
                    or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
                )
            )
            is not None
        )
    return user.session_generation == entry.generation


def _recheck(sids: list[str]) -> int:
    """Disconnect those of `sids` (this process's sockets) whose user may no longer be connected."""
    dropped = 0
    by_app: dict[int, list[str]] = {}
    for sid in sids:
        entry = _socket_users.get(sid)
        if entry is not None:
            by_app.setdefault(id(entry.app), []).append(sid)
    for group in by_app.values():
        app = _socket_users[group[0]].app if group[0] in _socket_users else None
        if app is None:
            continue
        stale = []
        with app.app_context():
            try:
                for sid in group:
                    entry = _socket_users.get(sid)
                    if entry is not None and not _still_valid(entry, db.session.get(User, entry.user_id)):
                        stale.append(sid)
            finally:
                db.session.remove()
            for sid in stale:
                _socket_users.pop(sid, None)
                socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
                dropped += 1
    return dropped


def recheck_user(user_id: int) -> int:
    """Re-check this process's sockets of one user; returns how many were disconnected."""
    return _recheck([sid for sid, entry in list(_socket_users.items()) if entry.user_id == user_id])


def recheck_all() -> int:
    return _recheck(list(_socket_users))


def user_changed(user_id: int) -> None:
    """Tell every server process to re-check the sockets of `user_id` (called after the change is committed)."""
    if current_app.config.get("REDIS_URL"):
        # Through the message queue; every process, this one included, hears it in bus.HeartbeatRedisManager.
        socketio.emit("user_changed", {"user_id": int(user_id)}, to=USER_CHANGED_ROOM)
    else:
        recheck_user(user_id)


def start_socket_recheck(app: Flask, interval: float | None = None) -> None:
    """Server processes: re-check every socket now and then (expired tokens, changes made without the queue)."""
    interval = interval or app.config.get("SOCKET_RECHECK_SECONDS", 30)

    def sweep() -> None:
        while True:
            socketio.sleep(interval)
            try:
                recheck_all()
            except Exception as err:  # noqa: BLE001 - the next sweep tries again
                app.logger.warning("socket re-check failed: %s", type(err).__name__)

    socketio.start_background_task(sweep)


def origin_check(app: Flask):
    """Engine.IO's Origin check for `app`: its PUBLIC_BASE_URL, or the scheme and host the request was sent to.

    A browser always sends Origin on a websocket handshake, so a page elsewhere carrying the user's cookie is
    refused; clients that are not browsers send none and authenticate with a token.
    """
    public = urlsplit(app.config.get("PUBLIC_BASE_URL") or "")
    configured = f"{public.scheme}://{public.netloc}".lower() if public.scheme and public.netloc else None

    def allowed(origin: str | None, environ: dict) -> bool:
        if not origin:
            return True
        origins = {configured}
        host = environ.get("HTTP_HOST")
        if host:
            origins.add(f"{environ.get('wsgi.url_scheme', 'http')}://{host}".lower())
        return origin.lower() in origins

    return allowed


def _taken_subscribe(entry: SocketUser) -> bool:
    """Count a subscribe against the socket's window; False when it is over the limit."""
    now = time.monotonic()
    with _guard:
        while entry.subscribes and entry.subscribes[0] <= now - SUBSCRIBE_WINDOW:
            entry.subscribes.popleft()
        if len(entry.subscribes) >= SUBSCRIBE_LIMIT or entry.in_flight >= CATCHUP_IN_FLIGHT:
            return False
        entry.subscribes.append(now)
        entry.in_flight += 1
        return True


def _done_subscribe(entry: SocketUser) -> None:
    with _guard:
        entry.in_flight -= 1


def authorise_channel(user: User | None, channel: str) -> str | None:
    """None when the user may read the channel, else an error code."""
    if not isinstance(channel, str) or len(channel) > 80:
        return "unknown_channel"
    perm = channel_permission(channel)
    if perm is None or not channel_known(channel):
        return "unknown_channel"
    if user is None or not user.can(perm):
        return "forbidden"
    return None


class _PreencodedEvent(Packet):
    """A Socket.IO EVENT packet whose encoding is known: `2["<event>",<argument>]` on the default namespace."""

    def __init__(self, event: str, json_text: str) -> None:
        super().__init__(EVENT)
        self.text = f"{EVENT}[{json.dumps(event)},{json_text}]"

    def encode(self) -> str:
        return self.text


def send_preencoded(sid: str, event: str, json_text: str) -> None:
    """Emit `event` with an argument that is already JSON text, to one socket of this process.

    Skips python-socketio's per-recipient walk and encoding of the same envelopes for every subscriber.
    """
    server = socketio.server
    eio_sid = server.manager.eio_sid_from_sid(sid, "/")
    if eio_sid is not None:
        server._send_packet(eio_sid, _PreencodedEvent(event, json_text))


def register_socket_handlers() -> None:
    on_user_changed(user_changed)
    bus.on_user_changed(recheck_user)

    @socketio.on("connect")
    def on_connect(auth=None):
        user = None
        digest = generation = None
        # A reconnect wave waits for a slot rather than in the pool's queue; past SLOT_WAIT_SECONDS it reads anyway.
        with socket_db_slot():
            if isinstance(auth, dict) and auth.get("token"):
                token = str(auth["token"])
                user = user_for_token(token)
                digest = _token_digest(token) if user else None
            elif current_user.is_authenticated:
                user = current_user._get_current_object()
                generation = session.get("gen")
            if user is not None:
                _socket_users[request.sid] = SocketUser(
                    user.id, user.role, generation, digest, current_app._get_current_object()
                )
        if user is None:
            raise ConnectionRefusedError("unauthorized")

    @socketio.on("disconnect")
    def on_disconnect(*_args):
        _socket_users.pop(request.sid, None)

    @socketio.on("subscribe")
    def on_subscribe(payload=None):
        entry = _socket_users.get(request.sid)
        if entry is None:
            return {"ok": False, "error": "unauthorized"}
        if not _taken_subscribe(entry):
            # Too many subscribes lately, or catch-ups still being sent: the client asks again at its next resync.
            return {"ok": False, "error": "rate_limited"}
        try:
            payload = payload if isinstance(payload, dict) else {}
            channel = payload.get("channel")
            since = payload.get("since", 0)
            batch = payload.get("batch", False)
            if not isinstance(since, int) or isinstance(since, bool) or since < 0:
                return {"ok": False, "error": "invalid_since"}
            if not isinstance(batch, bool):
                return {"ok": False, "error": "invalid_batch"}
            # The database work holds one of the sockets' slots and gives its connection back with it.
            with socket_db_slot() as slot:
                if not slot:
                    return {"ok": False, "error": "busy"}
                error = authorise_channel(_socket_user(), channel)
                if error:
                    return {"ok": False, "error": error}
                # Join first, then catch up: a live event racing the catch-up arrives twice at worst,
                # and the client drops any seq it has already seen.
                join_room(room_for(channel))
                missed = catchup.missed(channel, since)
            # The subscriber's socket lives in this process: catch-up goes straight to it, not through the
            # message queue that carries live events between processes.
            if batch:
                # Opt-in: the missed envelopes in order as `events` messages of up to BATCH_SIZE, serialised
                # once for every subscriber of the same reconnect wave.
                for text in missed.batch_texts():
                    send_preencoded(request.sid, "events", text)
            else:
                for envelope in missed.envelopes:
                    socketio.emit("event", envelope, to=request.sid, ignore_queue=True)
            return {"ok": True, "last_seq": missed.last_seq}
        finally:
            _done_subscribe(entry)
            db.session.remove()

    @socketio.on("unsubscribe")
    def on_unsubscribe(payload=None):
        channel = payload.get("channel") if isinstance(payload, dict) else None
        if isinstance(channel, str):
            leave_room(room_for(channel))
        return {"ok": True}
