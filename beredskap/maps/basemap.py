"""The offline base map: derived, compact GeoJSON files built from `maps/basemap/` and served as static URLs.

`flask maps build-basemap` (or `python -m beredskap.maps.basemap`) writes `maps/basemap/derived/`: roads split by
detail level (the browser loads a level only from the zoom where it is drawn), water, coast and labels, with
properties cut to a class and a name and coordinates rounded to about a metre. Leaflet's own canvas renderer
draws them (see docs/OPERATIONS.md «Bakgrunnskart» for why no extra library is needed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapely

from beredskap.maps.layers import maps_dir

DERIVED = "basemap/derived"
CENTRE_BOX = (7.909, 58.112, 8.147, 58.179)  # what osm_sentrum_* covers
DECIMALS = 5
SIMPLIFY_DEG = 0.00001  # about a metre

ATTRIBUTION_OSM = "© OpenStreetMap contributors (ODbL 1.0)"
ATTRIBUTION_N1000 = "Kartdata N1000 © Kartverket (CC BY 4.0)"
ATTRIBUTION_SSR = "Stedsnavn © Kartverket (CC BY 4.0)"
ATTRIBUTION = " · ".join((ATTRIBUTION_OSM, ATTRIBUTION_N1000, ATTRIBUTION_SSR))

# OSM highway class → (level, class drawn). Levels: major from zoom 12, minor from 14, paths from 16.
MAJOR = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "tertiary"}
MAJOR |= {"secondary_link", "tertiary_link"}
MINOR = {"residential", "unclassified", "living_street", "pedestrian", "road", "service", "raceway"}
PATHS = {"footway", "path", "cycleway", "steps", "track", "bridleway"}
PLACE_RANK = {"city": 0, "town": 1, "suburb": 2, "village": 2, "quarter": 3, "neighbourhood": 4, "hamlet": 4}

# Each derived file: (name, minimum zoom) in drawing order; the browser reads this from manifest.json.
FILES = (
    ("water_n1000", 0),
    ("water", 12),
    ("coast_n1000", 0),
    ("coast", 12),
    ("waterways", 11),
    ("roads_n1000", 0),
    ("roads_major", 12),
    ("roads_minor", 14),
    ("roads_paths", 16),
    ("labels", 0),
)


def _read(name: str) -> list[dict[str, Any]]:
    with open(maps_dir() / "basemap" / name, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    shape = shapely.from_geojson(json.dumps(geometry))
    shape = shapely.simplify(shape, SIMPLIFY_DEG, preserve_topology=True)
    shape = shapely.set_precision(shape, 10**-DECIMALS)
    return json.loads(shapely.to_geojson(shape))


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any] | None:
    geometry = _geometry(geometry)
    if not geometry.get("coordinates"):
        return None
    properties = {k: v for k, v in props.items() if v not in (None, "")}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _collection(features: list[dict[str, Any] | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def derive() -> dict[str, dict[str, Any]]:
    """Return the derived collections by file name."""
    roads: dict[str, list] = {"roads_major": [], "roads_minor": [], "roads_paths": []}
    for f in _read("osm_sentrum_veger.geojson"):
        props = f["properties"]
        highway = props.get("highway")
        level = (
            "roads_major"
            if highway in MAJOR
            else "roads_minor"
            if highway in MINOR
            else "roads_paths"
            if highway in PATHS
            else None
        )
        if level and f["geometry"]["type"] in ("LineString", "MultiLineString"):
            tunnel = 1 if props.get("tunnel") == "yes" else None
            roads[level].append(_feature(f["geometry"], c=highway, n=props.get("name"), t=tunnel))
    centre = shapely.box(*CENTRE_BOX)
    n1000 = [
        _feature(
            f["geometry"],
            c=f["properties"].get("vegkategori"),
            n=f["properties"].get("vegnummer"),
            # Inside the OSM centre the detailed roads replace it from zoom 13.
            i=1 if centre.contains(shapely.from_geojson(json.dumps(f["geometry"]))) else None,
        )
        for f in _read("n1000_veger_4204.geojson")
    ]
    # The whole kommune at 1:1M for the first view; the centre's detailed water and coast from zoom 12.
    water_n1000 = [_feature(f["geometry"], c="sea") for f in _read("n1000_havflate_4204.geojson")]
    water_n1000 += [_feature(f["geometry"], c="lake") for f in _read("n1000_innsjoer_4204.geojson")]
    water = [_feature(f["geometry"], c="water") for f in _read("osm_sentrum_vann.geojson")]
    coast_n1000 = [_feature(f["geometry"], c="n1000") for f in _read("n1000_kystkontur_4204.geojson")]
    coast = [_feature(f["geometry"], c="osm") for f in _read("osm_sentrum_kystlinje.geojson")]
    waterways = [_feature(f["geometry"], c="river") for f in _read("n1000_elver_4204.geojson")]
    waterways += [
        _feature(f["geometry"], c=f["properties"].get("waterway"), n=f["properties"].get("name"))
        for f in _read("osm_sentrum_vannveier.geojson")
        if f["properties"].get("waterway") in ("river", "stream", "canal")
    ]
    labels = []
    named = set()
    for f in _read("n1000_stedsnavn_4204.geojson"):
        if f["properties"].get("fulltekst") in named:  # a name written along a path comes in several pieces
            continue
        named.add(f["properties"].get("fulltekst"))
        centre = shapely.centroid(shapely.from_geojson(json.dumps(f["geometry"])))
        point = {"type": "Point", "coordinates": [centre.x, centre.y]}
        labels.append(_feature(point, n=f["properties"].get("fulltekst"), r=0, z=9))
    for f in _read("osm_sentrum_steder.geojson"):
        rank = PLACE_RANK.get(f["properties"].get("place"), 5)
        labels.append(_feature(f["geometry"], n=f["properties"].get("name"), r=rank + 1, z=11 + min(rank, 4)))
    for f in _read("ssr_stedsnavn_bebyggelse_4204.geojson"):
        rank = PLACE_RANK.get(f["properties"].get("type"), 5)
        labels.append(_feature(f["geometry"], n=f["properties"].get("name"), r=rank + 2, z=12 + min(rank, 3)))
    return {
        "water_n1000": _collection(water_n1000),
        "water": _collection(water),
        "coast_n1000": _collection(coast_n1000),
        "coast": _collection(coast),
        "waterways": _collection(waterways),
        "roads_n1000": _collection(n1000),
        **{name: _collection(items) for name, items in roads.items()},
        "labels": _collection([label for label in labels if label and label["properties"].get("n")]),
    }


def build(target: Path | None = None) -> dict[str, int]:
    """Write the derived files and manifest.json; return bytes written per file."""
    out = target or maps_dir() / DERIVED
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, collection in derive().items():
        body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        (out / f"{name}.json").write_text(body, encoding="utf-8")
        sizes[name] = len(body.encode())
    manifest = {"attribution": ATTRIBUTION, "files": [{"name": n, "minzoom": z} for n, z in FILES]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return sizes


def derived_dir() -> Path:
    return maps_dir() / DERIVED


if __name__ == "__main__":
    for file_name, size in build().items():
        sys.stdout.write(f"{file_name}: {size / 1024:.0f} KiB\n")
