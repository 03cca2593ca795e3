"""Tests for the pure zone analysis: population estimate, districts, resources, candidates and validation."""

import json
import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from beredskap.maps.layers import shipped_grouping
from beredskap.maps.seeddata import seed_resources
from beredskap.maps.spatial import (
    analyse_zone,
    analyse_zone_naive,
    circle_polygon,
    locate_point,
    normalise_zone,
)
from beredskap.maps.zone_input import ZoneError

MAPS = Path(__file__).resolve().parents[2] / "maps"
SSB_TOTAL = 119_090
KVADRATUREN = [7.995, 58.146]


def _features(filename):
    return json.loads((MAPS / filename).read_text(encoding="utf-8"))["features"]


def _municipality_zone():
    return _features("kristiansand_kommune_grunnkretsunion.geojson")[0]["geometry"]


def _grunnkrets(number):
    return next(f for f in _features("grunnkretser_4204.geojson") if f["properties"]["grunnkretsnummer"] == number)


def _resources():
    return [dict(r, id=n) for n, r in enumerate(seed_resources(), start=1)]


def _square(lon, lat, half=0.002):
    west, east, south, north = lon - half, lon + half, lat - half, lat + half
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_whole_municipality_estimates_the_ssb_total_within_one_percent():
    result = analyse_zone(_municipality_zone())

    assert abs(result["population_estimate"] - SSB_TOTAL) <= SSB_TOTAL * 0.01
    assert result["estimate"] is True
    assert "anslag" in result["note"]
    names = {d["name"] for d in result["districts"]}
    assert names == {"Lund", "Vågsbygd", "Oddernes", "Grim", "Søgne", "Kvadraturen", "Songdalen"}
    assert sum(d["population_inside"] for d in result["districts"]) == result["population_estimate"]


def test_whole_municipality_districts_match_the_published_bydel_totals():
    published = {f["properties"]["bydel"]: f["properties"]["folketall"] for f in _features("bydeler_4204.geojson")}

    result = analyse_zone(_municipality_zone())

    for district in result["districts"]:
        assert abs(district["population_inside"] - published[district["name"]]) <= 2


@pytest.mark.parametrize("number", ["42040803", "42041407", "42040101", "42040921"])
def test_zone_equal_to_a_grunnkrets_estimates_its_population(number):
    feature = _grunnkrets(number)
    expected = feature["properties"]["folketall"]

    result = analyse_zone(feature["geometry"])

    assert expected > 0
    assert abs(result["population_estimate"] - expected) <= max(1, expected * 0.05)
    assert result["districts"][0]["name"] == feature["properties"]["bydel"]


def test_small_circle_in_kvadraturen_is_in_kvadraturen():
    result = analyse_zone(center=KVADRATUREN, radius_m=300)

    assert [d["name"] for d in result["districts"]] == ["Kvadraturen"]
    assert result["population_estimate"] > 100
    assert result["districts"][0]["population_inside"] == result["population_estimate"]


def test_zone_in_the_sea_touches_a_district_with_nobody_inside():
    sea = _square(7.95, 58.06, half=0.001)

    result = analyse_zone(sea)

    assert result["population_estimate"] == 0
    assert [d["population_inside"] for d in result["districts"]] == [0]


def test_circle_is_round_on_the_ground():
    circle = circle_polygon(KVADRATUREN[0], KVADRATUREN[1], 1000)

    metric = gpd.GeoSeries([circle], crs=4326).to_crs(25832).iloc[0]

    assert metric.area == pytest.approx(math.pi * 1000**2, rel=0.005)
    centre = gpd.GeoSeries([shapely.Point(KVADRATUREN)], crs=4326).to_crs(25832).iloc[0]
    assert metric.exterior.distance(centre) == pytest.approx(1000, rel=0.002)


def test_resources_inside_and_candidates_outside_sorted_by_distance():
    resources = _resources()
    by_id = {r["id"]: r for r in resources}
    zone = normalise_zone(center=KVADRATUREN, radius_m=1200)
    polygon = shapely.geometry.shape(zone)

    result = analyse_zone(zone, resources=resources, max_candidates=None)

    assert result["resources_inside"]
    for item in result["resources_inside"]:
        resource = by_id[item["id"]]
        assert polygon.intersects(shapely.Point(resource["lon"], resource["lat"]))
        assert item["name"] == resource["name"] and item["kind"] == resource["kind"]
    candidates = result["eps_candidates"]
    assert len(candidates) > 10
    distances = [c["distance_m"] for c in candidates]
    assert distances == sorted(distances)
    inside_ids = {item["id"] for item in result["resources_inside"]}
    for candidate in candidates:
        resource = by_id[candidate["resource_id"]]
        assert candidate["resource_id"] not in inside_ids
        assert not polygon.intersects(shapely.Point(resource["lon"], resource["lat"]))
        assert resource["eps_suitable"] is True
        assert candidate["free_capacity"] == resource["capacity"] > 0


