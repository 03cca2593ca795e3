"""The duty rota (vaktliste) of each team: shifts, and where 24/7 cover has gaps."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import delete, select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import isoformat, utcnow
from beredskap.domain_errors import Invalid, NotFound
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.roster.models import TEAM_TITLES, DutyShift, Person, Position, Team
from beredskap.roster.organisation import (
    Group,
    Target,
    check_text,
    first_available,
    get_person,
    list_positions,
    person_dict,
)
from beredskap.roster.schedule import Interval, find_gaps, week_cover
from beredskap.transaction import transactional
from beredskap.vocabulary import OSLO

MAX_SHIFT = timedelta(days=14)


def shift_dict(shift: DutyShift, contacts: bool) -> dict:
    return {
        "id": shift.id,
        "team": shift.team,
        "person": person_dict(shift.person, contacts),
        "starts_at": isoformat(shift.starts_at),
        "ends_at": isoformat(shift.ends_at),
        "note": shift.note,
    }


def shifts_between(team: str, start: datetime, end: datetime) -> list[DutyShift]:
    stmt = (
        select(DutyShift)
        .where(DutyShift.team == team, DutyShift.starts_at < end, DutyShift.ends_at > start)
        .order_by(DutyShift.starts_at, DutyShift.id)
    )
    return list(db.session.scalars(stmt))


def team_gaps(team: str, start: datetime, end: datetime) -> list[Interval]:
    """Periods in [start, end) without anyone on duty for the team."""
    shifts = shifts_between(team, start, end)
    return find_gaps([Interval(s.starts_at, s.ends_at) for s in shifts], start, end)


def schedule_view(first_day: date, days: int = 7) -> list[dict]:
    """Per team: shifts in the window and the day-by-day cover with gaps (for the rota page and API)."""
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=OSLO)
    end = datetime.combine(first_day + timedelta(days=days), datetime.min.time(), tzinfo=OSLO)
    teams = []
    for team in Team:
        shifts = shifts_between(team.value, start, end)
        intervals = [Interval(s.starts_at, s.ends_at) for s in shifts]
        gaps = find_gaps(intervals, start, end)
        teams.append(
            {
                "team": team.value,
                "title": TEAM_TITLES[team],
                "shifts": shifts,
                "days": week_cover(intervals, first_day, days),
                "gaps": [Interval(g.start.astimezone(OSLO), g.end.astimezone(OSLO)) for g in gaps],
                "covered": not gaps,
            }
        )
    return teams


def schedule_dict(first_day: date, days: int, contacts: bool) -> dict:
    teams = schedule_view(first_day, days)
    return {
        "from": first_day.isoformat(),
        "days": days,
        "teams": [
            {
                "team": t["team"],
                "title": t["title"],
                "covered": t["covered"],
                "gaps": [{"start": isoformat(g.start), "end": isoformat(g.end)} for g in t["gaps"]],
                "shifts": [shift_dict(s, contacts) for s in t["shifts"]],
            }
            for t in teams
        ],
    }


@transactional
def add_shift(
    *, team: str, person_id: int, starts_at: datetime, ends_at: datetime, note: str = "", actor: User | None = None
) -> DutyShift:
    """Put someone on duty for a team."""
    if team not in tuple(Team):
        raise Invalid("invalid", gettext("Ukjent team."), {"team": "ugyldig"})
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid("invalid", gettext("Tidene må ha tidssone."), {"starts_at": "tidssone"})
    if ends_at <= starts_at:
        raise Invalid("invalid", gettext("Vakten må slutte etter at den begynner."), {"ends_at": "før start"})
    if ends_at - starts_at > MAX_SHIFT:
        raise Invalid("invalid", gettext("En vakt kan vare høyst 14 døgn."), {"ends_at": "for lang"})
    person = get_person(person_id)
    if not person.active:
        raise Invalid("invalid", gettext("Personen er ikke aktiv."), {"person_id": "inaktiv"})
    shift = DutyShift(
        team=team,
        person_id=person.id,
        starts_at=starts_at,
        ends_at=ends_at,
        note=check_text((note or "").strip()[:200], "note"),
        created_at=utcnow(),
    )
    db.session.add(shift)
    db.session.flush()
    append_event(
        "global",
        "roster.updated",
        {"change": "shift_added", "team": team, "shift_id": shift.id},
        actor_id=actor.id if actor else None,
    )
    record_audit("roster.shift_added", "roster_shift", shift.id, actor=actor, meta={"person": person.id, "team": team})
    db.session.commit()
    return shift


@transactional
def delete_shift(shift_id: int, actor: User | None = None) -> None:
    shift = db.session.get(DutyShift, shift_id)
    if shift is None:
        raise NotFound(gettext("Ukjent vakt."))
    append_event(
        "global",
        "roster.updated",
        {"change": "shift_deleted", "team": shift.team, "shift_id": shift.id},
        actor_id=actor.id if actor else None,
    )
    record_audit(
        "roster.shift_deleted",
        "roster_shift",
        shift.id,
        actor=actor,
        meta={"person": shift.person_id, "team": shift.team},
    )
    db.session.execute(delete(DutyShift).where(DutyShift.id == shift_id))
    db.session.commit()


# ---------------------------------------------------------------- «Varsle vakthavende»

DUTY_PREFIX = "vakt:"


@dataclass(frozen=True)
class DutyGroup(Group):
    """Whoever the vaktliste has on duty for a team now, each called for the position they hold or deputise."""

    picked: tuple[Target, ...] = ()
    from_rota: bool = True  # False: a gap in the rota, the team's first function was taken instead

    def targets(self) -> list[Target]:
        return list(self.picked)


def on_duty(team: str, now: datetime) -> list[Person]:
    """The active people with a shift of the team covering `now`, earliest shift first."""
    people: list[Person] = []
    for shift in shifts_between(team, now, now + timedelta(microseconds=1)):
        if shift.person.active and shift.person not in people:
            people.append(shift.person)
    return people


def _chain(position: Position) -> list[Target]:
    """Holder first, then the deputies by rank."""
    chain = [Target(position.holder, position, 0)] if position.holder is not None else []
    return chain + [Target(d.person, position, d.rank) for d in position.deputies]


def duty_group(key: str, now: datetime | None = None) -> DutyGroup:
    """`vakt:<team>`: for each of the team's positions the one of its holder and deputies who is on duty; someone on
    duty without a position in the team on their own. With nobody on duty (a gap), the team's first function is
    called (its holder, else its deputies) — and an unanswered call escalates along that position's deputies."""
    now = now or utcnow()
    team = key.removeprefix(DUTY_PREFIX)
    if team not in tuple(Team):
        raise Invalid("invalid", gettext("Ukjent team for vakthavende."), {"group": "ukjent"})
    positions = list_positions(team)
    duty = on_duty(team, now)
    duty_ids = {p.id for p in duty}
    picked: list[Target] = []
    seen: set[int] = set()
    for position in positions:
        target = next((t for t in _chain(position) if t.person.id in duty_ids and t.person.id not in seen), None)
        if target is not None:
            picked.append(target)
            seen.add(target.person.id)
    picked += [Target(p, None, None) for p in duty if p.id not in seen]
    from_rota = bool(picked)
    if not picked:
        picked = [t for t in (first_available(p) for p in positions) if t is not None][:1]
    title = f"Vakthavende – {TEAM_TITLES[Team(team)]}"
    return DutyGroup(key, title, "duty", tuple(positions), (), tuple(picked), from_rota)


def duty_groups(contacts: bool, now: datetime | None = None) -> list[dict]:
    """Every team's «vakthavende» as the alert forms list them, with who would be called now."""
    out = []
    for team in Team:
        group = duty_group(DUTY_PREFIX + team.value, now)
        out.append(
            {
                "key": group.key,
                "title": group.title,
                "kind": group.kind,
                "from_rota": group.from_rota,
                "members": [
                    {
                        "person_id": t.person.id,
                        "position_id": t.position.id if t.position else None,
                        "position": t.position.title if t.position else None,
                        "rank": t.rank,
                        "name": t.person.name if contacts else None,
                    }
                    for t in group.picked
                ],
            }
        )
    return out
