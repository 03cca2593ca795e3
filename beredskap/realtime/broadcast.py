"""A broadcast becomes one WebSocket frame, built once and written as it is to every socket of the room.

python-socketio already encodes a broadcast's Socket.IO packet once and hands the same Engine.IO packet (and so
the very same encoded `str`) to every recipient's queue. What it still does per recipient is the WebSocket
framing: each socket's writer passes that text to simple-websocket, which builds a wsproto TextMessage and a
frame (UTF-8 encode, header, copies) for every socket — B7 measured it as most of a delivery's CPU.

`encode_broadcasts_once()` puts a small identity cache in front of simple-websocket's `send`: the first socket
that sends a given text object frames it, the others write the same bytes. It applies only where a frame is
the same for every socket: an open connection with no extension negotiated (permessage-deflate compresses
with each connection's own context, so those connections keep the ordinary path) and not inside a fragmented
message. Ordering is untouched: frames still go out through each socket's own Engine.IO queue and writer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from wsproto.connection import ConnectionState

# Texts framed lately, by identity. A broadcast's text is one object for all its recipients; the writers of
# those recipients run one after another, with few other messages between them.
CACHE_ENTRIES = 32
_frames: OrderedDict[int, tuple[str, bytes]] = OrderedDict()
_guard = threading.Lock()


def text_frame(text: str) -> bytes:
    """One unmasked, uncompressed, final WebSocket text frame (RFC 6455 §5.2), as a server sends it."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        header = bytes((0x81, n))
    elif n < 1 << 16:
        header = bytes((0x81, 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + n.to_bytes(8, "big")
    return header + payload


def frame_for(text: str) -> bytes:
    """The frame of `text`, built once per text object while it is among the last CACHE_ENTRIES sent."""
    key = id(text)
    entry = _frames.get(key)
    if entry is not None and entry[0] is text:
        return entry[1]
    frame = text_frame(text)
    with _guard:
        _frames[key] = (text, frame)
        while len(_frames) > CACHE_ENTRIES:
            _frames.popitem(last=False)
    return frame


def _plain_open_connection(ws) -> bool:
    """The wsproto connection is open, negotiated no extension and is not in the middle of a message.

    (A client's frames are masked, so only server sockets take this path at all.)
    """
    connection = ws.ws.connection
    if connection is None or connection.state is not ConnectionState.OPEN:
        return False
    proto = getattr(connection, "_proto", None)
    # Another wsproto than the one this was written against keeps its own framing.
    if proto is None or getattr(proto, "extensions", True):
        return False
    return getattr(proto, "_outbound_opcode", 1) is None


def encode_broadcasts_once() -> None:
    """Install the frame cache in front of simple-websocket's send (idempotent; the whole process)."""
    from simple_websocket import ws as simple_ws

    original = simple_ws.Base.send
    if getattr(original, "frames_once", False):
        return

    def send(self, data):
        if isinstance(data, str) and self.is_server and self.connected and _plain_open_connection(self):
            self.sock.send(frame_for(data))
            return
        original(self, data)

    send.frames_once = True
    simple_ws.Base.send = send
