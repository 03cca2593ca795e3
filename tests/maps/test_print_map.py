"""The sitrep PDF's map (issue 15): base map (roads, water, names), the incident, its zones, the current grouping."""

import io

from pypdf import PdfReader
from reportlab.graphics.shapes import Path

from beredskap.incidents.report import draw_incident_map
from beredskap.maps import mapimage
from tests.conftest import Api, gen_user

MARKENS = {"type": "Point", "coordinates": [7.9943, 58.1451]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[7.99, 58.143], [8.0, 58.143], [8.0, 58.148], [7.99, 58.148], [7.99, 58.143]]],
}


def _paths(drawing):
    stack, found = [drawing], []
    while stack:
        node = stack.pop()
        for child in getattr(node, "contents", []):
            (found.append(child) if isinstance(child, Path) else stack.append(child))
    return found


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_incident_map_drawing_has_road_and_water_paths_and_the_zone(app):
    zone = {"kind": "sperresone", "label": "Sperret", "geometry": SQUARE}

    with app.app_context():
        drawing = draw_incident_map(MARKENS, zones=[zone])

    strokes = [p.strokeColor for p in _paths(drawing)]
    fills = [p.fillColor for p in _paths(drawing)]
    assert mapimage.ROAD_MAJOR in strokes
    assert mapimage.ROAD_MINOR in strokes
    assert mapimage.WATER in fills
    assert mapimage.ZONE_LINE in strokes


def test_sitrep_pdf_prints_street_names_the_zone_and_the_attribution(app):
    api = Api(app.test_client(), gen_user(app, "coordinator")[3])
    incident = api.post("/api/v1/incidents", json={"title": "Gasslekkasje", "location": MARKENS}).json
    zone = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "sperresone", "label": "Sperret", "geometry": SQUARE}
    )
    assert zone.status_code == 201

    text = _pdf_text(api.get(f"/incidents/{incident['id']}/sitrep.pdf"))

    assert "Markens gate" in text or "Dronningens gate" in text
    assert "Sperret (sperresone)" in text
    assert "OpenStreetMap" in text and "ODbL" in text


def test_a_regrouped_bydel_is_printed_with_its_new_grouping(app):
    api = Api(app.test_client(), gen_user(app, "coordinator")[3])
    version = next(d for d in api.get("/api/v1/maps/districts").json["delomrader"] if d["number"] == "420408")[
        "version"
    ]
    regrouped = api.patch(
        "/api/v1/maps/districts", json={"delomrader": [{"number": "420408", "bydel": "Bykjernen", "version": version}]}
    )
    assert regrouped.status_code == 200
    incident = api.post("/api/v1/incidents", json={"title": "Gasslekkasje", "location": MARKENS}).json

    text = _pdf_text(api.get(f"/incidents/{incident['id']}/sitrep.pdf"))

    assert "Bykjernen" in text


def test_zone_report_pdf_has_population_by_bydel_and_delomrade_resources_and_candidates(app):
    from beredskap.maps.resources import seed_demo

    with app.app_context():
        seed_demo()
    api = Api(app.test_client(), gen_user(app, "coordinator")[3])
    incident = api.post(
        "/api/v1/incidents", json={"title": "Øvelse gass", "kind": "exercise", "location": MARKENS}
    ).json
    zone = api.post(
        f"/api/v1/incidents/{incident['id']}/zones", json={"kind": "sperresone", "label": "Sperret", "geometry": SQUARE}
    ).json

    response = api.get(f"/incidents/{incident['id']}/zones/{zone['id']}/report.pdf")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]
    text = "\n".join(pages)

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert all("ØVELSE" in page for page in pages)
    assert "Befolkning etter bydel" in text and "Kvadraturen" in text
    assert "Befolkning etter delområde" in text and "Kvadraturen-Eg" in text
    assert zone["analysis"]["resources_inside"][0]["name"] in text
    assert zone["analysis"]["eps_candidates"][0]["name"] in text
    assert "OpenStreetMap" in text
    assert api.get(f"/incidents/{incident['id']}/zones/999/report.pdf").status_code == 404
