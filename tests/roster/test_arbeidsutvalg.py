"""«Arbeidsutvalget for kriseledelse» is a roster team led by the sikkerhet- og beredskapskoordinator (§4.3 of the
cooperation agreement, issue 16)."""

from beredskap.extensions import db


def test_the_arbeidsutvalg_is_a_team_led_by_the_beredskapskoordinator(roster_app, api_for):
    roster = api_for("coordinator").get("/api/v1/roster").json
    team = next(t for t in roster["teams"] if t["key"] == "arbeidsutvalg_kriseledelse")
    assert team == {
        "key": "arbeidsutvalg_kriseledelse",
        "title": "Arbeidsutvalget for kriseledelse",
        "leader": "Sikkerhet- og beredskapskoordinator",
    }
    members = [p for p in roster["positions"] if p["team"] == "arbeidsutvalg_kriseledelse"]
    assert members[0]["title"] == "Sikkerhet- og beredskapskoordinator (leder)"
    # In the demo the beredskapskoordinator of the kriseledelse holds it, with the same deputies.
    coordinator = next(p for p in roster["positions"] if p["title"] == "Beredskapssjef/beredskapskoordinator")
    assert members[0]["holder"] == coordinator["holder"]
    assert members[0]["deputies"] == coordinator["deputies"]
    # The team is an alert list like the others, and users add its other functions.
    assert "arbeidsutvalg_kriseledelse" in {g["key"] for g in roster["groups"]}
    added = api_for("coordinator").post(
        "/api/v1/roster/positions", json={"team": "arbeidsutvalg_kriseledelse", "title": "Kriseteamansvarlig"}
    )
    assert added.status_code == 201, added.json


def test_ensure_team_leaders_adds_the_leader_once(app):
    from sqlalchemy import select

    from beredskap.roster.models import Position
    from beredskap.roster.organisation import ensure_team_leaders

    with app.app_context():
        assert ensure_team_leaders() == 1
        assert ensure_team_leaders() == 0
        db.session.commit()
        keys = list(db.session.scalars(select(Position.key)))
        assert keys == ["arbeidsutvalg_kriseledelse.leder"]
