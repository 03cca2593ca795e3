"""The test helpers themselves: thread errors reach the test, users are made only when asked for."""

import threading

import pytest
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.extensions import db
from tests.conftest import run_concurrently
from tests.factories import ROLES, gen_centre, gen_evacuee, gen_exercise, gen_incident, gen_log_entry


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_run_concurrently_raises_the_error_of_a_failing_thread_after_all_threads_ran():
    ran: list[int] = []
    lock = threading.Lock()

    def target(index: int) -> None:
        with lock:
            ran.append(index)
        if index == 2:
            raise ValueError("tråd 2 feilet")

    with pytest.raises(ValueError, match="tråd 2 feilet"):
        run_concurrently(target, 4)
    assert sorted(ran) == [0, 1, 2, 3]


def test_run_concurrently_raises_a_failed_assertion_in_a_thread():
    def target(index: int) -> None:
        assert index != 1, "tråd 1 så feil verdi"

    with pytest.raises(AssertionError, match="tråd 1 så feil verdi"):
        run_concurrently(target, 3)


def test_run_concurrently_raises_every_error_when_several_threads_fail():
    def target(index: int) -> None:
        if index % 2:
            raise RuntimeError(f"tråd {index}")

    with pytest.raises(ExceptionGroup) as caught:
        run_concurrently(target, 4)
    assert [str(error) for error in caught.value.exceptions] == ["tråd 1", "tråd 3"]


def test_run_concurrently_returns_quietly_when_every_thread_succeeds():
    seen: list[int] = []
    run_concurrently(seen.append, 5)
    assert sorted(seen) == [0, 1, 2, 3, 4]


def test_users_are_made_only_for_the_roles_a_test_asks_for(app, users, api_for):
    assert user_count(app) == 0
    assert sorted(users) == sorted(ROLES) and len(users) == len(ROLES) and "police" in users
    assert user_count(app) == 0

    police = api_for("police")
    assert police.get("/api/v1/incidents").status_code == 200
    user_id, username, _password, token = users["police"]
    assert users["police"] == (user_id, username, _password, token)  # the same user the second time
    assert username.startswith("police.") and police.token == token
    assert users.made == ("police",) and user_count(app) == 1

    with pytest.raises(KeyError):
        users["no_such_role"]
    assert user_count(app) == 1


def test_users_asked_for_from_several_threads_at_once_are_made_once(app, users):
    seen: list[tuple] = [()] * 4

    def ask(index: int) -> None:
        seen[index] = users["coordinator"]

    run_concurrently(ask, 4)
    assert len(set(seen)) == 1 and user_count(app) == 1


def test_factories_make_objects_the_api_then_returns(api_for):
    police = api_for("police")
    incident_id = gen_incident(police, title="Storbrann Kvadraturen")
    entry = gen_log_entry(police, incident_id, "Røykdykkere inne")
    log = police.get(f"/api/v1/incidents/{incident_id}/log").json
    assert entry["text"] == "Røykdykkere inne" and entry["id"] in [e["id"] for e in log["entries"]]

    same_incident, eps_id = gen_centre(police, incident_id)
    assert same_incident == incident_id
    evacuee_id = gen_evacuee(api_for("eps_staff"), eps_id, {"full_name": "Test Testesen", "birth_date": "1980-01-01"})
    assert police.get(f"/api/v1/eps/{eps_id}").json["present"] == 1 and evacuee_id > 0

    planner = api_for("exercise_planner")
    exercise_id = gen_exercise(planner, start_speed=10)
    assert planner.get(f"/api/v1/exercises/{exercise_id}").json["status"] == "running"
