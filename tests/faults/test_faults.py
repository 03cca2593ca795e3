"""Fault tests: kill -9 during writes (R3), Redis restart mid-stream (R5), a stalled client (issue 9)."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
import requests
import socketio

from tests.conftest import PG_URL, free_port, make_user

pytestmark = pytest.mark.slow  # server processes, Redis restarts, crashes


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_9_during_writes_loses_no_acknowledged_line(kind, server_factory, tmp_path, request):
    """R3: every write that got a 201 before the crash is there after the restart."""
    url = request.getfixturevalue("pg_schema").url if kind == "postgresql" else None
    server = server_factory(url)
    url = server.database_url
    headers = make_user(url, server_factory.instance)
    incident = requests.post(
        server.url + "/api/v1/incidents", json={"title": "Krasj"}, headers=headers, timeout=10
    ).json()["id"]
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        session = requests.Session()
        i = 0
        while not stop.is_set():
            try:
                r = session.post(
                    f"{server.url}/api/v1/incidents/{incident}/log",
                    json={"text": f"w{n} {i}"},
                    headers=headers,
                    timeout=5,
                )
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json()["id"])
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) >= 60
    restarted = server_factory(url, skip_migrate=True, port=server.port)
    log = requests.get(f"{restarted.url}/api/v1/incidents/{incident}/log", headers=headers, timeout=10).json()
    stored = {e["id"] for e in log["entries"]}
    assert set(acknowledged) <= stored
    events = requests.get(
        f"{restarted.url}/api/v1/channels/incident:{incident}/events", headers=headers, timeout=10
    ).json()["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert len(events) == len(stored) + 1  # incident.created + one log.created per stored line


class CatchingUpClient:
    """What beredskap/static/js/live.js does, in Python: apply in order, re-subscribe on a gap or on demand."""

    def __init__(self, url: str, token: str, channel: str):
        self.channel = channel
        self.seqs: list[int] = []
        self.client = socketio.Client(reconnection=True)
        self.client.on("event", self.on_event)
        self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        self.resync()

    def on_event(self, envelope):
        last = self.seqs[-1] if self.seqs else 0
        if envelope["seq"] <= last:
            return
        if envelope["seq"] > last + 1:
            threading.Thread(target=self.resync, daemon=True).start()
            return
        self.seqs.append(envelope["seq"])

    def resync(self):
        since = self.seqs[-1] if self.seqs else 0
        self.client.call("subscribe", {"channel": self.channel, "since": since}, timeout=10)


def start_redis(port: int) -> subprocess.Popen:
    redis = shutil.which("redis-server")
    proc = subprocess.Popen(
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis did not start")


def wait_for_bus(server, state: str, timeout: float = 30) -> bool:
    """Poll /healthz until its "redis" is `state`; the status code stays 200 whatever the queue does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = requests.get(server.url + "/healthz", timeout=5)
        assert response.status_code == 200
        body = response.json()
        if body["redis"] == state:
            return body["status"] == ("ok" if state == "ok" else "degraded")
        time.sleep(0.2)
    return False


def test_redis_restart_mid_stream_clients_resynchronise(server_factory, pg_schema):
    """R5: with Redis down, writes still commit; afterwards clients catch up and nothing stays missing."""
    if not PG_URL or not shutil.which("redis-server"):
        pytest.skip("TEST_DATABASE_URL og redis-server trengs (.ci/run har begge)")
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port)
    beat = {"REDIS_HEARTBEAT_SECONDS": "0.3"}
    try:
        a = server_factory(pg_schema.url, redis_url=redis_url, env=beat)
        b = server_factory(pg_schema.url, redis_url=redis_url, env=beat)
        # Each process hears its own heartbeat through Redis, before any socket has connected.
        assert wait_for_bus(a, "ok") and wait_for_bus(b, "ok")
        headers = make_user(pg_schema.url, server_factory.instance)
        token = headers["Authorization"].split()[1]
        incident = requests.post(
            b.url + "/api/v1/incidents", json={"title": "Redis"}, headers=headers, timeout=10
        ).json()["id"]
        channel = f"incident:{incident}"
        client = CatchingUpClient(a.url, token, channel)

        def write(n: int) -> None:
            for i in range(n):
                r = requests.post(
                    f"{b.url}/api/v1/incidents/{incident}/log", json={"text": str(i)}, headers=headers, timeout=20
                )
                assert r.status_code == 201

        write(10)
        redis.kill()
        redis.wait(10)
        write(10)  # committed while the message queue is gone: clients on A hear nothing of these yet
        assert wait_for_bus(a, "stale")  # /healthz tells monitoring, and still answers 200
        redis = start_redis(port)
        time.sleep(1.5)  # let both processes' Redis listeners reconnect
        write(5)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(client.seqs) < 26:
            if client.seqs and client.seqs[-1] < 26:
                client.resync()  # the periodic resync of live.js
            time.sleep(0.5)
        assert client.seqs == list(range(1, 27))
        assert wait_for_bus(a, "ok") and wait_for_bus(b, "ok")  # subscribed again after the restart
        client.client.disconnect()
    finally:
        redis.kill()
        redis.wait(10)


def test_stalled_client_does_not_hold_back_the_others(server_factory):
    server = server_factory()
    headers = make_user(server.database_url, server_factory.instance)
    token = headers["Authorization"].split()[1]
    incident = requests.post(
        server.url + "/api/v1/incidents", json={"title": "Treg klient"}, headers=headers, timeout=10
    ).json()["id"]
    channel = f"incident:{incident}"
    # A client that subscribes and then never reads its socket again.
    stalled = socketio.Client(reconnection=False)
    stalled.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    stalled.call("subscribe", {"channel": channel, "since": 0}, timeout=10)
    raw = stalled.eio.ws.sock if hasattr(stalled.eio, "ws") and stalled.eio.ws else None
    if raw is not None:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.eio._read_loop_websocket = lambda: None  # noqa: SLF001 - stop reading from here on
    others = [CatchingUpClient(server.url, token, channel) for _ in range(5)]
    big = "x" * 3000
    for i in range(150):
        r = requests.post(
            f"{server.url}/api/v1/incidents/{incident}/log", json={"text": f"{i} {big}"}, headers=headers, timeout=20
        )
        assert r.status_code == 201
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(len(c.seqs) < 151 for c in others):
        time.sleep(0.1)
    assert [len(c.seqs) for c in others] == [151] * 5
    for c in others:
        c.client.disconnect()
