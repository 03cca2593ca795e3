"""A zone or point as the user gives it (GeoJSON polygon, or centre and radius), checked before any analysis."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from flask_babel import lazy_gettext as _l


class ZoneError(ValueError):
    """A zone or point the analysis cannot use; `code` is stable, the message is for the user.

    The message is a lazy string: the analysis may run in gevent's thread pool, where no request tells the
    language, so it is turned into text (``str(err.message)``) where the request answers.
    """

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
        raise ZoneError("not_polygon", _l("Sonen må være en GeoJSON-geometri av typen Polygon eller MultiPolygon."))
    kind = zone.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ZoneError(
            "not_polygon", _l("Sonen må være et Polygon eller MultiPolygon, ikke %(kind)s.", kind=repr(kind))
        )
    coordinates = zone.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    # Tuples come from shapely's mapping(); JSON only ever gives lists.
    if not isinstance(polygons, list | tuple) or not polygons:
        raise ZoneError("bad_coordinates", _l("Sonen har ingen koordinater."))
    parsed = [_parse_polygon(rings) for rings in polygons]
    if sum(len(ring) for rings in parsed for ring in rings) > MAX_ZONE_VERTICES:
        raise ZoneError(
            "too_complex",
            _l("Sonen har for mange punkter (over %(max)s).", max=format(MAX_ZONE_VERTICES, ",").replace(",", " ")),
        )
    shapes = [shapely.Polygon(rings[0], rings[1:]) for rings in parsed]
    geometry = shapes[0] if kind == "Polygon" else shapely.MultiPolygon(shapes)
    if not shapely.is_valid(geometry):
        raise ZoneError("invalid_polygon", _invalid_message(shapely.is_valid_reason(geometry)))
    if shapely.area(geometry) <= 0:
        raise ZoneError("invalid_polygon", _l("Sonen er ikke et gyldig polygon: den har ikke noe areal."))
    return geometry


def _parse_polygon(rings: Any) -> list[list[tuple[float, float]]]:
    if not isinstance(rings, list | tuple) or not rings:
        raise ZoneError("bad_coordinates", _l("Sonen har ødelagte koordinater: et polygon mangler ytterkant."))
    return [_parse_ring(ring) for ring in rings]


def _parse_ring(ring: Any) -> list[tuple[float, float]]:
    if not isinstance(ring, list | tuple):
        raise ZoneError("bad_coordinates", _l("Sonen har ødelagte koordinater: en ring må være en liste av punkter."))
    positions = [parse_position(position, "Sonen") for position in ring]
    # Leaflet and hand-written GeoJSON sometimes leave rings open; closing them is unambiguous.
    if positions and positions[0] != positions[-1]:
        positions.append(positions[0])
    if len(positions) < 4 or len(set(positions)) < 3:
        raise ZoneError("bad_coordinates", _l("Sonen har ødelagte koordinater: en ring må ha minst tre hjørner."))
    return positions


# A position's errors per subject («Sonen», «Sentrum», «Punktet»), as whole sentences for the translators.
_NOT_NUMBERS = {
    "Sonen": _l("Sonen har ødelagte koordinater: hvert punkt må være [lengdegrad, breddegrad] med tall."),
    "Sentrum": _l("Sentrum har ødelagte koordinater: hvert punkt må være [lengdegrad, breddegrad] med tall."),
    "Punktet": _l("Punktet har ødelagte koordinater: hvert punkt må være [lengdegrad, breddegrad] med tall."),
}
_NOT_FINITE = {
    "Sonen": _l("Sonen har ødelagte koordinater: tallene må være endelige."),
    "Sentrum": _l("Sentrum har ødelagte koordinater: tallene må være endelige."),
    "Punktet": _l("Punktet har ødelagte koordinater: tallene må være endelige."),
}


def _out_of_range(subject: str, lon: float, lat: float) -> Any:
    values = {"lon": f"{lon:g}", "lat": f"{lat:g}"}
    if subject == "Sentrum":
        return _l(
            "Sentrum har koordinater utenfor gyldig område (lengdegrad −180…180, breddegrad −90…90): "
            "[%(lon)s, %(lat)s]. Koordinatene må være lengde- og breddegrad i WGS 84 (EPSG:4326), ikke meter.",
            **values,
        )
    if subject == "Punktet":
        return _l(
            "Punktet har koordinater utenfor gyldig område (lengdegrad −180…180, breddegrad −90…90): "
            "[%(lon)s, %(lat)s]. Koordinatene må være lengde- og breddegrad i WGS 84 (EPSG:4326), ikke meter.",
            **values,
        )
    return _l(
        "Sonen har koordinater utenfor gyldig område (lengdegrad −180…180, breddegrad −90…90): "
        "[%(lon)s, %(lat)s]. Koordinatene må være lengde- og breddegrad i WGS 84 (EPSG:4326), ikke meter.",
        **values,
    )


def parse_position(position: Any, subject: str) -> tuple[float, float]:
    """[lon, lat] as floats; `subject` («Sonen», «Sentrum» or «Punktet») names what is wrong in the error."""
    if not isinstance(position, list | tuple) or len(position) < 2 or not all(_is_number(v) for v in position[:2]):
        raise ZoneError("bad_coordinates", _NOT_NUMBERS.get(subject, _NOT_NUMBERS["Sonen"]))
    lon, lat = float(position[0]), float(position[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ZoneError("bad_coordinates", _NOT_FINITE.get(subject, _NOT_FINITE["Sonen"]))
    if abs(lon) > 180 or abs(lat) > 90:
        raise ZoneError("out_of_range", _out_of_range(subject, lon, lat))
    return lon, lat


def parse_center(center: Any) -> tuple[float, float]:
    if not isinstance(center, list | tuple) or len(center) != 2:
        raise ZoneError("bad_coordinates", _l("Sentrum må oppgis som [lengdegrad, breddegrad]."))
    return parse_position(list(center), "Sentrum")


def parse_radius(radius_m: Any) -> float:
    if radius_m is None:
        raise ZoneError("bad_radius", _l("Radius mangler: oppgi radius i meter."))
    if not _is_number(radius_m) or not math.isfinite(float(radius_m)):
        raise ZoneError("bad_radius", _l("Radius må være et tall i meter."))
    radius = float(radius_m)
    if radius <= 0:
        raise ZoneError("bad_radius", _l("Radius må være større enn 0 meter."))
    if radius > MAX_RADIUS_M:
        raise ZoneError(
            "bad_radius",
            _l(
                "Radius kan ikke være over %(km)s km (fikk %(m)s m).",
                km=format(MAX_RADIUS_M / 1000, ".0f"),
                m=format(radius, ".0f"),
            ),
        )
    return radius


# GEOS's reason → the clause the user reads after «Sonen er ikke et gyldig polygon: ».
_VALIDITY_REASONS = (
    ("Ring Self-intersection", _l("en kant krysser seg selv")),
    ("Self-intersection", _l("kantene krysser hverandre")),
    ("Hole lies outside shell", _l("et hull ligger utenfor ytterkanten")),
    ("Nested holes", _l("et hull ligger inne i et annet hull")),
    ("Interior is disconnected", _l("hullene deler sonen i flere deler")),
    ("Nested shells", _l("delpolygonene ligger inne i hverandre")),
    ("Duplicate Rings", _l("samme ring forekommer to ganger")),
    ("Too few", _l("for få ulike punkter")),
)


def _invalid_message(reason: str) -> Any:
    text = next((norsk for key, norsk in _VALIDITY_REASONS if reason.startswith(key)), _l("geometrien er ugyldig"))
    where = re.search(r"\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)", reason)
    if where:
        return _l(
            "Sonen er ikke et gyldig polygon: %(reason)s (nær %(lon)s, %(lat)s). "
            "Tegn sonen på nytt uten at kantene krysser.",
            reason=text,
            lon=format(float(where[1]), ".5f"),
            lat=format(float(where[2]), ".5f"),
        )
    return _l("Sonen er ikke et gyldig polygon: %(reason)s. Tegn sonen på nytt uten at kantene krysser.", reason=text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def is_finite(value: Any) -> bool:
    return _is_number(value) and math.isfinite(float(value))
