"""Cooperation services: the parties of the agreement."""

from sqlalchemy import select

from beredskap.cooperation.models import Party
from beredskap.extensions import db

PARTIES = [
    ("kommune", "Kristiansand kommune", "kommune", None),
    ("politi", "Agder politidistrikt", "politi", None),
    ("politi-kristiansand", "Kristiansand politistasjon", "politi", "politi"),
    ("politi-sogne-songdalen", "Søgne og Songdalen politistasjon", "politi", "politi"),
]


def seed_demo() -> list[str]:
    """The parties of the agreement (idempotent)."""
    created = 0
    for key, name, kind, parent_key in PARTIES:
        if db.session.scalar(select(Party).where(Party.key == key)):
            continue
        parent = db.session.scalar(select(Party).where(Party.key == parent_key)) if parent_key else None
        db.session.add(Party(key=key, name=name, kind=kind, parent_id=parent.id if parent else None))
        db.session.flush()
        created += 1
    db.session.commit()
    return [f"Parter i samarbeidsavtalen: {created} nye."] if created else []


def list_parties() -> list[Party]:
    return list(db.session.scalars(select(Party).order_by(Party.id)))
