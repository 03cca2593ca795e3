"""Open EPS on the map: occupancy (counts only) lowers a venue's free capacity in the zone analysis."""

import pytest

from beredskap.maps.resources import resources_for_analysis, seed_demo
from tests.conftest import Api, gen_user

KVADRATUREN = [7.995, 58.146]


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_demo()
    return app


def test_open_eps_occupancy_reaches_map_and_analysis(seeded):
    coordinator = Api(seeded.test_client(), gen_user(seeded, "coordinator")[3])
    viewer = Api(seeded.test_client(), gen_user(seeded, "viewer")[3])
    circle = {"center": KVADRATUREN, "radius_m": 300}
    nearest = coordinator.post("/api/v1/maps/zone-analysis", json=circle).json["eps_candidates"][0]
    incident = coordinator.post("/api/v1/incidents", json={"title": "Brann i sentrum"}).json

    eps = coordinator.post(
        f"/api/v1/incidents/{incident['id']}/eps",
        json={"name": "EPS kino", "resource_id": nearest["resource_id"], "capacity": 80},
    )
    assert eps.status_code == 201, eps.json
    for name in ("Kari Nordmann", "Ola Nordmann", "Per Hansen"):
        registered = coordinator.post(f"/api/v1/eps/{eps.json['id']}/evacuees", json={"full_name": name})
        assert registered.status_code == 201, registered.json

    overlay = viewer.get("/api/v1/maps/eps").json
    assert [f["properties"]["present"] for f in overlay["features"]] == [3]
    props = overlay["features"][0]["properties"]
    assert props["resource_id"] == nearest["resource_id"] and props["capacity"] == 80
    assert "Nordmann" not in str(overlay)
    assert overlay["features"][0]["geometry"]["type"] == "Point"
    kind = viewer.get(f"/api/v1/resources/{nearest['resource_id']}").json["kind"]
    venues = viewer.get(f"/api/v1/resources?kind={kind}").json["features"]
    occupied = {f["id"]: f["properties"].get("occupied") for f in venues}
    assert occupied[nearest["resource_id"]] == 3
    again = viewer.post("/api/v1/maps/zone-analysis", json=circle).json["eps_candidates"]
    same = next(c for c in again if c["resource_id"] == nearest["resource_id"])
    assert same["free_capacity"] == nearest["free_capacity"] - 3
    with seeded.app_context():
        analysis = {r["id"]: r for r in resources_for_analysis()}
    assert analysis[nearest["resource_id"]]["occupied"] == 3


def test_eps_overlay_needs_eps_read(seeded):
    assert seeded.test_client().get("/api/v1/maps/eps").status_code == 401
    viewer = Api(seeded.test_client(), gen_user(seeded, "viewer")[3])
    assert viewer.get("/api/v1/maps/eps").json == {"type": "FeatureCollection", "features": []}
