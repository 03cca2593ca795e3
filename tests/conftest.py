"""Shared fixtures: apps on SQLite and PostgreSQL, users per role with tokens, a live server process."""

import atexit
import hashlib
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from beredskap import create_app
from beredskap.extensions import db
from tests.factories import LazyUsers, gen_user  # noqa: F401 - gen_user is imported from here by tests
from tests.speedups import TEMPLATE_CODE, reuse_compiled_url_builders, reuse_parsed_url_rules

REPO = Path(__file__).resolve().parent.parent

reuse_compiled_url_builders()
reuse_parsed_url_rules()
PG_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")


def pg_schema_url(schema: str) -> str:
    """The test PostgreSQL with `schema` first on the search path.

    Commits do not wait for the WAL to reach the disk (synchronous_commit off, for these sessions only): a commit
    is still atomic and seen by every other connection at once, and only a crash of PostgreSQL itself, which no
    test causes, could lose it. The suite commits thousands of times, each one a disk flush before.
    """
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


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


_SQLITE_SCHEMA: Path | None = None


def app_on(url: str, instance: Path):
    """An app on `url` with its instance folder at `instance`, for setting up data; the environment is left as found."""
    before = os.environ.get("BEREDSKAP_INSTANCE_PATH")
    os.environ["BEREDSKAP_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(base_config(instance, url))
    finally:
        if before is None:
            os.environ.pop("BEREDSKAP_INSTANCE_PATH", None)
        else:
            os.environ["BEREDSKAP_INSTANCE_PATH"] = before


def sqlite_schema_file() -> Path:
    """A SQLite file holding `db.create_all()`'s schema, made once per test process.

    A new database is a copy of it: the same schema as running create_all again (tests/test_migrations.py proves
    create_all matches the migrations), without building some 60 tables for every test.
    """
    global _SQLITE_SCHEMA
    if _SQLITE_SCHEMA is None:
        folder = Path(tempfile.mkdtemp(prefix="beredskap-schema-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "schema.db"
        app = app_on(f"sqlite:///{path}", folder / "instance")
        with app.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()
        _SQLITE_SCHEMA = path
    return _SQLITE_SCHEMA


def fill_sqlite_database(path: Path) -> None:
    """Copy the schema file into `path` (empty or new), keeping the file itself and so its owner-only mode."""
    # The backup API copies a consistent image whatever the journal mode, WAL included.
    with closing(sqlite3.connect(sqlite_schema_file())) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)


def new_sqlite_database(path: Path) -> bool:
    """Give a SQLite file that does not exist yet the full schema; False (and nothing done) if it exists."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only, as the app creates its own database file (beredskap/sqlite.py).
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    fill_sqlite_database(path)
    return True


def _sqlite_path(url: str) -> Path | None:
    """The file of a plain `sqlite:////absolute/path` URL (a relative one is relative to the instance folder)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_absolute() else None


def _make_app(tmp_path: Path, url: str, *, schema_ready: bool = False, **extra):
    """The app on `url` with the schema in place: a new SQLite file gets a copy of the schema file."""
    sqlite_path = _sqlite_path(url)
    fresh = sqlite_path is not None and not sqlite_path.exists()
    os.environ["BEREDSKAP_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({**base_config(tmp_path, url), **extra})
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    if fresh and sqlite_path.exists() and sqlite_path.stat().st_size == 0:
        # The app made the empty file itself (owner-only, which tests check); the schema is copied into it.
        fill_sqlite_database(sqlite_path)
        with app.app_context():
            db.engine.dispose()
        schema_ready = True
    if not schema_ready:
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


class SharedPgSchema(PgSchema):
    """One schema per test process with create_all's tables, emptied before each test that uses it.

    Emptying (every row deleted, every sequence back to 1) gives a test the same empty database a new schema
    would, at a small part of the cost of creating and dropping some 60 tables each time.
    """

    def __init__(self, tmp_path: Path):
        super().__init__()
        app = app_on(self.url, tmp_path / "instance")
        with app.app_context():
            db.create_all()
            self.tables = [table.name for table in reversed(db.metadata.sorted_tables)]
            db.session.remove()
            db.engine.dispose()
        self.engine = create_engine(self.url)

    def empty(self) -> None:
        statements = [
            # A connection a failed test left holding a lock makes this fail loudly instead of hanging.
            "SET LOCAL lock_timeout = '20s'",
            *(f'DELETE FROM "{table}"' for table in self.tables),
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE c.relkind = 'S' AND n.nspname = '{self.name}'",
        ]
        with self.engine.begin() as conn:
            conn.exec_driver_sql(";".join(statements))

    def drop(self):
        self.engine.dispose()
        super().drop()


@pytest.fixture(scope="session")
def shared_pg_schema(tmp_path_factory):
    require_pg()
    schema = SharedPgSchema(tmp_path_factory.mktemp("pg-schema"))
    yield schema
    schema.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path):
    """The app on SQLite and on PostgreSQL: the same behaviour is required of both, each test on empty tables."""
    if request.param == "postgresql":
        schema = request.getfixturevalue("shared_pg_schema")
        schema.empty()
        app = _make_app(tmp_path, schema.url, schema_ready=True)
    else:
        app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'test.db'}")
    app.config["DB_KIND"] = request.param
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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


@pytest.fixture
def users(app):
    """One user per role: role → (id, username, password, token), each made when the test first asks for it."""
    return LazyUsers(app)


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
    """Run target(0) … target(count - 1) in threads at once, wait for all of them, and raise what any raised.

    A failed assertion or an exception in a thread fails the test: one error is raised as it is, several as an
    ExceptionGroup in thread order.
    """
    errors: list[BaseException | None] = [None] * count

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as error:  # every kind, a failed assert too, must reach the test
            errors[index] = error

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    raised = [error for error in errors if error is not None]
    if len(raised) == 1:
        raise raised[0]
    if raised:
        raise BaseExceptionGroup(f"{len(raised)} av {count} tråder feilet", raised)


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

    def start(self, timeout: float = 120):
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
        self.stop()  # not left running after the test that gave up on it
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

    tests/test_migrations.py proves the two give the same schema. From the models, a new SQLite file is a copy
    of the schema file create_all made once (see `sqlite_schema_file`) instead of a process of its own.
    """
    sqlite_path = _sqlite_path(url)
    if not migrations and sqlite_path is not None and new_sqlite_database(sqlite_path):
        instance.mkdir(parents=True, exist_ok=True)
        return
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


def cli_user(url: str, instance: Path, name: str, role: str, password: str) -> None:
    """`flask users create <name> --role <role> --password-stdin`, as an operator would; fails the test if refused."""
    made = cli(url, instance, "users", "create", name, "--role", role, "--password-stdin", stdin=password + "\n")
    assert made.returncode == 0, made.stderr


def make_user(database_url: str, instance, role: str = "coordinator") -> dict:
    """A user with an API token in a server's database; returns the token's Authorization header.

    Made with the services `users create` and `users token` call, in one app in this process instead of two CLI
    processes (tests/cli tests the commands themselves).
    """
    app = app_on(database_url, Path(instance))
    token = gen_user(app, role, f"u{uuid.uuid4().hex[:6]}")[3]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
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
