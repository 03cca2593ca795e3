"""The live spine: gap-free seq under concurrency, catch-up after absence, authorised sockets."""

import threading

import pytest
from sqlalchemy import select

from beredskap.extensions import db, socketio
from beredskap.realtime.journal import append_event, ensure_channel
from beredskap.realtime.models import Event
from beredskap.transaction import transactional
from tests.conftest import run_concurrently

WRITERS = 8
PER_WRITER = 200


@transactional
def _write_one(channel: str, writer: int, n: int) -> None:
    append_event(channel, "test.write", {"writer": writer, "n": n})
    db.session.commit()


@pytest.mark.slow  # concurrent writers, over 2 s of CPU on PostgreSQL
def test_concurrent_writers_get_gap_free_seq(any_app):
    """R1: 8 writers × 200 events on one channel → seq 1..1600, no gap, no repeat, each writer in order."""
    with any_app.app_context():
        ensure_channel("incident:77")
        db.session.commit()
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(index: int) -> None:
        try:
            with any_app.app_context():
                start.wait()
                for n in range(PER_WRITER):
                    _write_one("incident:77", index, n)
                db.session.remove()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    run_concurrently(writer, WRITERS)
    assert errors == []
    with any_app.app_context():
        events = db.session.scalars(select(Event).where(Event.channel == "incident:77").order_by(Event.seq)).all()
    assert [e.seq for e in events] == list(range(1, WRITERS * PER_WRITER + 1))
    for index in range(WRITERS):
        mine = [e.data["n"] for e in events if e.data["writer"] == index]
        assert mine == list(range(PER_WRITER))


def open_incident(api) -> int:
    response = api.post("/api/v1/incidents", json={"title": "Flom i Otra", "kind": "incident"})
    assert response.status_code == 201
    return response.json["id"]


def test_socket_without_valid_token_or_session_is_refused(app):
    anonymous = socketio.test_client(app)
    assert not anonymous.is_connected()
    forged = socketio.test_client(app, auth={"token": "brd_forged"})
    assert not forged.is_connected()


def test_socket_with_session_cookie_connects(app, users):
    from tests.conftest import login

    client = app.test_client()
    login(client, users["viewer"][1], users["viewer"][2])
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.is_connected()
    ack = sio.emit("subscribe", {"channel": "global", "since": 0}, callback=True)
    assert ack["ok"] is True


def test_subscribe_catches_up_then_receives_live(app, users, api_for):
    api = api_for("coordinator")
    incident_id = open_incident(api)
    for i in range(3):
        assert api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": f"linje {i}"}).status_code == 201
    sio = socketio.test_client(app, auth={"token": users["viewer"][3]})
    ack = sio.emit("subscribe", {"channel": f"incident:{incident_id}", "since": 0}, callback=True)
    assert ack == {"ok": True, "last_seq": 4}
    received = [m["args"][0] for m in sio.get_received() if m["name"] == "event"]
    assert [e["seq"] for e in received] == [1, 2, 3, 4]
    assert set(received[0]) == {"channel", "seq", "type", "at", "data"}
    api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "live"})
    live = [m["args"][0] for m in sio.get_received() if m["name"] == "event"]
    assert [(e["seq"], e["type"], e["data"]["text"]) for e in live] == [(5, "log.created", "live")]


def test_client_away_receives_exactly_the_100_it_missed(app, users, api_for):
    """R2: a client that was away while 100 events happened receives exactly those, in order."""
    api = api_for("coordinator")
    incident_id = open_incident(api)
    channel = f"incident:{incident_id}"
    sio = socketio.test_client(app, auth={"token": users["crisis_staff"][3]})
    ack = sio.emit("subscribe", {"channel": channel, "since": 0}, callback=True)
    seen = [m["args"][0]["seq"] for m in sio.get_received() if m["name"] == "event"]
    last = seen[-1]
    assert last == ack["last_seq"]
    sio.disconnect()
    for i in range(100):
        api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": f"mens du var borte {i}"})
    back = socketio.test_client(app, auth={"token": users["crisis_staff"][3]})
    ack = back.emit("subscribe", {"channel": channel, "since": last}, callback=True)
    caught_up = [m["args"][0] for m in back.get_received() if m["name"] == "event"]
    assert [e["seq"] for e in caught_up] == list(range(last + 1, last + 101))
    assert [e["data"]["text"] for e in caught_up] == [f"mens du var borte {i}" for i in range(100)]
    assert ack["last_seq"] == last + 100


def test_subscribe_is_authorised_every_time(app, users, api_for):
    from beredskap.auth.models import User
    from beredskap.auth.services import set_user_active

    sio = socketio.test_client(app, auth={"token": users["viewer"][3]})
    assert sio.emit("subscribe", {"channel": "global"}, callback=True)["ok"] is True
    assert sio.emit("subscribe", {"channel": "incident:999"}, callback=True) == {
        "ok": False,
        "error": "unknown_channel",
    }
    assert sio.emit("subscribe", {"channel": "nonsense"}, callback=True)["error"] == "unknown_channel"
    assert sio.emit("subscribe", {"channel": "global", "since": -1}, callback=True)["ok"] is False
    with app.app_context():
        set_user_active(users["viewer"][0], False, db.session.get(User, users["admin"][0]))
    # Deactivation ends the user's live sockets at once (issue 13), so nothing more reaches this one.
    assert not sio.is_connected()


def test_events_api_returns_envelopes_since(app, api_for):
    api = api_for("coordinator")
    incident_id = open_incident(api)
    for i in range(5):
        api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": f"l{i}"})
    response = api_for("viewer").get(f"/api/v1/channels/incident:{incident_id}/events?since=3")
    assert response.status_code == 200
    assert response.json["last_seq"] == 6
    assert [e["seq"] for e in response.json["events"]] == [4, 5, 6]
    assert api.get("/api/v1/channels/incident:999/events").status_code == 404
    assert api.get(f"/api/v1/channels/incident:{incident_id}/events?since=-2").status_code == 400
    assert api_for("viewer").client.get("/api/v1/channels/global/events").status_code == 401


def test_rolled_back_change_publishes_nothing(app, users):
    sio = socketio.test_client(app, auth={"token": users["viewer"][3]})
    sio.emit("subscribe", {"channel": "global", "since": 0}, callback=True)
    sio.get_received()
    with app.app_context():
        append_event("global", "test.rolledback", {"x": 1})
        db.session.rollback()
        append_event("global", "test.committed", {"x": 2})
        db.session.commit()
    types = [m["args"][0]["type"] for m in sio.get_received() if m["name"] == "event"]
    assert types == ["test.committed"]
