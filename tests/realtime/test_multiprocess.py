"""Several server processes sharing Redis and PostgreSQL (R4): live events cross process boundaries."""

import threading
import time
import uuid

import pytest
import requests
import socketio

from tests.conftest import PG_URL, REDIS_URL, cli

pytestmark = pytest.mark.slow  # two server processes sharing Redis


def require_services():
    if not (PG_URL and REDIS_URL):
        pytest.skip("TEST_DATABASE_URL og REDIS_URL må være satt (det gjør .ci/run): test med to prosesser")


def connect(url: str, token: str, received: list, arrived: threading.Event | None = None) -> socketio.Client:
    client = socketio.Client(reconnection=False)

    def on_event(envelope):
        received.append(envelope)
        if arrived:
            arrived.set()

    client.on("event", on_event)
    client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    return client


def test_event_written_through_b_reaches_client_on_a(server_factory, pg_schema):
    require_services()
    env = {"SOCKETIO_CHANNEL": "beredskap-test-" + uuid.uuid4().hex[:8]}
    a = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    b = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    instance = server_factory.instance
    assert cli(pg_schema.url, instance, "users", "create", "koord", "--role", "coordinator").returncode == 0
    token = cli(pg_schema.url, instance, "users", "token", "koord").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    received: list = []
    arrived = threading.Event()
    client = connect(a.url, token, received, arrived)
    try:
        assert client.call("subscribe", {"channel": "global", "since": 0}, timeout=10)["ok"] is True
        response = requests.post(
            b.url + "/api/v1/incidents", json={"title": "Via prosess B"}, headers=headers, timeout=10
        )
        assert response.status_code == 201
        assert arrived.wait(15), "event from B never reached the client on A"
        assert received[-1]["type"] == "incident.created"
        assert received[-1]["data"]["title"] == "Via prosess B"
        incident_id = response.json()["id"]
        # Concurrent writers through both processes on one incident: the channel stays gap-free.
        log_url = f"/api/v1/incidents/{incident_id}/log"
        statuses: list[int] = []

        def write(base: str, n: int) -> None:
            session = requests.Session()
            for i in range(n):
                statuses.append(
                    session.post(
                        base + log_url, json={"text": f"{base[-5:]} {i}"}, headers=headers, timeout=30
                    ).status_code
                )

        threads = [threading.Thread(target=write, args=(srv.url, 25)) for srv in (a, b, a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [201] * 100
        events = requests.get(
            a.url + f"/api/v1/channels/incident:{incident_id}/events", headers=headers, timeout=10
        ).json()["events"]
        assert [e["seq"] for e in events] == list(range(1, 102))
        # Catch-up goes straight to the subscriber's socket in its own process, once, in order — in batches
        # when asked for (as live.js does) and one event at a time otherwise.
        channel = f"incident:{incident_id}"
        batches: list = []
        batched = socketio.Client(reconnection=False)
        batched.on("events", batches.append)
        batched.connect(b.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        single: list = []
        singly = connect(a.url, token, single)
        try:
            ack = batched.call("subscribe", {"channel": channel, "since": 0, "batch": True}, timeout=10)
            assert ack == {"ok": True, "last_seq": 101}
            assert singly.call("subscribe", {"channel": channel, "since": 90}, timeout=10)["last_seq"] == 101
            time.sleep(1)  # anything sent twice (locally and through Redis) would have arrived by now
            assert [e["seq"] for batch in batches for e in batch["events"]] == list(range(1, 102))
            assert [e["seq"] for e in single] == list(range(91, 102))
        finally:
            batched.disconnect()
            singly.disconnect()
    finally:
        client.disconnect()


def test_live_stream_from_both_processes_arrives_complete(server_factory, pg_schema):
    require_services()
    env = {"SOCKETIO_CHANNEL": "beredskap-test-" + uuid.uuid4().hex[:8]}
    a = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    b = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    instance = server_factory.instance
    cli(pg_schema.url, instance, "users", "create", "stab", "--role", "crisis_staff")
    token = cli(pg_schema.url, instance, "users", "token", "stab").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    incident_id = requests.post(
        a.url + "/api/v1/incidents", json={"title": "Strøm"}, headers=headers, timeout=10
    ).json()["id"]
    on_a: list = []
    on_b: list = []
    client_a = connect(a.url, token, on_a)
    client_b = connect(b.url, token, on_b)
    try:
        for client in (client_a, client_b):
            assert client.call("subscribe", {"channel": f"incident:{incident_id}", "since": 1}, timeout=10)["ok"]
        for i in range(20):
            target = a if i % 2 else b
            assert (
                requests.post(
                    target.url + f"/api/v1/incidents/{incident_id}/log",
                    json={"text": f"{i}"},
                    headers=headers,
                    timeout=10,
                ).status_code
                == 201
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (len(on_a) < 20 or len(on_b) < 20):
            time.sleep(0.05)
        assert [e["seq"] for e in on_a] == list(range(2, 22))
        assert [e["seq"] for e in on_b] == list(range(2, 22))
    finally:
        client_a.disconnect()
        client_b.disconnect()
