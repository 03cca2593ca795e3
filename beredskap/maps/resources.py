"""The resource register: halls, schools, depots; reading, writing with validation, demo seed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.concurrency import run_blocking
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.lookup import get_or_not_found
from beredskap.maps.districts import _ensure_grouping_rows, delomrade_names, district_mapping
from beredskap.maps.models import DistrictGrouping, Resource
from beredskap.maps.occupancy import eps_occupancy_by_resource
from beredskap.maps.seeddata import KIND_LABELS, seed_resources
from beredskap.maps.spatial import locate_point
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

RESOURCE_KINDS: dict[str, str] = {**KIND_LABELS, "annet": "Annet"}
MAX_CAPACITY = 100_000


def get_resource(resource_id: int) -> Resource:
    return get_or_not_found(Resource, resource_id, gettext("Ukjent ressurs."))


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
        raise Invalid(
            "invalid",
            gettext("%(label)s mangler eller er ikke et heltall.", label=label("version")),
            {"version": "påkrevd"},
        )
    if resource.version != version:
        raise Conflict(
            "version_conflict", gettext("Ressursen er endret av noen andre. Last inn på nytt og prøv igjen.")
        )
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
            raise Invalid(
                "swapped_coordinates",
                gettext(
                    "Plasseringen ligger utenfor Kristiansand, men ville ligget i kommunen med koordinatene snudd: "
                    "bytt om lengde- og breddegrad? GeoJSON bruker [lengdegrad, breddegrad]."
                ),
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
                raise Invalid("invalid", gettext("%(label)s må være tekst.", label=label(key)), {key: "feil type"})
            value = value.strip()
            if key == "name" and not value:
                raise Invalid("invalid", gettext("Ressursen må ha et navn."), {"name": "påkrevd"})
            if len(value) > max_length:
                raise Invalid(
                    "invalid",
                    gettext("%(label)s kan ha høyst %(max_length)s tegn.", label=label(key), max_length=max_length),
                    {key: "for langt"},
                )
            values[key] = value
    if "kind" in data or creating:
        kind = data.get("kind")
        if kind not in RESOURCE_KINDS:
            allowed = ", ".join(RESOURCE_KINDS)
            raise Invalid(
                "invalid",
                gettext("%(label)s må være en av: %(allowed)s.", label=label("kind"), allowed=allowed),
                {"kind": "ugyldig verdi"},
            )
        values["kind"] = kind
    if "capacity" in data:
        capacity = data.get("capacity")
        if capacity is not None and (
            not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= MAX_CAPACITY
        ):
            raise Invalid(
                "invalid",
                gettext("Kapasitet må være et heltall fra 0 til %(max)s, eller tom.", max=MAX_CAPACITY),
                {"capacity": "ugyldig"},
            )
        values["capacity"] = capacity
    if "eps_suitable" in data:
        if not isinstance(data["eps_suitable"], bool):
            raise Invalid(
                "invalid",
                gettext("%(label)s må være true eller false.", label=label("eps_suitable")),
                {"eps_suitable": "bool"},
            )
        values["eps_suitable"] = data["eps_suitable"]
    if "location" in data or creating:
        values["lon"], values["lat"] = _parse_location(data.get("location"))
    return values


def _parse_location(value: Any) -> tuple[float, float]:
    if not isinstance(value, Mapping) or value.get("type") != "Point":
        raise Invalid(
            "invalid_geometry",
            gettext("%(label)s må være et GeoJSON Point.", label=label("location")),
            {"location": "Point"},
        )
    coords = value.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in coords)
    ):
        raise Invalid(
            "invalid_geometry",
            gettext("%(label)s må ha koordinatene [lengdegrad, breddegrad].", label=label("location")),
            {"location": "coordinates"},
        )
    lon, lat = float(coords[0]), float(coords[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid(
            "invalid_geometry",
            gettext(
                "%(label)s har koordinater utenfor gyldig område: [%(v0)s, %(v1)s]. Bruk lengde- og "
                "breddegrad i WGS 84.",
                label=label("location"),
                v0=format(lon, "g"),
                v1=format(lat, "g"),
            ),
            {"location": "utenfor område"},
        )
    return round(lon, 7), round(lat, 7)


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
        lines.append("Kart: standard inndeling av delområder i bydeler lagret.")  # i18n: CLI output (seed)
    done = f"Kart: {added} ressurser lagt inn." if added else "Kart: ressursene finnes allerede."  # i18n: CLI output
    lines.append(done)
    return lines
