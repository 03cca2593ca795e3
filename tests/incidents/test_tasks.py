"""Tasks: status flow, optimistic locking (R8: one 200, one 409), events on the incident channel."""

import threading
from datetime import UTC, datetime, timedelta

from tests.conftest import Api, gen_user


def _task(api, incident_id: int, **fields) -> dict:
    response = api.post(f"/api/v1/incidents/{incident_id}/tasks", json={"title": "Kartlegg utsatte områder", **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_two_patches_with_the_same_version_one_wins_one_gets_409(api_for, new_incident):
    api = api_for("crisis_staff")
    task = _task(api, new_incident(api))
    first = api.patch(f"/api/v1/tasks/{task['id']}", json={"status": "started", "version": task["version"]})
    second = api_for("police").patch(
        f"/api/v1/tasks/{task['id']}", json={"status": "done", "assignee": "Politikontakt", "version": task["version"]}
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert "endret av noen andre" in second.json["error"]["message"]
    now = api.get(f"/api/v1/tasks/{task['id']}").json
    assert (now["status"], now["assignee"], now["version"]) == ("started", "", task["version"] + 1)


def test_concurrent_patches_with_the_same_version_never_both_succeed(any_app, new_incident):
    """R8 with real concurrency, on SQLite and PostgreSQL."""
    users = [gen_user(any_app, "crisis_staff") for _ in range(2)]
    apis = [Api(any_app.test_client(), u[3]) for u in users]
    task = _task(apis[0], new_incident(apis[0]))
    start = threading.Barrier(2)
    results: list = [None, None]

    def patcher(index: int, status: str) -> None:
        start.wait()
        results[index] = apis[index].patch(
            f"/api/v1/tasks/{task['id']}", json={"status": status, "version": task["version"]}
        )

    threads = [
        threading.Thread(target=patcher, args=(0, "started")),
        threading.Thread(target=patcher, args=(1, "done")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409]
    winner = next(r for r in results if r.status_code == 200).json
    stored = apis[0].get(f"/api/v1/tasks/{task['id']}").json
    assert stored["status"] == winner["status"] and stored["version"] == task["version"] + 1


def test_patch_without_version_is_refused(api_for, new_incident):
    api = api_for("crisis_staff")
    task = _task(api, new_incident(api))
    for body in ({"status": "done"}, {"status": "done", "version": "1"}, {"status": "done", "version": True}):
        response = api.patch(f"/api/v1/tasks/{task['id']}", json=body)
        assert response.status_code == 422
    assert api.patch(f"/api/v1/tasks/{task['id']}", json={"status": "ferdig", "version": 1}).status_code == 422
    assert api.get(f"/api/v1/tasks/{task['id']}").json["status"] == "new"


def test_status_flow_and_events(api_for, new_incident, app, events_of):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    due = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    task = _task(api, incident_id, assignee="EPS-leder", due=due)
    assert task["status"] == "new" and task["assignee"] == "EPS-leder" and task["overdue"] is False
    version = task["version"]
    for status in ("started", "done", "started"):
        response = api.patch(f"/api/v1/tasks/{task['id']}", json={"status": status, "version": version})
        assert response.status_code == 200
        version = response.json["version"]
    events = [e for e in events_of(app, f"incident:{incident_id}") if e.type.startswith("task.")]
    assert [(e.type, e.data["status"], e.data["version"]) for e in events] == [
        ("task.created", "new", 1),
        ("task.updated", "started", 2),
        ("task.updated", "done", 3),
        ("task.updated", "started", 4),
    ]
    assert api.get(f"/api/v1/incidents/{incident_id}/tasks").json["tasks"][0]["status"] == "started"


def test_overdue_is_reported(api_for, new_incident):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    late = _task(api, incident_id, title="Pressemelding", due=past)
    assert late["overdue"] is True
    done = api.patch(f"/api/v1/tasks/{late['id']}", json={"status": "done", "version": late["version"]}).json
    assert done["overdue"] is False


def test_due_without_offset_is_oslo_time_and_clearing_fields_works(api_for, new_incident):
    api = api_for("crisis_staff")
    incident_id = new_incident(api)
    # The one datetime rule: an ISO 8601 time without an offset is Oslo wall-clock time (CET in January).
    local = api.post(f"/api/v1/incidents/{incident_id}/tasks", json={"title": "x", "due": "2026-01-01T12:00"})
    assert local.status_code == 201
    assert datetime.fromisoformat(local.json["due"]) == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)
    for bad in ("2026-01-01", "1. januar", "2026-13-01T12:00"):
        refused = api.post(f"/api/v1/incidents/{incident_id}/tasks", json={"title": "x", "due": bad})
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["due"]
    task = _task(api, incident_id, assignee="Loggfører", due="2026-01-01T12:00:00+01:00")
    cleared = api.patch(f"/api/v1/tasks/{task['id']}", json={"assignee": None, "due": None, "version": task["version"]})
    assert cleared.status_code == 200
    assert (cleared.json["assignee"], cleared.json["due"]) == ("", None)


def test_task_writes_need_task_permission(api_for, new_incident):
    incident_id = new_incident(api_for("coordinator"))
    task = _task(api_for("coordinator"), incident_id)
    for role in ("viewer", "eps_staff", "observer"):
        api = api_for(role)
        assert api.post(f"/api/v1/incidents/{incident_id}/tasks", json={"title": "x"}).status_code == 403
        assert api.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done", "version": 1}).status_code == 403
        assert api.get(f"/api/v1/tasks/{task['id']}").status_code == 200
    assert api_for("viewer").get("/api/v1/tasks/999999").status_code == 404
