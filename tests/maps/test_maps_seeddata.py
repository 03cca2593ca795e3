"""Tests for the default resources seeded from shelters and emergency-relevant buildings."""

import json
from collections import Counter
from pathlib import Path

import pytest

from beredskap.maps.seeddata import format_address, place_name, seed_resources

MAPS = Path(__file__).resolve().parents[2] / "maps"
BYDELER = {"Lund", "Vågsbygd", "Oddernes", "Grim", "Søgne", "Kvadraturen", "Songdalen"}
KINDS = set(
    "tilfluktsrom skole idrett kultur religios barnehage sykehjem primaerhelse sykehus beredskap hoyskole "
    "overnatting".split()
)


def test_every_resource_has_name_kind_place_and_unique_reference():
    resources = seed_resources()

    assert len({r["source_ref"] for r in resources}) == len(resources)
    assert len({r["name"] for r in resources}) == len(resources)
    for resource in resources:
        assert resource["name"].strip()
        assert resource["kind"] in KINDS
        assert resource["bydel"] in BYDELER
        assert resource["delomrade"].startswith("4204")
        assert 7.0 < resource["lon"] < 8.5 and 57.9 < resource["lat"] < 58.4


def test_all_shelters_are_seeded_with_their_places():
    shelters = [r for r in seed_resources() if r["kind"] == "tilfluktsrom"]

    assert len(shelters) == 35
    assert sum(r["capacity"] for r in shelters) == 7281
    first = next(r for r in shelters if r["source_ref"] == "tilfluktsrom:1688")
    assert first["name"] == "Tilfluktsrom 1688, Baneheiveien"
    assert not any(r["eps_suitable"] for r in shelters)


def test_buildings_get_honest_default_names_and_capacities():
    buildings = [r for r in seed_resources() if r["source_ref"].startswith("bygg:")]
    names = [r["name"] for r in buildings]

    assert "Idrettshall, Lund" in names
    assert "Idrettshall, Lund (2)" in names
    assert any(name.startswith("Politistasjon, Kvadraturen-Eg") for name in names)
    for resource in buildings:
        if resource["eps_suitable"]:
            assert resource["kind"] in {"idrett", "skole", "kultur", "overnatting", "hoyskole"}
            assert resource["capacity"] > 0
        else:
            assert resource["capacity"] is None


def test_only_buildings_in_use_are_seeded_unless_asked():
    source = json.loads((MAPS / "bygg_beredskapsrelevante_4204.geojson").read_text(encoding="utf-8"))["features"]
    in_use = sum(1 for f in source if f["properties"]["i_bruk"])

    default = [r for r in seed_resources() if r["source_ref"].startswith("bygg:")]
    everything = [r for r in seed_resources(include_not_in_use=True) if r["source_ref"].startswith("bygg:")]

    assert len(default) == in_use
    assert len(everything) == len(source) == 953
    assert Counter(r["kind"] for r in everything)["idrett"] == 139


def test_seeding_is_deterministic():
    assert seed_resources() == seed_resources()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("INDUSTRIGATA  6", "Industrigata 6"),
        ("ØSTRE RINGVEI 8", "Østre ringvei 8"),
        ("GROSTØLVEIEN 4 E", "Grostølveien 4 E"),
        ("KRISTIAN 4. DES GATE 35-37", "Kristian 4. des gate 35-37"),
        ("", ""),
    ],
)
def test_register_addresses_are_written_as_people_write_them(raw, expected):
    assert format_address(raw) == expected


def test_place_name_drops_the_parenthesised_detail():
    assert place_name("Søgne vest (Lunde-Vedderheia-Eik)", "Søgne") == "Søgne vest"
    assert place_name(None, "Lund") == "Lund"
