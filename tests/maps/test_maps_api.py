"""The maps API (CONTRACT §6): layers, zone analysis through HTTP, resources with versions, the grouping."""

import json
from pathlib import Path

import pytest
import shapely

from beredskap.extensions import db
from beredskap.maps.models import Resource
from beredskap.maps.resources import seed_demo
from beredskap.realtime.journal import events_since
from tests.conftest import Api, gen_user

MAPS = Path(__file__).resolve().parents[2] / "maps"
SSB_TOTAL = 119_090
KVADRATUREN = [7.995, 58.146]
FLEKKEROY = [7.99, 58.07]
SHIPPED_COUNTS = {"kommune": 1, "bydeler": 7, "delomrader": 24, "grunnkretser": 224, "tilfluktsrom": 35}


def _features(filename):
    return json.loads((MAPS / filename).read_text(encoding="utf-8"))["features"]


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_demo()
    return app


def _api(app, role):
    return Api(app.test_client(), gen_user(app, role)[3])


def _zone(api, body):
    return api.post("/api/v1/maps/zone-analysis", json=body)


# --- layers ---


def test_layers_list_and_serve_the_shipped_counts(app, api_for):
    api = api_for("viewer")

    listing = api.get("/api/v1/maps/layers")

    assert listing.status_code == 200
    counts = {layer["name"]: layer["feature_count"] for layer in listing.json}
    assert counts == SHIPPED_COUNTS
    assert all(layer["title"] for layer in listing.json)
    for name, count in SHIPPED_COUNTS.items():
        response = api.get(f"/api/v1/maps/layers/{name}")
        assert response.status_code == 200, name
        collection = response.get_json(force=True)
        assert collection["type"] == "FeatureCollection"
        assert len(collection["features"]) == count


def test_layer_is_revalidated_by_etag(app, api_for):
    api = api_for("viewer")

    first = api.get("/api/v1/maps/layers/bydeler")
    again = api.client.get(
        "/api/v1/maps/layers/bydeler",
        headers={"Authorization": f"Bearer {api.token}", "If-None-Match": first.headers["ETag"]},
    )

    assert first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    assert again.status_code == 304
    assert again.data == b""


def test_unknown_layer_is_404_and_anonymous_is_401(app, api_for):
    assert api_for("viewer").get("/api/v1/maps/layers/finnes-ikke").status_code == 404
    assert api_for("viewer").get("/api/v1/maps/layers/finnes-ikke").json["error"]["code"] == "not_found"
    assert app.test_client().get("/api/v1/maps/layers").status_code == 401


# --- zone analysis through the API ---


def test_whole_municipality_through_the_api_is_within_one_percent(app, api_for):
    zone = _features("kristiansand_kommune_grunnkretsunion.geojson")[0]["geometry"]

    response = _zone(api_for("viewer"), {"zone": zone})

    assert response.status_code == 200
    result = response.json
    assert abs(result["population_estimate"] - SSB_TOTAL) <= SSB_TOTAL * 0.01
    assert {d["name"] for d in result["districts"]} == {
        "Lund",
        "Vågsbygd",
        "Oddernes",
        "Grim",
        "Søgne",
        "Kvadraturen",
        "Songdalen",
    }
    assert set(result) >= {"population_estimate", "districts", "resources_inside", "eps_candidates"}


def test_one_grunnkrets_through_the_api_is_within_five_percent(app, api_for):
    feature = next(
        f for f in _features("grunnkretser_4204.geojson") if f["properties"]["grunnkretsnummer"] == "42040803"
    )
    expected = feature["properties"]["folketall"]

    response = _zone(api_for("viewer"), {"zone": feature["geometry"]})

    assert response.status_code == 200
    assert abs(response.json["population_estimate"] - expected) <= expected * 0.05


def test_small_circle_in_kvadraturen_names_kvadraturen(app, api_for):
    response = _zone(api_for("police"), {"center": KVADRATUREN, "radius_m": 300})

    assert response.status_code == 200
    assert [d["name"] for d in response.json["districts"]] == ["Kvadraturen"]
    assert response.json["population_estimate"] > 100
    assert response.json["estimate"] is True


