"""Tests for reading uploaded GeoJSON, GeoPackage and Shapefiles in any CRS into lon/lat GeoJSON."""

import json
import zipfile

import geopandas as gpd
import pytest
import shapely

from beredskap.maps.importer import GeoImportError, read_geodata

POINTS = [(7.995, 58.146), (8.02572, 58.1514), (7.93656, 58.12147)]
SQUARE = shapely.Polygon([(7.99, 58.14), (8.0, 58.14), (8.0, 58.15), (7.99, 58.15)])


def _frame(crs="EPSG:25833"):
    frame = gpd.GeoDataFrame(
        {"navn": ["Torvet", "Hall", "Skole", "Sone"]},
        geometry=[shapely.Point(p) for p in POINTS] + [SQUARE],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs) if crs else frame


def _assert_round_trip(collection):
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["properties"]["navn"] for f in features] == ["Torvet", "Hall", "Skole", "Sone"]
    for feature, (lon, lat) in zip(features[:3], POINTS, strict=True):
        x, y = feature["geometry"]["coordinates"]
        assert abs(x - lon) < 1e-6 and abs(y - lat) < 1e-6
    polygon = shapely.geometry.shape(features[3]["geometry"])
    assert polygon.equals_exact(SQUARE.normalize(), 1e-6) or polygon.normalize().equals_exact(SQUARE.normalize(), 1e-6)


def test_geopackage_in_utm33_comes_back_in_lon_lat(tmp_path):
    path = tmp_path / "punkter.gpkg"
    _frame().to_file(path, driver="GPKG")

    _assert_round_trip(read_geodata(path))


def test_shapefile_in_utm33_comes_back_in_lon_lat(tmp_path):
    frame = _frame()
    path = tmp_path / "punkter.shp"
    frame[frame.geom_type == "Point"].to_file(path)

    collection = read_geodata(path)

    for feature, (lon, lat) in zip(collection["features"], POINTS, strict=True):
        x, y = feature["geometry"]["coordinates"]
        assert abs(x - lon) < 1e-6 and abs(y - lat) < 1e-6


def test_zipped_shapefile_is_read_from_the_archive(tmp_path):
    frame = _frame()
    folder = tmp_path / "shp"
    folder.mkdir()
    frame[frame.geom_type == "Polygon"].to_file(folder / "sone.shp")
    archive = tmp_path / "sone.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, f"data/{part.name}")

    collection = read_geodata(archive)

    polygon = shapely.geometry.shape(collection["features"][0]["geometry"])
    assert collection["features"][0]["properties"]["navn"] == "Sone"
    assert polygon.normalize().equals_exact(SQUARE.normalize(), 1e-6)


def test_geojson_without_crs_is_taken_as_lon_lat(tmp_path):
    path = tmp_path / "punkter.geojson"
    path.write_text(_frame(crs=None).to_json(), encoding="utf-8")

    _assert_round_trip(read_geodata(path))


def test_shapefile_without_prj_is_rejected(tmp_path):
    frame = _frame()
    path = tmp_path / "uten.shp"
    frame[frame.geom_type == "Point"].to_file(path)
    (tmp_path / "uten.prj").unlink()

    with pytest.raises(GeoImportError, match="koordinatsystem"):
        read_geodata(path)


def test_empty_layer_is_rejected(tmp_path):
    path = tmp_path / "tom.gpkg"
    _frame().iloc[0:0].to_file(path, driver="GPKG")

    with pytest.raises(GeoImportError, match="ingen geometrier"):
        read_geodata(path)


def test_unreadable_file_is_rejected(tmp_path):
    path = tmp_path / "ødelagt.gpkg"
    path.write_bytes(b"dette er ikke en geopackage")

    with pytest.raises(GeoImportError, match="Kunne ikke lese"):
        read_geodata(path)


def test_broken_geojson_is_rejected(tmp_path):
    path = tmp_path / "ødelagt.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": "nei"})[:-5], encoding="utf-8")

    with pytest.raises(GeoImportError):
        read_geodata(path)


def test_zip_without_shapefile_is_rejected(tmp_path):
    archive = tmp_path / "tom.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("les-meg.txt", "ingen kart her")

    with pytest.raises(GeoImportError, match="ingen Shapefile"):
        read_geodata(archive)


def test_unsupported_file_type_is_rejected(tmp_path):
    path = tmp_path / "kart.kml"
    path.write_text("<kml/>", encoding="utf-8")

    with pytest.raises(GeoImportError, match="støttes ikke"):
        read_geodata(path)


def test_import_error_is_a_value_error():
    assert issubclass(GeoImportError, ValueError)
