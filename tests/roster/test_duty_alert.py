"""«Varsle vakthavende»: an alert to `vakt:<team>` calls whoever the vaktliste has on duty, for the position
they hold or deputise, escalates along that position's deputies, and falls back to the team's first function
when the rota has a gap."""

from datetime import timedelta

from sqlalchemy import delete

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.roster.models import DutyShift
from tests.roster.helpers import run_jobs


def clear_rota(app, team: str) -> None:
    with app.app_context():
        db.session.execute(delete(DutyShift).where(DutyShift.team == team))
        db.session.commit()


def test_the_person_on_duty_is_called_for_their_position_and_escalation_follows_its_deputies(roster_app, api_for):
    api = api_for("coordinator")
    positions = [p for p in api.get("/api/v1/roster").json["positions"] if p["team"] == "krisestab"]
    position = next(p for p in positions if len(p["deputies"]) >= 2)
    first_deputy, second_deputy = position["deputies"][:2]
    clear_rota(roster_app, "krisestab")
    now = utcnow()
    shift = {
        "team": "krisestab",
        "person_id": first_deputy["id"],
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=11)).isoformat(),
    }
    assert api.post("/api/v1/roster/shifts", json=shift).status_code == 201

    duty = {g["key"]: g for g in api.get("/api/v1/roster/duty").json["groups"]}
    assert duty["vakt:krisestab"]["from_rota"] is True
    assert [(m["person_id"], m["position_id"]) for m in duty["vakt:krisestab"]["members"]] == [
        (first_deputy["id"], position["id"])
    ]
    alert = api.post("/api/v1/alerts", json={"group": "vakt:krisestab", "message": "Vakthavende: ring inn."}).json
    assert alert["group_title"] == "Vakthavende – Krisestab"
    assert [(r["person_id"], r["position_id"], r["rank"]) for r in alert["recipients"]] == [
        (first_deputy["id"], position["id"], 1)
    ]
    # No answer: the call goes on to the position's next deputy, not to the rest of the team.
    run_jobs(roster_app, now + timedelta(minutes=11))
    recipients = api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]
    assert [(r["person_id"], r["status"]) for r in recipients] == [
        (first_deputy["id"], "escalated"),
        (second_deputy["id"], "sent"),
    ]


def test_a_gap_in_the_rota_calls_the_teams_first_function(roster_app, api_for):
    api = api_for("coordinator")
    clear_rota(roster_app, "krisestab")
    first = [p for p in api.get("/api/v1/roster").json["positions"] if p["team"] == "krisestab"][0]
    duty = {g["key"]: g for g in api.get("/api/v1/roster/duty").json["groups"]}
    assert duty["vakt:krisestab"]["from_rota"] is False
    alert = api.post("/api/v1/alerts", json={"group": "vakt:krisestab", "message": "Ingen på vakt?"}).json
    assert [(r["person_id"], r["position_id"], r["rank"]) for r in alert["recipients"]] == [
        (first["holder"]["id"], first["id"], 0)
    ]


def test_an_unknown_team_is_refused_and_nothing_is_sent(roster_app, api_for):
    api = api_for("coordinator")
    before = len(api.get("/api/v1/alerts").json["alerts"])
    bad = api.post("/api/v1/alerts", json={"group": "vakt:brannvesen", "message": "Test."})
    assert bad.status_code == 422 and "vakthavende" in bad.json["error"]["message"]
    assert len(api.get("/api/v1/alerts").json["alerts"]) == before
