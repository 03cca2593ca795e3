"""Fixtures for the exercise tests: small scenarios, API clients on any database, journal readers."""

import pytest
from sqlalchemy import select

from beredskap.extensions import db
from beredskap.realtime.models import Event
from tests.conftest import Api, gen_user


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


@pytest.fixture
def scenario():
    return make_scenario


@pytest.fixture
def any_api(any_app):
    """any_api(role) → an Api client on the SQLite or PostgreSQL app, one user per role asked for."""
    client = any_app.test_client()
    tokens: dict[str, str] = {}

    def factory(role: str) -> Api:
        if role not in tokens:
            tokens[role] = gen_user(any_app, role)[3]
        return Api(client, tokens[role])

    return factory


def channel_events(app, incident_id: int, type_: str | None = None) -> list[Event]:
    """The journal of an incident channel in seq order, optionally of one event type."""
    with app.app_context():
        stmt = select(Event).where(Event.channel == f"incident:{incident_id}").order_by(Event.seq)
        events = list(db.session.scalars(stmt))
        db.session.expunge_all()
    return [event for event in events if type_ is None or event.type == type_]


def delivered_nos(app, incident_id: int) -> list[int]:
    """The `no` of every inject.delivered event on the incident channel, in seq order."""
    return [event.data["no"] for event in channel_events(app, incident_id, "inject.delivered")]
