"""Situation reports: numbering, draft → approved → issued, who may do what, events and audit."""

from sqlalchemy import select

from beredskap.auth.models import AuditRecord
from beredskap.extensions import db


def _create(api, incident_id: int, **body):
    return api.post(f"/api/v1/incidents/{incident_id}/sitreps", json=body)


def test_workflow_draft_approved_issued(api_for, new_incident, app, events_of):
    staff, coordinator = api_for("crisis_staff"), api_for("coordinator")
    incident_id = new_incident(staff)
    created = _create(staff, incident_id, sections={"situation": "Otra flommer over ved Lundsbroa."})
    assert created.status_code == 201
    sitrep = created.json
    assert (sitrep["number"], sitrep["status"], sitrep["approved_by"]) == (1, "draft", None)
    assert sitrep["sections"]["situation"] == "Otra flommer over ved Lundsbroa."
    assert set(sitrep["sections"]) == {
        "situation",
        "actions_taken",
        "actions_planned",
        "consequences",
        "assistance_needed",
        "public_information",
        "next_report",
    }

    saved = staff.patch(
        f"/api/v1/sitreps/{sitrep['id']}",
        json={"sections": {"assistance_needed": "Sandsekker fra Sivilforsvaret."}, "version": sitrep["version"]},
    )
    assert saved.status_code == 200
    assert saved.json["sections"]["situation"] == "Otra flommer over ved Lundsbroa."
    assert saved.json["sections"]["assistance_needed"] == "Sandsekker fra Sivilforsvaret."

    assert (
        staff.post(f"/api/v1/sitreps/{sitrep['id']}/approve", json={"version": saved.json["version"]}).status_code
        == 403
    )
    assert (
        staff.post(f"/api/v1/sitreps/{sitrep['id']}/issue", json={"version": saved.json["version"]}).status_code == 409
    )
    approved = coordinator.post(f"/api/v1/sitreps/{sitrep['id']}/approve", json={"version": saved.json["version"]})
    assert approved.status_code == 200
    assert approved.json["status"] == "approved" and approved.json["approved_by"] and approved.json["approved_at"]

    frozen = staff.patch(
        f"/api/v1/sitreps/{sitrep['id']}",
        json={"sections": {"situation": "endret"}, "version": approved.json["version"]},
    )
    assert frozen.status_code == 409
    issued = staff.post(f"/api/v1/sitreps/{sitrep['id']}/issue", json={"version": approved.json["version"]})
    assert issued.status_code == 200 and issued.json["status"] == "issued" and issued.json["issued_at"]
    assert (
        staff.get(f"/api/v1/sitreps/{sitrep['id']}").json["sections"]["situation"] == "Otra flommer over ved Lundsbroa."
    )

    assert _create(staff, incident_id).json["number"] == 2
    numbers = [s["number"] for s in staff.get(f"/api/v1/incidents/{incident_id}/sitreps").json["sitreps"]]
    assert numbers == [1, 2]

    types = [
        (e.type, e.data.get("status"))
        for e in events_of(app, f"incident:{incident_id}")
        if e.type.startswith("sitrep.")
    ]
    assert types == [
        ("sitrep.created", "draft"),
        ("sitrep.updated", "draft"),
        ("sitrep.approved", "approved"),
        ("sitrep.issued", "issued"),
        ("sitrep.created", "draft"),
    ]
    # Events carry no report text.
    assert all(
        "sections" not in e.data for e in events_of(app, f"incident:{incident_id}") if e.type.startswith("sitrep.")
    )
    with app.app_context():
        actions = db.session.scalars(
            select(AuditRecord.action).where(
                AuditRecord.subject_type == "sitrep", AuditRecord.subject_id == str(sitrep["id"])
            )
        )
        assert sorted(actions) == ["sitrep.approve", "sitrep.issue"]


def test_viewer_and_observer_cannot_write_sitreps(api_for, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff)
    sitrep = _create(staff, incident_id).json
    for role in ("viewer", "observer"):
        api = api_for(role)
        assert _create(api, incident_id).status_code == 403
        assert api.patch(f"/api/v1/sitreps/{sitrep['id']}", json={"sections": {}, "version": 1}).status_code == 403
        assert api.post(f"/api/v1/sitreps/{sitrep['id']}/approve", json={"version": 1}).status_code == 403
        assert api.post(f"/api/v1/sitreps/{sitrep['id']}/issue", json={"version": 1}).status_code == 403
        assert api.get(f"/api/v1/sitreps/{sitrep['id']}").status_code == 200
        assert api.get(f"/api/v1/incidents/{incident_id}/sitreps").status_code == 200
    assert staff.get(f"/api/v1/sitreps/{sitrep['id']}").json["version"] == sitrep["version"]


def test_stale_version_and_bad_sections_are_refused(api_for, new_incident):
    staff = api_for("crisis_staff")
    sitrep = _create(staff, new_incident(staff)).json
    url = f"/api/v1/sitreps/{sitrep['id']}"
    assert staff.patch(url, json={"sections": {"situation": "a"}, "version": sitrep["version"]}).status_code == 200
    stale = staff.patch(url, json={"sections": {"situation": "b"}, "version": sitrep["version"]})
    assert stale.status_code == 409 and stale.json["error"]["message"]
    for bad in (
        {"sections": {"vær": "regn"}, "version": 2},
        {"sections": "tekst", "version": 2},
        {"sections": {"situation": 5}, "version": 2},
        {"sections": {"situation": "x" * 8001}, "version": 2},
        {"sections": {"situation": "x"}},
    ):
        response = staff.patch(url, json=bad)
        assert response.status_code == 422, bad
    assert staff.get(url).json["sections"]["situation"] == "a"
    approve_stale = api_for("coordinator").post(f"{url}/approve", json={"version": 1})
    assert approve_stale.status_code == 409


def test_prefill_drafts_from_the_board(api_for, new_incident):
    staff = api_for("crisis_staff")
    incident_id = new_incident(staff, description="Otra går over sine bredder.")
    staff.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Grim evakueres", "category": "beslutning"})
    staff.post(f"/api/v1/incidents/{incident_id}/log", json={"text": "Kaffe bestilt", "category": "informasjon"})
    task = staff.post(
        f"/api/v1/incidents/{incident_id}/tasks", json={"title": "Åpne EPS i Gimlehallen", "assignee": "EPS-leder"}
    ).json
    sitrep = _create(staff, incident_id, prefill=True).json
    sections = sitrep["sections"]
    assert sections["situation"] == "Otra går over sine bredder."
    assert "Grim evakueres" in sections["actions_taken"] and "Kaffe" not in sections["actions_taken"]
    assert "Åpne EPS i Gimlehallen (EPS-leder)" in sections["actions_planned"]
    staff.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done", "version": task["version"]})
    second = _create(staff, incident_id, prefill=True).json["sections"]
    assert "Åpne EPS i Gimlehallen" in second["actions_taken"]
    assert "Grim evakueres" not in second["actions_taken"]  # reported in nr. 1 already


def test_unknown_ids_are_404(api_for):
    api = api_for("coordinator")
    assert api.get("/api/v1/sitreps/999999").status_code == 404
    assert _create(api, 999999).status_code == 404
    assert api.post("/api/v1/sitreps/999999/approve", json={"version": 1}).status_code == 404
