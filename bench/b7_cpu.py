"""B7 server CPU per delivered event: a broadcast to N clients, ours against bare Flask-SocketIO and the raw floor.

CPU is the server process's time on the CPU: the sum over its threads of /proc/<pid>/task/*/schedstat (nanoseconds),
or utime + stime from /proc/<pid>/stat (clock ticks, 10 ms) where schedstat is missing. Ticks are too coarse for
the raw floor of a quick run: 200 sendall calls take a few ms, so most rounds counted 0 ticks and the floor read
0.0 µs. Each side sends the same events one at a time
and waits until every client has each one. The cost of the trigger itself (our authenticated POST that writes
the log line and its journal event; the bare server's POST /emit) is measured in the same run by as many
triggers on a channel nobody subscribes to, interleaved, and subtracted, so what is divided by the deliveries
is the broadcast: CPU per delivery = (CPU with N subscribers − CPU with none) / (events × N).

The raw floor is the bare server's POST /emit_raw: the envelope encoded once into one WebSocket frame and
written with sendall to every subscriber's socket — nothing but the syscalls a broadcast cannot avoid.
"""

from __future__ import annotations

import os
import time

from bench.clients import MAX_PER_PROCESS, ClientPool
from bench.common import Api, BareServer, OurServer, Result, log, log_text, open_incident

TARGET = "ours ≤ 1.0× bar Flask-SocketIO og ≤ 2× rått gulv (én ferdig ramme skrevet til hver socket)"
LIMIT_BARE = 1.0
LIMIT_RAW = 2.0
TICKS = os.sysconf("SC_CLK_TCK")
WAIT = 60.0


