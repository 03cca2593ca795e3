"""The offline base map in Chromium: roads, water and street names drawn from the app alone, with attribution."""

from tests.e2e.conftest import screenshot

MARKENS = (58.1455, 7.9945)


def _open(login_as, e2e_server, role="coordinator", path="/map"):
    page = login_as(role)
    requests_outside = []
    page.on("request", lambda r: requests_outside.append(r.url) if not r.url.startswith(e2e_server.url) else None)
    page.goto(e2e_server.url + path)
    page.locator("#map-app[data-ready='1']").wait_for(timeout=30000)
    page.locator("#map[data-basemap='ready']").wait_for(timeout=30000)
    return page, requests_outside


def test_base_map_draws_roads_and_street_names_offline_with_attribution(login_as, e2e_server):
    page, outside = _open(login_as, e2e_server)
    screenshot(page, "basemap", "kommune")

    page.evaluate("([lat, lon]) => { window.beredskapMap.setView([lat, lon], 17, {animate: false}); }", list(MARKENS))
    page.locator(".bm-street").nth(5).wait_for(timeout=30000)
    street_labels = [t.strip() for t in page.locator(".bm-street").all_inner_texts()]
    screenshot(page, "basemap", "markens-zoom17")

    assert "Markens gate" in street_labels
    assert page.locator(".leaflet-basemap-pane canvas").count() == 1
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap" in attribution and "ODbL" in attribution and "CC BY" in attribution
    assert outside == []
    # No two labels overlap.
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.bm-label span')].map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] - 1 and a[2] > b[0] + 1 and a[1] < b[3] - 1 and a[3] > b[1] + 1), (a, b)


def test_live_map_on_a_phone_has_the_base_map(login_as, e2e_server):
    page, outside = _open(login_as, e2e_server, role="police", path="/map/live")
    page.set_viewport_size({"width": 375, "height": 740})
    page.evaluate("([lat, lon]) => { window.beredskapMap.setView([lat, lon], 16, {animate: false}); }", list(MARKENS))
    page.locator(".bm-street").nth(2).wait_for(timeout=30000)
    screenshot(page, "basemap", "live-375")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert outside == []
