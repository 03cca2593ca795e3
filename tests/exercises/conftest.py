"""Fixtures for the exercise tests: small scenarios, API clients on any database, journal readers."""

import pytest
from sqlalchemy import select

from beredskap.extensions import db
from beredskap.realtime.models import Event
from tests.conftest import Api, gen_user
from tests.factories import make_scenario


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
