"""One frame per broadcast, end to end: hundreds of real websocket clients on `python wsgi.py` (gevent, frame cache
on) get every event of a burst exactly once and in order — also the clients that stop reading while the burst
fills their socket buffers (partial sends), and while other clients close their sockets in the middle of it."""

import json
import socket
import threading
import time

import pytest
import requests
import websocket

from tests.conftest import cli

pytestmark = pytest.mark.slow  # a server process and 240 websocket clients

CLIENTS = 240
EVENTS = 60
SLOW_EVERY = 10  # every 10th client stops reading during the burst, with a small receive buffer
QUITTER_EVERY = 25  # every 25th client closes its socket in the middle of the burst
TEXT = "Vannstanden i Otra ved Mosby stiger; brannvesenet legger ut lenser ved Krossen. " * 20  # ≈1.6 kB


class Client(threading.Thread):
    """A Socket.IO client spoken by hand over websocket-client: connect with a token, subscribe, record seqs."""

    def __init__(self, index: int, url: str, token: str, channel: str, burst: threading.Event) -> None:
        super().__init__(daemon=True)
        self.index = index
        self.slow = index % SLOW_EVERY == 0
        self.quitter = index % QUITTER_EVERY == 1
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.token = token
        self.channel = channel
        self.burst = burst
        self.seqs: list[int] = []
        self.subscribed = threading.Event()
        self.error: str | None = None

    def run(self) -> None:
        try:
            self._run()
        except Exception as err:  # noqa: BLE001 - reported by the test
            self.error = repr(err)
            self.subscribed.set()

    def _run(self) -> None:
        options = [(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)] if self.slow else []
        ws = websocket.create_connection(self.url, timeout=60, sockopt=options, skip_utf8_validation=True)
        self.ws = ws
        assert ws.recv().startswith("0")  # Engine.IO open
        ws.send("40" + json.dumps({"token": self.token}))
        self._until(lambda m: m.startswith("40"))
        ws.send("420" + json.dumps(["subscribe", {"channel": self.channel}]))
        ack = self._until(lambda m: m.startswith("430"))
        reply = json.loads(ack[3:])[0]
        assert reply["ok"] is True, ack
        # Catch-up of what was there before (the incident's own event) comes before the ack; count from here.
        self.first = reply["last_seq"] + 1
        self.seqs = []
        self.subscribed.set()
        if self.slow:
            # Read nothing while the burst is written: the server's sends to this socket fill both buffers.
            self.burst.wait(120)
            time.sleep(3)
        while len(self.seqs) < EVENTS:
            if self.quitter and len(self.seqs) == EVENTS // 3:
                ws.close()
                return
            self._until(lambda m: False, record=True)

    def _until(self, done, record: bool = False) -> str:
        while True:
            message = self.ws.recv()
            if message == "2":
                self.ws.send("3")
                continue
            if message.startswith('42["event"'):
                self.seqs.append(json.loads(message[2:])[1]["seq"])
                if record:
                    return message
                continue
            if done(message):
                return message


def test_burst_reaches_every_socket_once_in_order(server_factory):
    server = server_factory()
    instance = server_factory.instance
    database = server.database_url
    assert cli(database, instance, "users", "create", "koord", "--role", "coordinator").returncode == 0
    token = cli(database, instance, "users", "token", "koord").stdout.strip().splitlines()[-1]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    incident = api.post(server.url + "/api/v1/incidents", json={"title": "Flom i Otra"}, timeout=30).json()["id"]
    channel = f"incident:{incident}"

    burst = threading.Event()
    clients = [Client(i, server.url, token, channel, burst) for i in range(CLIENTS)]
    for i in range(0, CLIENTS, 20):  # a few at a time, as browsers arrive
        for client in clients[i : i + 20]:
            client.start()
        for client in clients[i : i + 20]:
            assert client.subscribed.wait(60)
    assert [c.error for c in clients if c.error] == []

    def write(lines: range) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for i in lines:
            response = session.post(
                server.url + f"/api/v1/incidents/{incident}/log", json={"text": f"{i}: {TEXT}"}, timeout=60
            )
            assert response.status_code == 201, response.text

    writers = [threading.Thread(target=write, args=(range(w, EVENTS, 3),)) for w in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    burst.set()
    for client in clients:
        client.join(120)

    assert [c.index for c in clients if c.is_alive()] == []
    assert [(c.index, c.error) for c in clients if c.error] == []
    for client in clients:
        expected = list(range(client.first, client.first + EVENTS))
        want = expected[: EVENTS // 3] if client.quitter else expected
        assert client.seqs == want, f"client {client.index} (slow={client.slow}) got {client.seqs}"
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log
