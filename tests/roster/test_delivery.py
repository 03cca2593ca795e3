"""Delivery backends against real servers started by the tests: SMTP (aiosmtpd) and an HTTP SMS gateway."""

import email
import json
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from beredskap.clock import utcnow
from beredskap.extensions import db, socketio
from beredskap.roster.models import AlertRecipient, Delivery
from tests.conftest import REPO, free_port
from tests.roster.helpers import ack_path, run_jobs


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def start_smtp(port: int, directory: Path) -> subprocess.Popen:
    """`python -m aiosmtpd` as its own process: a real SMTP socket server writing mail to `directory`."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "tests.roster.smtp_sink.Sink",
            str(directory),
            "-l",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_port(port, proc)
    return proc


def start_sms_gateway(port: int, directory: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests/roster/sms_sink.py"), str(port), str(directory)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_port(port, proc)
    return proc


@pytest.fixture
def servers():
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        stop(proc)


def read_mail(directory: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(directory.glob("*.eml"))]


def read_sms(directory: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def recipients(app, alert_id: int) -> list[AlertRecipient]:
    with app.app_context():
        rows = db.session.scalars(
            select(AlertRecipient).where(AlertRecipient.alert_id == alert_id).order_by(AlertRecipient.id)
        ).all()
        db.session.expunge_all()
        return rows


def deliveries(app, alert_id: int) -> list[Delivery]:
    with app.app_context():
        rows = db.session.scalars(
            select(Delivery).join(AlertRecipient).where(AlertRecipient.alert_id == alert_id).order_by(Delivery.id)
        ).all()
        db.session.expunge_all()
        return rows


def exercise_incident(api) -> int:
    return api.post("/api/v1/incidents", json={"title": "Øvelse Vigeland", "kind": "exercise"}).json["id"]


@pytest.mark.slow  # an SMTP server process
def test_email_reaches_a_real_smtp_server(roster_app, api_for, tmp_path, servers):
    port = free_port()
    mail_dir = tmp_path / "mail"
    servers.append(start_smtp(port, mail_dir))
    roster_app.config.update(
        ALERT_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="beredskap@kristiansand.example"
    )
    api = api_for("coordinator")
    groups = api.get("/api/v1/roster").json["groups"]
    members = {m["person_id"] for g in groups if g["key"] == "eps_ledelse" for m in g["members"]}
    alert = api.post(
        "/api/v1/alerts",
        json={"group": "eps_ledelse", "message": "EPS åpnes på Gimlehallen.", "incident_id": exercise_incident(api)},
    ).json
    run_jobs(roster_app)
    mails = read_mail(mail_dir)
    assert len(mails) == len(alert["recipients"]) == len(members)
    people = {p["id"]: p for p in api.get("/api/v1/roster/people").json["people"]}
    expected_to = {people[r["person_id"]]["email"] for r in alert["recipients"]}
    assert {m["To"] for m in mails} == expected_to
    assert {m["X-Envelope-To"] for m in mails} == expected_to
    for mail in mails:
        assert mail["From"] == "beredskap@kristiansand.example"
        assert mail["Subject"] == "ØVELSE – Varsling: EPS-ledelse"
        body = mail.get_content()
        assert body.startswith("ØVELSE – EPS åpnes på Gimlehallen.")
        assert "http://beredskap.test/ack/" in body
    # The link in a delivered e-mail works, and answers.
    link = next(line for line in read_mail(mail_dir)[0].get_content().splitlines() if "/ack/" in line).strip()
    assert roster_app.test_client().post(ack_path(link), data={"answer": "yes"}).status_code == 200
    assert "acknowledged" in {r.status for r in recipients(roster_app, alert["id"])}
    # Once sent over the network, the clear link no longer sits in the queue.
    rows = deliveries(roster_app, alert["id"])
    assert {(d.state, d.backend, d.channel, d.body, d.ack_url) for d in rows} == {("sent", "smtp", "email", "", "")}


@pytest.mark.slow  # an SMS gateway process
def test_sms_posts_the_template_to_a_real_http_gateway(roster_app, api_for, tmp_path, servers):
    port = free_port()
    sms_dir = tmp_path / "sms"
    servers.append(start_sms_gateway(port, sms_dir))
    roster_app.config.update(
        ALERT_BACKEND="sms",
        SMS_GATEWAY_URL=f"http://127.0.0.1:{port}/send?key=demo",
        SMS_BODY_TEMPLATE='{"recipient": "{to}", "message": "{text}", "sender": "Beredskap"}',
    )
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": 'Møt i "kriserommet" nå.'}).json
    run_jobs(roster_app)
    posts = read_sms(sms_dir)
    assert len(posts) == len(alert["recipients"]) == 2
    people = {p["id"]: p for p in api.get("/api/v1/roster/people").json["people"]}
    phones = {people[r["person_id"]]["phone"] for r in alert["recipients"]}
    for post in posts:
        assert post["path"] == "/send?key=demo"
        assert post["content_type"].startswith("application/json")
        payload = json.loads(post["body"])
        assert payload["sender"] == "Beredskap"
        assert payload["message"].startswith(
            'Møt i "kriserommet" nå.\nSvar kommer/kan ikke: http://beredskap.test/ack/'
        )
    assert {json.loads(p["body"])["recipient"] for p in posts} == phones
    assert {r.status for r in recipients(roster_app, alert["id"])} == {"sent"}


@pytest.mark.slow  # SMTP and SMS gateway processes
@pytest.mark.parametrize("backend", ["sms", "smtp"])
def test_a_failing_backend_marks_the_recipient_failed_and_a_later_retry_succeeds(
    roster_app, api_for, tmp_path, servers, backend
):
    port = free_port()  # nothing listens here yet: connections are refused
    roster_app.config.update(
        ALERT_BACKEND=backend, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMS_GATEWAY_URL=f"http://127.0.0.1:{port}/sms"
    )
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Pressemøte."}).json
    started = utcnow()
    run_jobs(roster_app, started)
    view = api.get(f"/api/v1/alerts/{alert['id']}").json
    assert {r["status"] for r in view["recipients"]} == {"failed"}
    for recipient in view["recipients"]:
        (delivery,) = recipient["deliveries"]
        assert delivery["state"] == "failed" and delivery["attempts"] == 1
        assert delivery["last_error"] and delivery["next_attempt_at"] > started.isoformat()
    # Before the back-off has passed nothing is tried again.
    run_jobs(roster_app, started + timedelta(seconds=1))
    assert {d.attempts for d in deliveries(roster_app, alert["id"])} == {1}

    directory = tmp_path / backend
    servers.append(start_sms_gateway(port, directory) if backend == "sms" else start_smtp(port, directory))
    run_jobs(roster_app, started + timedelta(minutes=5))
    received = read_sms(directory) if backend == "sms" else read_mail(directory)
    assert len(received) == 2
    view = api.get(f"/api/v1/alerts/{alert['id']}").json
    assert {r["status"] for r in view["recipients"]} == {"sent"}
    assert {(d["state"], d["attempts"]) for r in view["recipients"] for d in r["deliveries"]} == {("sent", 2)}


def test_recipient_without_contact_details_is_failed_not_skipped(roster_app, api_for):
    api = api_for("coordinator")
    person = api.post("/api/v1/roster/people", json={"name": "Uten Kontakt"}).json
    position = api.post("/api/v1/roster/positions", json={"team": "krisestab", "title": "Ressurs"}).json
    api.patch(f"/api/v1/roster/positions/{position['id']}", json={"holder_id": person["id"], "version": 1})
    alert = api.post("/api/v1/alerts", json={"positions": [position["id"]], "message": "Møt."}).json
    assert [r["status"] for r in alert["recipients"]] == ["failed"]
    assert alert["recipients"][0]["delivery"] == "none"


def test_alert_is_sent_by_the_background_kick_without_a_scheduler_tick(roster_app, api_for):
    roster_app.config["ALERT_DELIVERY_KICK"] = True
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Kick."}).json
    messages = []
    for _ in range(200):
        socketio.sleep(0.05)  # yield to the background task; the server does this all the time
        messages = [m for m in api.get("/api/v1/outbox").json["messages"] if m["alert_id"] == alert["id"]]
        if len(messages) == 2:
            break
    assert len(messages) == 2
