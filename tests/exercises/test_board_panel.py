"""Exercises on the board (issue 17, point 2): the control room sees what comes, a player only what is delivered —
in the board's page data, its API and everything the incident channel carries — and the clock's state follows."""

import json

from beredskap.extensions import socketio
from tests.conftest import login
from tests.factories import gen_user, make_scenario

# Far enough ahead that nothing is due while a test runs (the scheduler does not run in these tests anyway).
OFFSETS = ("01:00:00", "02:00:00", "03:00:00")
SECRET = "HEMMELIG-DREIEBOK"


def scenario() -> dict:
    data = make_scenario("Flom på Lund, tavletest", offsets=OFFSETS)
    for inject in data["injects"]:
        inject["text"] = f"{SECRET} innspill {inject['no']}"
        inject["expected"] = f"FORVENTET-{inject['no']}"
    return data


def start(any_api) -> tuple[int, int, list[int]]:
    planner = any_api("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    started = planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 1})
    assert started.status_code == 201, started.json
    injects = planner.get(f"/api/v1/exercises/{exercise_id}/injects").json["injects"]
    return exercise_id, started.json["incident_id"], [i["id"] for i in sorted(injects, key=lambda i: i["no"])]


def undelivered_text_in(text: str, numbers=(1, 2, 3)) -> list[int]:
    return [n for n in numbers if f"{SECRET} innspill {n}" in text or f"FORVENTET-{n}" in text]


def test_control_sees_the_dreiebok_on_the_board_and_a_player_only_what_is_delivered(any_api):
    exercise_id, incident_id, inject_ids = start(any_api)
    url = f"/api/v1/incidents/{incident_id}/exercise"

    control = any_api("exercise_planner").get(url)
    assert control.status_code == 200
    panel = control.json
    assert panel["exercise_id"] == exercise_id and panel["status"] == "running" and panel["control"] is True
    assert [i["no"] for i in panel["pending"]] == [1, 2, 3] and panel["delivered"] == []
    assert panel["pending"][0]["expected"] == "FORVENTET-1"
    assert panel["links"]["control"] == f"/exercises/{exercise_id}/control"
    assert panel["elapsed_seconds"] is not None and panel["next_due_in"] > 0

    for role in ("crisis_staff", "police", "viewer", "observer"):
        player = any_api(role).get(url)
        assert player.status_code == 200, role
        assert player.json["control"] is False and player.json["links"]["control"] is None
        assert "pending" not in player.json and player.json["delivered"] == []
        assert undelivered_text_in(player.get_data(as_text=True)) == [], role

    assert any_api("exercise_planner").post(f"/api/v1/injects/{inject_ids[0]}/send").status_code == 200

    player = any_api("crisis_staff").get(url)
    assert [i["no"] for i in player.json["delivered"]] == [1]
    assert player.json["delivered"][0]["text"] == f"{SECRET} innspill 1"
    # What the control room expects of the players stays with the control room, also once delivered.
    assert "expected" not in player.json["delivered"][0] and "notes" not in player.json["delivered"][0]
    assert undelivered_text_in(player.get_data(as_text=True), (2, 3)) == []
    assert "FORVENTET-1" not in player.get_data(as_text=True)

    control = any_api("exercise_planner").get(url).json
    assert [i["no"] for i in control["delivered"]] == [1] and [i["no"] for i in control["pending"]] == [2, 3]


def test_the_board_panel_follows_pause_resume_and_finish(any_api):
    exercise_id, incident_id, _ids = start(any_api)
    planner, player = any_api("exercise_planner"), any_api("crisis_staff")
    url = f"/api/v1/incidents/{incident_id}/exercise"

    assert planner.post(f"/api/v1/exercises/{exercise_id}/pause").status_code == 200
    paused = player.get(url).json
    assert paused["status"] == "paused" and paused["paused"] is True and paused["status_title"] == "Pause"
    assert planner.get(url).json["next_due_in"] is None  # the countdown stands still in a pause

    assert planner.post(f"/api/v1/exercises/{exercise_id}/resume").status_code == 200
    assert player.get(url).json["status"] == "running"

    assert planner.post(f"/api/v1/exercises/{exercise_id}/finish", json={}).status_code == 200
    finished = player.get(url).json
    assert finished["status"] == "finished" and finished["status_title"] == "Gjennomført"
    assert finished["elapsed_seconds"] is not None


def test_no_exercise_on_the_incident_is_404_and_roles_without_exercise_access_get_403(any_api):
    real = any_api("coordinator").post("/api/v1/incidents", json={"title": "Brann i Gimle", "kind": "incident"})
    response = any_api("crisis_staff").get(f"/api/v1/incidents/{real.json['id']}/exercise")
    assert response.status_code == 404 and response.json["error"]["message"]
    assert any_api("crisis_staff").get("/api/v1/incidents/999999/exercise").status_code == 404
    assert any_api("crisis_staff").client.get(f"/api/v1/incidents/{real.json['id']}/exercise").status_code == 401


def test_the_incident_channel_never_carries_an_undelivered_inject_to_a_player(any_app, any_api):
    exercise_id, incident_id, inject_ids = start(any_api)
    planner = any_api("exercise_planner")
    token = gen_user(any_app, "crisis_staff")[3]
    socket = socketio.test_client(any_app, auth={"token": token})
    assert socket.is_connected()
    channel = f"incident:{incident_id}"
    assert socket.emit("subscribe", {"channel": channel, "since": 0}, callback=True)["ok"] is True

    assert planner.post(f"/api/v1/exercises/{exercise_id}/pause").status_code == 200
    assert planner.post(f"/api/v1/injects/{inject_ids[0]}/send").status_code == 200  # early, during the pause
    assert planner.post(f"/api/v1/injects/{inject_ids[1]}/skip").status_code == 200
    assert planner.post(f"/api/v1/exercises/{exercise_id}/resume").status_code == 200

    received = [m["args"][0] for m in socket.get_received() if m["name"] == "event"]
    socket.disconnect()
    types = [e["type"] for e in received]
    assert types.count("inject.delivered") == 1 and "exercise.started" in types
    assert {"exercise.paused", "inject.skipped", "exercise.resumed"} <= set(types)
    text = json.dumps(received, ensure_ascii=False)
    assert f"{SECRET} innspill 1" in text
    # The skipped inject and the one still to come never reached the player, nor what anyone is expected to do.
    assert undelivered_text_in(text, (2, 3)) == [] and "FORVENTET" not in text

    caught_up = any_api("crisis_staff").get(f"/api/v1/channels/{channel}/events?since=0")
    assert caught_up.status_code == 200
    assert undelivered_text_in(caught_up.get_data(as_text=True), (2, 3)) == []


def test_the_board_page_data_for_a_player_holds_no_inject_to_come(app, users, api_for):
    exercise_id, incident_id, _ids = start(api_for)

    control = app.test_client()
    login(control, users["exercise_planner"][1], users["exercise_planner"][2])
    page = control.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert undelivered_text_in(page) == [1, 2, 3]
    assert f'href="/exercises/{exercise_id}/control"' in page and 'id="exercise-section"' in page

    player = app.test_client()
    login(player, users["crisis_staff"][1], users["crisis_staff"][2])
    page = player.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'id="exercise-section"' in page
    assert undelivered_text_in(page) == []
    assert f'href="/exercises/{exercise_id}/control"' not in page
    assert f'href="/exercises/{exercise_id}/player"' in page


def test_a_real_incident_board_has_no_exercise_panel(app, users, api_for):
    real = api_for("coordinator").post("/api/v1/incidents", json={"title": "Brann i Gimle", "kind": "incident"})
    client = app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get(f"/incidents/{real.json['id']}").get_data(as_text=True)
    assert 'id="exercise-section"' not in page
