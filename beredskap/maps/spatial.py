"""Pure spatial analysis of a zone: dasymetric population estimate, districts, resources, EPS candidates."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from beredskap.maps.layers import (
    MUNICIPALITY_EXTENT_FILE,
    RESIDENTIAL_BUILDINGS_FILE,
    UTM32,
    WGS84,
    geojson_geometry,
    maps_dir,
    project,
    project_xy,
)

MAX_RADIUS_M = 100_000.0
MAX_ZONE_VERTICES = 100_000
NEAREST_GRUNNKRETS_MAX_M = 2_000.0
CIRCLE_QUAD_SEGMENTS = 32
DEFAULT_MAX_CANDIDATES = 10
# A building with only a framework or start permit (rammetillatelse, igangsettingstillatelse) has no
# residents yet.
UNBUILT_STATUSES = frozenset({"RA", "IG"})

ESTIMATE_NOTE = (
    "Befolkningstallet er et anslag: folketallet i hver grunnkrets (SSB) er fordelt likt på boligbyggene "
    "i kretsen, og boligbyggene innenfor sonen er talt med."
)

GRUNNKRETSER_FILE = "grunnkretser_4204.geojson"
DELOMRADER_FILE = "delomrader_4204.geojson"


class ZoneError(ValueError):
    """A zone or point the analysis cannot use; `code` is stable, the message is Norwegian for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SpatialIndex:
    """Everything the analysis needs, loaded once: grunnkretser, dwellings, delområder and the extent."""

    gk_number: np.ndarray
    gk_name: np.ndarray
    gk_delomrade: np.ndarray
    gk_population: np.ndarray
    gk_geometry: np.ndarray
    gk_geometry_utm: np.ndarray
    gk_area_m2: np.ndarray
    gk_tree: STRtree
    gk_tree_utm: STRtree
    fallback_gk: np.ndarray
    dwelling_lon: np.ndarray
    dwelling_lat: np.ndarray
    dwelling_gk: np.ndarray
    dwelling_weight: np.ndarray
    delomrade_number: np.ndarray
    delomrade_name: np.ndarray
    delomrade_bydel: np.ndarray
    delomrade_tree: STRtree
    extent: Any

    @classmethod
    def load(cls, directory: Path) -> SpatialIndex:
        """Build the index from the files in `directory`: unclipped layers, as point-in-polygon needs."""
        gk_features = _read_features(directory / GRUNNKRETSER_FILE)
        gk_props = [f["properties"] for f in gk_features]
        gk_geometry = _geometries(gk_features)
        gk_geometry_utm = project(gk_geometry, WGS84, UTM32)
        gk_number = np.array([str(p["grunnkretsnummer"]) for p in gk_props], dtype=object)
        # SSB suppresses small counts as null; with no published residents the estimate counts none.
        gk_population = np.array([float(p.get("folketall") or 0) for p in gk_props])

        dwellings = pd.read_csv(
            directory / RESIDENTIAL_BUILDINGS_FILE,
            dtype={"grunnkretsnummer": str, "status": str},
            usecols=["lat", "lon", "status", "grunnkretsnummer"],
        )
        dwellings = dwellings[~dwellings["status"].isin(UNBUILT_STATUSES)]
        dwelling_gk = pd.Index(gk_number).get_indexer(dwellings["grunnkretsnummer"])
        known = dwelling_gk >= 0
        dwelling_gk = dwelling_gk[known].astype(np.int64)
        count = np.bincount(dwelling_gk, minlength=len(gk_number))
        per_dwelling = np.divide(gk_population, count, out=np.zeros_like(gk_population), where=count > 0)

        do_features = _read_features(directory / DELOMRADER_FILE)
        do_geometry = _geometries(do_features)
        extent = shapely.union_all(_geometries(_read_features(directory / MUNICIPALITY_EXTENT_FILE)))
        shapely.prepare(extent)
        return cls(
            gk_number=gk_number,
            gk_name=np.array([p.get("grunnkretsnavn") or "" for p in gk_props], dtype=object),
            gk_delomrade=np.array([str(p["delomradenummer"]) for p in gk_props], dtype=object),
            gk_population=gk_population,
            gk_geometry=gk_geometry,
            gk_geometry_utm=gk_geometry_utm,
            gk_area_m2=shapely.area(gk_geometry_utm),
            gk_tree=STRtree(gk_geometry),
            gk_tree_utm=STRtree(gk_geometry_utm),
            fallback_gk=np.flatnonzero((gk_population > 0) & (count == 0)),
            dwelling_lon=dwellings["lon"].to_numpy(dtype=float)[known],
            dwelling_lat=dwellings["lat"].to_numpy(dtype=float)[known],
            dwelling_gk=dwelling_gk,
            dwelling_weight=per_dwelling[dwelling_gk],
            delomrade_number=np.array([str(f["properties"]["delomradenummer"]) for f in do_features], dtype=object),
            delomrade_name=np.array([f["properties"]["delomradenavn"] for f in do_features], dtype=object),
            delomrade_bydel=np.array([f["properties"]["bydel"] for f in do_features], dtype=object),
            delomrade_tree=STRtree(do_geometry),
            extent=extent,
        )


