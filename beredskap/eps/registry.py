"""The evacuee registry: check-in (alone or as a household), check-out, inquiries and confirmed reunification."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, exists, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.eps.fields import (
    FieldError,
    clean_phone,
    clean_text,
    parse_birth_date,
    parse_birth_year,
    parse_needs,
)
from beredskap.eps.matching import rank_candidates
from beredskap.eps.models import (
    EvacuationCentre,
    Evacuee,
    EvacueeHistory,
    EvacueeStatus,
    Household,
    Inquiry,
    InquiryStatus,
)
from beredskap.eps.queries import (
    change_counts,
    ensure_writable,
    field_error,
    get_centre,
    occupancy_events,
)
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents.models import Incident
from beredskap.realtime.journal import append_event, append_events
from beredskap.transaction import transactional

log = logging.getLogger(__name__)

MAX_HOUSEHOLD = 30
MAX_CANDIDATES = 10
MIN_SCORE = 0.5
INQUIRY_CHANNELS = ("telefon", "skranke", "epost", "annet")


def parse_person(data: Any, today: Any, prefix: str = "", shared: Mapping[str, Any] | None = None) -> dict:
    """Validate one person's registration; errors name the field (with prefix), never the value typed."""
    if not isinstance(data, Mapping):
        raise Invalid("invalid", f"{prefix or 'personen'} må være et objekt.", {prefix or "body": "objekt"})
    shared = shared or {}
    try:
        full_name = clean_text(data.get("full_name"), f"{prefix}full_name", 200, required=True)
        birth_date, birth_year = parse_birth_date(data.get("birth_date"), today, f"{prefix}birth_date")
        phone = clean_phone(data.get("phone"), f"{prefix}phone")
        address = clean_text(data.get("address", shared.get("address")), f"{prefix}address", 300)
        needs, note = parse_needs(data.get("needs"), f"{prefix}needs")
        needs_note = clean_text(data.get("needs_note"), f"{prefix}needs_note", 1000) or note
    except FieldError as err:
        raise field_error(err) from None
    return {
        "full_name": full_name,
        "birth_date": birth_date,
        "birth_year": birth_year,
        "phone": phone,
        "address": address,
        "needs": needs,
        "needs_note": needs_note,
    }


def _household(centre: EvacuationCentre, household_id: Any) -> int | None:
    if household_id is None:
        return None
    if isinstance(household_id, bool) or not isinstance(household_id, int):
        message = gettext("%(label)s må være et heltall.", label=label("household_id"))
        raise Invalid("invalid", message, {"household_id": "heltall"})
    household = db.session.get(Household, household_id)
    if household is None or household.centre_id != centre.id:
        message = gettext("%(label)s er ikke en husstand ved denne EPS.", label=label("household_id"))
        raise Invalid("invalid", message, {"household_id": "ukjent"})
    return household.id


# The centre, its incident and whether the incident has an open inquiry to re-match: one query per registration,
# so a registration with no inquiry open (the usual case) runs no inquiry scan at all.
_CENTRE_INCIDENT_INQUIRIES = (
    select(
        EvacuationCentre,
        Incident,
        exists()
        .where(
            Inquiry.incident_id == EvacuationCentre.incident_id,
            Inquiry.status == InquiryStatus.OPEN,
            Inquiry.anonymised_at.is_(None),
        )
        .label("open_inquiries"),
    )
    .join(Incident, Incident.id == EvacuationCentre.incident_id)
    .where(EvacuationCentre.id == bindparam("centre_id"))
)


def _centre_for_registration(centre_id: int) -> tuple[EvacuationCentre, Incident, bool]:
    row = db.session.execute(_CENTRE_INCIDENT_INQUIRIES, {"centre_id": centre_id}).first()
    if row is None:
        raise NotFound(gettext("Ukjent EPS."))
    return row[0], row[1], bool(row[2])


