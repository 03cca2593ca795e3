"""Catch-up in batches (`subscribe` with `batch: true`) and the per-wave cache behind every catch-up."""

import pytest

from beredskap.extensions import db, socketio
from beredskap.realtime import catchup
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


def open_incident_with_lines(api, lines: int) -> int:
    response = api.post("/api/v1/incidents", json={"title": "Brann i Kvadraturen", "kind": "incident"})
    assert response.status_code == 201
    incident_id = response.json["id"]
    for i in range(lines):
        assert api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": f"linje {i} æøå"}).status_code == 201
    return incident_id


def received(sio, name: str) -> list:
    return [m["args"][0] for m in sio.get_received() if m["name"] == name]


def subscribe(app, token: str, payload: dict):
    sio = socketio.test_client(app, auth={"token": token})
    ack = sio.emit("subscribe", payload, callback=True)
    return sio, ack


def test_batch_catch_up_equals_the_events_one_by_one(app, users, api_for):
    incident_id = open_incident_with_lines(api_for("coordinator"), 6)
    channel = f"incident:{incident_id}"
    token = users["viewer"][3]
    single, single_ack = subscribe(app, token, {"channel": channel, "since": 2})
    one_by_one = received(single, "event")
    batched, batch_ack = subscribe(app, token, {"channel": channel, "since": 2, "batch": True})
    messages = batched.get_received()
    assert [m["name"] for m in messages] == ["events"]
    batch = messages[0]["args"][0]
    assert batch["channel"] == channel
    assert batch["events"] == one_by_one
    assert [e["seq"] for e in batch["events"]] == [3, 4, 5, 6, 7]
    assert batch["events"][-1]["data"]["text"] == "linje 5 æøå"
    assert batch_ack == single_ack == {"ok": True, "last_seq": 7}


def test_batch_subscriber_then_gets_live_events_singly(app, users, api_for):
    api = api_for("coordinator")
    incident_id = open_incident_with_lines(api, 1)
    sio, ack = subscribe(app, users["viewer"][3], {"channel": f"incident:{incident_id}", "since": 0, "batch": True})
    assert [e["seq"] for e in received(sio, "events")[0]["events"]] == [1, 2]
    api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "live"})
    assert [(e["seq"], e["data"]["text"]) for e in received(sio, "event")] == [(3, "live")]


def test_nothing_missed_sends_no_batch(app, users, api_for):
    incident_id = open_incident_with_lines(api_for("coordinator"), 2)
    sio, ack = subscribe(app, users["viewer"][3], {"channel": f"incident:{incident_id}", "since": 3, "batch": True})
    assert ack == {"ok": True, "last_seq": 3}
    assert sio.get_received() == []


def test_long_catch_up_comes_in_several_batches_in_order(app, users, api_for, monkeypatch):
    monkeypatch.setattr(catchup, "BATCH_SIZE", 3)
    incident_id = open_incident_with_lines(api_for("coordinator"), 7)
    sio, _ = subscribe(app, users["viewer"][3], {"channel": f"incident:{incident_id}", "since": 0, "batch": True})
    batches = received(sio, "events")
    assert [[e["seq"] for e in b["events"]] for b in batches] == [[1, 2, 3], [4, 5, 6], [7, 8]]


def test_batch_flag_must_be_a_boolean(app, users):
    sio, ack = subscribe(app, users["viewer"][3], {"channel": "global", "since": 0, "batch": "yes"})
    assert ack == {"ok": False, "error": "invalid_batch"}
    assert sio.get_received() == []


def test_batch_is_still_authorised(app, users, api_for):
    incident_id = open_incident_with_lines(api_for("coordinator"), 1)
    outsider = socketio.test_client(app, auth={"token": "not-a-token"})
    assert not outsider.is_connected()
    sio, ack = subscribe(app, users["viewer"][3], {"channel": "incident:9999", "since": 0, "batch": True})
    assert ack == {"ok": False, "error": "unknown_channel"}
    assert sio.get_received() == []
    assert incident_id != 9999


def test_cache_never_serves_a_stale_tail(app, users, api_for):
    """The same `since` after new events gets the new ones too: last_seq is part of what is kept."""
    api = api_for("coordinator")
    incident_id = open_incident_with_lines(api, 2)
    channel = f"incident:{incident_id}"
    token = users["viewer"][3]
    first, _ = subscribe(app, token, {"channel": channel, "since": 0, "batch": True})
    assert [e["seq"] for e in received(first, "events")[0]["events"]] == [1, 2, 3]
    api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "ny"})
    second, ack = subscribe(app, token, {"channel": channel, "since": 0, "batch": True})
    assert [e["seq"] for e in received(second, "events")[0]["events"]] == [1, 2, 3, 4]
    assert ack["last_seq"] == 4


@transactional
def _write(channel: str, n: int) -> None:
    append_event(channel, "test.write", {"n": n})
    db.session.commit()


def test_wave_reads_the_journal_once_and_forget_drops_it(app, monkeypatch):
    reads = []
    original = catchup._read

    def counting_read(channel, since, last):
        reads.append((channel, since, last))
        return original(channel, since, last)

    monkeypatch.setattr(catchup, "_read", counting_read)
    with app.app_context():
        for n in range(4):
            _write("test:wave", n)
        first = catchup.missed("test:wave", 1)
        again = catchup.missed("test:wave", 1)
        assert [e["seq"] for e in first.envelopes] == [2, 3, 4]
        assert again is first
        assert reads == [("test:wave", 1, 4)]  # the second came from what the first read
        catchup.forget("test:wave")
        assert catchup.missed("test:wave", 1) is not first
        assert len(reads) == 2


@pytest.mark.parametrize("since", [0, 2])
def test_far_behind_is_read_without_keeping_it(app, monkeypatch, since):
    monkeypatch.setattr(catchup, "MAX_CACHED_EVENTS", 1)
    with app.app_context():
        for n in range(4):
            _write("test:far", n)
        first = catchup.missed("test:far", since)
        assert [e["seq"] for e in first.envelopes] == list(range(since + 1, 5))
        assert catchup.missed("test:far", since) is not first
