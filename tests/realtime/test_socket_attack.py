"""Issue 13 on a real server process: socket origin, revoked users' sockets, frames under back-pressure, limits."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests
import socketio
import websocket

from tests.conftest import PG_URL, REDIS_URL, REPO, cli, cli_user

pytestmark = pytest.mark.slow  # real server processes


def ws_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"


def user_with_password(server, role: str = "coordinator") -> tuple[str, str]:
    name = f"u{uuid.uuid4().hex[:6]}"
    password = "et-langt-passord-" + uuid.uuid4().hex[:8]
    cli_user(server.database_url, server.instance, name, role, password)
    return name, password


def token_for(server, name: str) -> str:
    return cli(server.database_url, server.instance, "users", "token", name).stdout.strip().splitlines()[-1]


def logged_in(server, name: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(server.url + "/login", timeout=10).text
    csrf = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    answer = session.post(
        server.url + "/login", data={"username": name, "password": password, "csrf_token": csrf}, timeout=10
    )
    assert answer.status_code == 200 and answer.url.rstrip("/") == server.url, answer.status_code
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def test_cross_origin_socket_handshake_with_a_valid_cookie_is_refused(server_factory):
    server = server_factory()
    session = logged_in(server, *user_with_password(server))
    cookie = cookie_header(session)
    # The probe's attack: a page on another site opens the socket; the browser adds the user's cookie.
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(ws_url(server), origin="https://evil.example", cookie=cookie, timeout=10)
    assert refused.value.status_code == 400
    # The app's own origin (the request host, here also PUBLIC_BASE_URL) connects and is authenticated.
    own = websocket.create_connection(ws_url(server), origin=server.url, cookie=cookie, timeout=10)
    try:
        assert own.recv().startswith("0{")
        own.send("40")
        assert own.recv().startswith('40{"sid"')
    finally:
        own.close()


def require_services():
    if not (PG_URL and REDIS_URL):
        pytest.skip("TEST_DATABASE_URL og REDIS_URL må være satt (det gjør .ci/run): test med to prosesser")


def test_socket_of_a_revoked_user_gets_no_further_event_across_processes(server_factory, pg_schema):
    require_services()
    env = {"SOCKETIO_CHANNEL": "beredskap-test-" + uuid.uuid4().hex[:8]}
    a = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    b = server_factory(pg_schema.url, redis_url=REDIS_URL, env=env)
    victim, _ = user_with_password(a, "coordinator")
    writer, _ = user_with_password(a, "coordinator")
    victim_token, writer_token = token_for(a, victim), token_for(a, writer)
    received: list = []
    gone = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("event", lambda envelope: received.append(envelope))
    client.on("disconnect", lambda *args: gone.set())
    client.connect(a.url, auth={"token": victim_token}, transports=["websocket"], wait_timeout=10)
    headers = {"Authorization": f"Bearer {writer_token}"}
    try:
        assert client.call("subscribe", {"channel": "global", "since": 0}, timeout=10)["ok"] is True
        first = requests.post(b.url + "/api/v1/incidents", json={"title": "Før"}, headers=headers, timeout=10)
        assert first.status_code == 201
        deadline = time.monotonic() + 15
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [e["data"]["title"] for e in received] == ["Før"]
        # The operator revokes the victim's tokens with the CLI (a third process, through the message queue).
        revoked = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "users", "revoke", victim],
            cwd=REPO,
            env={
                **os.environ,
                **env,
                "DATABASE_URL": pg_schema.url,
                "REDIS_URL": REDIS_URL,
                "BEREDSKAP_INSTANCE_PATH": str(a.instance),
                "SECRET_KEY": "x" * 32,
            },
            text=True,
            capture_output=True,
        )
        assert revoked.returncode == 0, revoked.stderr
        assert gone.wait(15), "the revoked user's socket on A stayed connected"
        after = requests.post(b.url + "/api/v1/incidents", json={"title": "Etter"}, headers=headers, timeout=10)
        assert after.status_code == 201
        # The writer's own socket sees the event arrive, so the victim would have had it by now.
        witness = socketio.Client(reconnection=False)
        witness.connect(a.url, auth={"token": writer_token}, transports=["websocket"], wait_timeout=10)
        assert witness.call("subscribe", {"channel": "global", "since": 1}, timeout=10)["last_seq"] >= 2
        witness.disconnect()
        assert [e["data"]["title"] for e in received] == ["Før"]
        # And the revoked token cannot connect again.
        with pytest.raises(socketio.exceptions.ConnectionError):
            socketio.Client(reconnection=False).connect(
                a.url, auth={"token": victim_token}, transports=["websocket"], wait_timeout=10
            )
    finally:
        client.disconnect()


def _seed_events(server, count: int) -> None:
    script = (
        "from wsgi import app\n"
        "from beredskap.extensions import db\n"
        "from beredskap.realtime.journal import append_events\n"
        "with app.app_context():\n"
        f"    append_events([('global', 'test.filler', {{'n': i, 'text': 'æøå ' * 60}}) for i in range({count})])\n"
        "    db.session.commit()\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": server.database_url,
        "BEREDSKAP_INSTANCE_PATH": str(server.instance),
        "SECRET_KEY": "x" * 32,
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, check=True, capture_output=True)


class SlowReader:
    """A raw Engine.IO websocket client with a tiny receive buffer that reads late: back-pressure on the server."""

    def __init__(self, server, token: str) -> None:
        self.ws = websocket.create_connection(
            ws_url(server), timeout=60, sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),)
        )
        assert self.ws.recv().startswith("0{")
        self.ws.send("40" + json.dumps({"token": token}))
        assert self.ws.recv().startswith('40{"sid"')

    def subscribe(self) -> None:
        self.ws.send('420["subscribe",{"channel":"global","since":0,"batch":true}]')

    def read_catch_up(self) -> tuple[list[int], dict]:
        seqs: list[int] = []
        while True:
            message = self.ws.recv()
            if message == "2":
                self.ws.send("3")
                continue
            if message.startswith("430"):
                return seqs, json.loads(message[3:])[0]
            assert message.startswith('42["events",'), message[:80]
            # Every frame must be whole JSON: a dropped partial send shows up here as a parse error.
            event, batch = json.loads(message[2:])
            seqs.extend(e["seq"] for e in batch["events"])


@pytest.mark.slow
def test_batch_catch_up_of_2500_events_to_10_slow_subscribers_arrives_byte_exact(server_factory):
    server = server_factory()
    _seed_events(server, 2500)
    name, _ = user_with_password(server)
    token = token_for(server, name)
    readers = [SlowReader(server, token) for _ in range(10)]
    for reader in readers:
        reader.subscribe()
    # Nobody reads for a while: the server's sends meet full socket buffers.
    time.sleep(2)
    results: list = [None] * len(readers)

    def read(i: int) -> None:
        try:
            results[i] = readers[i].read_catch_up()
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            results[i] = err

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(readers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for reader in readers:
        reader.ws.close()
    for result in results:
        assert not isinstance(result, Exception), repr(result)
        seqs, ack = result
        assert ack == {"ok": True, "last_seq": 2500}
        assert seqs == list(range(1, 2501))


def test_subscribes_per_socket_are_limited(server_factory):
    server = server_factory()
    name, _ = user_with_password(server)
    client = socketio.Client(reconnection=False)
    client.connect(server.url, auth={"token": token_for(server, name)}, transports=["websocket"], wait_timeout=10)
    try:
        answers = [client.call("subscribe", {"channel": "global", "since": 0}, timeout=10) for _ in range(70)]
    finally:
        client.disconnect()
    assert all(a["ok"] for a in answers[:60])
    assert answers[-1] == {"ok": False, "error": "rate_limited"}


def test_a_30_mb_body_is_refused_before_it_is_read_and_healthz_answers_meanwhile(server_factory):
    server = server_factory()
    name, _ = user_with_password(server, "coordinator")
    token = token_for(server, name)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    try:
        # Announce 30 MB and send only the start: the answer must come without the server waiting for the rest.
        raw.sendall(
            b"POST /api/v1/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\nContent-Length: {30 * 1024 * 1024}\r\n\r\n".encode()
            + b'{"title": "'
            + b"x" * 65536
        )
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        answer = raw.recv(65536)
    finally:
        raw.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert b'"too_large"' in answer
    assert requests.get(server.url + "/healthz", timeout=10).json()["status"] == "ok"
