"""Observation against objectives, evaluation per objective, læringspunkter, the action plan and the PDF report."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from beredskap.exercises.models import Observation
from beredskap.extensions import db
from tests.conftest import login


@pytest.fixture
def running(api_for, scenario):
    """A started exercise (id)."""
    planner = api_for("exercise_planner")
    exercise_id = planner.post("/api/v1/exercises", json=scenario()).json["id"]
    assert planner.post(f"/api/v1/exercises/{exercise_id}/start", json={"speed": 10}).status_code == 201
    return exercise_id


def put(api, path: str, json: dict):
    """PUT with the API token (the shared Api helper has no put)."""
    return api.client.put(path, json=json, headers=api._headers())


def observation_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Observation))


def test_observation_against_an_objective_is_timed(api_for, running):
    response = api_for("observer").post(
        f"/api/v1/exercises/{running}/observations",
        json={"objective": "M1", "text": "Kriseledelsen møtte etter 12 minutter."},
    )

    assert response.status_code == 201
    assert response.json["objective"] == "M1" and response.json["at"]
    assert response.json["exercise_seconds"] is not None and response.json["observer"].startswith("observer.")
    listed = api_for("viewer").get(f"/api/v1/exercises/{running}/observations").json["observations"]
    assert [o["text"] for o in listed] == ["Kriseledelsen møtte etter 12 minutter."]


def test_observation_is_announced_on_the_exercise_channel_by_id_only(api_for, running):
    planner = api_for("exercise_planner")
    incident_id = planner.get(f"/api/v1/exercises/{running}").json["incident_id"]
    text = "Kommunikasjonen med politiet sviktet i 20 minutter."
    observer = api_for("observer")
    saved = observer.post(f"/api/v1/exercises/{running}/observations", json={"objective": "M1", "text": text})
    events = api_for("viewer").get(f"/api/v1/channels/incident:{incident_id}/events").json["events"]
    added = [e for e in events if e["type"] == "observation.added"]
    assert [e["data"] for e in added] == [{"exercise_id": running, "id": saved.json["id"]}]
    assert text not in str(events)


@pytest.mark.parametrize("objective", ["M9", "m1", "", 7, ["M1"]])
def test_observation_on_an_unknown_objective_is_refused(app, api_for, running, objective):
    response = api_for("observer").post(
        f"/api/v1/exercises/{running}/observations", json={"objective": objective, "text": "Noe skjedde."}
    )

    if objective == "":
        # No objective at all is a general observation; only a named objective must exist.
        assert response.status_code == 201 and response.json["objective"] is None
        return
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"objective": response.json["error"]["fields"]["objective"]}
    assert "mål" in response.json["error"]["message"].lower()
    if objective == "M9":
        assert "M9" in response.json["error"]["message"] and "M1, M2" in response.json["error"]["message"]
    assert observation_count(app) == 0


def test_observations_need_the_permission_and_a_text(api_for, running):
    assert (
        api_for("crisis_staff")
        .post(f"/api/v1/exercises/{running}/observations", json={"objective": "M1", "text": "x"})
        .status_code
        == 403
    )
    assert (
        api_for("observer")
        .post(f"/api/v1/exercises/{running}/observations", json={"objective": "M1", "text": "  "})
        .status_code
        == 422
    )


def test_rating_needs_a_known_rating_and_reasoning_and_the_version_to_change(api_for, running):
    evaluator = api_for("exercise_planner")
    url = f"/api/v1/exercises/{running}/objectives/M1/evaluation"

    assert put(evaluator, url, json={"rating": "strålende", "reasoning": "x"}).status_code == 422
    assert put(evaluator, url, json={"rating": "oppnådd"}).status_code == 422
    assert (
        put(
            evaluator,
            f"/api/v1/exercises/{running}/objectives/M7/evaluation",
            json={"rating": "oppnådd", "reasoning": "x"},
        ).status_code
        == 404
    )
    first = put(evaluator, url, json={"rating": "delvis oppnådd", "reasoning": "Innkalt etter 25 min."})
    assert first.status_code == 200 and first.json["rating"] == "delvis oppnådd"
    assert put(evaluator, url, json={"rating": "oppnådd", "reasoning": "Uten versjon"}).status_code == 409
    second = put(
        evaluator,
        url,
        json={"rating": "achieved", "reasoning": "Etter ny vurdering.", "version": first.json["version"]},
    )
    assert second.status_code == 200 and second.json["rating"] == "oppnådd"
    assert put(api_for("observer"), url, json={"rating": "oppnådd", "reasoning": "x"}).status_code == 403


def test_action_plan_is_followed_up_until_done(api_for, running):
    evaluator = api_for("exercise_planner")
    created = evaluator.post(
        f"/api/v1/exercises/{running}/actions",
        json={"action": "Oppdatere varslingslista", "owner": "Beredskapskoordinator", "deadline": "2026-03-01"},
    )
    assert created.status_code == 201 and created.json["status"] == "open"
    url = f"/api/v1/exercise-actions/{created.json['id']}"

    started = evaluator.patch(
        url, json={"status": "in_progress", "followup": "Utkast sendt.", "version": created.json["version"]}
    )
    assert started.status_code == 200 and started.json["done_at"] is None
    assert evaluator.patch(url, json={"status": "done", "version": created.json["version"]}).status_code == 409
    assert evaluator.patch(url, json={"status": "ferdig", "version": started.json["version"]}).status_code == 422
    open_items = evaluator.get("/api/v1/exercise-actions?status=not_done").json["actions"]
    assert [a["id"] for a in open_items] == [created.json["id"]]
    done = evaluator.patch(url, json={"status": "done", "version": started.json["version"]})
    assert done.status_code == 200 and done.json["done_at"]
    assert evaluator.get("/api/v1/exercise-actions?status=not_done").json["actions"] == []
    assert api_for("viewer").get(f"/api/v1/exercises/{running}/actions").json["actions"][0]["status"] == "done"
    assert evaluator.post(f"/api/v1/exercises/{running}/actions", json={"action": "Uten eier"}).status_code == 422


def test_lessons_are_kept_or_improve_points(api_for, running):
    evaluator = api_for("exercise_planner")
    lesson = evaluator.post(
        f"/api/v1/exercises/{running}/lessons",
        json={"text": "Loggen ble ført fortløpende.", "kind": "bevare", "objective": "M1"},
    )
    assert lesson.status_code == 201
    assert (
        evaluator.post(f"/api/v1/exercises/{running}/lessons", json={"text": "x", "kind": "glemme"}).status_code == 422
    )
    assert (
        evaluator.post(f"/api/v1/exercises/{running}/lessons", json={"text": "x", "objective": "M5"}).status_code == 422
    )
    changed = evaluator.patch(
        f"/api/v1/lessons/{lesson.json['id']}", json={"kind": "forbedre", "version": lesson.json["version"]}
    )
    assert changed.status_code == 200 and changed.json["kind"] == "forbedre"
    assert evaluator.delete(f"/api/v1/lessons/{lesson.json['id']}").status_code == 204
    assert evaluator.get(f"/api/v1/exercises/{running}/lessons").json["lessons"] == []


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def test_evaluation_pdf_lists_objectives_ratings_lessons_actions_with_ovelse_on_every_page(
    app, api_for, users, running
):
    evaluator = api_for("exercise_planner")
    put(
        evaluator,
        f"/api/v1/exercises/{running}/objectives/M1/evaluation",
        json={"rating": "oppnådd", "reasoning": "Kriseledelsen var samlet etter 14 minutter."},
    )
    put(
        evaluator,
        f"/api/v1/exercises/{running}/objectives/M2/evaluation",
        json={"rating": "ikke oppnådd", "reasoning": "Ingen melding på nettsiden."},
    )
    api_for("observer").post(
        f"/api/v1/exercises/{running}/observations",
        json={"objective": "M2", "text": "Kommunikasjon ventet på kriseledelsen."},
    )
    evaluator.post(
        f"/api/v1/exercises/{running}/lessons",
        json={"text": "Forhåndsgodkjente meldingsmaler mangler.", "kind": "forbedre"},
    )
    # Enough actions to need more than one page.
    for number in range(1, 41):
        evaluator.post(
            f"/api/v1/exercises/{running}/actions",
            json={
                "action": f"Tiltak nummer {number}: lage meldingsmal for flom",
                "owner": "Kommunikasjonssjef",
                "deadline": "2026-05-01",
            },
        )
    evaluator.post(f"/api/v1/exercises/{running}/finish", json={})
    client = app.test_client()
    login(client, users["viewer"][1], users["viewer"][2])

    response = client.get(f"/exercises/{running}/evaluation.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) > 1
    assert all("ØVELSE" in page for page in pages)
    text = " ".join(pages)
    for expected in (
        "M1",
        "Etablere kriseledelse",
        "M2",
        "Informere befolkningen",
        "Oppnådd",
        "Ikke oppnådd",
        "Kriseledelsen var samlet etter 14 minutter",
        "Forhåndsgodkjente meldingsmaler mangler",
        "Tiltak nummer 1:",
        "Tiltak nummer 40:",
        "Kommunikasjonssjef",
        "Planlagt",
    ):
        assert expected in text, expected


def test_evaluation_page_and_pdf_of_unknown_exercise_are_404(app, users):
    client = app.test_client()
    login(client, users["viewer"][1], users["viewer"][2])

    assert client.get("/exercises/4242/evaluation.pdf").status_code == 404
    assert client.get("/exercises/4242/evaluation").status_code == 404
