"""Map services: layers (shipped and imported), resources, the district grouping, zone analysis, map images."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import has_app_context
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.concurrency import run_blocking
from beredskap.errors import ApiError
from beredskap.extensions import db
from beredskap.maps import layers as layer_files
from beredskap.maps.importer import GeoImportError, read_geodata
from beredskap.maps.mapimage import render_map
from beredskap.maps.models import DistrictGrouping, ImportedLayer, Resource
from beredskap.maps.seeddata import KIND_LABELS, seed_resources
from beredskap.maps.spatial import ZoneError, analyse_zone, locate_point, normalise_zone
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

RESOURCE_KINDS: dict[str, str] = {**KIND_LABELS, "annet": "Annet"}
LAYER_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_IMPORT_FEATURES = 200_000
MAX_CAPACITY = 100_000
MAX_BYDEL_NAME = 80
MAX_DELOMRADE_NAME = 120


# --- the district grouping ---


def current_grouping() -> layer_files.Grouping:
    """Return the grouping in force: the coordinator's rows, the shipped grouping for any row not stored."""
    stored = {row.delomrade: (row.delomrade_name, row.bydel) for row in db.session.scalars(select(DistrictGrouping))}
    grouping = []
    for number, name, bydel in layer_files.shipped_grouping():
        grouping.append((number, *stored.pop(number, (name, bydel))))
    grouping += [(number, name, bydel) for number, (name, bydel) in stored.items()]
    return tuple(sorted(grouping))


def district_mapping() -> dict[str, str]:
    """Return {delområdenummer: bydel} as the coordinator has grouped them."""
    return {number: bydel for number, _, bydel in current_grouping()}


def delomrade_names() -> dict[str, str]:
    """Return {delområdenummer: the delområde's current name}."""
    return {number: name for number, name, _ in current_grouping()}


def list_districts() -> dict[str, Any]:
    """Return every delområde with its name, bydel and version, and the bydeler with their delområder."""
    stored = {row.delomrade: row for row in db.session.scalars(select(DistrictGrouping))}
    population = {
        str(f["properties"]["delomradenummer"]): f["properties"].get("folketall") or 0
        for f in layer_files.load_layer("delomrader")["features"]
    }
    delomrader = []
    for number, name, bydel in current_grouping():
        row = stored.get(number)
        delomrader.append(
            {
                "number": number,
                "name": name,
                "bydel": bydel,
                "population": population.get(number, 0),
                "version": row.version if row else 1,
            }
        )
    bydeler: dict[str, dict[str, Any]] = {}
    for item in delomrader:
        entry = bydeler.setdefault(
            item["bydel"], {"name": item["bydel"], "delomrader": [], "delomrade_names": [], "population": 0}
        )
        entry["delomrader"].append(item["number"])
        entry["delomrade_names"].append(item["name"])
        entry["population"] += item["population"]
    return {"delomrader": delomrader, "bydeler": sorted(bydeler.values(), key=lambda b: b["name"])}


def _ensure_grouping_rows() -> dict[str, DistrictGrouping]:
    """Store the shipped grouping for every delområde that has no row yet; return all rows by number.

    INSERT … ON CONFLICT DO NOTHING, so two first edits (or seeds) at once do not collide on the key.
    """
    stored = set(db.session.scalars(select(DistrictGrouping.delomrade)))
    missing = [
        {"delomrade": number, "delomrade_name": name, "bydel": bydel, "updated_at": utcnow(), "version": 1}
        for number, name, bydel in layer_files.shipped_grouping()
        if number not in stored
    ]
    if missing:
        insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        db.session.execute(insert(DistrictGrouping).values(missing).on_conflict_do_nothing())
    return {row.delomrade: row for row in db.session.scalars(select(DistrictGrouping))}


