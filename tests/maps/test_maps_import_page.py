"""GIS import in the browser: upload → preview → target layer → confirm; bad files named, nothing half-imported,
size-limited, zip bombs and path traversal refused, the temp upload cleaned, the import audited."""

import io
import json
import time

import pytest
from sqlalchemy import func, select

from beredskap.auth.models import AuditRecord
from beredskap.extensions import db
from beredskap.maps.models import ImportedLayer
from tests.conftest import gen_user, login
from tests.maps import gis_files


def coordinator_client(app):
    _, username, password, _ = gen_user(app, "coordinator")
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    return client


def csrf(client) -> str:
    html = client.get("/maps/import").get_data(as_text=True)
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def upload(client, name: str, data: bytes, token: str | None = None):
    return client.post(
        "/maps/import",
        data={"csrf_token": token or csrf(client), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, **fields):
    html = client.get("/maps/import").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    with client.session_transaction() as session:
        upload_token = session.get("gis_import", "")
    return client.post("/maps/import/confirm", data={"csrf_token": token, "token": upload_token, **fields})


def layer_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportedLayer))


def import_audits(app) -> list[AuditRecord]:
    with app.app_context():
        records = list(db.session.scalars(select(AuditRecord).where(AuditRecord.action == "maps.layer_imported")))
        db.session.expunge_all()
        return records


def uploads_left(app) -> list:
    root = app.instance_path + "/gis-uploads"
    import os

    return os.listdir(root) if os.path.isdir(root) else []


def test_good_zipped_shapefile_previewed_then_imported_and_audited(app, tmp_path):
    client = coordinator_client(app)
    page = upload(client, "soner.zip", gis_files.shapefile_zip(tmp_path))
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:3000]
    assert 'id="preview-count">3<' in html and "Polygon" in html and "Sone 1" in html
    bbox = [float(v) for v in html.split('id="preview-bbox">')[1].split("<")[0].split(" · ")]
    assert 7.9 < bbox[0] < bbox[2] < 8.1 and 58.1 < bbox[1] < bbox[3] < 58.2  # reprojected from UTM 33
    assert layer_count(app) == 0  # a preview imports nothing
    assert len(uploads_left(app)) == 1

    done = confirm(client, target="__new__", name="beredskapssoner", title="Beredskapssoner")
    assert done.status_code == 302
    followed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Kartlaget «beredskapssoner» er importert med 3 objekter." in followed
    layer = client.get("/api/v1/maps/layers/beredskapssoner", headers={"Accept": "application/json"}).json
    assert layer["title"] == "Beredskapssoner" and len(layer["features"]) == 3
    records = import_audits(app)
    assert len(records) == 1 and records[0].subject_id == "beredskapssoner"
    assert records[0].meta["feature_count"] == 3 and records[0].actor_name.startswith("coordinator.")
    assert uploads_left(app) == []  # cleaned after the import
    # The same upload cannot be confirmed twice.
    assert confirm(client, target="__new__", name="igjen").status_code == 409
    assert layer_count(app) == 1


def test_geojson_replaces_an_imported_layer(app):
    client = coordinator_client(app)
    assert upload(client, "punkter.geojson", gis_files.good_geojson()).status_code == 200
    assert confirm(client, target="__new__", name="punkter", title="Punkter").status_code == 302
    second = upload(client, "punkter2.geojson", gis_files.good_geojson())
    assert second.status_code == 200
    page = second.get_data(as_text=True)
    assert "Erstatt «Punkter» (punkter, 6 objekter)" in page
    done = confirm(client, target="punkter", name="", title="Punkter, ny versjon")
    assert done.status_code == 302
    assert "er erstattet med 6 objekter" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert layer_count(app) == 1
    assert [r.meta["replaced"] for r in import_audits(app)] == [False, True]