def test_candidates_lie_outside_the_zone_nearest_first(seeded, api_for):
    response = _zone(api_for("crisis_staff"), {"center": KVADRATUREN, "radius_m": 1000, "max_candidates": 50})

    assert response.status_code == 200
    result = response.json
    circle = shapely.geometry.shape(services_zone(seeded, KVADRATUREN, 1000))
    candidates = result["eps_candidates"]
    assert len(candidates) >= 10
    distances = [c["distance_m"] for c in candidates]
    assert distances == sorted(distances)
    inside = {r["id"] for r in result["resources_inside"]}
    assert inside
    with seeded.app_context():
        for candidate in candidates:
            resource = db.session.get(Resource, candidate["resource_id"])
            assert candidate["resource_id"] not in inside
            assert not circle.intersects(shapely.Point(resource.lon, resource.lat))
            assert resource.eps_suitable and candidate["free_capacity"] == resource.capacity > 0
            assert candidate["name"] == resource.name
        for item in result["resources_inside"][:50]:
            resource = db.session.get(Resource, item["id"])
            assert circle.intersects(shapely.Point(resource.lon, resource.lat))


def services_zone(app, center, radius):
    from beredskap.maps.spatial import normalise_zone

    return normalise_zone(center=center, radius_m=radius)


BOWTIE = {"type": "Polygon", "coordinates": [[[7.99, 58.14], [8.0, 58.15], [8.0, 58.14], [7.99, 58.15], [7.99, 58.14]]]}


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        ({"zone": {"type": "Polygon", "coordinates": "ikke koordinater"}}, 400, "bad_coordinates", "koordinater"),
        (
            {"zone": {"type": "Polygon", "coordinates": [[[7.99, 58.14], ["a", 58.15]]]}},
            400,
            "bad_coordinates",
            "lengdegrad",
        ),
        ({"zone": {"type": "Point", "coordinates": [7.99, 58.14]}}, 400, "not_polygon", "Polygon"),
        ({"zone": "POLYGON((7 58, 8 58, 8 59, 7 58))"}, 400, "not_polygon", "GeoJSON"),
        ({}, 400, "missing_zone", "Sonen mangler"),
        ({"zone": BOWTIE}, 422, "invalid_polygon", "gyldig polygon"),
        ({"center": KVADRATUREN, "radius_m": -50}, 422, "bad_radius", "større enn 0"),
        ({"center": KVADRATUREN, "radius_m": "stor"}, 422, "bad_radius", "tall"),
        ({"center": [58.146, 7.995], "radius_m": 300}, 422, "swapped_coordinates", "bytt om"),
        ({"center": [7.995, 158.146], "radius_m": 300}, 422, "out_of_range", "utenfor gyldig område"),
        ({"center": [10.75, 59.91], "radius_m": 300}, 422, "outside_municipality", "Kristiansand"),
    ],
)
def test_bad_zones_get_a_message(app, api_for, body, status, code, words):
    response = _zone(api_for("viewer"), body)

    assert response.status_code == status
    error = response.json["error"]
    assert error["code"] == code
    assert words in error["message"]


def test_broken_json_is_400_not_500(app, api_for):
    api = api_for("viewer")
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}

    for raw in ('{"center": [7.99, 58.14], "radius_m": ', "[]", "null", "\xff"):
        response = api.client.post("/api/v1/maps/zone-analysis", data=raw, headers=headers)
        assert response.status_code == 400, raw
        assert response.json["error"]["message"]


def test_zone_analysis_needs_login(app):
    response = app.test_client().post("/api/v1/maps/zone-analysis", json={"center": KVADRATUREN, "radius_m": 100})
    assert response.status_code == 401


# --- resources ---


def test_resources_feature_collection_filters_by_kind_and_bydel(seeded, api_for):
    api = api_for("viewer")

    everything = api.get("/api/v1/resources").json
    halls_in_lund = api.get("/api/v1/resources?kind=idrett&bydel=Lund").json

    assert everything["type"] == "FeatureCollection"
    assert len(everything["features"]) > 900
    assert 0 < len(halls_in_lund["features"]) < len(everything["features"])
    for feature in halls_in_lund["features"]:
        props = feature["properties"]
        assert {"id", "name", "kind", "capacity", "bydel", "version"} <= set(props)
        assert props["kind"] == "idrett" and props["bydel"] == "Lund"
        assert feature["geometry"]["type"] == "Point"


def _hall(**extra):
    return {
        "name": "Kvadraturen flerbrukshall",
        "kind": "idrett",
        "capacity": 250,
        "contact": "Vaktmester 38 00 00 00",
        "eps_suitable": True,
        "location": {"type": "Point", "coordinates": KVADRATUREN},
        **extra,
    }


@pytest.fixture
def any_maps_app(any_app):
    return any_app


