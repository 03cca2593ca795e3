"""Interleaved rounds of live events: one event on our server, one on the bare server, each fully delivered."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from bench.clients import ClientPool, gaps_and_lost
from bench.common import Api, BareServer, OurServer, log, log_text, open_incident

WAIT_TIMEOUT = 20.0
PAUSE_BETWEEN_EVENTS = 0.02


@dataclass
class OursTarget:
    """Our server: an event is a log line POSTed through the API; the board channel carries it."""

    group: str
    server: OurServer
    api: Api = field(init=False)
    incident_id: int = 0
    channel: str = ""
    last_seq: int = 0
    counter: int = 0

    def __post_init__(self) -> None:
        self.api = self.server.api()

    def open(self) -> OursTarget:
        incident = open_incident(self.api)
        self.incident_id = incident["id"]
        self.channel = f"incident:{self.incident_id}"
        self.sync()
        return self

    def sync(self) -> int:
        """Read the channel's last seq from the server."""
        body = self.api.get(f"/api/v1/channels/{self.channel}/events?since=0&limit=1").json()
        self.last_seq = body["last_seq"]
        return self.last_seq

    def events_since(self, since: int) -> list[dict]:
        events: list[dict] = []
        while True:
            body = self.api.get(f"/api/v1/channels/{self.channel}/events?since={since}&limit=5000").json()
            events.extend(body["events"])
            if not body["events"] or body["events"][-1]["seq"] >= body["last_seq"]:
                return events
            since = body["events"][-1]["seq"]

    def trigger(self) -> tuple[int, float, Any]:
        """POST one log line; returns (expected seq, send time, entry id)."""
        self.counter += 1
        t0 = time.time()
        entry = self.api.post_ok(f"/api/v1/incidents/{self.incident_id}/log", {"text": log_text(self.counter)})
        self.last_seq += 1
        return self.last_seq, t0, entry["id"]

    def connect(self, pool: ClientPool, total: int, share: int) -> None:
        pool.connect(self.group, self.server.url, self.server.token, self.channel, total, share)

    def sample_data(self) -> dict:
        """The data of our latest event, so the bare server sends the same payload."""
        return self.events_since(max(0, self.sync() - 1))[-1]["data"]


@dataclass
class BareTarget:
    """The bare server: an event is emitted straight to the room, `at` stamped just before the emit."""

    group: str
    server: BareServer
    channel: str
    data: dict
    session: requests.Session = field(default_factory=requests.Session)

    def trigger(self) -> tuple[int, float, Any]:
        t0 = time.time()
        seq = self.server.emit(self.session, self.channel, self.data)
        return seq, t0, None

    def connect(self, pool: ClientPool, total: int, share: int) -> None:
        pool.connect(self.group, self.server.url, "bench", self.channel, total, share)


@dataclass
class GroupRounds:
    """What one target's clients received over a set of rounds."""

    group: str
    clients: int
    triggers: dict[int, float] = field(default_factory=dict)  # seq → send time
    entry_ids: dict[int, Any] = field(default_factory=dict)
    records: list[list[Any]] = field(default_factory=list)  # [client, seq, recv time, at]
    per_client: list[list[int]] = field(default_factory=list)
    incomplete: int = 0

    def latencies(self) -> list[float]:
        """Per delivery: receipt − the server's write/emit stamp `at`."""
        stamps: dict[str, float] = {}
        out = []
        for _client, _seq, received, at in self.records:
            if at not in stamps:
                stamps[at] = datetime.fromisoformat(at).timestamp()
            out.append(received - stamps[at])
        return out

    def last_client_latencies(self) -> list[float]:
        """Per trigger: the last client's receipt − the trigger's send time (B2's write-to-screen)."""
        last: dict[int, float] = {}
        for _client, seq, received, _at in self.records:
            last[seq] = max(last.get(seq, 0.0), received)
        return [last[seq] - t0 for seq, t0 in self.triggers.items() if seq in last]

    def gaps_and_lost(self) -> tuple[int, int]:
        return gaps_and_lost(self.per_client, sorted(self.triggers))


def run_rounds(
    pool: ClientPool,
    targets: list,
    rounds: int,
    *,
    warmup: int = 2,
    between: Callable[[], None] | None = None,
    label: str = "",
) -> dict[str, GroupRounds]:
    """Alternate one event per target per round (order flipped every round), waiting for full delivery."""
    for _ in range(warmup):
        for target in targets:
            seq, _, _ = target.trigger()
            pool.wait(target.group, seq, WAIT_TIMEOUT)
    for target in targets:
        pool.collect(target.group)
    data = {t.group: GroupRounds(t.group, pool.count(t.group)) for t in targets}
    started = time.monotonic()
    for r in range(rounds):
        for target in targets if r % 2 == 0 else list(reversed(targets)):
            seq, t0, entry_id = target.trigger()
            got = pool.wait(target.group, seq, WAIT_TIMEOUT)
            rounds_of = data[target.group]
            rounds_of.triggers[seq] = t0
            rounds_of.entry_ids[seq] = entry_id
            if got < rounds_of.clients:
                rounds_of.incomplete += 1
            time.sleep(PAUSE_BETWEEN_EVENTS)
        if between:
            between()
    for target in targets:
        rounds_of = data[target.group]
        rounds_of.records, rounds_of.per_client = pool.collect(target.group)
        if isinstance(target, OursTarget):
            verify_seqs(target, rounds_of)
    log(f"{label}: {rounds} runder på {time.monotonic() - started:.1f} s")
    return data


def verify_seqs(target: OursTarget, rounds_of: GroupRounds) -> None:
    """Our seq bookkeeping must match the journal: each expected seq is the log line we posted."""
    if not rounds_of.triggers:
        return
    first = min(rounds_of.triggers)
    events = {e["seq"]: e for e in target.events_since(first - 1)}
    for seq, entry_id in rounds_of.entry_ids.items():
        event = events.get(seq)
        if event is None or event["type"] != "log.created" or event["data"].get("id") != entry_id:
            raise RuntimeError(f"seq {seq} on {target.channel} is not the log line {entry_id} we posted")
    target.sync()
