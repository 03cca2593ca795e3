"""What the map works out: open EPS and their occupancy, the zone analysis, search, reverse lookup, warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from beredskap.concurrency import run_blocking
from beredskap.extensions import db
from beredskap.maps.districts import current_grouping, delomrade_names, district_mapping
from beredskap.maps.models import Resource
from beredskap.maps.occupancy import open_eps
from beredskap.maps.resources import resources_for_analysis
from beredskap.maps.seeddata import KIND_LABELS
from beredskap.maps.spatial import analyse_zone, locate_point


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
    return [
        {"code": "outside_kommune", "message": gettext("Stedet ligger utenfor Kristiansand kommune. Er det riktig?")}
    ]
