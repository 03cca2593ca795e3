"""User administration in Chromium: create a user, change the role, reset the password (shown once and
working), issue an API token (shown once, working) and revoke it."""

import re

import requests

from tests.e2e.conftest import run_axe, screenshot


def test_user_admin_role_password_and_token(login_as, e2e_server, browser):
    page = login_as("admin")
    page.goto(e2e_server.url + "/admin/users")
    page.fill("#username", "e2e.ny.vakt")
    page.fill("#display_name", "Ny Vakt")
    page.select_option("#role", "viewer")
    page.click("text=Opprett")
    page.locator(".flash-success", has_text="e2e.ny.vakt").wait_for(timeout=10000)
    row = page.locator("tr", has_text="e2e.ny.vakt")
    user_id = row.locator("td.user-actions").get_attribute("id").removeprefix("user-")

    row.locator(f"#role-{user_id}").select_option("observer")
    row.locator("button", has_text="Endre rolle").click()
    page.locator(".flash-success", has_text="har nå rollen observer").wait_for(timeout=10000)
    assert "Observatør" in page.locator("tr", has_text="e2e.ny.vakt").inner_text()

    page.locator("tr", has_text="e2e.ny.vakt").locator("button.reset-password").click()
    secret = page.locator(".flash-secret").inner_text()
    password = re.search(r"vises bare nå\): (\S+)", secret).group(1)
    other = browser.new_context(locale="nb-NO").new_page()
    other.goto(e2e_server.url + "/login")
    other.fill("#username", "e2e.ny.vakt")
    other.fill("#password", password)
    other.click("button[type=submit]")
    other.wait_for_url(lambda u: "/login" not in u)
    other.context.close()

    page.locator("tr", has_text="e2e.ny.vakt").locator("button.issue-token").click()
    token = re.search(r"vises bare nå\): (\S+)", page.locator(".flash-secret").inner_text()).group(1)
    me = requests.get(e2e_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200 and me.json()["role"] == "observer"
    assert run_axe(page, e2e_server) == []
    screenshot(page, "admin", "users")
    page.locator("tr", has_text="e2e.ny.vakt").locator("button.revoke-tokens").click()
    page.locator(".flash-success", has_text="trukket tilbake").wait_for(timeout=10000)
    gone = requests.get(e2e_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert gone.status_code == 401
