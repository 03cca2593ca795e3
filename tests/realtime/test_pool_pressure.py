"""A reconnect wave of socket subscribes against a small database pool: no pool timeout, no 500 for writers."""

import threading
import time

import pytest
import requests
import socketio

from tests.conftest import cli

CLIENTS = 40
CHANNELS_PER_CLIENT = 3
WRITERS = 4
WRITES_EACH = 10


@pytest.mark.slow  # a server process and 40 socket clients
def test_subscribe_wave_leaves_pool_to_writers(server_factory, pg_schema):
    # Two connections, none in overflow, two seconds of waiting for one: a wave of 120 subscribes holding a
    # connection each (as they did while waiting for a catch-up read) times writers out with a 500.
    server = server_factory(pg_schema.url, env={"DB_POOL_SIZE": "2", "DB_MAX_OVERFLOW": "0", "DB_POOL_TIMEOUT": "2"})
    instance = server_factory.instance
    assert cli(pg_schema.url, instance, "users", "create", "koord", "--role", "coordinator").returncode == 0
    token = cli(pg_schema.url, instance, "users", "token", "koord").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    incidents = []
    for title in ("Flom", "Brann"):
        response = requests.post(server.url + "/api/v1/incidents", json={"title": title}, headers=headers, timeout=10)
        assert response.status_code == 201
        incidents.append(response.json()["id"])
    for i in range(20):
        response = requests.post(
            server.url + f"/api/v1/incidents/{incidents[i % 2]}/log",
            json={"text": f"før {i}"},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 201
    channels = ["global"] + [f"incident:{incident_id}" for incident_id in incidents]

    clients = []
    try:
        for _ in range(CLIENTS):
            client = socketio.Client(reconnection=False)
            client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
            clients.append(client)
        acks: list = []
        statuses: list = []
        start = threading.Barrier(CLIENTS * CHANNELS_PER_CLIENT + WRITERS)

        def subscribe(client: socketio.Client, channel: str) -> None:
            start.wait()
            try:
                acks.append(client.call("subscribe", {"channel": channel, "since": 0, "batch": True}, timeout=30))
            except socketio.exceptions.TimeoutError:
                acks.append("no answer")

        def write(index: int) -> None:
            session = requests.Session()
            start.wait()
            for i in range(WRITES_EACH):
                response = session.post(
                    server.url + f"/api/v1/incidents/{incidents[index % 2]}/log",
                    json={"text": f"under bølgen {index}.{i}"},
                    headers=headers,
                    timeout=30,
                )
                statuses.append(response.status_code)
                time.sleep(0.05)

        threads = [
            threading.Thread(target=subscribe, args=(client, channel)) for client in clients for channel in channels
        ]
        threads += [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)

        assert statuses == [201] * (WRITERS * WRITES_EACH)
        assert len(acks) == CLIENTS * CHANNELS_PER_CLIENT
        refused = [ack for ack in acks if not (isinstance(ack, dict) and ack.get("ok"))]
        assert refused == []
        log = server.log_text()
        assert "QueuePool limit" not in log
        assert "TimeoutError" not in log
    finally:
        for client in clients:
            client.disconnect()
