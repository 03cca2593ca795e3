"""A client process: up to ~100 python-socketio clients (websocket transport, gevent), driven over stdin/stdout.

Run as `python -m bench.clientproc`. One JSON command per line on stdin, one JSON reply per line on stdout:
- {"op": "connect", "group", "url", "token", "channel", "count"} → connect and subscribe `count` more clients.
- {"op": "wait", "group", "seq", "timeout"} → return once every client of the group has received `seq`.
- {"op": "collect", "group"} → every receipt since the last collect: records [client, seq, recv_time, at] and
  each client's seqs in arrival order; the buffers are emptied.
- {"op": "catchup", "group", "url", "token", "channel", "count", "since", "target", "kind", "start_at",
  "timeout"} → at wall time `start_at` all clients connect at once and subscribe with `since` (and
  `batch: true`, as live.js does); each reports the seconds until it has every missed event (`kind` "events":
  seq `target` arrived, in `events` batches or single `event`s; "batch": the baseline's one batch, parsed)
  and whether it got exactly since+1..target in order.
- {"op": "disconnect", "group"}; {"op": "ping"} (ready?); {"op": "quit"}.
Clients record time.time() on receipt; the servers stamp `at` with the same machine clock.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
import gevent.pool  # noqa: E402
import socketio  # noqa: E402
from gevent.fileobject import FileObjectPosix  # noqa: E402

CONNECT_CONCURRENCY = 5
CONNECT_ATTEMPTS = 3


class Member:
    """One socket client and what it received."""

    def __init__(self, index: int, group: "Group") -> None:
        self.index = index
        self.group = group
        self.sio = self.new_client()
        self.seqs: list[int] = []
        self.done_at: float | None = None
        self.target: int | None = None
        self.batch_seqs: list[int] | None = None

    def new_client(self) -> socketio.Client:
        # A long request timeout: on a loaded machine a handshake may take longer than the default 5 s.
        # websocket-client validates UTF-8 in pure Python (≈1 MB/s) unless told not to; a browser does it
        # natively, so leaving it on would measure the client instead of the server.
        sio = socketio.Client(
            reconnection=False, request_timeout=60, websocket_extra_options={"skip_utf8_validation": True}
        )
        sio.on("event", self.on_event)
        sio.on("batch", self.on_batch)
        sio.on("events", self.on_events)
        return sio

    def on_event(self, envelope: dict) -> None:
        now = time.time()
        seq = envelope.get("seq")
        self.seqs.append(seq)
        self.group.records.append((self.index, seq, now, envelope.get("at")))
        self.group.counts[seq] = self.group.counts.get(seq, 0) + 1
        if self.target is not None and seq == self.target and self.done_at is None:
            self.done_at = now

    def on_events(self, batch: dict) -> None:
        """Our catch-up as the browser asks for it (`batch: true`): envelopes in order in one message."""
        for envelope in batch.get("events", []):
            self.on_event(envelope)

    def on_batch(self, payload: str) -> None:
        events = json.loads(payload)
        now = time.time()
        self.batch_seqs = [e["seq"] for e in events]
        if self.done_at is None:
            self.done_at = now

    def connect(self, url: str, token: str, channel: str, since: int | None = None) -> dict:
        self.sio.connect(url, transports=["websocket"], auth={"token": token}, wait_timeout=30)
        payload = {"channel": channel} if since is None else {"channel": channel, "since": since, "batch": True}
        ack = self.sio.call("subscribe", payload, timeout=30)
        if not ack or not ack.get("ok"):
            raise RuntimeError(f"subscribe refused: {ack}")
        return ack


class Group:
    """The clients of one server in this process."""

    def __init__(self) -> None:
        self.members: list[Member] = []
        self.records: list[tuple] = []
        self.counts: dict[int, int] = {}


groups: dict[str, Group] = {}


def group_of(name: str) -> Group:
    return groups.setdefault(name, Group())


def connect_many(group: Group, cmd: dict) -> dict:
    """Set-up, not a measurement: a few at a time, retried, so a busy machine does not fail the run."""
    new = [Member(len(group.members) + i, group) for i in range(cmd["count"])]
    errors: list[str] = []
    pool = gevent.pool.Pool(CONNECT_CONCURRENCY)

    def one(member: Member) -> None:
        for attempt in range(CONNECT_ATTEMPTS):
            try:
                member.connect(cmd["url"], cmd["token"], cmd["channel"])
                return
            except Exception as err:  # noqa: BLE001 - reported back to the orchestrator
                if attempt == CONNECT_ATTEMPTS - 1:
                    errors.append(repr(err))
                    return
                member.sio = member.new_client()
                gevent.sleep(1 + attempt)

    pool.map(one, new)
    group.members.extend(new)
    return {"connected": len(new) - len(errors), "error_count": len(errors), "errors": errors[:3]}


def wait_for(group: Group, cmd: dict) -> dict:
    deadline = time.monotonic() + cmd.get("timeout", 10)
    seq, n = cmd["seq"], len(group.members)
    while group.counts.get(seq, 0) < n and time.monotonic() < deadline:
        gevent.sleep(0.002)
    # How many sockets are still open tells a client that was dropped (ping timeout, closed) from a lost event.
    connected = sum(1 for m in group.members if m.sio.connected)
    return {"got": group.counts.get(seq, 0), "n": n, "connected": connected}


def collect(group: Group) -> dict:
    records = group.records
    seqs = {m.index: m.seqs for m in group.members}
    group.records = []
    group.counts = {}
    for m in group.members:
        m.seqs = []
    return {"records": records, "seqs": seqs}


def catchup(group: Group, cmd: dict) -> dict:
    members = [Member(i, group) for i in range(cmd["count"])]
    since, target, kind = cmd["since"], cmd["target"], cmd["kind"]
    for m in members:
        m.target = target if kind == "events" else None
    group.members = members
    errors: list[str] = []

    def one(member: Member) -> None:
        try:
            member.connect(cmd["url"], cmd["token"], cmd["channel"], since=since)
        except Exception as err:  # noqa: BLE001 - reported back to the orchestrator
            errors.append(repr(err))

    gevent.sleep(max(0.0, cmd["start_at"] - time.time()))
    start = cmd["start_at"]
    greenlets = [gevent.spawn(one, m) for m in members]
    gevent.joinall(greenlets, timeout=cmd.get("timeout", 60))
    deadline = time.monotonic() + cmd.get("timeout", 60)
    while any(m.done_at is None for m in members) and time.monotonic() < deadline:
        gevent.sleep(0.005)
    expected = list(range(since + 1, target + 1))
    results = []
    for m in members:
        got = m.batch_seqs if kind == "batch" else [s for s in m.seqs if s <= target]
        exact = got == expected
        results.append([None if m.done_at is None else m.done_at - start, exact, len(got or [])])
    return {"results": results, "error_count": len(errors), "errors": errors[:3]}


def close(member: Member) -> None:
    """Say goodbye to the server, but do not wait for the client's read loop to wind down (slow with many)."""
    try:
        for namespace in member.sio.namespaces:
            member.sio._send_packet(member.sio.packet_class(socketio.packet.DISCONNECT, namespace=namespace))
        # websocket-client's close() waits up to 3 s for a close reply that the read loop swallows.
        member.sio.eio.ws.shutdown()
    except Exception:  # noqa: BLE001, S110 - a client that is already gone needs no goodbye
        pass


def disconnect(group: Group) -> dict:
    gevent.joinall([gevent.spawn(close, m) for m in group.members], timeout=30)
    group.members = []
    group.records = []
    group.counts = {}
    return {"ok": True}


def handle(cmd: dict) -> dict:
    op = cmd["op"]
    group = group_of(cmd.get("group", ""))
    if op == "connect":
        return connect_many(group, cmd)
    if op == "wait":
        return wait_for(group, cmd)
    if op == "collect":
        return collect(group)
    if op == "catchup":
        return catchup(group, cmd)
    if op == "disconnect":
        return disconnect(group)
    if op == "ping":
        return {"ok": True}
    raise ValueError(f"unknown op {op}")


def main() -> None:
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
    for group in groups.values():
        disconnect(group)


if __name__ == "__main__":
    main()
