"""A client process of Socket.IO followers that behave like the browser's live.js, for the cluster test and B8.

Every follower connects with reconnection on, (re)subscribes each channel with its last seq and `batch: true`
on every connect, applies only seq == last + 1, drops what it has seen (catch-up racing live) and re-subscribes
on a gap — exactly as beredskap/static/js/live.js. All sockets of this process leave from one source address
(`--source 127.0.K.1`), so nginx's ip_hash treats the process as one client site.

Commands, one JSON object per line on stdin; one JSON reply per line on stdout:
- {"op": "connect", "url", "token", "channels": [...], "count"} → {"connected", "error_count", "errors"}
- {"op": "status"} → per follower: {"applied": {channel: [seqs in order]}, "dropped", "gaps", "connects",
  "connected"}; {"op": "lag", "channel", "seq"} → how many followers have applied seq and their receipt times
- {"op": "receipts"} → {channel: {seq: [last receipt time, followers that applied it, the server's `at`]}}
- {"op": "quit"}
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
import gevent.pool  # noqa: E402
import socketio  # noqa: E402
import websocket._http  # noqa: E402
from gevent.fileobject import FileObjectPosix  # noqa: E402

SOURCE: str | None = None
_open_socket = websocket._http._open_socket


def _open_socket_from_source(addrinfo_list, sockopt, timeout):
    """websocket-client's connect, leaving from SOURCE (127.0.K.1) instead of 127.0.0.1."""
    if SOURCE is None:
        return _open_socket(addrinfo_list, sockopt, timeout)
    family, socktype, proto, _name, address = addrinfo_list[0]
    sock = socket.socket(family, socktype, proto)
    sock.settimeout(timeout)
    for opts in list(websocket._http.DEFAULT_SOCKET_OPTION) + list(sockopt):
        sock.setsockopt(*opts)
    sock.bind((SOURCE, 0))
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock


websocket._http._open_socket = _open_socket_from_source


class Follower:
    def __init__(self, index: int, channels: list[str], token: str) -> None:
        self.index = index
        self.token = token
        self.last = dict.fromkeys(channels, 0)
        self.applied: dict[str, list[int]] = {c: [] for c in channels}
        self.received_at: dict[tuple[str, int], float] = {}
        self.stamps: dict[tuple[str, int], str] = {}
        self.pending: set[str] = set()
        self.acks = 0
        self.dropped = 0
        self.gaps = 0
        self.connects = 0
        self.sio = socketio.Client(
            reconnection=True,
            reconnection_delay=0.5,
            reconnection_delay_max=5,
            randomization_factor=0.5,
            request_timeout=60,
            websocket_extra_options={"skip_utf8_validation": True},
        )
        self.history: list[str] = []
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", lambda *args: self.note(f"disconnect {args}"))
        self.sio.on("event", self.receive)
        self.sio.on("events", lambda batch: [self.receive(e) for e in (batch or {}).get("events", [])])

    def note(self, what: str) -> None:
        self.history.append(f"{time.strftime('%H:%M:%S')} {what}")

    def on_connect(self) -> None:
        self.connects += 1
        self.note("connect")
        for channel in self.last:
            gevent.spawn(self.resubscribe, channel)

    def resubscribe(self, channel: str) -> None:
        if channel in self.pending:
            return
        self.pending.add(channel)
        try:
            ack = self.sio.call(
                "subscribe", {"channel": channel, "since": self.last[channel], "batch": True}, timeout=30
            )
            if ack and ack.get("ok"):
                self.acks += 1
            self.note(f"subscribe {channel} since {self.last[channel]}: {ack}")
        except Exception as err:  # noqa: BLE001 - the next connect, gap or resync subscribes again, as live.js
            self.note(f"subscribe {channel} since {self.last[channel]}: {err!r}")
        finally:
            self.pending.discard(channel)

    def receive(self, envelope: dict) -> None:
        channel, seq = envelope.get("channel"), envelope.get("seq")
        if channel not in self.last:
            return
        if seq <= self.last[channel]:
            self.dropped += 1
            return
        if seq > self.last[channel] + 1:
            self.gaps += 1
            gevent.spawn(self.resubscribe, channel)
            return
        self.last[channel] = seq
        self.applied[channel].append(seq)
        self.received_at[(channel, seq)] = time.time()
        self.stamps[(channel, seq)] = envelope.get("at")

    def connect(self, url: str) -> None:
        self.sio.connect(url, transports=["websocket"], auth={"token": self.token}, wait_timeout=60)


