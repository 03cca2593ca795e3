"""Meeting services: meetings, saksliste, two-party approval, sending, referat and decisions with follow-up."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.permissions import Role
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import (
    AGENDA_ITEM_KINDS,
    AGREEMENT_START,
    MEETING_CYCLE_KEYS,
    MEETING_KINDS,
    PARTY_BODIES,
    POLICE_STATIONS,
    POLITIRAD_MEMBER_FUNCTIONS,
    STANDING_ITEM_TITLE,
    approval_body,
)
from beredskap.cooperation.cycle import build_annual_cycle, host_for_year
from beredskap.cooperation.models import AgendaItem, FocusArea, Meeting, Party, Person, Proposal
from beredskap.errors import ApiError
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

OSLO = ZoneInfo("Europe/Oslo")
CHANNEL = "cooperation"
FOLLOW_UP_TITLE = "Oppfølging av vedtak"
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
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise ApiError(404, "not_found", "Ukjent møte.")
    return meeting


def lock_meeting(meeting_id: int) -> Meeting:
    """Load the meeting with a row lock (PostgreSQL) so approvals, sending and agenda changes serialise."""
    meeting = db.session.scalars(
        select(Meeting).where(Meeting.id == meeting_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if meeting is None:
        raise ApiError(404, "not_found", "Ukjent møte.")
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
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise ApiError(404, "not_found", "Ukjent sak.")
    return item


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
        title = f"{MEETING_KINDS[kind]} {local_day(starts_at).strftime('%d.%m.%Y') if starts_at else year}"
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
        raise ApiError(422, "invalid", f"cycle_key må være en av: {known}.", {"cycle_key": "ugyldig"})
    if MEETING_CYCLE_KEYS[cycle_key] != kind:
        raise ApiError(
            422,
            "invalid",
            f"«{cycle_key}» er et møte av typen {MEETING_CYCLE_KEYS[cycle_key]}.",
            {"cycle_key": "passer ikke med kind"},
        )


def _check_slot_free(year: int, cycle_key: str | None) -> None:
    if cycle_key and db.session.scalar(select(Meeting.id).where(Meeting.year == year, Meeting.cycle_key == cycle_key)):
        raise ApiError(409, "exists", f"Møtet «{cycle_key}» for {year} finnes allerede.", {"cycle_key": "finnes"})


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
        raise ApiError(422, "invalid", f"kind må være en av: {', '.join(MEETING_KINDS)}.", {"kind": "ugyldig"})
    if starts_at is not None:
        date_year = local_day(starts_at).year
        if year is not None and year != date_year:
            raise ApiError(422, "invalid", "Året stemmer ikke med møtedatoen.", {"year": "passer ikke med date"})
        year = date_year
    if year is None:
        raise ApiError(422, "invalid", "Oppgi møtedato (date) eller år (year).", {"date": "påkrevd"})
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
        raise ApiError(409, "version_conflict", "Møtet er endret av noen andre. Last inn på nytt.")
    if "starts_at" in changes and changes["starts_at"] is not None:
        new_year = local_day(changes["starts_at"]).year
        if meeting.cycle_key and new_year != meeting.year:
            raise ApiError(
                422,
                "invalid",
                f"Møtet hører til årshjulet for {meeting.year}; datoen må ligge i det året.",
                {"date": "feil år"},
            )
        check_year(new_year)
        meeting.year = new_year
    status = changes.get("status")
    if status is not None and status != meeting.status:
        if status != "held":
            raise ApiError(
                422,
                "invalid",
                "Status kan bare settes til «held» (avholdt) her; godkjenning og sending har egne handlinger.",
                {"status": "ugyldig"},
            )
        if meeting.status != "sent":
            raise ApiError(409, "not_sent", "Møtet kan ikke merkes som avholdt før sakslisten er sendt.")
    for key in MEETING_FIELDS:
        if key in changes:
            setattr(meeting, key, changes[key])
    db.session.flush()
    append_event(CHANNEL, "meeting.updated", meeting.event_data(), actor_id=actor.id if actor else None)
    db.session.commit()
    return meeting


# --- saksliste --------------------------------------------------------------------------------------------


def _next_case_number(meeting: Meeting) -> str:
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
        number=_next_case_number(meeting),
        title=STANDING_ITEM_TITLE,
        kind="drøfting",
        note="Fast sak: politirådet vurderer felles fokusområder og tiltak i hvert møte (samarbeidsavtalen pkt. 3.1).",
        standing=True,
        focus_area_ids=[],
    )
    db.session.add(item)
    db.session.flush()
    return item


def check_focus_area_ids(meeting: Meeting, ids: list[int]) -> list[int]:
    """Innsatsområder in focus must be those of the agreement covering the meeting's year."""
    from beredskap.cooperation.periods import agreement_for_year

    agreement = agreement_for_year(meeting.year)
    known = (
        set(db.session.scalars(select(FocusArea.id).where(FocusArea.agreement_id == agreement.id)))
        if agreement
        else set()
    )
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ApiError(
            422,
            "invalid",
            "Ukjent innsatsområde for avtalen som gjelder dette året.",
            {"focus_area_ids": "ukjent"},
        )
    return list(dict.fromkeys(ids))


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status == "held":
        raise ApiError(
            409, "held", "Møtet er avholdt; sakslisten kan ikke endres lenger. Referatet kan fortsatt skrives."
        )