@transactional
def register_evacuee(centre_id: int, data: Mapping[str, Any], actor: User | None = None) -> Evacuee:
    """Check a person in at the centre (optionally into an existing household); returns the new record."""
    centre, incident, open_inquiries = _centre_for_registration(centre_id)
    person = parse_person(data, utcnow().date())
    household_id = _household(centre, data.get("household_id"))
    return _register(centre, incident, [person], household_id, actor, rematch=open_inquiries)[0]


@transactional
def register_household(centre_id: int, data: Mapping[str, Any], actor: User | None = None) -> list[Evacuee]:
    """Check a household in together: one family group, the shared address for those without their own."""
    centre, incident, open_inquiries = _centre_for_registration(centre_id)
    members = data.get("members")
    if not isinstance(members, list) or not members:
        message = gettext("%(label)s mangler (en liste med personer).", label=label("members"))
        raise Invalid("invalid", message, {"members": "påkrevd"})
    if len(members) > MAX_HOUSEHOLD:
        raise Invalid(
            "invalid", gettext("En husstand kan ha høyst %(n)s personer.", n=MAX_HOUSEHOLD), {"members": "for mange"}
        )
    today = utcnow().date()
    try:
        shared = {"address": clean_text(data.get("address"), "address", 300)}
    except FieldError as err:
        raise field_error(err) from None
    people = [parse_person(member, today, f"members[{index}].", shared) for index, member in enumerate(members)]
    household_id = _household(centre, data.get("household_id"))
    return _register(
        centre, incident, people, household_id, actor, new_household=household_id is None, rematch=open_inquiries
    )


def _register(
    centre: EvacuationCentre,
    incident: Incident,
    people: list[dict],
    household_id: int | None,
    actor: User | None,
    new_household: bool = False,
    rematch: bool = True,
) -> list[Evacuee]:
    ensure_writable(centre, incident)
    now = utcnow()
    if new_household:
        household = Household(centre_id=centre.id, created_at=now)
        db.session.add(household)
        db.session.flush()
        household_id = household.id
    actor_id = actor.id if actor else None
    evacuees = [
        Evacuee(
            centre_id=centre.id,
            incident_id=incident.id,
            household_id=household_id,
            status=EvacueeStatus.PRESENT,
            exercise=incident.is_exercise,
            registered_at=now,
            registered_by=actor_id,
            **person,
        )
        for person in people
    ]
    db.session.add_all(evacuees)
    db.session.flush()
    for evacuee in evacuees:
        db.session.add(
            EvacueeHistory(evacuee_id=evacuee.id, action="registered", status=evacuee.status, at=now, actor_id=actor_id)
        )
        record_audit("create", "evacuee", evacuee.id, actor=actor, meta={"eps_id": centre.id})
    # Written now, before the first row lock below: flushed at commit they would be two more round trips while
    # this transaction holds the centre and channel rows, and every registration at the centre waits for those.
    db.session.flush()
    # Lock order of every EPS writer: inquiries (_rematch), then the centre (change_counts), then the channels.
    # An inquiry committed after the check above misses this person, as one committed after the scan always did:
    # its own ranking ran before this registration was committed. The window is this transaction, as before.
    changed = _rematch(incident.id, evacuees, now) if rematch else []
    counts = change_counts(centre, refuse_closed=True, present_count=len(evacuees))
    event_counts = {"present": counts["present"], "registered": counts["registered"], "capacity": centre.capacity}
    events = [
        (
            centre.channel,
            "evacuee.registered",
            {
                "eps_id": centre.id,
                "evacuee_id": evacuee.id,
                "household_id": household_id,
                "exercise": evacuee.exercise,
                "counts": event_counts,
            },
        )
        for evacuee in evacuees
    ]
    events += _rematch_events(centre, changed)
    events += occupancy_events(centre, counts)
    append_events(events, actor_id=actor_id)
    centre_id = centre.id
    _commit_keeping(evacuees)
    log.info("eps %s: %d registered", centre_id, len(evacuees))
    return evacuees