@transactional
def update_districts(changes: list[Mapping[str, Any]], actor: User | None = None) -> dict[str, Any]:
    """Rename delområder and move them between bydeler; each change names the version it read (409 if stale).

    Resources in a moved delområde follow it into its new bydel in the same transaction.
    """
    if not isinstance(changes, list) or not changes:
        raise ApiError(422, "invalid", "Oppgi minst én endring i «delomrader».", {"delomrader": "påkrevd"})
    rows = _ensure_grouping_rows()
    changed: list[str] = []
    moved: dict[str, str] = {}
    for position, change in enumerate(changes):
        number, name, bydel, version = _parse_district_change(change, position)
        row = rows.get(number)
        if row is None:
            raise ApiError(404, "not_found", f"Ukjent delområde {number}.", {f"delomrader[{position}]": "ukjent"})
        if row.version != version:
            raise ApiError(
                409,
                "version_conflict",
                f"Delområdet «{row.delomrade_name}» er endret av noen andre. Last inn på nytt og prøv igjen.",
            )
        if (name is None or name == row.delomrade_name) and (bydel is None or bydel == row.bydel):
            continue
        if name is not None:
            row.delomrade_name = name
        if bydel is not None and bydel != row.bydel:
            row.bydel = bydel
            moved[number] = bydel
        row.updated_at = utcnow()
        row.updated_by = actor.id if actor else None
        changed.append(number)
    if changed:
        db.session.flush()
        for number, bydel in moved.items():
            db.session.execute(
                update(Resource)
                .where(Resource.delomrade == number)
                .values(bydel=bydel)
                .execution_options(synchronize_session="fetch")
            )
        bydeler = sorted({row.bydel for row in rows.values()})
        append_event(
            "global",
            "districts.updated",
            {"delomrader": changed, "moved": sorted(moved), "bydeler": bydeler},
            actor_id=actor.id if actor else None,
        )
        record_audit(
            "districts.update",
            "district_grouping",
            ",".join(changed),
            actor=actor,
            meta={"moved": sorted(moved), "count": len(changed)},
        )
    db.session.commit()
    return {"changed": changed, **list_districts()}


def _parse_district_change(change: Any, position: int) -> tuple[str, str | None, str | None, int]:
    key = f"delomrader[{position}]"
    if not isinstance(change, Mapping):
        raise ApiError(422, "invalid", "Hver endring må være et objekt med «number» og «version».", {key: "objekt"})
    number = change.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not number.strip():
        raise ApiError(422, "invalid", "Endringen mangler delområdenummer («number»).", {key: "number"})
    version = change.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {key: "version"})
    name = _optional_text(change.get("name"), "name", MAX_DELOMRADE_NAME, key)
    bydel = _optional_text(change.get("bydel"), "bydel", MAX_BYDEL_NAME, key)
    return number.strip(), name, bydel, version


