"""JSON API for the zones of an incident (CONTRACT §11); routes on the maps API blueprint."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import json_body, require
from beredskap.auth.permissions import Perm
from beredskap.maps import zones
from beredskap.maps.api_base import bp
from beredskap.maps.schemas import ZoneDeleteQuery, ZoneIn, ZonePatch
from beredskap.validation import parse, use_body, use_query


@bp.get("/incidents/<int:incident_id>/zones")
@require(Perm.INCIDENT_READ)
def list_zones(incident_id: int):
    """The incident's zones with their analyses (recomputed if resources, EPS or grouping changed)."""
    return jsonify({"zones": [z.to_dict() for z in zones.list_zones(incident_id)]})


@bp.post("/incidents/<int:incident_id>/zones")
@require(Perm.INCIDENT_WRITE)
@use_body(ZoneIn)
def create_zone(incident_id: int, body: ZoneIn):
    """Add a zone: kind, label and geometry | center + radius_m | radius_m (around the incident) | layer + feature."""
    zone = zones.create_zone(incident_id, body.sent(), actor=current_user)
    return jsonify(zone.to_dict()), 201


@bp.get("/zones/<int:zone_id>")
@require(Perm.INCIDENT_READ)
def get_zone(zone_id: int):
    """One zone with its analysis and history."""
    zone = zones.get_zone(zone_id)
    if zone.analysis_inputs != zones.analysis_inputs():
        zone = zones.refresh_analyses(zone_id=zone_id)[0]
    return jsonify({**zone.to_dict(), "history": zones.zone_history(zone_id)})


@bp.patch("/zones/<int:zone_id>")
@require(Perm.INCIDENT_WRITE)
@use_body(ZonePatch)
def patch_zone(zone_id: int, body: ZonePatch):
    """Change a zone's kind, label or shape; needs the version it read (409 when stale)."""
    return jsonify(zones.update_zone(zone_id, body.sent(), actor=current_user).to_dict())


@bp.delete("/zones/<int:zone_id>")
@require(Perm.INCIDENT_WRITE)
@use_query(ZoneDeleteQuery, status=422)
def delete_zone(zone_id: int, query: ZoneDeleteQuery):
    """Remove a zone (its history is kept); needs the version it read, in the body or as ?version=."""
    from flask import request

    # The body is optional on a DELETE; when sent it is read like a PATCH's.
    data = parse(ZonePatch, json_body()).sent() if request.get_data() else {}
    if "version" not in data and query.version is not None:
        data = {"version": query.version}
    zone = zones.remove_zone(zone_id, data, actor=current_user)
    return jsonify(zone.to_dict())


@bp.post("/zones/<int:zone_id>/analysis")
@require(Perm.INCIDENT_READ)
def refresh_zone(zone_id: int):
    """Recompute the zone's analysis now."""
    zones.get_zone(zone_id)
    return jsonify(zones.refresh_analyses(zone_id=zone_id)[0].to_dict())
