"""B6 evacuee registrations over HTTP with 4 concurrent clients, against bare SQLAlchemy inserts of the same rows."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, Integer, MetaData, String, Table, Text, create_engine

from bench.common import Api, OurServer, Result, log, open_incident

TARGET = "≥ 0.3× grunnlinjens gjennomstrømning; 0 feil, 0 tapt"
LIMIT = 0.3
CLIENTS = 4

FIRST = ["Kari", "Ola", "Åse", "Øystein", "Ingrid", "Lars", "Siv", "Bjørn", "Aud", "Håkon"]
LAST = ["Nordmann", "Hansen", "Ødegård", "Aasen", "Bakke", "Lie", "Kristiansen", "Dahl", "Berg", "Haugland"]

metadata = MetaData()
bare_evacuees = Table(
    "bench_evacuees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("centre_id", Integer, nullable=False),
    Column("incident_id", Integer, nullable=False),
    Column("full_name", String(200)),
    Column("birth_date", Date),
    Column("birth_year", Integer),
    Column("phone", String(40)),
    Column("address", String(300)),
    Column("needs", JSON),
    Column("needs_note", Text),
    Column("status", String(20), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)


def evacuee(i: int) -> dict:
    """A made-up evacuee as the desk would type it (CONTRACT §5 fields)."""
    return {
        "full_name": f"{FIRST[i % 10]} {LAST[(i // 10) % 10]} {i}",
        "birth_date": f"{1940 + i % 70}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "phone": f"+47 9{i % 10}{(i * 7) % 100:02d} {(i * 13) % 10000:04d}",
        "address": f"Markens gate {1 + i % 90}, 4611 Kristiansand",
        "needs": ["helse"] if i % 5 == 0 else [],
    }


def bare_row(row: dict) -> dict:
    birth = date.fromisoformat(row["birth_date"])
    return {
        "centre_id": 1,
        "incident_id": 1,
        "full_name": row["full_name"],
        "birth_date": birth,
        "birth_year": birth.year,
        "phone": row["phone"],
        "address": row["address"],
        "needs": {n: True for n in row["needs"]},
        "needs_note": None,
        "status": "present",
        "registered_at": datetime.now(UTC),
    }


def chunked(rows: list[dict], parts: int) -> list[list[dict]]:
    return [rows[i::parts] for i in range(parts)]


class BareWriter:
    """The same rows inserted with plain SQLAlchemy Core, one transaction per row, by 4 threads."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, pool_size=CLIENTS)
        if self.engine.dialect.name == "sqlite":
            from beredskap.sqlite import register_sqlite_pragmas

            register_sqlite_pragmas(self.engine)
        metadata.create_all(self.engine)

    def insert(self, rows: list[dict]) -> int:
        for row in rows:
            with self.engine.begin() as conn:
                conn.execute(bare_evacuees.insert().values(**bare_row(row)))
        return len(rows)

    def count(self) -> int:
        from sqlalchemy import func, select

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(bare_evacuees)).scalar_one()

    def dispose(self) -> None:
        self.engine.dispose()


def post_all(server: OurServer, eps_id: int, rows: list[dict]) -> tuple[int, list[str]]:
    api = Api(server.url, server.token)
    ok, errors = 0, []
    for row in rows:
        response = api.post(f"/api/v1/eps/{eps_id}/evacuees", row)
        if response.status_code == 201 and response.json().get("status") == "present":
            ok += 1
        else:
            errors.append(f"{response.status_code}: {response.text[:120]}")
    return ok, errors


HOUSEHOLD = 4


def post_households(server: OurServer, eps_id: int, rows: list[dict]) -> tuple[int, list[str]]:
    """The same kind of rows as families: HOUSEHOLD people per POST /households."""
    api = Api(server.url, server.token)
    ok, errors = 0, []
    for i in range(0, len(rows), HOUSEHOLD):
        members = rows[i : i + HOUSEHOLD]
        response = api.post(f"/api/v1/eps/{eps_id}/households", {"members": members})
        if response.status_code == 201 and len(response.json().get("evacuees", [])) == len(members):
            ok += len(members)
        else:
            errors.append(f"{response.status_code}: {response.text[:120]}")
    return ok, errors


