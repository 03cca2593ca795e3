"""Test factories: plain `gen_<thing>` functions that make the common objects the way the product makes them.

Users are made with the auth services; everything else through the JSON API with an `Api` client, so a factory
exercises the same validation, audit and events as a real request. Each factory asserts the product accepted the
object, so a broken factory fails where it is called, not three lines later.
"""

import secrets
import threading
import uuid
from collections.abc import Iterator, Mapping

from beredskap.auth.permissions import Role

ROLES = tuple(role.value for role in Role)


def gen_user(app, role: str, username: str | None = None, password: str | None = None):
    """Create a user and an API token; returns (user_id, username, password, token)."""
    from beredskap.auth.services import create_user, issue_token

    with app.app_context():
        user, clear = create_user(
            username or f"{role}.{uuid.uuid4().hex[:6]}", role, password or secrets.token_urlsafe(16)
        )
        token = issue_token(user)
        return user.id, user.username, clear, token


class LazyUsers(Mapping):
    """One user per role, role → (id, username, password, token), each made the first time a test asks for it.

    It reads like the dict of all nine roles it replaces (keys, len, `in`), but a test that uses two roles pays
    for two users. Looking one up from several threads at once makes it once.
    """

    def __init__(self, app):
        self.app = app
        self._made: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def __getitem__(self, role: str) -> tuple:
        if role not in ROLES:
            raise KeyError(role)
        with self._lock:
            if role not in self._made:
                self._made[role] = gen_user(self.app, role)
            return self._made[role]

    def __contains__(self, role: object) -> bool:
        return role in ROLES

    def __iter__(self) -> Iterator[str]:
        return iter(ROLES)

    def __len__(self) -> int:
        return len(ROLES)

    @property
    def made(self) -> tuple[str, ...]:
        """The roles whose user exists so far."""
        return tuple(self._made)


def gen_incident(api, **fields) -> int:
    """Open an incident through the API; returns its id."""
    body = {"title": "Flom i Otra ved Lundsbroa", "kind": "incident", **fields}
    response = api.post("/api/v1/incidents", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def gen_log_entry(api, incident_id: int, text: str = "Vannstanden stiger ved Lundsbroa", **fields) -> dict:
    """Append an entry to an incident's log; returns the entry."""
    response = api.post(f"/api/v1/incidents/{incident_id}/log", json={"text": text, **fields})
    assert response.status_code == 201, response.json
    return response.json


def gen_centre(api, incident_id: int | None = None, **fields) -> tuple[int, int]:
    """An EPS centre decided by the police, on a new incident unless one is given; returns (incident_id, eps_id).

    `api` must act for a role that may open incidents and decide centres (police or coordinator).
    """
    if incident_id is None:
        incident_id = gen_incident(api, title="Flom i Otra")
    body = {"name": "Gimlehallen", "capacity": 120, "decided_by": "politi", **fields}
    response = api.post(f"/api/v1/incidents/{incident_id}/eps", json=body)
    assert response.status_code == 201, response.json
    return incident_id, response.json["id"]


def gen_evacuee(api, eps_id: int, person: dict) -> int:
    """Register a person as present at a centre; returns the evacuee id."""
    response = api.post(f"/api/v1/eps/{eps_id}/evacuees", json=person)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "present"
    return response.json["id"]


def gen_roster_person(api, name: str = "Ola Vaktmann", **fields) -> dict:
    """A person in the crisis organisation's roster; returns the person."""
    response = api.post("/api/v1/roster/people", json={"name": name, **fields})
    assert response.status_code == 201, response.json
    return response.json


def make_scenario(title: str = "Testøvelse flom", offsets=("00:00:10", "00:00:20", "00:00:30"), **extra) -> dict:
    """A valid scenario with one inject per offset (no 1, 2, 3 …) and two objectives."""
    return {
        "title": title,
        "form": "spilløvelse",
        "purpose": "Øve kriseledelsen i flom.",
        "participants": [{"role": "kriseledelse", "description": "Ordfører og kommunedirektør"}, "politi"],
        "objectives": [
            {"id": "M1", "text": "Etablere kriseledelse", "indicators": ["Innkalt innen 15 min"]},
            {"id": "M2", "text": "Informere befolkningen", "indicators": ["Melding på nett innen 30 min"]},
        ],
        "injects": [
            {
                "no": number,
                "at": at,
                "from": "NVE",
                "to": "kriseledelse" if number % 2 else "politi",
                "channel": "telefon",
                "text": f"ØVELSE innspill {number}",
                "expected": f"Tiltak {number}",
                "objective": "M1" if number % 2 else "M2",
            }
            for number, at in enumerate(offsets, start=1)
        ],
        **extra,
    }


def gen_exercise(api, scenario: dict | None = None, *, start_speed: float | None = None) -> int:
    """Plan an exercise (as exercise_planner) and, given a speed, start it; returns its id."""
    response = api.post("/api/v1/exercises", json=scenario or make_scenario())
    assert response.status_code == 201, response.json
    exercise_id = response.json["id"]
    if start_speed is not None:
        started = api.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": start_speed})
        assert started.status_code == 201, started.json
    return exercise_id