def spatial_index() -> SpatialIndex:
    """Return the process-wide index for the configured maps folder, building it on first use."""
    return _cached_index(str(maps_dir()))


@lru_cache(maxsize=4)
def _cached_index(directory: str) -> SpatialIndex:
    return SpatialIndex.load(Path(directory))


def default_district_mapping(index: SpatialIndex | None = None) -> dict[str, dict[str, str]]:
    """Return the shipped delområde → bydel grouping: {delområdenummer: {"delomrade_name", "bydel"}}."""
    idx = index or spatial_index()
    return {
        number: {"delomrade_name": name, "bydel": bydel}
        for number, name, bydel in zip(idx.delomrade_number, idx.delomrade_name, idx.delomrade_bydel, strict=True)
    }


def analyse_zone(
    zone: Mapping[str, Any] | None = None,
    center: Any = None,
    radius_m: Any = None,
    resources: Iterable[Mapping[str, Any]] | None = None,
    *,
    district_of_delomrade: Mapping[str, str] | None = None,
    max_candidates: int | None = DEFAULT_MAX_CANDIDATES,
    index: SpatialIndex | None = None,
) -> dict[str, Any]:
    """Estimate people in a zone (polygon, or circle from center + radius), its bydeler and nearby EPS."""
    return _analyse(zone, center, radius_m, resources, district_of_delomrade, max_candidates, index, _population_by_gk)


def analyse_zone_naive(
    zone: Mapping[str, Any] | None = None,
    center: Any = None,
    radius_m: Any = None,
    resources: Iterable[Mapping[str, Any]] | None = None,
    *,
    district_of_delomrade: Mapping[str, str] | None = None,
    max_candidates: int | None = DEFAULT_MAX_CANDIDATES,
    index: SpatialIndex | None = None,
) -> dict[str, Any]:
    """Same as analyse_zone, but tests every dwelling in a plain Python loop: the benchmark's baseline."""
    return _analyse(
        zone,
        center,
        radius_m,
        resources,
        district_of_delomrade,
        max_candidates,
        index,
        _population_by_gk_naive,
    )


def normalise_zone(zone: Mapping[str, Any] | None = None, center: Any = None, radius_m: Any = None) -> dict[str, Any]:
    """Validate a zone (or circle) and return it as a GeoJSON Polygon/MultiPolygon in EPSG:4326."""
    geometry = zone_geometry(zone, center, radius_m)
    _require_touches_municipality(geometry, spatial_index())
    return geojson_geometry(geometry)


def circle_polygon(lon: float, lat: float, radius_m: float) -> Any:
    """Return a circle as a lon/lat polygon, buffered in metres (EPSG:25832) so it is round on the ground."""
    x, y = project_xy([lon], [lat], WGS84, UTM32)
    circle = shapely.buffer(shapely.points(x[0], y[0]), radius_m, quad_segs=CIRCLE_QUAD_SEGMENTS)
    return project(circle, UTM32, WGS84)


def zone_geometry(zone: Mapping[str, Any] | None = None, center: Any = None, radius_m: Any = None) -> Any:
    """Parse and validate the zone input into a shapely geometry in EPSG:4326, or raise ZoneError."""
    if zone is not None and (center is not None or radius_m is not None):
        raise ZoneError("ambiguous", "Oppgi enten en sone eller et sentrum med radius, ikke begge deler.")
    if zone is not None:
        return _polygon_from_geojson(zone)
    if center is None:
        raise ZoneError("missing_zone", "Sonen mangler: tegn et område, eller oppgi sentrum og radius.")
    lon, lat = _parse_center(center)
    return circle_polygon(lon, lat, _parse_radius(radius_m))


