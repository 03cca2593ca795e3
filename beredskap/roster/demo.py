"""Demo crisis organisation for Kristiansand: fictitious people (no real names), positions, groups and a rota.

The people, positions and groups are in demo/roster.yaml; the rota is made here, from this week's Monday.
"""

from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from beredskap.extensions import db
from beredskap.roster.models import DutyShift, Person, Position, PositionDeputy, SavedGroup, SavedGroupMember, Team
from beredskap.roster.organisation import ensure_team_leaders, leader_key, slugify
from beredskap.vocabulary import OSLO

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "roster.yaml"
_DATA = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))

# Invented first/last name pairs; phones in the unused 000-range and e-mail under the reserved .example domain.
FIRST: list[str] = _DATA["first_names"]
LAST: list[str] = _DATA["last_names"]
POSITIONS: dict[Team, list[str]] = {Team(team): titles for team, titles in _DATA["positions"].items()}
VACANT = set(_DATA["vacant"])  # one vacant function shows how the first deputy is called instead
GROUPS: dict[str, list[str]] = _DATA["groups"]


def _fictitious_people(count: int) -> list[Person]:
    people = []
    for n in range(count):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        local = slugify(name).replace("-", ".")
        people.append(Person(name=name, phone=f"+47 000 00 {n + 1:03d}", email=f"{local}@kristiansand.example"))
    return people


def seed_roster() -> list[str]:
    """Idempotent: does nothing when positions exist."""
    if db.session.scalar(select(Position.id).limit(1)) is not None:
        return []
    needed = sum(len(titles) for titles in POSITIONS.values())
    people = _fictitious_people(needed + 12)
    db.session.add_all(people)
    db.session.flush()
    holders = iter(people[:needed])
    pool = people[needed:]
    positions: dict[str, Position] = {}
    for team, titles in POSITIONS.items():
        for order, title in enumerate(titles):
            holder = next(holders)
            position = Position(
                key=f"{team.value}.{slugify(title)}",
                team=team.value,
                title=title,
                sort_order=order * 10,
                holder_id=None if title in VACANT else holder.id,
            )
            db.session.add(position)
            db.session.flush()
            # Deputies: two others from the organisation, ordered; never the holder.
            index = people.index(holder)
            first = pool[index % len(pool)]
            second = people[(index + 5) % needed]
            if second.id == holder.id or second.id == first.id:
                second = pool[(index + 3) % len(pool)]
            position.deputies.append(PositionDeputy(person_id=first.id, rank=1))
            position.deputies.append(PositionDeputy(person_id=second.id, rank=2))
            positions[position.key] = position
    db.session.flush()
    # §4.3 of the cooperation agreement: the beredskapskoordinator leads the Arbeidsutvalget for kriseledelse.
    ensure_team_leaders()
    coordinator = positions["kriseledelse.beredskapssjef-beredskapskoordinator"]
    leader = db.session.scalar(select(Position).where(Position.key == leader_key(Team.ARBEIDSUTVALG_KRISELEDELSE)))
    leader.holder_id = coordinator.holder_id
    for deputy in coordinator.deputies:
        leader.deputies.append(PositionDeputy(person_id=deputy.person_id, rank=deputy.rank))
    positions[leader.key] = leader
    db.session.flush()
    _seed_groups(positions)
    shifts = _seed_rota(positions, date.today())
    db.session.commit()
    return [f"Kriseorganisasjon: {len(positions)} funksjoner, {len(people)} fiktive personer, {shifts} vakter."]


def _seed_groups(positions: dict[str, Position]) -> None:
    for title, keys in GROUPS.items():
        group = SavedGroup(key=slugify(title), title=title)
        for key in keys:
            if key in positions:
                group.members.append(SavedGroupMember(position_id=positions[key].id))
        db.session.add(group)


def _seed_rota(positions: dict[str, Position], today: date) -> int:
    """Six weeks from this Monday: weekly on-call for the leadership teams, day/night shifts for the
    psychosocial team — with one night left open so the gap highlighting has something to show."""
    monday = today - timedelta(days=today.weekday())
    count = 0

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=OSLO)

    for team in (Team.KRISELEDELSE, Team.KRISESTAB, Team.EPS_LEDELSE, Team.ARBEIDSUTVALG_KRISELEDELSE):
        team_positions = [p for p in positions.values() if p.team == team.value]
        people = [p.holder_id for p in team_positions if p.holder_id] + [
            d.person_id for p in team_positions for d in p.deputies
        ]
        people = list(dict.fromkeys(people))
        for week in range(6):
            start = monday + timedelta(weeks=week)
            db.session.add(
                DutyShift(
                    team=team.value,
                    person_id=people[week % len(people)],
                    starts_at=at(start, 8),
                    ends_at=at(start + timedelta(days=7), 8),
                    note="Beredskapsvakt",
                )
            )
            count += 1
    team_positions = [p for p in positions.values() if p.team == Team.PSYKOSOSIALT_KRISETEAM.value]
    people = list(
        dict.fromkeys(
            [p.holder_id for p in team_positions if p.holder_id]
            + [d.person_id for p in team_positions for d in p.deputies]
        )
    )
    for offset in range(-1, 42):
        day = monday + timedelta(days=offset)
        db.session.add(
            DutyShift(
                team=Team.PSYKOSOSIALT_KRISETEAM.value,
                person_id=people[offset % len(people)],
                starts_at=at(day, 8),
                ends_at=at(day, 20),
                note="Dagvakt",
            )
        )
        count += 1
        if offset == 5:  # Saturday night this week: nobody on the vakttelefon
            continue
        db.session.add(
            DutyShift(
                team=Team.PSYKOSOSIALT_KRISETEAM.value,
                person_id=people[(offset + 3) % len(people)],
                starts_at=at(day, 20),
                ends_at=at(day + timedelta(days=1), 8),
                note="Nattvakt",
            )
        )
        count += 1
    return count
