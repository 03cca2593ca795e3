"""Map pages: the map and the live view, the resource register and form, the district grouping form."""

import re

import pytest

from beredskap.extensions import db
from beredskap.maps.districts import update_districts
from beredskap.maps.models import DistrictGrouping, Resource
from beredskap.maps.resources import seed_demo
from tests.conftest import login


@pytest.fixture
def seeded(app):
    with app.app_context():
        seed_demo()
    return app


def _client(app, users, role):
    client = app.test_client()
    _, username, password, _ = users[role]
    assert login(client, username, password).status_code == 302
    return client


def _csrf(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_map_page_has_tools_attribution_and_no_inline_script(seeded, users):
    client = _client(seeded, users, "coordinator")

    response = client.get("/map")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="map-app"' in html and 'data-mode="work"' in html
    assert "Kartverket" in html and "SSB" in html  # attribution passed to the Leaflet control
    assert 'id="tool-circle"' in html and 'id="tool-polygon"' in html
    assert '<label for="circle-radius">' in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/map.js" in html
    assert 'data-tile-url=""' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert " style=" not in html


def test_tile_url_setting_reaches_the_page(seeded, users):
    seeded.config["MAP_TILE_URL"] = "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"
    html = _client(seeded, users, "viewer").get("/map").get_data(as_text=True)

    assert 'data-tile-url="https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"' in html


def test_live_view_is_read_only(seeded, users):
    client = _client(seeded, users, "police")

    for path in ("/map/live", "/map?mode=live"):
        html = client.get(path).get_data(as_text=True)
        assert 'data-mode="live"' in html
        assert 'data-can-edit-resources="0"' in html
        assert "tool-circle" not in html and "circle-form" not in html
        assert 'id="live-feed"' in html
        assert re.search(r'data-since="\d+"', html)


def test_map_requires_login(app):
    response = app.test_client().get("/map")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_resource_register_lists_and_filters(seeded, users):
    client = _client(seeded, users, "viewer")

    html = client.get("/resources?kind=tilfluktsrom").get_data(as_text=True)

    assert "35 ressurser" in html
    assert html.count('href="/resources/') == 35
    assert "Registrer ny ressurs" not in html
    lund = client.get("/resources?kind=idrett&bydel=Lund&page=99").get_data(as_text=True)
    assert "Idrettsbygg" in lund and "Tilfluktsrom" not in lund.split("<tbody>")[1]


def test_resource_form_saves_with_version_and_refuses_stale(seeded, users):
    client = _client(seeded, users, "coordinator")
    with seeded.app_context():
        resource_id = db.session.query(Resource.id).filter(Resource.kind == "idrett").first()[0]
    page = client.get(f"/resources/{resource_id}").get_data(as_text=True)
    token = _csrf(page)
    assert 'name="version" value="1"' in page
    form = {
        "csrf_token": token,
        "name": "Idrettshall, Lund (Gimlehallen)",
        "kind": "idrett",
        "capacity": "400",
        "eps_suitable": "1",
        "contact": "Driftsvakt",
        "address": "",
        "notes": "",
        "lon": "8.02572",
        "lat": "58.1514",
        "version": "1",
    }

    saved = client.post(f"/resources/{resource_id}", data=form)
    stale = client.post(f"/resources/{resource_id}", data={**form, "name": "Annet navn"})

    assert saved.status_code == 302
    assert stale.status_code == 409
    stale_html = stale.get_data(as_text=True)
    assert "endret av noen andre" in stale_html
    assert 'name="version" value="2"' in stale_html
    with seeded.app_context():
        resource = db.session.get(Resource, resource_id)
        assert (resource.name, resource.capacity, resource.version) == ("Idrettshall, Lund (Gimlehallen)", 400, 2)
        assert resource.bydel == "Lund"
    bad = client.post(f"/resources/{resource_id}", data={**form, "version": "2", "capacity": "mange"})
    assert bad.status_code == 422 and "Kapasitet" in bad.get_data(as_text=True)


def test_viewer_cannot_post_the_resource_form(seeded, users):
    client = _client(seeded, users, "viewer")
    page = client.get("/resources/1").get_data(as_text=True)

    assert '<form method="post" class="card resource-form"' not in page
    response = client.post("/resources/1", data={"csrf_token": _csrf(page), "name": "X", "version": "1"})
    assert response.status_code == 403
    assert client.get("/resources/new").status_code == 403


def test_new_resource_form(seeded, users):
    client = _client(seeded, users, "coordinator")
    token = _csrf(client.get("/resources/new").get_data(as_text=True))

    response = client.post(
        "/resources/new",
        data={
            "csrf_token": token,
            "name": "Reservelokale Tangvall",
            "kind": "kultur",
            "capacity": "",
            "lon": "7.8055",
            "lat": "58.0856",
        },
    )

    assert response.status_code == 302
    with seeded.app_context():
        resource = db.session.query(Resource).filter(Resource.name == "Reservelokale Tangvall").one()
        assert resource.bydel == "Søgne" and resource.capacity is None


def test_district_form_regroups_only_what_changed(seeded, users):
    client = _client(seeded, users, "coordinator")
    page = client.get("/map/districts").get_data(as_text=True)
    token = _csrf(page)
    assert 'value="Flekkerøy"' in page
    form = {"csrf_token": token, "number": ["420401", "420402"]}
    for number, name, bydel in (
        ("420401", "Flekkerøy", "Vågsbygd"),
        ("420402", "Ytre Vågsbygd (Voiebyen)", "Vågsbygd"),
    ):
        form |= {
            f"version-{number}": "1",
            f"orig-name-{number}": name,
            f"orig-bydel-{number}": bydel,
            f"name-{number}": name,
            f"bydel-{number}": bydel,
        }
    form["bydel-420401"] = "Kvadraturen"
    with seeded.app_context():
        # Someone else renamed 420402 meanwhile: this form did not touch it, so no conflict arises.
        update_districts([{"number": "420402", "name": "Voiebyen", "version": 1}])

    response = client.post("/map/districts", data=form)

    assert response.status_code == 302
    with seeded.app_context():
        assert db.session.get(DistrictGrouping, "420401").bydel == "Kvadraturen"
        assert db.session.get(DistrictGrouping, "420402").delomrade_name == "Voiebyen"
    html = client.get("/map/districts").get_data(as_text=True)
    assert "Kvadraturen-Eg, Flekkerøy" in html or "Flekkerøy, Kvadraturen-Eg" in html

    stale = client.post("/map/districts", data={**form, "name-420401": "Flekkerøya"})
    assert stale.status_code == 409
    assert "endret av noen andre" in stale.get_data(as_text=True)


def test_viewer_sees_districts_but_cannot_change_them(seeded, users):
    client = _client(seeded, users, "viewer")
    page = client.get("/map/districts").get_data(as_text=True)

    assert "Flekkerøy" in page and 'name="name-420401"' not in page
    response = client.post(
        "/map/districts",
        data={"csrf_token": _csrf(page), "number": "420401", "name-420401": "X", "orig-name-420401": "Flekkerøy"},
    )
    assert response.status_code == 403


def test_resource_form_refuses_bad_numbers_next_to_the_field_and_saves_nothing(seeded, users):
    client = _client(seeded, users, "coordinator")
    token = _csrf(client.get("/resources/new").get_data(as_text=True))
    good = {"csrf_token": token, "name": "Reservelokale Tangvall", "kind": "kultur", "lon": "7.8055", "lat": "58.0856"}
    for data, field, words in (
        ({"capacity": "mange"}, "capacity", "Kapasitet må være et heltall."),
        ({"lon": "øst"}, "lon", "Oppgi plasseringen som lengdegrad og breddegrad i desimalgrader."),
        ({"lat": ""}, "lon", "Oppgi plasseringen som lengdegrad og breddegrad i desimalgrader."),
    ):
        response = client.post("/resources/new", data={**good, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert f'<span class="field-error" id="{field}-error">{words}</span>' in html, data
        assert 'value="Reservelokale Tangvall"' in html
    with seeded.app_context():
        assert db.session.query(Resource).filter(Resource.name == "Reservelokale Tangvall").count() == 0
    # A comma for the decimal point is a number.
    assert client.post("/resources/new", data={**good, "lon": "7,8055"}).status_code == 302


def test_district_form_with_a_bad_version_is_refused_and_changes_nothing(seeded, users):
    client = _client(seeded, users, "coordinator")
    token = _csrf(client.get("/map/districts").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "number": ["420401"],
        "version-420401": "en",
        "orig-name-420401": "Flekkerøy",
        "name-420401": "Flekkerøya",
        "orig-bydel-420401": "Vågsbygd",
        "bydel-420401": "Vågsbygd",
    }
    response = client.post("/map/districts", data=form)
    assert response.status_code == 409
    with seeded.app_context():
        assert db.session.get(DistrictGrouping, "420401").delomrade_name == "Flekkerøy"
