"""Issue 13: login limits live in Redis when REDIS_URL is set, so every server process counts the same attempts."""

import uuid

import pytest
import requests

from tests.conftest import REDIS_URL, cli

pytestmark = pytest.mark.slow  # two server processes sharing Redis


def _login(base: str, username: str, password: str) -> int:
    with requests.Session() as http:
        page = http.get(base + "/login", timeout=30).text
        token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
        data = {"username": username, "password": password, "csrf_token": token}
        return http.post(base + "/login", data=data, allow_redirects=False, timeout=30).status_code


def _create(database_url, instance, role: str) -> tuple[str, str]:
    name = f"rl{uuid.uuid4().hex[:8]}"
    password = "Fjordlys-" + uuid.uuid4().hex
    done = cli(database_url, instance, "users", "create", name, "--role", role, "--password-stdin", stdin=password)
    assert done.returncode == 0, done.stderr
    return name, password


def test_wrong_logins_counted_on_one_process_limit_the_other_but_not_a_colleague(server_factory, tmp_path):
    if not REDIS_URL:
        pytest.skip("REDIS_URL må være satt (det gjør .ci/run): test med to prosesser som deler Redis")
    database_url = f"sqlite:///{tmp_path / 'server.db'}"
    env = {"LOGIN_RATE_LIMIT": "5 per minute", "LOGIN_USER_RATE_LIMIT": "30 per 10 minutes"}
    first = server_factory(database_url, redis_url=REDIS_URL, env=env)
    second = server_factory(database_url, redis_url=REDIS_URL, env=env)
    victim, _ = _create(database_url, server_factory.instance, "viewer")
    colleague, password = _create(database_url, server_factory.instance, "coordinator")

    assert [_login(first.url, victim, "gjett-passordet") for _ in range(5)] == [401] * 5
    # The sixth guess goes to the other process: it sees the five counted by the first, through Redis.
    assert _login(second.url, victim, "gjett-passordet") == 429
    # A colleague on the same address is not locked out by someone else's guessing, on either process.
    assert _login(second.url, colleague, password) == 302
    assert _login(first.url, colleague, password) == 302
