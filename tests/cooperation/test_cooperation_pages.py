"""The cooperation's demo data, pages, knowledge base (directory, agreement, Oversiktsbilde) and start-page panel."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from beredskap.cooperation import hooks
from beredskap.cooperation.agreement import BYDELER, COOPERATION_AREAS
from beredskap.cooperation.models import Decision, Meeting, Person
from beredskap.extensions import db
from tests.conftest import login

ISSUE_AREAS = [
    "barne- og ungdomskriminalitet",
    "vold i nære relasjoner",
    "seksuelle overgrep mot barn",
    "personer som utgjør en samfunnsfare",
    "rus og psykiatri",
    "radikalisering, hatkrim og polarisering",
    "trafikksikkerhetsarbeid",
    "trygt uteliv",
    "operativ beredskap, øvelser og evakuering- og pårørendesenter",
    "arrangementer og markeringer",
]


@pytest.fixture
def seeded(app):
    with app.app_context():
        hooks.seed_demo()
    return app


def _counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model)) for model in (Person, Meeting, Decision)
        )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_demo_seed_is_idempotent(seeded):
    before = _counts(seeded)
    with seeded.app_context():
        assert hooks.seed_demo() == []
    assert _counts(seeded) == before
    assert before[0] >= 26 and before[1] == 10


def test_demo_has_the_2026_meetings_and_an_overdue_decision(seeded, api_for):
    viewer = api_for("viewer")
    cycle = viewer.get("/api/v1/cooperation/annual-cycle/2026").json["items"]
    meetings = [item for item in cycle if item["kind"] in ("politirad", "formannskap", "regionalt_politirad")]
    assert len(meetings) == 5 and all(item.get("date") and item["meeting_id"] for item in meetings)
    assert {item["host"] for item in meetings if item["kind"] == "politirad"} == {"politi"}

    overdue = viewer.get("/api/v1/cooperation/decisions?overdue=1").json["decisions"]
    assert len(overdue) >= 1 and overdue[0]["status"] != "done"

    spring_2027 = next(
        item
        for item in viewer.get("/api/v1/cooperation/annual-cycle/2027").json["items"]
        if item["key"] == "politirad-var"
    )
    agenda = viewer.get(f"/api/v1/cooperation/meetings/{spring_2027['meeting_id']}/agenda").json
    assert agenda["items"] and agenda["meeting"]["host"] == "kommune"
    assert [d["id"] for d in agenda["follow_up"]["overdue"]] == [d["id"] for d in overdue]
    members = {m["function"] for m in agenda["meeting"]["members"]}
    assert {
        "Ordfører",
        "Varaordfører",
        "Kommunedirektør",
        "Beredskapssjef",
        "Kriminalitetsforebyggende koordinator",
        "Politistasjonssjef",
        "Politikontakt",
    } <= members


def test_directory_has_contacts_and_meeting_points_for_the_seven_bydeler(seeded, api_for):
    directory = api_for("prevention_coordinator").get("/api/v1/cooperation/directory").json
    assert [d["name"] for d in directory["districts"]] == list(BYDELER)
    for district in directory["districts"]:
        assert district["omradekontakter"] and district["police_contacts"] and district["meeting_point"]
    assert directory["people"][0]["phone"]
    stations = {d["name"]: d["police_unit"] for d in directory["districts"]}
    assert stations["Søgne"] == stations["Songdalen"] == "Søgne og Songdalen politistasjon"
    assert stations["Kvadraturen"] == "Kristiansand politistasjon"

    hidden = api_for("viewer").get("/api/v1/cooperation/directory").json
    assert "phone" not in hidden["people"][0] and "email" not in hidden["districts"][0]["omradekontakter"][0]


def test_directory_edits_need_the_version_and_the_role(seeded, api_for):
    district = api_for("viewer").get("/api/v1/cooperation/directory").json["districts"][0]
    url = f"/api/v1/cooperation/districts/{district['id']}"
    body = {"meeting_point": "Lund bydelshus", "version": district["version"]}
    assert api_for("viewer").patch(url, json=body).status_code == 403
    assert api_for("police").patch(url, json=body).status_code == 200
    assert api_for("police").patch(url, json=body).status_code == 409
    created = api_for("prevention_coordinator").post(
        "/api/v1/cooperation/people",
        json={
            "name": "Ny Kontakt",
            "function": "omradekontakt",
            "unit_id": district["police_unit_id"],
            "bydel": "Lund",
        },
    )
    assert created.status_code == 201
    assert (
        api_for("prevention_coordinator")
        .post("/api/v1/cooperation/people", json={"name": "X", "function": "sjef", "unit_id": 1})
        .status_code
        == 422
    )


def test_agreement_as_data(seeded, api_for):
    agreement = api_for("viewer").get("/api/v1/cooperation/agreement").json
    assert (agreement["period"]["start"], agreement["period"]["end"]) == (2025, 2028)
    assert len(agreement["focus_areas"]) == 8
    assert [a["title"].lower() for a in agreement["cooperation_areas"]] == ISSUE_AREAS
    assert [a["title"] for a in agreement["cooperation_areas"]] == list(COOPERATION_AREAS)
    assert agreement["sections"] and agreement["steering_documents"] and agreement["evaluations"]
    routines = [r for area in agreement["cooperation_areas"] for r in area["routines"]]
    assert {r["status"] for r in routines} == {"under_arbeid", "formalisert"}

    routine = next(r for r in routines if r["status"] == "under_arbeid")
    url = f"/api/v1/cooperation/routines/{routine['id']}"
    changed = api_for("prevention_coordinator").patch(
        url,
        json={"status": "formalisert", "document_url": "https://example.org/rutine.pdf", "version": routine["version"]},
    )
    assert changed.status_code == 200 and changed.json["status"] == "formalisert"
    assert api_for("prevention_coordinator").patch(url, json={"status": "ferdig", "version": 2}).status_code == 422
    assert (
        api_for("prevention_coordinator")
        .patch(url, json={"document_url": "javascript:alert(1)", "version": 2})
        .status_code
        == 422
    )

    evaluation = api_for("prevention_coordinator").post(
        "/api/v1/cooperation/agreement/evaluations", json={"year": 2026, "summary": "Avtalen fungerer."}
    )
    assert evaluation.status_code == 201
    items = api_for("viewer").get("/api/v1/cooperation/annual-cycle/2026").json["items"]
    assert next(i for i in items if i["kind"] == "avtaleevaluering")["status"] == "ferdig"


def test_oversiktsbilde_indicators_per_bydel_from_three_sources_and_pdf(app, api_for):
    writer = api_for("prevention_coordinator")
    url = "/api/v1/cooperation/oversiktsbilde/2027/indicators"
    assert (
        writer.post(
            url,
            json={
                "bydel": "Grim",
                "source": "kriminalstatistikk",
                "name": "Anmeldte forhold",
                "value": 31,
                "previous": 29,
            },
        ).status_code
        == 201
    )
    assert (
        writer.post(
            url, json={"bydel": "Lund", "source": "ungdata", "name": "Utsatt for vold", "value": 7.5, "unit": "%"}
        ).status_code
        == 201
    )
    assert (
        writer.post(
            url, json={"bydel": "Søgne", "source": "kvalitativ", "text": "Rolig på Tangvall.", "from": "Utekontakten"}
        ).status_code
        == 201
    )
    assert writer.post(url, json={"bydel": "Atlantis", "source": "ungdata", "name": "X"}).status_code == 422
    assert writer.post(url, json={"bydel": "Lund", "source": "rykter", "name": "X"}).status_code == 422
    assert writer.post(url, json={"bydel": "Lund", "source": "kvalitativ"}).status_code == 422
    assert writer.post(url, json={"bydel": "Lund", "source": "ungdata", "name": "X", "value": "mye"}).status_code == 422
    assert api_for("viewer").post(url, json={"bydel": "Lund", "source": "ungdata", "name": "X"}).status_code == 403

    overview = api_for("viewer").get("/api/v1/cooperation/oversiktsbilde/2027").json
    assert overview["districts"] == list(BYDELER)
    assert len(overview["by_district"]["Grim"]["kriminalstatistikk"]) == 1
    assert overview["by_district"]["Søgne"]["kvalitativ"][0]["from"] == "Utekontakten"
    saved = writer.patch(
        "/api/v1/cooperation/oversiktsbilde/2027",
        json={
            "summary": "Nedgang blant de yngste.",
            "conclusions": ["Videreføre innsatsen."],
            "version": overview["version"],
        },
    )
    assert saved.status_code == 200 and saved.json["conclusions"] == ["Videreføre innsatsen."]

    response = api_for("viewer").get("/cooperation/oversiktsbilde/2027.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in (
        "Grim",
        "Anmeldte forhold",
        "Ungdata",
        "Rolig på Tangvall",
        "Kvalitativ informasjon",
        "Nedgang blant de yngste",
    ):
        assert expected in text
    outside = api_for("viewer").get("/api/v1/cooperation/oversiktsbilde/2030")
    assert (
        outside.status_code == 422
        and "Ingen registrert samarbeidsavtale gjelder for 2030" in outside.json["error"]["message"]
    )


PAGES = [
    "/cooperation",
    "/cooperation?year=2027",
    "/cooperation/directory",
    "/cooperation/agreement",
    "/cooperation/oversiktsbilde/2026",
]


@pytest.mark.parametrize("role", ["viewer", "prevention_coordinator", "police"])
def test_pages_render_for_readers_and_writers(seeded, users, role):
    client = seeded.test_client()
    login(client, users[role][1], users[role][2])
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert 'id="coop-page"' in html and "<script>" not in html and " style=" not in html
    index = client.get("/cooperation?year=2026").get_data(as_text=True)
    assert "Årshjul 2026" in index and "Trusselvurdering" in index
    assert ("Fastsett møtedatoer" in index) == (role != "viewer")
    directory = client.get("/cooperation/directory").get_data(as_text=True)
    assert ("+47 00 00" in directory) == (role != "viewer")
    assert all(bydel in directory for bydel in BYDELER)


def test_meeting_page_shows_follow_up_approvals_and_the_right_buttons(seeded, users, api_for):
    spring_2027 = next(
        item
        for item in api_for("viewer").get("/api/v1/cooperation/annual-cycle/2027").json["items"]
        if item["key"] == "politirad-var"
    )
    path = f"/cooperation/meetings/{spring_2027['meeting_id']}"
    pages = {}
    for role in ("viewer", "police", "prevention_coordinator"):
        client = seeded.test_client()
        login(client, users[role][1], users[role][2])
        pages[role] = client.get(path).get_data(as_text=True)
    assert "Oppfølging av vedtak" in pages["viewer"] and "Forfalt" in pages["viewer"]
    assert "approve-" not in pages["viewer"] and "send-agenda" not in pages["viewer"]
    assert 'id="approve-politi"' in pages["police"] and 'id="approve-kommune"' not in pages["police"]
    assert 'id="approve-kommune"' in pages["prevention_coordinator"]
    assert 'id="send-agenda"' in pages["prevention_coordinator"]
    # The autumn politiråd links to fixing next year's dates.
    autumn = next(
        item
        for item in api_for("viewer").get("/api/v1/cooperation/annual-cycle/2026").json["items"]
        if item["key"] == "politirad-host"
    )
    client = seeded.test_client()
    login(client, users["prevention_coordinator"][1], users["prevention_coordinator"][2])
    assert "Fastsett møtedatoer for 2027" in client.get(f"/cooperation/meetings/{autumn['meeting_id']}").get_data(
        as_text=True
    )
    assert client.get("/cooperation/meetings/999999").status_code == 404
    assert client.get("/cooperation/annual-cycle/2031.ics").status_code == 404


def test_start_page_panel_shows_next_meeting_and_overdue_decisions(seeded, users):
    client = seeded.test_client()
    login(client, users["viewer"][1], users["viewer"][2])
    html = client.get("/").get_data(as_text=True)
    assert "Samarbeid med politiet" in html
    assert re.search(r"Neste møte: [^<]+2027", html)
    assert "vedtak har passert fristen" in html
    assert "Forfalt 01.09.2026" in html
