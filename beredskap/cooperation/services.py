"""Cooperation services: the parties and the directory (people, units, bydeler), at the bottom of the package.

Meetings, decisions, the årshjul and the knowledge base have their own modules (meetings, decisions,
annual, knowledge); the hooks the app calls (demo seed, start-page panel) are in `hooks`, at the top.
"""

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.cooperation.agreement import FUNCTIONS
from beredskap.cooperation.models import District, Party, Person
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.maps.districts import current_grouping
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

CHANNEL = "cooperation"

PARTIES = [
    ("kommune", "Kristiansand kommune", "kommune", None),
    ("politi", "Agder politidistrikt", "politi", None),
    ("politi-kristiansand", "Kristiansand politistasjon", "politi", "politi"),
    ("politi-sogne-songdalen", "Søgne og Songdalen politistasjon", "politi", "politi"),
    # The agreement is signed for the police by the leader of Midtre Agder driftsenhet.
    ("politi-midtre-agder", "Midtre Agder driftsenhet", "politi", "politi"),
]


def ensure_parties() -> int:
    """The parties of the agreement and their units (idempotent); returns how many were added."""
    created = 0
    for key, name, kind, parent_key in PARTIES:
        if db.session.scalar(select(Party).where(Party.key == key)):
            continue
        parent = db.session.scalar(select(Party).where(Party.key == parent_key)) if parent_key else None
        db.session.add(Party(key=key, name=name, kind=kind, parent_id=parent.id if parent else None))
        db.session.flush()
        created += 1
    return created


def bydel_names() -> list[str]:
    """The bydeler as the coordinator has grouped the delområder on the map, in alphabetical order."""
    return sorted({bydel for _, _, bydel in current_grouping()})


def check_bydel(name: str | None, field_name: str = "bydel") -> None:
    names = bydel_names()
    if name not in names:
        raise Invalid(
            "invalid",
            gettext("%(field)s må være en av bydelene: %(allowed)s.", field=field_name, allowed=", ".join(names)),
            {field_name: "ugyldig"},
        )


def list_parties() -> list[Party]:
    return list(db.session.scalars(select(Party).order_by(Party.id)))


def may_see_contacts(user: User | None) -> bool:
    """Phone numbers and e-mail addresses are for the roles that work with the contacts, not for read-only roles."""
    return bool(user and (user.can(Perm.COOP_WRITE) or user.can(Perm.ROSTER_CONTACTS)))


def directory_data(user: User | None) -> dict:
    """Parties with their units, the people by unit, the functions, and the bydeler with contacts."""
    contacts = may_see_contacts(user)
    parties = list_parties()
    everyone = list(db.session.scalars(select(Person).order_by(Person.id)))
    people = [p for p in everyone if p.active]
    inactive = [p for p in everyone if not p.active]
    names = {p.id: p.name for p in people}
    districts = list(db.session.scalars(select(District).order_by(District.position, District.id)))
    by_id = {party.id: party for party in parties}
    district_rows = []
    for district in districts:
        local = [p for p in people if p.bydel == district.name]
        police_unit = by_id.get(district.police_unit_id)
        district_rows.append(
            {
                **district.to_dict(),
                "police_unit": police_unit.name if police_unit else "",
                "omradekontakter": [p.to_dict(contacts=contacts) for p in local if p.function == "omradekontakt"],
                "police_contacts": [
                    p.to_dict(contacts=contacts) for p in local if p.function == "bydelskontakt_politi"
                ],
            }
        )
    return {
        "parties": [
            {**party.to_dict(), "units": [u.to_dict() for u in parties if u.parent_id == party.id]}
            for party in parties
            if party.parent_id is None
        ],
        "units": [party.to_dict() for party in parties],
        "functions": [{"key": key, "party": kind, "title": title} for key, (kind, title) in FUNCTIONS.items()],
        "people": [
            {
                **p.to_dict(contacts=contacts),
                "unit": by_id[p.unit_id].name if p.unit_id in by_id else "",
                "deputy_of": names.get(p.deputy_of_id, ""),
                "deputies": [d.name for d in people if d.deputy_of_id == p.id],
            }
            for p in people
        ],
        # Deactivated entries, for the roles that may edit the directory to reactivate them.
        "inactive_people": [p.to_dict(contacts=True) for p in inactive] if contacts else [],
        "districts": district_rows,
        "contacts_visible": contacts,
    }


