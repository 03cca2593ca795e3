"""Map services in the app: demo seed, layer import through the CLI, helpers for other domains, map images."""

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import func, select

from beredskap.extensions import db
from beredskap.incidents.report import draw_incident_map
from beredskap.maps.catalogue import import_layer
from beredskap.maps.districts import district_mapping, update_districts
from beredskap.maps.models import DistrictGrouping, ImportedLayer, Resource
from beredskap.maps.resources import resource_summary, resources_for_analysis, seed_demo
from beredskap.maps.seeddata import seed_resources
from beredskap.realtime.journal import events_since
from tests.conftest import Api, gen_user

POINTS = [(7.995, 58.146), (8.02572, 58.1514), (7.93656, 58.12147)]
ZONE = shapely.Polygon([(7.99, 58.14), (8.0, 58.14), (8.0, 58.15), (7.99, 58.15)])


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_seed_is_idempotent(any_app):
    with any_app.app_context():
        first = seed_demo()
        resources, groupings = _count(Resource), _count(DistrictGrouping)
        versions = dict(db.session.execute(select(Resource.source_ref, Resource.version)).all())

        second = seed_demo()

        assert resources == len(seed_resources()) > 900
        assert groupings == 24
        assert _count(Resource) == resources and _count(DistrictGrouping) == groupings
        assert dict(db.session.execute(select(Resource.source_ref, Resource.version)).all()) == versions
        assert any("956" in line or "ressurser lagt inn" in line for line in first)
        assert second[-1] == "Kart: ressursene finnes allerede."
        assert [e.type for e in events_since("global")] == ["resources.seeded"]


def test_seed_names_are_honest_and_placed(app):
    with app.app_context():
        seed_demo()
        halls = db.session.scalars(select(Resource).where(Resource.kind == "idrett")).all()
        shelters = db.session.scalars(select(Resource).where(Resource.kind == "tilfluktsrom")).all()

    assert len(shelters) == 35
    assert sum(s.capacity for s in shelters) == 7281
    assert any(h.name.startswith("Idrettshall, ") for h in halls)
    assert all(h.bydel for h in halls)
    assert len({r.name for r in halls}) == len(halls)


def _frame(crs="EPSG:25833"):
    frame = gpd.GeoDataFrame(
        {"navn": ["Torvet", "Hall", "Skole", "Sone"]},
        geometry=[shapely.Point(p) for p in POINTS] + [ZONE],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def _assert_served_in_lon_lat(app, name, expected_points, feature_count):
    token = gen_user(app, "viewer")[3]
    api = Api(app.test_client(), token)
    listing = {layer["name"]: layer for layer in api.get("/api/v1/maps/layers").json}
    assert listing[name]["feature_count"] == feature_count
    collection = api.get(f"/api/v1/maps/layers/{name}").get_json(force=True)
    points = [f["geometry"]["coordinates"] for f in collection["features"] if f["geometry"]["type"] == "Point"]
    for (lon, lat), (x, y) in zip(expected_points, points, strict=True):
        assert abs(x - lon) < 1e-6 and abs(y - lat) < 1e-6
    return collection


def test_cli_imports_a_geopackage_in_utm33(app, tmp_path):
    path = tmp_path / "beredskapspunkter.gpkg"
    frame = _frame()
    frame.to_file(path, driver="GPKG")
    assert frame.crs.to_epsg() == 25833 and frame.geometry.iloc[0].x > 1000

    result = app.test_cli_runner().invoke(args=["maps", "import", str(path), "--layer", "punkter-utm33"])

    assert result.exit_code == 0, result.output
    assert "4 objekter" in result.output
    collection = _assert_served_in_lon_lat(app, "punkter-utm33", POINTS, 4)  # 3 points + the polygon
    polygon = shapely.geometry.shape(collection["features"][3]["geometry"])
    assert polygon.normalize().equals_exact(ZONE.normalize(), 1e-6)


def test_cli_imports_a_shapefile_in_utm33(app, tmp_path):
    path = tmp_path / "punkter.shp"
    frame = _frame()
    frame[frame.geom_type == "Point"].to_file(path)

    result = app.test_cli_runner().invoke(args=["maps", "import", str(path), "--layer", "punkter_shp"])

    assert result.exit_code == 0, result.output
    _assert_served_in_lon_lat(app, "punkter_shp", POINTS, 3)
    with app.app_context():
        assert [e.type for e in events_since("global")] == ["layer.imported"]


def test_reimport_replaces_the_layer(app, tmp_path):
    path = tmp_path / "punkter.geojson"
    frame = _frame("EPSG:4326")
    frame.to_file(path, driver="GeoJSON")
    with app.app_context():
        assert import_layer(path, "lag")["replaced"] is False
        frame.iloc[:2].to_file(path, driver="GeoJSON")
        result = import_layer(path, "lag")
        assert result["replaced"] is True and result["feature_count"] == 2
        assert _count(ImportedLayer) == 1


@pytest.mark.parametrize(
    ("layer", "message"),
    [("bydeler", "innebygd kartlag"), ("Store Bokstaver", "Ugyldig lagnavn"), ("", "Ugyldig lagnavn")],
)
def test_cli_refuses_bad_layer_names(app, tmp_path, layer, message):
    path = tmp_path / "punkter.gpkg"
    _frame().to_file(path, driver="GPKG")

    result = app.test_cli_runner().invoke(args=["maps", "import", str(path), "--layer", layer])

    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert _count(ImportedLayer) == 0


def test_cli_refuses_unreadable_files(app, tmp_path):
    text = tmp_path / "notater.txt"
    text.write_text("ikke geodata")
    broken = tmp_path / "skadet.gpkg"
    broken.write_bytes(b"not a geopackage")

    for path, message in ((text, "støttes ikke"), (broken, "Kunne ikke lese")):
        result = app.test_cli_runner().invoke(args=["maps", "import", str(path), "--layer", "x"])
        assert result.exit_code != 0
        assert message in result.output


def test_helpers_for_other_domains(app):
    with app.app_context():
        seed_demo()
        resource_id = db.session.scalar(select(Resource.id).where(Resource.kind == "idrett").limit(1))

        summary = resource_summary(resource_id)
        analysis = resources_for_analysis()

        assert resource_summary(10**9) is None
        assert summary["id"] == resource_id and summary["kind"] == "idrett"
        assert summary["location"]["type"] == "Point" and summary["delomrade_name"]
        assert len(analysis) == _count(Resource)
        hall = next(r for r in analysis if r["id"] == resource_id)
        assert hall["free_capacity"] == hall["capacity"] - hall["occupied"]
        assert {"id", "name", "kind", "lon", "lat", "capacity", "eps_suitable"} <= set(hall)


def test_sitrep_map_follows_the_regrouping(app):
    """The map the sitrep PDF draws labels the bydeler as the coordinator has grouped them now."""
    point = {"type": "Point", "coordinates": [7.99, 58.07]}
    with app.app_context():
        seed_demo()
        shipped = draw_incident_map(point, grouping=district_mapping())
        row = db.session.get(DistrictGrouping, "420401")
        update_districts([{"number": "420401", "bydel": "Flekkerøy bydel", "version": row.version}])
        regrouped = draw_incident_map(point, grouping=district_mapping())

    def strings(drawing):
        found = []

        def walk(node):
            for child in getattr(node, "contents", []):
                if hasattr(child, "text"):
                    found.append(child.text)
                walk(child)

        walk(drawing)
        return found

    assert "Flekkerøy bydel" in strings(regrouped)
    assert "Flekkerøy bydel" not in strings(shipped)
