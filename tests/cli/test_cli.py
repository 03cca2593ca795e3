"""Command line contract: one-line errors, generated passwords, tokens on the last line, idempotent seed."""

import pytest
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.cooperation.models import Party
from beredskap.extensions import db


def test_users_create_generates_and_prints_password(app, runner):
    result = runner.invoke(args=["users", "create", "kari", "--role", "police"])
    assert result.exit_code == 0
    password = result.output.strip().splitlines()[-1].split("Passord: ")[1]
    assert len(password) >= 12
    client = app.test_client()
    from tests.conftest import login

    assert login(client, "kari", password).status_code == 302


def test_users_create_reads_password_from_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "ola", "--role", "viewer", "--password-stdin"], input="et-langt-passord-123\n"
    )
    assert result.exit_code == 0 and "et-langt-passord-123" not in result.output


def test_users_create_bad_input_is_one_line_error(app, runner):
    for args, expected in [
        (["users", "create", "x1", "--role", "king"], "Ukjent rolle"),
        (["users", "create", "x2", "--role", "viewer", "--password-stdin"], "minst 12 tegn"),
    ]:
        result = runner.invoke(args=args, input="kort\n")
        assert result.exit_code != 0
        assert expected in result.output
        assert len(result.output.strip().splitlines()) == 1
    runner.invoke(args=["users", "create", "dup", "--role", "viewer"])
    again = runner.invoke(args=["users", "create", "dup", "--role", "viewer"])
    assert again.exit_code != 0 and "finnes allerede" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_users_token_last_line_authenticates(app, runner):
    runner.invoke(args=["users", "create", "stab", "--role", "crisis_staff"])
    result = runner.invoke(args=["users", "token", "stab"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["username"] == "stab"
    unknown = runner.invoke(args=["users", "token", "nobody"])
    assert unknown.exit_code != 0 and "ukjent bruker" in unknown.output


@pytest.mark.slow  # seeds every domain twice
def test_demo_seed_is_idempotent(app, runner, tmp_path):
    creds = tmp_path / "creds.txt"
    first = runner.invoke(args=["demo", "seed", "--credentials-file", str(creds)])
    assert first.exit_code == 0, first.output
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
        names = set(db.session.scalars(select(Party.name)))
        tables = {
            t: db.session.execute(select(func.count()).select_from(db.metadata.tables[t])).scalar()
            for t in db.metadata.tables
        }
    assert users == 9
    assert {
        "Kristiansand kommune",
        "Agder politidistrikt",
        "Kristiansand politistasjon",
        "Søgne og Songdalen politistasjon",
    } <= names
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    assert len(creds.read_text().splitlines()) == 9
    second = runner.invoke(args=["demo", "seed", "--credentials-file", str(creds)])
    assert second.exit_code == 0
    with app.app_context():
        again = {
            t: db.session.execute(select(func.count()).select_from(db.metadata.tables[t])).scalar()
            for t in db.metadata.tables
        }
    # Events and audit rows may be written by seeders; the data itself must not grow.
    assert {t: n for t, n in again.items() if t not in ("events", "channels", "audit_records")} == {
        t: n for t, n in tables.items() if t not in ("events", "channels", "audit_records")
    }
    assert len(creds.read_text().splitlines()) == 9
