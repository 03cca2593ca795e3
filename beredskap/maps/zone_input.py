"""A zone or point as the user gives it (GeoJSON polygon, or centre and radius), checked before any analysis."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely


class ZoneError(ValueError):
    """A zone or point the analysis cannot use; `code` is stable, the message is Norwegian for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


MAX_RADIUS_M = 100_000.0


MAX_ZONE_VERTICES = 100_000


def polygon_from_geojson(zone: Any) -> Any:
    if isinstance(zone, Mapping) and zone.get("type") == "Feature":
        zone = zone.get("geometry")
    if not isinstance(zone, Mapping):
        raise ZoneError("not_polygon", "Sonen må være en GeoJSON-geometri av typen Polygon eller MultiPolygon.")
    kind = zone.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ZoneError("not_polygon", f"Sonen må være et Polygon eller MultiPolygon, ikke {kind!r}.")
    coordinates = zone.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    # Tuples come from shapely's mapping(); JSON only ever gives lists.
    if not isinstance(polygons, list | tuple) or not polygons:
        raise ZoneError("bad_coordinates", "Sonen har ingen koordinater.")
    parsed = [_parse_polygon(rings) for rings in polygons]
    if sum(len(ring) for rings in parsed for ring in rings) > MAX_ZONE_VERTICES:
        raise ZoneError("too_complex", f"Sonen har for mange punkter (over {MAX_ZONE_VERTICES:,}).".replace(",", " "))
    shapes = [shapely.Polygon(rings[0], rings[1:]) for rings in parsed]
    geometry = shapes[0] if kind == "Polygon" else shapely.MultiPolygon(shapes)
    if not shapely.is_valid(geometry):
        raise ZoneError("invalid_polygon", _invalid_message(shapely.is_valid_reason(geometry)))
    if shapely.area(geometry) <= 0:
        raise ZoneError("invalid_polygon", "Sonen er ikke et gyldig polygon: den har ikke noe areal.")
    return geometry


def _parse_polygon(rings: Any) -> list[list[tuple[float, float]]]:
    if not isinstance(rings, list | tuple) or not rings:
        raise ZoneError("bad_coordinates", "Sonen har ødelagte koordinater: et polygon mangler ytterkant.")
    return [_parse_ring(ring) for ring in rings]


def _parse_ring(ring: Any) -> list[tuple[float, float]]:
    if not isinstance(ring, list | tuple):
        raise ZoneError("bad_coordinates", "Sonen har ødelagte koordinater: en ring må være en liste av punkter.")
    positions = [parse_position(position, "Sonen") for position in ring]
    # Leaflet and hand-written GeoJSON sometimes leave rings open; closing them is unambiguous.
    if positions and positions[0] != positions[-1]:
        positions.append(positions[0])
    if len(positions) < 4 or len(set(positions)) < 3:
        raise ZoneError("bad_coordinates", "Sonen har ødelagte koordinater: en ring må ha minst tre hjørner.")
    return positions


def parse_position(position: Any, subject: str) -> tuple[float, float]:
    if not isinstance(position, list | tuple) or len(position) < 2 or not all(_is_number(v) for v in position[:2]):
        raise ZoneError(
            "bad_coordinates",
            f"{subject} har ødelagte koordinater: hvert punkt må være [lengdegrad, breddegrad] med tall.",
        )
    lon, lat = float(position[0]), float(position[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ZoneError("bad_coordinates", f"{subject} har ødelagte koordinater: tallene må være endelige.")
    if abs(lon) > 180 or abs(lat) > 90:
        raise ZoneError(
            "out_of_range",
            f"{subject} har koordinater utenfor gyldig område (lengdegrad −180…180, breddegrad −90…90): "
            f"[{lon:g}, {lat:g}]. Koordinatene må være lengde- og breddegrad i WGS 84 (EPSG:4326), "
            "ikke meter.",
        )
    return lon, lat


def parse_center(center: Any) -> tuple[float, float]:
    if not isinstance(center, list | tuple) or len(center) != 2:
        raise ZoneError("bad_coordinates", "Sentrum må oppgis som [lengdegrad, breddegrad].")
    return parse_position(list(center), "Sentrum")


def parse_radius(radius_m: Any) -> float:
    if radius_m is None:
        raise ZoneError("bad_radius", "Radius mangler: oppgi radius i meter.")
    if not _is_number(radius_m) or not math.isfinite(float(radius_m)):
        raise ZoneError("bad_radius", "Radius må være et tall i meter.")
    radius = float(radius_m)
    if radius <= 0:
        raise ZoneError("bad_radius", "Radius må være større enn 0 meter.")
    if radius > MAX_RADIUS_M:
        raise ZoneError("bad_radius", f"Radius kan ikke være over {MAX_RADIUS_M / 1000:.0f} km (fikk {radius:.0f} m).")
    return radius


_VALIDITY_REASONS = (
    ("Ring Self-intersection", "en kant krysser seg selv"),
    ("Self-intersection", "kantene krysser hverandre"),
    ("Hole lies outside shell", "et hull ligger utenfor ytterkanten"),
    ("Nested holes", "et hull ligger inne i et annet hull"),
    ("Interior is disconnected", "hullene deler sonen i flere deler"),
    ("Nested shells", "delpolygonene ligger inne i hverandre"),
    ("Duplicate Rings", "samme ring forekommer to ganger"),
    ("Too few", "for få ulike punkter"),
)


def _invalid_message(reason: str) -> str:
    text = next((norsk for key, norsk in _VALIDITY_REASONS if reason.startswith(key)), "geometrien er ugyldig")
    where = re.search(r"\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)", reason)
    location = f" (nær {float(where[1]):.5f}, {float(where[2]):.5f})" if where else ""
    return f"Sonen er ikke et gyldig polygon: {text}{location}. Tegn sonen på nytt uten at kantene krysser."


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def is_finite(value: Any) -> bool:
    return _is_number(value) and math.isfinite(float(value))
