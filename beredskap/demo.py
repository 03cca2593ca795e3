"""Kristiansand demo data: one user per role, the parties of the agreement, and each domain's seed."""

import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import ROLE_TITLES, Role
from beredskap.auth.services import create_user
from beredskap.extensions import db


def demo_username(role: Role) -> str:
    return f"demo.{role.value}"


def seed_users(credentials_file: str | None) -> list[str]:
    """One demo user per role with a random password, kept in an owner-only file and printed once."""
    created: list[tuple[str, str, str]] = []
    for role in Role:
        name = demo_username(role)
        if db.session.scalar(select(User).where(User.username == name)):
            continue
        display_name = f"Demo {ROLE_TITLES[role]}"  # i18n: stored as data (the demo user's name)
        user, password = create_user(name, role.value, secrets.token_urlsafe(15), display_name)
        created.append((user.username, role.value, password))
    if not created:
        return ["Demobrukerne finnes allerede."]  # i18n: CLI output
    path = Path(credentials_file or Path(current_app.instance_path) / "demo-credentials.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "a") as fh:
        for username, role, password in created:
            fh.write(f"{username}\t{role}\t{password}\n")
    lines = [f"Demobrukere opprettet (passordene er også lagret i {path}, kun lesbar for eieren):"]  # i18n: CLI output
    lines += [f"  {u:<32} {r:<24} {p}" for u, r, p in created]
    return lines


def seed_demo(credentials_file: str | None = None) -> list[str]:
    report = seed_users(credentials_file)
    # Each domain's seed, in the order beredskap/domains.py gives (maps before EPS).
    for seeder in current_app.extensions["beredskap.domains"].demo_seeders:
        report += seeder() or []
    db.session.commit()
    return report