def _optional_text(value: Any, name: str, max_length: int, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(422, "invalid", f"«{name}» må være en tekst som ikke er tom.", {key: name})
    value = " ".join(value.split())
    if len(value) > max_length:
        raise ApiError(422, "invalid", f"«{name}» er for langt (maks {max_length} tegn).", {key: name})
    return value


# --- layers ---


def list_layers() -> list[dict[str, Any]]:
    """Return name, title and feature count of the shipped layers, then of the imported ones."""
    grouping = current_grouping()
    layers = [
        {
            "name": layer.name,
            "title": layer.title,
            "feature_count": len(layer_files.grouped_layer(layer.name, grouping)["features"]),
            "kind": "shipped",
            "geometry": layer.geometry,
            "attribution": layer.attribution,
            "style": layer.style,
        }
        for layer in layer_files.layer_registry().values()
    ]
    rows = db.session.execute(
        select(ImportedLayer.name, ImportedLayer.title, ImportedLayer.feature_count).order_by(ImportedLayer.name)
    )
    layers += [
        {"name": name, "title": title, "feature_count": count, "kind": "imported"} for name, title, count in rows
    ]
    return layers


def layer_payload(name: str) -> tuple[bytes, str]:
    """Return a layer's FeatureCollection as JSON bytes and its (unquoted) ETag; 404 for an unknown layer."""
    if name in layer_files.layer_registry():
        return _shipped_payload(name, current_grouping())
    row = db.session.execute(
        select(ImportedLayer.id, ImportedLayer.created_at).where(ImportedLayer.name == name)
    ).first()
    if row is None:
        raise ApiError(404, "not_found", f"Ukjent kartlag «{name}».")
    key = (name, row.id, row.created_at.isoformat())
    cached = _imported_cache.get(key)
    if cached is None:
        layer = db.session.get(ImportedLayer, row.id)
        collection = {"type": "FeatureCollection", "name": layer.name, "title": layer.title, **layer.data}
        cached = _encode(collection)
        _imported_cache.clear()  # keep one imported layer body at a time: they can be large
        _imported_cache[key] = cached
    return cached


_imported_cache: dict[tuple, tuple[bytes, str]] = {}


@lru_cache(maxsize=32)
def _shipped_payload(name: str, grouping: layer_files.Grouping) -> tuple[bytes, str]:
    return _encode(layer_files.grouped_layer(name, grouping))


def _encode(collection: Mapping[str, Any]) -> tuple[bytes, str]:
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


@transactional
def import_layer(path: str | Path, name: str, title: str | None = None) -> dict[str, Any]:
    """Import GeoJSON, GeoPackage or Shapefile in any CRS as a named layer in EPSG:4326 (replaces same name)."""
    name = (name or "").strip()
    if not LAYER_NAME_PATTERN.match(name):
        raise ValueError(
            f"Ugyldig lagnavn «{name}»: bruk små bokstaver a–z, sifre, - og _ (høyst 60 tegn), f.eks. «flomsone-otra»."
        )
    if name in layer_files.layer_registry():
        raise ValueError(f"Lagnavnet «{name}» er brukt av et innebygd kartlag. Velg et annet navn.")
    collection = read_geodata(path)
    features = collection["features"]
    if not features:
        raise GeoImportError(f"{Path(path).name} inneholder ingen objekter med geometri.")
    if len(features) > MAX_IMPORT_FEATURES:
        raise GeoImportError(f"{Path(path).name} har {len(features)} objekter; grensen er {MAX_IMPORT_FEATURES}.")
    layer = db.session.scalar(select(ImportedLayer).where(ImportedLayer.name == name))
    replaced = layer is not None
    if layer is None:
        layer = ImportedLayer(name=name)
        db.session.add(layer)
    layer.title = (title or "").strip()[:200] or name
    layer.data = {"features": features}
    layer.feature_count = len(features)
    layer.source_name = Path(path).name[:300]
    layer.created_at = utcnow()
    db.session.flush()
    geometry_types = sorted({(f.get("geometry") or {}).get("type") or "" for f in features} - {""})
    append_event("global", "layer.imported", {"name": name, "feature_count": len(features)})
    db.session.commit()
    return {"name": name, "feature_count": len(features), "replaced": replaced, "geometry_types": geometry_types}


# --- resources ---


def get_resource(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        raise ApiError(404, "not_found", "Ukjent ressurs.")
    return resource


def list_resources(
    kind: str | None = None, bydel: str | None = None, eps_suitable: bool | None = None, query: str | None = None
) -> list[Resource]:
    """Return resources, optionally by kind, bydel, EPS suitability or a name fragment, ordered by name."""
    stmt = select(Resource).order_by(Resource.name, Resource.id)
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    if bydel:
        stmt = stmt.where(Resource.bydel == bydel)
    if eps_suitable is not None:
        stmt = stmt.where(Resource.eps_suitable.is_(eps_suitable))
    if query:
        stmt = stmt.where(func.lower(Resource.name).contains(query.strip().lower()))
    return list(db.session.scalars(stmt))


def resource_feature(resource: Resource, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return a resource as a GeoJSON Feature."""
    props = resource.to_dict((names or {}).get(resource.delomrade or ""))
    geometry = props.pop("location")
    props["kind_title"] = RESOURCE_KINDS.get(resource.kind, resource.kind)
    return {"type": "Feature", "id": resource.id, "geometry": geometry, "properties": props}


def resources_collection(
    kind: str | None = None,
    bydel: str | None = None,
    eps_suitable: bool | None = None,
    *,
    include_contact: bool = True,
) -> dict[str, Any]:
    """Return the resources as a FeatureCollection (CONTRACT §6); the contact only when asked for."""
    names = delomrade_names()
    resources = list_resources(kind, bydel, eps_suitable)
    occupancy = eps_occupancy_by_resource()
    features = []
    for resource in resources:
        feature = resource_feature(resource, names)
        if not include_contact:
            feature["properties"].pop("contact", None)
        if resource.id in occupancy:
            feature["properties"]["occupied"] = occupancy[resource.id]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def resource_summary(resource_id: int) -> dict[str, Any] | None:
    """Return one resource as a plain dict for other domains (EPS venues, reports), or None if unknown."""
    resource = db.session.get(Resource, resource_id) if isinstance(resource_id, int) else None
    if resource is None:
        return None
    data = resource.to_dict(delomrade_names().get(resource.delomrade or ""))
    data["kind_title"] = RESOURCE_KINDS.get(resource.kind, resource.kind)
    data["lon"], data["lat"] = resource.lon, resource.lat
    return data


def resources_for_analysis() -> list[dict[str, Any]]:
    """Return every resource as the plain dict zone analysis takes, with occupancy of open EPS there."""
    occupancy = eps_occupancy_by_resource()
    rows = db.session.execute(
        select(
            Resource.id,
            Resource.name,
            Resource.kind,
            Resource.lon,
            Resource.lat,
            Resource.capacity,
            Resource.eps_suitable,
            Resource.bydel,
        )
    )
    resources = []
    for row in rows:
        occupied = occupancy.get(row.id, 0)
        free = None if row.capacity is None else max(0, row.capacity - occupied)
        resources.append(
            {
                "id": row.id,
                "name": row.name,
                "kind": row.kind,
                "lon": row.lon,
                "lat": row.lat,
                "capacity": row.capacity,
                "eps_suitable": row.eps_suitable,
                "bydel": row.bydel,
                "occupied": occupied,
                "free_capacity": free,
            }
        )
    return resources


@transactional
def create_resource(data: Mapping[str, Any], actor: User | None = None) -> Resource:
    """Register a resource; its bydel and delområde are derived from the location. Event resource.created."""
    values = _validated_resource_values(data, creating=True)
    values["bydel"], values["delomrade"] = _placement(values["lon"], values["lat"])
    resource = Resource(**values, created_at=utcnow(), updated_at=utcnow(), updated_by=actor.id if actor else None)
    db.session.add(resource)
    db.session.flush()
    append_event("global", "resource.created", _resource_event(resource), actor_id=actor.id if actor else None)
    db.session.commit()
    return resource


@transactional
def update_resource(resource_id: int, changes: Mapping[str, Any], version: int, actor: User | None = None) -> Resource:
    """Change a resource that is still at `version` (409 otherwise). Event resource.updated."""
    resource = get_resource(resource_id)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {"version": "påkrevd"})
    if resource.version != version:
        raise ApiError(409, "version_conflict", "Ressursen er endret av noen andre. Last inn på nytt og prøv igjen.")
    values = _validated_resource_values(changes, creating=False)
    if "lon" in values:
        # Placed before any attribute changes: the lookup queries, and an autoflush would bump the version twice.
        values["bydel"], values["delomrade"] = _placement(values["lon"], values["lat"])
    for key, value in values.items():
        setattr(resource, key, value)
    resource.updated_at = utcnow()
    resource.updated_by = actor.id if actor else None
    db.session.flush()
    append_event("global", "resource.updated", _resource_event(resource), actor_id=actor.id if actor else None)
    db.session.commit()
    return resource


def _resource_event(resource: Resource) -> dict[str, Any]:
    # The contact may name a person and the notes are free text: neither goes into an event.
    return {
        "id": resource.id,
        "name": resource.name,
        "kind": resource.kind,
        "capacity": resource.capacity,
        "eps_suitable": resource.eps_suitable,
        "bydel": resource.bydel,
        "delomrade": resource.delomrade,
        "location": resource.location,
        "version": resource.version,
    }


def _placement(lon: float, lat: float) -> tuple[str | None, str | None]:
    """Return (bydel, delområde) of a location; refuse one that is only inside with lon/lat swapped."""
    mapping = district_mapping()
    where = run_blocking(locate_point, lon, lat, district_of_delomrade=mapping)
    if where["delomrade"] is None:
        swapped = run_blocking(locate_point, lat, lon) if abs(lon) <= 90 else {"delomrade": None}
        if swapped["delomrade"] is not None:
            raise ApiError(
                422,
                "swapped_coordinates",
                "Plasseringen ligger utenfor Kristiansand, men ville ligget i kommunen med koordinatene snudd: "
                "bytt om lengde- og breddegrad? GeoJSON bruker [lengdegrad, breddegrad].",
                {"location": "byttet om?"},
            )
    return where["bydel"], where["delomrade"]


def _validated_resource_values(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Check the fields of a resource; on create the name, kind and location are required."""
    values: dict[str, Any] = {}
    for key, max_length in (("name", 200), ("contact", 300), ("notes", 4000), ("address", 200)):
        if key in data or (creating and key == "name"):
            value = data.get(key)
            if value is None and key != "name":
                value = ""
            if not isinstance(value, str):
                raise ApiError(422, "invalid", f"Feltet «{key}» må være tekst.", {key: "feil type"})
            value = value.strip()
            if key == "name" and not value:
                raise ApiError(422, "invalid", "Ressursen må ha et navn.", {"name": "påkrevd"})
            if len(value) > max_length:
                raise ApiError(
                    422, "invalid", f"Feltet «{key}» er for langt (maks {max_length} tegn).", {key: "for langt"}
                )
            values[key] = value
    if "kind" in data or creating:
        kind = data.get("kind")
        if kind not in RESOURCE_KINDS:
            allowed = ", ".join(RESOURCE_KINDS)
            raise ApiError(422, "invalid", f"Feltet «kind» må være en av: {allowed}.", {"kind": "ugyldig verdi"})
        values["kind"] = kind
    if "capacity" in data:
        capacity = data.get("capacity")
        if capacity is not None and (
            not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= MAX_CAPACITY
        ):
            raise ApiError(
                422,
                "invalid",
                f"Kapasitet må være et heltall fra 0 til {MAX_CAPACITY}, eller tom.",
                {"capacity": "ugyldig"},
            )
        values["capacity"] = capacity
    if "eps_suitable" in data:
        if not isinstance(data["eps_suitable"], bool):
            raise ApiError(422, "invalid", "Feltet «eps_suitable» må være true eller false.", {"eps_suitable": "bool"})
        values["eps_suitable"] = data["eps_suitable"]
    if "location" in data or creating:
        values["lon"], values["lat"] = _parse_location(data.get("location"))
    return values


def _parse_location(value: Any) -> tuple[float, float]:
    if not isinstance(value, Mapping) or value.get("type") != "Point":
        raise ApiError(422, "invalid_geometry", "«location» må være et GeoJSON Point.", {"location": "Point"})
    coords = value.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in coords)
    ):
        raise ApiError(
            422,
            "invalid_geometry",
            "«location» må ha koordinatene [lengdegrad, breddegrad].",
            {"location": "coordinates"},
        )
    lon, lat = float(coords[0]), float(coords[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApiError(
            422,
            "invalid_geometry",
            f"«location» har koordinater utenfor gyldig område: [{lon:g}, {lat:g}]. Bruk lengde- og "
            "breddegrad i WGS 84.",
            {"location": "utenfor område"},
        )
    return round(lon, 7), round(lat, 7)


# --- EPS occupancy (the EPS domain may not be installed) ---


def eps_occupancy_by_resource() -> dict[int, int]:
    """Return {resource_id: people present} summed over the open EPS at each resource; {} without EPS."""
    occupancy: dict[int, int] = {}
    for eps in open_eps():
        if eps["resource_id"] is not None:
            occupancy[eps["resource_id"]] = occupancy.get(eps["resource_id"], 0) + eps["present"]
    return occupancy


def open_eps() -> list[dict[str, Any]]:
    """Return the open EPS, counts only: id, name, status, capacity, present, resource_id, incident_id, location."""
    try:
        from beredskap.eps.models import CentreStatus, EvacuationCentre, Evacuee, EvacueeStatus
    except ImportError:  # EPS is a separate domain; the map works without it
        return []
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


# --- zone analysis ---


def analyse(
    zone: Any = None, center: Any = None, radius_m: Any = None, max_candidates: int | None = 10
) -> dict[str, Any]:
    """Run the zone analysis (CONTRACT §6) off the event loop against the current resources and grouping."""
    resources = resources_for_analysis()
    mapping = district_mapping()
    result = run_blocking(
        analyse_zone,
        zone,
        center,
        radius_m,
        resources,
        district_of_delomrade=mapping,
        max_candidates=max_candidates,
    )
    result["resources_inside_count"] = len(result["resources_inside"])
    return result


# --- map images for PDFs ---


def _mapping_for_images() -> dict[str, str] | None:
    """The current grouping when it differs from the shipped one (the shipped bydeler draw faster)."""
    if not has_app_context():
        return None
    grouping = current_grouping()
    if grouping == layer_files.shipped_grouping():
        return None
    return {number: bydel for number, _, bydel in grouping}


def incident_map_drawing(
    location_point: Any,
    title: str | None = None,
    *,
    features: Iterable[Mapping[str, Any]] = (),
    width_pt: float = 480,
    height_pt: float = 320,
) -> Any:
    """Return a reportlab Drawing centred on an incident (GeoJSON Point or [lon, lat]) with the bydeler."""
    return render_map(
        features,
        highlight_point=location_point,
        title=title,
        width_pt=width_pt,
        height_pt=height_pt,
        district_of_delomrade=_mapping_for_images(),
    )


def zone_map_drawing(
    zone: Mapping[str, Any],
    title: str | None = None,
    *,
    features: Iterable[Mapping[str, Any]] = (),
    width_pt: float = 480,
    height_pt: float = 320,
) -> Any:
    """Return a Drawing of a zone: a GeoJSON (Multi)Polygon, or {"center": [lon, lat], "radius_m": n}."""
    if isinstance(zone, Mapping) and "center" in zone:
        polygon = normalise_zone(center=zone.get("center"), radius_m=zone.get("radius_m"))
    else:
        polygon = normalise_zone(zone)
    return render_map(
        features,
        zone=polygon,
        title=title,
        width_pt=width_pt,
        height_pt=height_pt,
        district_of_delomrade=_mapping_for_images(),
    )


def eps_map_drawing(
    location_point: Any,
    name: str | None = None,
    *,
    incident_location: Any = None,
    title: str | None = None,
    width_pt: float = 480,
    height_pt: float = 320,
) -> Any:
    """Return a Drawing with an EPS (square marker, labelled) and, if given, the incident it serves."""
    coordinates = location_point.get("coordinates") if isinstance(location_point, Mapping) else location_point
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(coordinates[0]), float(coordinates[1])]},
        "properties": {"label": name or "EPS", "marker": "eps"},
    }
    return render_map(
        [feature],
        highlight_point=incident_location,
        title=title,
        width_pt=width_pt,
        height_pt=height_pt,
        district_of_delomrade=_mapping_for_images(),
    )


