"""The EPS desk in a real browser: keyboard-only check-in of three people (one household), an inquiry answered
with ranked candidates, a reunification confirmed by a person, a check-out; live occupancy; axe-core."""

import pytest

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.eps_helpers import pick_purpose

pytestmark = pytest.mark.e2e


def _api(server, role, method, path, body=None):
    return server.call(role, method, path, body)


@pytest.fixture(scope="module")
def exercise_centre(e2e_server):
    incident = _api(
        e2e_server, "police", "POST", "/api/v1/incidents", {"title": "Øvelse Otra-flom EPS", "kind": "exercise"}
    )
    centre = _api(
        e2e_server, "police", "POST", f"/api/v1/incidents/{incident['id']}/eps", {"name": "Gimlehallen", "capacity": 50}
    )
    return incident["id"], centre["id"]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_desk_keyboard_registration_inquiry_and_reunification(login_as, e2e_server, exercise_centre):
    _, eps_id = exercise_centre
    watcher = login_as("coordinator")
    watcher.goto(f"{e2e_server.url}/eps/{eps_id}")
    watcher.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    page = login_as("eps_staff")
    pick_purpose(page, e2e_server, eps_id)  # asked once per session and desk (issue 17); its own test is elsewhere
    page.goto(f"{e2e_server.url}/eps/{eps_id}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert page.locator(".exercise-banner").inner_text().startswith("ØVELSE")
    assert _focused_id(page) == "m0-name"
    keys = page.keyboard

    # Person 1: every field by keyboard, a need ticked with Space, Enter registers.
    keys.type("Åse Marie Ødegård")
    keys.press("Tab")
    keys.type("30011949")
    keys.press("Tab")
    keys.type("41234567")
    keys.press("Tab")
    keys.type("Elvegata 12, 4614 Kristiansand")
    keys.press("Tab")
    keys.press("Space")
    keys.press("Enter")
    page.locator("#people-rows tr", has_text="Åse Marie Ødegård").wait_for(timeout=10000)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'm0-name'")
    assert page.locator("#m0-name").input_value() == ""
    # The row shows the birth date as the server understood "30011949".
    assert "30.01.1949" in page.locator("#people-rows tr", has_text="Åse Marie Ødegård").inner_text()

    # Persons 2 and 3 as one household: Alt+H adds a member and moves the focus to the member's name.
    keys.type("Per Hansen")
    keys.press("Tab")
    keys.type("02.04.1961")
    keys.press("Tab")
    keys.press("Tab")
    keys.type("Tordenskjolds gate 77, 4612 Kristiansand")
    keys.press("Alt+h")
    assert _focused_id(page) == "m1-name"
    keys.type("Kari Hansen")
    keys.press("Tab")
    keys.type("1963")
    keys.press("Enter")
    page.locator("#people-rows tr", has_text="Kari Hansen").wait_for(timeout=10000)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'm0-name'")
    assert page.locator("#people-rows tr[data-evacuee-id]").count() == 3
    assert page.locator("#present-count").inner_text() == "3"
    hansen_row = page.locator("#people-rows tr", has_text="Per Hansen")
    household = hansen_row.locator("td").nth(2).inner_text()
    assert (
        household.startswith("#")
        and household == page.locator("#people-rows tr", has_text="Kari Hansen").locator("td").nth(2).inner_text()
    )
    page.locator("#occ-figure", has_text="3 av 50").wait_for(timeout=10000)
    # Another user's centre page follows the occupancy live (counts only).
    watcher.locator("#occ-figure", has_text="3 av 50 til stede").wait_for(timeout=10000)

    # A validation error names the field in words and puts the focus there; nothing typed is echoed.
    keys.press("Tab")
    keys.type("31.02.1980")
    keys.press("Enter")
    page.locator("#reg-error", has_text="Fullt navn mangler.").wait_for(timeout=10000)
    assert "full_name" not in page.locator("#reg-error").inner_text()
    assert _focused_id(page) == "m0-name"
    assert "31.02.1980" not in page.locator("#reg-error").inner_text()
    page.locator("#m0-birth").fill("")

    # An inquiry from a relative: ranked candidates, then an explicit confirmation.
    page.fill("#inq-inquirer", "Ingrid Lunde")
    page.fill("#inq-phone", "97766554")
    page.fill("#inq-relation", "datter")
    page.fill("#inq-sought", "aase marie odegaard")
    page.fill("#inq-year", "1949")
    page.get_by_role("button", name="Registrer henvendelse og søk").click()
    candidate = page.locator("#inq-detail .candidate").first
    candidate.wait_for(timeout=10000)
    assert "Åse Marie Ødegård" in candidate.inner_text()
    assert "% likhet" in candidate.inner_text()
    assert page.locator("#open-count").inner_text() == "1"
    assert page.locator("#inquiry-list li", has_text="1 mulig treff").count() == 1
    assert page.locator("#new-inquiries").is_hidden(), "our own inquiry is not announced as someone else's"
    screenshot(page, "eps", "desk-candidates")
    candidate.get_by_role("button", name="Bekreft gjenforening med Åse Marie Ødegård").click()
    page.locator("#inq-detail .reunited-note", has_text="Gjenforening bekreftet").wait_for(timeout=10000)
    assert page.locator("#open-count").inner_text() == "0"
    inquiry_id = int(page.locator("#inq-detail").get_attribute("data-inquiry-id"))
    inquiry = _api(e2e_server, "police", "GET", f"/api/v1/inquiries/{inquiry_id}")
    assert inquiry["status"] == "reunited"
    assert inquiry["reunited_evacuee_id"] == int(
        page.locator("#people-rows tr", has_text="Åse Marie Ødegård").get_attribute("data-evacuee-id")
    )

    # Check-out by keyboard: the destination field takes the focus, Enter confirms.
    page.locator("#people-rows tr", has_text="Kari Hansen").get_by_role("button", name="Sjekk ut Kari Hansen").focus()
    keys.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id.startsWith('dest-')")
    keys.type("Hos søster i Lillesand")
    keys.press("Enter")
    page.locator("#people-rows tr", has_text="Kari Hansen").wait_for(state="detached", timeout=10000)
    watcher.locator("#occ-figure", has_text="2 av 50 til stede").wait_for(timeout=10000)
    summary = _api(e2e_server, "viewer", "GET", f"/api/v1/eps/{eps_id}")
    assert (summary["present"], summary["registered"], summary["left"]) == (2, 3, 1)

    shot = screenshot(page, "eps", "desk")
    assert shot.stat().st_size > 20000
    assert run_axe(page, e2e_server) == []


def test_desk_with_household_form_and_centre_pages_pass_axe(login_as, e2e_server, exercise_centre):
    _, eps_id = exercise_centre
    page = login_as("eps_staff")
    page.goto(f"{e2e_server.url}/eps/{eps_id}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.get_by_role("button", name="Legg til husstandsmedlem").click()
    assert _focused_id(page) == "m1-name"
    assert run_axe(page, e2e_server) == []
    page.goto(f"{e2e_server.url}/eps/{eps_id}")
    page.locator("#departments article").first.wait_for(timeout=10000)
    assert page.locator("#departments article").count() == 8
    assert run_axe(page, e2e_server) == []
    screenshot(page, "eps", "centre")
    page.goto(f"{e2e_server.url}/eps")
    assert page.locator("#centre-rows tr", has_text="Gimlehallen").count() >= 1
    assert run_axe(page, e2e_server) == []


def test_viewer_sees_counts_but_never_the_desk(login_as, e2e_server, exercise_centre):
    _, eps_id = exercise_centre
    page = login_as("viewer")
    page.goto(f"{e2e_server.url}/eps/{eps_id}")
    assert page.locator("#occ-figure").is_visible()
    assert page.locator("#desk-link").count() == 0
    response = page.goto(f"{e2e_server.url}/eps/{eps_id}/desk")
    assert response.status == 403