def test_geopackage_in_utm32_is_previewed_in_lon_lat(app, tmp_path):
    client = coordinator_client(app)
    page = upload(client, "punkter.gpkg", gis_files.geopackage(tmp_path))
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html.split('id="import-error"')[-1][:300]
    assert 'id="preview-count">4<' in html and 'id="preview-types">Point<' in html
    assert '<th scope="col">plasser</th>' in html and "Punkt 4" in html
    bbox = [float(v) for v in html.split('id="preview-bbox">')[1].split("<")[0].split(" · ")]
    assert bbox == pytest.approx([7.9366, 58.1215, 8.0801, 58.1514], abs=1e-4)
    assert confirm(client, target="__new__", name="punkter", title="Punkter").status_code == 302
    assert layer_count(app) == 1


def test_fifth_feature_invalid_imports_nothing(app, tmp_path):
    client = coordinator_client(app)
    page = upload(client, "soner.geojson", gis_files.fifth_invalid_geojson())
    assert page.status_code == 422
    assert "Objekt nr. 5 i soner.geojson har ugyldig geometri" in page.get_data(as_text=True)
    assert uploads_left(app) == []
    # The service itself, as the confirm step runs it: one transaction, so 0 rows, no event, no audit record.
    path = tmp_path / "soner.geojson"
    path.write_bytes(gis_files.fifth_invalid_geojson())
    from beredskap.maps.catalogue import import_layer
    from beredskap.maps.importer import GeoImportError
    from beredskap.maps.upload import check_inside_kristiansand
    from beredskap.realtime.journal import last_seq

    with app.test_request_context():
        before = last_seq("global")
        with pytest.raises(GeoImportError, match="Objekt nr. 5"):
            import_layer(path, "soner", check=check_inside_kristiansand)
        db.session.rollback()
        assert last_seq("global") == before
    assert layer_count(app) == 0 and import_audits(app) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("soner.zip", b"dette er ikke en zip", "er ikke en gyldig zip-fil"),
        ("soner.zip", gis_files.zip_of({"les-meg.txt": b"hei"}), "inneholder ingen Shapefile (.shp)"),
        ("soner.geojson", b"{ikke json", "Kunne ikke lese"),
        ("soner.geojson", b"", "er tom"),
        ("soner.geojson", gis_files.outside_geojson(), "2 av 3 objekter ligger utenfor Kristiansand kommune"),
        ("soner.geojson", gis_files.collection([]), "soner.geojson inneholder ingen geometrier"),
        ("soner.geojson", gis_files.utm_without_crs_geojson(), "koordinater utenfor lengde- og breddegrad"),
        ("soner.gpkg", b"SQLite format 3\0 men ikke en GeoPackage", "soner.gpkg"),
        ("soner.shp", b"x" * 100, "Pakk dem i én .zip"),
        ("soner.kml", b"<kml/>", "Filtypen .kml støttes ikke"),
    ],
)
def test_bad_files_get_a_norwegian_message_naming_the_problem(app, name, data, message):
    client = coordinator_client(app)
    page = upload(client, name, data)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="import-error"' in html and message in html, html.split('id="import-error"')[-1][:400]
    assert layer_count(app) == 0 and uploads_left(app) == []


def test_shapefile_without_prj_names_the_missing_crs(app, tmp_path):
    client = coordinator_client(app)
    page = upload(client, "soner.zip", gis_files.shapefile_zip(tmp_path, with_prj=False))
    assert page.status_code == 422
    assert "mangler koordinatsystem (CRS)" in page.get_data(as_text=True)


@pytest.mark.parametrize("entry", ["../soner.shp", "/tmp/soner.shp", "data/../../soner.shp", "C:/soner.shp"])
def test_path_traversal_in_the_zip_is_refused(app, entry):
    client = coordinator_client(app)
    page = upload(client, "soner.zip", gis_files.zip_of({entry: b"\0" * 100, "soner.dbf": b"\0" * 10}))
    assert page.status_code == 422
    assert "ulovlig sti" in page.get_data(as_text=True)
    assert uploads_left(app) == []
    import os

    assert not os.path.exists(os.path.join(app.instance_path, "soner.shp"))


def test_zip_bomb_is_refused(app):
    client = coordinator_client(app)
    bomb = gis_files.zip_bomb()
    assert len(bomb) < 200_000  # small on the wire, 50 MB unpacked
    page = upload(client, "bombe.zip", bomb)
    assert page.status_code == 422
    assert "mulig zip-bombe" in page.get_data(as_text=True)
    assert uploads_left(app) == []
    # The total size limit applies too, also when the ratio would pass.
    app.config["GIS_MAX_UNZIPPED_BYTES"] = 1000
    page = upload(client, "stor.zip", gis_files.zip_of({"a.shp": bytes(range(256)) * 8}))
    assert page.status_code == 422 and "mulig zip-bombe" in page.get_data(as_text=True)


