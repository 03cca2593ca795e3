"""Replay: the pure reducer, and the replay API reproducing the live board state recorded at a chosen time."""

from datetime import UTC, datetime, timedelta

from beredskap.exercises import delivery
from beredskap.exercises.models import Exercise
from beredskap.exercises.replay import board_state, timeline
from beredskap.extensions import db

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def event(seq, minutes, type_, **data):
    return {"seq": seq, "at": (T0 + timedelta(minutes=minutes)).isoformat(), "type": type_, "data": data}


EVENTS = [
    event(
        1,
        0,
        "incident.created",
        id=5,
        title="Flom",
        kind="exercise",
        type="flom",
        severity=2,
        status="open",
        phase="varsling",
    ),
    event(2, 0, "exercise.started", exercise_id=1, speed=2),
    event(3, 1, "inject.delivered", inject_id=11, no=1, at="00:02", to="kriseledelse", text="Rødt farevarsel"),
    event(4, 2, "log.created", id=100, number=1, text="Kriseledelsen innkalt", author="Kari"),
    event(5, 3, "task.created", id=7, title="Åpne EPS", status="new", assignee="EPS-leder", due=None),
    event(6, 4, "sitrep.created", id=3, number=1, status="draft"),
    event(7, 5, "task.updated", id=7, title="Åpne EPS", status="started", assignee="EPS-leder", due=None),
    event(8, 6, "exercise.paused", exercise_id=1),
    event(9, 7, "sitrep.approved", id=3, number=1, status="approved"),
    event(10, 8, "inject.skipped", inject_id=12, no=2),
    event(
        11,
        9,
        "incident.updated",
        id=5,
        title="Flom",
        kind="exercise",
        type="flom",
        severity=3,
        status="closed",
        phase="normalisering",
    ),
]


def test_reducer_folds_events_up_to_the_moment():
    state = board_state(EVENTS, T0 + timedelta(minutes=5))

    assert state["last_seq"] == 7 and state["event_count"] == 7
    assert [entry["text"] for entry in state["log"]] == ["Kriseledelsen innkalt"]
    assert state["tasks"] == [{"id": 7, "title": "Åpne EPS", "status": "started", "assignee": "EPS-leder", "due": None}]
    assert state["sitreps"] == [{"id": 3, "number": 1, "status": "draft"}]
    assert [inject["no"] for inject in state["injects"]] == [1]
    assert state["exercise"] == {"started": True, "paused": False, "finished": False, "speed": 2}
    assert state["incident"]["status"] == "open"


def test_reducer_at_the_end_and_before_the_start():
    end = board_state(EVENTS)
    before = board_state(EVENTS, T0 - timedelta(seconds=1))

    assert end["incident"]["status"] == "closed" and end["incident"]["severity"] == 3
    assert end["sitreps"][0]["status"] == "approved"
    assert end["skipped"] == [2] and end["exercise"]["paused"] is True
    assert before["event_count"] == 0 and before["incident"] is None and before["log"] == []


def test_reducer_applies_events_in_seq_order_whatever_order_they_come_in():
    assert board_state(list(reversed(EVENTS))) == board_state(EVENTS)


def test_timeline_spans_the_events():
    span = timeline(EVENTS)

    assert span["start"] == T0.isoformat()
    assert span["end"] == (T0 + timedelta(minutes=9)).isoformat()
    assert [mark["seq"] for mark in span["marks"]] == list(range(1, 12))


def live_board(api, exercise_id: int, incident_id: int) -> dict:
    """The board as the live APIs show it now, in the reducer's shape."""
    viewer = api("crisis_staff")
    tasks = viewer.get(f"/api/v1/incidents/{incident_id}/tasks").json["tasks"]
    sitreps = viewer.get(f"/api/v1/incidents/{incident_id}/sitreps").json["sitreps"]
    injects = viewer.get(f"/api/v1/exercises/{exercise_id}/player").json["injects"]
    return {
        "log": viewer.get(f"/api/v1/incidents/{incident_id}/log").json["entries"],
        "tasks": [{key: task[key] for key in ("id", "title", "status", "assignee", "due")} for task in tasks],
        "sitreps": [{key: sitrep[key] for key in ("id", "number", "status")} for sitrep in sitreps],
        "injects": [(inject["no"], inject["text"], inject["to"]) for inject in injects],
    }


