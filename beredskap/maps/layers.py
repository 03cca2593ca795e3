"""Registry of the shipped map layers: files, Norwegian titles, styles, attribution and cached loading."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

WGS84 = "EPSG:4326"
UTM32 = "EPSG:25832"
DISPLAY_TOLERANCE_M = 5.0
COORDINATE_DECIMALS = 6

ATTRIBUTION_KOMMUNE = "Kommunegrense © Kartverket (CC BY 4.0)"
ATTRIBUTION_GRUNNKRETSER = (
    "Grunnkretser © Kartverket / Statistisk sentralbyrå (CC BY 4.0); befolkning: SSB tabell 04317 (CC BY 4.0)"
)
ATTRIBUTION_BYGG = "Bygningspunkt fra Matrikkelen © Kartverket (CC BY 4.0)"
ATTRIBUTION_TILFLUKTSROM = "Offentlige tilfluktsrom © DSB"

# Files that are analysis inputs but not map layers of their own.
MUNICIPALITY_EXTENT_FILE = "kristiansand_kommune_grunnkretsunion.geojson"
RESIDENTIAL_BUILDINGS_FILE = "boligbygg_4204.csv"
EMERGENCY_BUILDINGS_FILE = "bygg_beredskapsrelevante_4204.geojson"


@dataclass(frozen=True)
class Layer:
    """One shipped layer: `file` is unclipped (for analysis), `display_file` is what the map shows."""

    name: str
    title: str
    file: str
    display_file: str
    geometry: str
    label_property: str | None
    attribution: str
    style: dict[str, Any] = field(default_factory=dict)
    note: str = ""


_LAYERS: tuple[Layer, ...] = (
    Layer(
        name="kommune",
        title="Kommunegrense",
        file=MUNICIPALITY_EXTENT_FILE,
        display_file="kristiansand_kommune.geojson",
        geometry="polygon",
        label_property="kommunenavn",
        attribution=ATTRIBUTION_KOMMUNE,
        style={"color": "#1b1b1b", "weight": 2.5, "fill": False},
    ),
    Layer(
        name="bydeler",
        title="Bydeler",
        file="bydeler_4204.geojson",
        display_file="bydeler_4204_land.geojson",
        geometry="polygon",
        label_property="bydel",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#1f4e79", "weight": 2, "fillColor": "#9ecae1", "fillOpacity": 0.12},
        note="Ikke offisielle bydelsgrenser: SSB-delområder gruppert etter de tradisjonelle bydelene.",
    ),
    Layer(
        name="delomrader",
        title="Delområder",
        file="delomrader_4204.geojson",
        display_file="delomrader_4204_land.geojson",
        geometry="polygon",
        label_property="delomradenavn",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#4a4a8a", "weight": 1.5, "dashArray": "6 4", "fillOpacity": 0},
    ),
    Layer(
        name="grunnkretser",
        title="Grunnkretser",
        file="grunnkretser_4204.geojson",
        display_file="grunnkretser_4204.geojson",
        geometry="polygon",
        label_property="grunnkretsnavn",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#6b6b6b", "weight": 1, "fillOpacity": 0},
    ),
    Layer(
        name="tilfluktsrom",
        title="Offentlige tilfluktsrom",
        file="tilfluktsrom_4204.geojson",
        display_file="tilfluktsrom_4204.geojson",
        geometry="point",
        label_property="adresse",
        attribution=ATTRIBUTION_TILFLUKTSROM,
        style={"radius": 6, "color": "#7a3e00", "fillColor": "#f28e2b", "fillOpacity": 0.9, "weight": 1.5},
    ),
)


def maps_dir() -> Path:
    """Return the folder with the shipped geodata: BEREDSKAP_MAPS_DIR, else <repo>/maps."""
    configured = os.environ.get("BEREDSKAP_MAPS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "maps"


def data_path(filename: str) -> Path:
    """Return the path of one shipped data file."""
    return maps_dir() / filename


def read_geojson_file(filename: str) -> dict[str, Any]:
    """Read one shipped GeoJSON file as it is on disk (not cached, not simplified)."""
    with open(data_path(filename), encoding="utf-8") as fh:
        return json.load(fh)


def layer_registry() -> dict[str, Layer]:
    """Return the shipped layers by name, in display order."""
    return {layer.name: layer for layer in _LAYERS}


def load_layer(name: str) -> dict[str, Any]:
    """Return a layer's display FeatureCollection, simplified to ~5 m; cached, so treat it as read-only."""
    registry = layer_registry()
    if name not in registry:
        raise KeyError(f"Ukjent kartlag: {name!r}")
    return _load_layer_cached(str(maps_dir()), name)


