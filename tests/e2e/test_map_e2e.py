"""The map in a real browser: bydeler drawn, a circle analysed with an estimate, live markers, axe-core."""

import re

import requests

from tests.e2e.conftest import run_axe, screenshot

BYDELER = {"Lund", "Vågsbygd", "Oddernes", "Grim", "Søgne", "Kvadraturen", "Songdalen"}


def _click_at(page, lon, lat):
    """Click the map at a place, whatever the zoom: Leaflet converts the position to pixels."""
    box = page.locator("#map").bounding_box()
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.beredskapMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def _open_map(login_as, e2e_server, role="coordinator", path="/map"):
    page = login_as(role)
    page.goto(e2e_server.url + path)
    page.locator("#map-app[data-ready='1']").wait_for(timeout=30000)
    return page


def test_map_shows_the_seven_bydeler_and_toggles_layers(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)

    paths = page.locator(".leaflet-bydeler-pane path")
    assert paths.count() == 7
    labels = {t.strip() for t in page.locator(".bydel-label").all_inner_texts()}
    assert labels == BYDELER
    assert page.locator(".leaflet-control-attribution").inner_text().count("Kartverket") >= 1
    assert "SSB" in page.locator(".leaflet-control-attribution").inner_text() or "Statistisk" in (
        page.locator(".leaflet-control-attribution").inner_text()
    )
    # No base tiles without MAP_TILE_URL: the map works offline.
    assert page.locator(".leaflet-tile").count() == 0

    page.get_by_label(re.compile("^Bydeler")).uncheck()
    assert page.locator(".leaflet-bydeler-pane path").count() == 0
    page.get_by_label(re.compile("^Delområder")).check()
    page.locator(".leaflet-delomrader-pane path").nth(23).wait_for(timeout=10000)
    assert page.locator(".leaflet-delomrader-pane path").count() == 24
    screenshot(page, "maps", "map-delomrader")


def test_drawing_a_circle_shows_the_estimate(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)
    page.fill("#circle-radius", "1500")
    page.get_by_role("button", name="Tegn sirkel").click()
    assert page.get_by_role("button", name="Tegn sirkel").get_attribute("aria-pressed") == "true"
    _click_at(page, 7.995, 58.146)  # Kvadraturen

    number = page.locator("#population-estimate")
    number.wait_for(timeout=20000)
    assert int(number.get_attribute("data-value")) > 0
    body = page.locator("#analysis-body").inner_text()
    assert "anslag" in body.lower()
    assert re.search(r"\d", number.inner_text())
    assert page.locator(".leaflet-zone-pane path").count() >= 1
    assert "Kvadraturen" in page.locator("#analysis-body table").inner_text()
    assert page.locator(".candidates li").count() >= 1
    screenshot(page, "maps", "map-circle-analysis")


def test_dragging_sets_the_circle_radius(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)
    page.get_by_role("button", name="Tegn sirkel").click()
    box = page.locator("#map").bounding_box()
    x, y = page.evaluate(
        "() => { const p = window.beredskapMap.latLngToContainerPoint([58.146, 7.995]); return [p.x, p.y]; }"
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    page.mouse.move(box["x"] + x + 40, box["y"] + y, steps=5)
    page.mouse.move(box["x"] + x + 80, box["y"] + y, steps=5)
    page.mouse.up()

    page.locator("#population-estimate").wait_for(timeout=20000)
    radius = int(page.input_value("#circle-radius"))
    assert radius != 500 and radius > 50
    assert "Kvadraturen" in page.locator("#analysis-body table").inner_text()


def test_circle_from_the_keyboard_form_and_its_error_message(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)
    page.fill("#circle-lon", "7.995")
    page.fill("#circle-lat", "58.146")
    page.fill("#circle-radius", "300")
    page.locator("#circle-radius").press("Enter")
    page.locator("#population-estimate").wait_for(timeout=20000)
    assert "Kvadraturen" in page.locator("#analysis-body table").inner_text()
    assert page.locator(".candidates li").count() >= 1

    page.fill("#circle-lon", "58.146")
    page.fill("#circle-lat", "7.995")
    page.locator("#circle-radius").press("Enter")
    alert = page.locator("#analysis-body [role=alert]")
    alert.wait_for(timeout=20000)
    assert "bytt om" in alert.inner_text()


def test_drawing_a_polygon_with_clicks_and_enter(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)
    page.get_by_role("button", name="Tegn polygon").click()
    for lon, lat in ((7.98, 58.14), (8.01, 58.14), (8.01, 58.155), (7.98, 58.155)):
        _click_at(page, lon, lat)
    assert page.locator(".leaflet-zone-pane path").count() >= 1
    page.keyboard.press("Enter")
    page.locator("#population-estimate").wait_for(timeout=20000)
    assert int(page.locator("#population-estimate").get_attribute("data-value")) > 1000
    assert "anslag" in page.locator("#analysis-body").inner_text().lower()


def test_live_view_is_read_only_and_follows_resources(login_as, e2e_server):
    page = _open_map(login_as, e2e_server, role="police", path="/map/live")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert page.locator("#tool-circle").count() == 0
    assert page.locator("#circle-form").count() == 0

    headers = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    body = {
        "name": "Direktetest idrettshall",
        "kind": "idrett",
        "capacity": 120,
        "eps_suitable": True,
        "location": {"type": "Point", "coordinates": [7.99, 58.15]},
    }
    created = requests.post(e2e_server.url + "/api/v1/resources", json=body, headers=headers, timeout=10)
    assert created.status_code == 201
    page.locator("#live-feed").get_by_text("Direktetest idrettshall").wait_for(timeout=10000)

    incident = requests.post(
        e2e_server.url + "/api/v1/incidents",
        json={"title": "Brann i Kvadraturen (kart)", "location": {"type": "Point", "coordinates": [7.996, 58.145]}},
        headers=headers,
        timeout=10,
    )
    assert incident.status_code == 201
    page.locator(".leaflet-incidents-pane [title*='Brann i Kvadraturen (kart)']").wait_for(timeout=10000)

    eps = requests.post(
        f"{e2e_server.url}/api/v1/incidents/{incident.json()['id']}/eps",
        json={"name": "EPS Direktehallen", "resource_id": created.json()["id"], "capacity": 80},
        headers=headers,
        timeout=10,
    )
    assert eps.status_code == 201, eps.text
    marker = page.locator(".leaflet-eps-pane .eps-icon")
    marker.wait_for(timeout=10000)
    assert "0/80" in marker.inner_text()
    registered = requests.post(
        f"{e2e_server.url}/api/v1/eps/{eps.json()['id']}/evacuees",
        json={"full_name": "Test Testesen"},
        headers=headers,
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    page.locator(".leaflet-eps-pane .eps-icon", has_text="1/80").wait_for(timeout=10000)
    assert "Testesen" not in page.content()
    screenshot(page, "maps", "map-live")


def test_map_pages_pass_axe(login_as, e2e_server):
    page = _open_map(login_as, e2e_server)
    assert run_axe(page, e2e_server) == []
    for path in ("/resources", "/resources/1", "/map/districts"):
        page.goto(e2e_server.url + path)
        assert run_axe(page, e2e_server) == [], path
    screenshot(page, "maps", "districts")
    live = _open_map(login_as, e2e_server, role="police", path="/map/live")
    assert run_axe(live, e2e_server) == []