def rss_bytes(pid: int) -> int:
    """Resident set size of a process (VmRSS in /proc/<pid>/status)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def tick_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat; whole clock ticks)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid: int) -> float:
    """CPU time of a process in seconds, to the nanosecond: the first field of each thread's schedstat.

    (A thread that has ended is no longer listed; the servers measured keep their threads.)
    """
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as fh:
                    total += int(fh.read().split()[0])
            except FileNotFoundError:  # the thread ended meanwhile
                continue
    except FileNotFoundError:
        return tick_seconds(pid)
    return total / 1e9 if total else tick_seconds(pid)


class Side:
    """One way of broadcasting: a trigger to the subscribed channel and the same trigger to an empty one."""

    def __init__(self, name: str, pid: int, group: str) -> None:
        self.name = name
        self.pid = pid
        self.group = group
        self.full = 0.0
        self.empty = 0.0
        self.events = 0
        self.wall_full = 0.0
        self.wall_empty = 0.0
        self.idle_rate = 0.0

    def measure_idle(self, seconds: float = 3.0) -> None:
        """CPU per second of the process doing nothing asked of it (its background loops, pings)."""
        before, t0 = cpu_seconds(self.pid), time.monotonic()
        time.sleep(seconds)
        self.idle_rate = (cpu_seconds(self.pid) - before) / (time.monotonic() - t0)

    def reset(self) -> None:
        self.full = self.empty = self.wall_full = self.wall_empty = 0.0
        self.events = 0

    def trigger(self, subscribed: bool) -> int:
        raise NotImplementedError

    def round(self, pool: ClientPool, clients: int) -> None:
        """One event to nobody, then one to every client (waiting for all of them), each timed on the CPU."""
        before, t0 = cpu_seconds(self.pid), time.monotonic()
        self.trigger(False)
        middle, t1 = cpu_seconds(self.pid), time.monotonic()
        seq = self.trigger(True)
        got, connected = pool.wait_detail(self.group, seq, WAIT)
        after, t2 = cpu_seconds(self.pid), time.monotonic()
        if got < clients:
            # Dropped sockets (a ping timeout on a starved client process) are not lost events: say which.
            raise RuntimeError(
                f"{self.name}: {got}/{clients} clients got seq {seq} within {WAIT:.0f} s; "
                f"{connected} still connected, {clients - connected} dropped"
            )
        self.empty += middle - before
        self.full += after - middle
        self.wall_empty += t1 - t0
        self.wall_full += t2 - t1
        self.events += 1

    def broadcast_cpu(self) -> float:
        """CPU of the broadcasts alone: minus the triggers, minus background work over the longer wait."""
        return max(0.0, self.full - self.empty - self.idle_rate * (self.wall_full - self.wall_empty))

    def per_delivery(self, clients: int) -> float:
        return self.broadcast_cpu() / (self.events * clients)


class Ours(Side):
    def __init__(self, server: OurServer, group: str) -> None:
        super().__init__("ours", server.proc.pid, group)
        self.api: Api = server.api()
        self.incident = open_incident(self.api, "B7: kringkasting")["id"]
        self.quiet = open_incident(self.api, "B7: ingen lytter")["id"]
        self.channel = f"incident:{self.incident}"
        self.last_seq = self.api.get(f"/api/v1/channels/{self.channel}/events?since=0&limit=1").json()["last_seq"]
        self.counter = 0

    def trigger(self, subscribed: bool) -> int:
        self.counter += 1
        incident = self.incident if subscribed else self.quiet
        self.api.post_ok(f"/api/v1/incidents/{incident}/log", {"text": log_text(self.counter)})
        if subscribed:
            self.last_seq += 1
        return self.last_seq

    def sample_data(self) -> dict:
        events = self.api.get(f"/api/v1/channels/{self.channel}/events?since={self.last_seq - 1}").json()["events"]
        return events[-1]["data"]


class Bare(Side):
    def __init__(self, server: BareServer, group: str, channel: str, data: dict, path: str, name: str) -> None:
        super().__init__(name, server.proc.pid, group)
        import requests

        self.session = requests.Session()
        self.url = server.url + path
        self.channel = channel
        self.data = data

    def trigger(self, subscribed: bool) -> int:
        channel = self.channel if subscribed else self.channel + ":ingen"
        response = self.session.post(self.url, json={"channel": channel, "type": "log.created", "data": self.data})
        response.raise_for_status()
        return response.json()["seq"]


def run(pool: ClientPool, server: OurServer, bare: BareServer, clients: int, events: int) -> list[Result]:
    ours = Ours(server, "b7ours")
    ours.trigger(True)
    data = ours.sample_data()
    started = time.monotonic()
    rss = {"ours": [rss_bytes(ours.pid)]}
    pool.connect("b7ours", server.url, server.token, ours.channel, clients, MAX_PER_PROCESS)
    time.sleep(1)
    rss["ours"].append(rss_bytes(ours.pid))
    for _ in range(2):
        ours.round(pool, clients)
    ours.reset()
    ours.measure_idle()
    for _ in range(events):
        ours.round(pool, clients)
    pool.disconnect("b7ours")
    log(f"B7 vår: {events} hendelser × {clients} klienter ({time.monotonic() - started:.1f} s)")

    channel = f"b7:{ours.channel}"
    bare_side = Bare(bare, "b7bare", channel, data, "/emit", "bare")
    raw_side = Bare(bare, "b7bare", channel, data, "/emit_raw", "raw")
    rss["bare"] = [rss_bytes(bare_side.pid)]
    pool.connect("b7bare", bare.url, "bench", channel, clients, MAX_PER_PROCESS)
    time.sleep(1)
    rss["bare"].append(rss_bytes(bare_side.pid))
    for side in (bare_side, raw_side):
        for _ in range(2):
            side.round(pool, clients)
        side.reset()
    bare_side.measure_idle()
    raw_side.idle_rate = bare_side.idle_rate
    # Interleaved, so both see the same machine load.
    for i in range(events):
        for side in (bare_side, raw_side) if i % 2 == 0 else (raw_side, bare_side):
            side.round(pool, clients)
    pool.disconnect("b7bare")

    per = {side.name: side.per_delivery(clients) for side in (ours, bare_side, raw_side)}
    ratio_bare = per["ours"] / per["bare"] if per["bare"] else float("nan")
    ratio_raw = per["ours"] / per["raw"] if per["raw"] else float("nan")
    spent = {side.name: side for side in (ours, bare_side, raw_side)}
    note = (
        f"{events} hendelser × {clients} klienter per side; CPU per levering: vår {per['ours'] * 1e6:.1f} µs, "
        f"bar {per['bare'] * 1e6:.1f} µs, rått gulv {per['raw'] * 1e6:.1f} µs; vår/rått {ratio_raw:.2f}×; "
        + "; ".join(
            f"{name}: {side.full:.2f} s CPU med lyttere, {side.empty:.2f} s uten, "
            f"bakgrunn {side.idle_rate * 1000:.0f} ms/s"
            for name, side in spent.items()
        )
    )
    extra = {"ours_us": per["ours"] * 1e6, "bare_us": per["bare"] * 1e6, "raw_us": per["raw"] * 1e6}
    per_conn = {name: (after - before) / clients for name, (before, after) in rss.items()}
    memory_ratio = per_conn["ours"] / per_conn["bare"] if per_conn["bare"] > 0 else float("nan")
    memory_note = (
        f"RSS før/etter {clients} tilkoblede, abonnerende klienter (ingen trafikk): vår "
        f"{rss['ours'][0] / 2**20:.0f} → {rss['ours'][1] / 2**20:.0f} MiB, bar {rss['bare'][0] / 2**20:.0f} → "
        f"{rss['bare'][1] / 2**20:.0f} MiB; vår er autentisert med API-nøkkel og abonnerer på en hendelseskanal"
    )
    return [
        Result(
            "M1",
            f"minne per tilkobling, {clients} ledige abonnenter (RSS-økning / klienter)",
            per_conn["ours"] / 1024,
            per_conn["bare"] / 1024,
            memory_ratio,
            "rapporteres (ingen grense i QUALITY.md)",
            True,
            unit="KiB",
            note=memory_note,
            extra={"ours_rss_mib": rss["ours"][1] / 2**20, "bare_rss_mib": rss["bare"][1] / 2**20},
        ),
        Result(
            "B7",
            f"server-CPU per levert hendelse, {clients} klienter, mot bar Flask-SocketIO",
            per["ours"] * 1e6,
            per["bare"] * 1e6,
            ratio_bare,
            TARGET,
            ratio_bare <= LIMIT_BARE,
            unit="µs",
            note=note,
            extra=extra,
        ),
        Result(
            "B7-raw",
            f"server-CPU per levert hendelse, {clients} klienter, mot rått gulv",
            per["ours"] * 1e6,
            per["raw"] * 1e6,
            ratio_raw,
            TARGET,
            ratio_raw <= LIMIT_RAW,
            unit="µs",
            note="se B7",
            extra=extra,
        ),
    ]