def _commit_keeping(instances: list) -> None:
    """Commit, keeping the values just written on `instances`, so answering needs no reload per instance."""
    loaded = []
    for instance in instances:
        state = inspect(instance)
        loaded.append(
            (instance, {key: state.dict[key] for key in state.mapper.column_attrs.keys() if key in state.dict})
        )
    db.session.commit()
    for instance, values in loaded:
        for key, value in values.items():
            set_committed_value(instance, key, value)


# Built once: every registration runs it.
_OPEN_INQUIRIES = (
    select(Inquiry)
    .where(
        Inquiry.incident_id == bindparam("incident_id"),
        Inquiry.status == InquiryStatus.OPEN,
        Inquiry.anonymised_at.is_(None),
    )
    .order_by(Inquiry.id)
    .with_for_update()
)


def _rematch(incident_id: int, evacuees: list[Evacuee], now: datetime) -> list[Inquiry]:
    """Add new registrations to the candidate lists of the incident's open inquiries; return those changed."""
    # Locked so concurrent registrations at two centres update an inquiry one after the other.
    inquiries = db.session.scalars(_OPEN_INQUIRIES, {"incident_id": incident_id})
    records = [evacuee.matching_record() for evacuee in evacuees]
    changed = []
    for inquiry in inquiries:
        found = rank_candidates(inquiry.matching_record(), records, min_score=MIN_SCORE, limit=MAX_CANDIDATES)
        if not found:
            continue
        current = list(inquiry.candidates or [])
        known = {candidate["evacuee_id"] for candidate in current}
        merged = current + [candidate for candidate in found if candidate["evacuee_id"] not in known]
        merged.sort(key=lambda candidate: (-candidate["score"], candidate["evacuee_id"]))
        merged = merged[:MAX_CANDIDATES]
        if merged != current:
            inquiry.candidates = merged
            inquiry.candidates_at = now
            changed.append(inquiry)
    return changed


def _rematch_events(centre: EvacuationCentre, changed: list[Inquiry]) -> list[tuple[str, str, dict]]:
    """inquiry.matches_changed per centre whose inquiries got new candidates (ids and counts only)."""
    by_centre: dict[int, list[dict]] = {}
    for inquiry in changed:
        by_centre.setdefault(inquiry.centre_id, []).append(
            {"id": inquiry.id, "candidate_count": len(inquiry.candidates or [])}
        )
    events = []
    for centre_id, items in by_centre.items():
        target = centre if centre_id == centre.id else get_centre(centre_id)
        events.append(
            (
                target.channel,
                "inquiry.matches_changed",
                {"eps_id": target.id, "changed": len(items), "inquiries": items},
            )
        )
    return events


def get_evacuee(evacuee_id: int, for_update: bool = False) -> Evacuee:
    # FOR NO KEY UPDATE: the status is read fresh under the lock; history rows may still reference the row.
    evacuee = db.session.get(Evacuee, evacuee_id, with_for_update={"key_share": True} if for_update else None)
    if evacuee is None:
        raise NotFound(gettext("Ukjent registrering."))
    if evacuee.anonymised_at is not None:
        raise NotFound(gettext("Registreringen er anonymisert etter lagringstiden."), code="anonymised")
    return evacuee


