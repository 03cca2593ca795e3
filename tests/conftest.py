"""Shared fixtures: apps on SQLite and PostgreSQL, users per role with tokens, a live server process."""

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from beredskap import create_app
from beredskap.auth.permissions import Role
from beredskap.extensions import db

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")


def pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


class PgSchema:
    """A throwaway schema on the test PostgreSQL, so tests never see each other's rows."""

    def __init__(self):
        self.name = "t_" + uuid.uuid4().hex[:12]
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = pg_schema_url(self.name)

    def drop(self):
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


def base_config(tmp_path: Path, url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": url,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
        "SCHEDULER_ENABLED": False,
        # Still scrypt, at a cost that keeps hundreds of test users cheap.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def _make_app(tmp_path: Path, url: str, **extra):
    os.environ["BEREDSKAP_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({**base_config(tmp_path, url), **extra})
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    """The app on a fresh SQLite file."""
    app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'test.db'}")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def require_pg():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL er ikke satt: PostgreSQL-testene kjøres av .ci/run og make test i CI")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path):
    """The app on SQLite and on PostgreSQL: the same behaviour is required of both."""
    schema = None
    if request.param == "postgresql":
        require_pg()
        schema = PgSchema()
        url = schema.url
    else:
        url = f"sqlite:///{tmp_path / 'test.db'}"
    app = _make_app(tmp_path, url)
    app.config["DB_KIND"] = request.param
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        schema.drop()


@pytest.fixture
def pg_schema():
    require_pg()
    schema = PgSchema()
    yield schema
    schema.drop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Api:
    """A JSON client that authenticates with a Bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **kw):
        return self.client.get(path, headers=self._headers(), **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json if json is not None else {}, headers=self._headers(), **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(path, json=json if json is not None else {}, headers=self._headers(), **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers=self._headers(), **kw)


def gen_user(app, role: str, username: str | None = None, password: str | None = None):
    """Create a user and a token; returns (user_id, username, password, token)."""
    from beredskap.auth.services import create_user, issue_token

    with app.app_context():
        user, clear = create_user(
            username or f"{role}.{uuid.uuid4().hex[:6]}", role, password or secrets.token_urlsafe(16)
        )
        token = issue_token(user)
        return user.id, user.username, clear, token


@pytest.fixture
def users(app):
    """One user per role: role → (id, username, password, token)."""
    return {role.value: gen_user(app, role.value) for role in Role}


@pytest.fixture
def api_for(app, users):
    """api_for(role) → an Api client authenticated as that role."""
    client = app.test_client()
    return lambda role: Api(client, users[role][3])


def login(client, username: str, password: str):
    """Log in through the form, CSRF token included; returns the response."""
    page = client.get("/login")
    token = page.get_data(as_text=True).split('<meta name="csrf-token" content="')[1].split('"')[0]
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def run_concurrently(target, count: int) -> None:
    """Run target(0) … target(count - 1) in threads at once and wait for all of them."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python wsgi.py` as a real separate process (gevent), for e2e, multi-process and crash tests."""

    def __init__(
        self,
        database_url: str,
        instance: Path,
        *,
        redis_url: str | None = None,
        port: int | None = None,
        env: dict | None = None,
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.instance = instance
        self.log_path = instance / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BEREDSKAP_INSTANCE_PATH": str(instance),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            # Processes on one instance share the key, as production processes must, so sessions survive.
            "SECRET_KEY": "test-" + hashlib.sha256(str(instance).encode()).hexdigest(),
            "LOGIN_RATE_LIMIT": "1000 per minute",
            # Links in alert messages point at this very server.
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}",
            **(env or {}),
        }
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.proc = None

    def start(self, timeout: float = 30):
        instance = self.instance
        instance.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "wsgi.py"], cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-2000:]}")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if getattr(self, "log", None):
            self.log.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def prepare_database(url: str, instance: Path, *, migrations: bool = False) -> None:
    """Create the schema: through the real migrations (as `make run` does) or straight from the models.

    tests/test_migrations.py proves the two give the same schema.
    """
    env = {**os.environ, "DATABASE_URL": url, "BEREDSKAP_INSTANCE_PATH": str(instance), "SECRET_KEY": "x" * 32}
    env.pop("REDIS_URL", None)
    if migrations:
        args = ["-m", "flask", "--app", "wsgi", "db", "upgrade"]
    else:
        args = [
            "-c",
            "from wsgi import app; from beredskap.extensions import db; app.app_context().push(); db.create_all()",
        ]
    subprocess.run([sys.executable, *args], cwd=REPO, env=env, check=True, capture_output=True)


def cli(url: str, instance: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BEREDSKAP_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "x" * 32,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env=env,
        text=True,
        capture_output=True,
        input=stdin,
    )


def make_user(database_url: str, instance, role: str = "coordinator") -> dict:
    """A user made with the CLI, as an operator would; returns the Authorization header of its API token."""
    name = f"u{uuid.uuid4().hex[:6]}"
    assert cli(database_url, instance, "users", "create", name, "--role", role).returncode == 0
    token = cli(database_url, instance, "users", "token", name).stdout.strip().splitlines()[-1]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def server_factory(tmp_path):
    """Start real server processes on a shared migrated SQLite database (or a given URL)."""
    started: list[ServerProcess] = []
    instance = tmp_path / "srv-instance"

    def factory(database_url: str | None = None, **kw) -> ServerProcess:
        url = database_url or f"sqlite:///{tmp_path / 'server.db'}"
        if not started and not kw.pop("skip_migrate", False):
            prepare_database(url, instance)
        else:
            kw.pop("skip_migrate", None)
        server = ServerProcess(url, instance, **kw).start()
        started.append(server)
        return server

    factory.instance = instance
    yield factory
    for server in started:
        server.stop()


def output_dir(name: str) -> Path:
    """Where a test keeps screenshots and other artefacts to look at."""
    path = REPO / "test-output" / name
    path.mkdir(parents=True, exist_ok=True)
    return path
