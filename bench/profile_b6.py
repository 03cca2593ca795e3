"""`TEST_DATABASE_URL=… python -m bench.profile_b6`: B6's registration profiled in-process on PostgreSQL.

Prints the SQL statements of one registration, one log line and one empty GET (the floors of B6), the time of N
(env N, default 200) of each one after another, and a cProfile of the registrations (env TOP rows). A tool for
working on B6, not a benchmark: it writes no results.
"""

import cProfile
import os
import pstats
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.b6_evacuees import evacuee
from bench.common import BENCH_USER, PG_URL, PYTHON, REPO, PgSchema

if not PG_URL:
    raise SystemExit("bench.profile_b6 profiles PostgreSQL: set TEST_DATABASE_URL")

schema = PgSchema()
inst = Path(tempfile.mkdtemp(prefix="beredskap-profile-"))
env = {**os.environ, "DATABASE_URL": schema.url, "BEREDSKAP_INSTANCE_PATH": str(inst), "SECRET_KEY": "x" * 32}
try:
    subprocess.run([PYTHON, "-m", "bench.prepare_db"], cwd=REPO, env=env, check=True, capture_output=True)
    fl = [PYTHON, "-m", "flask", "--app", "wsgi"]
    subprocess.run(
        [*fl, "users", "create", BENCH_USER, "--role", "admin"], cwd=REPO, env=env, check=True, capture_output=True
    )
    token = (
        subprocess.run(
            [*fl, "users", "token", BENCH_USER], cwd=REPO, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    os.environ.update(env)
    from sqlalchemy import event

    from beredskap import create_app
    from beredskap.extensions import db

    app = create_app()
    c = app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    inc = c.post("/api/v1/incidents", json={"title": "P"}, headers=h).json["id"]
    eps = c.post(f"/api/v1/incidents/{inc}/eps", json={"name": "EPS", "capacity": 100000}, headers=h).json["id"]
    stmts = []
    with app.app_context():
        eng = db.engine

    @event.listens_for(eng, "before_cursor_execute")
    def _b(conn, cursor, statement, params, context, executemany):
        stmts.append(statement.split("\n")[0][:110])

    for i in range(5):
        assert c.post(f"/api/v1/eps/{eps}/evacuees", json=evacuee(i), headers=h).status_code == 201
    stmts.clear()
    c.post(f"/api/v1/eps/{eps}/evacuees", json=evacuee(99), headers=h)
    print("statements per registration:", len(stmts))
    [print("  ", s) for s in stmts]
    stmts.clear()
    c.post(f"/api/v1/incidents/{inc}/log", json={"text": "hei"}, headers=h)
    print("statements per log line:", len(stmts))
    [print("  ", s) for s in stmts]
    stmts.clear()
    c.get("/api/v1/me", headers=h)
    print("statements per GET /me:", len(stmts))
    N = int(os.environ.get("N", "200"))
    pr = cProfile.Profile()
    t0 = time.perf_counter()
    pr.enable()
    for i in range(N):
        c.post(f"/api/v1/eps/{eps}/evacuees", json=evacuee(1000 + i), headers=h)
    pr.disable()
    t = time.perf_counter() - t0
    print(f"{N} registrations: {t:.2f} s, {t / N * 1000:.2f} ms each")
    t0 = time.perf_counter()
    for i in range(N):
        c.post(f"/api/v1/incidents/{inc}/log", json={"text": f"linje {i}"}, headers=h)
    t2 = time.perf_counter() - t0
    print(f"{N} log lines: {t2:.2f} s, {t2 / N * 1000:.2f} ms each")
    t0 = time.perf_counter()
    for _ in range(N):
        c.get("/api/v1/me", headers=h)
    t3 = time.perf_counter() - t0
    print(f"{N} GET /me: {t3:.2f} s, {t3 / N * 1000:.2f} ms each")
    pstats.Stats(pr).sort_stats("cumulative").print_stats(int(os.environ.get("TOP", "40")))
finally:
    schema.drop()
    shutil.rmtree(inst, ignore_errors=True)
