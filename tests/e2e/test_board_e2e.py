"""The live board in real browsers: keyboard-only logging seen live on a second screen, reconnect catch-up,
the task conflict message, corrections, axe-core and a screenshot."""

import requests

from tests.e2e.conftest import run_axe, screenshot

LOCATION = {"type": "Point", "coordinates": [8.0085, 58.1545]}


def api(server, method: str, path: str, role: str = "coordinator", **kw):
    response = requests.request(
        method, server.url + path, timeout=15, headers={"Authorization": f"Bearer {server.token(role)}"}, **kw
    )
    assert response.status_code < 400, response.text
    return response.json() if response.content else None


def open_board(login_as, server, role: str, incident_id: int):
    page = login_as(role)
    page.goto(f"{server.url}/incidents/{incident_id}")
    page.locator("#board[data-ready=true]").wait_for(timeout=15000)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    return page


def log_count(page) -> str:
    return page.locator("#log-count").inner_text()


def test_line_typed_on_one_board_appears_on_the_other_without_reload(login_as, e2e_server):
    incident = api(
        e2e_server,
        "POST",
        "/api/v1/incidents",
        json={
            "title": "Øvelse: flom i Otra (e2e)",
            "kind": "exercise",
            "type": "flom",
            "severity": 3,
            "location": LOCATION,
        },
    )
    writer = open_board(login_as, e2e_server, "crisis_staff", incident["id"])
    reader = open_board(login_as, e2e_server, "coordinator", incident["id"])
    assert writer.evaluate("document.activeElement.id") == "log-text"
    reader.evaluate("window.__sameDocument = 'ja'")

    # Keyboard only: the field has focus; a prefix sets the category, Alt+3 too; Enter posts.
    writer.keyboard.type("/b ! Evakuering av Grim og Lund besluttet")
    writer.keyboard.press("Enter")
    line = reader.locator("#log-list .log-entry", has_text="Evakuering av Grim og Lund besluttet")
    line.wait_for(timeout=10000)
    assert "Beslutning" in line.inner_text() and "VIKTIG" in line.inner_text()
    writer.keyboard.type("Sandsekker levert til Lundsbroa")
    writer.keyboard.press("Alt+3")
    writer.keyboard.press("Enter")
    second = reader.locator("#log-list .log-entry", has_text="Sandsekker levert til Lundsbroa")
    second.wait_for(timeout=10000)
    assert "Tiltak" in second.inner_text()
    assert writer.evaluate("document.activeElement.id") == "log-text"
    assert writer.locator("#log-text").input_value() == ""
    assert reader.evaluate("window.__sameDocument") == "ja"  # no reload happened

    # The decisions view shows the decision only.
    reader.click("#view-decisions")
    assert reader.locator("#log-list .log-entry:visible").count() == 1
    reader.click("#view-all")

    # ØVELSE is on the board, and the board is identical on both screens.
    assert writer.locator(".exercise-banner").inner_text().startswith("ØVELSE")
    reader.wait_for_function("() => document.querySelectorAll('#log-list .log-entry').length === 2")
    assert writer.locator("#log-list").inner_text() == reader.locator("#log-list").inner_text()
    assert reader.locator("#presence-count").inner_text() == "2"


def test_board_catches_up_after_losing_its_connection(login_as, e2e_server):
    incident = api(
        e2e_server, "POST", "/api/v1/incidents", json={"title": "Brann i Kvadraturen (e2e)", "type": "brann"}
    )
    task = api(
        e2e_server,
        "POST",
        f"/api/v1/incidents/{incident['id']}/tasks",
        json={"title": "Vurder røykvarsel", "assignee": "Kommunikasjonsrådgiver"},
    )
    online = open_board(login_as, e2e_server, "police", incident["id"])
    away = open_board(login_as, e2e_server, "crisis_staff", incident["id"])
    away.evaluate("window.beredskapLive.socket.disconnect()")
    away.locator("#conn-state:not([data-state=connected])").wait_for(timeout=5000)

    for n in range(1, 6):
        api(e2e_server, "POST", f"/api/v1/incidents/{incident['id']}/log", json={"text": f"Mens du var borte {n}"})
    # The online screen changes the task; the away screen still holds version 1.
    online.locator(f"#task-{task['id']} button[data-status=started]").click()
    online.locator(f"#task-{task['id']} .task-status", has_text="Påbegynt").wait_for(timeout=10000)

    # A stale edit gets the clear Norwegian conflict message and the task reloaded, not a silent overwrite.
    away.locator(f"#task-{task['id']} button[data-status=done]").click()
    message = away.locator(f"#task-{task['id']} .task-msg")
    message.wait_for(timeout=10000)
    away.wait_for_function(f"() => document.querySelector('#task-{task['id']} .task-msg').textContent.length > 0")
    assert "ble endret" in message.inner_text() and "ikke lagret" in message.inner_text()
    assert "Påbegynt" in away.locator(f"#task-{task['id']} .task-status").inner_text()
    shot_conflict = screenshot(away, "board", "task-conflict")
    assert shot_conflict.stat().st_size > 5000

    away.evaluate("window.beredskapLive.socket.connect()")
    away.locator("#conn-state[data-state=connected]").wait_for(timeout=10000)
    away.locator("#log-list .log-entry", has_text="Mens du var borte 5").wait_for(timeout=10000)
    online.locator("#log-list .log-entry", has_text="Mens du var borte 5").wait_for(timeout=10000)
    assert away.locator("#log-list .log-entry").count() == 5
    assert away.locator("#log-list").inner_text() == online.locator("#log-list").inner_text()
    tasks_text = "[...document.querySelectorAll('#task-list .task-main')].map((el) => el.innerText).join('|')"
    assert away.evaluate(tasks_text) == online.evaluate(tasks_text)
    assert away.get_attribute("#board", "data-seq") == online.get_attribute("#board", "data-seq")


