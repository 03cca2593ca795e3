"""Every PDF route of the app, as served, checked with poppler: every font embedded (DejaVu only) and the
language stated (/Lang nb-NO, or en in the English locale). The first page of each is kept as PNG in
test-output/reports/ to look at."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from beredskap.cooperation.models import Meeting
from beredskap.eps.models import EvacuationCentre
from beredskap.exercises.models import Exercise
from beredskap.extensions import db
from beredskap.incidents.models import Incident
from beredskap.maps.models import IncidentZone
from beredskap.roster.models import Alert
from tests.conftest import _make_app, gen_user, login, output_dir

pytestmark = pytest.mark.slow  # every report route rendered and checked with pdffonts

# How to find an id for each route parameter in the demo data.
PARAMETERS = {
    "incident_id": Incident,
    "eps_id": EvacuationCentre,
    "alert_id": Alert,
    "exercise_id": Exercise,
    "meeting_id": Meeting,
    "zone_id": IncidentZone,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo data plus an EPS with registered people and a sent alert; clients in bokmål and English."""
    tmp = tmp_path_factory.mktemp("reports")
    app = _make_app(tmp, f"sqlite:///{tmp / 'reports.db'}")
    from beredskap.demo import seed_demo

    with app.app_context():
        seed_demo(str(tmp / "creds.txt"))
    _, username, password, token = gen_user(app, "admin")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    incident = api.post("/api/v1/incidents", json={"title": "Brann i Kvadraturen", "kind": "incident"}, headers=headers)
    eps = api.post(
        f"/api/v1/incidents/{incident.json['id']}/eps",
        json={"name": "Gimlehallen", "capacity": 120, "decided_by": "politi"},
        headers=headers,
    ).json["id"]
    for name in ("Kari Nordmann", "Anne-Marie Beredskapskoordinatorsen"):
        person = {"full_name": name, "phone": "+47 400 00 000", "address": "Kirkegata 1, 4610 Kristiansand"}
        assert api.post(f"/api/v1/eps/{eps}/evacuees", json=person, headers=headers).status_code == 201
    alert = api.post(
        "/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt i kriserommet."}, headers=headers
    )
    assert alert.status_code == 201, alert.json
    # The zone report is printed for the first incident, the one the report URLs are built with.
    with app.app_context():
        first = db.session.scalar(select(Incident.id).order_by(Incident.id).limit(1))
    zone = {"kind": "sperresone", "label": "Sperring Markens", "center": [7.9955, 58.1465], "radius_m": 300}
    assert api.post(f"/api/v1/incidents/{first}/zones", json=zone, headers=headers).status_code == 201
    clients = {}
    for lang in ("nb", "en"):
        clients[lang] = app.test_client()
        login(clients[lang], username, password)
        with clients[lang].session_transaction() as session:
            session["lang"] = lang
    return app, clients


def _report_urls(app) -> list[str]:
    urls = []
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if not rule.rule.endswith(".pdf") or rule.rule.startswith("/api/"):
                continue
            values = {}
            for name in rule.arguments:
                if name == "year":
                    values[name] = 2026
                    continue
                assert name in PARAMETERS, f"{rule.rule}: add its parameter {name} to PARAMETERS"
                values[name] = db.session.scalar(select(PARAMETERS[name].id).limit(1))
            urls.append(re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m, v=values: str(v[m.group(1)]), rule.rule))
    return urls


def _fonts(path) -> list[tuple[str, str]]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    # name, type, encoding, emb, sub, uni, object, generation: the «emb» column is the fourth from the right.
    return [(line.split()[0], line.split()[-5]) for line in lines[2:]]


def test_every_report_route_embeds_dejavu_only_and_states_its_language(served):
    app, clients = served
    urls = _report_urls(app)
    assert len(urls) >= 9
    out = output_dir("reports")
    problems = []
    for url in urls:
        for lang, expected_lang in (("nb", "nb-NO"), ("en", "en")):
            response = clients[lang].get(url)
            assert response.status_code == 200 and response.mimetype == "application/pdf", url
            path = out / f"{url.strip('/').replace('/', '_').removesuffix('.pdf')}-{lang}.pdf"
            path.write_bytes(response.data)
            fonts = _fonts(path)
            if not fonts:
                problems.append(f"{url}: no fonts")
            problems += [f"{url}: {name} not embedded" for name, embedded in fonts if embedded != "yes"]
            problems += [f"{url}: {name} is not DejaVu" for name, _ in fonts if "DejaVu" not in name]
            document_lang = PdfReader(io.BytesIO(response.data)).trailer["/Root"].get("/Lang")
            if document_lang != expected_lang:
                problems.append(f"{url} ({lang}): /Lang {document_lang!r}")
            if lang == "nb":
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))],
                    check=True,
                )
    assert problems == []
