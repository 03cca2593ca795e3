"""The cooperation API tests' client: one token per role, on SQLite and PostgreSQL."""

import pytest

from tests.conftest import Api, gen_user

ROLES = ("admin", "coordinator", "police", "prevention_coordinator", "viewer", "crisis_staff")


@pytest.fixture
def api(any_app):
    """api(role) → a token client on SQLite and PostgreSQL."""
    client = any_app.test_client()
    tokens = {role: gen_user(any_app, role)[3] for role in ROLES}
    return lambda role: Api(client, tokens[role])
