"""Open EPS on the map: where they are and how many are present there (counts only, never people)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from beredskap.eps.models import CentreStatus, EvacuationCentre, Evacuee, EvacueeStatus
from beredskap.extensions import db
from beredskap.maps.models import Resource


def eps_occupancy_by_resource() -> dict[int, int]:
    """Return {resource_id: people present} summed over the open EPS at each resource; {} without EPS."""
    occupancy: dict[int, int] = {}
    for eps in open_eps():
        if eps["resource_id"] is not None:
            occupancy[eps["resource_id"]] = occupancy.get(eps["resource_id"], 0) + eps["present"]
    return occupancy


def open_eps() -> list[dict[str, Any]]:
    """Return the open EPS, counts only: id, name, status, capacity, present, resource_id, incident_id, location."""
    centres = list(db.session.scalars(select(EvacuationCentre).where(EvacuationCentre.status != CentreStatus.AVVIKLET)))
    if not centres:
        return []
    present = dict(
        db.session.execute(
            select(Evacuee.centre_id, func.count())
            .where(Evacuee.status == EvacueeStatus.PRESENT, Evacuee.centre_id.in_([c.id for c in centres]))
            .group_by(Evacuee.centre_id)
        ).all()
    )
    venues = {
        r.id: r
        for r in db.session.scalars(select(Resource).where(Resource.id.in_({c.resource_id for c in centres} - {None})))
    }
    result = []
    for centre in centres:
        location = centre.location
        if not location and centre.resource_id in venues:
            location = venues[centre.resource_id].location
        result.append(
            {
                "id": centre.id,
                "name": centre.name,
                "status": centre.status,
                "capacity": centre.capacity,
                "present": present.get(centre.id, 0),
                "resource_id": centre.resource_id,
                "incident_id": centre.incident_id,
                "location": location,
            }
        )
    return result


def open_eps_collection() -> dict[str, Any]:
    """Return the open EPS with a location as a FeatureCollection for the map."""
    features = []
    for eps in open_eps():
        location = eps.pop("location")
        if isinstance(location, Mapping) and location.get("type") == "Point":
            features.append({"type": "Feature", "id": eps["id"], "geometry": dict(location), "properties": eps})
    return {"type": "FeatureCollection", "features": features}
