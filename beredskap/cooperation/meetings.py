"""Meeting services: reading, the agreement's defaults, creating and changing meetings.

The saksliste and its approval are in `agenda`, the innspill in `proposals`, decisions in `decisions`."""

import re
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import Role
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import (
    AGREEMENT_START,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    PARTY_BODIES,
    POLITIRAD_MEMBER_FUNCTIONS,
    STANDING_ITEM_TITLE,
)
from beredskap.cooperation.cycle import build_annual_cycle, host_for_year
from beredskap.cooperation.models import AgendaItem, Meeting, Party, Person
from beredskap.cooperation.regional import regional_members
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional
from beredskap.vocabulary import DATE_FORMAT, OSLO

CHANNEL = "cooperation"
FOLLOW_UP_TITLE = "Oppfølging av vedtak"
# i18n: stored as data (the standing item's note, which users edit)
STANDING_ITEM_NOTE = (
    "Fast sak: politirådet vurderer felles fokusområder og tiltak i hvert møte (samarbeidsavtalen pkt. 3.1)."
)
# Who may record which party's approval: the police record their ledergruppe's approval, the
# municipality's roles the kommunedirektør's; the administrator may record both (e.g. on paper minutes).
APPROVER_PARTIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"kommune", "politi"}),
    Role.COORDINATOR: frozenset({"kommune"}),
    Role.PREVENTION_COORDINATOR: frozenset({"kommune"}),
    Role.POLICE: frozenset({"politi"}),
}
# Fields of an agenda item that are part of the saksliste; `minutes` belongs to the referat.
AGENDA_FIELDS = ("number", "title", "kind", "note", "presenter", "proposal", "position")
MEETING_FIELDS = (
    "title",
    "starts_at",
    "location",
    "host",
    "chair",
    "secretary",
    "members",
    "invited",
    "present",
    "absent",
    "minutes_notes",
    "status",
)
# The meeting's own parts of the referat; each sak's `minutes` and the decisions belong to it too.
MINUTES_FIELDS = ("present", "absent", "minutes_notes")
_CASE_NUMBER = re.compile(r"^(\d{1,4})/(\d{2})$")


def actor_name(actor: User | None) -> str:
    return (actor.display_name or actor.username) if actor else "system"


def local_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def today() -> date:
    return local_day(utcnow())


def check_year(year: int) -> None:
    """Years no registered agreement covers have no årshjul and no meetings (422 with the registered periods)."""
    from beredskap.cooperation.periods import check_year as check_agreement_year

    check_agreement_year(year)


def approver_parties(user: User | None) -> frozenset[str]:
    """The parties whose approval this user may record."""
    return APPROVER_PARTIES.get(user.role, frozenset()) if user else frozenset()


# --- reading ----------------------------------------------------------------------------------------------


def get_meeting(meeting_id: int) -> Meeting:
    return get_or_not_found(Meeting, meeting_id, gettext("Ukjent møte."))


def lock_meeting(meeting_id: int) -> Meeting:
    """Load the meeting with a row lock (PostgreSQL) so approvals, sending and agenda changes serialise."""
    meeting = db.session.scalars(
        select(Meeting).where(Meeting.id == meeting_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if meeting is None:
        raise NotFound(gettext("Ukjent møte."))
    return meeting


def list_meetings(year: int | None = None) -> list[Meeting]:
    stmt = select(Meeting)
    if year is not None:
        stmt = stmt.where(Meeting.year == year)
    meetings = list(db.session.scalars(stmt))
    far = datetime.max.replace(tzinfo=OSLO)
    return sorted(meetings, key=lambda m: (m.starts_at or far, m.id))


def upcoming_meetings(limit: int = 5) -> list[Meeting]:
    now = utcnow()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.starts_at >= now).order_by(Meeting.starts_at, Meeting.id).limit(limit)
    )
    return list(meetings)


def agenda_items(meeting_id: int) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def get_agenda_item(item_id: int) -> AgendaItem:
    return get_or_not_found(AgendaItem, item_id, gettext("Ukjent sak."))


# --- meetings ---------------------------------------------------------------------------------------------


def _cycle_titles(year: int) -> dict[str, str]:
    # The year is checked against the registered agreements before; the titles do not depend on the period.
    cycle = build_annual_cycle(year, agreement_start=year, agreement_end=year)
    return {item["key"]: item["title"] for item in cycle["items"]}


def _people(function: str) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person).where(Person.function == function, Person.active.is_(True)).order_by(Person.id)
        )
    )


def _member(person: Person) -> dict:
    unit = db.session.get(Party, person.unit_id)
    return {
        "name": person.name,
        "organisation": unit.name if unit else "",
        "function": person.function_title,
        "person_id": person.id,  # the directory entry the invitation is sent to
    }


