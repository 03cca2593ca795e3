"""Incident location and the zones of an incident (CONTRACT §11) on SQLite and PostgreSQL."""

import pytest

from beredskap.extensions import db
from beredskap.maps.models import ImportedLayer, IncidentZone, IncidentZoneChange
from beredskap.maps.resources import seed_demo
from beredskap.realtime.journal import events_since
from tests.conftest import Api, gen_user

MARKENS_GATE = [7.994309, 58.145153]
OUTSIDE_KOMMUNE = [7.3, 58.0]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[7.99, 58.143], [8.0, 58.143], [8.0, 58.148], [7.99, 58.148], [7.99, 58.143]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[7.99, 58.143], [8.0, 58.148], [8.0, 58.143], [7.99, 58.148], [7.99, 58.143]]],
}
LINE_LIKE = {"type": "Polygon", "coordinates": [[[7.99, 58.143], [7.995, 58.145], [8.0, 58.147], [7.99, 58.143]]]}


def _point(lon_lat):
    return {"type": "Point", "coordinates": lon_lat}


@pytest.fixture
def seeded_any(any_app):
    with any_app.app_context():
        seed_demo()
    return any_app


def _coordinator(app):
    return Api(app.test_client(), gen_user(app, "coordinator")[3])


def _incident(api, location=MARKENS_GATE):
    response = api.post("/api/v1/incidents", json={"title": "Brann i Markens", "location": _point(location)})
    assert response.status_code == 201, response.json
    return response.json


def _events(app, channel, prefix):
    with app.app_context():
        return [e for e in events_since(channel) if e.type.startswith(prefix)]


# --- the incident's location ---


def test_location_is_changed_with_the_version_and_the_event_carries_it(any_app):
    api = _coordinator(any_app)
    incident = _incident(api)

    moved = api.patch(
        f"/api/v1/incidents/{incident['id']}", json={"location": _point([8.0, 58.15]), "version": incident["version"]}
    )
    stale = api.patch(
        f"/api/v1/incidents/{incident['id']}", json={"location": _point([8.1, 58.16]), "version": incident["version"]}
    )

    assert moved.status_code == 200
    assert moved.json["location"]["coordinates"] == [8.0, 58.15]
    assert "warnings" not in moved.json
    assert stale.status_code == 409
    assert api.get(f"/api/v1/incidents/{incident['id']}").json["location"]["coordinates"] == [8.0, 58.15]
    updated = _events(any_app, f"incident:{incident['id']}", "incident.updated")
    assert [e.data["location"]["coordinates"] for e in updated] == [[8.0, 58.15]]


def test_location_outside_the_kommune_is_saved_with_a_warning(app):
    api = _coordinator(app)
    incident = _incident(api)

    moved = api.patch(
        f"/api/v1/incidents/{incident['id']}",
        json={"location": _point(OUTSIDE_KOMMUNE), "version": incident["version"]},
    )

    assert moved.status_code == 200
    assert moved.json["location"]["coordinates"] == OUTSIDE_KOMMUNE
    assert [w["code"] for w in moved.json["warnings"]] == ["outside_kommune"]


# --- zones ---


def test_polygon_zone_is_saved_with_its_analysis_and_announced(seeded_any):
    api = _coordinator(seeded_any)
    incident = _incident(api)

    response = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "sperresone", "label": "Sperret", "geometry": SQUARE}
    )

    assert response.status_code == 201, response.json
    zone = response.json
    assert (zone["kind"], zone["label"], zone["version"]) == ("sperresone", "Sperret", 1)
    assert zone["geometry"]["type"] == "Polygon"
    assert zone["analysis"]["population_estimate"] > 0
    assert any(d["name"] == "Kvadraturen" for d in zone["analysis"]["districts"])
    candidate = zone["analysis"]["eps_candidates"][0]
    assert candidate["free_capacity"] > 0
    assert candidate["open_eps"]["resource_id"] == candidate["resource_id"]
    listed = api.get(f"/api/v1/incidents/{incident['id']}/zones").json["zones"]
    assert [z["id"] for z in listed] == [zone["id"]]
    for channel in (f"incident:{incident['id']}", "global"):
        events = _events(seeded_any, channel, "zone.")
        assert [e.type for e in events] == ["zone.added"]
        assert events[0].data == {
            "id": zone["id"],
            "incident_id": incident["id"],
            "kind": "sperresone",
            "label": "Sperret",
            "geometry": zone["geometry"],
            "version": 1,
        }