# --- demo data ---


@transactional
def seed_demo() -> list[str]:
    """Store the shipped grouping and the default resources (by source_ref); running it twice adds nothing."""
    existing_rows = db.session.scalar(select(func.count()).select_from(DistrictGrouping)) or 0
    _ensure_grouping_rows()
    mapping = district_mapping()
    known = set(db.session.scalars(select(Resource.source_ref).where(Resource.source_ref.is_not(None))))
    now = utcnow()
    added = 0
    for item in seed_resources():
        if item["source_ref"] in known:
            continue
        delomrade = item.get("delomrade")
        db.session.add(
            Resource(
                name=item["name"][:200],
                kind=item["kind"],
                capacity=item.get("capacity"),
                contact="",
                eps_suitable=bool(item.get("eps_suitable")),
                lon=item["lon"],
                lat=item["lat"],
                bydel=mapping.get(delomrade or "", item.get("bydel")),
                delomrade=delomrade,
                address=item.get("address") or "",
                building_type=item.get("building_type") or "",
                source_ref=item["source_ref"],
                notes="",
                created_at=now,
                updated_at=now,
            )
        )
        added += 1
    if added:
        append_event("global", "resources.seeded", {"count": added})
    db.session.commit()
    lines = []
    if existing_rows == 0:
        lines.append("Kart: standard inndeling av delområder i bydeler lagret.")
    lines.append(f"Kart: {added} ressurser lagt inn." if added else "Kart: ressursene finnes allerede.")
    return lines


