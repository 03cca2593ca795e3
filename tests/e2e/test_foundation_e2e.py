"""The foundation in a real browser: login, the Norwegian start page, the live connection state."""

from tests.e2e.conftest import run_axe, screenshot


def test_login_shows_norwegian_start_page_connected(login_as, e2e_server):
    page = login_as("coordinator")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").inner_text() == "Oversikt"
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert page.locator("#conn-state").inner_text() == "tilkoblet"
    shot = screenshot(page, "foundation", "start-page")
    assert shot.stat().st_size > 5000


def test_start_page_follows_global_channel_live(login_as, e2e_server):
    import requests

    page = login_as("viewer")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    title = "Gasslekkasje Tangen (live)"
    response = requests.post(
        e2e_server.url + "/api/v1/incidents",
        json={"title": title, "severity": 3},
        headers={"Authorization": f"Bearer {e2e_server.token('coordinator')}"},
        timeout=10,
    )
    assert response.status_code == 201
    page.get_by_text(title).wait_for(timeout=10000)


def test_login_page_and_start_page_pass_axe(browser, e2e_server, login_as):
    context = browser.new_context()
    anonymous = context.new_page()
    anonymous.goto(e2e_server.url + "/login")
    assert run_axe(anonymous, e2e_server) == []
    context.close()
    page = login_as("coordinator")
    assert run_axe(page, e2e_server) == []