def test_too_large_upload_is_413_with_a_message(app):
    client = coordinator_client(app)
    token = csrf(client)
    app.config["MAX_UPLOAD_BYTES"] = 4096
    page = upload(client, "stor.geojson", b" " * 10_000, token)
    assert page.status_code == 413
    assert "Filen er for stor: høyst 4 kB kan lastes opp." in page.get_data(as_text=True)
    assert uploads_left(app) == []


def test_only_admin_and_coordinator_may_import(app, users):
    for role in ("crisis_staff", "police", "viewer"):
        client = app.test_client()
        login(client, users[role][1], users[role][2])
        assert client.get("/maps/import").status_code == 403, role
    admin = app.test_client()
    login(admin, users["admin"][1], users["admin"][2])
    assert admin.get("/maps/import").status_code == 200
    assert app.test_client().get("/maps/import").status_code == 302  # to the login page
    # Without CSRF nothing is stored.
    assert admin.post("/maps/import", data={"file": (io.BytesIO(b"{}"), "a.geojson")}).status_code == 400


def test_cancel_and_stale_uploads_are_cleaned(app):
    client = coordinator_client(app)
    assert upload(client, "punkter.geojson", gis_files.good_geojson()).status_code == 200
    assert len(uploads_left(app)) == 1
    token = csrf(client)
    assert client.post("/maps/import/cancel", data={"csrf_token": token}).status_code == 302
    assert uploads_left(app) == []
    assert upload(client, "punkter.geojson", gis_files.good_geojson()).status_code == 200
    from beredskap.maps.upload import UPLOAD_TTL_SECONDS, discard_stale

    with app.app_context():
        assert discard_stale(time.time() + UPLOAD_TTL_SECONDS + 1) == 1
    assert uploads_left(app) == []
    assert confirm(client, target="__new__", name="sent").status_code == 409  # expired: upload again


def test_bad_layer_name_keeps_the_preview(app):
    client = coordinator_client(app)
    assert upload(client, "punkter.geojson", gis_files.good_geojson()).status_code == 200
    page = confirm(client, target="__new__", name="Ugyldig Navn!")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Ugyldig lagnavn" in html and 'id="import-preview"' in html
    assert confirm(client, target="kommune", name="").status_code == 422  # a shipped layer is not replaced
    assert layer_count(app) == 0
    assert confirm(client, target="__new__", name="punkter").status_code == 302


def test_no_file_chosen_is_named_and_no_target_means_a_new_layer(app):
    client = coordinator_client(app)
    page = client.post("/maps/import", data={"csrf_token": csrf(client)}, content_type="multipart/form-data")
    assert page.status_code == 422 and "Velg en fil å laste opp." in page.get_data(as_text=True)
    assert upload(client, "", b"").status_code == 422  # the file input left empty
    assert uploads_left(app) == []
    assert upload(client, "punkter.geojson", gis_files.good_geojson()).status_code == 200
    assert confirm(client, name="uten-valg").status_code == 302
    assert [r.subject_id for r in import_audits(app)] == ["uten-valg"]


def test_import_page_on_postgresql_and_sqlite(any_app, tmp_path):
    client = coordinator_client(any_app)
    bad = upload(client, "soner.geojson", gis_files.fifth_invalid_geojson())
    assert bad.status_code == 422 and "Objekt nr. 5" in bad.get_data(as_text=True)
    assert layer_count(any_app) == 0
    assert upload(client, "soner.zip", gis_files.shapefile_zip(tmp_path)).status_code == 200
    assert confirm(client, target="__new__", name="soner", title="Soner").status_code == 302
    layers = {row["name"]: row for row in json.loads(client.get("/api/v1/maps/layers").get_data())}
    assert layers["soner"]["feature_count"] == 3
    assert [r.subject_id for r in import_audits(any_app)] == ["soner"]
