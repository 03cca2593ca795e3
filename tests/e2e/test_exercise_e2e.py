"""Exercises in a real browser: a shipped scenario started at high speed, injects arriving live on a player's
board, the control room, the keyboard dreiebok editor, evaluation and replay — and axe-core on each page."""

import requests

from tests.e2e.conftest import run_axe, screenshot

SPEED = 600


def exercise_id_by_title(server, title_start: str) -> int:
    headers = {"Authorization": f"Bearer {server.token('exercise_planner')}"}
    exercises = requests.get(f"{server.url}/api/v1/exercises", headers=headers, timeout=10).json()["exercises"]
    return next(e["id"] for e in exercises if e["title"].startswith(title_start))


def control_state(server, exercise_id: int) -> dict:
    headers = {"Authorization": f"Bearer {server.token('exercise_planner')}"}
    return requests.get(f"{server.url}/api/v1/exercises/{exercise_id}/control", headers=headers, timeout=10).json()


def test_shipped_scenario_at_high_speed_delivers_injects_live_to_a_players_board(login_as, e2e_server):
    exercise_id = exercise_id_by_title(e2e_server, "Flom i Otra")
    planner = login_as("exercise_planner")
    planner.goto(f"{e2e_server.url}/exercises/{exercise_id}")
    planner.select_option("#start-speed", str(SPEED))
    planner.get_by_role("button", name="Start øvelsen").click()
    planner.wait_for_url(f"**/exercises/{exercise_id}/control")

    player = login_as("crisis_staff")
    player.goto(f"{e2e_server.url}/exercises/{exercise_id}/player?role=kriseledelse")
    player.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert player.locator(".exercise-banner").inner_text().startswith("ØVELSE")
    # Cards marked .new arrive over the live channel after the page was rendered.
    player.locator("#inject-feed .inject-card.new").first.wait_for(timeout=60000)
    addressed = [i for i in control_state(e2e_server, exercise_id)["pending"] if i["to"] == "kriseledelse"]
    screenshot(player, "exercise_e2e", "player-board-live")

    # At speed 600 the whole dreiebok plays in well under a minute; every inject for the role arrives once.
    last = max((i["no"] for i in addressed), default=None)
    if last is not None:
        player.locator(f'#inject-feed .inject-card[data-no="{last}"]').wait_for(timeout=90000)
    numbers = [
        int(n)
        for n in player.locator("#inject-feed .inject-card").evaluate_all("cards => cards.map(c => c.dataset.no)")
    ]
    state = control_state(e2e_server, exercise_id)
    expected = [i["no"] for i in state["delivered"] if i["to"] == "kriseledelse"]
    assert sorted(numbers) == sorted(expected) and len(numbers) == len(set(numbers))
    assert numbers == sorted(numbers, reverse=True)  # newest on top, in delivery order
    assert "Forventet" not in player.locator("#inject-feed").inner_text()

    planner.locator("#delivered-list .inject-card").first.wait_for(timeout=15000)
    screenshot(planner, "exercise_e2e", "control-room")
    assert run_axe(planner, e2e_server) == []
    assert run_axe(player, e2e_server) == []


def test_control_room_pause_and_resume_and_the_log_of_what_players_did(login_as, e2e_server):
    exercise_id = exercise_id_by_title(e2e_server, "Masseskadeulykke")
    planner = login_as("exercise_planner")
    planner.goto(f"{e2e_server.url}/exercises/{exercise_id}")
    planner.select_option("#start-speed", "1")
    planner.get_by_role("button", name="Start øvelsen").click()
    planner.wait_for_url(f"**/exercises/{exercise_id}/control")
    planner.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    planner.get_by_role("button", name="Pause").click()
    planner.get_by_text("Pause – 1× hastighet").wait_for(timeout=10000)
    assert planner.locator("#next").inner_text().count("venter (pause)") == 1
    planner.get_by_role("button", name="Fortsett").click()
    planner.get_by_text("Pågår – 1× hastighet").wait_for(timeout=10000)

    incident_id = control_state(e2e_server, exercise_id)["exercise"]["incident_id"]
    headers = {"Authorization": f"Bearer {e2e_server.token('crisis_staff')}"}
    text = "ØVELSE: Kriseledelsen har satt stab på rådhuset."
    assert (
        requests.post(
            f"{e2e_server.url}/api/v1/incidents/{incident_id}/log", json={"text": text}, headers=headers, timeout=10
        ).status_code
        == 201
    )
    planner.locator("#player-log").get_by_text(text).wait_for(timeout=15000)

    first_pending = control_state(e2e_server, exercise_id)["next"]["inject"]["no"]
    planner.get_by_role("button", name=f"Send innspill {first_pending} nå").click()
    planner.locator(f'#delivered-list .inject-card[data-no="{first_pending}"]').wait_for(timeout=10000)
    assert run_axe(planner, e2e_server) == []