followers: list[Follower] = []
RESYNC_SECONDS = 15  # live.js's RESYNC_MS


def resync_forever() -> None:
    """As live.js: a lost message at the tail shows no gap until the next one, so ask now and then.

    Each browser's timer starts when its page loads, so their resyncs are spread out; these are spread evenly
    over the period instead of all at once (which would be a herd no real crisis room produces).
    """
    while True:
        batch = list(followers)
        if not batch:
            gevent.sleep(RESYNC_SECONDS)
            continue
        for follower in batch:
            gevent.sleep(RESYNC_SECONDS / len(batch))
            if follower.sio.connected:
                for channel in follower.last:
                    gevent.spawn(follower.resubscribe, channel)


def connect_many(cmd: dict) -> dict:
    new = [Follower(len(followers) + i, cmd["channels"], cmd["token"]) for i in range(cmd["count"])]
    errors: list[str] = []
    pool = gevent.pool.Pool(5)

    def one(follower: Follower) -> None:
        for attempt in range(3):
            try:
                follower.connect(cmd["url"])
                return
            except Exception as err:  # noqa: BLE001 - reported back
                if attempt == 2:
                    errors.append(repr(err))
                gevent.sleep(1 + attempt)

    pool.map(one, new)
    followers.extend(new)
    # Wait until each has its first subscriptions acknowledged (the catch-up to now has arrived).
    deadline = time.monotonic() + 60
    while any(f.acks < len(f.last) for f in new if f.sio.connected) and time.monotonic() < deadline:
        gevent.sleep(0.05)
    return {"connected": len(new) - len(errors), "error_count": len(errors), "errors": errors[:3]}


def status() -> dict:
    return {
        "followers": [
            {
                "applied": f.applied,
                "dropped": f.dropped,
                "gaps": f.gaps,
                "connects": f.connects,
                "acks": f.acks,
                "history": f.history[-12:],
                "connected": f.sio.connected,
            }
            for f in followers
        ]
    }


def lag(cmd: dict) -> dict:
    """Followers that have applied (channel, seq), and when each did."""
    key = (cmd["channel"], cmd["seq"])
    deadline = time.monotonic() + cmd.get("timeout", 0)
    while True:
        times = [f.received_at[key] for f in followers if key in f.received_at]
        if len(times) == len(followers) or time.monotonic() >= deadline:
            return {"have": len(times), "n": len(followers), "times": times}
        gevent.sleep(0.01)


def receipts() -> dict:
    """Per channel and seq: [the last follower's receipt time, how many followers applied it, the server's `at`]."""
    out: dict[str, dict[int, list]] = {}
    for follower in followers:
        for (channel, seq), received in follower.received_at.items():
            entry = out.setdefault(channel, {}).get(seq)
            if entry is None:
                out[channel][seq] = [received, 1, follower.stamps.get((channel, seq))]
            else:
                entry[0] = max(entry[0], received)
                entry[1] += 1
    return {"receipts": out}


def handle(cmd: dict) -> dict:
    op = cmd["op"]
    if op == "connect":
        return connect_many(cmd)
    if op == "status":
        return status()
    if op == "receipts":
        return receipts()
    if op == "lag":
        return lag(cmd)
    if op == "ping":
        return {"ok": True}
    raise ValueError(f"unknown op {op}")


def main() -> None:
    global SOURCE
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", help="local address every socket leaves from, e.g. 127.0.3.1")
    SOURCE = parser.parse_args().source
    gevent.spawn(resync_forever)
    stdin = FileObjectPosix(sys.stdin.fileno(), "rb")
    while True:
        line = stdin.readline()
        if not line:
            break
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        try:
            reply = handle(cmd)
        except Exception as err:  # noqa: BLE001 - the orchestrator decides what a failure means
            reply = {"error": repr(err)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    for follower in followers:
        follower.sio.reconnection = False
        try:
            follower.sio.eio.ws.shutdown()
        except Exception:  # noqa: BLE001, S110 - already gone
            pass


if __name__ == "__main__":
    main()
