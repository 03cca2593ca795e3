"""B2 write-to-screen: POST a log line until the last of 200 clients has it, against fan-out plus a bare insert."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, create_engine

from bench.common import Result, log_text, percentile
from bench.live import GroupRounds

TARGET = "p99 ≤ 1.5× (B1-grunnlinjen til siste av 200 klienter, p99 + bar insert p99)"
LIMIT = 1.5

metadata = MetaData()
bare_log = Table(
    "bench_log_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("source", String(80), nullable=False),
    Column("important", Boolean, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class BareInsert:
    """One log-line-shaped row per transaction with plain SQLAlchemy Core, timed."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            from beredskap.sqlite import register_sqlite_pragmas

            # The same pragmas as the app (WAL, synchronous=NORMAL), so only the app's own work differs.
            register_sqlite_pragmas(self.engine)
        metadata.create_all(self.engine)
        self.times: list[float] = []
        self.count = 0
        for _ in range(3):
            self.insert_once()
        self.times.clear()

    def insert_once(self) -> None:
        self.count += 1
        row = {
            "incident_id": 1,
            "number": self.count,
            "text": log_text(self.count),
            "category": "informasjon",
            "source": "",
            "important": False,
            "author": "Bench Admin",
            "created_at": datetime.now(UTC),
        }
        start = time.perf_counter()
        with self.engine.begin() as conn:
            conn.execute(bare_log.insert().values(**row))
        self.times.append(time.perf_counter() - start)

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'bare-insert.db'}"


def stamp_to_last(rounds: GroupRounds) -> tuple[dict[int, float], list[float]]:
    """Per event: the server's stamp `at`, and the time from it until the last client had the event."""
    stamped: dict[int, float] = {}
    last: dict[int, float] = {}
    for _client, seq, received, at in rounds.records:
        stamped.setdefault(seq, datetime.fromisoformat(at).timestamp())
        last[seq] = max(last.get(seq, 0.0), received)
    return stamped, [last[seq] - stamped[seq] for seq in rounds.triggers if seq in stamped]


def summarise(result_id: str, db_kind: str, ours: GroupRounds, bare: GroupRounds, inserts: list[float]) -> Result:
    """B2 from the N=200 rounds: p99 over posts of (last client's receipt − POST sent).

    The baseline is B1's bare server measured the same way — p99 over events of (last of the 200 clients has it −
    emit) — plus the p99 of one bare insert. (Until session 2 it took the bare server's p99 over single
    deliveries, a smaller statistic than the last-of-200 that ours is measured by; the note gives both.)
    """
    screen = ours.last_client_latencies()
    p99_ours = percentile(screen, 99)
    _bare_stamped, bare_to_last = stamp_to_last(bare)
    fanout = percentile(bare_to_last, 99)
    per_delivery = percentile(bare.latencies(), 99)
    insert = percentile(inserts, 99)
    baseline = fanout + insert
    ratio = p99_ours / baseline
    gaps, lost = ours.gaps_and_lost()
    ok = ratio <= LIMIT and gaps == 0 and lost == 0 and ours.incomplete == 0
    # Where our time goes, per POST: sent → the server's write stamp `at`, and `at` → the last client's receipt.
    stamped, to_screen = stamp_to_last(ours)
    to_write = [stamped[seq] - t0 for seq, t0 in ours.triggers.items() if seq in stamped]
    note = (
        f"{db_kind}: {len(screen)} POST-er til {ours.clients} klienter; p50 {percentile(screen, 50) * 1000:.1f} ms; "
        f"grunnlinje = bar fan-out til siste av {bare.clients} klienter p99 {fanout * 1000:.1f} ms + insert p99 "
        f"{insert * 1000:.2f} ms (median {percentile(inserts, 50) * 1000:.2f} ms); mot bar p99 per enkeltlevering "
        f"({per_delivery * 1000:.1f} ms) som før: {p99_ours / (per_delivery + insert):.2f}×; tapt {lost}, hull {gaps}; "
        f"vår tid fordelt: sendt → skrevet p99 {percentile(to_write, 99) * 1000:.1f} ms, skrevet → siste klient p99 "
        f"{percentile(to_screen, 99) * 1000:.1f} ms"
    )
    return Result(
        result_id,
        f"skriv-til-skjerm, 200 klienter, {db_kind}, p99",
        p99_ours * 1000,
        baseline * 1000,
        ratio,
        TARGET,
        ok,
        unit="ms",
        note=note,
        extra={"p50_ms": percentile(screen, 50) * 1000, "fanout_p99_ms": fanout * 1000, "insert_p99_ms": insert * 1000},
    )
