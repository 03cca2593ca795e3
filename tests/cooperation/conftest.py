"""The cooperation API tests' client: one token per role, on SQLite and PostgreSQL."""

import pytest

from tests.conftest import Api, gen_user


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
