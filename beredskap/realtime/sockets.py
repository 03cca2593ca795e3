"""Socket.IO handlers: authenticated connect, authorised subscribe with catch-up."""

import json

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room
from socketio.packet import EVENT, Packet

from beredskap.auth.models import User
from beredskap.auth.permissions import channel_permission
from beredskap.auth.services import user_for_token
from beredskap.extensions import db, socketio
from beredskap.realtime import catchup
from beredskap.realtime.journal import channel_exists
from beredskap.realtime.publish import room_for

# sid → user id; each process knows only its own sockets.
_socket_users: dict[str, int] = {}


def _socket_user() -> User | None:
    user_id = _socket_users.get(request.sid)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user and user.active else None


def channel_known(channel: str) -> bool:
    """Incident channels exist once their incident does; global and cooperation always exist."""
    if channel in ("global", "cooperation"):
        return True
    if channel.startswith("incident:"):
        from beredskap.incidents.models import Incident

        incident_id = channel.removeprefix("incident:")
        return incident_id.isdigit() and db.session.get(Incident, int(incident_id)) is not None
    return channel_exists(channel)


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
    @socketio.on("connect")
    def on_connect(auth=None):
        user = None
        if isinstance(auth, dict) and auth.get("token"):
            user = user_for_token(str(auth["token"]))
        elif current_user.is_authenticated:
            user = current_user._get_current_object()
        db.session.remove()
        if user is None:
            raise ConnectionRefusedError("unauthorized")
        _socket_users[request.sid] = user.id

    @socketio.on("disconnect")
    def on_disconnect(*_args):
        _socket_users.pop(request.sid, None)

    @socketio.on("subscribe")
    def on_subscribe(payload=None):
        try:
            payload = payload if isinstance(payload, dict) else {}
            channel = payload.get("channel")
            since = payload.get("since", 0)
            batch = payload.get("batch", False)
            if not isinstance(since, int) or isinstance(since, bool) or since < 0:
                return {"ok": False, "error": "invalid_since"}
            if not isinstance(batch, bool):
                return {"ok": False, "error": "invalid_batch"}
            error = authorise_channel(_socket_user(), channel)
            if error:
                return {"ok": False, "error": error}
            # Join first, then catch up: a live event racing the catch-up arrives twice at worst,
            # and the client drops any seq it has already seen.
            join_room(room_for(channel))
            missed = catchup.missed(channel, since)
            db.session.remove()
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
            db.session.remove()

    @socketio.on("unsubscribe")
    def on_unsubscribe(payload=None):
        channel = payload.get("channel") if isinstance(payload, dict) else None
        if isinstance(channel, str):
            leave_room(room_for(channel))
        return {"ok": True}