def test_create_and_patch_resource_with_version(any_maps_app):
    app = any_maps_app
    api = _api(app, "coordinator")

    created = api.post("/api/v1/resources", json=_hall())

    assert created.status_code == 201, created.json
    resource = created.json
    assert resource["bydel"] == "Kvadraturen"
    assert resource["delomrade"] == "420408"
    assert resource["version"] == 1
    moved = api.patch(
        f"/api/v1/resources/{resource['id']}",
        json={"version": 1, "capacity": 300, "location": {"type": "Point", "coordinates": FLEKKEROY}},
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["capacity"] == 300
    assert moved.json["bydel"] == "Vågsbygd" and moved.json["delomrade"] == "420401"
    assert moved.json["version"] == 2

    stale = api.patch(f"/api/v1/resources/{resource['id']}", json={"version": 1, "capacity": 1})
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "version_conflict"
    missing = api.patch(f"/api/v1/resources/{resource['id']}", json={"capacity": 1})
    assert missing.status_code == 422
    assert api.patch("/api/v1/resources/999999", json={"version": 1}).status_code == 404
    with app.app_context():
        assert db.session.get(Resource, resource["id"]).capacity == 300


def test_resource_events_on_global_carry_no_contact(any_maps_app):
    app = any_maps_app
    api = _api(app, "coordinator")
    created = api.post("/api/v1/resources", json=_hall()).json
    api.patch(f"/api/v1/resources/{created['id']}", json={"version": 1, "name": "Hallen"})

    with app.app_context():
        events = [e for e in events_since("global") if e.type.startswith("resource.")]
    assert [e.type for e in events] == ["resource.created", "resource.updated"]
    assert events[1].data["name"] == "Hallen" and events[1].data["version"] == 2
    for event in events:
        assert "contact" not in event.data and "notes" not in event.data
        assert "38 00" not in json.dumps(event.data)


def test_viewer_and_police_cannot_write_resources(seeded):
    coordinator = _api(seeded, "coordinator")
    resource_id = coordinator.get("/api/v1/resources?kind=idrett").json["features"][0]["id"]

    for role in ("viewer", "police", "observer"):
        api = _api(seeded, role)
        assert api.patch(f"/api/v1/resources/{resource_id}", json={"version": 1, "name": "X"}).status_code == 403
        assert api.post("/api/v1/resources", json=_hall()).status_code == 403
        assert api.get(f"/api/v1/resources/{resource_id}").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "slott"}, "kind"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": "mange"}, "capacity"),
        ({"eps_suitable": "ja"}, "eps_suitable"),
        ({"location": {"type": "Point", "coordinates": [7.99]}}, "location"),
        ({"location": {"type": "Point", "coordinates": [58.146, 7.995]}}, "location"),
        ({"location": {"type": "Point", "coordinates": [200, 58]}}, "location"),
    ],
)
def test_invalid_resource_fields_are_422(app, api_for, change, field):
    response = api_for("coordinator").post("/api/v1/resources", json=_hall(**change))

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert response.json["error"]["message"]


def test_swapped_resource_location_is_explained(app, api_for):
    response = api_for("coordinator").post(
        "/api/v1/resources", json=_hall(location={"type": "Point", "coordinates": [58.146, 7.995]})
    )

    assert "bytt om" in response.json["error"]["message"]


# --- districts ---


def _district(api, number):
    return next(d for d in api.get("/api/v1/maps/districts").json["delomrader"] if d["number"] == number)


