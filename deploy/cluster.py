"""The deployment of docs/OPERATIONS.md on this machine: nginx, 3 `wsgi.py` processes, PostgreSQL and Redis.

`make cluster` (`python -m deploy.cluster`) starts everything on 127.0.0.1 in a temporary directory, prints the
address, and stops it all on Ctrl-C. nginx runs from the Debian package with its own prefix, config and pid
file, and includes deploy/nginx/beredskap-locations.conf — the same proxy rules as the production site.
Without --database-url/--redis-url it starts its own PostgreSQL (initdb) and Redis; the cluster test passes the
test services instead (a fresh schema and its own Socket.IO channel).

Every step is written to `cluster.log` in the directory: starts, kills, restarts, with times and pids.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
LOCATIONS = REPO / "deploy" / "nginx" / "beredskap-locations.conf"
PROCESSES = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx mangler: apt-get install -y nginx (.ci/run gjør det)")
    return found


def postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL mangler: apt-get install -y postgresql")
    return versions[-1].parent


def nginx_conf(directory: Path, listen: int, upstreams: list[int]) -> str:
    """The local site: the production upstream and locations, on 127.0.0.1, plus the upstream in a header."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstreams)
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    client_body_temp_path {directory}/tmp/body;
    proxy_temp_path {directory}/tmp/proxy;
    fastcgi_temp_path {directory}/tmp/fastcgi;
    uwsgi_temp_path {directory}/tmp/uwsgi;
    scgi_temp_path {directory}/tmp/scgi;
    upstream beredskap {{
        ip_hash;
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{listen};
        server_name localhost;
        # Local cluster only: which process answered, so a test can tell where a client address is sent.
        add_header X-Beredskap-Upstream $upstream_addr always;
        include {LOCATIONS};
    }}
}}
"""


class Cluster:
    """nginx + PROCESSES × wsgi.py (+ own PostgreSQL and Redis unless URLs are given), all on 127.0.0.1."""

    def __init__(
        self,
        directory: Path,
        *,
        database_url: str | None = None,
        redis_url: str | None = None,
        env: dict[str, str] | None = None,
        processes: int = PROCESSES,
    ) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.instance = self.dir / "instance"
        self.instance.mkdir(exist_ok=True)
        self.database_url = database_url
        self.redis_url = redis_url
        self.extra_env = env or {}
        self.ports = [free_port() for _ in range(processes)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret = secrets.token_hex(32)
        self.procs: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.pg_data: Path | None = None
        self.log_path = self.dir / "cluster.log"
        self._logs: list = []

    # -- the log ---------------------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} {message}"
        with open(self.log_path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        print(f"[cluster] {line}", file=sys.stderr, flush=True)

    # -- services ----------------------------------------------------------------------------------------------
    def _start_redis(self) -> None:
        port = free_port()
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=self._open_log("redis.log"),
            stderr=subprocess.STDOUT,
        )
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        self.log(f"redis pid {self.redis.pid} på 127.0.0.1:{port}")

    def _as_postgres(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    def _start_postgres(self) -> None:
        bindir = postgres_bin()
        self.pg_data = self.dir / "pgdata"
        port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        run = lambda args: subprocess.run(self._as_postgres(args), check=True, capture_output=True)  # noqa: E731
        run([str(bindir / "initdb"), "-D", str(self.pg_data), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        options = f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.pg_data),
                "-o",
                options,
                "-l",
                str(self.dir / "pg.log"),
                "-w",
                "start",
            ]
        )
        run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "beredskap"])
        self.database_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/beredskap"
        self.log(f"postgresql på 127.0.0.1:{port} (data {self.pg_data})")

    def _open_log(self, name: str):
        fh = open(self.dir / name, "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(fh)
        return fh

    # -- the app -----------------------------------------------------------------------------------------------
    def env(self, port: int | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url or "",
            "REDIS_URL": self.redis_url or "",
            "SECRET_KEY": self.secret,
            "BEREDSKAP_INSTANCE_PATH": str(self.instance),
            "HOST": "127.0.0.1",
            "PUBLIC_BASE_URL": self.url,
            "TRUSTED_PROXIES": "1",
            "BEREDSKAP_ACCESS_LOG": "1",
            **self.extra_env,
        }
        if port is not None:
            env["PORT"] = str(port)
        return env

    def flask(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=REPO,
            env=self.env(),
            text=True,
            capture_output=True,
            input=stdin,
        )

    def migrate(self) -> None:
        result = self.flask("db", "upgrade")
        if result.returncode != 0:
            raise RuntimeError(f"db upgrade failed: {result.stderr[-1500:]}")
        self.log("database migrert (flask db upgrade)")

    def process_log(self, port: int) -> Path:
        return self.dir / f"wsgi-{port}.log"

    def start_process(self, port: int, timeout: float = 60, *, wait: bool = True) -> None:
        proc = subprocess.Popen(
            [sys.executable, "wsgi.py"],
            cwd=REPO,
            env=self.env(port),
            stdout=self._open_log(self.process_log(port).name),
            stderr=subprocess.STDOUT,
        )
        self.procs[port] = proc
        self.log(f"wsgi.py pid {proc.pid} starter på 127.0.0.1:{port}")
        if wait:
            self.wait_healthy(port, timeout)

    def wait_healthy(self, port: int, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        proc = self.procs[port]
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"wsgi.py :{port} exited: {self.process_log(port).read_text()[-1500:]}")
            try:
                response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                if response.status_code == 200 and response.json().get("redis") in ("ok", "off"):
                    self.log(f"wsgi.py :{port} frisk: {response.json()}")
                    return response.json()
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"wsgi.py :{port} not healthy: {self.process_log(port).read_text()[-1500:]}")

    def kill(self, port: int) -> int:
        """kill -9 one process, as a crash would."""
        proc = self.procs[port]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        self.log(f"kill -9 pid {proc.pid} (wsgi.py :{port}); exit {proc.returncode}")
        return proc.pid

    def restart(self, port: int) -> None:
        self.log(f"wsgi.py :{port} startes igjen")
        self.start_process(port)

    def start_nginx(self) -> None:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.dir / "nginx.conf"
        conf.write_text(nginx_conf(self.dir, self.port, self.ports))
        binary = nginx_binary()
        test = subprocess.run([binary, "-t", "-p", str(self.dir), "-c", str(conf)], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t: {test.stderr}")
        self.nginx = subprocess.Popen(
            [binary, "-p", str(self.dir), "-c", str(conf), "-g", "daemon off;"],
            stdout=self._open_log("nginx.out"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"nginx did not answer: {(self.dir / 'nginx-error.log').read_text()[-1500:]}")
        self.log(f"nginx pid {self.nginx.pid} på {self.url} → {', '.join(f':{p}' for p in self.ports)}")

    def start(self, *, migrate: bool = True) -> Cluster:
        if not self.redis_url:
            self._start_redis()
        if not self.database_url:
            self._start_postgres()
        if migrate:
            self.migrate()
        for port in self.ports:
            self.start_process(port, wait=False)
        for port in self.ports:
            self.wait_healthy(port, 90)
        self.start_nginx()
        return self

    def stop(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(10)
        for port, proc in self.procs.items():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
                self.log(f"wsgi.py :{port} stoppet")
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(10)
        if self.pg_data:
            subprocess.run(
                self._as_postgres([str(postgres_bin() / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "stop"]),
                capture_output=True,
            )
        self.log("klyngen stoppet")
        for fh in self._logs:
            fh.close()
        self._logs = []

    def upstream_for(self, source: str) -> int:
        """The process port nginx sends a client with this source address to (ip_hash)."""
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(source, 0))
        try:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            upstream = response.getheader("X-Beredskap-Upstream", "")
        finally:
            conn.close()
        # After a failover the header lists every upstream tried: the last one answered.
        return int(upstream.split(",")[-1].strip().rsplit(":", 1)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="working directory (default: a new temporary one)")
    parser.add_argument("--database-url", help="use this PostgreSQL instead of starting one")
    parser.add_argument("--redis-url", help="use this Redis instead of starting one")
    parser.add_argument("--user", default="admin", help="an admin user to create (password printed)")
    args = parser.parse_args()
    import tempfile

    directory = Path(args.dir or tempfile.mkdtemp(prefix="beredskap-cluster-"))
    cluster = Cluster(
        directory,
        database_url=args.database_url,
        redis_url=args.redis_url,
        env={"SOCKETIO_CHANNEL": "beredskap-cluster-" + uuid.uuid4().hex[:6]},
    )
    stopping = False

    def on_signal(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
        password = secrets.token_urlsafe(12)
        made = cluster.flask("users", "create", args.user, "--role", "admin", "--password-stdin", stdin=password + "\n")
        if made.returncode == 0:
            cluster.log(f"bruker {args.user} / {password}")
        cluster.log(f"klar: {cluster.url} (Ctrl-C stopper alt; logger i {directory})")
        while not stopping:
            for port, proc in cluster.procs.items():
                if proc.poll() is not None:
                    # As systemd's Restart=always would.
                    cluster.log(f"wsgi.py :{port} døde (exit {proc.returncode}); startes igjen")
                    cluster.restart(port)
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
