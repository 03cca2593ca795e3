"""EPS services: open and run centres, the status report, and the hooks beredskap.domains wires (seed, job, purge).

Lookups and counts are in eps.queries, venues in eps.venues; the names below are re-exported for callers.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Forbidden, Invalid
from beredskap.eps import privacy
from beredskap.eps.corrections import record_change
from beredskap.eps.departments import DEPARTMENTS, default_actions
from beredskap.eps.fields import FieldError, clean_text
from beredskap.eps.models import (
    CENTRE_FLOW,
    CENTRE_STATUS_TITLES,
    CentreStatus,
    DecidedBy,
    Department,
    EvacuationCentre,
    Inquiry,
    InquiryStatus,
)
from beredskap.eps.queries import (  # noqa: F401 - re-exported: eps.api, eps.views and domains use them from here
    centre_counts,
    centre_summary,
    change_counts,
    ensure_writable,
    field_error,
    get_centre,
    get_centre_and_incident,
    get_incident,
    incident_eps_summary,
    list_centres,
    needs_summary,
    occupancy_data,
    publish_occupancy,
)
from beredskap.eps.staffing import list_departments
from beredskap.eps.venues import eps_venues, venue  # noqa: F401 - re-exported for eps.api and eps.views
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.geo import parse_point
from beredskap.incidents.models import IncidentStatus
from beredskap.incidents.services import lock_incident
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

log = logging.getLogger(__name__)

MAX_CAPACITY = 100_000
# "apnet" is accepted for "åpnet" so clients without Norwegian letters can send it.
_STATUS_ALIASES = {"apnet": CentreStatus.APNET, "aapnet": CentreStatus.APNET}


# --- centres ---


def open_centre_at_venue(incident_id: int, resource_id: int | None, name: str) -> EvacuationCentre | None:
    """The incident's centre not yet closed at the same venue: the same register venue, or the same name."""
    # Two people opening at the same hall at once: the second waits for the first and then sees its centre.
    lock_incident(incident_id)
    wanted = " ".join(name.split()).casefold()
    centres = db.session.scalars(
        select(EvacuationCentre)
        .where(EvacuationCentre.incident_id == incident_id, EvacuationCentre.status != CentreStatus.AVVIKLET)
        .order_by(EvacuationCentre.id)
    )
    for centre in centres:
        if resource_id is not None and centre.resource_id == resource_id:
            return centre
        if " ".join(centre.name.split()).casefold() == wanted:
            return centre
    return None


def parse_centre_status(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("invalid", gettext("%(label)s har feil type.", label=label("status")), {"status": "feil type"})
    status = _STATUS_ALIASES.get(value.strip().casefold(), value.strip().casefold())
    if status not in CENTRE_FLOW:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(v0)s.", label=label("status"), v0=", ".join(CENTRE_FLOW)),
            {"status": "ugyldig"},
        )
    return status


def _capacity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(
            "invalid", gettext("%(label)s må være et heltall.", label=label("capacity")), {"capacity": "heltall"}
        )
    if not 0 < value <= MAX_CAPACITY:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være mellom 1 og %(v0)s.", label=label("capacity"), v0=MAX_CAPACITY),
            {"capacity": "utenfor"},
        )
    return value