def _reset_approvals(meeting: Meeting, actor: User | None, reason: str) -> None:
    """Withdraw both approvals (and a sent status) after the saksliste changed.

    An approval is of the saksliste as the ledergruppe saw it. A changed saksliste is a different document
    that neither ledergruppe has approved, so it must be approved again by both, and sent again, before it
    may reach the council.
    """
    if meeting.approved_kommune_at is None and meeting.approved_politi_at is None and meeting.status != "sent":
        return
    had = [party for party in PARTY_BODIES if getattr(meeting, f"approved_{party}_at") is not None]
    meeting.approved_kommune_at = None
    meeting.approved_kommune_by = ""
    meeting.approved_politi_at = None
    meeting.approved_politi_by = ""
    meeting.approved_politi_station = ""
    was_sent = meeting.status == "sent"
    meeting.status = "draft"
    meeting.sent_at = None
    db.session.flush()
    record_audit(
        "meeting.approvals_reset",
        "meeting",
        meeting.id,
        actor=actor,
        reason=reason,
        meta={"withdrawn": had, "was_sent": was_sent},
    )
    append_event(
        CHANNEL,
        "meeting.approvals_reset",
        {**meeting.event_data(), "withdrawn": had, "was_sent": was_sent},
        actor_id=actor.id if actor else None,
    )


def _validate_item(data: dict) -> None:
    if "kind" in data and data["kind"] not in AGENDA_ITEM_KINDS:
        raise ApiError(422, "invalid", f"kind må være en av: {', '.join(AGENDA_ITEM_KINDS)}.", {"kind": "ugyldig"})
    if "title" in data and not (data["title"] or "").strip():
        raise ApiError(422, "invalid", "Saken må ha en tittel.", {"title": "påkrevd"})


def _item_event(item: AgendaItem) -> dict:
    return {
        "id": item.id,
        "meeting_id": item.meeting_id,
        "number": item.number,
        "title": item.title,
        "position": item.position,
        "version": item.version,
    }


@transactional
def add_agenda_item(meeting_id: int, data: dict, actor: User | None = None) -> AgendaItem:
    """Add a sak to the saksliste; withdraws earlier approvals (see `_reset_approvals`)."""
    _validate_item({"title": data.get("title", ""), **data})
    meeting = lock_meeting(meeting_id)
    _check_agenda_open(meeting)
    position = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id))
    item = AgendaItem(
        meeting_id=meeting_id,
        position=data.get("position") if data.get("position") is not None else (position or 0) + 1,
        number=data.get("number") or _next_case_number(meeting),
        title=data["title"],
        kind=data.get("kind") or "orientering",
        note=data.get("note") or "",
        presenter=data.get("presenter") or "",
        proposal=data.get("proposal") or "",
        minutes=data.get("minutes") or "",
    )
    db.session.add(item)
    db.session.flush()
    _reset_approvals(meeting, actor, "Ny sak på sakslisten")
    append_event(CHANNEL, "agenda.item_created", _item_event(item), actor_id=actor.id if actor else None)
    db.session.commit()
    return item


@transactional
def update_agenda_item(item_id: int, changes: dict, version: int, actor: User | None = None) -> AgendaItem:
    """Edit a sak; saksliste fields withdraw the approvals, the referat text (`minutes`) does not."""
    _validate_item(changes)
    item = get_agenda_item(item_id)
    meeting = lock_meeting(item.meeting_id)
    if item.version != version:
        raise ApiError(409, "version_conflict", "Saken er endret av noen andre. Last inn på nytt.")
    if item.standing and "title" in changes and changes["title"] != item.title:
        raise ApiError(409, "standing", f"«{STANDING_ITEM_TITLE}» er en fast sak og beholder navnet sitt.")
    if "focus_area_ids" in changes:
        changes["focus_area_ids"] = check_focus_area_ids(meeting, changes["focus_area_ids"])
    agenda_changed = any(
        key in changes and changes[key] != getattr(item, key) for key in (*AGENDA_FIELDS, "focus_area_ids")
    )
    if agenda_changed:
        _check_agenda_open(meeting)
    if "focus_area_ids" in changes:
        item.focus_area_ids = changes["focus_area_ids"]
    for key in (*AGENDA_FIELDS, "minutes"):
        if key in changes:
            setattr(item, key, changes[key] if changes[key] is not None else "")
    db.session.flush()
    if agenda_changed:
        _reset_approvals(meeting, actor, "Sak på sakslisten endret")
    append_event(CHANNEL, "agenda.item_updated", _item_event(item), actor_id=actor.id if actor else None)
    db.session.commit()
    return item