def replayed_board(state: dict) -> dict:
    return {
        "log": state["log"],
        "tasks": state["tasks"],
        "sitreps": state["sitreps"],
        "injects": [(inject["no"], inject["text"], inject["to"]) for inject in state["injects"]],
    }


def test_replay_of_a_finished_exercise_reproduces_the_board_recorded_at_that_time(app, api_for, scenario):
    planner, staff = api_for("exercise_planner"), api_for("crisis_staff")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    incident_id = planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 2}).json["incident_id"]
    with app.app_context():
        origin = db.session.get(Exercise, exercise_id).clock_origin
        delivery.deliver_due_injects(origin + timedelta(seconds=5))
    log = f"/api/v1/incidents/{incident_id}/log"
    assert staff.post(log, json={"text": "Kriseledelsen er innkalt."}).status_code == 201
    task = staff.post(
        f"/api/v1/incidents/{incident_id}/tasks", json={"title": "Åpne EPS", "assignee": "EPS-leder"}
    ).json
    staff.patch(f"/api/v1/tasks/{task['id']}", json={"status": "started", "version": task["version"]})
    staff.post(f"/api/v1/incidents/{incident_id}/sitreps", json={})

    # The moment T: the live board as the APIs show it, and the journal position it corresponds to.
    recorded = live_board(api_for, exercise_id, incident_id)
    events = staff.get(f"/api/v1/channels/incident:{incident_id}/events").json["events"]
    moment = events[-1]["at"]

    # The exercise goes on: more log, the task is done, more injects, a correction; then it is finished.
    staff.post(log, json={"text": "EPS er åpnet på Kvadraturen skolesenter."})
    task_now = staff.get(f"/api/v1/tasks/{task['id']}").json
    staff.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done", "version": task_now["version"]})
    staff.post(f"/api/v1/incidents/{incident_id}/tasks", json={"title": "Pressemelding"})
    with app.app_context():
        delivery.deliver_due_injects(origin + timedelta(seconds=60))
    planner.post(f"/api/v1/exercises/{exercise_id}/finish", json={})
    assert live_board(api_for, exercise_id, incident_id) != recorded

    replay = api_for("viewer").get(f"/api/v1/exercises/{exercise_id}/replay", query_string={"at": moment})

    assert replay.status_code == 200
    assert replayed_board(replay.json["state"]) == recorded
    assert replay.json["state"]["incident"]["status"] == "open"
    assert len(recorded["log"]) == 1 and recorded["tasks"][0]["status"] == "started"
    assert [inject[0] for inject in recorded["injects"]] == [1]
    # Without a moment, the replay is the board at the end.
    final = api_for("viewer").get(f"/api/v1/exercises/{exercise_id}/replay").json
    assert replayed_board(final["state"]) == live_board(api_for, exercise_id, incident_id)
    assert final["state"]["exercise"]["finished"] is True and final["timeline"]["end"] >= moment


def test_replay_refuses_bad_times_and_unstarted_exercises(api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]

    assert planner.get(f"/api/v1/exercises/{exercise_id}/replay").status_code == 409
    planner.post(f"/api/v1/exercises/{exercise_id}/start", json={})
    for bad in ("i går", "2026-03-01", "2026-13-01T10:00:00+01:00"):
        response = planner.get(f"/api/v1/exercises/{exercise_id}/replay", query_string={"at": bad})
        assert response.status_code == 422, bad
    # The one datetime rule: a time without an offset is Oslo time, not a refusal.
    local = planner.get(f"/api/v1/exercises/{exercise_id}/replay", query_string={"at": "2026-03-01T10:00:00"})
    assert local.status_code == 200
