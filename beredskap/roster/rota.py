"""The duty rota (vaktliste) of each team: shifts, and where 24/7 cover has gaps."""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from beredskap.auth.models import User
from beredskap.clock import isoformat, utcnow
from beredskap.errors import ApiError
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.roster.models import TEAM_TITLES, DutyShift, Team
from beredskap.roster.organisation import check_text, get_person, person_dict
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
        raise ApiError(422, "invalid", "Ukjent team.", {"team": "ugyldig"})
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ApiError(422, "invalid", "Tidene må ha tidssone.", {"starts_at": "tidssone"})
    if ends_at <= starts_at:
        raise ApiError(422, "invalid", "Vakten må slutte etter at den begynner.", {"ends_at": "før start"})
    if ends_at - starts_at > MAX_SHIFT:
        raise ApiError(422, "invalid", "En vakt kan vare høyst 14 døgn.", {"ends_at": "for lang"})
    person = get_person(person_id)
    if not person.active:
        raise ApiError(422, "invalid", "Personen er ikke aktiv.", {"person_id": "inaktiv"})
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
    db.session.commit()
    return shift


@transactional
def delete_shift(shift_id: int, actor: User | None = None) -> None:
    shift = db.session.get(DutyShift, shift_id)
    if shift is None:
        raise ApiError(404, "not_found", "Ukjent vakt.")
    append_event(
        "global",
        "roster.updated",
        {"change": "shift_deleted", "team": shift.team, "shift_id": shift.id},
        actor_id=actor.id if actor else None,
    )
    db.session.execute(delete(DutyShift).where(DutyShift.id == shift_id))
    db.session.commit()
