"""Command line: users, demo data, scenarios, map layers, privacy purge (CONTRACT §1)."""

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from beredskap.eps.services import purge_expired_personal_data
from beredskap.errors import REFUSALS
from beredskap.exercises.library import load_scenario_file
from beredskap.maps.catalogue import import_layer

users_cli = AppGroup("users", help="Brukere og API-nøkler.")
demo_cli = AppGroup("demo", help="Demodata for Kristiansand.")
exercises_cli = AppGroup("exercises", help="Øvelser.")
maps_cli = AppGroup("maps", help="Kartlag.")
privacy_cli = AppGroup("privacy", help="Personvern.")


def fail(message: str) -> None:
    """One line on stderr, non-zero exit."""
    click.echo(f"Feil: {message}", err=True)
    sys.exit(1)


@users_cli.command("create")
@click.argument("name")
@click.option("--role", required=True, help="admin, coordinator, crisis_staff, police, eps_staff, …")
@click.option("--password-stdin", is_flag=True, help="Les passordet fra standard inn.")
@click.option("--display-name", default="", help="Fullt navn.")
def users_create(name: str, role: str, password_stdin: bool, display_name: str) -> None:
    """Create a user; without --password-stdin a password is generated and printed."""
    from beredskap.auth.services import create_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user, clear = create_user(name, role, password, display_name)
    except REFUSALS as err:
        fail(err.message)
    click.echo(f"Bruker {user.username} ({user.role}) opprettet.")
    if not password_stdin:
        click.echo(f"Passord: {clear}")


@users_cli.command("token")
@click.argument("name")
@click.option("--days", type=int, default=None, help="Dager nøkkelen gjelder (standard API_TOKEN_DAYS; 0 = aldri).")
def users_token(name: str, days: int | None) -> None:
    """Issue a new API token; the token is the last line printed."""
    from beredskap.auth.models import User
    from beredskap.auth.services import issue_token
    from beredskap.extensions import db

    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        fail(f"ukjent bruker «{name}».")
    try:
        token = issue_token(user, days)
    except REFUSALS as err:
        fail(err.message)
    click.echo(f"Ny API-nøkkel for {user.username}:")
    click.echo(token)


@users_cli.command("revoke")
@click.argument("name")
def users_revoke(name: str) -> None:
    """Revoke every API token of a user."""
    from beredskap.auth.models import User
    from beredskap.auth.services import revoke_tokens
    from beredskap.extensions import db

    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        fail(f"ukjent bruker «{name}».")
    click.echo(f"{revoke_tokens(user)} nøkler trukket tilbake.")


@demo_cli.command("seed")
@click.option("--credentials-file", default=None, help="Hvor demopassordene lagres (standard instance/).")
def demo_seed(credentials_file: str | None) -> None:
    """Load the Kristiansand demo data; running it twice changes nothing."""
    from beredskap.demo import seed_demo

    report = seed_demo(credentials_file)
    for line in report:
        click.echo(line)


@exercises_cli.command("load")
@click.argument("path", type=click.Path(dir_okay=False))
def exercises_load(path: str) -> None:
    """Import a scenario YAML; prints the new exercise id as the last line."""
    try:
        exercise = load_scenario_file(path)
    except (*REFUSALS, ValueError, OSError) as err:
        fail(getattr(err, "message", None) or str(err))
    click.echo(f"Øvelse «{exercise.title}» importert.")
    click.echo(str(exercise.id))


@maps_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--layer", "layer", required=True, help="Navn på kartlaget.")
def maps_import(path: str, layer: str) -> None:
    """Import GeoJSON, GeoPackage or Shapefile as a named layer (reprojected to EPSG:4326)."""
    try:
        result = import_layer(path, layer)
    except (*REFUSALS, ValueError, OSError) as err:
        fail(getattr(err, "message", None) or str(err))
    click.echo(f"Kartlag «{layer}» importert med {result['feature_count']} objekter.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Vis hva som ville blitt slettet.")
def privacy_purge(dry_run: bool) -> None:
    """Delete personal data past retention."""
    result = purge_expired_personal_data(dry_run=dry_run)
    prefix = "Ville slettet" if dry_run else "Slettet"
    click.echo(f"{prefix}: {result}")


def register_cli(app: Flask) -> None:
    for group in (users_cli, demo_cli, exercises_cli, maps_cli, privacy_cli):
        app.cli.add_command(group)