def test_circle_and_preset_radius_zones(any_app):
    api = _coordinator(any_app)
    incident = _incident(api)
    url = f"/api/v1/incidents/{incident['id']}/zones"

    circle = api.post(url, json={"kind": "faresone", "center": [8.0, 58.15], "radius_m": 200})
    preset = api.post(url, json={"kind": "evakueringssone", "radius_m": 500})

    assert circle.status_code == 201, circle.json
    assert circle.json["label"] == "Faresone"
    assert circle.json["source"]["radius_m"] == 200
    assert preset.status_code == 201, preset.json
    assert preset.json["source"] == {"center": MARKENS_GATE, "radius_m": 500, "shape": "preset"}
    west, south = (
        min(p[0] for p in preset.json["geometry"]["coordinates"][0]),
        min(p[1] for p in preset.json["geometry"]["coordinates"][0]),
    )
    assert west < MARKENS_GATE[0] and south < MARKENS_GATE[1]


def test_edit_with_version_keeps_history_and_stale_is_409(any_app):
    api = _coordinator(any_app)
    incident = _incident(api)
    zone = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "faresone", "label": "Røyk", "geometry": SQUARE}
    ).json

    edited = api.patch(
        f"/api/v1/zones/{zone['id']}",
        json={"label": "Røyk og gass", "center": [8.0, 58.15], "radius_m": 300, "version": 1},
    )
    stale = api.patch(f"/api/v1/zones/{zone['id']}", json={"label": "For sent", "version": 1})
    not_a_version = api.delete(f"/api/v1/zones/{zone['id']}?version=to")
    assert not_a_version.status_code == 422 and list(not_a_version.json["error"]["fields"]) == ["version"]
    removed_stale = api.delete(f"/api/v1/zones/{zone['id']}?version=1")
    removed = api.delete(f"/api/v1/zones/{zone['id']}?version=2")

    assert edited.status_code == 200, edited.json
    assert (edited.json["label"], edited.json["version"]) == ("Røyk og gass", 2)
    assert edited.json["geometry"] != zone["geometry"]
    assert stale.status_code == 409
    assert removed_stale.status_code == 409
    assert removed.status_code == 200
    assert api.get(f"/api/v1/incidents/{incident['id']}/zones").json["zones"] == []
    assert api.get(f"/api/v1/zones/{zone['id']}").status_code == 404
    with any_app.app_context():
        history = db.session.query(IncidentZoneChange).filter_by(zone_id=zone["id"]).order_by(IncidentZoneChange.id)
        assert [(h.action, h.version, h.label) for h in history] == [
            ("added", 1, "Røyk"),
            ("updated", 2, "Røyk og gass"),
            ("removed", 3, "Røyk og gass"),
        ]
    events = _events(any_app, f"incident:{incident['id']}", "zone.")
    assert [e.type for e in events] == ["zone.added", "zone.updated", "zone.removed"]


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({"kind": "sperresone", "geometry": BOWTIE}, "invalid_polygon", "krysser"),
        ({"kind": "sperresone", "geometry": LINE_LIKE}, "degenerate", "areal"),
        ({"kind": "sperresone", "geometry": {"type": "Polygon", "coordinates": [[[8, 58]]]}}, "bad_coordinates", "tre"),
        ({"kind": "sperresone", "center": [8.0, 58.15], "radius_m": -5}, "bad_radius", "større enn 0"),
        ({"kind": "sperresone", "geometry": {"type": "Point", "coordinates": [8, 58]}}, "not_polygon", "Polygon"),
        ({"kind": "brannsone", "geometry": SQUARE}, "invalid", "faresone"),
        ({"kind": "sperresone", "geometry": SQUARE, "center": [8, 58.1]}, "ambiguous", "bare én"),
        ({"kind": "sperresone", "center": [5.0, 60.0], "radius_m": 100}, "outside_municipality", "berører ikke"),
        ({"kind": "sperresone", "layer": "finnes-ikke", "feature": 0}, "unknown_layer", "Ukjent"),
    ],
)
def test_bad_zones_get_422_naming_the_problem_and_change_nothing(any_app, body, code, words):
    api = _coordinator(any_app)
    incident = _incident(api)

    response = api.post(f"/api/v1/incidents/{incident['id']}/zones", json=body)

    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == code
    assert words in response.json["error"]["message"]
    with any_app.app_context():
        assert db.session.query(IncidentZone).count() == 0
        assert db.session.query(IncidentZoneChange).count() == 0
    assert _events(any_app, f"incident:{incident['id']}", "zone.") == []


