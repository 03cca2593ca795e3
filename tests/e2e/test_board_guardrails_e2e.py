"""Guard rails on the board in a real browser (issue 21): an alerting action card that really alerts, and the
board's action bar, shortcuts, skip links and one roving focus for «Korriger»."""

import pytest
import requests

from tests.conftest import output_dir
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


@pytest.fixture(scope="module")
def long_and_short_boards(e2e_server):
    """Two boards alike but for the length of their log: 5 and 200 lines, one task each."""
    boards = {}
    for lines in (5, 200):
        iid = _incident(e2e_server, f"Øvelse: flom med {lines} loggføringer (e2e)")
        for number in range(lines):
            api(
                e2e_server, "POST", f"/api/v1/incidents/{iid}/log", json={"text": f"Melding {number + 1} fra Lundsbroa"}
            )
        api(e2e_server, "POST", f"/api/v1/incidents/{iid}/tasks", json={"title": "Skaff sandsekker"})
        boards[lines] = iid
    return boards


def _tabs_to_task_list(page) -> int:
    """Tab presses from the new-line field until the focus is inside the task list."""
    page.focus("#log-text")
    for presses in range(1, 301):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#task-list')"):
            return presses
    raise AssertionError("Tab never reached the task list")


def test_tab_from_the_log_field_reaches_the_tasks_in_presses_that_do_not_grow_with_the_log(
    login_as, e2e_server, long_and_short_boards
):
    counts = {}
    for lines, iid in long_and_short_boards.items():
        page = open_board(login_as, e2e_server, "coordinator", iid)
        assert page.locator("#log-list button.log-correct").count() == lines
        counts[lines] = _tabs_to_task_list(page)
    assert counts[5] == counts[200], counts
    assert counts[200] < 40, counts


def test_one_roving_focus_for_korriger_in_the_log_list(login_as, e2e_server, long_and_short_boards):
    page = open_board(login_as, e2e_server, "coordinator", long_and_short_boards[200])
    # Exactly one control of the list is in the Tab order.
    assert page.locator("#log-list [tabindex='0']").count() == 1
    focused = "document.activeElement.textContent"
    page.focus("#log-list button.log-correct >> nth=0")
    assert page.evaluate(focused) == "Korriger nr. 200"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == "Korriger nr. 199"
    page.keyboard.press("End")
    assert page.evaluate(focused) == "Korriger nr. 1"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    # Tab leaves the list from wherever the roving focus is, and Shift+Tab comes back to the same control.
    page.keyboard.press("Tab")
    assert not page.evaluate("!!document.activeElement.closest('#log-list')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Korriger nr. 199"
    # Enter on it starts the correction of that line, as a click does.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "log-text"
    assert "Korrigerer nr. 199" in page.inner_text("#log-correcting-text")


def test_action_bar_shortcut_reaches_the_sitrep_form_with_a_200_line_log(login_as, e2e_server, long_and_short_boards):
    iid = long_and_short_boards[200]
    page = open_board(login_as, e2e_server, "coordinator", iid)
    bar = page.locator("#board-actionbar")
    for label in ("Ny situasjonsrapport", "Varsle", "Kart"):
        assert label in bar.inner_text()
    # Sticky: far down the long log the bar is still at the top of the window.
    page.locator("#log-list .log-entry").last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 2000
    box = bar.bounding_box()
    assert box is not None and 0 <= box["y"] < 10
    page.screenshot(path=str(output_dir("board-guardrails") / "actionbar-sticky.png"))

    # «?» outside a text field opens the shortcut help; Esc closes it.
    page.locator("#incident-title").click()
    page.keyboard.press("?")
    help_dialog = page.locator("#board-help")
    help_dialog.wait_for(state="visible", timeout=5000)
    assert "Alt+Shift+S" in help_dialog.inner_text()
    assert run_axe(page, e2e_server) == []
    page.screenshot(path=str(output_dir("board-guardrails") / "help-overlay.png"))
    page.keyboard.press("Escape")
    help_dialog.wait_for(state="hidden", timeout=5000)
    assert run_axe(page, e2e_server) == []

    # The skip link jumps to the reports, and Alt+Shift+O to the tasks.
    page.click("#board-actionbar a[data-skip=reports]")
    assert page.evaluate("document.activeElement.id") == "sitreps-h"
    page.keyboard.press("Alt+Shift+O")
    assert page.evaluate("document.activeElement.id") == "tasks-h"

    # Typing a log line, the shortcut still reaches the sitrep form.
    page.focus("#log-text")
    before = len(api(e2e_server, "GET", f"/api/v1/incidents/{iid}/sitreps")["sitreps"])
    page.keyboard.press("Alt+Shift+S")
    page.wait_for_url(f"**/incidents/{iid}/sitreps/*", timeout=15000)
    assert page.locator("form textarea").count() > 0
    assert len(api(e2e_server, "GET", f"/api/v1/incidents/{iid}/sitreps")["sitreps"]) == before + 1