@transactional
def check_out(evacuee_id: int, destination: Any, actor: User | None = None) -> Evacuee:
    """Check a person out with the destination they give; the registration and its history remain."""
    try:
        destination = clean_text(destination, "destination", 300, required=True)
    except FieldError as err:
        raise field_error(err) from None
    evacuee = get_evacuee(evacuee_id, for_update=True)
    centre = get_centre(evacuee.centre_id)
    if evacuee.status == EvacueeStatus.LEFT:
        raise Conflict("already_left", gettext("Personen er allerede sjekket ut."))
    now = utcnow()
    evacuee.status = EvacueeStatus.LEFT
    evacuee.left_at = now
    evacuee.destination = destination
    actor_id = actor.id if actor else None
    db.session.add(
        EvacueeHistory(
            evacuee_id=evacuee.id, action="checked_out", status=EvacueeStatus.LEFT, at=now, actor_id=actor_id
        )
    )
    record_audit("checkout", "evacuee", evacuee.id, actor=actor, meta={"eps_id": centre.id})
    db.session.flush()
    counts = change_counts(centre, present_count=-1, left_count=1)
    checked_out = {
        "eps_id": centre.id,
        "evacuee_id": evacuee.id,
        "counts": {
            "present": counts["present"],
            "registered": counts["registered"],
            "left": counts["left"],
            "capacity": centre.capacity,
        },
    }
    append_events(
        [(centre.channel, "evacuee.checked_out", checked_out), *occupancy_events(centre, counts)], actor_id=actor_id
    )
    _commit_keeping([evacuee])
    return evacuee


# --- inquiries ---


def get_inquiry(inquiry_id: int, for_update: bool = False) -> Inquiry:
    inquiry = db.session.get(Inquiry, inquiry_id, with_for_update=for_update or None)
    if inquiry is None:
        raise NotFound(gettext("Ukjent henvendelse."))
    if inquiry.anonymised_at is not None:
        raise NotFound(gettext("Henvendelsen er anonymisert etter lagringstiden."), code="anonymised")
    return inquiry


def candidates_for(inquiry: Inquiry) -> list[dict]:
    """Rank every live registration of the inquiry's incident; ids and scores only."""
    evacuees = db.session.scalars(
        select(Evacuee).where(Evacuee.incident_id == inquiry.incident_id, Evacuee.anonymised_at.is_(None))
    )
    return rank_candidates(
        inquiry.matching_record(),
        [evacuee.matching_record() for evacuee in evacuees],
        min_score=MIN_SCORE,
        limit=MAX_CANDIDATES,
    )


