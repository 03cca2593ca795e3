"""Who is on the board: heartbeats, an event when the set changes, stale viewers dropped."""

from datetime import timedelta

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.incidents import presence
from tests.conftest import Api, gen_user


def test_heartbeats_list_viewers_and_announce_changes(api_for, users, new_incident, app, events_of):
    incident_id = new_incident(api_for("coordinator"))
    url = f"/api/v1/incidents/{incident_id}/presence"
    first = api_for("crisis_staff").post(url)
    assert first.status_code == 200 and first.json["count"] == 1
    second = api_for("viewer").post(url)
    assert second.json["count"] == 2
    assert {p["user_id"] for p in second.json["present"]} == {users["crisis_staff"][0], users["viewer"][0]}
    api_for("viewer").post(url)  # a repeat beat changes nothing
    assert api_for("police").get(url).json["count"] == 2

    changes = [e.data for e in events_of(app, f"incident:{incident_id}") if e.type == "presence.changed"]
    assert [c["count"] for c in changes] == [1, 2]
    assert all(set(c) == {"count", "user_ids"} for c in changes)  # no names in events

    assert api_for("viewer").delete(url).status_code == 204
    assert [p["user_id"] for p in api_for("police").get(url).json["present"]] == [users["crisis_staff"][0]]
    changes = [e.data["count"] for e in events_of(app, f"incident:{incident_id}") if e.type == "presence.changed"]
    assert changes == [1, 2, 1]


def test_quiet_viewers_drop_off(api_for, users, new_incident, app):
    incident_id = new_incident(api_for("coordinator"))
    with app.app_context():
        staff = db.session.get(User, users["crisis_staff"][0])
        police = db.session.get(User, users["police"][0])
        start = utcnow()
        presence.touch_presence(incident_id, staff, start)
        later = start + presence.STALE_AFTER + timedelta(seconds=1)
        assert [p["user_id"] for p in presence.present_users(incident_id, later)] == []
        present = presence.touch_presence(incident_id, police, later)
        assert [p["user_id"] for p in present] == [police.id]


def test_presence_of_unknown_incident_is_404(api_for):
    assert api_for("viewer").post("/api/v1/incidents/999999/presence").status_code == 404
    assert api_for("viewer").get("/api/v1/incidents/999999/presence").status_code == 404


def test_heartbeat_works_on_both_databases(any_app, new_incident):
    _, _, _, token = gen_user(any_app, "crisis_staff")
    api = Api(any_app.test_client(), token)
    incident_id = new_incident(api)
    for _ in range(3):
        response = api.post(f"/api/v1/incidents/{incident_id}/presence")
        assert response.status_code == 200 and response.json["count"] == 1
