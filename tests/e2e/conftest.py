"""End-to-end fixtures: a real server process and a real Chromium driven by Playwright."""

import os
import secrets
from pathlib import Path

import pytest
import requests

from beredskap.extensions import db
from tests.conftest import ServerProcess, app_on, cli, output_dir, prepare_database

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ROLES = [
    "admin",
    "coordinator",
    "crisis_staff",
    "police",
    "eps_staff",
    "exercise_planner",
    "observer",
    "prevention_coordinator",
    "viewer",
]


def pytest_collection_modifyitems(config, items):
    """Every test here drives a real server process and Chromium: all are `e2e` and `slow` (left out of test-fast)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


class E2EServer:
    def __init__(self, server: ServerProcess, creds: dict, tokens: dict, instance: Path, url: str):
        self.server = server
        self.url = server.url
        self.creds = creds  # role → (username, password)
        self.instance = instance
        self.database_url = url
        self._tokens = tokens  # role → API token

    def token(self, role: str) -> str:
        return self._tokens[role]

    def call(self, role: str, method: str, path: str, body=None, *, timeout: float = 30, expect=None) -> dict:
        """An API call as `role` that must succeed (status in `expect`, or below 400); returns the JSON body."""
        response = requests.request(
            method, self.url + path, json=body, timeout=timeout, headers={"Authorization": f"Bearer {self.token(role)}"}
        )
        ok = response.status_code in expect if expect else response.status_code < 400
        assert ok, (path, response.status_code, response.text[:300])
        return response.json()


def create_role_users(url: str, instance: Path) -> tuple[dict, dict]:
    """One user per role with a known password and an API token: role → (username, password), role → token.

    Made with the auth services the `users create` and `users token` commands call, in one app in this process
    rather than eighteen CLI processes (tests/cli tests the commands themselves).
    """
    from beredskap.auth.services import create_user, issue_token

    app = app_on(url, instance)
    creds, tokens = {}, {}
    with app.app_context():
        for role in ROLES:
            password = secrets.token_urlsafe(16)
            user, _ = create_user(f"e2e.{role}", role, password)
            creds[role] = (user.username, password)
            tokens[role] = issue_token(user)
        db.session.remove()
        db.engine.dispose()
    return creds, tokens


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    """A demo-seeded database, one user per role with a known password, and `python wsgi.py`.

    One for the whole session: seeding all domains costs more than every e2e test together.
    """
    tmp = tmp_path_factory.mktemp("e2e")
    instance = tmp / "instance"
    url = f"sqlite:///{tmp / 'e2e.db'}"
    prepare_database(url, instance)
    seeded = cli(url, instance, "demo", "seed")
    assert seeded.returncode == 0, seeded.stderr
    creds, tokens = create_role_users(url, instance)
    server = ServerProcess(url, instance, env={"BEREDSKAP_SCHEDULER_INTERVAL": "0.2"}).start()
    yield E2EServer(server, creds, tokens, instance, url)
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium mangler på {CHROMIUM}: installer med apt-get install -y chromium (.ci/run gjør det)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def login_page(browser, server: E2EServer, role: str, viewport=None):
    """A new browser context logged in as the role; returns the page."""
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    page = context.new_page()
    page.goto(server.url + "/login")
    username, password = server.creds[role]
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)
    return page


@pytest.fixture
def login_as(browser, e2e_server):
    pages = []

    def factory(role: str, viewport=None):
        page = login_page(browser, e2e_server, role, viewport)
        pages.append(page)
        return page

    yield factory
    for page in pages:
        page.context.close()


def run_axe(page, server: E2EServer) -> list[dict]:
    """axe-core (served by the app from the npm package) on the current page: serious/critical violations."""
    page.add_script_tag(url=server.url + "/static/vendor/axe.min.js")
    result = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def screenshot(page, test_name: str, name: str) -> Path:
    path = output_dir(test_name) / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
