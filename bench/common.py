"""Shared bench plumbing: our server and the bare server as subprocesses, the API client, statistics."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
PG_URL = os.environ.get("TEST_DATABASE_URL") or None
# BENCH_ONLY=B3,B6 runs only those benchmarks (while working on one); empty runs them all.
ONLY = {part.strip().upper() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()}


def selected(result_id: str) -> bool:
    """Whether BENCH_ONLY lets this benchmark (B5-pdf, B6-postgresql, … by its leading id) run."""
    return not ONLY or result_id.split("@")[0].split("-")[0].upper() in ONLY


PYTHON = sys.executable
BENCH_USER = "bench.admin"


def log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start: {log_path.read_text(errors='replace')[-2000:]}")


def stop_process(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


class PgSchema:
    """A throwaway schema on TEST_DATABASE_URL (as tests/conftest.py PgSchema), dropped at the end."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine, text

        self.name = "bench_" + uuid.uuid4().hex[:12]
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        sep = "&" if "?" in PG_URL else "?"
        self.url = f"{PG_URL}{sep}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@dataclass
class OurServer:
    """`python wsgi.py` (gevent) on a fresh database: schema from the models, a user and token via the CLI."""

    database_url: str
    instance: Path
    kind: str
    port: int = field(default_factory=free_port)
    token: str | None = None
    proc: subprocess.Popen | None = None
    error: str | None = None
    secret: str = field(default_factory=lambda: "bench-" + secrets.token_hex(16))
    script: str = "wsgi.py"  # another entry point only to try out a change while profiling
    _prepare: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.instance / f"server-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "BEREDSKAP_INSTANCE_PATH": str(self.instance),
            "SECRET_KEY": self.secret,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
        env.pop("REDIS_URL", None)
        return env

    def prepare_in_background(self) -> None:
        """In a background thread: schema and history (bench/prepare_db.py), then the server, and meanwhile the
        bench user and its token through the CLI (`flask --app wsgi users create/token`)."""
        self.instance.mkdir(parents=True, exist_ok=True)
        self._prepare = threading.Thread(target=self._run_prepare, daemon=True)
        self._prepare.start()

    def _run_prepare(self) -> None:
        try:
            env = self.env()
            started = time.monotonic()
            subprocess.run([PYTHON, "-m", "bench.prepare_db"], cwd=REPO, env=env, check=True, capture_output=True)
            log(f"{self.kind}: skjema og historikk klare ({time.monotonic() - started:.1f} s)")
            # The server starts while the CLI creates the user: both only need the schema.
            self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen(
                [PYTHON, self.script], cwd=REPO, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
            )
            flask = [PYTHON, "-m", "flask", "--app", "wsgi"]
            subprocess.run(
                [*flask, "users", "create", BENCH_USER, "--role", "admin"],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
            )
            out = subprocess.run(
                [*flask, "users", "token", BENCH_USER], cwd=REPO, env=env, check=True, capture_output=True, text=True
            )
            self.token = out.stdout.strip().splitlines()[-1]
            log(f"{self.kind}: bruker og API-nøkkel laget med CLI ({time.monotonic() - started:.1f} s)")
        except subprocess.CalledProcessError as err:
            self.error = f"{err.cmd[-3:]}: {(err.stderr or b'')[-500:]!r}"

    def start(self) -> OurServer:
        """Wait for the background preparation and the server's /healthz."""
        if self._prepare is None:
            self.prepare_in_background()
        self._prepare.join()
        if self.error or not self.token or self.proc is None:
            raise RuntimeError(f"preparing the {self.kind} server failed: {self.error}")
        wait_healthy(self.url, self.proc, self.log_path)
        return self

    def stop(self) -> None:
        stop_process(self.proc)
        if getattr(self, "log_file", None):
            self.log_file.close()

    def api(self) -> Api:
        return Api(self.url, self.token)


@dataclass
class BareServer:
    """bench/bare_server.py: bare Flask-SocketIO, same async mode (gevent), nothing behind it."""

    instance: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BareServer:
        self.instance.mkdir(parents=True, exist_ok=True)
        self.log_path = self.instance / f"bare-{self.port}.log"
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "bench.bare_server", str(self.port)],
            cwd=REPO,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.url, self.proc, self.log_path)
        return self

    def stop(self) -> None:
        stop_process(self.proc)
        if getattr(self, "log_file", None):
            self.log_file.close()

    def emit(self, session: requests.Session, channel: str, data: dict) -> int:
        response = session.post(
            self.url + "/emit", json={"channel": channel, "type": "log.created", "data": data}, timeout=30
        )
        response.raise_for_status()
        return response.json()["seq"]


class Api:
    """Bearer-token JSON client with keep-alive."""

    def __init__(self, base: str, token: str | None) -> None:
        self.base = base
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=120, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        return self.session.post(self.base + path, json=json if json is not None else {}, timeout=120, **kw)

    def post_ok(self, path: str, json: Any = None) -> dict:
        response = self.post(path, json)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"POST {path} → {response.status_code}: {response.text[:300]}")
        return response.json()


def open_incident(api: Api, title: str = "Benchmark: flom i Otra") -> dict:
    """An open incident with a location in Kristiansand, so its sitrep has a map."""
    return api.post_ok(
        "/api/v1/incidents",
        {
            "title": title,
            "kind": "incident",
            "severity": 2,
            "location": {"type": "Point", "coordinates": [7.9956, 58.1467]},
        },
    )


def log_text(i: int) -> str:
    """A realistic log line of about 120 characters."""
    return (
        f"Melding {i}: Vannstanden i Otra ved Mosby stiger; brannvesenet legger ut lenser ved "
        f"Krossen og ber om to mannskaper til (logg {i})."
    )


@dataclass
class Result:
    """One row of results.json / results.md."""

    id: str
    what: str
    value: float
    baseline: float
    ratio: float
    target: str
    ok: bool
    unit: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "value": _clean(self.value),
            "baseline": _clean(self.baseline),
            "ratio": _clean(self.ratio),
            "target": self.target,
            "ok": bool(self.ok),
        }


def result_from_json(data: dict) -> Result:
    return Result(**data)


def run_in_subprocess(module: str) -> list[Result]:
    """Run `python -m <module>` (which prints its Results as JSON) in a fresh process.

    CPU benchmarks get a process of their own: the orchestrator's heap (client bookkeeping, the spatial
    index) would make the garbage collector slow down the allocation-heavy path more than its baseline.
    """
    out = subprocess.run([PYTHON, "-m", module], cwd=REPO, check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return [result_from_json(item) for item in json.loads(out.stdout.strip().splitlines()[-1])]


def print_results(results: list[Result]) -> None:
    """The last stdout line of a benchmark subprocess."""
    print(json.dumps([dataclasses.asdict(r) for r in results]))


def _clean(x: float | None) -> float:
    # results.json promises numbers; an unmeasured value is written as 0 and the row says why (ok=false).
    if x is None or x != x or x in (float("inf"), float("-inf")):
        return 0.0
    return round(float(x), 6)