__all__ = [
    "ZoneError",
    "analyse",
    "create_resource",
    "current_grouping",
    "district_mapping",
    "eps_map_drawing",
    "import_layer",
    "incident_map_drawing",
    "layer_payload",
    "list_districts",
    "list_layers",
    "open_eps",
    "resource_summary",
    "resources_collection",
    "resources_for_analysis",
    "seed_demo",
    "update_districts",
    "update_resource",
    "zone_map_drawing",
]


# --- search and reverse lookup (CONTRACT §11) ---


def search_places(q: Any, limit: Any = None, *, include_eps: bool = False) -> list[dict[str, Any]]:
    """Search the shipped index, the districts as grouped now, the resources and (if allowed) the open EPS."""
    from beredskap.maps import search

    search.validate_query(q)
    search.parse_limit(limit)
    resources = [
        {"id": r.id, "name": r.name, "lon": r.lon, "lat": r.lat, "detail": KIND_LABELS.get(r.kind, r.kind)}
        for r in db.session.execute(select(Resource.id, Resource.name, Resource.kind, Resource.lon, Resource.lat))
    ]
    centres = []
    if include_eps:
        for eps in open_eps():
            location = eps.get("location")
            if isinstance(location, Mapping) and location.get("type") == "Point":
                lon, lat = location["coordinates"][:2]
                centres.append({"id": eps["id"], "name": eps["name"], "lon": lon, "lat": lat, "detail": "EPS"})
    return search.search(q, limit, grouping=current_grouping(), resources=resources, eps=centres)


