"""`python -m bench.run`: B1–B7 and M1 of QUALITY.md, each against its baseline in one run → bench/results.{md,json}.

BENCH_QUICK=1 runs reduced sizes (under a minute); TEST_DATABASE_URL adds the PostgreSQL variants of B2 and B6.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import (
    b1_fanout,
    b2_write_to_screen,
    b3_catchup,
    b4_zone,
    b5_sitrep,
    b6_evacuees,
    b6_floor,
    b7_cpu,
    b8_incident,
    b11_outbox,
    bmap_page,
    bmap_search,
)
from bench.clients import MAX_PER_PROCESS, ClientPool
from bench.common import ONLY, PG_URL, QUICK, BareServer, OurServer, PgSchema, Result, log, run_in_subprocess, selected
from bench.explain import unmet_section
from bench.live import BareTarget, OursTarget, run_rounds

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sizes:
    fanout: tuple[int, ...]
    rounds: dict[int, int]
    b5_blocks: int
    b5_rounds: int
    b3_clients: int
    b3_rounds: int
    b6_rows: int
    b6_chunks: int
    pg_rounds: int
    b7_clients: int = 1000
    b7_events: int = 20
    b6_per_chunk: int = 64
    b6_floor_chunks: int = 6


QUICK_SIZES = Sizes(
    fanout=(100, 200),
    rounds={100: 8, 200: 16},
    b5_blocks=4,
    b5_rounds=8,
    b3_clients=40,
    b3_rounds=2,
    b6_rows=60,
    b6_chunks=2,
    pg_rounds=12,
    b7_clients=200,
    b7_events=10,
    b6_per_chunk=32,
    b6_floor_chunks=3,
)
FULL_SIZES = Sizes(
    fanout=(200, 1000),
    rounds={200: 100, 1000: 20},
    b5_blocks=8,
    b5_rounds=20,
    b3_clients=300,
    b3_rounds=1,
    b6_rows=200,
    b6_chunks=2,
    pg_rounds=30,
)
B2_CLIENTS = 200


def failed(result_id: str, what: str, target: str, err: BaseException) -> Result:
    log(f"{result_id} feilet: {err!r}")
    traceback.print_exc()
    return Result(result_id, what, 0.0, 0.0, 0.0, target, False, note=f"kjøringen feilet: {err!r}"[:300])


def guarded(
    results: list[Result],
    result_id: str,
    what: str,
    target: str,
    fn: Callable[[], list[Result]],
    wanted: bool | None = None,
) -> None:
    """Run one benchmark; a crash becomes an ok=false row instead of stopping the others."""
    if not (selected(result_id) if wanted is None else wanted):
        return
    try:
        results.extend(fn())
    except Exception as err:  # noqa: BLE001 - reported in the results
        results.append(failed(result_id, what, target, err))


def main() -> None:
    sizes = QUICK_SIZES if QUICK else FULL_SIZES
    started = time.monotonic()
    load_at_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="beredskap-bench-"))
    results: list[Result] = []
    share = MAX_PER_PROCESS // 2  # ours and bare clients side by side in each client process
    processes = max(math.ceil(max(sizes.fanout) / share), math.ceil(sizes.b3_clients / MAX_PER_PROCESS))
    ours = OurServer(f"sqlite:///{tmp / 'sqlite' / 'bench.db'}", tmp / "sqlite", "sqlite")
    ours.prepare_in_background()
    schema = ours_pg = None
    if PG_URL:
        schema = PgSchema()
        ours_pg = OurServer(schema.url, tmp / "pg", "postgresql")
        ours_pg.prepare_in_background()
    bare = BareServer(tmp / "bare").start()
    pool = ClientPool(processes)
    databases = ["SQLite (fil, WAL)"] + (["PostgreSQL (TEST_DATABASE_URL, eget skjema)"] if PG_URL else [])
    try:
        # CPU benchmarks in processes of their own. B4's ratio is large: it runs while the databases are
        # prepared in the background. The PDF ratio is closer, so the full run measures it once the
        # start-up no longer competes for the CPU; the quick run overlaps it to stay under a minute.
        guarded(results, "B4", "sone-analyse", b4_zone.TARGET, lambda: run_in_subprocess("bench.b4_zone"))
        guarded(
            results, "B11", "utboks etter frakobling", b11_outbox.TARGET, lambda: run_in_subprocess("bench.b11_outbox")
        )
        guarded(results, "B9", "kartsøk", bmap_search.TARGET, lambda: run_in_subprocess("bench.bmap_search"))
        guarded(results, "B10", "kartside", bmap_page.TARGET, lambda: run_in_subprocess("bench.bmap_page"))
        pdf: list[Result] = []

        def pdf_ratio() -> None:
            guarded(pdf, "B5-pdf", "sitrep-PDF", b5_sitrep.TARGET_PDF, lambda: run_in_subprocess("bench.b5_sitrep"))

        if QUICK:
            pdf_ratio()
        sockets: list[Result] = []
        try:
            ours.start()
            pool.ready()
        except Exception as err:  # noqa: BLE001 - the rows that needed it say so
            results.append(failed("server", "vår server (SQLite) startet ikke", "", err))
        else:
            if not QUICK:
                pdf_ratio()
            log(f"vår server (SQLite) oppe på {ours.url}; grunnlinje på {bare.url}; {processes} klientprosesser")
            run_live(results, sockets, pool, ours, bare, sizes, share, tmp)
        if not pdf:
            pdf_ratio()
        results.extend(pdf)
        results.extend(sockets)
        if pdf:
            results.append(b5_sitrep.combine(pdf[0], sockets[0] if sockets else None))
        ours.stop()
        if PG_URL:
            guarded(
                results,
                "B8",
                "realistisk hendelse gjennom nginx + 3 prosesser",
                b8_incident.TARGET,
                lambda: run_in_subprocess("bench.b8_incident"),
            )
        if ours_pg and (selected("B2") or selected("B6")):
            try:
                ours_pg.start()
            except Exception as err:  # noqa: BLE001 - the rows that needed it say so
                results.append(failed("server-postgresql", "vår server (PostgreSQL) startet ikke", "", err))
            else:
                run_postgres(results, pool, ours_pg, bare, sizes, share, schema)
    finally:
        pool.close()
        ours.stop()
        bare.stop()
        if ours_pg:
            ours_pg.stop()
        if schema:
            schema.drop()
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    write_results(results, databases, processes, elapsed, load_at_start)
    log(f"ferdig på {elapsed:.0f} s → bench/results.md, bench/results.json")


def run_live(
    results: list[Result],
    sockets: list[Result],
    pool: ClientPool,
    server: OurServer,
    bare: BareServer,
    sizes: Sizes,
    share: int,
    tmp: Path,
) -> None:
    ours = OursTarget("ours", server).open()
    ours.trigger()
    bare_target = BareTarget("bare", bare, ours.channel, ours.sample_data())
    inserts = b2_write_to_screen.BareInsert(b2_write_to_screen.sqlite_url(tmp))
    fanout: dict[int, Result] = {}

    def measure(n: int) -> list[Result]:
        ours.connect(pool, n, share)
        bare_target.connect(pool, n, share)
        between = inserts.insert_once if n == B2_CLIENTS else None
        data = run_rounds(pool, [ours, bare_target], sizes.rounds[n], between=between, label=f"B1@{n}")
        fanout[n] = b1_fanout.summarise(n, data["ours"], data["bare"])
        if n != B2_CLIENTS:
            return [fanout[n]]
        return [fanout[n], b2_write_to_screen.summarise("B2", "SQLite", data["ours"], data["bare"], inserts.times)]

    for n in sizes.fanout:
        # B2 and B5-sockets measure on the clients B1 connects.
        wanted = selected("B1") or (n == B2_CLIENTS and (selected("B2") or selected("B5")))
        guarded(
            results, f"B1@{n}", f"fan-out til {n} klienter", b1_fanout.TARGET, lambda n=n: measure(n), wanted=wanted
        )
        if n == B2_CLIENTS:
            guarded(
                sockets,
                "B5-sockets",
                "B1@200 mens PDF-er lages",
                b5_sitrep.TARGET_SOCKETS,
                lambda: [b5_sitrep.run_sockets(pool, ours, sizes.b5_blocks, sizes.b5_rounds)],
            )
    inserts.dispose()
    if fanout:
        # The plain row is the worst N, so its ratio and its ok agree; every N must pass.
        worst = max(fanout.values(), key=lambda r: (not r.ok, r.ratio))
        results.append(
            Result(
                "B1",
                worst.what,
                worst.value,
                worst.baseline,
                worst.ratio,
                worst.target,
                all(r.ok for r in fanout.values()),
                unit=worst.unit,
                note=f"verste N ({worst.id}); ok krever alle N ({', '.join(map(str, sorted(fanout)))})",
            )
        )
    started = time.monotonic()
    pool.disconnect("ours")
    pool.disconnect("bare")
    log(f"klientene koblet fra ({time.monotonic() - started:.1f} s)")
    guarded(
        results,
        "B3",
        "innhenting",
        b3_catchup.TARGET,
        lambda: [b3_catchup.run(pool, server, bare, sizes.b3_clients, sizes.b3_rounds, MAX_PER_PROCESS)],
    )
    guarded(
        results,
        "B6-insert",
        "evakuerte over HTTP mot bare inserts, sqlite",
        b6_evacuees.TARGET,
        lambda: [
            b6_evacuees.run(
                server, f"sqlite:///{tmp / 'bare-evacuees.db'}", "B6-insert", sizes.b6_rows, sizes.b6_chunks
            )
        ],
    )
    run_b6_floor(results, server, "B6", sizes)
    guarded(
        results,
        "B7",
        "server-CPU per levert hendelse",
        b7_cpu.TARGET,
        lambda: b7_cpu.run(pool, server, bare, sizes.b7_clients, sizes.b7_events),
        wanted=selected("B7") or selected("M1"),
    )


def run_postgres(
    results: list[Result],
    pool: ClientPool,
    server: OurServer,
    bare: BareServer,
    sizes: Sizes,
    share: int,
    schema: PgSchema,
) -> None:
    log(f"vår server (PostgreSQL) oppe på {server.url}")
    ours = OursTarget("ourspg", server).open()
    ours.trigger()
    bare_target = BareTarget("barepg", bare, ours.channel + ":pg", ours.sample_data())
    baseline_schema = PgSchema()
    try:

        def b2() -> list[Result]:
            inserts = b2_write_to_screen.BareInsert(baseline_schema.url)
            ours.connect(pool, B2_CLIENTS, share)
            bare_target.connect(pool, B2_CLIENTS, share)
            data = run_rounds(
                pool, [ours, bare_target], sizes.pg_rounds, between=inserts.insert_once, label="B2-postgresql"
            )
            inserts.dispose()
            pool.disconnect("ourspg")
            pool.disconnect("barepg")
            b1 = b1_fanout.summarise(B2_CLIENTS, data["ourspg"], data["barepg"])
            b1.id += "-postgresql"
            return [
                b1,
                b2_write_to_screen.summarise(
                    "B2-postgresql", "PostgreSQL", data["ourspg"], data["barepg"], inserts.times
                ),
            ]

        guarded(results, "B2-postgresql", "skriv-til-skjerm, PostgreSQL", b2_write_to_screen.TARGET, b2)
        guarded(
            results,
            "B6-insert-postgresql",
            "evakuerte over HTTP mot bare inserts, postgresql",
            b6_evacuees.TARGET,
            lambda: [
                b6_evacuees.run(server, baseline_schema.url, "B6-insert-postgresql", sizes.b6_rows, sizes.b6_chunks)
            ],
        )
        run_b6_floor(results, server, "B6-postgresql", sizes)
    finally:
        baseline_schema.drop()


def run_b6_floor(results: list[Result], server: OurServer, result_id: str, sizes: Sizes) -> None:
    """B6 as redefined: registration against the cheapest write and an empty GET, at 4 and 16 clients; the
    plain row is the worst of them, so its ok requires every row."""
    rows: list[Result] = []
    for concurrency in (4, 16):
        guarded(
            rows,
            f"{result_id}@{concurrency}",
            f"registrering mot gulvet, {concurrency} klienter",
            b6_floor.TARGET,
            lambda c=concurrency: b6_floor.run(
                server, f"{result_id}@{c}", c, sizes.b6_per_chunk, sizes.b6_floor_chunks
            ),
        )
    results.extend(rows)
    if rows:
        worst = min(
            rows, key=lambda r: (r.ok, r.ratio / (b6_floor.LIMIT_GET if "-get" in r.id else b6_floor.LIMIT_WRITE))
        )
        results.append(
            Result(
                result_id,
                worst.what,
                worst.value,
                worst.baseline,
                worst.ratio,
                worst.target,
                all(r.ok for r in rows),
                unit=worst.unit,
                note=f"verste av {', '.join(r.id for r in rows)} (mot sitt mål); ok krever alle",
            )
        )


ORDER = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "M1"]


def sort_key(result: Result) -> tuple:
    base = result.id.split("@")[0].split("-")[0]
    return (ORDER.index(base) if base in ORDER else 99, result.id != base, result.id)


def fmt(value: float, unit: str) -> str:
    if value != value or value == 0:
        return "–"
    if unit == "s":
        return f"{value:.3f} s"
    if unit in ("ms", "µs", "KiB"):
        return f"{value:.1f} {unit}"
    if unit:
        return f"{value:.0f} {unit}"
    return f"{value:.3g}"


def write_results(
    results: list[Result], databases: list[str], processes: int, elapsed: float, load_at_start: float
) -> None:
    results = sorted(results, key=sort_key)
    for required in ORDER:
        if ONLY and required not in ONLY:
            continue
        if not any(r.id == required for r in results):
            why = "ingen måling i denne kjøringen"
            if required == "B8" and not PG_URL:
                why += ": B8 kjører bare med TEST_DATABASE_URL (PostgreSQL bak nginx og 3 prosesser)"
            results.append(Result(required, "ikke målt", 0.0, 0.0, 0.0, "", False, note=why))
    (HERE / "results.json").write_text(
        json.dumps({r.id: r.as_json() for r in results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    load = os.getloadavg()
    lines = [
        "# Benchmarks (QUALITY.md B1–B11, M1)",
        "",
        f"- Modus: {'BENCH_QUICK=1 (reduserte størrelser)' if QUICK else 'full'}; kjøretid {elapsed:.0f} s; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}.",
        "- Async-modus: gevent for begge servere (vår `python wsgi.py` med BEREDSKAP_ASYNC_MODE=gevent og "
        'planleggeren på; grunnlinjen `bench/bare_server.py` er bar Flask-SocketIO med async_mode="gevent"). '
        "Klienter: python-socketio, websocket-transport, i egne prosesser "
        f"({processes} prosesser, høyst {MAX_PER_PROCESS} klienter hver), trafikk bare til 127.0.0.1.",
        f"- Database(r): {'; '.join(databases)}.",
        f"- Maskin: {os.cpu_count()} kjerner ({platform.machine()}, Python {platform.python_version()}), "
        f"lastsnitt (1 min) {load_at_start:.1f} ved start og {load[0]:.1f} ved slutt – delt med andre "
        "prosesser, så tallene er støyfylte; hver måling veksler mellom vår vei og grunnlinjen i samme kjøring.",
        "- ratio = vår / grunnlinje (B4: naiv / rask, B6: vår gjennomstrømning / grunnlinjens). Rader uten "
        "suffiks er SQLite; B1 er verste N.",
        *(
            [
                "- Hurtigmodus: B5-pdf kjøres mens serveren starter (for å holde under ett minutt) og er derfor mer "
                "støyfylt enn i full kjøring."
            ]
            if QUICK
            else []
        ),
        "",
        "| id | what | value | baseline | ratio | target | ok |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}×" if r.ratio == r.ratio and r.ratio else "–"
        lines.append(
            f"| {r.id} | {r.what} | {fmt(r.value, r.unit)} | {fmt(r.baseline, r.unit)} | {ratio} | "
            f"{r.target} | {'ja' if r.ok else 'NEI'} |"
        )
    lines += ["", "## Merknader", ""]
    lines += [f"- **{r.id}**: {r.note}" for r in results if r.note]
    lines += unmet_section(results)
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
