"""GIS import in Chromium: a bad file gets its message, then a good zipped Shapefile is previewed, confirmed and
drawn on the map as an imported layer."""

from tests.e2e.conftest import run_axe, screenshot
from tests.maps import gis_files


def test_gis_upload_bad_file_then_good_one_appears_on_the_map(login_as, e2e_server, tmp_path):
    bad = tmp_path / "soner-feil.geojson"
    bad.write_bytes(gis_files.fifth_invalid_geojson())
    good = tmp_path / "beredskapssoner.zip"
    good.write_bytes(gis_files.shapefile_zip(tmp_path))

    page = login_as("coordinator")
    page.goto(e2e_server.url + "/map")
    page.get_by_role("link", name="Importer kartlag").click()
    page.locator("#upload-form").wait_for(timeout=10000)
    assert run_axe(page, e2e_server) == []

    page.set_input_files("#import-file", str(bad))
    page.click("#upload-file")
    error = page.locator("#import-error")
    error.wait_for(timeout=15000)
    assert "Objekt nr. 5 i soner-feil.geojson har ugyldig geometri" in error.inner_text()
    assert "Ingenting er importert" in error.inner_text()
    assert page.locator("#import-preview").count() == 0
    screenshot(page, "gis_import", "bad-file")

    page.set_input_files("#import-file", str(good))
    page.click("#upload-file")
    page.locator("#import-preview").wait_for(timeout=15000)
    assert page.inner_text("#preview-count") == "3"
    assert "Polygon" in page.inner_text("#preview-types")
    west, south, east, north = (float(v) for v in page.inner_text("#preview-bbox").split(" · "))
    assert 7.9 < west < east < 8.1 and 58.1 < south < north < 58.2
    assert "Sone 1" in page.inner_text("#preview-rows")
    assert run_axe(page, e2e_server) == []
    page.fill("#import-name", "e2e-beredskapssoner")
    page.fill("#import-title", "Beredskapssoner (e2e)")
    screenshot(page, "gis_import", "preview")
    page.click("#confirm-import")
    page.locator(".flash-success", has_text="er importert med 3 objekter").wait_for(timeout=15000)
    assert "e2e-beredskapssoner" in page.inner_text("#imported-layers")

    page.locator("#imported-layers tr[data-layer='e2e-beredskapssoner'] a").click()
    page.locator("#map-app[data-layers-ready='1']").wait_for(timeout=20000)
    toggle = page.locator("#toggle-layer-e2e-beredskapssoner")
    assert "Beredskapssoner (e2e)" in page.inner_text("label[for='toggle-layer-e2e-beredskapssoner']")
    toggle.check()
    page.locator(".leaflet-imported-pane path").nth(2).wait_for(timeout=15000)
    assert page.locator(".leaflet-imported-pane path").count() == 3
    # Zoom to the imported squares (no animation) so the screenshot shows them.
    page.evaluate("() => { window.beredskapMap.fitBounds([[58.115, 7.93], [58.16, 8.04]], { animate: false }); }")
    screenshot(page, "gis_import", "on-the-map")
