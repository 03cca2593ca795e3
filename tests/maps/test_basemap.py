"""The derived base-map files: built from maps/basemap/, served as cacheable static URLs with attribution."""

import gzip
import json

import pytest

from beredskap.maps import basemap


@pytest.mark.slow  # rebuilds the derived base-map files
def test_derived_files_are_up_to_date_with_the_builder(tmp_path):
    sizes = basemap.build(tmp_path)

    shipped = basemap.derived_dir()
    for name in sizes:
        assert (tmp_path / f"{name}.json").read_bytes() == (shipped / f"{name}.json").read_bytes(), name
    manifest = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    assert "ODbL" in manifest["attribution"] and "CC BY 4.0" in manifest["attribution"]
    assert [f["name"] for f in manifest["files"]] == [name for name, _ in basemap.FILES]


def test_roads_keep_class_and_street_names(app):
    roads = json.loads((basemap.derived_dir() / "roads_minor.json").read_text(encoding="utf-8"))["features"]
    major = json.loads((basemap.derived_dir() / "roads_major.json").read_text(encoding="utf-8"))["features"]

    assert {f["properties"]["c"] for f in major} >= {"trunk", "primary", "secondary", "tertiary"}
    assert "Markens gate" in {f["properties"].get("n") for f in roads}


def test_files_are_served_gzipped_cacheable_and_without_login(app):
    client = app.test_client()

    plain = client.get("/maps/basemap/roads_major.json")
    zipped = client.get("/maps/basemap/roads_major.json", headers={"Accept-Encoding": "gzip"})
    again = client.get("/maps/basemap/roads_major.json", headers={"If-None-Match": plain.headers["ETag"].strip('"')})

    assert plain.status_code == 200
    assert plain.json["type"] == "FeatureCollection"
    assert "public" in plain.headers["Cache-Control"]
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.data)) == plain.json
    assert len(zipped.data) < len(plain.data) / 3
    assert again.status_code == 304
    assert client.get("/maps/basemap/nope.json").status_code == 404
    assert client.get("/maps/basemap/..%2Fgrunnkretser_4204.json").status_code == 404
