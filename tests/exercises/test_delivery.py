"""Injects are delivered exactly once, in `no` order, at `at / speed` — with pauses, restarts, skips and early sends."""

import os
from datetime import timedelta

import pytest

from beredskap import create_app
from beredskap.exercises import delivery, runner
from beredskap.exercises.models import Exercise
from beredskap.extensions import db
from tests.conftest import base_config
from tests.exercises.conftest import channel_events, delivered_nos


def create_and_start(api, scenario, speed=2):
    exercise_id = api("exercise_planner").post("/api/v1/exercises", json=scenario).json["id"]
    response = api("exercise_planner").post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": speed})
    assert response.status_code == 201, response.json
    return exercise_id, response.json["incident_id"]


def clock_origin(app, exercise_id):
    with app.app_context():
        return db.session.get(Exercise, exercise_id).clock_origin


def deliver(app, at):
    with app.app_context():
        return delivery.deliver_due_injects(at)


def test_three_injects_at_speed_two_arrive_once_each_in_order(any_app, any_api, scenario):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=2)
    origin = clock_origin(any_app, exercise_id)

    # Offsets 10, 20 and 30 s of exercise time are 5, 10 and 15 s of wall time at speed 2.
    assert deliver(any_app, origin + timedelta(seconds=4.9)) == 0
    assert deliver(any_app, origin + timedelta(seconds=5)) == 1
    assert deliver(any_app, origin + timedelta(seconds=5)) == 0
    assert delivered_nos(any_app, incident_id) == [1]
    assert deliver(any_app, origin + timedelta(seconds=16)) == 2
    assert deliver(any_app, origin + timedelta(seconds=60)) == 0

    assert delivered_nos(any_app, incident_id) == [1, 2, 3]
    events = channel_events(any_app, incident_id, "inject.delivered")
    assert events[0].data == {
        **events[0].data,
        "exercise_id": exercise_id,
        "no": 1,
        "at": "00:00:10",
        "from": "NVE",
        "to": "kriseledelse",
        "channel": "telefon",
        "text": "ØVELSE innspill 1",
        "objective": "M1",
    }
    # Clients catching up through the API see the same: each inject once, in order.
    body = any_api("crisis_staff").get(f"/api/v1/channels/incident:{incident_id}/events").json
    assert [e["data"]["no"] for e in body["events"] if e["type"] == "inject.delivered"] == [1, 2, 3]
    states = any_api("exercise_planner").get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    assert [i["state"] for i in states] == ["delivered"] * 3


def test_pause_holds_injects_and_resume_continues_the_clock(any_app, any_api, scenario):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=2)
    origin = clock_origin(any_app, exercise_id)
    assert deliver(any_app, origin + timedelta(seconds=5)) == 1

    with any_app.app_context():
        runner.pause_exercise(exercise_id, now=origin + timedelta(seconds=6))
    assert deliver(any_app, origin + timedelta(seconds=500)) == 0
    assert delivered_nos(any_app, incident_id) == [1]

    with any_app.app_context():
        runner.resume_exercise(exercise_id, now=origin + timedelta(seconds=100))
    # 6 s ran before the pause; inject 2 (20 s at speed 2 = 10 s of wall time) is due 4 s after resuming.
    assert deliver(any_app, origin + timedelta(seconds=103.9)) == 0
    assert deliver(any_app, origin + timedelta(seconds=104)) == 1
    assert delivered_nos(any_app, incident_id) == [1, 2]
    types = [e.type for e in channel_events(any_app, incident_id) if e.type.startswith(("exercise.", "inject."))]
    assert types == ["exercise.started", "inject.delivered", "exercise.paused", "exercise.resumed", "inject.delivered"]


def test_pause_and_resume_through_the_api(any_api, scenario):
    exercise_id, _ = create_and_start(any_api, scenario(), speed=2)
    control = any_api("exercise_planner")

    assert control.post(f"/api/v1/exercises/{exercise_id}/pause").json["status"] == "paused"
    assert control.post(f"/api/v1/exercises/{exercise_id}/pause").status_code == 409
    assert control.get(f"/api/v1/exercises/{exercise_id}/control").json["next"]["seconds_until_due"] is None
    assert control.post(f"/api/v1/exercises/{exercise_id}/resume").json["status"] == "running"
    assert any_api("crisis_staff").post(f"/api/v1/exercises/{exercise_id}/pause").status_code == 403