def test_candidate_distance_is_metres_to_the_zone_edge():
    zone = normalise_zone(center=KVADRATUREN, radius_m=500)
    resources = [
        {
            "id": "a",
            "name": "Hall",
            "kind": "idrett",
            "lon": 8.02572,
            "lat": 58.1514,
            "capacity": 300,
            "eps_suitable": True,
        },
    ]
    zone_m = gpd.GeoSeries([shapely.geometry.shape(zone)], crs=4326).to_crs(25832).iloc[0]
    point_m = gpd.GeoSeries([shapely.Point(8.02572, 58.1514)], crs=4326).to_crs(25832).iloc[0]

    result = analyse_zone(zone, resources=resources)

    assert result["eps_candidates"][0]["distance_m"] == pytest.approx(zone_m.distance(point_m), abs=1)


def test_full_or_unsuitable_resources_are_not_candidates():
    base = {"kind": "idrett", "lon": 8.02572, "lat": 58.1514, "eps_suitable": True}
    resources = [
        dict(base, id=1, name="Full", capacity=100, occupied=100),
        dict(base, id=2, name="Uegnet", capacity=100, eps_suitable=False),
        dict(base, id=3, name="Uten kapasitet", capacity=None),
        dict(base, id=4, name="Delvis", capacity=100, occupied=40),
        dict(base, id=5, name="Uten posisjon", capacity=100, lon=None),
    ]

    result = analyse_zone(center=KVADRATUREN, radius_m=300, resources=resources)

    assert [(c["resource_id"], c["free_capacity"]) for c in result["eps_candidates"]] == [(4, 60)]


def test_max_candidates_limits_the_list_to_the_nearest():
    resources = _resources()
    everything = analyse_zone(center=KVADRATUREN, radius_m=300, resources=resources, max_candidates=None)

    limited = analyse_zone(center=KVADRATUREN, radius_m=300, resources=resources, max_candidates=3)

    assert limited["eps_candidates"] == everything["eps_candidates"][:3]


@pytest.mark.parametrize(
    "zone",
    [
        _municipality_zone(),
        _grunnkrets("42040803")["geometry"],
        _square(8.0, 58.15, half=0.01),
        {
            "type": "MultiPolygon",
            "coordinates": [_square(8.0, 58.15)["coordinates"], _square(7.93, 58.12)["coordinates"]],
        },
    ],
)
def test_naive_and_fast_analyses_agree(zone):
    resources = _resources()

    fast = analyse_zone(zone, resources=resources)
    naive = analyse_zone_naive(zone, resources=resources)

    assert fast == naive
    assert fast["population_estimate"] > 0


def test_regrouped_delomrade_is_reported_under_its_new_bydel():
    shipped = {number: (name, bydel) for number, name, bydel in shipped_grouping()}
    assert len(shipped) == 24
    assert shipped["420408"] == ("Kvadraturen-Eg", "Kvadraturen")

    result = analyse_zone(center=KVADRATUREN, radius_m=300, district_of_delomrade={"420408": "Sentrum"})

    assert [d["name"] for d in result["districts"]] == ["Sentrum"]


def test_locate_point_names_bydel_delomrade_and_grunnkrets():
    located = locate_point(*KVADRATUREN)

    assert located["bydel"] == "Kvadraturen"
    assert located["delomrade"] == "420408"
    assert located["grunnkrets"].startswith("420408")
    assert locate_point(*KVADRATUREN, district_of_delomrade={"420408": "Sentrum"})["bydel"] == "Sentrum"


def test_locate_point_agrees_with_the_published_grunnkrets_of_every_facility():
    for feature in _features("tilfluktsrom_4204.geojson") + _features("bygg_beredskapsrelevante_4204.geojson"):
        lon, lat = feature["geometry"]["coordinates"]
        located = locate_point(lon, lat)
        assert located["grunnkrets"] == feature["properties"]["grunnkretsnummer"]
        assert located["bydel"] == feature["properties"]["bydel"]


def test_locate_point_snaps_to_nearest_within_two_km_only():
    extent = shapely.geometry.shape(_municipality_zone())
    west = min(extent.exterior.coords, key=lambda c: c[0])

    near = locate_point(west[0] - 0.01, west[1])
    far = locate_point(west[0] - 0.1, west[1])

    assert near["bydel"] is not None and near["grunnkrets"] is not None
    assert far == {key: None for key in far}


