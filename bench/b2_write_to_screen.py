"""B2 write-to-screen: POST a log line until the last of 200 clients has it, against fan-out plus a bare insert."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, create_engine

from bench.common import Result, log_text, percentile
from bench.live import GroupRounds

TARGET = "p99 ≤ 1.5× (B1-grunnlinje p99 + bar insert p99)"
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


def summarise(result_id: str, db_kind: str, ours: GroupRounds, bare: GroupRounds, inserts: list[float]) -> Result:
    """B2 from the N=200 rounds: p99 over posts of (last client's receipt − POST sent)."""
    screen = ours.last_client_latencies()
    p99_ours = percentile(screen, 99)
    fanout = percentile(bare.latencies(), 99)
    insert = percentile(inserts, 99)
    baseline = fanout + insert
    ratio = p99_ours / baseline
    gaps, lost = ours.gaps_and_lost()
    ok = ratio <= LIMIT and gaps == 0 and lost == 0 and ours.incomplete == 0
    note = (
        f"{db_kind}: {len(screen)} POST-er til {ours.clients} klienter; p50 {percentile(screen, 50) * 1000:.1f} ms; "
        f"grunnlinje = fan-out p99 {fanout * 1000:.1f} ms + insert p99 {insert * 1000:.2f} ms "
        f"(median {percentile(inserts, 50) * 1000:.2f} ms); tapt {lost}, hull {gaps}"
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
