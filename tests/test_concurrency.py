"""Reports render in a worker process under gevent, so sockets keep being served while a PDF is built."""

import http.client
import threading
import time
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from tests.conftest import make_user

pytestmark = pytest.mark.slow  # a real server process under load


def test_sitrep_pdf_renders_in_worker_and_server_keeps_answering(server_factory):
    server = server_factory()
    headers = make_user(server.database_url, server_factory.instance)
    incident = requests.post(
        server.url + "/api/v1/incidents",
        json={
            "title": "Storbrann Kvadraturen",
            "kind": "exercise",
            "location": {"type": "Point", "coordinates": [7.995, 58.146]},
        },
        headers=headers,
        timeout=10,
    ).json()["id"]
    session = requests.Session()
    for i in range(120):
        session.post(f"{server.url}/api/v1/incidents/{incident}/log", json={"text": f"Melding {i}"}, headers=headers)
    answered: list[int] = []
    stop = threading.Event()

    def ping() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while not stop.is_set():
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            answered.append(response.status)
            time.sleep(0.005)

    pinger = threading.Thread(target=ping)
    pinger.start()
    try:
        pdfs = [
            session.get(f"{server.url}/incidents/{incident}/sitrep.pdf", headers=headers, timeout=120) for _ in range(3)
        ]
    finally:
        stop.set()
        pinger.join()
    for response in pdfs:
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdfs[-1].content)).pages)
    assert "ØVELSE" in text and "Storbrann Kvadraturen" in text and "Melding 119" in text
    # The health check kept being answered while the PDFs were built (no timing asserted, only service).
    assert len(answered) >= 10 and set(answered) == {200}


def children_of(pid: int) -> set[int]:
    """Processes whose parent is pid (from /proc, Linux)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def test_pdf_worker_ends_when_its_server_is_killed(server_factory):
    server = server_factory()
    headers = make_user(server.database_url, server_factory.instance)
    incident = requests.post(
        server.url + "/api/v1/incidents", json={"title": "Brann"}, headers=headers, timeout=10
    ).json()["id"]
    before = children_of(server.proc.pid)
    response = requests.get(f"{server.url}/incidents/{incident}/sitrep.pdf", headers=headers, timeout=120)
    assert response.status_code == 200
    workers = children_of(server.proc.pid) - before
    assert workers, "the PDF was expected to be rendered in a worker process"
    server.kill()  # kill -9: the server runs no clean-up of its own
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
