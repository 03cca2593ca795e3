"""The structured yearly evaluation of the agreement (§6, issue 16 point 7): per innsatsområde and
samarbeidsområde, fortløpende notes gathered into it, the old one-field evaluation kept readable, and the PDF."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from tests.conftest import Api, cli, prepare_database
from tests.cooperation.test_agreement_text import COOPERATION_AREAS, FOCUS_AREAS

YEAR = 2026


def _put(api: Api, path: str, body: dict):
    return api.client.put(path, json=body, headers=api._headers())


def _area(evaluation: dict, key: str, title: str) -> dict:
    return next(a for a in evaluation[key] if a["title"] == title)


def _pdf_text(data: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # Lines may break (and hyphenate) inside a phrase; compare on one line of single spaces.
    return " ".join(raw.replace("-\n", "").split())


def test_structured_evaluation_with_notes_and_its_pdf(api):
    kfk, police = api("prevention_coordinator"), api("police")
    evaluation = kfk.get(f"/api/v1/cooperation/evaluation/{YEAR}").json
    assert [a["title"] for a in evaluation["focus_areas"]] == FOCUS_AREAS
    assert [a["title"] for a in evaluation["cooperation_areas"]] == COOPERATION_AREAS
    assert all(a["entry"]["status"] == "ikke_vurdert" and a["entry"]["version"] == 0 for a in evaluation["focus_areas"])

    vold = _area(evaluation, "focus_areas", "Vold i nære relasjoner")
    saved = _put(
        kfk,
        f"/api/v1/cooperation/evaluation/{YEAR}/innsatsomrade/{vold['id']}",
        {
            "status": "fungerer",
            "worked": "Felles kartleggingsrutine tatt i bruk",
            "change": "Faste drøftingsmøter hver måned",
            "owner": "Politikontakt Kristiansand",
            "version": 0,
        },
    )
    assert saved.status_code == 200, saved.json
    assert saved.json["status_title"] == "Fungerer godt" and saved.json["version"] == 1
    uteliv = _area(evaluation, "cooperation_areas", "Trygt uteliv")
    saved_area = _put(
        police,
        f"/api/v1/cooperation/evaluation/{YEAR}/samarbeidsomrade/{uteliv['id']}",
        {"status": "ma_endres", "worked": "Skjenkekontroller sammen", "change": "Vakter i sentrum", "version": 0},
    )
    assert saved_area.status_code == 200, saved_area.json

    hat = _area(evaluation, "focus_areas", "Hatkriminalitet og hatefulle ytringer")
    note = kfk.post(
        "/api/v1/cooperation/evaluation-notes",
        json={
            "text": "Meldingsrutinen fra skolene virker",
            "target": "innsatsomrade",
            "target_id": hat["id"],
            "noted_on": f"{YEAR}-03-02",
        },
    )
    assert note.status_code == 201, note.json
    general = police.post(
        "/api/v1/cooperation/evaluation-notes",
        json={"text": "Politirådet ønsker kortere saksliste", "noted_on": f"{YEAR}-05-11"},
    )
    assert general.status_code == 201 and general.json["target"] == "generelt" and general.json["year"] == YEAR

    gathered = api("viewer").get(f"/api/v1/cooperation/evaluation/{YEAR}").json
    assert _area(gathered, "focus_areas", "Vold i nære relasjoner")["entry"]["owner"] == "Politikontakt Kristiansand"
    assert [n["text"] for n in _area(gathered, "focus_areas", hat["title"])["notes"]] == [
        "Meldingsrutinen fra skolene virker"
    ]
    assert [n["text"] for n in gathered["general_notes"]] == ["Politirådet ønsker kortere saksliste"]
    assert gathered["status_counts"]["fungerer"] == 1 and gathered["status_counts"]["ma_endres"] == 1

    page = kfk.get(f"/cooperation/evaluation/{YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Meldingsrutinen fra skolene virker" in html and "Evaluer Trygt uteliv" in html
    assert "Evaluer Trygt uteliv" not in api("viewer").get(f"/cooperation/evaluation/{YEAR}").get_data(as_text=True)

    pdf = api("viewer").get(f"/cooperation/evaluation/{YEAR}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    content = _pdf_text(pdf.data)
    assert f"Evaluering av samarbeidsavtalen {YEAR}" in content
    for title in FOCUS_AREAS + COOPERATION_AREAS:
        assert title in content, title
    for entered in (
        "Felles kartleggingsrutine tatt i bruk",
        "Faste drøftingsmøter hver måned",
        "Politikontakt Kristiansand",
        "Skjenkekontroller sammen",
        "Vakter i sentrum",
        "Må endres",
        "Meldingsrutinen fra skolene virker",
        "Politirådet ønsker kortere saksliste",
    ):
        assert entered in content, entered


def test_bad_evaluation_input_changes_nothing(api):
    kfk = api("prevention_coordinator")
    evaluation = kfk.get(f"/api/v1/cooperation/evaluation/{YEAR}").json
    area = evaluation["focus_areas"][0]
    path = f"/api/v1/cooperation/evaluation/{YEAR}/innsatsomrade/{area['id']}"
    assert _put(kfk, path, {"status": "bra", "version": 0}).status_code == 422
    assert _put(kfk, path, {"worked": "x" * 4001, "version": 0}).status_code == 422
    assert _put(api("viewer"), path, {"status": "delvis", "version": 0}).status_code == 403
    assert _put(kfk, f"/api/v1/cooperation/evaluation/{YEAR}/fokus/{area['id']}", {"version": 0}).status_code == 404
    other = evaluation["cooperation_areas"][0]["id"] + 1000
    assert _put(kfk, f"/api/v1/cooperation/evaluation/{YEAR}/samarbeidsomrade/{other}", {}).status_code == 422
    uncovered = _put(kfk, f"/api/v1/cooperation/evaluation/2040/innsatsomrade/{area['id']}", {"version": 0})
    assert uncovered.status_code == 422 and "2040" in uncovered.json["error"]["message"]
    assert _put(kfk, path, {"status": "delvis", "version": 0}).status_code == 200
    stale = _put(kfk, path, {"status": "fungerer", "version": 0})
    assert stale.status_code == 409
    notes = "/api/v1/cooperation/evaluation-notes"
    assert kfk.post(notes, json={"text": ""}).status_code == 422
    assert kfk.post(notes, json={"text": "x", "target": "innsatsomrade"}).status_code == 422
    assert kfk.post(notes, json={"text": "x", "noted_on": "2999-01-01"}).status_code == 422
    assert kfk.post(notes, json={"text": "x", "noted_on": "2. mars"}).status_code == 422
    after = kfk.get(f"/api/v1/cooperation/evaluation/{YEAR}").json
    assert after["focus_areas"][0]["entry"]["status"] == "delvis" and after["notes_count"] == 0


def test_an_old_one_field_evaluation_stays_readable_as_a_general_note(api):
    kfk = api("prevention_coordinator")
    old = kfk.post("/api/v1/cooperation/agreement/evaluations", json={"year": YEAR, "summary": "Avtalen fungerer."})
    assert old.status_code == 201, old.json
    notes = kfk.get(f"/api/v1/cooperation/evaluation/{YEAR}").json["general_notes"]
    assert [(n["text"], n["legacy"]) for n in notes] == [("Avtalen fungerer.", True)]


@pytest.mark.slow  # `flask db upgrade` in a process of its own
def test_the_migration_carries_old_evaluations_over_as_general_notes(tmp_path):
    url = f"sqlite:///{tmp_path / 'carry.db'}"
    instance = tmp_path / "instance"
    result = cli(url, instance, "db", "upgrade", "b15a0c3e7d21")
    assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO coop_agreements (id, title, period_start, period_end, period_basis, parties, signatories,"
                " goals, mandates, outside_note, summary, focus_areas_note, version) VALUES (1, 'Avtale', 2025, 2028,"
                " '', '[]', '[]', '[]', '{}', '', '', '', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO coop_agreement_evaluations (id, agreement_id, year, summary, created_at, version) VALUES"
                " (7, 1, 2025, 'Samarbeidet om uteliv må styrkes.', '2025-11-20 10:00:00+00:00', 1),"
                " (8, 1, 2024, '', '2024-11-20 10:00:00+00:00', 1)"
            )
        )
    prepare_database(url, instance, migrations=True)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT year, target, target_id, text, noted_on, legacy_evaluation_id FROM coop_evaluation_notes")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(2025, "generelt", None, "Samarbeidet om uteliv må styrkes.", "2025-11-20", 7)]
