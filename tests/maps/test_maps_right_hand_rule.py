"""RFC 7946 §3.1.6: every polygon the app serves follows the right-hand rule (exteriors counterclockwise,
holes clockwise). Checked with a plain shoelace sum, not the library that does the winding."""

import geopandas as gpd
import shapely

from beredskap.extensions import db
from beredskap.maps.catalogue import import_layer
from beredskap.maps.spatial import normalise_zone
from tests.conftest import Api, gen_user


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _wrongly_wound(collection) -> list[str]:
    wrong = []
    for index, feature in enumerate(collection["features"]):
        geometry = feature["geometry"]
        polygons = {"Polygon": [geometry["coordinates"]], "MultiPolygon": geometry["coordinates"]}.get(
            geometry["type"], []
        )
        for polygon in polygons:
            exterior, *holes = polygon
            label = str(feature["properties"].get("grunnkretsnummer") or feature["properties"].get("navn") or index)
            if _signed_area(exterior) <= 0:
                wrong.append(f"{label}: exterior clockwise")
            wrong += [f"{label}: hole counterclockwise" for hole in holes if _signed_area(hole) >= 0]
    return wrong


def test_every_served_layer_follows_the_right_hand_rule(app, tmp_path):
    # A Shapefile stores exteriors clockwise: the import must turn them round too.
    square = shapely.Polygon([(7.99, 58.14), (7.99, 58.15), (8.0, 58.15), (8.0, 58.14)])
    assert _signed_area(list(square.exterior.coords)) < 0
    gpd.GeoDataFrame({"navn": ["Sone"]}, geometry=[square], crs="EPSG:4326").to_file(tmp_path / "sone.shp")
    with app.app_context():
        import_layer(tmp_path / "sone.shp", "flomsone")
        db.session.commit()
    viewer = Api(app.test_client(), gen_user(app, "viewer")[3])

    names = [layer["name"] for layer in viewer.get("/api/v1/maps/layers").json]
    assert "flomsone" in names and "grunnkretser" in names
    for name in names:
        collection = viewer.get(f"/api/v1/maps/layers/{name}").get_json(force=True)
        assert _wrongly_wound(collection) == [], name


def test_regrouped_bydeler_follow_the_right_hand_rule(app):
    coordinator = Api(app.test_client(), gen_user(app, "coordinator")[3])
    flekkeroy = next(d for d in coordinator.get("/api/v1/maps/districts").json["delomrader"] if d["number"] == "420401")
    response = coordinator.patch(
        "/api/v1/maps/districts",
        json={"delomrader": [{"number": "420401", "bydel": "Kvadraturen", "version": flekkeroy["version"]}]},
    )
    assert response.status_code == 200, response.json

    assert _wrongly_wound(coordinator.get("/api/v1/maps/layers/bydeler").get_json(force=True)) == []


def test_a_stored_zone_is_wound_by_the_right_hand_rule(app):
    clockwise = [[7.99, 58.14], [7.99, 58.15], [8.0, 58.15], [8.0, 58.14], [7.99, 58.14]]
    with app.app_context():
        zone = normalise_zone({"type": "Polygon", "coordinates": [clockwise]})

    assert _wrongly_wound({"features": [{"properties": {}, "geometry": zone}]}) == []