def layer_summaries() -> list[dict[str, Any]]:
    """Return name, title and feature count of every shipped layer."""
    return [
        {"name": layer.name, "title": layer.title, "feature_count": len(load_layer(layer.name)["features"])}
        for layer in _LAYERS
    ]


def attribution_text() -> str:
    """Return the attribution for everything the maps show or estimate from, for maps and printouts."""
    parts = [ATTRIBUTION_KOMMUNE, ATTRIBUTION_GRUNNKRETSER, ATTRIBUTION_BYGG, ATTRIBUTION_TILFLUKTSROM]
    return " · ".join(parts)


@lru_cache(maxsize=8)
def transformer(source: str, target: str) -> Transformer:
    """Return a cached lon/lat-ordered transformer between two CRSs."""
    return Transformer.from_crs(source, target, always_xy=True)


def project(geometry: Any, source: str = WGS84, target: str = UTM32) -> Any:
    """Reproject a shapely geometry (or array of them) between CRSs."""
    tr = transformer(source, target)

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, _apply)


def project_xy(x: Any, y: Any, source: str = WGS84, target: str = UTM32) -> tuple[np.ndarray, np.ndarray]:
    """Reproject coordinate arrays between CRSs."""
    px, py = transformer(source, target).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(px, dtype=float), np.asarray(py, dtype=float)


def round_coordinates(geometry: Any, decimals: int = COORDINATE_DECIMALS) -> Any:
    """Round coordinates so GeoJSON stays small; 1e-6 degrees is about 0.1 m."""
    return shapely.transform(geometry, lambda coords: np.round(coords, decimals))


def simplify_for_display(geometries: np.ndarray) -> np.ndarray:
    """Simplify lon/lat polygons by ~5 m in metres, keeping shared borders shared and every polygon valid."""
    metric = project(geometries, WGS84, UTM32)
    # Coverage simplification moves a shared border once for both neighbours, so no slivers or gaps appear.
    if shapely.coverage_is_valid(metric):
        simplified = shapely.coverage_simplify(metric, DISPLAY_TOLERANCE_M)
    else:
        simplified = shapely.simplify(metric, DISPLAY_TOLERANCE_M, preserve_topology=True)
    back = round_coordinates(project(simplified, UTM32, WGS84))
    invalid = ~shapely.is_valid(back)
    if invalid.any():
        back[invalid] = shapely.make_valid(back[invalid], method="structure", keep_collapsed=False)
    return back


@lru_cache(maxsize=16)
def _load_layer_cached(directory: str, name: str) -> dict[str, Any]:
    layer = layer_registry()[name]
    with open(Path(directory) / layer.display_file, encoding="utf-8") as fh:
        raw = json.load(fh)
    features = raw["features"]
    if layer.geometry == "polygon":
        geometries = np.array([shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object)
        geometries = simplify_for_display(geometries)
        geojson_geometries = [json.loads(shapely.to_geojson(g)) for g in geometries]
    else:
        geojson_geometries = [f["geometry"] for f in features]
    return {
        "type": "FeatureCollection",
        "name": layer.name,
        "title": layer.title,
        "attribution": layer.attribution,
        "features": [
            {"type": "Feature", "properties": dict(f.get("properties") or {}), "geometry": geometry}
            for f, geometry in zip(features, geojson_geometries, strict=True)
        ],
    }
