"""The baseline server: bare Flask-SocketIO under gevent that broadcasts what it is told, with no app behind it.

Run as `python -m bench.bare_server PORT`. Routes (bench traffic only, 127.0.0.1):
- POST /emit {"channel", "type", "data"} → emits the envelope {"channel","seq","type","at","data"} to the
  channel's room, `at` taken just before the emit; returns {"seq"}.
- POST /batch {"events": [...]} → keeps the events pre-serialised as one JSON string for catch-up.
- POST /emit_raw {"channel", "type", "data"} → the raw floor of B7: the same envelope, encoded once into one
  WebSocket text frame (`42["event",{…}]`) that is written with sendall to the socket of every room member,
  bypassing python-socketio and Engine.IO altogether (bench only: nothing else writes meanwhile).
- GET /healthz.
Socket events: `subscribe` {"channel", "since"?}: joins the room; when `since` is given and a batch is loaded,
sends the one pre-serialised batch as event `batch` before the ack, as the catch-up baseline of B3.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

from beredskap.serving import enable_tcp_nodelay  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", cors_allowed_origins=[])
state: dict = {"seq": {}, "batch": None}
# sid → the client's TCP socket, for /emit_raw (websocket transport: the connect runs in the upgrade request).
raw_sockets: dict = {}


def _tcp_socket(environ):
    wsgi_input = environ["wsgi.input"]
    if not hasattr(wsgi_input, "raw") and hasattr(wsgi_input, "rfile"):
        wsgi_input = wsgi_input.rfile
    return wsgi_input.raw._sock


def text_frame(text: str) -> bytes:
    """One unmasked, uncompressed WebSocket text frame (RFC 6455 §5.2), as a server sends it."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        header = bytes([0x81, n])
    elif n < 1 << 16:
        header = bytes([0x81, 126]) + n.to_bytes(2, "big")
    else:
        header = bytes([0x81, 127]) + n.to_bytes(8, "big")
    return header + payload


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/emit")
def emit_event():
    body = request.get_json()
    channel = body["channel"]
    seq = state["seq"].get(channel, 0) + 1
    state["seq"][channel] = seq
    envelope = {
        "channel": channel,
        "seq": seq,
        "type": body.get("type", "log.created"),
        "at": datetime.now(UTC).isoformat(),
        "data": body.get("data", {}),
    }
    socketio.emit("event", envelope, to=f"ch:{channel}")
    return jsonify({"seq": seq})


@app.post("/emit_raw")
def emit_raw():
    body = request.get_json()
    channel = body["channel"]
    seq = state["seq"].get(channel, 0) + 1
    state["seq"][channel] = seq
    envelope = {
        "channel": channel,
        "seq": seq,
        "type": body.get("type", "log.created"),
        "at": datetime.now(UTC).isoformat(),
        "data": body.get("data", {}),
    }
    frame = text_frame("42" + json.dumps(["event", envelope], separators=(",", ":")))
    for sid, _eio_sid in socketio.server.manager.get_participants("/", f"ch:{channel}"):
        sock = raw_sockets.get(sid)
        if sock is not None:
            sock.sendall(frame)
    return jsonify({"seq": seq})


@app.post("/batch")
def load_batch():
    events = request.get_json()["events"]
    state["batch"] = json.dumps(events)
    return jsonify({"count": len(events)})


@socketio.on("connect")
def on_connect(auth=None):
    if request.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
        raw_sockets[request.sid] = _tcp_socket(request.environ)
    return True


@socketio.on("disconnect")
def on_disconnect(*_args):
    raw_sockets.pop(request.sid, None)


@socketio.on("subscribe")
def on_subscribe(payload=None):
    channel = payload["channel"]
    join_room(f"ch:{channel}")
    if payload.get("since") is not None and state["batch"] is not None:
        socketio.emit("batch", state["batch"], to=request.sid)
    return {"ok": True, "last_seq": state["seq"].get(channel, 0)}


if __name__ == "__main__":
    # The same socket setting as our server (wsgi.py), so the comparison measures the app, not TCP.
    enable_tcp_nodelay()
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_output=False)
