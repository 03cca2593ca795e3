"""B6 against its floor: evacuee registration over HTTP beside the cheapest authenticated write and an empty
authenticated GET, measured by the same client in the same run, with 4 and with 16 concurrent clients.

The three kinds run in interleaved chunks (registration, log line, GET; order rotated per chunk), each chunk
with C threads posting on keep-alive sessions, so all three see the same machine load. Throughput is requests
per second of wall time over a kind's chunks; p99 is over its single requests. Targets: registration ≥ 0.5× the
throughput of the cheapest write (a log line: one row, its journal event) and ≥ 0.3× that of the empty GET
(GET /api/v1/me: authentication and the HTTP stack, no query beyond the user).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from bench.b6_evacuees import evacuee
from bench.common import Api, OurServer, Result, log, log_text, open_incident, percentile

TARGET = "registrering ≥ 0.5× billigste autentiserte skriving og ≥ 0.3× tom autentisert GET; 0 feil"
LIMIT_WRITE = 0.5
LIMIT_GET = 0.3
KINDS = ("register", "write", "get")


class Kind:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def run(server: OurServer, result_id: str, concurrency: int, per_chunk: int, chunks: int) -> list[Result]:
    api = server.api()
    incident = open_incident(api, f"Benchmark: B6 mot gulvet, {concurrency} klienter")
    response = api.post(f"/api/v1/incidents/{incident['id']}/eps", {"name": "EPS Idda", "capacity": 100_000})
    if response.status_code != 201:
        raise RuntimeError(f"POST /eps → {response.status_code}: {response.text[:200]}")
    eps_id = response.json()["id"]
    sessions = [Api(server.url, server.token) for _ in range(concurrency)]
    kinds = {k: Kind() for k in KINDS}
    counter = [0]

    def one(kind: str, api: Api, i: int) -> None:
        start = time.perf_counter()
        if kind == "register":
            response = api.post(f"/api/v1/eps/{eps_id}/evacuees", evacuee(i))
            ok = response.status_code == 201
        elif kind == "write":
            response = api.post(f"/api/v1/incidents/{incident['id']}/log", {"text": log_text(i)})
            ok = response.status_code == 201
        else:
            response = api.get("/api/v1/me")
            ok = response.status_code == 200
        kinds[kind].latencies.append(time.perf_counter() - start)
        if not ok:
            kinds[kind].errors.append(f"{response.status_code}: {response.text[:100]}")

    def client(kind: str, index: int, count: int) -> None:
        for _ in range(count):
            counter[0] += 1
            one(kind, sessions[index], counter[0])

    share = [per_chunk // concurrency + (1 if i < per_chunk % concurrency else 0) for i in range(concurrency)]
    with ThreadPoolExecutor(concurrency) as threads:
        for warm in KINDS:
            list(threads.map(lambda i, k=warm: client(k, i, 2), range(concurrency)))
        for kind in kinds.values():
            kind.latencies.clear()
        for chunk in range(chunks):
            order = KINDS[chunk % 3 :] + KINDS[: chunk % 3]
            for kind in order:
                start = time.perf_counter()
                list(threads.map(lambda i, k=kind: client(k, i, share[i]), range(concurrency)))
                kinds[kind].seconds += time.perf_counter() - start
                kinds[kind].count += per_chunk
    reg, write, get = kinds["register"], kinds["write"], kinds["get"]
    errors = sum(len(k.errors) for k in kinds.values())
    ratio_write = reg.rate / write.rate if write.rate else float("nan")
    ratio_get = reg.rate / get.rate if get.rate else float("nan")
    p99 = {name: percentile(k.latencies, 99) * 1000 for name, k in kinds.items()}
    note = (
        f"{server.kind}, {concurrency} samtidige klienter, {reg.count} av hver art i {chunks} vekslende bolker: "
        f"registrering {reg.rate:.0f}/s (p99 {p99['register']:.1f} ms), loggføring {write.rate:.0f}/s "
        f"(p99 {p99['write']:.1f} ms), tom GET {get.rate:.0f}/s (p99 {p99['get']:.1f} ms); "
        f"mot GET {ratio_get:.2f}×; feil {errors}"
        + (f" ({next(e for k in kinds.values() for e in k.errors)})" if errors else "")
    )
    log(f"{result_id}: {note}")
    extra = {
        "register_per_s": reg.rate,
        "write_per_s": write.rate,
        "get_per_s": get.rate,
        "register_p99_ms": p99["register"],
        "write_p99_ms": p99["write"],
        "get_p99_ms": p99["get"],
        "errors": errors,
    }
    return [
        Result(
            result_id,
            f"registrering mot billigste skriving, {server.kind}, {concurrency} klienter",
            reg.rate,
            write.rate,
            ratio_write,
            TARGET,
            ratio_write >= LIMIT_WRITE and not errors,
            unit="req/s",
            note=note,
            extra=extra,
        ),
        Result(
            result_id.replace("B6", "B6-get", 1),
            f"registrering mot tom autentisert GET, {server.kind}, {concurrency} klienter",
            reg.rate,
            get.rate,
            ratio_get,
            TARGET,
            ratio_get >= LIMIT_GET and not errors,
            unit="req/s",
            note=f"se {result_id}",
            extra=extra,
        ),
    ]