def default_members(kind: str) -> list[dict]:
    """The fixed members by the agreement, from the directory; groups stand in for councils."""
    if kind == "politirad":
        return [_member(p) for function in POLITIRAD_MEMBER_FUNCTIONS for p in _people(function)]
    if kind == "formannskap":
        members = [{"name": "Formannskapets medlemmer", "organisation": "Kristiansand kommune", "function": ""}]
        members += [
            _member(p) for function in ("stasjonssjef", "politikontakt", "krimkoordinator") for p in _people(function)
        ]
        return members
    # The regional politiråd invites its own member list (regional.py); until one is registered, placeholders.
    registered = regional_members()
    if registered:
        return [*registered, *[_member(p) for p in _people("krimkoordinator")]]
    return [
        {
            "name": "Ordførere og kommunedirektører i Region Kristiansand",
            "organisation": "Region Kristiansand",
            "function": "",
        },
        {"name": "Ledelsen i Agder politidistrikt", "organisation": "Agder politidistrikt", "function": ""},
        *[_member(p) for p in _people("krimkoordinator")],
    ]


def default_chair(kind: str, host: str | None) -> str:
    if kind == "regionalt_politirad":
        return ""
    if host == "politi":
        chiefs = _people("stasjonssjef")
        return chiefs[0].name if chiefs else ""
    mayors = _people("ordforer")
    return mayors[0].name if mayors else ""


def default_secretary() -> str:
    # The agreement makes the kriminalitetsforebyggende koordinator the secretary of the meetings.
    coordinators = _people("krimkoordinator")
    return coordinators[0].name if coordinators else ""


def politirad_host(year: int) -> str:
    return host_for_year(
        year,
        int(current_app.config.get("FIRST_HOST_YEAR", AGREEMENT_START)),
        str(current_app.config.get("FIRST_HOST", "kommune")),
    )


def new_meeting(*, kind: str, year: int, cycle_key: str | None, starts_at: datetime | None) -> Meeting:
    """A meeting with the agreement's defaults (title, host, chair, secretary, members), not yet added."""
    if cycle_key:
        title = f"{_cycle_titles(year)[cycle_key]} {year}"
    else:
        title = f"{MEETING_KINDS[kind]} {local_day(starts_at).strftime(DATE_FORMAT) if starts_at else year}"
    host = politirad_host(year) if kind == "politirad" else ("kommune" if kind == "formannskap" else None)
    now = utcnow()
    return Meeting(
        kind=kind,
        year=year,
        cycle_key=cycle_key,
        title=title,
        starts_at=starts_at,
        host=host,
        chair=default_chair(kind, host),
        secretary=default_secretary(),
        members=default_members(kind),
        invited=[],
        present=[],
        absent=[],
        status="draft",
        created_at=now,
    )


def _validate_cycle_key(kind: str, cycle_key: str | None) -> None:
    if cycle_key is None:
        return
    if cycle_key not in MEETING_CYCLE_KEYS:
        known = ", ".join(MEETING_CYCLE_KEYS)
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(allowed)s.", label=label("cycle_key"), allowed=known),
            {"cycle_key": "ugyldig"},
        )
    if MEETING_CYCLE_KEYS[cycle_key] != kind:
        raise Invalid(
            "invalid",
            gettext("«%(key)s» er et møte av typen %(kind)s.", key=cycle_key, kind=MEETING_CYCLE_KEYS[cycle_key]),
            {"cycle_key": "passer ikke med kind"},
        )


def _check_slot_free(year: int, cycle_key: str | None) -> None:
    if cycle_key and db.session.scalar(select(Meeting.id).where(Meeting.year == year, Meeting.cycle_key == cycle_key)):
        raise Conflict(
            "exists",
            gettext("Møtet «%(key)s» for %(year)s finnes allerede.", key=cycle_key, year=year),
            {"cycle_key": "finnes"},
        )


