"""The exercise pages render for each stage and role, with the ØVELSE banner and no dreiebok for players."""

import json
from datetime import timedelta

import pytest

from beredskap.exercises import delivery, library
from beredskap.exercises.models import Exercise
from beredskap.extensions import db
from tests.conftest import login


def page_data(html: str, element_id: str) -> dict:
    """The JSON a page embeds for its script."""
    start = html.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return json.loads(html[start : html.index("</script>", start)])


@pytest.fixture
def browser_as(app, users):
    def factory(role: str):
        client = app.test_client()
        login(client, users[role][1], users[role][2])
        return client

    return factory


def test_list_page_shows_stages_library_and_the_clock(app, browser_as, api_for, scenario):
    with app.app_context():
        library.seed_demo()
    api_for("exercise_planner").post("/api/v1/exercises", json=scenario("Min planlagte øvelse"))

    page = browser_as("exercise_planner").get("/exercises").get_data(as_text=True)

    assert "Min planlagte øvelse" in page and "Scenariobibliotek" in page and "Flom i Otra" in page
    assert "§ 7" in page and 'id="plan-clock"' in page
    viewer_page = browser_as("viewer").get("/exercises").get_data(as_text=True)
    assert "Scenariobibliotek" not in viewer_page and "Min planlagte øvelse" in viewer_page


def test_every_page_of_a_running_exercise_renders(app, browser_as, api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 2})
    with app.app_context():
        origin = db.session.get(Exercise, exercise_id).clock_origin
        delivery.deliver_due_injects(origin + timedelta(seconds=5))
    coordinator = browser_as("coordinator")

    for path in ("", "/control", "/player?role=kriseledelse", "/observe", "/evaluation", "/replay"):
        response = coordinator.get(f"/exercises/{exercise_id}{path}")
        assert response.status_code == 200, path
    control = coordinator.get(f"/exercises/{exercise_id}/control").get_data(as_text=True)
    assert "ØVELSE – ØVELSE – ØVELSE" in control
    assert page_data(control, "control-data")["state"]["next"]["inject"]["text"] == "ØVELSE innspill 2"
    player = coordinator.get(f"/exercises/{exercise_id}/player?role=kriseledelse").get_data(as_text=True)
    assert "ØVELSE – ØVELSE – ØVELSE" in player
    shown = page_data(player, "player-data")["injects"]
    assert [i["text"] for i in shown] == ["ØVELSE innspill 1"]
    assert "expected" not in shown[0]  # what the control room expects is not for the players


def test_players_cannot_read_the_dreiebok_ahead(browser_as, api_for, scenario):
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 1})
    staff = browser_as("crisis_staff")

    plan = staff.get(f"/exercises/{exercise_id}").get_data(as_text=True)

    assert page_data(plan, "exercise-data")["exercise"]["injects"] == []
    assert "Dreieboka vises bare for øvingsledelsen" in plan
    assert staff.get(f"/exercises/{exercise_id}/control").status_code == 403
    assert staff.get(f"/exercises/{exercise_id}/player").status_code == 200


def test_replay_page_of_an_unstarted_exercise_says_why(browser_as, api_for, scenario):
    exercise_id = api_for("exercise_planner").post("/api/v1/exercises", json=scenario()).json["id"]

    response = browser_as("viewer").get(f"/exercises/{exercise_id}/replay")

    assert response.status_code == 409 and "ikke startet" in response.get_data(as_text=True)
