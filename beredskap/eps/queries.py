"""EPS lookups at the bottom of the package: a centre, its incident, whether it may change, and the counts.

privacy, registry, staffing and services all use these; this module imports none of them, so no cycle.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from beredskap.auth.models import User
from beredskap.clock import isoformat
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.eps.fields import FieldError
from beredskap.eps.models import (
    CENTRE_STATUS_TITLES,
    NEED_KEYS,
    CentreStatus,
    EvacuationCentre,
    Evacuee,
    EvacueeStatus,
)
from beredskap.extensions import db
from beredskap.incidents.models import Incident, IncidentStatus
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_events


def field_error(err: FieldError) -> Invalid:
    """Turn a desk validation error into the API's 422; the message never contains the value typed."""
    return Invalid("invalid", err.message, {err.field: err.code})


def get_incident(incident_id: int) -> Incident:
    return get_or_not_found(Incident, incident_id, gettext("Ukjent hendelse."))


def get_centre(centre_id: int) -> EvacuationCentre:
    return get_or_not_found(EvacuationCentre, centre_id, gettext("Ukjent EPS."))


# Built once: every registration loads both.
_CENTRE_AND_INCIDENT = (
    select(EvacuationCentre, Incident)
    .join(Incident, Incident.id == EvacuationCentre.incident_id)
    .where(EvacuationCentre.id == bindparam("centre_id"))
)


def get_centre_and_incident(centre_id: int) -> tuple[EvacuationCentre, Incident]:
    """get_centre and its incident, in one query."""
    row = db.session.execute(_CENTRE_AND_INCIDENT, {"centre_id": centre_id}).first()
    if row is None:
        raise NotFound(gettext("Ukjent EPS."))
    return row[0], row[1]


def is_exercise_centre(centre: EvacuationCentre) -> bool:
    incident = db.session.get(Incident, centre.incident_id)
    return bool(incident and incident.is_exercise)


