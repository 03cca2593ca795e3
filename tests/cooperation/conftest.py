"""The cooperation API tests' client: one token per role, on SQLite and PostgreSQL."""

import pytest

from tests.conftest import Api, gen_user

# The årshjul of one year (§3 of the agreement): the kinds of item and how many of each.
CYCLE_KINDS = {
    "politirad": 2,
    "formannskap": 2,
    "regionalt_politirad": 1,
    "oversiktsbilde": 1,
    "trusselvurdering": 1,
    "avtaleevaluering": 1,
}


@pytest.fixture
def api(any_app):
    """api(role) → a token client on SQLite and PostgreSQL; each role's user is made the first time it is asked for."""
    client = any_app.test_client()
    tokens: dict[str, str] = {}

    def for_role(role: str) -> Api:
        if role not in tokens:
            tokens[role] = gen_user(any_app, role)[3]
        return Api(client, tokens[role])

    return for_role
