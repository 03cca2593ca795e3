"""The browser's live module across a server restart: state shown, missed lines caught up, no reload."""

import requests

from tests.conftest import ServerProcess, cli, cli_user, free_port, prepare_database
from tests.e2e.conftest import screenshot


def test_page_reconnects_and_catches_up_after_restart(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    instance = tmp_path / "instance"
    prepare_database(url, instance)
    cli_user(url, instance, "stab", "coordinator", "et-passord-for-stab")
    token = cli(url, instance, "users", "token", "stab").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    server = ServerProcess(url, instance, port=port).start()
    other = None
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/login")
        page.fill("#username", "stab")
        page.fill("#password", "et-passord-for-stab")
        page.click("button[type=submit]")
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
        server.kill()
        page.locator("#conn-state[data-state=reconnecting]").wait_for(timeout=15000)
        assert page.locator("#conn-state").inner_text() == "kobler til igjen …"
        # While this process is down, another process writes to the same database.
        other = ServerProcess(url, instance).start()
        created = requests.post(
            other.url + "/api/v1/incidents", json={"title": "Mens du var borte"}, headers=headers, timeout=10
        )
        assert created.status_code == 201
        server = ServerProcess(url, instance, port=port).start()
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=30000)
        page.get_by_text("Mens du var borte").wait_for(timeout=15000)
        screenshot(page, "live-reconnect", "after-restart")
        context.close()
    finally:
        server.stop()
        if other:
            other.stop()