def get_all(server: OurServer, count: int) -> int:
    """The ceiling of the HTTP stack: `count` authenticated GETs of /api/v1/me, no database write."""
    api = Api(server.url, server.token)
    return sum(1 for _ in range(count) if api.get("/api/v1/me").status_code == 200)


def run(server: OurServer, bare_url: str, result_id: str, total_rows: int, chunks: int) -> Result:
    api = server.api()
    incident = open_incident(api, "Benchmark: evakuering")
    response = api.post(f"/api/v1/incidents/{incident['id']}/eps", {"name": "EPS Idda", "capacity": 100_000})
    if response.status_code != 201:
        note = (
            f"EPS-API-et svarte {response.status_code} på POST /api/v1/incidents/<id>/eps; "
            "ikke målt (ruten finnes ikke ennå?)"
        )
        log(f"{result_id}: {note}")
        return Result(
            result_id, f"evakuerte over HTTP, {server.kind}", 0.0, 0.0, 0.0, TARGET, False, unit="rader/s", note=note
        )
    eps_id = response.json()["id"]
    rows = [evacuee(i) for i in range(total_rows)]
    bare = BareWriter(bare_url)
    bare.insert([evacuee(-1)])  # open the pool and the file, as the server has them open
    elapsed = {"ours": 0.0, "bare": 0.0}
    created, errors = 0, []
    with ThreadPoolExecutor(CLIENTS) as threads:
        for part_no, part in enumerate(chunked(rows, chunks)):
            for which in ("ours", "bare") if part_no % 2 == 0 else ("bare", "ours"):
                per_client = chunked(part, CLIENTS)
                start = time.perf_counter()
                if which == "ours":
                    for ok, errs in threads.map(lambda r: post_all(server, eps_id, r), per_client):
                        created += ok
                        errors.extend(errs)
                else:
                    list(threads.map(bare.insert, per_client))
                elapsed[which] += time.perf_counter() - start
    # The same client doing the cheapest authenticated request: what any API write could at most reach here.
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as threads:
        answered = sum(threads.map(lambda n: get_all(server, n), [len(c) for c in chunked(rows, CLIENTS)]))
    ceiling_rate = answered / (time.perf_counter() - start)
    # Families arrive together: the same number of people registered HOUSEHOLD per request.
    families = [evacuee(total_rows + i) for i in range(total_rows)]
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as threads:
        for ok, errs in threads.map(lambda r: post_households(server, eps_id, r), chunked(families, CLIENTS)):
            created += ok
            errors.extend(errs)
    household_rate = total_rows / (time.perf_counter() - start)
    # Counts only: listing the people would audit one read per person and is not what is measured.
    stored = api.get(f"/api/v1/eps/{eps_id}")
    stored_count = stored.json().get("registered") if stored.status_code == 200 else None
    lost = created - stored_count if stored_count is not None else created
    bare_lost = total_rows + 1 - bare.count()
    bare.dispose()
    ours_rate, bare_rate = total_rows / elapsed["ours"], total_rows / elapsed["bare"]
    ratio = ours_rate / bare_rate
    note = (
        f"{server.kind}: {total_rows} registreringer, {CLIENTS} samtidige klienter; {ours_rate:.0f} mot "
        f"{bare_rate:.0f} rader/s; feil {len(errors)}{' (' + errors[0] + ')' if errors else ''}, tapt {lost} "
        f"(lest tilbake: {stored_count}); grunnlinje tapt {bare_lost}; tak for HTTP-stakken med samme klient "
        f"(tom autentisert GET /api/v1/me): {ceiling_rate:.0f}/s = {ceiling_rate / bare_rate:.2f}× grunnlinjen; "
        f"som husstander à {HOUSEHOLD} per POST (ikke det som måles over): {household_rate:.0f} rader/s = "
        f"{household_rate / bare_rate:.2f}× grunnlinjen"
    )
    log(f"{result_id}: {note}")
    ok = ratio >= LIMIT and not errors and lost == 0
    return Result(
        result_id,
        f"evakuerte over HTTP, {server.kind}",
        ours_rate,
        bare_rate,
        ratio,
        TARGET,
        ok,
        unit="rader/s",
        note=note,
        extra={"errors": len(errors), "lost": lost, "ceiling_per_s": ceiling_rate, "households_per_s": household_rate},
    )