def test_correction_is_struck_through_with_link_and_axe_finds_nothing(login_as, e2e_server):
    incident = api(
        e2e_server,
        "POST",
        "/api/v1/incidents",
        json={
            "title": "Øvelse: gasslekkasje Tangen (e2e)",
            "kind": "exercise",
            "type": "eksplosjon_gass",
            "severity": 2,
            "location": LOCATION,
        },
    )
    iid = incident["id"]
    for text, category in (
        ("Politiet melder gasslukt ved Tangen skole", "melding_inn"),
        ("Sperring 300 m rundt Tangen", "beslutning"),
        ("Skolen holder barna inne", "tiltak"),
    ):
        api(
            e2e_server,
            "POST",
            f"/api/v1/incidents/{iid}/log",
            json={"text": text, "category": category, "source": "Politiet"},
        )
    api(
        e2e_server,
        "POST",
        f"/api/v1/incidents/{iid}/tasks",
        json={"title": "Varsle foresatte", "assignee": "Kommunikasjonsrådgiver", "due": "2020-01-01T10:00:00+01:00"},
    )
    api(e2e_server, "POST", f"/api/v1/incidents/{iid}/sitreps", json={"prefill": True})
    writer = open_board(login_as, e2e_server, "coordinator", iid)
    reader = open_board(login_as, e2e_server, "viewer", iid)

    writer.locator("#log-list .log-entry", has_text="Sperring 300 m").locator("button.log-correct").click()
    assert writer.evaluate("document.activeElement.id") == "log-text"
    writer.keyboard.press("Control+A")
    writer.keyboard.type("Sperring 500 m rundt Tangen")
    writer.keyboard.press("Enter")
    original = reader.locator("#log-list .log-entry.is-corrected", has_text="Sperring 300 m")
    original.wait_for(timeout=10000)
    assert original.locator("del").inner_text() == "Sperring 300 m rundt Tangen"
    assert "korrigert av nr. 4" in original.inner_text()
    correction = reader.locator("#log-list .log-entry", has_text="Sperring 500 m")
    assert "korrigerer nr. 2" in correction.inner_text()
    assert reader.locator("#log-form").count() == 0  # the viewer reads only

    overdue = writer.locator("#task-list .task.is-overdue")
    assert "forsinket" in overdue.inner_text().lower()  # said in words, not only by colour
    writer.locator("#adopt-all").click()
    writer.locator("#task-list .task", has_text="Varsle befolkningen i fareområdet").wait_for(timeout=10000)
    reader.locator("#task-list .task", has_text="Varsle befolkningen i fareområdet").wait_for(timeout=10000)

    assert run_axe(writer, e2e_server) == []
    assert run_axe(reader, e2e_server) == []
    shot = screenshot(writer, "board", "board")
    assert shot.stat().st_size > 20000

    writer.goto(f"{e2e_server.url}/incidents")
    assert run_axe(writer, e2e_server) == []
    writer.goto(f"{e2e_server.url}/incidents/tiltakskort")
    assert run_axe(writer, e2e_server) == []
    sitrep = api(e2e_server, "GET", f"/api/v1/incidents/{iid}/sitreps")["sitreps"][0]
    writer.goto(f"{e2e_server.url}/incidents/{iid}/sitreps/{sitrep['id']}")
    assert "ØVELSE" in writer.locator(".exercise-banner").inner_text()
    assert run_axe(writer, e2e_server) == []
    screenshot(writer, "board", "sitrep-form")