PERSON_FIELDS = ("name", "function", "title", "unit_id", "bydel", "email", "phone", "active", "deputy_of_id")


def _validate_person(data: dict) -> None:
    if "name" in data and not (data["name"] or "").strip():
        raise Invalid("invalid", gettext("Navnet kan ikke være tomt."), {"name": "påkrevd"})
    if "function" in data and data["function"] not in FUNCTIONS:
        raise Invalid("invalid", gettext("Ukjent funksjon."), {"function": "ugyldig"})
    if data.get("bydel"):
        # The bydeler as the map groups them now (issue 16 §4), not a fixed list.
        check_bydel(data["bydel"])
    if "unit_id" in data and db.session.get(Party, data["unit_id"]) is None:
        raise Invalid("invalid", gettext("Ukjent enhet."), {"unit_id": "ukjent"})
    if data.get("deputy_of_id") is not None:
        holder = db.session.get(Person, data["deputy_of_id"])
        if holder is None or not holder.active:
            raise Invalid("invalid", gettext("Ukjent person å være stedfortreder for."), {"deputy_of_id": "ukjent"})
        if holder.deputy_of_id is not None:
            raise Invalid(
                "invalid",
                gettext("En stedfortreder står inn for den som har funksjonen, ikke for en annen stedfortreder."),
                {"deputy_of_id": "stedfortreder"},
            )


@transactional
def add_person(data: dict, actor: User | None = None) -> Person:
    """Add someone to the directory."""
    _validate_person(
        {"name": data.get("name", ""), "function": data.get("function"), "unit_id": data.get("unit_id"), **data}
    )
    person = Person(
        name=data["name"],
        function=data["function"],
        title=data.get("title") or "",
        unit_id=data["unit_id"],
        bydel=data.get("bydel") or None,
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        deputy_of_id=data.get("deputy_of_id"),
        active=True,
    )
    db.session.add(person)
    db.session.flush()
    record_audit("coop.person_created", "coop_person", person.id, actor=actor, meta={"function": person.function})
    # The channel gets the id and function only; the name is fetched over the API.
    append_event(
        CHANNEL,
        "directory.person_created",
        {"id": person.id, "function": person.function},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return person


@transactional
def update_person(person_id: int, changes: dict, version: int, actor: User | None = None) -> Person:
    """Change or deactivate (active: false) someone in the directory."""
    _validate_person(changes)
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(gettext("Ukjent person."))
    if person.version != version:
        raise Conflict("version_conflict", gettext("Oppføringen er endret av noen andre. Last inn på nytt."))
    if changes.get("deputy_of_id") is not None and changes["deputy_of_id"] == person.id:
        raise Invalid(
            "invalid", gettext("En person kan ikke være sin egen stedfortreder."), {"deputy_of_id": "seg selv"}
        )
    changed = [key for key in PERSON_FIELDS if key in changes and changes[key] != getattr(person, key)]
    for key in PERSON_FIELDS:
        if key in changes:
            value = changes[key]
            setattr(person, key, value if value is not None or key in ("bydel", "deputy_of_id") else "")
    if changes.get("active") is False:
        # Deputies of someone who leaves stand in for nobody until they are linked to the successor.
        for deputy in db.session.scalars(select(Person).where(Person.deputy_of_id == person.id)):
            deputy.deputy_of_id = None
    db.session.flush()
    # Which fields changed, never their values: the directory holds personal contact data.
    action = (
        "coop.person_deactivated" if changes.get("active") is False and "active" in changed else "coop.person_updated"
    )
    record_audit(action, "coop_person", person.id, actor=actor, meta={"fields": changed})
    append_event(
        CHANNEL,
        "directory.person_updated",
        {"id": person.id, "function": person.function, "active": person.active, "version": person.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return person


@transactional
def update_district(district_id: int, changes: dict, version: int, actor: User | None = None) -> District:
    """Change a bydel's regular meeting point or schedule."""
    district = db.session.get(District, district_id)
    if district is None:
        raise NotFound(gettext("Ukjent bydel."))
    if district.version != version:
        raise Conflict("version_conflict", gettext("Bydelen er endret av noen andre. Last inn på nytt."))
    for key in ("meeting_point", "meeting_schedule"):
        if key in changes:
            setattr(district, key, changes[key] or "")
    db.session.flush()
    append_event(
        CHANNEL,
        "directory.district_updated",
        {"id": district.id, "name": district.name, "version": district.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return district