@transactional
def create_inquiry(centre_id: int, data: Mapping[str, Any], actor: User | None = None) -> Inquiry:
    """Take a next-of-kin inquiry and suggest candidates; it stays open and is re-matched on new registrations."""
    centre = get_centre(centre_id)
    today = utcnow().date()
    try:
        values = {
            "inquirer_name": clean_text(data.get("inquirer_name"), "inquirer_name", 200, required=True),
            "inquirer_phone": clean_phone(data.get("inquirer_phone"), "inquirer_phone"),
            "relation": clean_text(data.get("relation"), "relation", 100, required=True),
            "sought_name": clean_text(data.get("sought_name"), "sought_name", 200, required=True),
            "sought_birth_year": parse_birth_year(data.get("sought_birth_year"), today),
            "sought_phone": clean_phone(data.get("sought_phone"), "sought_phone"),
            "note": clean_text(data.get("note"), "note", 1000),
        }
    except FieldError as err:
        raise field_error(err) from None
    if not values["inquirer_phone"]:
        message = gettext("%(label)s mangler.", label=label("inquirer_phone"))
        raise Invalid("invalid", message, {"inquirer_phone": "påkrevd"})
    channel = data.get("channel", "telefon")
    if channel not in INQUIRY_CHANNELS:
        message = gettext("%(label)s må være en av: %(v0)s.", label=label("channel"), v0=", ".join(INQUIRY_CHANNELS))
        raise Invalid("invalid", message, {"channel": "ugyldig"})
    incident = ensure_writable(centre)
    now = utcnow()
    inquiry = Inquiry(
        centre_id=centre.id,
        incident_id=incident.id,
        channel=channel,
        status=InquiryStatus.OPEN,
        exercise=incident.is_exercise,
        created_by=actor.id if actor else None,
        created_at=now,
        candidates=[],
        **values,
    )
    db.session.add(inquiry)
    db.session.flush()
    inquiry.candidates = candidates_for(inquiry)
    inquiry.candidates_at = now
    record_audit("create", "inquiry", inquiry.id, actor=actor, meta={"eps_id": centre.id})
    db.session.flush()
    counts = change_counts(centre, open_inquiry_count=1)
    append_event(
        centre.channel,
        "inquiry.created",
        {
            "eps_id": centre.id,
            "inquiry_id": inquiry.id,
            "candidate_count": len(inquiry.candidates),
            "open_inquiries": counts["open_inquiries"],
        },
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return inquiry


@transactional
def confirm_reunification(inquiry_id: int, evacuee_id: Any, actor: User | None = None) -> Inquiry:
    """A person confirms that a registered evacuee is the one sought; nothing is merged."""
    if isinstance(evacuee_id, bool) or not isinstance(evacuee_id, int):
        message = gettext("%(label)s mangler eller er ikke et heltall.", label=label("evacuee_id"))
        raise Invalid("invalid", message, {"evacuee_id": "påkrevd"})
    inquiry = get_inquiry(inquiry_id, for_update=True)
    if inquiry.status != InquiryStatus.OPEN:
        raise Conflict("inquiry_not_open", gettext("Henvendelsen er allerede gjenforent eller avsluttet."))
    evacuee = db.session.get(Evacuee, evacuee_id)
    if evacuee is None or evacuee.incident_id != inquiry.incident_id or evacuee.anonymised_at is not None:
        message = gettext("%(label)s er ikke en registrert person i denne hendelsen.", label=label("evacuee_id"))
        raise Invalid("invalid", message, {"evacuee_id": "ukjent"})
    now = utcnow()
    actor_id = actor.id if actor else None
    inquiry.status = InquiryStatus.REUNITED
    inquiry.reunited_evacuee_id = evacuee.id
    inquiry.reunited_by = actor_id
    inquiry.reunited_at = now
    db.session.add(
        EvacueeHistory(
            evacuee_id=evacuee.id,
            action="reunited",
            status=evacuee.status,
            at=now,
            actor_id=actor_id,
            inquiry_id=inquiry.id,
        )
    )
    record_audit("reunite", "inquiry", inquiry.id, actor=actor, meta={"evacuee_id": evacuee.id})
    record_audit("reunite", "evacuee", evacuee.id, actor=actor, meta={"inquiry_id": inquiry.id})
    db.session.flush()
    centre = get_centre(inquiry.centre_id)
    counts = change_counts(centre, open_inquiry_count=-1, reunited_inquiry_count=1)
    append_event(
        centre.channel,
        "inquiry.reunited",
        {
            "eps_id": centre.id,
            "inquiry_id": inquiry.id,
            "evacuee_id": evacuee.id,
            "open_inquiries": counts["open_inquiries"],
            "reunited_inquiries": counts["reunited_inquiries"],
        },
        actor_id=actor_id,
    )
    db.session.commit()
    return inquiry


@transactional
def close_inquiry(inquiry_id: int, actor: User | None = None) -> Inquiry:
    """Close an inquiry without a reunification (withdrawn, resolved elsewhere)."""
    inquiry = get_inquiry(inquiry_id, for_update=True)
    if inquiry.status != InquiryStatus.OPEN:
        raise Conflict("inquiry_not_open", gettext("Henvendelsen er allerede gjenforent eller avsluttet."))
    inquiry.status = InquiryStatus.CLOSED
    inquiry.closed_at = utcnow()
    record_audit("close", "inquiry", inquiry.id, actor=actor, meta={"eps_id": inquiry.centre_id})
    db.session.flush()
    centre = get_centre(inquiry.centre_id)
    counts = change_counts(centre, open_inquiry_count=-1, closed_inquiry_count=1)
    append_event(
        centre.channel,
        "inquiry.closed",
        {"eps_id": centre.id, "inquiry_id": inquiry.id, "open_inquiries": counts["open_inquiries"]},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return inquiry