@transactional
def open_centre(
    incident_id: int,
    *,
    name: str | None = None,
    capacity: int | None = None,
    resource_id: int | None = None,
    location: Any = None,
    decided_by: str | None = None,
    decided_at: datetime | None = None,
    status: str | None = None,
    actor: User | None = None,
    confirm_duplicate: bool = False,
) -> EvacuationCentre:
    """Record the decision to open an EPS for an incident, with its departments; publishes eps.opened.

    A second open centre at the same venue for the same incident needs `confirm_duplicate`: otherwise 409
    `duplicate_venue`, naming the centre already there.
    """
    incident = get_incident(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("incident_closed", gettext("Hendelsen er avsluttet."))
    place = None
    if resource_id is not None:
        if isinstance(resource_id, bool) or not isinstance(resource_id, int):
            raise Invalid(
                "invalid",
                gettext("%(label)s må være et heltall.", label=label("resource_id")),
                {"resource_id": "heltall"},
            )
        place = venue(resource_id)
        if place is None:
            raise Invalid(
                "invalid",
                gettext("%(label)s er ikke et kjent lokale.", label=label("resource_id")),
                {"resource_id": "ukjent"},
            )
    try:
        name = clean_text(name, "name", 200) or (place or {}).get("name")
    except FieldError as err:
        raise field_error(err) from None
    if not name:
        raise Invalid("invalid", gettext("%(label)s mangler.", label=label("name")), {"name": "påkrevd"})
    if capacity is None and place is not None:
        capacity = place.get("capacity")
    if capacity is None:
        raise Invalid("invalid", gettext("%(label)s mangler.", label=label("capacity")), {"capacity": "påkrevd"})
    capacity = _capacity(capacity)
    point = parse_point(location)
    if point is None and place is not None:
        point = place.get("location")
    if decided_by is None:
        decided_by = DecidedBy.POLITI if actor is not None and actor.role == "police" else DecidedBy.KOMMUNE
    if decided_by not in tuple(DecidedBy):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være «politi» eller «kommune».", label=label("decided_by")),
            {"decided_by": "ugyldig"},
        )
    status = parse_centre_status(status) if status is not None else CentreStatus.BESLUTTET
    if status == CentreStatus.AVVIKLET:
        raise Invalid("invalid", gettext("En ny EPS kan ikke starte som avviklet."), {"status": "ugyldig"})
    if not isinstance(confirm_duplicate, bool):
        raise Invalid(
            "invalid",
            gettext("%(label)s må være true eller false.", label=label("confirm_duplicate")),
            {"confirm_duplicate": "boolsk"},
        )
    if not confirm_duplicate:
        existing = open_centre_at_venue(incident.id, resource_id, name)
        if existing is not None:
            raise Conflict(
                "duplicate_venue",
                gettext(
                    "EPS «%(name)s» er allerede åpen på dette lokalet for hendelsen. "
                    "Send confirm_duplicate: true for å åpne en til.",
                    name=existing.name,
                ),
                {"resource_id" if resource_id is not None else "name": "duplikat"},
                existing={"id": existing.id, "name": existing.name, "status": existing.status},
            )
    now = utcnow()
    centre = EvacuationCentre(
        incident_id=incident.id,
        name=name,
        resource_id=resource_id,
        location=point,
        capacity=capacity,
        status=status,
        decided_by=decided_by,
        decided_at=decided_at or now,
        created_by=actor.id if actor else None,
        leader_user_id=actor.id if actor else None,
        created_at=now,
    )
    _stamp_status(centre, status, now)
    db.session.add(centre)
    db.session.flush()
    for position, template in enumerate(DEPARTMENTS):
        db.session.add(
            Department(
                centre_id=centre.id,
                key=template.key,
                title=template.title,
                position=position,
                staff_needed=template.staff_needed,
                actions=default_actions(template),
                updated_at=now,
            )
        )
    db.session.flush()
    data = {
        "eps_id": centre.id,
        "incident_id": incident.id,
        "name": centre.name,
        "status": centre.status,
        "capacity": centre.capacity,
        "present": 0,
        "resource_id": resource_id,
        "decided_by": decided_by,
        "exercise": incident.is_exercise,
    }
    actor_id = actor.id if actor else None
    append_event(centre.channel, "eps.opened", data, actor_id=actor_id)
    append_event("global", "eps.opened", data, actor_id=actor_id)
    db.session.commit()
    log.info("eps %s opened for incident %s", centre.id, incident.id)
    return centre


def _stamp_status(centre: EvacuationCentre, status: str, now: datetime) -> None:
    index = CENTRE_FLOW.index(status)
    if index >= CENTRE_FLOW.index(CentreStatus.APNET) and centre.opened_at is None:
        centre.opened_at = now
    if index >= CENTRE_FLOW.index(CentreStatus.I_DRIFT) and centre.operating_at is None:
        centre.operating_at = now
    if status == CentreStatus.AVVIKLET and centre.closed_at is None:
        centre.closed_at = now


@transactional
def update_centre(centre_id: int, changes: dict[str, Any], version: int, actor: User | None = None) -> EvacuationCentre:
    """Rename, change capacity or move the status forward (besluttet → åpnet → i_drift → avviklet)."""
    centre = get_centre(centre_id)
    if centre.version != version:
        raise Conflict("version_conflict", gettext("EPS er endret av noen andre. Last inn på nytt."))
    if centre.is_closed:
        raise Conflict("eps_closed", gettext("EPS er avviklet og kan ikke endres."))
    before = {
        "name": centre.name,
        "capacity": centre.capacity,
        "status": centre.status,
        "leader_user_id": centre.leader_user_id,
    }
    if "leader_user_id" in changes:
        centre.leader_user_id = _leader(centre, changes["leader_user_id"], actor)
    if "name" in changes:
        try:
            centre.name = clean_text(changes["name"], "name", 200, required=True)
        except FieldError as err:
            raise field_error(err) from None
    if "capacity" in changes:
        centre.capacity = _capacity(changes["capacity"])
    old_status = centre.status
    if "status" in changes:
        status = parse_centre_status(changes["status"])
        if CENTRE_FLOW.index(status) < CENTRE_FLOW.index(centre.status):
            raise Conflict(
                "invalid_transition", gettext("Status kan bare gå framover: besluttet → åpnet → i drift → avviklet.")
            )
        if status == CentreStatus.AVVIKLET:
            # Read under the centre's lock: a registration committing meanwhile is counted (or waits and is refused).
            present = change_counts(centre)["present"]
            if present:
                raise Conflict(
                    "people_present",
                    gettext("EPS kan ikke avvikles mens %(n)s personer er til stede; sjekk dem ut først.", n=present),
                )
        centre.status = status
        _stamp_status(centre, status, utcnow())
    db.session.flush()
    actor_id = actor.id if actor else None
    diff = {
        key: {"from": value, "to": getattr(centre, key)}
        for key, value in before.items()
        if getattr(centre, key) != value
    }
    if diff:
        record_change(centre.id, "centre", centre.id, diff, actor, version=centre.version)
        record_audit("update", "eps_centre", centre.id, actor=actor, meta={"eps_id": centre.id, "fields": sorted(diff)})
        data = {
            "eps_id": centre.id,
            "incident_id": centre.incident_id,
            "name": centre.name,
            "capacity": centre.capacity,
            "status": centre.status,
            "version": centre.version,
        }
        append_event(centre.channel, "eps.updated", data, actor_id=actor_id)
        append_event("global", "eps.updated", data, actor_id=actor_id)
    if centre.status != old_status:
        data = {
            "eps_id": centre.id,
            "incident_id": centre.incident_id,
            "name": centre.name,
            "status": centre.status,
            "version": centre.version,
        }
        append_event(centre.channel, "eps.status_changed", data, actor_id=actor_id)
        append_event("global", "eps.status_changed", data, actor_id=actor_id)
    publish_occupancy(centre, actor, change_counts(centre))
    db.session.commit()
    return centre