def locate_point(
    lon: Any,
    lat: Any,
    *,
    district_of_delomrade: Mapping[str, str] | None = None,
    index: SpatialIndex | None = None,
) -> dict[str, str | None]:
    """Return the bydel, delområde and grunnkrets of a point; the nearest within 2 km if just outside."""
    idx = index or spatial_index()
    lon_f, lat_f = _parse_position([lon, lat], "Punktet")
    point = shapely.points(lon_f, lat_f)
    hits = idx.gk_tree.query(point, predicate="intersects")
    if len(hits):
        gk = int(np.min(hits))
    else:
        x, y = project_xy([lon_f], [lat_f], WGS84, UTM32)
        nearest = idx.gk_tree_utm.query_nearest(shapely.points(x[0], y[0]), max_distance=NEAREST_GRUNNKRETS_MAX_M)
        if not len(nearest):
            return dict.fromkeys(("bydel", "delomrade", "delomrade_name", "grunnkrets", "grunnkrets_name"))
        gk = int(np.min(nearest))
    delomrade = str(idx.gk_delomrade[gk])
    mapping = _district_mapping(idx, district_of_delomrade)
    names = dict(zip(idx.delomrade_number, idx.delomrade_name, strict=True))
    return {
        "bydel": mapping.get(delomrade),
        "delomrade": delomrade,
        "delomrade_name": names.get(delomrade),
        "grunnkrets": str(idx.gk_number[gk]),
        "grunnkrets_name": str(idx.gk_name[gk]),
    }


# --- analysis ---


def _analyse(
    zone: Mapping[str, Any] | None,
    center: Any,
    radius_m: Any,
    resources: Iterable[Mapping[str, Any]] | None,
    district_of_delomrade: Mapping[str, str] | None,
    max_candidates: int | None,
    index: SpatialIndex | None,
    population_by_gk: Callable[[Any, SpatialIndex], np.ndarray],
) -> dict[str, Any]:
    idx = index or spatial_index()
    geometry = zone_geometry(zone, center, radius_m)
    _require_touches_municipality(geometry, idx)
    zone_utm = project(geometry, WGS84, UTM32)

    per_gk = population_by_gk(geometry, idx) + _fallback_population(geometry, zone_utm, idx)
    total = float(per_gk.sum())
    population_estimate = int(round(total))

    mapping = _district_mapping(idx, district_of_delomrade)
    per_bydel: dict[str, float] = {}
    for delomrade, population in zip(idx.gk_delomrade, per_gk, strict=True):
        if population > 0:
            bydel = mapping.get(delomrade) or "Uten bydel"
            per_bydel[bydel] = per_bydel.get(bydel, 0.0) + float(population)
    for hit in idx.delomrade_tree.query(geometry, predicate="intersects"):
        per_bydel.setdefault(mapping.get(idx.delomrade_number[hit]) or "Uten bydel", 0.0)
    rounded = _round_preserving_total(per_bydel, population_estimate)
    districts = [
        {"name": name, "population_inside": rounded[name]} for name in sorted(rounded, key=lambda n: (-per_bydel[n], n))
    ]

    inside, candidates = _classify_resources(geometry, zone_utm, list(resources or []))
    if max_candidates is not None:
        candidates = candidates[: max(0, int(max_candidates))]
    return {
        "population_estimate": population_estimate,
        "districts": districts,
        "resources_inside": inside,
        "eps_candidates": candidates,
        "estimate": True,
        "note": ESTIMATE_NOTE,
    }


