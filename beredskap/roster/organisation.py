"""The crisis organisation: people, positions with holder and deputies, and the alert groups."""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.roster.models import (
    TEAM_LEADERS,
    TEAM_TITLES,
    Person,
    Position,
    PositionDeputy,
    SavedGroup,
    SavedGroupMember,
    Team,
)
from beredskap.transaction import transactional

ALL_GROUP = "alle"
# A group title is stored on the alert and sent in its mail and SMS, so it stays Norwegian like the team titles.
ALL_GROUP_TITLE = "Hele kriseorganisasjonen"  # i18n: stored as data (alert.group_title)
POSITIONS_PREFIX = "positions:"
MAX_DEPUTIES = 5
TEAM_ORDER = list(Team)
MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer cannot exist; asking PostgreSQL would be an error


def check_text(value: str, name: str) -> str:
    """PostgreSQL refuses NUL in text: refuse it here as a clear 422 instead."""
    if "\x00" in value:
        raise Invalid("invalid", f"«{name}» inneholder ugyldige tegn.", {name: "ugyldige tegn"})
    return value


def valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def team_title(team: str) -> str:
    return TEAM_TITLES.get(team, team)  # type: ignore[call-overload]


def slugify(text: str) -> str:
    """ASCII slug of a Norwegian title: «Kommuneoverlege på vakt» → «kommuneoverlege-pa-vakt»."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "x"


# ---------------------------------------------------------------- people


def person_dict(person: Person | None, contacts: bool) -> dict | None:
    """A person as the API shows them; without the contacts permission only the id is given."""
    if person is None:
        return None
    if not contacts:
        return {"id": person.id, "name": None, "phone": None, "email": None, "redacted": True}
    return {
        "id": person.id,
        "name": person.name,
        "phone": person.phone,
        "email": person.email,
        "active": person.active,
        "version": person.version,
    }


def get_person(person_id: int) -> Person:
    person = db.session.get(Person, person_id) if valid_id(person_id) else None
    if person is None:
        raise NotFound(gettext("Ukjent person."))
    return person


def list_people(include_inactive: bool = False) -> list[Person]:
    stmt = select(Person).order_by(Person.name, Person.id)
    if not include_inactive:
        stmt = stmt.where(Person.active.is_(True))
    return list(db.session.scalars(stmt))


def validate_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    name, phone, email = (name or "").strip(), (phone or "").strip(), (email or "").strip()
    check_text(name, "name")
    check_text(email, "email")
    if not name or len(name) > 200:
        raise Invalid("invalid", gettext("Navn må ha 1–200 tegn."), {"name": "påkrevd"})
    if phone and not re.fullmatch(r"\+?[0-9 ]{3,20}", phone):
        raise Invalid("invalid", gettext("Telefonnummeret kan bare ha sifre, mellomrom og +."), {"phone": "format"})
    if email and not re.fullmatch(r"[^@\s]{1,100}@[^@\s]{1,100}\.[^@\s]{1,30}", email):
        raise Invalid("invalid", gettext("Ugyldig e-postadresse."), {"email": "format"})
    return name, phone, email


@transactional
def create_person(*, name: str, phone: str = "", email: str = "", actor: User | None = None) -> Person:
    """Add a member of the crisis organisation."""
    name, phone, email = validate_contact(name, phone, email)
    person = Person(name=name, phone=phone, email=email, created_at=utcnow())
    db.session.add(person)
    db.session.flush()
    record_audit("roster.person_created", "roster_person", person.id, actor=actor)
    db.session.commit()
    return person


# ---------------------------------------------------------------- positions


def get_position(position_id: int) -> Position:
    position = db.session.get(Position, position_id) if valid_id(position_id) else None
    if position is None:
        raise NotFound(gettext("Ukjent funksjon."))
    return position


def list_positions(team: str | None = None) -> list[Position]:
    stmt = select(Position)
    if team:
        stmt = stmt.where(Position.team == team)
    positions = list(db.session.scalars(stmt))
    return sorted(positions, key=lambda p: (_team_rank(p.team), p.sort_order, p.id))


def _team_rank(team: str) -> int:
    return TEAM_ORDER.index(team) if team in TEAM_ORDER else len(TEAM_ORDER)


def position_dict(position: Position, contacts: bool) -> dict:
    return {
        "id": position.id,
        "key": position.key,
        "title": position.title,
        "team": position.team,
        "team_title": team_title(position.team),
        "sort_order": position.sort_order,
        "holder": person_dict(position.holder, contacts),
        "deputies": [person_dict(d.person, contacts) for d in position.deputies],
        "version": position.version,
    }


def _unique_position_key(team: str, title: str) -> str:
    base = f"{team}.{slugify(title)}"
    key, n = base, 2
    while db.session.scalar(select(Position.id).where(Position.key == key)) is not None:
        key, n = f"{base}-{n}", n + 1
    return key


def _publish_roster_change(kind: str, position: Position | None, actor: User | None) -> None:
    data = {"change": kind}
    if position is not None:
        data.update({"position_id": position.id, "team": position.team, "title": position.title})
    append_event("global", "roster.updated", data, actor_id=actor.id if actor else None)


@transactional
def create_position(*, team: str, title: str, actor: User | None = None) -> Position:
    """Add a function to a team (e.g. a new krisestab function)."""
    if team not in tuple(Team):
        raise Invalid("invalid", gettext("Ukjent team."), {"team": "ugyldig"})
    title = check_text((title or "").strip(), "title")
    if not title or len(title) > 200:
        raise Invalid("invalid", gettext("Tittelen må ha 1–200 tegn."), {"title": "påkrevd"})
    last = db.session.scalar(select(func.max(Position.sort_order)).where(Position.team == team)) or 0
    position = Position(
        key=_unique_position_key(team, title), team=team, title=title, sort_order=last + 10, created_at=utcnow()
    )
    db.session.add(position)
    db.session.flush()
    _publish_roster_change("position_created", position, actor)
    record_audit("roster.position_created", "roster_position", position.id, actor=actor)
    db.session.commit()
    return position


@transactional
def update_position(position_id: int, changes: dict, version: int, actor: User | None = None) -> Position:
    """Change title, order, holder or the ordered deputies of a position."""
    position = get_position(position_id)
    if position.version != version:
        raise Conflict("version_conflict", gettext("Funksjonen er endret av noen andre. Last inn på nytt."))
    if "title" in changes:
        title = check_text((changes["title"] or "").strip(), "title")
        if not title or len(title) > 200:
            raise Invalid("invalid", gettext("Tittelen må ha 1–200 tegn."), {"title": "påkrevd"})
        position.title = title
    if "sort_order" in changes:
        position.sort_order = int(changes["sort_order"])
    if "holder_id" in changes:
        holder_id = changes["holder_id"]
        position.holder_id = get_person(holder_id).id if holder_id is not None else None
    if "deputy_ids" in changes:
        deputy_ids = list(changes["deputy_ids"])
        if len(deputy_ids) > MAX_DEPUTIES:
            raise Invalid(
                "invalid", gettext("Høyst %(max)s stedfortredere.", max=MAX_DEPUTIES), {"deputy_ids": "for mange"}
            )
        if len(set(deputy_ids)) != len(deputy_ids) or (position.holder_id in deputy_ids):
            raise Invalid(
                "invalid",
                gettext("En person kan bare stå én gang (innehaver eller stedfortreder)."),
                {"deputy_ids": "dublett"},
            )
        for person_id in deputy_ids:
            get_person(person_id)
        position.deputies.clear()
        db.session.flush()
        for rank, person_id in enumerate(deputy_ids, start=1):
            position.deputies.append(PositionDeputy(person_id=person_id, rank=rank))
    elif "holder_id" in changes and any(d.person_id == position.holder_id for d in position.deputies):
        raise Invalid("invalid", gettext("Innehaveren står også som stedfortreder."), {"holder_id": "dublett"})
    db.session.flush()
    _publish_roster_change("position_updated", position, actor)
    record_audit("roster.position_updated", "roster_position", position.id, actor=actor)
    db.session.commit()
    return position


@transactional
def delete_position(position_id: int, actor: User | None = None) -> None:
    """Remove a function; alerts already sent keep their recipients."""
    position = get_position(position_id)
    _publish_roster_change("position_deleted", position, actor)
    record_audit("roster.position_deleted", "roster_position", position.id, actor=actor)
    db.session.delete(position)
    db.session.commit()


# ---------------------------------------------------------------- groups and targets


@dataclass(frozen=True)
class Target:
    """Whom an alert calls: a person, for a position (with the deputy rank) or on their own."""

    person: Person
    position: Position | None
    rank: int | None


def first_available(position: Position, exclude: set[int] | frozenset[int] = frozenset()) -> Target | None:
    """The holder, or when vacant or inactive the first active deputy."""
    if position.holder is not None and position.holder.active and position.holder.id not in exclude:
        return Target(position.holder, position, 0)
    for deputy in position.deputies:
        if deputy.person.active and deputy.person_id not in exclude:
            return Target(deputy.person, position, deputy.rank)
    return None


def next_deputy(position: Position, after_rank: int, exclude: set[int]) -> Target | None:
    """The next active deputy after `after_rank` who is not already called."""
    for deputy in position.deputies:
        if deputy.rank > after_rank and deputy.person.active and deputy.person_id not in exclude:
            return Target(deputy.person, position, deputy.rank)
    return None


def targets_for(positions: list[Position], people: list[Person] | None = None) -> list[Target]:
    """One target per distinct person: holders of the positions (or deputies), then extra people."""
    seen: set[int] = set()
    targets: list[Target] = []
    for position in positions:
        target = first_available(position, seen)
        if target is not None:
            seen.add(target.person.id)
            targets.append(target)
    for person in people or []:
        if person.active and person.id not in seen:
            seen.add(person.id)
            targets.append(Target(person, None, None))
    return targets


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    kind: str  # team | all | saved | positions
    positions: tuple[Position, ...]
    people: tuple[Person, ...] = ()

    def targets(self) -> list[Target]:
        return targets_for(list(self.positions), list(self.people))


def list_groups() -> list[Group]:
    """Every team, the whole organisation, and the saved groups — the alert lists."""
    positions = list_positions()
    groups = [
        Group(team.value, TEAM_TITLES[team], "team", tuple(p for p in positions if p.team == team)) for team in Team
    ]
    groups.append(Group(ALL_GROUP, ALL_GROUP_TITLE, "all", tuple(positions)))
    for saved in db.session.scalars(select(SavedGroup).order_by(SavedGroup.title)):
        groups.append(_saved_group(saved))
    return groups


def _saved_group(saved: SavedGroup) -> Group:
    positions = [db.session.get(Position, m.position_id) for m in saved.members if m.position_id]
    people = [db.session.get(Person, m.person_id) for m in saved.members if m.person_id]
    return Group(saved.key, saved.title, "saved", tuple(p for p in positions if p), tuple(p for p in people if p))


def find_group(key: str) -> Group:
    """A group by key; `positions:1,2,3` is an ad-hoc list of positions."""
    if not isinstance(key, str) or not key.strip():
        raise Invalid("invalid", gettext("Velg en gruppe."), {"group": "påkrevd"})
    key = check_text(key.strip(), "group")
    if key.startswith(POSITIONS_PREFIX):
        ids = [part.strip() for part in key.removeprefix(POSITIONS_PREFIX).split(",") if part.strip()]
        if not ids or not all(i.isdecimal() for i in ids) or len(ids) > 200:
            raise Invalid("invalid", gettext("Oppgi funksjoner som positions:1,2,3."), {"group": "format"})
        return positions_group([int(i) for i in ids])
    if key in tuple(Team):
        return Group(key, TEAM_TITLES[Team(key)], "team", tuple(list_positions(key)))
    if key == ALL_GROUP:
        return Group(ALL_GROUP, ALL_GROUP_TITLE, "all", tuple(list_positions()))
    saved = db.session.scalar(select(SavedGroup).where(SavedGroup.key == key))
    if saved is None:
        raise Invalid("invalid", gettext("Ukjent gruppe «%(key)s».", key=key[:80]), {"group": "ukjent"})
    return _saved_group(saved)


def positions_group(position_ids: list[int]) -> Group:
    positions = []
    for position_id in dict.fromkeys(position_ids):
        position = db.session.get(Position, position_id) if valid_id(position_id) else None
        if position is None:
            raise Invalid("invalid", gettext("Ukjent funksjon %(id)s.", id=position_id), {"positions": "ukjent"})
        positions.append(position)
    title = ", ".join(p.title for p in positions)
    title = title if len(title) <= 120 else f"{len(positions)} valgte funksjoner"
    key = POSITIONS_PREFIX + ",".join(str(p.id) for p in positions)
    return Group(key, title, "positions", tuple(positions))


def group_dict(group: Group, contacts: bool) -> dict:
    return {
        "key": group.key,
        "title": group.title,
        "kind": group.kind,
        "members": [
            {
                "person_id": t.person.id,
                "position_id": t.position.id if t.position else None,
                "position": t.position.title if t.position else None,
                "name": t.person.name if contacts else None,
            }
            for t in group.targets()
        ],
    }


@transactional
def create_group(
    *,
    title: str,
    position_ids: list[int],
    person_ids: list[int] | None = None,
    key: str | None = None,
    actor: User | None = None,
) -> SavedGroup:
    """Save a named alert list of positions and people."""
    title = check_text((title or "").strip(), "title")
    if not title or len(title) > 200:
        raise Invalid("invalid", gettext("Navnet må ha 1–200 tegn."), {"title": "påkrevd"})
    key = slugify(key or title)
    if key in tuple(Team) or key == ALL_GROUP or key.startswith("positions"):
        raise Invalid("invalid", gettext("Nøkkelen er reservert."), {"key": "reservert"})
    if db.session.scalar(select(SavedGroup.id).where(SavedGroup.key == key)) is not None:
        raise Conflict("conflict", gettext("Gruppen «%(key)s» finnes allerede.", key=key))
    if not position_ids and not person_ids:
        raise Invalid("invalid", gettext("Velg minst én funksjon eller person."), {"position_ids": "påkrevd"})
    group = SavedGroup(key=key, title=title, created_at=utcnow())
    for position_id in dict.fromkeys(position_ids or []):
        group.members.append(SavedGroupMember(position_id=get_position(position_id).id))
    for person_id in dict.fromkeys(person_ids or []):
        group.members.append(SavedGroupMember(person_id=get_person(person_id).id))
    db.session.add(group)
    db.session.flush()
    append_event(
        "global", "roster.updated", {"change": "group_created", "group": key}, actor_id=actor.id if actor else None
    )
    record_audit("roster.group_created", "roster_group", group.id, actor=actor)
    db.session.commit()
    return group


@transactional
def delete_group(key: str, actor: User | None = None) -> None:
    group = db.session.scalar(select(SavedGroup).where(SavedGroup.key == check_text(key, "key")))
    if group is None:
        raise NotFound(gettext("Ukjent gruppe."))
    append_event(
        "global", "roster.updated", {"change": "group_deleted", "group": key}, actor_id=actor.id if actor else None
    )
    record_audit("roster.group_deleted", "roster_group", group.id, actor=actor)
    db.session.delete(group)
    db.session.commit()


def roster_dict(contacts: bool) -> dict:
    """GET /api/v1/roster (CONTRACT §9)."""
    return {
        "teams": [{"key": team.value, "title": TEAM_TITLES[team], "leader": TEAM_LEADERS.get(team)} for team in Team],
        "positions": [position_dict(p, contacts) for p in list_positions()],
        "groups": [group_dict(g, contacts) for g in list_groups()],
    }


def leader_key(team: Team) -> str:
    return f"{team.value}.leder"


def ensure_team_leaders() -> int:
    """Give every team that is led by a function (TEAM_LEADERS) its leader position, first in the team."""
    created = 0
    for team, title in TEAM_LEADERS.items():
        if db.session.scalar(select(Position.id).where(Position.key == leader_key(team))) is None:
            db.session.add(
                Position(
                    key=leader_key(team), team=team.value, title=f"{title} (leder)", sort_order=0, created_at=utcnow()
                )
            )
            created += 1
    db.session.flush()
    return created
