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
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
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
    """One shipped layer: `file` is unclipped (for analysis), `display_file` is what the map shows.

    `title` and `note` are lazy strings (the layer list shows them in the user's language): `str()` them.
    """

    name: str
    title: Any
    file: str
    display_file: str
    geometry: str
    label_property: str | None
    attribution: str
    style: dict[str, Any] = field(default_factory=dict)
    note: Any = ""


_LAYERS: tuple[Layer, ...] = (
    Layer(
        name="kommune",
        title=_l("Kommunegrense"),
        file=MUNICIPALITY_EXTENT_FILE,
        display_file="kristiansand_kommune.geojson",
        geometry="polygon",
        label_property="kommunenavn",
        attribution=ATTRIBUTION_KOMMUNE,
        style={"color": "#1b1b1b", "weight": 2.5, "fill": False},
    ),
    Layer(
        name="bydeler",
        title=_l("Bydeler"),
        file="bydeler_4204.geojson",
        display_file="bydeler_4204_land.geojson",
        geometry="polygon",
        label_property="bydel",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#1f4e79", "weight": 2, "fillColor": "#9ecae1", "fillOpacity": 0.12},
        note=_l("Ikke offisielle bydelsgrenser: SSB-delområder gruppert etter de tradisjonelle bydelene."),
    ),
    Layer(
        name="delomrader",
        title=_l("Delområder"),
        file="delomrader_4204.geojson",
        display_file="delomrader_4204_land.geojson",
        geometry="polygon",
        label_property="delomradenavn",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#4a4a8a", "weight": 1.5, "dashArray": "6 4", "fillOpacity": 0},
    ),
    Layer(
        name="grunnkretser",
        title=_l("Grunnkretser"),
        file="grunnkretser_4204.geojson",
        display_file="grunnkretser_4204.geojson",
        geometry="polygon",
        label_property="grunnkretsnavn",
        attribution=ATTRIBUTION_GRUNNKRETSER,
        style={"color": "#6b6b6b", "weight": 1, "fillOpacity": 0},
    ),
    Layer(
        name="tilfluktsrom",
        title=_l("Offentlige tilfluktsrom"),
        file="tilfluktsrom_4204.geojson",
        display_file="tilfluktsrom_4204.geojson",
        geometry="point",
        label_property="adresse",
        attribution=ATTRIBUTION_TILFLUKTSROM,
        style={"radius": 6, "color": "#7a3e00", "fillColor": "#f28e2b", "fillOpacity": 0.9, "weight": 1.5},
    ),
)


def norwegian(text: Any) -> str:
    """The Norwegian text of a lazy title: the cached layer bodies (and their ETags) are the same for every user."""
    with force_locale("nb"):
        return str(text)


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
        raise KeyError(f"Ukjent kartlag: {name!r}")  # i18n: internal error (callers pass shipped names), never shown
    return _load_layer_cached(str(maps_dir()), name)


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


def geojson_geometry(geometry: Any) -> dict[str, Any]:
    """Return a shapely geometry as a GeoJSON geometry object, rounded and wound by the right-hand rule.

    RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise. Simplifying, unioning or reading a
    Shapefile can leave a ring the other way round, so every geometry we serve goes through here last.
    """
    return json.loads(shapely.to_geojson(shapely.orient_polygons(round_coordinates(geometry))))


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
        geojson_geometries = [geojson_geometry(g) for g in geometries]
    else:
        geojson_geometries = [f["geometry"] for f in features]
    return {
        "type": "FeatureCollection",
        "name": layer.name,
        "title": norwegian(layer.title),
        "attribution": layer.attribution,
        "features": [
            {"type": "Feature", "properties": dict(f.get("properties") or {}), "geometry": geometry}
            for f, geometry in zip(features, geojson_geometries, strict=True)
        ],
    }


# --- the coordinator's grouping ---

# (delområdenummer, delområde name, bydel), sorted by number: hashable, so it can key a cache.
Grouping = tuple[tuple[str, str, str], ...]
# Layers whose properties name the delområde and bydel, and so follow renames and regrouping.
GROUPED_LAYERS = frozenset({"bydeler", "delomrader", "grunnkretser", "tilfluktsrom"})
_SUMMED_BYDEL_PROPERTIES = ("folketall", "areal_km2", "antall_grunnkretser", "areal_land_km2")


def shipped_grouping() -> Grouping:
    """Return the grouping the shipped files were built with."""
    features = load_layer("delomrader")["features"]
    return tuple(
        sorted(
            (str(f["properties"]["delomradenummer"]), f["properties"]["delomradenavn"], f["properties"]["bydel"])
            for f in features
        )
    )


def grouped_layer(name: str, grouping: Grouping) -> dict[str, Any]:
    """Return a layer with delområde names and bydeler from `grouping`; bydeler are dissolved anew.

    Cached by grouping, so a changed grouping is a new key and the stale result is never served.
    """
    if name not in GROUPED_LAYERS or not grouping or grouping == shipped_grouping():
        return load_layer(name)
    return _grouped_layer_cached(str(maps_dir()), name, grouping)


@lru_cache(maxsize=32)
def _grouped_layer_cached(directory: str, name: str, grouping: Grouping) -> dict[str, Any]:
    names = {number: (delomrade_name, bydel) for number, delomrade_name, bydel in grouping}
    if name == "bydeler":
        return _dissolved_bydeler(names)
    source = load_layer(name)
    features = []
    for feature in source["features"]:
        props = dict(feature["properties"])
        number = str(props.get("delomradenummer"))
        if number in names:
            props["delomradenavn"], props["bydel"] = names[number]
        features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    return {**source, "features": features}


def _dissolved_bydeler(names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """Union the display delområder by bydel; they share simplified borders, so coverage union is exact."""
    source = load_layer("delomrader")
    shipped_order = [f["properties"]["bydel"] for f in load_layer("bydeler")["features"]]
    groups: dict[str, list[dict[str, Any]]] = {}
    for feature in source["features"]:
        number = str(feature["properties"]["delomradenummer"])
        delomrade_name, bydel = names.get(
            number, (feature["properties"]["delomradenavn"], feature["properties"]["bydel"])
        )
        groups.setdefault(bydel, []).append({**feature, "name": delomrade_name})
    order = sorted(groups, key=lambda b: (shipped_order.index(b) if b in shipped_order else len(shipped_order), b))
    features = []
    for bydel in order:
        members = groups[bydel]
        parts = np.array([shapely.from_geojson(json.dumps(m["geometry"])) for m in members], dtype=object)
        merged = shapely.coverage_union_all(parts) if shapely.coverage_is_valid(parts) else shapely.union_all(parts)
        if not shapely.is_valid(merged):
            merged = shapely.make_valid(merged, method="structure", keep_collapsed=False)
        props: dict[str, Any] = {"bydel": bydel}
        formers = dict.fromkeys(m["properties"].get("tidligere_kommune") for m in members)
        props["tidligere_kommune"] = ", ".join(str(f) for f in formers if f)
        props["delomrader"] = ", ".join(m["name"] for m in members)
        for key in _SUMMED_BYDEL_PROPERTIES:
            values = [m["properties"].get(key) for m in members]
            total = sum(v for v in values if isinstance(v, int | float))
            props[key] = round(total, 3) if isinstance(total, float) else total
        geometry = geojson_geometry(merged)
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {**{k: v for k, v in load_layer("bydeler").items() if k != "features"}, "features": features}
