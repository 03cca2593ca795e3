"""Hazard zones on an incident (CONTRACT §11): faresone, sperresone, evakueringssone, with history and analysis.

A zone is a polygon, a circle (center + radius), a preset radius around the incident, or a polygon of an
imported GIS layer. It keeps its zone-analysis result; the result is recomputed on demand, and whenever it is
read after the resources, the EPS occupancy or the district grouping it was computed from have changed
(a fingerprint of those inputs is stored with it). Events carry id, kind, label and geometry, never people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.maps.analysis import analyse
from beredskap.maps.districts import current_grouping, delomrade_names, district_mapping
from beredskap.maps.models import ImportedLayer, IncidentZone, IncidentZoneChange, Resource
from beredskap.maps.occupancy import open_eps
from beredskap.maps.spatial import normalise_zone
from beredskap.maps.zone_input import ZoneError
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional
from beredskap.vocabulary import ZONE_KIND_TITLES

ZONE_KINDS = ZONE_KIND_TITLES
PRESET_RADII_M = (100, 300, 500, 1000)
MAX_LABEL = 120
MIN_AREA_M2 = 10.0


def _incident(incident_id: int) -> Any:
    from beredskap.incidents.models import Incident, IncidentStatus

    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(gettext("Ukjent hendelse."))
    return incident, incident.status == IncidentStatus.CLOSED


def get_zone(zone_id: int) -> IncidentZone:
    zone = db.session.get(IncidentZone, zone_id)
    if zone is None or zone.removed_at is not None:
        raise NotFound(gettext("Ukjent sone."))
    return zone


def list_zones(incident_id: int) -> list[IncidentZone]:
    """The incident's zones, oldest first, their analyses brought up to date."""
    _incident(incident_id)
    zones = list(
        db.session.scalars(
            select(IncidentZone)
            .where(IncidentZone.incident_id == incident_id, IncidentZone.removed_at.is_(None))
            .order_by(IncidentZone.id)
        )
    )
    if zones and any(z.analysis_inputs != analysis_inputs() for z in zones):
        refresh_analyses(incident_id)
        zones = [db.session.get(IncidentZone, z.id) for z in zones]
    return zones


def list_zones_plain(incident_id: int) -> list[dict[str, Any]]:
    """The incident's zones as plain data for a report (kind, label, geometry); no analysis refresh."""
    rows = db.session.scalars(
        select(IncidentZone)
        .where(IncidentZone.incident_id == incident_id, IncidentZone.removed_at.is_(None))
        .order_by(IncidentZone.id)
    )
    return [{"id": z.id, "kind": z.kind, "label": z.label, "geometry": z.geometry} for z in rows]


def zone_history(zone_id: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(IncidentZoneChange).where(IncidentZoneChange.zone_id == zone_id).order_by(IncidentZoneChange.id)
    )
    return [row.to_dict() for row in rows]


def analysis_inputs() -> str:
    """Fingerprint of what a zone analysis depends on besides the zone: resources, EPS occupancy, grouping."""
    resources = db.session.execute(
        select(func.count(Resource.id), func.coalesce(func.sum(Resource.version), 0), func.max(Resource.id))
    ).one()
    occupancy = sorted(
        (e["id"], e["resource_id"] or 0, e["capacity"] or 0, e["present"], str(e["status"])) for e in open_eps()
    )
    text = json.dumps([list(resources), occupancy, current_grouping()], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _analyse(geometry: Mapping[str, Any]) -> dict[str, Any]:
    result = analyse(zone=geometry)
    names = {
        r.id: r
        for r in db.session.scalars(
            select(Resource).where(Resource.id.in_([c["resource_id"] for c in result.get("eps_candidates", [])]))
        )
    }
    for candidate in result.get("eps_candidates", []):
        venue = names.get(candidate["resource_id"])
        # What «Åpne EPS her» sends to POST /api/v1/incidents/<id>/eps (the user confirms first).
        candidate["open_eps"] = {
            "name": candidate["name"],
            "resource_id": candidate["resource_id"],
            "capacity": venue.capacity if venue else None,
            "location": venue.location if venue else None,
        }
    return result


def _event_data(zone: IncidentZone) -> dict[str, Any]:
    return {
        "id": zone.id,
        "incident_id": zone.incident_id,
        "kind": zone.kind,
        "label": zone.label,
        "geometry": zone.geometry,
        "version": zone.version,
    }


def _announce(zone: IncidentZone, action: str, actor: User | None) -> None:
    actor_id = actor.id if actor else None
    db.session.add(
        IncidentZoneChange(
            zone_id=zone.id,
            version=zone.version,
            action=action,
            kind=zone.kind,
            label=zone.label,
            geometry=zone.geometry,
            changed_at=utcnow(),
            changed_by=actor_id,
        )
    )
    data = _event_data(zone)
    # The incident's channel (board) and global (the live maps that show every incident).
    append_event(f"incident:{zone.incident_id}", f"zone.{action}", data, actor_id=actor_id)
    append_event("global", f"zone.{action}", data, actor_id=actor_id)


def _kind(value: Any) -> str:
    if value not in ZONE_KINDS:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være faresone, sperresone eller evakueringssone.", label=label("kind")),
            {"kind": "ugyldig"},
        )
    return value


