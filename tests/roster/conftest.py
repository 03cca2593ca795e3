"""Roster fixtures: the demo organisation seeded, deliveries processed explicitly (no background kick)."""

import pytest


@pytest.fixture
def roster_app(app):
    """The SQLite app with the demo crisis organisation; tests drive the queue with an explicit clock."""
    app.config["ALERT_DELIVERY_KICK"] = False
    app.config["PUBLIC_BASE_URL"] = "http://beredskap.test"
    with app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    return app