def test_preset_radius_needs_a_located_incident_and_closed_incident_refuses(app):
    api = _coordinator(app)
    bare = api.post("/api/v1/incidents", json={"title": "Uten sted"}).json

    response = api.post(f"/api/v1/incidents/{bare['id']}/zones", json={"kind": "faresone", "radius_m": 300})
    closed = api.patch(f"/api/v1/incidents/{bare['id']}", json={"status": "closed", "version": bare["version"]})
    after_close = api.post(
        f"/api/v1/incidents/{bare['id']}/zones", json={"kind": "faresone", "center": [8.0, 58.15], "radius_m": 300}
    )

    assert response.status_code == 422
    assert response.json["error"]["code"] == "no_location"
    assert closed.status_code == 200
    assert after_close.status_code == 409


def test_imported_layer_polygon_is_usable_as_a_zone(any_app):
    api = _coordinator(any_app)
    incident = _incident(api)
    with any_app.app_context():
        db.session.add(
            ImportedLayer(
                name="flomsone",
                title="Flomsone",
                data={
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}],
                },
                feature_count=1,
            )
        )
        db.session.commit()

    response = api.post(
        f"/api/v1/incidents/{incident['id']}/zones",
        json={"kind": "evakueringssone", "label": "Flom", "layer": "flomsone", "feature": 0},
    )
    bad_feature = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "faresone", "layer": "flomsone", "feature": 3}
    )

    assert response.status_code == 201, response.json
    assert response.json["source"] == {"layer": "flomsone", "feature": 0}
    assert response.json["geometry"]["type"] == "Polygon"
    assert bad_feature.status_code == 422
    assert bad_feature.json["error"]["code"] == "unknown_feature"


def test_analysis_is_recomputed_when_eps_occupancy_or_resources_change(seeded_any):
    api = _coordinator(seeded_any)
    incident = _incident(api)
    zone = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "evakueringssone", "geometry": SQUARE}
    ).json
    first = zone["analysis"]["eps_candidates"][0]

    # «Åpne EPS her»: the candidate's pre-filled body opens an EPS on that venue.
    opened = api.post(f"/api/v1/incidents/{incident['id']}/eps", json=first["open_eps"])
    assert opened.status_code == 201, opened.json
    assert opened.json["resource_id"] == first["resource_id"]
    inside = api.post(
        "/api/v1/resources",
        json={"name": "Ny hall i sonen", "kind": "idrett", "location": _point([7.995, 58.1455])},
    )
    assert inside.status_code == 201

    listed = api.get(f"/api/v1/incidents/{incident['id']}/zones").json["zones"][0]

    assert listed["version"] == zone["version"]  # a fresher analysis is not an edit
    assert listed["analysed_at"] >= zone["analysed_at"]
    assert "Ny hall i sonen" in [r["name"] for r in listed["analysis"]["resources_inside"]]
    assert "Ny hall i sonen" not in [r["name"] for r in zone["analysis"]["resources_inside"]]
    on_demand = api.post(f"/api/v1/zones/{zone['id']}/analysis")
    assert on_demand.status_code == 200
    assert on_demand.json["analysis"] == listed["analysis"]


def test_police_read_zones_and_a_viewer_cannot_draw_them(app):
    api = _coordinator(app)
    incident = _incident(api)
    api.post(f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "sperresone", "geometry": SQUARE})
    police = Api(app.test_client(), gen_user(app, "police")[3])

    assert len(police.get(f"/api/v1/incidents/{incident['id']}/zones").json["zones"]) == 1
    viewer = Api(app.test_client(), gen_user(app, "viewer")[3])
    refused = viewer.post(f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "sperresone", "geometry": SQUARE})
    assert refused.status_code == 403