def _leader(centre: EvacuationCentre, user_id: Any, actor: User | None) -> int:
    """Hand the centre to another EPS-leder: the current leader, admin or coordinator may; the new one must be
    an active user who may read personal data (the leader reads the centre's audit trail)."""
    if actor is None or not (actor.id == centre.leader_user_id or actor.can(Perm.PRIVACY_ADMIN)):
        raise Forbidden(gettext("Bare EPS-lederen, koordinator eller admin kan gi ledelsen videre."), code="forbidden")
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise Invalid("invalid", gettext("EPS-leder må være en bruker."), {"leader_user_id": "heltall"})
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.can(Perm.PERSON_READ):
        raise Invalid(
            "invalid",
            gettext("EPS-leder må være en aktiv bruker som kan se personopplysninger."),
            {"leader_user_id": "ugyldig"},
        )
    return user.id


# --- reports ---


def status_report_data(centre_id: int) -> dict[str, Any]:
    """Return the input of reports.eps_status.build_eps_status: counts only, no names."""
    centre = get_centre(centre_id)
    incident = get_incident(centre.incident_id)
    counts = centre_counts(centre)
    departments = list_departments(centre_id)
    return {
        "incident": {"id": incident.id, "title": incident.title, "kind": incident.kind},
        "centre": {
            "name": centre.name,
            "status": CENTRE_STATUS_TITLES.get(centre.status, centre.status),
            "capacity": centre.capacity,
            "present": counts["present"],
            "registered": counts["registered"],
            "left": counts["left"],
        },
        "as_of": utcnow(),
        "departments": [
            {"name": d["title"], "staff_present": d["staff_count"], "staff_needed": d["staff_needed"]}
            for d in departments
        ],
        "needs": {key: count for key, count in needs_summary(centre).items() if count},
        "inquiries": {
            "total": counts["total_inquiries"],
            "open": counts["open_inquiries"],
            "matched": _inquiries_with_candidates(centre.id),
            "reunited": counts["reunited_inquiries"],
        },
        "exercise": incident.is_exercise,
    }


def _inquiries_with_candidates(centre_id: int) -> int:
    rows = db.session.scalars(
        select(Inquiry.candidates).where(Inquiry.centre_id == centre_id, Inquiry.status == InquiryStatus.OPEN)
    )
    return sum(1 for candidates in rows if candidates)


# --- hooks wired by the lead (demo seed, scheduler) ---


def seed_demo() -> list[str]:
    """Add no EPS demo data: people in crisis are never invented into a shared demo database.

    The pre-designated venues come from the maps seed (resources with eps_suitable); an EPS is opened
    for an incident or exercise from the EPS page.
    """
    return [f"EPS: {len(eps_venues())} egnede lokaler i ressursregisteret; ingen personopplysninger i demodata."]


def run_scheduled_jobs(now: datetime) -> None:
    """Run the retention purge at most hourly across all processes (claimed through a marker row)."""
    privacy.run_purge_if_due(now)


def purge_expired_personal_data(dry_run: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """Anonymise evacuees and inquiries of incidents closed longer than PRIVACY_RETENTION_DAYS (counts back)."""
    return privacy.purge_expired_personal_data(dry_run=dry_run, now=now)


def delete_exercise_personal_data(incident_id: int, actor: User | None = None) -> dict[str, int]:
    """Delete every EPS record of an exercise incident in one transaction (counts back)."""
    return privacy.delete_exercise_personal_data(incident_id, actor=actor)
