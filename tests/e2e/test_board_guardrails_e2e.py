"""Guard rails on the board in a real browser (issue 21): an alerting action card that really alerts, and the
board's action bar, shortcuts, skip links and one roving focus for «Korriger»."""

import requests

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_board_e2e import LOCATION, api, open_board


def _incident(server, title: str, type_: str = "flom") -> int:
    body = {"title": title, "kind": "exercise", "type": type_, "severity": 2, "location": LOCATION}
    return api(server, "POST", "/api/v1/incidents", json=body)["id"]


def test_send_alert_now_from_an_action_card_sends_it_and_marks_the_task_done(login_as, e2e_server):
    iid = _incident(e2e_server, "Øvelse: flom i Otra, varsling fra tiltakskort (e2e)")
    board = open_board(login_as, e2e_server, "coordinator", iid)
    card = board.locator("#card-list .action-card", has_text="Varsle kriseledelsen og kall inn krisestaben")
    link = card.locator("a.ac-alert")
    assert link.inner_text().startswith("Send varsling nå")
    # Next to «Opprett som oppgave»; an ordinary card offers no alert.
    assert card.locator("button[data-card]").count() == 1
    plain = board.locator("#card-list .action-card", has_text="Hent prognoser fra NVE")
    assert plain.locator("a.ac-alert").count() == 0
    assert run_axe(board, e2e_server) == []
    screenshot(board, "board-guardrails", "action-card-alert")

    link.click()
    board.wait_for_url("**/roster?**")
    board.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    # The alert form is pre-filled with the incident and the card's team.
    assert board.locator("#alert-group").input_value() == "kriseledelse"
    assert board.locator("#alert-incident").input_value() == str(iid)
    assert "Varsle kriseledelsen" in board.locator("#alert-message").input_value()
    assert "markeres som utført" in board.locator("#alert-from-card").inner_text()
    assert run_axe(board, e2e_server) == []
    screenshot(board, "board-guardrails", "alert-form-from-card")
    board.click("#send-alert")
    board.get_by_text("Oppgaven fra tiltakskortet er markert som utført").wait_for(timeout=10000)

    headers = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    alerts = requests.get(f"{e2e_server.url}/api/v1/alerts?incident_id={iid}", headers=headers, timeout=10).json()
    assert len(alerts["alerts"]) == 1 and alerts["alerts"][0]["recipients"]
    assert "Varsle kriseledelsen" in alerts["alerts"][0]["message"]
    tasks = api(e2e_server, "GET", f"/api/v1/incidents/{iid}/tasks")["tasks"]
    assert [(t["title"], t["status"]) for t in tasks] == [("Varsle kriseledelsen og kall inn krisestaben", "done")]

    # Back on the board the task is done and the card no longer offers the alert.
    board.goto(f"{e2e_server.url}/incidents/{iid}")
    board.locator("#board[data-ready=true]").wait_for(timeout=15000)
    assert "Utført" in board.locator("#task-list .task", has_text="Varsle kriseledelsen").inner_text()
    assert card.locator("a.ac-alert").count() == 0