def test_restart_in_the_middle_neither_loses_nor_repeats_an_inject(any_app, any_api, scenario, tmp_path):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=2)
    origin = clock_origin(any_app, exercise_id)
    assert deliver(any_app, origin + timedelta(seconds=5)) == 1

    # A new process on the same database: a fresh app, engine and session; nothing carried over in memory.
    os.environ["BEREDSKAP_INSTANCE_PATH"] = str(tmp_path / "second")
    url = any_app.config["SQLALCHEMY_DATABASE_URI"]
    with any_app.app_context():
        db.engine.dispose()
    restarted = create_app(base_config(tmp_path, url))
    try:
        assert deliver(restarted, origin + timedelta(seconds=5)) == 0
        assert deliver(restarted, origin + timedelta(seconds=12)) == 1
        assert deliver(restarted, origin + timedelta(seconds=20)) == 1
        assert delivered_nos(restarted, incident_id) == [1, 2, 3]
    finally:
        with restarted.app_context():
            db.session.remove()
            db.engine.dispose()
    assert delivered_nos(any_app, incident_id) == [1, 2, 3]


def test_skipped_inject_is_never_delivered_and_does_not_hold_the_next(any_app, any_api, scenario):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=2)
    origin = clock_origin(any_app, exercise_id)
    injects = any_api("exercise_planner").get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    control = any_api("exercise_planner")

    assert control.post(f"/api/v1/injects/{injects[1]['id']}/skip").json["state"] == "skipped"
    assert control.post(f"/api/v1/injects/{injects[1]['id']}/skip").status_code == 409
    assert deliver(any_app, origin + timedelta(seconds=60)) == 2

    assert delivered_nos(any_app, incident_id) == [1, 3]
    skipped = channel_events(any_app, incident_id, "inject.skipped")
    assert [e.data["no"] for e in skipped] == [2]


def test_send_early_keeps_the_order_and_delivers_once(any_app, any_api, scenario):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=2)
    origin = clock_origin(any_app, exercise_id)
    injects = any_api("exercise_planner").get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    control = any_api("exercise_planner")

    out_of_order = control.post(f"/api/v1/injects/{injects[2]['id']}/send")
    assert out_of_order.status_code == 409
    assert "nr. 1" in out_of_order.json["error"]["message"]
    sent = control.post(f"/api/v1/injects/{injects[0]['id']}/send")
    assert sent.status_code == 200 and sent.json["delivered_early"] is True
    assert control.post(f"/api/v1/injects/{injects[0]['id']}/send").status_code == 409
    assert deliver(any_app, origin + timedelta(seconds=5)) == 0
    assert deliver(any_app, origin + timedelta(seconds=60)) == 2

    assert delivered_nos(any_app, incident_id) == [1, 2, 3]
    assert channel_events(any_app, incident_id, "inject.delivered")[0].data["early"] is True


def test_speed_change_keeps_the_clock_where_it_stands(any_app, any_api, scenario):
    exercise_id, incident_id = create_and_start(any_api, scenario(), speed=1)
    origin = clock_origin(any_app, exercise_id)
    with any_app.app_context():
        # 8 s of exercise time have passed at speed 1; from here on 10× faster.
        runner.set_speed(exercise_id, 10, now=origin + timedelta(seconds=8))
    assert deliver(any_app, origin + timedelta(seconds=8.1)) == 0
    assert deliver(any_app, origin + timedelta(seconds=8.2)) == 1  # 8 + 0.2 × 10 = 10 s
    assert deliver(any_app, origin + timedelta(seconds=10.2)) == 2  # 30 s
    assert delivered_nos(any_app, incident_id) == [1, 2, 3]


def test_start_opens_an_exercise_incident_once(any_api, scenario):
    planner = any_api("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]

    started = planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 600})
    again = planner.post(f"/api/v1/exercises/{exercise_id}/start", json={})

    assert started.status_code == 201
    assert again.status_code == 409
    incident = any_api("viewer").get(f"/api/v1/incidents/{started.json['incident_id']}").json
    assert incident["kind"] == "exercise" and incident["type"] == "flom"
    assert incident["title"] == "Testøvelse flom"
    assert planner.get(f"/api/v1/exercises/{exercise_id}").json["status"] == "running"


@pytest.mark.parametrize("speed", [0, -1, "2", True, 100_001])
def test_bad_speed_is_refused(any_api, scenario, speed):
    planner = any_api("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]

    response = planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": speed})

    assert response.status_code == 422
    assert planner.get(f"/api/v1/exercises/{exercise_id}").json["status"] == "planned"


def test_finishing_closes_the_incident_and_records_the_day(any_api, scenario):
    planner = any_api("exercise_planner")
    exercise_id, incident_id = create_and_start(any_api, scenario())

    finished = planner.post(f"/api/v1/exercises/{exercise_id}/finish", json={"held_on": "2025-10-14"})

    assert finished.status_code == 200
    assert finished.json["status"] == "finished" and finished.json["held_on"] == "2025-10-14"
    assert any_api("viewer").get(f"/api/v1/incidents/{incident_id}").json["status"] == "closed"
    assert planner.post(f"/api/v1/exercises/{exercise_id}/finish", json={}).status_code == 409