def _population_by_gk(geometry: Any, idx: SpatialIndex) -> np.ndarray:
    """Sum dwelling weights inside the zone per grunnkrets, vectorised."""
    minx, miny, maxx, maxy = shapely.bounds(geometry)
    lon, lat = idx.dwelling_lon, idx.dwelling_lat
    candidates = np.flatnonzero((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
    shapely.prepare(geometry)
    inside = candidates[shapely.contains_xy(geometry, lon[candidates], lat[candidates])]
    return np.bincount(idx.dwelling_gk[inside], weights=idx.dwelling_weight[inside], minlength=len(idx.gk_number))


def _population_by_gk_naive(geometry: Any, idx: SpatialIndex) -> np.ndarray:
    """Baseline for the benchmark: one shapely `contains` call per dwelling."""
    per_gk = np.zeros(len(idx.gk_number))
    lon, lat, gk, weight = (
        idx.dwelling_lon.tolist(),
        idx.dwelling_lat.tolist(),
        idx.dwelling_gk.tolist(),
        idx.dwelling_weight.tolist(),
    )
    for i in range(len(lon)):
        if geometry.contains(shapely.Point(lon[i], lat[i])):
            per_gk[gk[i]] += weight[i]
    return per_gk


def _fallback_population(geometry: Any, zone_utm: Any, idx: SpatialIndex) -> np.ndarray:
    """Grunnkretser with residents but no dwelling points count by the share of their area inside the zone."""
    per_gk = np.zeros(len(idx.gk_number))
    for gk in idx.fallback_gk:
        if shapely.intersects(geometry, idx.gk_geometry[gk]):
            share = shapely.area(shapely.intersection(zone_utm, idx.gk_geometry_utm[gk])) / idx.gk_area_m2[gk]
            per_gk[gk] = idx.gk_population[gk] * min(1.0, share)
    return per_gk


def _classify_resources(
    geometry: Any, zone_utm: Any, resources: list[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split resources into those inside the zone and EPS candidates outside it, nearest first."""
    placed = [r for r in resources if _finite(r.get("lon")) and _finite(r.get("lat"))]
    if not placed:
        return [], []
    lon = np.array([float(r["lon"]) for r in placed])
    lat = np.array([float(r["lat"]) for r in placed])
    # A resource on the zone's edge counts as inside, so every candidate is strictly outside.
    is_inside = shapely.intersects_xy(geometry, lon, lat)
    inside = [
        {"id": r.get("id"), "name": r.get("name"), "kind": r.get("kind")}
        for r, flag in zip(placed, is_inside, strict=True)
        if flag
    ]
    free = np.array([_free_capacity(r) for r in placed], dtype=float)
    suitable = np.array([bool(r.get("eps_suitable")) for r in placed])
    chosen = np.flatnonzero(suitable & ~is_inside & (free > 0))
    if not len(chosen):
        return inside, []
    x, y = project_xy(lon[chosen], lat[chosen], WGS84, UTM32)
    distance = shapely.distance(zone_utm, shapely.points(x, y))
    candidates = [
        {
            "resource_id": placed[i].get("id"),
            "name": placed[i].get("name"),
            "distance_m": int(round(float(d))),
            "free_capacity": int(free[i]),
        }
        for i, d in zip(chosen, distance, strict=True)
    ]
    order = sorted(range(len(candidates)), key=lambda k: (float(distance[k]), str(candidates[k]["name"])))
    return inside, [candidates[k] for k in order]


def _free_capacity(resource: Mapping[str, Any]) -> float:
    capacity = resource.get("capacity")
    if not _finite(capacity):
        return 0.0
    occupied = resource.get("occupied")
    return float(capacity) - (float(occupied) if _finite(occupied) else 0.0)


def _district_mapping(idx: SpatialIndex, override: Mapping[str, str] | None) -> dict[str, str]:
    mapping = {str(k): str(v) for k, v in zip(idx.delomrade_number, idx.delomrade_bydel, strict=True)}
    for key, value in (override or {}).items():
        if value:
            mapping[str(key)] = str(value)
    return mapping


def _round_preserving_total(values: Mapping[str, float], total: int) -> dict[str, int]:
    """Round shares to integers that add up to the rounded total (largest remainder)."""
    floors = {k: math.floor(v) for k, v in values.items()}
    missing = total - sum(floors.values())
    by_remainder = sorted(values, key=lambda k: (-(values[k] - floors[k]), k))
    for key in by_remainder[: max(0, missing)]:
        floors[key] += 1
    return floors


# --- validation ---


def _require_touches_municipality(geometry: Any, idx: SpatialIndex) -> None:
    if shapely.intersects(idx.extent, geometry):
        return
    swapped = shapely.transform(geometry, lambda coords: coords[:, ::-1])
    if shapely.intersects(idx.extent, swapped):
        raise ZoneError(
            "swapped_coordinates",
            "Sonen ligger utenfor Kristiansand kommune, men ville ligget i kommunen med koordinatene snudd: "
            "bytt om lengde- og breddegrad? GeoJSON bruker rekkefølgen [lengdegrad, breddegrad].",
        )
    raise ZoneError("outside_municipality", "Sonen berører ikke Kristiansand kommune.")


def _polygon_from_geojson(zone: Any) -> Any:
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
    positions = [_parse_position(position, "Sonen") for position in ring]
    # Leaflet and hand-written GeoJSON sometimes leave rings open; closing them is unambiguous.
    if positions and positions[0] != positions[-1]:
        positions.append(positions[0])
    if len(positions) < 4 or len(set(positions)) < 3:
        raise ZoneError("bad_coordinates", "Sonen har ødelagte koordinater: en ring må ha minst tre hjørner.")
    return positions


def _parse_position(position: Any, subject: str) -> tuple[float, float]:
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


def _parse_center(center: Any) -> tuple[float, float]:
    if not isinstance(center, list | tuple) or len(center) != 2:
        raise ZoneError("bad_coordinates", "Sentrum må oppgis som [lengdegrad, breddegrad].")
    return _parse_position(list(center), "Sentrum")


def _parse_radius(radius_m: Any) -> float:
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


def _finite(value: Any) -> bool:
    return _is_number(value) and math.isfinite(float(value))


# --- file reading ---


def _read_features(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _geometries(features: list[dict[str, Any]]) -> np.ndarray:
    return np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object)