@transactional
def delete_agenda_item(item_id: int, version: int, actor: User | None = None) -> None:
    """Remove a sak from the saksliste; withdraws the approvals."""
    item = get_agenda_item(item_id)
    meeting = lock_meeting(item.meeting_id)
    if item.version != version:
        raise ApiError(409, "version_conflict", "Saken er endret av noen andre. Last inn på nytt.")
    if item.standing:
        raise ApiError(
            409, "standing", f"«{STANDING_ITEM_TITLE}» er en fast sak i hvert politiråd og kan ikke fjernes."
        )
    _check_agenda_open(meeting)
    data = _item_event(item)
    db.session.delete(item)
    db.session.flush()
    _reset_approvals(meeting, actor, "Sak fjernet fra sakslisten")
    append_event(CHANNEL, "agenda.item_deleted", data, actor_id=actor.id if actor else None)
    db.session.commit()


# --- approval and sending ---------------------------------------------------------------------------------


@transactional
def approve_agenda(meeting_id: int, party: str, actor: User, station: str = "") -> Meeting:
    """Record that the party's ledergruppe has approved the saksliste (audited, announced).

    For the police, `station` names whose ledergruppe it was: «politi-kristiansand» or «politi-sogne-songdalen»."""
    if party not in PARTY_BODIES:
        raise ApiError(422, "invalid", "«by» må være «kommune» eller «politi».", {"by": "ugyldig"})
    if station and (party != "politi" or station not in POLICE_STATIONS):
        raise ApiError(
            422,
            "invalid",
            f"«station» må være en av: {', '.join(POLICE_STATIONS)} (bare for politiets godkjenning).",
            {"station": "ugyldig"},
        )
    if party not in approver_parties(actor):
        raise ApiError(
            403, "wrong_party", f"Rollen din kan ikke registrere godkjenning fra {PARTY_BODIES[party].lower()}."
        )
    meeting = lock_meeting(meeting_id)
    if meeting.status == "held":
        raise ApiError(409, "held", "Møtet er avholdt.")
    if meeting.status == "sent":
        raise ApiError(409, "already_sent", "Sakslisten er allerede sendt.")
    if getattr(meeting, f"approved_{party}_at") is not None:
        raise ApiError(409, "already_approved", f"{PARTY_BODIES[party]} har allerede godkjent sakslisten.")
    if not agenda_items(meeting_id):
        raise ApiError(409, "empty_agenda", "Sakslisten er tom; legg til saker før den godkjennes.")
    setattr(meeting, f"approved_{party}_at", utcnow())
    setattr(meeting, f"approved_{party}_by", actor_name(actor))
    if party == "politi":
        meeting.approved_politi_station = station
    db.session.flush()
    record_audit(
        "meeting.approved",
        "meeting",
        meeting.id,
        actor=actor,
        reason=approval_body(party, station),
        meta={"by": party, "station": station or None},
    )
    append_event(CHANNEL, "meeting.approved", {**meeting.event_data(), "by": party}, actor_id=actor.id)
    db.session.commit()
    return meeting


@transactional
def send_agenda(meeting_id: int, actor: User) -> Meeting:
    """Send the saksliste to the council; refused (409) until both ledergrupper have approved it."""
    meeting = lock_meeting(meeting_id)
    if meeting.status == "sent":
        raise ApiError(409, "already_sent", "Sakslisten er allerede sendt.")
    if meeting.status == "held":
        raise ApiError(409, "held", "Møtet er avholdt.")
    missing = [PARTY_BODIES[p].lower() for p in PARTY_BODIES if getattr(meeting, f"approved_{p}_at") is None]
    if missing:
        raise ApiError(
            409,
            "not_approved",
            "Sakslisten kan ikke sendes før den er godkjent av både kommunedirektørens ledergruppe og "
            f"politistasjonens ledergruppe. Mangler godkjenning fra {' og '.join(missing)}.",
        )
    meeting.status = "sent"
    meeting.sent_at = utcnow()
    db.session.flush()
    record_audit("meeting.sent", "meeting", meeting.id, actor=actor)
    append_event(CHANNEL, "meeting.sent", meeting.event_data(), actor_id=actor.id)
    db.session.commit()
    return meeting


