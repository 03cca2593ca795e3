"""Editing a person of the crisis organisation: contact details, active flag and their functions and groups.

A person is never deleted: alerts, answers and the vaktliste keep pointing at them. Deactivating takes them out
of every new alert (holder → first active deputy) and off new vaktliste entries. Every change is audited with
ids and field names only, and announced on `global` without names or contact details.
"""

from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.roster.models import DutyShift, Person, Position, PositionDeputy, SavedGroup, SavedGroupMember
from beredskap.roster.organisation import (
    MAX_DEPUTIES,
    get_person,
    get_position,
    list_positions,
    person_dict,
    team_title,
    validate_contact,
)
from beredskap.transaction import transactional

HOLDER = "holder"
DEPUTY = "deputy"


@dataclass
class Memberships:
    """What a person is in: position id → "holder" | "deputy", and the saved groups that name them."""

    positions: dict[int, str] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)


def memberships_of(person: Person) -> Memberships:
    result = Memberships()
    for position_id in db.session.scalars(select(Position.id).where(Position.holder_id == person.id)):
        result.positions[position_id] = HOLDER
    for position_id in db.session.scalars(
        select(PositionDeputy.position_id).where(PositionDeputy.person_id == person.id)
    ):
        result.positions.setdefault(position_id, DEPUTY)
    result.groups = set(
        db.session.scalars(select(SavedGroup.key).join(SavedGroupMember).where(SavedGroupMember.person_id == person.id))
    )
    return result


def upcoming_shifts(person: Person) -> int:
    """Shifts of the person that have not ended: they stay on the vaktliste, but a deactivated person is skipped."""
    return len(
        db.session.scalars(
            select(DutyShift.id).where(DutyShift.person_id == person.id, DutyShift.ends_at > utcnow())
        ).all()
    )


def person_detail(person: Person) -> dict:
    """GET /api/v1/roster/people/<id>: the person with their functions, groups and upcoming shifts."""
    members = memberships_of(person)
    positions = [p for p in list_positions() if p.id in members.positions]
    return {
        **person_dict(person, True),
        "created_at": person.created_at.isoformat(),
        "positions": [
            {
                "id": p.id,
                "title": p.title,
                "team": p.team,
                "team_title": team_title(p.team),
                "role": members.positions[p.id],
                "rank": 0
                if members.positions[p.id] == HOLDER
                else next(d.rank for d in p.deputies if d.person_id == person.id),
            }
            for p in positions
        ],
        "groups": sorted(members.groups),
        "upcoming_shifts": upcoming_shifts(person),
    }


def _set_holder(position: Position, person: Person) -> None:
    if position.holder_id is not None and position.holder_id != person.id:
        raise Conflict(
            "position_taken",
            gettext(
                "«%(title)s» har allerede en innehaver. Endre funksjonen for å bytte innehaver.", title=position.title
            ),
            {"positions": "har innehaver"},
        )
    _remove_deputy(position, person)
    position.holder_id = person.id


def _add_deputy(position: Position, person: Person) -> None:
    if position.holder_id == person.id:
        position.holder_id = None
    if any(d.person_id == person.id for d in position.deputies):
        return
    if len(position.deputies) >= MAX_DEPUTIES:
        raise Invalid(
            "invalid",
            gettext("«%(title)s» har allerede %(n)s stedfortredere.", title=position.title, n=MAX_DEPUTIES),
            {"positions": "for mange stedfortredere"},
        )
    rank = max((d.rank for d in position.deputies), default=0) + 1
    position.deputies.append(PositionDeputy(person_id=person.id, rank=rank))


def _remove_deputy(position: Position, person: Person) -> None:
    """Take the person out of the deputies; those after them move up one rank."""
    remaining = [d.person_id for d in position.deputies if d.person_id != person.id]
    if len(remaining) == len(position.deputies):
        return
    position.deputies.clear()
    db.session.flush()  # the unique (position, rank) constraint: old ranks go before new ones come
    for rank, person_id in enumerate(remaining, start=1):
        position.deputies.append(PositionDeputy(person_id=person_id, rank=rank))