def ensure_writable(centre: EvacuationCentre, incident: Incident | None = None) -> Incident:
    """Refuse changes to people at a closed centre or in a closed incident."""
    incident = incident or get_incident(centre.incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict("incident_closed", gettext("Hendelsen er avsluttet; EPS-registeret er låst."))
    if centre.is_closed:
        raise Conflict("eps_closed", gettext("EPS er avviklet; ingen nye registreringer."))
    return incident


# --- counts (no personal data) ---


COUNTERS = (
    "present_count",
    "left_count",
    "open_inquiry_count",
    "reunited_inquiry_count",
    "closed_inquiry_count",
)
_centres = EvacuationCentre.__table__


def _counts_from(capacity: int, row: Any) -> dict[str, int]:
    present, left, open_, reunited, closed = (getattr(row, name) for name in COUNTERS)
    return {
        "capacity": capacity,
        "present": present,
        "registered": present + left,
        "left": left,
        "free": max(capacity - present, 0),
        "open_inquiries": open_,
        "reunited_inquiries": reunited,
        "closed_inquiries": closed,
        "total_inquiries": open_ + reunited + closed,
    }


def centre_counts(centre: EvacuationCentre) -> dict[str, int]:
    """Return capacity, present, registered, left and inquiry counts of a centre (its running counters)."""
    return _counts_from(centre.capacity, centre)


# Built once: a registration runs it on every request. Zero deltas only lock the row and read the counters.
_CHANGE_COUNTS = (
    update(_centres)
    .where(_centres.c.id == bindparam("centre_id"))
    .values({name: _centres.c[name] + bindparam(f"d_{name}") for name in COUNTERS})
    .returning(_centres.c.status, *(_centres.c[name] for name in COUNTERS))
)


def change_counts(centre: EvacuationCentre, *, refuse_closed: bool = False, **deltas: int) -> dict[str, int]:
    """Add `deltas` (e.g. present_count=1) to the centre's running counters and return the new counts.

    One atomic `UPDATE … RETURNING` on the session's connection, in the caller's transaction and without
    autoflush: the row stays locked until commit (PostgreSQL), so concurrent writers add up exactly and the
    counts in their events follow commit order. Lock order: inquiries, then the centre, then channels.
    With `refuse_closed`, a centre closed meanwhile (its status is read under the lock) is a 409.
    """
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters: {sorted(unknown)}")
    params = {"centre_id": centre.id, **{f"d_{name}": deltas.get(name, 0) for name in COUNTERS}}
    row = db.session.connection().execute(_CHANGE_COUNTS, params).one()
    # Keep the loaded instance in step without marking it dirty (its version is not bumped by counts).
    for name in COUNTERS:
        set_committed_value(centre, name, getattr(row, name))
    if refuse_closed and row.status == CentreStatus.AVVIKLET:
        raise Conflict("eps_closed", gettext("EPS er avviklet; ingen nye registreringer."))
    return _counts_from(centre.capacity, row)


def occupancy_data(centre: EvacuationCentre, counts: dict[str, int] | None = None) -> dict[str, Any]:
    counts = counts or centre_counts(centre)
    return {
        "eps_id": centre.id,
        "incident_id": centre.incident_id,
        "present": counts["present"],
        "capacity": centre.capacity,
        "registered": counts["registered"],
        "left": counts["left"],
        "open_inquiries": counts["open_inquiries"],
    }


def occupancy_events(centre: EvacuationCentre, counts: dict[str, int]) -> list[tuple[str, str, dict]]:
    """The eps.occupancy events (counts only) for the incident's channel and global, for journal.append_events."""
    data = occupancy_data(centre, counts)
    return [(centre.channel, "eps.occupancy", data), ("global", "eps.occupancy", data)]


def publish_occupancy(centre: EvacuationCentre, actor: User | None, counts: dict[str, int] | None = None) -> dict:
    """Append eps.occupancy (counts only) to the incident's channel and to global; returns the counts."""
    counts = counts or centre_counts(centre)
    append_events(occupancy_events(centre, counts), actor_id=actor.id if actor else None)
    return counts


def centre_summary(centre: EvacuationCentre, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """Return the centre with counts only: what every role with EPS_READ may see."""
    counts = counts or centre_counts(centre)
    return {
        "id": centre.id,
        "incident_id": centre.incident_id,
        "name": centre.name,
        "status": centre.status,
        "status_title": CENTRE_STATUS_TITLES.get(centre.status, centre.status),
        **counts,
        "inquiries": {
            "open": counts["open_inquiries"],
            "reunited": counts["reunited_inquiries"],
            "closed": counts["closed_inquiries"],
            "total": counts["total_inquiries"],
        },
        "exercise": is_exercise_centre(centre),
        "decided_by": centre.decided_by,
        "decided_at": isoformat(centre.decided_at),
        "opened_at": isoformat(centre.opened_at),
        "operating_at": isoformat(centre.operating_at),
        "closed_at": isoformat(centre.closed_at),
        "resource_id": centre.resource_id,
        "location": centre.location,
        "leader_user_id": centre.leader_user_id,
        "version": centre.version,
    }


def needs_summary(centre: EvacuationCentre) -> dict[str, int]:
    """Return how many people present have each need (counts only)."""
    totals = dict.fromkeys(NEED_KEYS, 0)
    rows = db.session.scalars(
        select(Evacuee.needs).where(Evacuee.centre_id == centre.id, Evacuee.status == EvacueeStatus.PRESENT)
    )
    for needs in rows:
        for key in NEED_KEYS:
            if (needs or {}).get(key):
                totals[key] += 1
    return totals


def list_centres(incident_id: int | None = None) -> list[EvacuationCentre]:
    stmt = select(EvacuationCentre).order_by(EvacuationCentre.id.desc())
    if incident_id is not None:
        get_incident(incident_id)
        stmt = stmt.where(EvacuationCentre.incident_id == incident_id)
    return list(db.session.scalars(stmt))


def incident_eps_summary(incident_id: int) -> list[dict[str, Any]]:
    """Return the centres of an incident with counts only (for the board)."""
    return [centre_summary(centre) for centre in list_centres(incident_id)]
