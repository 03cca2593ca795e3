"""Kristiansand demo data: one user per role, the parties of the agreement, and each domain's seed."""

import importlib
import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import ROLE_TITLES, Role
from beredskap.auth.services import create_user
from beredskap.extensions import db

# Domains that offer `seed_demo() -> list[str]` (idempotent); the order matters (maps before EPS).
DOMAIN_SEEDERS = [
    "beredskap.cooperation.services",
    "beredskap.roster.services",
    "beredskap.maps.resources",
    "beredskap.eps.services",
    "beredskap.incidents.demo",
    "beredskap.exercises.library",
]


def demo_username(role: Role) -> str:
    return f"demo.{role.value}"


def seed_users(credentials_file: str | None) -> list[str]:
    """One demo user per role with a random password, kept in an owner-only file and printed once."""
    created: list[tuple[str, str, str]] = []
    for role in Role:
        name = demo_username(role)
        if db.session.scalar(select(User).where(User.username == name)):
            continue
        user, password = create_user(name, role.value, secrets.token_urlsafe(15), f"Demo {ROLE_TITLES[role]}")
        created.append((user.username, role.value, password))
    if not created:
        return ["Demobrukerne finnes allerede."]
    path = Path(credentials_file or Path(current_app.instance_path) / "demo-credentials.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "a") as fh:
        for username, role, password in created:
            fh.write(f"{username}\t{role}\t{password}\n")
    lines = [f"Demobrukere opprettet (passordene er også lagret i {path}, kun lesbar for eieren):"]
    lines += [f"  {u:<32} {r:<24} {p}" for u, r, p in created]
    return lines


def seed_demo(credentials_file: str | None = None) -> list[str]:
    report = seed_users(credentials_file)
    for name in DOMAIN_SEEDERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        seeder = getattr(module, "seed_demo", None)
        if seeder:
            report += seeder() or []
    db.session.commit()
    return report
