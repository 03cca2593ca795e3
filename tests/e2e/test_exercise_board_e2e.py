"""Exercises on the board (issue 17): the control room sees an inject on the exercise's board before it is delivered,
a player does not; once the control room sends it, both boards show it live, and the clock's state follows."""

import requests

from tests.e2e.conftest import run_axe, screenshot

SECRET = "Innspill på tavla"


def plan_and_start(server) -> tuple[int, int]:
    headers = {"Authorization": f"Bearer {server.token('exercise_planner')}"}
    scenario = {
        "title": "Flom i Tovdalselva, tavleøvelse",
        "form": "spilløvelse",
        "purpose": "Øve kriseledelsen på tavla.",
        "participants": [{"role": "kriseledelse", "description": "Kommunens kriseledelse"}],
        "objectives": [{"id": "M1", "text": "Etablere kriseledelse", "indicators": ["Innkalt innen 15 min"]}],
        "injects": [
            {
                "no": n,
                "at": at,
                "from": "NVE",
                "to": "kriseledelse",
                "channel": "telefon",
                "text": f"{SECRET} {n}: vannføringen stiger",
                "expected": f"Kriseledelsen vurderer evakuering ({n})",
                "objective": "M1",
            }
            # Far ahead: nothing is delivered by the clock while the test runs, only by the control room.
            for n, at in ((1, "01:00"), (2, "02:00"), (3, "03:00"))
        ],
    }
    exercise_id = requests.post(f"{server.url}/api/v1/exercises", json=scenario, headers=headers, timeout=10).json()[
        "id"
    ]
    started = requests.post(
        f"{server.url}/api/v1/exercises/{exercise_id}/start", json={"speed": 1}, headers=headers, timeout=10
    )
    assert started.status_code == 201, started.text
    return exercise_id, started.json()["incident_id"]


def open_board(page, server, incident_id: int) -> None:
    page.goto(f"{server.url}/incidents/{incident_id}")
    page.locator("#exercise-section[data-ready=true]").wait_for(timeout=15000)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)


def test_an_inject_is_on_the_board_for_control_before_delivery_and_for_players_only_after(login_as, e2e_server):
    exercise_id, incident_id = plan_and_start(e2e_server)
    control = login_as("exercise_planner")
    player = login_as("crisis_staff")
    errors: list[str] = []
    for page in (control, player):
        page.on("pageerror", lambda error: errors.append(str(error)))
    open_board(control, e2e_server, incident_id)
    open_board(player, e2e_server, incident_id)

    # Before delivery: the control room's board shows what comes next; the player's page holds none of it.
    next_card = control.locator("#board-ex-next .inject-card")
    assert f"{SECRET} 1" in next_card.inner_text() and "Forventet" in next_card.inner_text()
    assert control.locator("#board-ex-state").inner_text().startswith("Pågår")
    assert player.locator("#board-ex-next").count() == 0
    assert SECRET not in player.content()  # not hidden in the DOM, not in the page data either
    assert player.locator("#board-ex-delivered").inner_text().strip() == "Ingen innspill er levert ennå."
    assert player.locator("#board-ex-control-link").count() == 0
    screenshot(control, "exercise_board_e2e", "1-control-board-before")
    screenshot(player, "exercise_board_e2e", "1-player-board-before")

    # From the board to the control room, and from there back to the board.
    control_room = control.context.new_page()
    control_room.goto(e2e_server.url + control.locator("#board-ex-control-link").get_attribute("href"))
    control_room.wait_for_url(f"**/exercises/{exercise_id}/control")
    board_link = control_room.locator(".ex-tabs a", has_text="Tavla")
    assert board_link.get_attribute("href") == f"/incidents/{incident_id}"
    control_room.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    control_room.get_by_role("button", name="Send innspill 1 nå").click()

    # Both boards update live, without a reload: the control room's board moves on to inject 2.
    control.locator('#board-ex-delivered .inject-card[data-no="1"]').wait_for(timeout=15000)
    control.locator('#board-ex-next .inject-card[data-no="2"]').wait_for(timeout=15000)
    player.locator('#board-ex-delivered .inject-card[data-no="1"]').wait_for(timeout=15000)
    delivered = player.locator('#board-ex-delivered .inject-card[data-no="1"]').inner_text()
    assert f"{SECRET} 1" in delivered and "Forventet" not in delivered
    content = player.content()
    assert f"{SECRET} 2" not in content and f"{SECRET} 3" not in content

    # The clock's state follows the control room live on both boards.
    control_room.get_by_role("button", name="Pause").click()
    control.locator("#exercise-section[data-status=paused]").wait_for(timeout=15000)
    player.locator("#exercise-section[data-status=paused]").wait_for(timeout=15000)
    assert player.locator("#board-ex-state").inner_text().startswith("Pause")
    clock = player.locator("#board-ex-clock").inner_text()
    assert clock.startswith("00:0")  # minutes into a run started by this test

    screenshot(control, "exercise_board_e2e", "2-control-board-after")
    screenshot(player, "exercise_board_e2e", "2-player-board-after")
    assert run_axe(control, e2e_server) == []
    assert run_axe(player, e2e_server) == []

    control_room.get_by_role("button", name="Fortsett").click()
    player.locator("#exercise-section[data-status=running]").wait_for(timeout=15000)
    control_room.close()
    assert errors == []