# --- innspill ---------------------------------------------------------------------------------------------

# The kriminalitetsforebyggende koordinator is the politiråd's secretary and decides on the innspill.
SECRETARY_ROLES = frozenset({Role.PREVENTION_COORDINATOR, Role.ADMIN})


def list_proposals(meeting_id: int) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.meeting_id == meeting_id).order_by(Proposal.id)))


def _proposal_event(proposal: Proposal) -> dict:
    # The channel carries ids and status; the text is fetched over the API.
    return {
        "id": proposal.id,
        "meeting_id": proposal.meeting_id,
        "status": proposal.status,
        "agenda_item_id": proposal.agenda_item_id,
        "version": proposal.version,
    }


@transactional
def add_proposal(meeting_id: int, data: dict, actor: User | None = None) -> Proposal:
    """A tjenesteområde in the kommune or the police proposes a sak for the saksliste."""
    meeting = lock_meeting(meeting_id)
    _check_agenda_open(meeting)
    if meeting.status == "sent":
        raise ApiError(409, "already_sent", "Sakslisten er sendt; innspill må komme før utsending.")
    proposal = Proposal(
        meeting_id=meeting_id,
        title=data["title"],
        description=data.get("description") or "",
        from_unit=data["from"],
        party=data["party"],
        proposed_by=actor_name(actor),
        created_at=utcnow(),
        status="pending",
    )
    db.session.add(proposal)
    db.session.flush()
    record_audit("proposal.created", "meeting", meeting_id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "proposal.created", _proposal_event(proposal), actor_id=actor.id if actor else None)
    db.session.commit()
    return proposal


def _pending_proposal(proposal_id: int, version: int, actor: User) -> tuple[Proposal, Meeting]:
    if actor.role not in SECRETARY_ROLES:
        raise ApiError(403, "not_secretary", "Bare sekretæren (kriminalitetsforebyggende koordinator) avgjør innspill.")
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise ApiError(404, "not_found", "Ukjent innspill.")
    meeting = lock_meeting(proposal.meeting_id)
    if proposal.version != version:
        raise ApiError(409, "version_conflict", "Innspillet er endret av noen andre. Last inn på nytt.")
    if proposal.status != "pending":
        raise ApiError(409, "decided", "Innspillet er allerede avgjort.")
    return proposal, meeting


@transactional
def accept_proposal(proposal_id: int, version: int, actor: User, kind: str = "orientering") -> Proposal:
    """Put the innspill on the saksliste; like any new sak it withdraws earlier approvals."""
    if kind not in AGENDA_ITEM_KINDS:
        raise ApiError(422, "invalid", f"kind må være en av: {', '.join(AGENDA_ITEM_KINDS)}.", {"kind": "ugyldig"})
    proposal, meeting = _pending_proposal(proposal_id, version, actor)
    _check_agenda_open(meeting)
    position = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(position or 0) + 1,
        number=_next_case_number(meeting),
        title=proposal.title,
        kind=kind,
        note=proposal.description,
        presenter=proposal.from_unit,
    )
    db.session.add(item)
    db.session.flush()
    proposal.status = "accepted"
    proposal.agenda_item_id = item.id
    proposal.decided_by = actor_name(actor)
    proposal.decided_at = utcnow()
    db.session.flush()
    _reset_approvals(meeting, actor, "Innspill satt på sakslisten")
    record_audit("proposal.accepted", "meeting", meeting.id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "agenda.item_created", _item_event(item), actor_id=actor.id)
    append_event(CHANNEL, "proposal.decided", _proposal_event(proposal), actor_id=actor.id)
    db.session.commit()
    return proposal


@transactional
def decline_proposal(proposal_id: int, version: int, reason: str, actor: User) -> Proposal:
    """Decline the innspill with a reason the proposer can read."""
    if not (reason or "").strip():
        raise ApiError(422, "invalid", "Skriv en begrunnelse for avslaget.", {"reason": "påkrevd"})
    proposal, meeting = _pending_proposal(proposal_id, version, actor)
    proposal.status = "declined"
    proposal.decline_reason = reason.strip()
    proposal.decided_by = actor_name(actor)
    proposal.decided_at = utcnow()
    db.session.flush()
    record_audit("proposal.declined", "meeting", meeting.id, actor=actor, meta={"proposal": proposal.id})
    append_event(CHANNEL, "proposal.decided", _proposal_event(proposal), actor_id=actor.id)
    db.session.commit()
    return proposal
