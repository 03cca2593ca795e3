"""GET /incidents/<id>/sitrep.pdf: ØVELSE on every page, title, newest log lines, the issued report first."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import login

LOCATION = {"type": "Point", "coordinates": [8.0085, 58.1545]}


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


def _fill_log(api, incident_id: int, lines: int) -> None:
    for n in range(1, lines + 1):
        response = api.post(
            f"/api/v1/incidents/{incident_id}/log",
            json={"text": f"Melding {n:03d}: vannstanden ved Lundsbroa måles på nytt", "source": "NVE"},
        )
        assert response.status_code == 201


@pytest.mark.slow  # a many-page PDF, about 2 s of CPU
def test_exercise_sitrep_pdf_says_ovelse_on_every_page_with_title_and_newest_lines(api_for, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff, title="Øvelse Flom i Otra – Grim og Lund", kind="exercise", location=LOCATION)
    _fill_log(staff, incident_id, 60)
    staff.post(
        f"/api/v1/incidents/{incident_id}/log",
        json={"text": "Siste: Gimlehallen åpnet som EPS, 14 evakuerte så langt", "category": "tiltak"},
    )
    staff.post(
        f"/api/v1/incidents/{incident_id}/sitreps",
        json={"sections": {"situation": "Otra flommer over; Grim og Lund berørt."}},
    )

    pages = pdf_pages(staff.get(f"/incidents/{incident_id}/sitrep.pdf"))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "ØVELSE" in text, f"side {number} mangler ØVELSE"
        assert "UTKAST" in text, f"side {number} mangler UTKAST"
    whole = "\n".join(pages)
    assert "Øvelse Flom i Otra – Grim og Lund" in whole
    assert "Siste: Gimlehallen åpnet som EPS, 14 evakuerte så langt" in whole
    assert "Melding 060" in whole
    assert "Situasjonsrapport nr. 1" in whole
    assert "Otra flommer over; Grim og Lund berørt." in whole
    # The map of the incident location, with its caption and attribution.
    assert "Hendelsesstedet" in whole and "Kartverket" in whole


def test_real_incident_pdf_is_not_marked_ovelse(api_for, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff, title="Brann i Kvadraturen")
    staff.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Røykutvikling i Markens gate"})
    pages = pdf_pages(staff.get(f"/incidents/{incident_id}/sitrep.pdf"))
    whole = "\n".join(pages)
    assert "ØVELSE" not in whole
    assert "Brann i Kvadraturen" in whole and "Røykutvikling i Markens gate" in whole
    assert "Hendelsesstedet" not in whole  # no location, no map


def test_pdf_shows_the_latest_issued_report_with_its_approver(api_for, new_incident):
    staff, coordinator = api_for("crisis_staff"), api_for("coordinator")
    incident_id = new_incident(staff, title="Flom i Otra")
    staff.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Før rapporten"})
    first = staff.post(
        f"/api/v1/incidents/{incident_id}/sitreps", json={"sections": {"situation": "Rapport en er utsendt."}}
    ).json
    approved = coordinator.post(f"/api/v1/sitreps/{first['id']}/approve", json={"version": first["version"]}).json
    staff.post(f"/api/v1/sitreps/{first['id']}/issue", json={"version": approved["version"]})
    staff.post(f"/api/v1/incidents/{incident_id}/sitreps", json={"sections": {"situation": "Rapport to er et utkast."}})
    staff.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Etter rapporten"})

    whole = "\n".join(pdf_pages(staff.get(f"/incidents/{incident_id}/sitrep.pdf")))
    assert "Situasjonsrapport nr. 1" in whole and "Rapport en er utsendt." in whole
    assert "Godkjent av" in whole and approved["approved_by"] in whole
    assert "UTKAST" not in whole
    assert "Før rapporten" in whole and "Etter rapporten" not in whole

    second = staff.get(f"/api/v1/incidents/{incident_id}/sitreps").json["sitreps"][1]
    draft = "\n".join(pdf_pages(staff.get(f"/incidents/{incident_id}/sitrep.pdf?sitrep={second['id']}")))
    assert "Situasjonsrapport nr. 2" in draft and "UTKAST" in draft and "Etter rapporten" in draft


def test_pdf_without_any_report_is_a_draft_from_the_board(api_for, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff, title="IKT-bortfall rådhuset", type="ikt_bortfall")
    staff.post(
        f"/api/v1/incidents/{incident_id}/tasks",
        json={"title": "Etabler reservesamband", "due": "2020-01-01T12:00:00+01:00"},
    )
    whole = "\n".join(pdf_pages(staff.get(f"/incidents/{incident_id}/sitrep.pdf")))
    assert "UTKAST" in whole and "IKT-bortfall rådhuset" in whole
    assert "Etabler reservesamband" in whole and "Forsinket" in whole


def test_pdf_access_and_bad_input(app, api_for, users, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff)
    assert staff.get(f"/incidents/{incident_id}/sitrep.pdf?sitrep=abc").status_code == 400
    assert staff.get(f"/incidents/{incident_id}/sitrep.pdf?sitrep=999999").status_code == 404
    assert staff.get("/incidents/999999/sitrep.pdf").status_code == 404
    anonymous = app.test_client().get(f"/incidents/{incident_id}/sitrep.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    viewer = app.test_client()
    login(viewer, users["viewer"][1], users["viewer"][2])
    assert viewer.get(f"/incidents/{incident_id}/sitrep.pdf").status_code == 200
