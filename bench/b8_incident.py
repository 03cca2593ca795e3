"""B8, a realistic incident: nginx + 3 wsgi.py processes (deploy/cluster.py) on PostgreSQL and Redis, for 10 minutes
(1 with BENCH_QUICK=1).

Load, all through nginx: 300 viewers (100 per incident channel, each also on `global`), 5 log writers at one
line a second, 10 EPS desks registering one person every 10 s, task updates (a new task every 5 s, moved on
every 5 s), 2 sitrep PDFs a minute, and a police map following every channel and reloading resources every 5 s.
Viewers and the map are bench/followers.py processes from different local addresses, so ip_hash spreads them.

Report: p50/p99 write-to-last-screen per channel (the server's write stamp `at` → the last viewer's receipt,
same machine clock), HTTP p99 per route class, errors, lost and duplicated events (each viewer must have applied
exactly 1..last seq of its channels), RSS and CPU per process, and p99 per minute (drift: last vs first).
Run as `python -m bench.b8_incident` (prints its Results as JSON) or from bench/run.py.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import requests

from bench.b6_evacuees import evacuee
from bench.b7_cpu import cpu_seconds, rss_bytes
from bench.common import QUICK, PgSchema, Result, log, log_text, percentile, print_results
from bench.followerpool import FollowerProcess, ask_all
from deploy.cluster import Cluster

TARGET = "0 tapt, 0 duplisert; p99 skriv-til-siste-skjerm uten drift (siste minutt ≤ 2× første)"
VIEWERS_PER_INCIDENT = 100
DRIFT_LIMIT = 2.0


class Load:
    """The incident's HTTP traffic; every request is recorded as (route class, start, seconds, ok)."""

    def __init__(self, url: str, token: str, incidents: list[int], centres: list[int], duration: float) -> None:
        self.url = url
        self.token = token
        self.incidents = incidents
        self.centres = centres
        self.until = time.monotonic() + duration
        self.records: list[tuple[str, float, float, bool]] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.counter = 0

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def call(self, session: requests.Session, kind: str, method: str, path: str, **kw) -> requests.Response | None:
        start = time.perf_counter()
        t0 = time.time()
        try:
            response = session.request(method, self.url + path, timeout=60, **kw)
            ok = response.status_code < 400
            if not ok:
                self.errors.append(f"{kind} {response.status_code}: {response.text[:100]}")
        except requests.RequestException as err:
            response, ok = None, False
            self.errors.append(f"{kind} {type(err).__name__}")
        with self.lock:
            self.records.append((kind, t0, time.perf_counter() - start, ok))
        return response

    def every(self, seconds: float, fn, offset: float = 0.0) -> None:
        time.sleep(offset)
        next_at = time.monotonic()
        while time.monotonic() < self.until:
            fn()
            next_at += seconds
            time.sleep(max(0.0, next_at - time.monotonic()))

    def next_number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def writer(self, index: int) -> None:
        session = self.session()
        incident = self.incidents[index % len(self.incidents)]

        def post() -> None:
            self.call(session, "logg", "POST", f"/api/v1/incidents/{incident}/log", json={"text": log_text(index)})

        self.every(1.0, post, offset=index * 0.2)

    def desk(self, index: int) -> None:
        session = self.session()
        centre = self.centres[index % len(self.centres)]

        def register() -> None:
            self.call(session, "eps", "POST", f"/api/v1/eps/{centre}/evacuees", json=evacuee(self.next_number()))

        self.every(10.0, register, offset=index)

    def tasks(self) -> None:
        session = self.session()
        open_tasks: list[dict] = []

        def step() -> None:
            incident = random.choice(self.incidents)
            created = self.call(
                session, "oppgave", "POST", f"/api/v1/incidents/{incident}/tasks", json={"title": "Sjekk lenser"}
            )
            if created is not None and created.status_code == 201:
                open_tasks.append(created.json())
            if open_tasks:
                task = open_tasks.pop(0)
                self.call(
                    session,
                    "oppgave",
                    "PATCH",
                    f"/api/v1/tasks/{task['id']}",
                    json={"status": "started", "version": task["version"]},
                )

        self.every(5.0, step, offset=0.5)

    def pdfs(self) -> None:
        session = self.session()

        def pdf() -> None:
            self.call(session, "pdf", "GET", f"/incidents/{random.choice(self.incidents)}/sitrep.pdf")

        self.every(30.0, pdf, offset=2.0)

    def police_map(self) -> None:
        session = self.session()
        self.every(5.0, lambda: self.call(session, "kart", "GET", "/api/v1/resources"), offset=1.0)

    def threads(self) -> list[threading.Thread]:
        targets = [(self.writer, (i,)) for i in range(5)] + [(self.desk, (i,)) for i in range(10)]
        targets += [(self.tasks, ()), (self.pdfs, ()), (self.police_map, ())]
        return [threading.Thread(target=fn, args=args, daemon=True) for fn, args in targets]