def reverse_lookup(lon: Any, lat: Any) -> dict[str, Any] | None:
    """Return the nearest address or place and the districts of a point; None outside the kommune."""
    import shapely

    from beredskap.maps import search
    from beredskap.maps.spatial import spatial_index

    lon_f, lat_f = search.parse_point(lon, lat)
    index = spatial_index()
    if not index.extent.covers(shapely.points(lon_f, lat_f)):
        return None
    place = locate_point(lon_f, lat_f, district_of_delomrade=district_mapping(), index=index)
    entry, distance = search.nearest(lon_f, lat_f)
    names = delomrade_names()
    return {
        "label": entry.label if entry else None,
        "kind": entry.kind if entry else None,
        "distance_m": round(distance) if distance is not None else None,
        "lon": round(entry.lon, 6) if entry else None,
        "lat": round(entry.lat, 6) if entry else None,
        "grunnkrets": place["grunnkrets_name"],
        "grunnkrets_number": place["grunnkrets"],
        "delomrade": names.get(place["delomrade"] or "", place["delomrade_name"]),
        "delomrade_number": place["delomrade"],
        "bydel": place["bydel"],
    }


def location_warnings(location: Any) -> list[dict[str, str]]:
    """Warnings about an incident's location that do not stop it being saved (outside the kommune)."""
    import shapely

    from beredskap.maps.spatial import spatial_index

    if not isinstance(location, Mapping) or location.get("type") != "Point":
        return []
    lon, lat = location["coordinates"][:2]
    if spatial_index().extent.covers(shapely.points(lon, lat)):
        return []
    return [{"code": "outside_kommune", "message": "Stedet ligger utenfor Kristiansand kommune. Er det riktig?"}]
