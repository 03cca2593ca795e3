"""The baseline server: bare Flask-SocketIO under gevent that broadcasts what it is told, with no app behind it.

Run as `python -m bench.bare_server PORT`. Routes (bench traffic only, 127.0.0.1):
- POST /emit {"channel", "type", "data"} → emits the envelope {"channel","seq","type","at","data"} to the
  channel's room, `at` taken just before the emit; returns {"seq"}.
- POST /batch {"events": [...]} → keeps the events pre-serialised as one JSON string for catch-up.
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


@app.post("/batch")
def load_batch():
    events = request.get_json()["events"]
    state["batch"] = json.dumps(events)
    return jsonify({"count": len(events)})


@socketio.on("connect")
def on_connect(auth=None):
    return True


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