def test_dreiebok_editor_works_from_the_keyboard(login_as, e2e_server):
    headers = {"Authorization": f"Bearer {e2e_server.token('exercise_planner')}"}
    created = requests.post(
        f"{e2e_server.url}/api/v1/exercises",
        headers=headers,
        timeout=10,
        json={
            "title": "Tastaturøvelse",
            "form": "diskusjonsøvelse",
            "draft": True,
            "objectives": [{"id": "M1", "text": "Avklare roller"}],
        },
    ).json()
    page = login_as("exercise_planner")
    page.goto(f"{e2e_server.url}/exercises/{created['id']}")

    page.locator("#i-at").focus()
    page.keyboard.type("00:10")
    for value in ("NVE", "kriseledelse", "telefon"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # objective M1
    page.keyboard.press("Tab")
    page.keyboard.type("Flomvarsel for Otra")
    page.locator("#i-text").press("Tab")
    page.keyboard.type("Innkalle kriseledelsen")
    page.locator("#inject-submit").focus()
    page.keyboard.press("Enter")
    row = page.locator("#dreiebok-rows tr", has_text="Flomvarsel for Otra")
    row.wait_for(timeout=10000)
    assert "M1" in row.inner_text() and "00:10" in row.inner_text()

    page.get_by_role("button", name="Endre innspill 1").focus()
    page.keyboard.press("Enter")
    page.locator("#i-text").fill("Rødt flomvarsel for Otra")
    page.locator("#inject-submit").press("Enter")
    page.locator("#dreiebok-rows").get_by_text("Rødt flomvarsel for Otra").wait_for(timeout=10000)
    screenshot(page, "exercise_e2e", "plan-dreiebok")
    assert run_axe(page, e2e_server) == []


def ensure_started(server, exercise_id: int) -> None:
    """The observer pages follow the exercise's incident channel, which exists once the exercise has started."""
    headers = {"Authorization": f"Bearer {server.token('exercise_planner')}"}
    exercise = requests.get(f"{server.url}/api/v1/exercises/{exercise_id}", headers=headers, timeout=10).json()
    if not exercise.get("incident_id"):
        started = requests.post(
            f"{server.url}/api/v1/exercises/{exercise_id}/start", json={"speed": SPEED}, headers=headers, timeout=10
        )
        assert started.status_code == 201


def test_observer_evaluation_and_replay_pages(login_as, e2e_server):
    exercise_id = exercise_id_by_title(e2e_server, "Flom i Otra")
    ensure_started(e2e_server, exercise_id)
    # A second observer follows along: another observer's note appears without reloading.
    colleague = login_as("observer")
    colleague.goto(f"{e2e_server.url}/exercises/{exercise_id}/observe")
    colleague.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    observer = login_as("observer")
    observer.goto(f"{e2e_server.url}/exercises/{exercise_id}/observe")
    observer.select_option("#obs-objective", "M2")
    observer.fill("#obs-text", "Politiet og kommunen avklarte dør-til-dør-varsling på Mosby.")
    observer.locator("#obs-text").press("Control+Enter")
    observer.locator("#obs-list").get_by_text("dør-til-dør-varsling på Mosby").wait_for(timeout=10000)
    assert observer.locator("#obs-list").get_by_text("dør-til-dør-varsling på Mosby").count() == 1
    colleague.locator("#obs-list").get_by_text("dør-til-dør-varsling på Mosby").wait_for(timeout=10000)
    screenshot(colleague, "exercise_e2e", "observer-live")
    assert run_axe(observer, e2e_server) == []

    planner = login_as("exercise_planner")
    planner.goto(f"{e2e_server.url}/exercises/{exercise_id}/evaluation")
    planner.get_by_role("group", name="Vurdering av M2").get_by_label("Oppnådd", exact=True).check()
    planner.fill("#reason-1", "Evakueringen ble besluttet og avklart med politiet innen 40 minutter.")
    planner.get_by_role("button", name="Lagre vurderingen av M2").click()
    planner.locator("#objective-ratings .rating-oppnådd").first.wait_for(timeout=10000)
    planner.fill("#action-text", "Øve dør-til-dør-varsling med politiet")
    planner.fill("#action-owner", "Beredskapskoordinator")
    planner.get_by_role("button", name="Legg til tiltak").click()
    planner.locator("#action-rows select").first.wait_for(timeout=10000)
    screenshot(planner, "exercise_e2e", "evaluation")
    assert run_axe(planner, e2e_server) == []

    planner.goto(f"{e2e_server.url}/exercises/{exercise_id}/replay")
    planner.locator("#r-injects .inject-card").first.wait_for(timeout=15000)
    planner.get_by_role("button", name="Til start").click()
    planner.locator("#r-injects").get_by_text("Ingen innspill levert ennå.").wait_for(timeout=10000)
    planner.get_by_role("button", name="Til slutt").click()
    planner.locator("#r-injects .inject-card").first.wait_for(timeout=10000)
    screenshot(planner, "exercise_e2e", "replay")
    assert run_axe(planner, e2e_server) == []

    # The § 7 clock follows what the server knows. The e2e server is shared, so another test (the axe crawl)
    # may already have finished an exercise that counts: the page must show the state the API gives.
    headers = {"Authorization": f"Bearer {e2e_server.token('exercise_planner')}"}
    clock = requests.get(f"{e2e_server.url}/api/v1/exercises/plan-clock", headers=headers, timeout=10).json()
    planner.goto(f"{e2e_server.url}/exercises")
    assert planner.locator("#plan-clock").get_attribute("data-state") == clock["state"]
    screenshot(planner, "exercise_e2e", "list")
    assert run_axe(planner, e2e_server) == []

    # The § 7 clock on the start page: with nothing finished it warns, else it names the last exercise.
    planner.goto(f"{e2e_server.url}/")
    panel = planner.get_by_role("region", name="Øvelser (§ 7)")
    if clock["state"] == "never":
        assert "ikke registrert noen gjennomført øvelse" in panel.inner_text()
    else:
        assert clock["last_exercise"]["title"] in panel.inner_text()
    screenshot(planner, "exercise_e2e", "start-page")
