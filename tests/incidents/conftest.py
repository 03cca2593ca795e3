"""Fixtures for the board tests: incidents opened through the API, events of a channel."""

import pytest
from sqlalchemy import select

from beredskap.extensions import db
from beredskap.realtime.models import Event
from tests.factories import gen_incident


@pytest.fixture
def new_incident():
    """new_incident(api, **fields) → id of an incident opened through the API."""

    return gen_incident


def channel_events(app, channel: str) -> list[Event]:
    with app.app_context():
        events = list(db.session.scalars(select(Event).where(Event.channel == channel).order_by(Event.seq)))
        db.session.expunge_all()
        return events


@pytest.fixture
def events_of():
    """events_of(app, channel) → the channel's journal, oldest first."""
    return channel_events