def process_usage(cluster: Cluster) -> dict[int, tuple[float, int]]:
    return {port: (cpu_seconds(proc.pid), rss_bytes(proc.pid)) for port, proc in cluster.procs.items()}


def run(duration: float) -> list[Result]:
    redis_url = os.environ.get("REDIS_URL")
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if not pg_url:
        raise RuntimeError("B8 trenger TEST_DATABASE_URL (PostgreSQL)")
    schema = PgSchema()
    tmp = Path(tempfile.mkdtemp(prefix="beredskap-b8-"))
    cluster = Cluster(
        tmp,
        database_url=schema.url,
        redis_url=redis_url,
        env={"SOCKETIO_CHANNEL": "beredskap-b8-" + os.urandom(4).hex(), "LOGIN_RATE_LIMIT": "1000 per minute"},
    )
    sites: list[FollowerProcess] = []
    try:
        cluster.start()
        made = cluster.flask("users", "create", "b8.admin", "--role", "admin")
        if made.returncode != 0:
            raise RuntimeError(made.stderr[-500:])
        token = cluster.flask("users", "token", "b8.admin").stdout.strip().splitlines()[-1]
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        incidents, centres = [], []
        for name in ("Flom i Otra", "Brann på Lund", "Strømbrudd Vågsbygd"):
            response = api.post(
                cluster.url + "/api/v1/incidents",
                json={
                    "title": name,
                    "kind": "incident",
                    "severity": 2,
                    "location": {"type": "Point", "coordinates": [7.9956, 58.1467]},
                },
                timeout=60,
            )
            response.raise_for_status()
            incidents.append(response.json()["id"])
        for i, incident in enumerate(incidents):
            response = api.post(
                f"{cluster.url}/api/v1/incidents/{incident}/eps", json={"name": f"EPS {i}", "capacity": 100_000}
            )
            response.raise_for_status()
            centres.append(response.json()["id"])
        channels = [f"incident:{i}" for i in incidents]
        sites = [FollowerProcess(f"127.0.{10 + i}.1") for i in range(len(incidents))]
        police = FollowerProcess("127.0.20.1")
        sites.append(police)
        started = time.monotonic()
        ask_all(
            sites[:-1],
            lambda s: s.connect(cluster.url, token, [channels[sites.index(s)], "global"], VIEWERS_PER_INCIDENT),
        )
        police.connect(cluster.url, token, [*channels, "global"], 1)
        log(
            f"B8: {VIEWERS_PER_INCIDENT * len(incidents)} seere + politikart koblet til "
            f"({time.monotonic() - started:.0f} s)"
        )
        before = process_usage(cluster)
        load = Load(cluster.url, token, incidents, centres, duration)
        run_started = time.time()
        threads = load.threads()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration + 120)
        after = process_usage(cluster)
        time.sleep(3)  # the last events reach the screens

        last = {
            channel: api.get(f"{cluster.url}/api/v1/channels/{channel}/events?since=0&limit=1").json()["last_seq"]
            for channel in [*channels, "global"]
        }
        statuses = ask_all(sites, lambda s: s.status())
        lost = duplicated = viewers = 0
        for status_list in statuses:
            for follower in status_list:
                viewers += 1
                for channel, applied in follower["applied"].items():
                    lost += len(set(range(1, last[channel] + 1)) - set(applied))
                    duplicated += len(applied) - len(set(applied))
        dropped = sum(f["dropped"] for s in statuses for f in s)
        receipts: dict[str, dict[int, list]] = {}
        for site_receipts in ask_all(sites[:-1], lambda s: s.receipts()):
            for channel, seqs in site_receipts.items():
                for seq, (received, _count, at) in seqs.items():
                    entry = receipts.setdefault(channel, {}).get(int(seq))
                    if entry is None or received > entry[0]:
                        receipts[channel][int(seq)] = [received, at]
        per_channel: dict[str, list[tuple[float, float]]] = {}
        for channel, seqs in receipts.items():
            for _seq, (received, at) in seqs.items():
                if not at:
                    continue
                written = datetime.fromisoformat(at).timestamp()
                if written >= run_started:
                    per_channel.setdefault(channel, []).append((written, received - written))
        all_lat = [lat for values in per_channel.values() for _w, lat in values]
        minutes: dict[int, list[float]] = {}
        for values in per_channel.values():
            for written, lat in values:
                minutes.setdefault(int((written - run_started) // 60), []).append(lat)
        # Quick run: one minute; drift is then the first vs the last 20 s.
        window = 60 if duration >= 120 else 20
        buckets: dict[int, list[float]] = {}
        for values in per_channel.values():
            for written, lat in values:
                buckets.setdefault(int((written - run_started) // window), []).append(lat)
        ordered = [buckets[k] for k in sorted(buckets) if len(buckets[k]) >= 5]
        first_p99 = percentile(ordered[0], 99) if ordered else float("nan")
        last_p99 = percentile(ordered[-1], 99) if ordered else float("nan")
        drift = last_p99 / first_p99 if first_p99 else float("nan")
        kinds = sorted({r[0] for r in load.records})
        http = {k: [r[2] for r in load.records if r[0] == k] for k in kinds}
        usage = {port: (after[port][0] - before[port][0], after[port][1]) for port in cluster.ports if port in before}
        wall = duration
        note = (
            f"{duration:.0f} s gjennom nginx + 3 prosesser på PostgreSQL/Redis; {viewers} seere (inkl. politikart); "
            "skriv-til-siste-skjerm p50/p99 per kanal: "
            + ", ".join(
                f"{ch} {percentile([x for _w, x in v], 50) * 1000:.0f}/"
                f"{percentile([x for _w, x in v], 99) * 1000:.0f} ms ({len(v)} hendelser)"
                for ch, v in sorted(per_channel.items())
            )
            + "; HTTP p99 per rute: "
            + ", ".join(f"{k} {percentile(v, 99) * 1000:.0f} ms (n={len(v)})" for k, v in http.items())
            + f"; feil {len(load.errors)}{' (' + load.errors[0] + ')' if load.errors else ''}; tapt {lost}, "
            f"duplisert {duplicated} (kastet som allerede sett: {dropped}); prosesser: "
            + ", ".join(
                f":{port} CPU {cpu / wall * 100:.0f} % RSS {rss / 2**20:.0f} MiB" for port, (cpu, rss) in usage.items()
            )
            + f"; p99 første/siste {window} s: {first_p99 * 1000:.0f}/{last_p99 * 1000:.0f} ms (×{drift:.2f}); "
            f"lastsnitt (1 min) på maskinen ved slutt {os.getloadavg()[0]:.1f}"
        )
        log(f"B8: {note}")
        ok = lost == 0 and duplicated == 0 and not load.errors and drift <= DRIFT_LIMIT
        return [
            Result(
                "B8",
                f"realistisk hendelse {duration / 60:.0f} min, nginx + 3 prosesser, PostgreSQL; "
                "p99 skriv-til-siste-skjerm",
                percentile(all_lat, 99) * 1000,
                first_p99 * 1000,
                drift,
                TARGET,
                ok,
                unit="ms",
                note=note,
                extra={
                    "lost": lost,
                    "duplicated": duplicated,
                    "errors": len(load.errors),
                    "p50_ms": percentile(all_lat, 50) * 1000,
                },
            )
        ]
    finally:
        for site in sites:
            site.close()
        cluster.stop()
        schema.drop()


if __name__ == "__main__":
    print_results(run(60.0 if QUICK else 600.0))
