"""Crafted geodata files for the GIS import tests: good ones in Kristiansand, and every kind of bad one."""

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

# Around Kristiansand sentrum, Vågsbygd and Randesund (lon, lat).
POINTS = [(7.995, 58.146), (8.0257, 58.1514), (7.9366, 58.1215), (8.0801, 58.1432), (7.9912, 58.1601), (8.01, 58.15)]


def square(lon: float, lat: float, size: float = 0.002) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def bowtie(lon: float, lat: float, size: float = 0.002) -> dict:
    """A self-intersecting polygon: GDAL reads it, shapely calls it invalid."""
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat + size], [lon + size, lat], [lon, lat + size], [lon, lat]]],
    }


def collection(geometries: list[dict], **props) -> bytes:
    features = [
        {"type": "Feature", "properties": {"navn": f"Objekt {n}", "nr": n, **props}, "geometry": g}
        for n, g in enumerate(geometries, start=1)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def good_geojson() -> bytes:
    return collection([{"type": "Point", "coordinates": list(p)} for p in POINTS])


def fifth_invalid_geojson() -> bytes:
    shapes = [square(lon, lat) for lon, lat in POINTS]
    shapes[4] = bowtie(*POINTS[4])
    return collection(shapes)


def outside_geojson() -> bytes:
    oslo = [(10.75, 59.91), (10.76, 59.92)]
    return collection(
        [{"type": "Point", "coordinates": list(POINTS[0])}] + [{"type": "Point", "coordinates": list(p)} for p in oslo]
    )


def shapefile_zip(tmp_path: Path, *, with_prj: bool = True, folder: str = "data/") -> bytes:
    """A zipped polygon Shapefile in UTM 33 (as Kartverket ships them)."""
    frame = gpd.GeoDataFrame(
        {"navn": [f"Sone {n}" for n in range(1, 4)]},
        geometry=[shapely.geometry.shape(square(lon, lat, 0.004)) for lon, lat in POINTS[:3]],
        crs="EPSG:4326",
    ).to_crs("EPSG:25833")
    out = tmp_path / "shp"
    out.mkdir(exist_ok=True)
    frame.to_file(out / "soner.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(out.iterdir()):
            if part.suffix == ".prj" and not with_prj:
                continue
            zf.write(part, folder + part.name)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """50 MB of zeros in a .dbf next to a .shp: a few kB compressed, far over the ratio limit."""
    return zip_of({"bombe.shp": b"\0" * 100, "bombe.dbf": b"\0" * (50 * 1024 * 1024)})


def geopackage(tmp_path: Path) -> bytes:
    """Points in a GeoPackage in UTM 32 (EPSG:25832)."""
    frame = gpd.GeoDataFrame(
        {"navn": [f"Punkt {n}" for n in range(1, 5)], "plasser": [10, 20, 30, 40]},
        geometry=[shapely.Point(p) for p in POINTS[:4]],
        crs="EPSG:4326",
    ).to_crs("EPSG:25832")
    path = tmp_path / "punkter.gpkg"
    frame.to_file(path, driver="GPKG")
    return path.read_bytes()


def utm_without_crs_geojson() -> bytes:
    """UTM 33 metres in a GeoJSON without a crs member: read as lon/lat they are far outside the earth."""
    return collection([{"type": "Point", "coordinates": [86000.0, 6465000.0]}])
