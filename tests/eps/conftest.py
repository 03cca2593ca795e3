"""Fixtures for the EPS tests: an incident with an open centre, fictitious people, and scanners for leaks."""

import json

import pytest
from sqlalchemy import select

from beredskap.extensions import db
from tests.factories import gen_centre, gen_evacuee

# Fictitious people; every value is distinctive so a leak anywhere is found by a plain substring search.
PEOPLE = [
    {
        "full_name": "Åse Marie Ødegård",
        "birth_date": "1949-01-30",
        "phone": "+47 412 34 567",
        "address": "Elvegata 12, 4614 Kristiansand",
        "needs": ["helse", "tolk"],
        "needs_note": "Insulin morgen og kveld",
    },
    {
        "full_name": "Per Hansen",
        "birth_date": "02.04.1961",
        "phone": "93 81 72 60",
        "address": "Tordenskjolds gate 77, 4612 Kristiansand",
        "needs": ["mobilitet"],
    },
    {
        "full_name": "Kari Nordmann",
        "birth_date": "1990-03-03",
        "phone": "90 11 22 33",
        "address": "Sjøgata 5, 4610 Kristiansand",
    },
]
INQUIRER = {
    "inquirer_name": "Ingrid Ødegård Lunde",
    "inquirer_phone": "+47 977 66 554",
    "relation": "datter",
    "sought_name": "aase marie odegaard",
    "sought_birth_year": 1949,
}


def secrets_of(people, inquiries=()) -> list[str]:
    """Every personal value used, in the forms it could leak in (as typed, ISO date, phone digits)."""
    values: list[str] = []
    for person in people:
        for key in ("full_name", "phone", "address", "needs_note"):
            if person.get(key):
                values.append(person[key])
        if person.get("phone"):
            values.append("".join(ch for ch in person["phone"] if ch.isdigit())[-8:])
        birth = person.get("birth_date")
        if birth:
            values.append(birth)
            if "." in birth:
                day, month, year = birth.split(".")
                values.append(f"{year}-{month}-{day}")
            else:
                year, month, day = birth.split("-")
                values.append(f"{day}.{month}.{year}")
        # The family name alone is a leak too.
        values.append(person["full_name"].split()[-1])
    for inquiry in inquiries:
        for key in ("inquirer_name", "inquirer_phone", "sought_name", "sought_phone"):
            if inquiry.get(key):
                values.append(inquiry[key])
    return values


def leaks(text: str, values: list[str]) -> list[str]:
    """Return the personal values found in text (case-insensitive)."""
    haystack = text.casefold()
    return [value for value in values if value.casefold() in haystack]


def all_events_text(app) -> str:
    from beredskap.realtime.models import Event

    with app.app_context():
        return "\n".join(
            json.dumps({"type": e.type, "data": e.data}, ensure_ascii=False) for e in db.session.scalars(select(Event))
        )


def all_audit_rows(app) -> list[dict]:
    from beredskap.auth.models import AuditRecord

    with app.app_context():
        return [r.to_dict() for r in db.session.scalars(select(AuditRecord).order_by(AuditRecord.id))]


@pytest.fixture
def centre(api_for):
    """An open incident with an EPS decided by the police; returns (incident_id, eps_id)."""
    police = api_for("police")
    incident_id, eps_id = gen_centre(police)
    # The exports to the police need a legal basis (issue 16): this centre shares on a hjemmel.
    record_hjemmel(police, eps_id)
    return incident_id, eps_id


HJEMMEL = {
    "kind": "hjemmel",
    "legal_basis": "Forvaltningsloven § 13 b første ledd nr. 6",
    "purpose": "Utlevering av EPS-registreringene til politiet",
}


def record_hjemmel(api, eps_id: int) -> int:
    """Record a hjemmel for the centre's exports to the police; returns its id."""
    response = api.post(f"/api/v1/eps/{eps_id}/share-bases", json=HJEMMEL)
    assert response.status_code == 201, response.json
    return response.json["id"]


register = gen_evacuee  # register(api, eps_id, person) → evacuee id


def inquiry_for(sought: str) -> dict:
    """A next-of-kin inquiry for `sought`, as the desk would type it."""
    return {
        "inquirer_name": "Pårørende Testesen",
        "inquirer_phone": "90000003",
        "relation": "bror",
        "sought_name": sought,
    }
