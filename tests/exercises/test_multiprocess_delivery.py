"""Two real server processes run the scheduler on one database: every inject is delivered exactly once, in order."""

import time

import pytest
import requests

from tests.conftest import cli
from tests.exercises.conftest import make_scenario

pytestmark = pytest.mark.slow  # two server processes

INJECTS = 8
SPEED = 10


def wait_until_delivered(url: str, headers: dict, exercise_id: int, count: int) -> dict:
    # Polls for completion; the assertion is about what was delivered, not about how fast.
    deadline = time.monotonic() + 60
    state: dict = {}
    while time.monotonic() < deadline:
        state = requests.get(f"{url}/api/v1/exercises/{exercise_id}/control", headers=headers, timeout=10).json()
        if state["counts"]["delivered"] >= count:
            return state
        time.sleep(0.2)
    return state


def run_two_processes(server_factory, database_url: str | None) -> None:
    env = {"BEREDSKAP_SCHEDULER_INTERVAL": "0.1"}
    a = server_factory(database_url, env=env)
    b = server_factory(database_url, env=env)
    url = a.database_url
    assert (
        cli(url, server_factory.instance, "users", "create", "planlegger", "--role", "exercise_planner").returncode == 0
    )
    token = cli(url, server_factory.instance, "users", "token", "planlegger").stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    # Offsets 2, 4 … 16 s at speed 10: one inject every 0.2 s of wall time, while both schedulers poll every 0.1 s.
    offsets = [f"0:00:{2 * n:02d}" for n in range(1, INJECTS + 1)]
    created = requests.post(
        f"{a.url}/api/v1/exercises", json=make_scenario("To prosesser", offsets), headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    exercise_id = created.json()["id"]
    started = requests.post(
        f"{b.url}/api/v1/exercises/{exercise_id}/start", json={"speed": SPEED}, headers=headers, timeout=10
    )
    assert started.status_code == 201, started.text
    incident_id = started.json()["incident_id"]

    state = wait_until_delivered(a.url, headers, exercise_id, INJECTS)
    assert state["counts"]["delivered"] == INJECTS, state
    time.sleep(1)  # both schedulers get more ticks in which a duplicate would show up

    for server in (a, b):
        events = requests.get(
            f"{server.url}/api/v1/channels/incident:{incident_id}/events", headers=headers, timeout=10
        ).json()["events"]
        delivered = [event["data"]["no"] for event in events if event["type"] == "inject.delivered"]
        assert delivered == list(range(1, INJECTS + 1))
        assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    for server in (a, b):
        assert "Traceback" not in server.log_text()


def test_two_processes_on_sqlite_deliver_each_inject_once(server_factory):
    run_two_processes(server_factory, None)


@pytest.mark.usefixtures("pg_schema")
def test_two_processes_on_postgresql_deliver_each_inject_once(server_factory, pg_schema):
    run_two_processes(server_factory, pg_schema.url)