@transactional
def create_meeting(
    *,
    kind: str,
    year: int | None = None,
    starts_at: datetime | None = None,
    cycle_key: str | None = None,
    fields: dict | None = None,
    actor: User | None = None,
) -> Meeting:
    """Create a meeting; without `fields` the agreement's defaults fill in host, chair, secretary and members."""
    if kind not in MEETING_KINDS:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(allowed)s.", label=label("kind"), allowed=", ".join(MEETING_KINDS)),
            {"kind": "ugyldig"},
        )
    if starts_at is not None:
        date_year = local_day(starts_at).year
        if year is not None and year != date_year:
            raise Invalid("invalid", gettext("Året stemmer ikke med møtedatoen."), {"year": "passer ikke med date"})
        year = date_year
    if year is None:
        raise Invalid("invalid", gettext("Oppgi møtedato (date) eller år (year)."), {"date": "påkrevd"})
    check_year(year)
    _validate_cycle_key(kind, cycle_key)
    _check_slot_free(year, cycle_key)
    meeting = new_meeting(kind=kind, year=year, cycle_key=cycle_key, starts_at=starts_at)
    for key, value in (fields or {}).items():
        if key in MEETING_FIELDS and key not in ("status", "starts_at"):
            setattr(meeting, key, value)
    db.session.add(meeting)
    db.session.flush()
    add_standing_item(meeting)
    record_audit("meeting.created", "meeting", meeting.id, actor=actor, meta={"kind": kind, "year": year})
    append_event(CHANNEL, "meeting.created", meeting.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return meeting


@transactional
def update_meeting(meeting_id: int, changes: dict, version: int, actor: User | None = None) -> Meeting:
    """Change the meeting's details or referat; `status: held` closes it after it was sent."""
    meeting = lock_meeting(meeting_id)
    if meeting.version != version:
        raise Conflict("version_conflict", gettext("Møtet er endret av noen andre. Last inn på nytt."))
    if "starts_at" in changes and changes["starts_at"] is not None:
        new_year = local_day(changes["starts_at"]).year
        if meeting.cycle_key and new_year != meeting.year:
            raise Invalid(
                "invalid",
                gettext("Møtet hører til årshjulet for %(year)s; datoen må ligge i det året.", year=meeting.year),
                {"date": "feil år"},
            )
        check_year(new_year)
        meeting.year = new_year
    status = changes.get("status")
    if status is not None and status != meeting.status:
        if status != "held":
            raise Invalid(
                "invalid",
                gettext("Status kan bare settes til «held» (avholdt) her; godkjenning og sending har egne handlinger."),
                {"status": "ugyldig"},
            )
        if meeting.status != "sent":
            raise Conflict("not_sent", gettext("Møtet kan ikke merkes som avholdt før sakslisten er sendt."))
    minutes_changed = any(key in changes and changes[key] != getattr(meeting, key) for key in MINUTES_FIELDS)
    for key in MEETING_FIELDS:
        if key in changes:
            setattr(meeting, key, changes[key])
    db.session.flush()
    if minutes_changed:
        withdraw_minutes_approvals(meeting, actor, "Referatet endret")  # i18n: audit-log reason stored as data
    append_event(CHANNEL, "meeting.updated", meeting.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return meeting


def next_case_number(meeting: Meeting) -> str:
    """The next saksnummer «n/yy» in the meetings of the same kind and year."""
    suffix = f"{meeting.year % 100:02d}"
    numbers = db.session.scalars(
        select(AgendaItem.number)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.kind == meeting.kind, Meeting.year == meeting.year)
    )
    highest = 0
    for number in numbers:
        match = _CASE_NUMBER.match(number or "")
        if match and match.group(2) == suffix:
            highest = max(highest, int(match.group(1)))
    return f"{highest + 1}/{suffix}"


def add_standing_item(meeting: Meeting) -> AgendaItem | None:
    """Put «Felles fokusområder og tiltak» first on a politiråd's saksliste (§3.1: reviewed at every meeting)."""
    if meeting.kind != "politirad":
        return None
    existing = db.session.scalar(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.standing.is_(True))
    )
    if existing is not None:
        return existing
    item = AgendaItem(
        meeting_id=meeting.id,
        position=0,
        number=next_case_number(meeting),
        title=STANDING_ITEM_TITLE,
        kind="drøfting",
        note=STANDING_ITEM_NOTE,
        standing=True,
        focus_area_ids=[],
    )
    db.session.add(item)
    db.session.flush()
    return item


def withdraw_minutes_approvals(meeting: Meeting, actor: User | None, reason: str) -> None:
    """Withdraw both approvals of the referat (and its sent mark) after the referat changed.

    As with the saksliste, an approval is of the referat as the ledergruppe read it; a changed referat must be
    approved again by both before it is distributed (again)."""
    had = [p for p in PARTY_BODIES if getattr(meeting, f"minutes_approved_{p}_at") is not None]
    if not had and meeting.minutes_sent_at is None:
        return
    was_sent = meeting.minutes_sent_at is not None
    for party in PARTY_BODIES:
        setattr(meeting, f"minutes_approved_{party}_at", None)
        setattr(meeting, f"minutes_approved_{party}_by", "")
    meeting.minutes_approved_politi_station = ""
    meeting.minutes_sent_at = None
    db.session.flush()
    meta = {"withdrawn": had, "was_sent": was_sent}
    record_audit("meeting.minutes_approvals_reset", "meeting", meeting.id, actor=actor, reason=reason, meta=meta)
    append_event(
        CHANNEL,
        "meeting.minutes_approvals_reset",
        {**meeting.event_data(), **meta},
        actor_id=actor.id if actor else None,
    )
