"""The board shows EPS occupancy live, as counts only — never a name."""

import requests

from tests.e2e.conftest import screenshot


def test_board_shows_eps_occupancy_live_without_names(login_as, e2e_server):
    coordinator = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    incident = requests.post(
        e2e_server.url + "/api/v1/incidents", json={"title": "Brann i Markens gate"}, headers=coordinator, timeout=10
    ).json()
    page = login_as("crisis_staff")
    page.goto(f"{e2e_server.url}/incidents/{incident['id']}")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.get_by_text("Ingen EPS er opprettet").wait_for(timeout=10000)
    eps = requests.post(
        f"{e2e_server.url}/api/v1/incidents/{incident['id']}/eps",
        json={"name": "EPS Kristiansand katedralskole", "capacity": 50},
        headers=coordinator,
        timeout=10,
    )
    assert eps.status_code == 201
    person = requests.post(
        f"{e2e_server.url}/api/v1/eps/{eps.json()['id']}/evacuees",
        json={"full_name": "Synnøve Fiktiv Brannås", "phone": "40000001"},
        headers=coordinator,
        timeout=10,
    )
    assert person.status_code == 201
    item = page.locator(f"#eps-list [data-eps-id='{eps.json()['id']}']")
    item.get_by_text("1", exact=True).wait_for(timeout=10000)
    assert "av 50 til stede" in item.inner_text()
    assert "Synnøve" not in page.content() and "40000001" not in page.content()
    screenshot(page, "board", "eps-occupancy")
