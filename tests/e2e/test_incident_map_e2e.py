"""Issue 15's «Done when» in Chromium: search «Markens», place the incident, draw a sperresone, the police live
map sees marker and zone without reloading, and «Åpne EPS her» opens an EPS the board shows."""

import requests

from tests.e2e.conftest import screenshot


def _board_click(page, lon, lat):
    box = page.locator("#board-map").bounding_box()
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.beredskapBoardMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_search_place_draw_zone_police_sees_it_and_open_eps_here(login_as, e2e_server):
    coordinator_api = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    incident = requests.post(
        e2e_server.url + "/api/v1/incidents",
        json={"title": "Gasslekkasje i sentrum"},
        headers=coordinator_api,
        timeout=10,
    ).json()
    police = login_as("police")
    police.goto(e2e_server.url + "/map/live")
    police.locator("#map-app[data-ready='1']").wait_for(timeout=30000)
    police.locator("#map[data-basemap='ready']").wait_for(timeout=30000)
    police_markers_before = police.locator(".leaflet-incidents-pane .leaflet-marker-icon").count()

    page = login_as("coordinator")
    page.goto(f"{e2e_server.url}/incidents/{incident['id']}")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.locator("#board-map[data-basemap='ready']").wait_for(timeout=30000)

    # 1. Search «Markens», pick «Markens gate …»: the incident is placed there.
    page.locator("#board-map-search input").fill("Markens")
    page.locator("#board-map-search [role=option]", has_text="Markens gate").first.wait_for(timeout=10000)
    page.locator("#board-map-search [role=option]", has_text="Markens gate").first.click()
    page.locator("#board-map-place", has_text="Markens gate").wait_for(timeout=10000)
    stored = requests.get(f"{e2e_server.url}/api/v1/incidents/{incident['id']}", headers=coordinator_api, timeout=10)
    lon, lat = stored.json()["location"]["coordinates"]
    assert 7.99 < lon < 8.0 and 58.14 < lat < 58.15

    # 2. Draw a sperresone around it.
    page.select_option("#board-zone-kind", "sperresone")
    page.locator("#board-zone-polygon").click()
    for dlon, dlat in ((-0.002, -0.001), (0.002, -0.001), (0.002, 0.001), (-0.002, 0.001)):
        _board_click(page, lon + dlon, lat + dlat)
    page.keyboard.press("Enter")
    page.locator(".zone-card", has_text="Sperresone").wait_for(timeout=30000)
    screenshot(page, "incident-map", "board-zone")

    # 3. The police live map shows the marker and the zone without a reload.
    police.locator(".leaflet-zone-pane path").first.wait_for(timeout=15000)
    police.wait_for_timeout(500)
    assert police.locator(".leaflet-incidents-pane .leaflet-marker-icon").count() > police_markers_before
    screenshot(police, "incident-map", "police-live")

    # 4. «Åpne EPS her» on the first candidate opens an EPS that the board shows.
    page.once("dialog", lambda dialog: dialog.accept())
    first = page.locator(".open-eps").first
    name = first.locator("xpath=..").inner_text().split(" – ")[0]
    first.click()
    page.locator("#eps-list", has_text=name).wait_for(timeout=15000)
    screenshot(page, "incident-map", "board-eps")

    # The server is shared by the e2e tests: wind the EPS down so other tests see only their own.
    eps_url = f"{e2e_server.url}/api/v1/incidents/{incident['id']}/eps"
    for centre in requests.get(eps_url, headers=coordinator_api, timeout=10).json()["centres"]:
        closed = requests.patch(
            f"{e2e_server.url}/api/v1/eps/{centre['id']}",
            json={"status": "avviklet", "version": centre["version"]},
            headers=coordinator_api,
            timeout=10,
        )
        assert closed.status_code == 200, closed.text


def test_incident_form_search_fills_the_location(login_as, e2e_server):
    page = login_as("coordinator")
    page.goto(e2e_server.url + "/incidents")

    page.locator("[data-place-search] input").fill("Markens gate 16")
    page.locator("[data-place-search] [role=option]", has_text="Markens gate 16").first.click()

    assert page.locator("#inc-lat").input_value() == "58.145153"
    assert page.locator("#inc-lon").input_value() == "7.994309"


def test_alt_shift_z_then_one_drag_saves_a_zone_and_shows_its_population(login_as, e2e_server):
    """Issue 17's «zone drawn and population read» in two gestures: the shortcut, then a drag from the centre."""
    headers = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    lon, lat = 7.994309, 58.145153
    incident = requests.post(
        e2e_server.url + "/api/v1/incidents",
        json={"title": "Farlig gods på Kvadraturen", "location": {"type": "Point", "coordinates": [lon, lat]}},
        headers=headers,
        timeout=10,
    ).json()
    page = login_as("coordinator")
    page.goto(f"{e2e_server.url}/incidents/{incident['id']}")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.locator("#board-map[data-basemap='ready']").wait_for(timeout=30000)

    page.keyboard.press("Alt+Shift+Z")
    page.locator("#board-zone-circle[aria-pressed=true]").wait_for(timeout=5000)
    page.wait_for_timeout(300)
    box = page.locator("#board-map").bounding_box()

    def at(lo, la):
        x, y = page.evaluate(
            "([la, lo]) => { const p = window.beredskapBoardMap.latLngToContainerPoint([la, lo]); return [p.x, p.y]; }",
            [la, lo],
        )
        return box["x"] + x, box["y"] + y

    (x0, y0), (x1, y1) = at(lon, lat), at(lon + 0.004, lat)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y0)
    page.mouse.move(x1, y1)
    page.mouse.up()
    message = page.locator("#board-map-msg", has_text="personer")
    message.wait_for(timeout=30000)
    assert "Sperresone er lagret: anslått" in message.inner_text()
    screenshot(page, "incident-map", "board-zone-dragged")

    zones = requests.get(f"{e2e_server.url}/api/v1/incidents/{incident['id']}/zones", headers=headers, timeout=10)
    (zone,) = zones.json()["zones"]
    # A drag of 0.004° of longitude at 58.1° N is about 235 m: the radius the server stored follows the hand.
    assert zone["kind"] == "sperresone"
    assert 200 < zone["source"]["radius_m"] < 270, zone
    assert page.locator("#board-zone-circle").get_attribute("aria-pressed") == "false"