BAD_ZONES = [
    ({"type": "Point", "coordinates": KVADRATUREN}, "not_polygon"),
    ({"type": "LineString", "coordinates": [KVADRATUREN, [8.0, 58.15]]}, "not_polygon"),
    ("POLYGON ((0 0, 1 0, 1 1, 0 0))", "not_polygon"),
    ({"type": "Polygon"}, "bad_coordinates"),
    (
        {"type": "Polygon", "coordinates": [[[7.99, 58.14], [8.0, "x"], [8.0, 58.15], [7.99, 58.14]]]},
        "bad_coordinates",
    ),
    ({"type": "Polygon", "coordinates": [[[7.99, 58.14], [8.0, 58.14]]]}, "bad_coordinates"),
    ({"type": "Polygon", "coordinates": [[7.99, 58.14, 8.0, 58.15]]}, "bad_coordinates"),
    (
        {
            "type": "Polygon",
            "coordinates": [[[7.99, 58.14], [8.0, float("nan")], [8.0, 58.15], [7.99, 58.14]]],
        },
        "bad_coordinates",
    ),
    (
        {
            "type": "Polygon",
            "coordinates": [[[440000, 6445000], [441000, 6445000], [441000, 6446000], [440000, 6445000]]],
        },
        "out_of_range",
    ),
    (
        {
            "type": "Polygon",
            "coordinates": [[[7.99, 58.14], [8.01, 58.16], [8.01, 58.14], [7.99, 58.16], [7.99, 58.14]]],
        },
        "invalid_polygon",
    ),
    (
        {"type": "Polygon", "coordinates": [[[7.99, 58.14], [8.0, 58.14], [8.01, 58.14], [7.99, 58.14]]]},
        "invalid_polygon",
    ),
    (_square(10.75, 59.91), "outside_municipality"),
    (_square(58.146, 7.995), "swapped_coordinates"),
]


@pytest.mark.parametrize(("zone", "code"), BAD_ZONES)
def test_bad_zone_is_rejected_with_a_code_and_norwegian_message(zone, code):
    with pytest.raises(ZoneError) as caught:
        analyse_zone(zone)

    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("center", "radius", "code"),
    [
        (KVADRATUREN, 0, "bad_radius"),
        (KVADRATUREN, -50, "bad_radius"),
        (KVADRATUREN, 100_001, "bad_radius"),
        (KVADRATUREN, "300", "bad_radius"),
        (KVADRATUREN, None, "bad_radius"),
        (KVADRATUREN, float("inf"), "bad_radius"),
        ([7.995], 300, "bad_coordinates"),
        (["7.995", 58.146], 300, "bad_coordinates"),
        ([195.0, 58.146], 300, "out_of_range"),
        ([7.995, 95.0], 300, "out_of_range"),
        ([58.146, 7.995], 300, "swapped_coordinates"),
    ],
)
def test_bad_circle_is_rejected(center, radius, code):
    with pytest.raises(ZoneError) as caught:
        analyse_zone(center=center, radius_m=radius)

    assert caught.value.code == code


def test_swapped_coordinates_message_tells_the_user_what_to_do():
    with pytest.raises(ZoneError) as caught:
        analyse_zone(_square(58.146, 7.995))

    assert "bytt om lengde- og breddegrad?" in caught.value.message


def test_self_intersection_message_is_norwegian_and_locates_the_crossing():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[7.99, 58.14], [8.01, 58.16], [8.01, 58.14], [7.99, 58.16], [7.99, 58.14]]],
    }
    with pytest.raises(ZoneError) as caught:
        analyse_zone(bowtie)

    assert "krysser" in caught.value.message
    assert "8.00000, 58.15" in caught.value.message


def test_missing_or_ambiguous_zone_is_rejected():
    with pytest.raises(ZoneError) as missing:
        analyse_zone()
    with pytest.raises(ZoneError) as both:
        analyse_zone(_square(*KVADRATUREN), center=KVADRATUREN, radius_m=300)

    assert missing.value.code == "missing_zone"
    assert both.value.code == "ambiguous"


def test_open_ring_and_feature_wrapper_are_accepted():
    ring = _square(*KVADRATUREN)["coordinates"][0][:-1]
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}

    assert analyse_zone(feature) == analyse_zone(_square(*KVADRATUREN))


def test_normalise_zone_returns_a_valid_geojson_polygon():
    zone = normalise_zone(center=KVADRATUREN, radius_m=300)

    geometry = shapely.geometry.shape(zone)
    assert zone["type"] == "Polygon"
    assert geometry.is_valid
    assert geometry.contains(shapely.Point(KVADRATUREN))