def _label(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ZONE_KINDS[kind]
    if not isinstance(value, str) or len(value.strip()) == 0 or len(value) > MAX_LABEL:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være tekst på høyst %(v0)s tegn.", label=label("label"), v0=MAX_LABEL),
            {"label": "ugyldig"},
        )
    return value.strip()


def _geometry(data: Mapping[str, Any], incident: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (GeoJSON polygon, source) from geometry | center+radius_m | radius_m alone | layer+feature."""
    given = [key for key in ("geometry", "center", "layer") if data.get(key) is not None]
    if len(given) > 1:
        raise Invalid(
            "ambiguous",
            gettext("Oppgi bare én av «geometry», «center» og «layer»."),
            dict.fromkeys(given, "ambiguous"),
        )
    field_name = given[0] if given else "radius_m"
    try:
        if "layer" in given:
            polygon = _layer_polygon(data.get("layer"), data.get("feature"))
            return _not_degenerate(normalise_zone(polygon)), {"layer": data["layer"], "feature": data.get("feature")}
        if "geometry" in given:
            return _not_degenerate(normalise_zone(data["geometry"])), {}
        center = data.get("center")
        source = "circle"
        if center is None:
            # A preset radius around the incident.
            location = incident.location or {}
            if location.get("type") != "Point":
                raise Invalid(
                    "no_location",
                    gettext("Hendelsen har ikke noe sted ennå: sett stedet før du lager en sone rundt den."),
                    {"center": "mangler"},
                )
            center, source = list(location["coordinates"][:2]), "preset"
        radius = data.get("radius_m")
        polygon = normalise_zone(center=center, radius_m=radius)
        return polygon, {"center": center, "radius_m": radius, "shape": source}
    except ZoneError as err:
        name = "radius_m" if err.code == "bad_radius" else field_name
        raise Invalid(err.code, str(err.message), {name: err.code}) from None


def _not_degenerate(geometry: dict[str, Any]) -> dict[str, Any]:
    """A drawn polygon whose corners (nearly) lie on one line has a rounding-error area: refuse it by name."""
    import shapely

    from beredskap.maps.layers import project

    area = shapely.area(project(shapely.from_geojson(json.dumps(geometry))))
    if area < MIN_AREA_M2:
        raise ZoneError(
            "degenerate",
            gettext(
                "Sonen har nesten ikke noe areal (%(area)s m²): hjørnene ligger på en linje. Tegn sonen på nytt.",
                area=format(area, ".1f"),
            ),
        )
    return geometry


def _layer_polygon(name: Any, feature: Any) -> dict[str, Any]:
    layer = None
    if isinstance(name, str):
        layer = db.session.scalar(select(ImportedLayer).where(ImportedLayer.name == name))
    if layer is None:
        raise Invalid("unknown_layer", gettext("Ukjent importert kartlag."), {"layer": "ukjent"})
    features = (layer.data or {}).get("features") or []
    if not isinstance(feature, int) or isinstance(feature, bool) or not 0 <= feature < len(features):
        message = gettext("%(label)s må være et nummer fra 0 til %(v0)s.", label=label("feature"), v0=len(features) - 1)
        raise Invalid("unknown_feature", message, {"feature": "ugyldig"})
    geometry = features[feature].get("geometry")
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise Invalid("not_polygon", gettext("Objektet i kartlaget er ikke et polygon."), {"feature": "not_polygon"})
    return dict(geometry)


@transactional
def create_zone(incident_id: int, data: Mapping[str, Any], actor: User | None = None) -> IncidentZone:
    from beredskap.incidents.services import lock_incident

    incident, closed = _incident(incident_id)
    if closed:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    kind = _kind(data.get("kind"))
    label = _label(data.get("label"), kind)
    geometry, source = _geometry(data, incident)
    analysis = _analyse(geometry)
    lock_incident(incident_id)
    now = utcnow()
    zone = IncidentZone(
        incident_id=incident_id,
        kind=kind,
        label=label,
        geometry=geometry,
        source=source,
        analysis=analysis,
        analysis_inputs=analysis_inputs(),
        analysed_at=now,
        created_at=now,
        updated_at=now,
        created_by=actor.id if actor else None,
    )
    db.session.add(zone)
    db.session.flush()
    _announce(zone, "added", actor)
    db.session.commit()
    return zone


@transactional
def update_zone(zone_id: int, data: Mapping[str, Any], actor: User | None = None) -> IncidentZone:
    zone = get_zone(zone_id)
    _expect_version(zone, data)
    incident, closed = _incident(zone.incident_id)
    if closed:
        raise Conflict("closed", gettext("Hendelsen er avsluttet."))
    kind = _kind(data["kind"]) if "kind" in data else zone.kind
    label = _label(data["label"], kind) if "label" in data else zone.label
    reshaped = any(data.get(key) is not None for key in ("geometry", "center", "layer", "radius_m"))
    if reshaped:
        # Everything that reads the database first: an autoflush between assignments would bump the version twice.
        geometry, source = _geometry(data, incident)
        analysis, inputs = _analyse(geometry), analysis_inputs()
        zone.geometry, zone.source = geometry, source
        zone.analysis, zone.analysis_inputs, zone.analysed_at = analysis, inputs, utcnow()
    zone.kind, zone.label, zone.updated_at = kind, label, utcnow()
    db.session.flush()
    _announce(zone, "updated", actor)
    db.session.commit()
    return zone


@transactional
def remove_zone(zone_id: int, data: Mapping[str, Any], actor: User | None = None) -> IncidentZone:
    zone = get_zone(zone_id)
    _expect_version(zone, data)
    zone.removed_at = zone.updated_at = utcnow()
    db.session.flush()
    _announce(zone, "removed", actor)
    db.session.commit()
    return zone


@transactional
def refresh_analyses(incident_id: int | None = None, zone_id: int | None = None) -> list[IncidentZone]:
    """Recompute the analysis of one zone, an incident's zones, or every zone; no version bump, no event."""
    query = select(IncidentZone).where(IncidentZone.removed_at.is_(None))
    if incident_id is not None:
        query = query.where(IncidentZone.incident_id == incident_id)
    if zone_id is not None:
        query = query.where(IncidentZone.id == zone_id)
    zones = list(db.session.scalars(query))
    inputs = analysis_inputs()
    table = IncidentZone.__table__
    for zone in zones:
        analysis = _analyse(zone.geometry)
        # A plain UPDATE: a fresher analysis is not an edit of the zone and must not make an editor's copy stale.
        db.session.execute(
            table.update()
            .where(table.c.id == zone.id)
            .values(analysis=analysis, analysis_inputs=inputs, analysed_at=utcnow())
        )
    db.session.commit()
    for zone in zones:
        db.session.refresh(zone)
    return zones


def _expect_version(zone: IncidentZone, data: Mapping[str, Any]) -> None:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid(
            "invalid",
            gettext("%(label)s mangler eller er ikke et heltall.", label=label("version")),
            {"version": "påkrevd"},
        )
    if version != zone.version:
        raise Conflict("version_conflict", gettext("Sonen er endret av noen andre. Last inn på nytt og prøv igjen."))


def population_by_delomrade(geometry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Estimated people inside a zone per delområde, with the current names and bydeler (for the zone report)."""
    import shapely

    from beredskap.maps.layers import project
    from beredskap.maps.spatial import _fallback_population, _population_by_gk, spatial_index

    idx = spatial_index()
    shape = shapely.from_geojson(json.dumps(dict(geometry)))
    per_gk = _population_by_gk(shape, idx) + _fallback_population(shape, project(shape), idx)
    totals: dict[str, float] = {}
    for delomrade, population in zip(idx.gk_delomrade, per_gk, strict=True):
        if population > 0:
            totals[delomrade] = totals.get(delomrade, 0.0) + float(population)
    names, bydeler = delomrade_names(), district_mapping()
    rows = [
        {"name": names.get(n, n), "bydel": bydeler.get(n, ""), "population_inside": int(round(p))}
        for n, p in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r["population_inside"], r["name"]))


def zone_report_data(incident_id: int, zone_id: int) -> dict[str, Any]:
    """Plain data for reports/zone.py; the analysis is brought up to date first."""
    from beredskap.incidents.models import IncidentKind

    incident, _ = _incident(incident_id)
    zone = get_zone(zone_id)
    if zone.incident_id != incident_id:
        raise NotFound(gettext("Ukjent sone."))
    if zone.analysis_inputs != analysis_inputs():
        zone = refresh_analyses(zone_id=zone_id)[0]
    return {
        "incident": {"id": incident.id, "title": incident.title, "kind": incident.kind},
        "zone": zone.to_dict(),
        "analysis": zone.analysis,
        "delomrader": population_by_delomrade(zone.geometry),
        "location": incident.location,
        "grouping": district_mapping(),
        "exercise": incident.kind == IncidentKind.EXERCISE,
        "generated_at": utcnow(),
    }


def render_zone_report(data: dict[str, Any]) -> bytes:
    """PDF bytes; touches neither Flask nor the database."""
    from beredskap.maps.mapimage import render_map
    from beredskap.reports.page import content_width
    from beredskap.reports.zone import build_zone_report

    data = dict(data)
    zone = data["zone"]
    drawing = render_map(
        highlight_point=data.pop("location", None),
        zones=[{"kind": zone["kind"], "label": zone["label"], "geometry": zone["geometry"]}],
        width_pt=content_width() - 4,
        height_pt=300,
        district_of_delomrade=data.pop("grouping", None) or None,
    )
    return build_zone_report({**data, "map_drawing": drawing})