def test_regrouping_a_delomrade_changes_the_bydeler_layer_and_the_analysis(seeded):
    coordinator = _api(seeded, "coordinator")
    viewer = _api(seeded, "viewer")
    before = viewer.get("/api/v1/maps/layers/bydeler")
    flekkeroy = _district(viewer, "420401")
    assert flekkeroy["bydel"] == "Vågsbygd"
    circle = {"center": FLEKKEROY, "radius_m": 400}
    assert [d["name"] for d in _zone(viewer, circle).json["districts"]] == ["Vågsbygd"]

    response = coordinator.patch(
        "/api/v1/maps/districts",
        json={"delomrader": [{"number": "420401", "bydel": "Kvadraturen", "version": flekkeroy["version"]}]},
    )

    assert response.status_code == 200, response.json
    after = viewer.client.get(
        "/api/v1/maps/layers/bydeler",
        headers={"Authorization": f"Bearer {viewer.token}", "If-None-Match": before.headers["ETag"]},
    )
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    bydeler = {f["properties"]["bydel"]: f for f in after.get_json(force=True)["features"]}
    assert len(bydeler) == 7
    assert bydeler["Kvadraturen"]["properties"]["folketall"] == 9261 + 3777
    assert bydeler["Vågsbygd"]["properties"]["folketall"] == 24286 - 3777
    flekkeroy_point = shapely.Point(FLEKKEROY)
    assert shapely.geometry.shape(bydeler["Kvadraturen"]["geometry"]).buffer(0.002).intersects(flekkeroy_point)
    assert not shapely.geometry.shape(bydeler["Vågsbygd"]["geometry"]).contains(flekkeroy_point)
    assert [d["name"] for d in _zone(viewer, circle).json["districts"]] == ["Kvadraturen"]
    delomrader = viewer.get("/api/v1/maps/layers/delomrader").get_json(force=True)["features"]
    assert next(f for f in delomrader if f["properties"]["delomradenummer"] == "420401")["properties"]["bydel"] == (
        "Kvadraturen"
    )
    in_flekkeroy = [
        f for f in viewer.get("/api/v1/resources").json["features"] if f["properties"]["delomrade"] == "420401"
    ]
    assert in_flekkeroy and all(f["properties"]["bydel"] == "Kvadraturen" for f in in_flekkeroy)
    with seeded.app_context():
        assert [e.type for e in events_since("global")][-1] == "districts.updated"


def test_renaming_and_a_new_bydel(seeded):
    coordinator = _api(seeded, "coordinator")
    version = _district(coordinator, "420422")["version"]

    response = coordinator.patch(
        "/api/v1/maps/districts",
        json={"delomrader": [{"number": "420422", "name": "Nodeland", "bydel": "Nodeland", "version": version}]},
    )

    assert response.status_code == 200, response.json
    listing = coordinator.get("/api/v1/maps/layers").json
    assert next(layer for layer in listing if layer["name"] == "bydeler")["feature_count"] == 8
    renamed_row = _district(coordinator, "420422")
    assert (renamed_row["name"], renamed_row["bydel"], renamed_row["version"]) == ("Nodeland", "Nodeland", version + 1)
    grunnkretser = coordinator.get("/api/v1/maps/layers/grunnkretser").get_json(force=True)["features"]
    renamed = [f for f in grunnkretser if f["properties"]["delomradenummer"] == "420422"]
    assert renamed and all(f["properties"]["delomradenavn"] == "Nodeland" for f in renamed)


def test_stale_or_forbidden_district_change(seeded):
    coordinator = _api(seeded, "coordinator")
    version = _district(coordinator, "420409")["version"]
    ok = coordinator.patch(
        "/api/v1/maps/districts",
        json={"delomrader": [{"number": "420409", "name": "Lund sentrum", "version": version}]},
    )
    assert ok.status_code == 200

    stale = coordinator.patch(
        "/api/v1/maps/districts", json={"delomrader": [{"number": "420409", "name": "Lund", "version": version}]}
    )
    assert stale.status_code == 409
    assert _district(coordinator, "420409")["name"] == "Lund sentrum"
    viewer = _api(seeded, "viewer")
    forbidden = viewer.patch(
        "/api/v1/maps/districts", json={"delomrader": [{"number": "420409", "name": "X", "version": version + 1}]}
    )
    assert forbidden.status_code == 403
    bad = coordinator.patch("/api/v1/maps/districts", json={"delomrader": [{"number": "420409", "bydel": " "}]})
    assert bad.status_code == 422
    unknown = coordinator.patch(
        "/api/v1/maps/districts", json={"delomrader": [{"number": "999999", "version": 1, "name": "X"}]}
    )
    assert unknown.status_code == 404


def test_every_maps_api_route_carries_a_permission(app):
    from beredskap.api import REQUIRED_ATTR

    routes = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("maps_api.")]
    assert len(routes) >= 9
    for rule in routes:
        assert getattr(app.view_functions[rule.endpoint], REQUIRED_ATTR, None) is not None, rule.rule


def test_contact_is_shown_to_operational_roles_only(app):
    coordinator = _api(app, "coordinator")
    created = coordinator.post("/api/v1/resources", json=_hall()).json
    assert created["contact"] == "Vaktmester 38 00 00 00"

    for role, sees in (("police", True), ("crisis_staff", True), ("viewer", False), ("observer", False)):
        api = _api(app, role)
        one = api.get(f"/api/v1/resources/{created['id']}").json
        listed = api.get("/api/v1/resources").json["features"][0]["properties"]
        assert ("contact" in one) is sees, role
        assert ("contact" in listed) is sees, role
        assert one["name"] == created["name"]
