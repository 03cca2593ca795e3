"""Pure spatial analysis of a zone: dasymetric population estimate, districts, resources, EPS candidates."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from flask_babel import lazy_gettext as _l
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
from beredskap.maps.zone_input import (
    ZoneError,
    is_finite,
    parse_center,
    parse_position,
    parse_radius,
    polygon_from_geojson,
)

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
        raise ZoneError("ambiguous", _l("Oppgi enten en sone eller et sentrum med radius, ikke begge deler."))
    if zone is not None:
        return polygon_from_geojson(zone)
    if center is None:
        raise ZoneError("missing_zone", _l("Sonen mangler: tegn et område, eller oppgi sentrum og radius."))
    lon, lat = parse_center(center)
    return circle_polygon(lon, lat, parse_radius(radius_m))


def locate_point(
    lon: Any,
    lat: Any,
    *,
    district_of_delomrade: Mapping[str, str] | None = None,
    index: SpatialIndex | None = None,
) -> dict[str, str | None]:
    """Return the bydel, delområde and grunnkrets of a point; the nearest within 2 km if just outside."""
    idx = index or spatial_index()
    lon_f, lat_f = parse_position([lon, lat], "Punktet")
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
    placed = [r for r in resources if is_finite(r.get("lon")) and is_finite(r.get("lat"))]
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
    if not is_finite(capacity):
        return 0.0
    occupied = resource.get("occupied")
    return float(capacity) - (float(occupied) if is_finite(occupied) else 0.0)


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


def _require_touches_municipality(geometry: Any, idx: SpatialIndex) -> None:
    if shapely.intersects(idx.extent, geometry):
        return
    swapped = shapely.transform(geometry, lambda coords: coords[:, ::-1])
    if shapely.intersects(idx.extent, swapped):
        raise ZoneError(
            "swapped_coordinates",
            _l(
                "Sonen ligger utenfor Kristiansand kommune, men ville ligget i kommunen med koordinatene snudd: "
                "bytt om lengde- og breddegrad? GeoJSON bruker rekkefølgen [lengdegrad, breddegrad]."
            ),
        )
    raise ZoneError("outside_municipality", _l("Sonen berører ikke Kristiansand kommune."))


# --- file reading ---


def _read_features(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _geometries(features: list[dict[str, Any]]) -> np.ndarray:
    return np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object)
