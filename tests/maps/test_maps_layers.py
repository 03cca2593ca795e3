"""Tests for the shipped layer registry, display simplification and attribution."""

import json
import shutil
from pathlib import Path

import pytest
import shapely

from beredskap.maps.layers import (
    attribution_text,
    grouped_layer,
    layer_registry,
    load_layer,
    maps_dir,
    shipped_grouping,
)

MAPS = Path(__file__).resolve().parents[2] / "maps"


def test_shipped_layers_have_the_expected_feature_counts():
    """The counts the layer list shows (maps/catalogue.py) for the shipped grouping."""
    registry = layer_registry()
    summaries = {
        name: {"title": layer.title, "feature_count": len(grouped_layer(name, shipped_grouping())["features"])}
        for name, layer in registry.items()
    }

    assert {name: s["feature_count"] for name, s in summaries.items()} == {
        "kommune": 1,
        "bydeler": 7,
        "delomrader": 24,
        "grunnkretser": 224,
        "tilfluktsrom": 35,
    }
    assert summaries["bydeler"]["title"] == "Bydeler"
    assert summaries["delomrader"]["title"] == "Delområder"


def test_registry_points_at_shipped_files_and_prefers_land_variants_for_display():
    registry = layer_registry()

    for layer in registry.values():
        assert (MAPS / layer.file).is_file()
        assert (MAPS / layer.display_file).is_file()
        assert layer.attribution
        assert layer.style
    assert registry["bydeler"].display_file == "bydeler_4204_land.geojson"
    assert registry["bydeler"].file == "bydeler_4204.geojson"
    assert registry["delomrader"].display_file == "delomrader_4204_land.geojson"


@pytest.mark.parametrize("name", ["kommune", "bydeler", "delomrader", "grunnkretser"])
def test_display_polygons_are_valid_simplified_and_close_to_the_source(name):
    layer = layer_registry()[name]
    source = json.loads((MAPS / layer.display_file).read_text(encoding="utf-8"))["features"]

    shown = load_layer(name)["features"]

    assert len(shown) == len(source)
    shown_coords = 0
    source_coords = 0
    for shown_feature, source_feature in zip(shown, source, strict=True):
        simplified = shapely.geometry.shape(shown_feature["geometry"])
        original = shapely.geometry.shape(source_feature["geometry"])
        assert simplified.is_valid
        assert shown_feature["properties"] == source_feature["properties"]
        # About 5 m in degrees at 58° N; the outline may move a little, never far.
        assert simplified.hausdorff_distance(original) < 0.0005
        shown_coords += shapely.get_num_coordinates(simplified)
        source_coords += shapely.get_num_coordinates(original)
    assert shown_coords <= source_coords
    if name != "kommune":
        assert shown_coords < source_coords * 0.8


def test_point_layer_is_returned_unchanged():
    source = json.loads((MAPS / "tilfluktsrom_4204.geojson").read_text(encoding="utf-8"))["features"]

    shown = load_layer("tilfluktsrom")

    assert shown["type"] == "FeatureCollection"
    assert [f["geometry"] for f in shown["features"]] == [f["geometry"] for f in source]
    assert sum(f["properties"]["plasser"] for f in shown["features"]) == 7281


def test_unknown_layer_is_a_key_error():
    with pytest.raises(KeyError):
        load_layer("veier")


def test_attribution_names_every_source():
    text = attribution_text()

    for source in (
        "Kartverket",
        "Statistisk sentralbyrå",
        "SSB tabell 04317",
        "Matrikkelen",
        "DSB",
        "CC BY 4.0",
    ):
        assert source in text


def test_sources_file_is_shipped_with_the_data():
    sources = (MAPS / "SOURCES.md").read_text(encoding="utf-8")

    assert "Attribution" in sources
    assert "CC BY 4.0" in sources


def test_maps_dir_honours_the_environment(tmp_path, monkeypatch):
    for name in ("bydeler_4204.geojson", "bydeler_4204_land.geojson"):
        shutil.copy(MAPS / name, tmp_path / name)
    land = json.loads((tmp_path / "bydeler_4204_land.geojson").read_text(encoding="utf-8"))
    land["features"] = land["features"][:2]
    (tmp_path / "bydeler_4204_land.geojson").write_text(json.dumps(land), encoding="utf-8")

    monkeypatch.setenv("BEREDSKAP_MAPS_DIR", str(tmp_path))

    assert maps_dir() == tmp_path
    assert len(load_layer("bydeler")["features"]) == 2
    monkeypatch.delenv("BEREDSKAP_MAPS_DIR")
    assert len(load_layer("bydeler")["features"]) == 7