def _apply_positions(person: Person, wanted: dict[int, str], current: dict[int, str]) -> list[Position]:
    changed: list[Position] = []
    for position_id in sorted(set(wanted) | set(current)):
        before, after = current.get(position_id), wanted.get(position_id)
        if before == after:
            continue
        position = get_position(position_id)
        if after == HOLDER:
            _set_holder(position, person)
        elif after == DEPUTY:
            _add_deputy(position, person)
        else:
            if position.holder_id == person.id:
                position.holder_id = None
            _remove_deputy(position, person)
        flag_modified(position, "title")  # a changed deputy list is a change of the position: new version
        changed.append(position)
    return changed


def _apply_groups(person: Person, wanted: set[str], current: set[str]) -> int:
    changed = 0
    for key in sorted(wanted ^ current):
        group = db.session.scalar(select(SavedGroup).where(SavedGroup.key == key))
        if group is None:
            raise Invalid("invalid", gettext("Ukjent varslingsgruppe."), {"groups": "ukjent"})
        if key in wanted:
            group.members.append(SavedGroupMember(person_id=person.id))
        else:
            for member in [m for m in group.members if m.person_id == person.id]:
                group.members.remove(member)
        flag_modified(group, "title")
        changed += 1
    return changed


def _check_positions(positions: dict) -> dict[int, str]:
    if len(positions) > 200:
        raise Invalid("invalid", gettext("For mange funksjoner."), {"positions": "for mange"})
    for position_id, role in positions.items():
        if role not in (HOLDER, DEPUTY):
            raise Invalid(
                "invalid",
                gettext("Rollen i en funksjon må være innehaver eller stedfortreder."),
                {"positions": "ugyldig"},
            )
        get_position(position_id)
    return dict(positions)


@transactional
def edit_person(person_id: int, changes: dict, version: int, actor: User | None = None) -> Person:
    """Change contact details, the active flag and/or memberships (`positions`: {id: role}, `groups`: keys).

    A stale `version` is a 409 and nothing changes; so is making someone holder of a function that has one.
    """
    person = get_person(person_id)
    if person.version != version:
        raise Conflict("version_conflict", gettext("Personen er endret av noen andre. Last inn på nytt."))
    members = memberships_of(person)  # read before anything changes: a query flushes pending changes
    contact = validate_contact(
        changes.get("name", person.name), changes.get("phone", person.phone), changes.get("email", person.email)
    )
    fields = [
        name
        for name, old, new in zip(
            ("name", "phone", "email"), (person.name, person.phone, person.email), contact, strict=True
        )
        if old != new
    ]
    person.name, person.phone, person.email = contact
    activity = None
    if "active" in changes and changes["active"] is not None and bool(changes["active"]) != person.active:
        person.active = bool(changes["active"])
        activity = "activated" if person.active else "deactivated"
    positions_changed: list[Position] = []
    groups_changed = 0
    if changes.get("positions") is not None:
        positions_changed = _apply_positions(person, _check_positions(changes["positions"]), members.positions)
    if changes.get("groups") is not None:
        groups_changed = _apply_groups(person, set(changes["groups"]), members.groups)
    if not (fields or positions_changed or groups_changed or activity):
        return person  # nothing to change: no new version, no audit record, no event
    if not (fields or activity):
        flag_modified(person, "name")  # memberships alone are a change of the person too: new version
    db.session.flush()
    actor_id = actor.id if actor else None
    if fields or positions_changed or groups_changed:
        meta = {"fields": fields, "positions": [p.id for p in positions_changed], "groups": groups_changed}
        record_audit("roster.person_updated", "roster_person", person.id, actor=actor, meta=meta)
    if activity:
        record_audit(f"roster.person_{activity}", "roster_person", person.id, actor=actor)
    for position in positions_changed:
        record_audit("roster.position_updated", "roster_position", position.id, actor=actor, meta={"person": person.id})
    append_event(
        "global",
        "roster.updated",
        {
            "change": "person_updated",
            "person_id": person.id,
            "active": person.active,
            "position_ids": [p.id for p in positions_changed],
        },
        actor_id=actor_id,
    )
    db.session.commit()
    return person
