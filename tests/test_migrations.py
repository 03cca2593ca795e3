"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from beredskap.extensions import db
from tests.conftest import REPO, prepare_database

pytestmark = pytest.mark.slow  # migrations and the server in processes of their own


def diff_against_models(url: str) -> list:
    import beredskap.models  # noqa: F401 - every table on the metadata

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_matches_models(kind, tmp_path, request):
    if kind == "postgresql":
        schema = request.getfixturevalue("pg_schema")
        url = schema.url
    else:
        url = f"sqlite:///{tmp_path / 'mig.db'}"
    prepare_database(url, tmp_path / "instance", migrations=True)
    assert diff_against_models(url) == []


def test_make_run_path_serves_demo_data(tmp_path):
    """`make run` = migrate, seed demo data (printing the passwords once), serve: done here step by step."""
    from tests.conftest import ServerProcess, cli

    url = f"sqlite:///{tmp_path / 'run.db'}"
    instance = tmp_path / "instance"
    prepare_database(url, instance, migrations=True)
    first = cli(url, instance, "demo", "seed")
    assert first.returncode == 0, first.stderr
    line = next(ln for ln in first.stdout.splitlines() if ln.strip().startswith("demo.coordinator"))
    username, _role, password = line.split()
    creds = instance / "demo-credentials.txt"
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    assert password in creds.read_text()
    second = cli(url, instance, "demo", "seed")
    assert second.returncode == 0 and password not in second.stdout
    server = ServerProcess(url, instance).start()
    try:
        import requests

        session = requests.Session()
        page = session.get(server.url + "/login", timeout=10).text
        token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
        start = session.post(
            server.url + "/login", data={"username": username, "password": password, "csrf_token": token}, timeout=30
        )
        assert start.status_code == 200 and "Oversikt" in start.text
    finally:
        server.stop()


def test_wsgi_runs_as_script_module():
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi; print(wsgi.app.name)"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "k" * 32},
    )
    assert result.returncode == 0 and "beredskap" in result.stdout
