"""Action cards: the library per type (coordinator edits), offered on the board, turned into tasks once."""

from datetime import datetime

from sqlalchemy import func, select

from beredskap.extensions import db
from beredskap.incidents.demo import ACTION_CARDS, seed_demo
from beredskap.incidents.models import ActionCard, Incident, Task


def _card(api, **fields):
    body = {
        "type": "flom",
        "title": "Varsle kriseledelsen",
        "assignee": "Beredskapskoordinator",
        "due_minutes": 15,
        **fields,
    }
    return api.post("/api/v1/actioncards", json=body)


def test_coordinator_edits_the_library_others_cannot(api_for, app, events_of):
    coordinator = api_for("coordinator")
    created = _card(coordinator, description="Bruk varslingslista.")
    assert created.status_code == 201
    card = created.json
    assert (card["type"], card["title"], card["due_minutes"]) == ("flom", "Varsle kriseledelsen", 15)
    for role in ("crisis_staff", "police", "viewer"):
        assert _card(api_for(role)).status_code == 403
        assert (
            api_for(role).patch(f"/api/v1/actioncards/{card['id']}", json={"title": "x", "version": 1}).status_code
            == 403
        )
        assert api_for(role).delete(f"/api/v1/actioncards/{card['id']}").status_code == 403
    assert api_for("exercise_planner").get("/api/v1/actioncards?type=flom").json["actioncards"][0]["id"] == card["id"]

    edited = coordinator.patch(
        f"/api/v1/actioncards/{card['id']}", json={"title": "Varsle kriseledelsen straks", "version": card["version"]}
    )
    assert edited.status_code == 200 and edited.json["title"] == "Varsle kriseledelsen straks"
    stale = coordinator.patch(f"/api/v1/actioncards/{card['id']}", json={"title": "y", "version": card["version"]})
    assert stale.status_code == 409
    assert coordinator.delete(f"/api/v1/actioncards/{card['id']}").status_code == 204
    assert coordinator.get(f"/api/v1/actioncards/{card['id']}").status_code == 404
    kinds = [e.type for e in events_of(app, "global") if e.type.startswith("actioncard.")]
    assert kinds == ["actioncard.created", "actioncard.updated", "actioncard.deleted"]


def test_bad_cards_are_refused(api_for):
    coordinator = api_for("coordinator")
    for fields in (
        {"type": "jordskjelv"},
        {"title": ""},
        {"title": None},
        {"due_minutes": 0},
        {"due_minutes": "15"},
        {"due_minutes": 10**7},
        {"position": 1.5},
    ):
        response = _card(coordinator, **fields)
        assert response.status_code == 422, fields
        assert response.json["error"]["message"]
    assert coordinator.get("/api/v1/actioncards").json["actioncards"] == []
    assert coordinator.get("/api/v1/actioncards?type=jordskjelv").status_code == 400


def test_cards_of_the_type_are_offered_and_adopted_once(api_for, new_incident, app):
    coordinator, staff = api_for("coordinator"), api_for("crisis_staff")
    flood = [_card(coordinator, title=t, due_minutes=m).json for t, m in (("Varsle", 15), ("Prognoser fra NVE", 30))]
    _card(coordinator, type="brann", title="Røykvarsel")
    incident_id = new_incident(staff, type="flom")
    offered = staff.get(f"/api/v1/incidents/{incident_id}/actioncards").json["actioncards"]
    assert [(c["title"], c["task_id"]) for c in offered] == [("Varsle", None), ("Prognoser fra NVE", None)]

    one = staff.post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={"card_ids": [flood[1]["id"]]})
    assert one.status_code == 201
    task = one.json["tasks"][0]
    assert (task["title"], task["assignee"], task["action_card_id"]) == (
        "Prognoser fra NVE",
        "Beredskapskoordinator",
        flood[1]["id"],
    )
    minutes = (datetime.fromisoformat(task["due"]) - datetime.fromisoformat(task["created_at"])).total_seconds() / 60
    assert round(minutes) == 30

    rest = staff.post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={})
    assert [t["title"] for t in rest.json["tasks"]] == ["Varsle"]
    again = staff.post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={})
    assert again.status_code == 201 and again.json["tasks"] == []
    titles = [t["title"] for t in staff.get(f"/api/v1/incidents/{incident_id}/tasks").json["tasks"]]
    assert sorted(titles) == ["Prognoser fra NVE", "Varsle"]
    offered = staff.get(f"/api/v1/incidents/{incident_id}/actioncards").json["actioncards"]
    assert all(c["task_id"] for c in offered)

    assert api_for("viewer").post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={}).status_code == 403
    bad = staff.post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={"card_ids": [999999]})
    assert bad.status_code == 422
    assert (
        staff.post(f"/api/v1/incidents/{incident_id}/actioncards/adopt", json={"card_ids": "alle"}).status_code == 422
    )


def test_opening_with_adopt_makes_tasks_at_once(api_for, new_incident):
    coordinator = api_for("coordinator")
    _card(coordinator, type="brann", title="Motta situasjonsbilde")
    _card(coordinator, type="brann", title="Røykvarsel")
    incident_id = new_incident(coordinator, type="brann", adopt_action_cards=True)
    tasks = coordinator.get(f"/api/v1/incidents/{incident_id}/tasks").json["tasks"]
    assert [t["title"] for t in tasks] == ["Motta situasjonsbilde", "Røykvarsel"]


def test_demo_seed_is_idempotent_and_covers_every_type(app):
    with app.app_context():
        seed_demo()
        cards = db.session.scalar(select(func.count()).select_from(ActionCard))
        incidents = db.session.scalar(select(func.count()).select_from(Incident))
        tasks = db.session.scalar(select(func.count()).select_from(Task))
        assert cards == sum(len(v) for v in ACTION_CARDS.values())
        assert {c.type for c in db.session.scalars(select(ActionCard))} == set(ACTION_CARDS)
        assert seed_demo() == ["Tiltakskortene finnes allerede."]
        assert db.session.scalar(select(func.count()).select_from(ActionCard)) == cards
        assert db.session.scalar(select(func.count()).select_from(Incident)) == incidents
        assert db.session.scalar(select(func.count()).select_from(Task)) == tasks
