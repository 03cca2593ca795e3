"""The crisis organisation: roster contract, editing positions, groups and the rota, pages, PDF, demo seed."""

import io
from datetime import date, datetime, timedelta

from pypdf import PdfReader

from beredskap.extensions import db
from beredskap.roster.schedule import OSLO
from tests.conftest import gen_user, login
from tests.roster.helpers import run_jobs


def test_roster_contract_shape_and_teams(roster_app, api_for):
    roster = api_for("coordinator").get("/api/v1/roster").json
    assert {p["team"] for p in roster["positions"]} == {
        "kriseledelse",
        "krisestab",
        "psykososialt_kriseteam",
        "eps_ledelse",
        "arbeidsutvalg_kriseledelse",
    }
    for position in roster["positions"]:
        assert {"id", "title", "team", "holder", "deputies"} <= set(position)
        assert len(position["deputies"]) == 2
    titles = {p["title"] for p in roster["positions"] if p["team"] == "kriseledelse"}
    assert {"Ordfører", "Kommunedirektør", "Kommuneoverlege"} <= titles
    assert {"key", "title", "members"} <= set(roster["groups"][0])
    keys = {g["key"] for g in roster["groups"]}
    assert {"kriseledelse", "krisestab", "psykososialt_kriseteam", "eps_ledelse", "alle", "kommunikasjon"} <= keys


def test_demo_seed_is_idempotent_and_fictitious(roster_app):
    from beredskap.roster.services import seed_demo

    with roster_app.app_context():
        assert seed_demo() == []
        from sqlalchemy import func, select

        from beredskap.roster.models import Person

        people = db.session.scalars(select(Person)).all()
        assert db.session.scalar(select(func.count()).select_from(Person)) == len(people) > 20
        assert all(p.email.endswith(".example") and p.phone.startswith("+47 000") for p in people)


def test_krisestab_functions_are_configurable_with_holder_and_ordered_deputies(roster_app, api_for):
    api = api_for("coordinator")
    people = [
        api.post(
            "/api/v1/roster/people",
            json={"name": f"Testperson {n}", "phone": f"+47 000 99 {n:03d}", "email": f"t{n}@kommune.example"},
        ).json
        for n in range(3)
    ]
    assert all(p["id"] for p in people)
    created = api.post("/api/v1/roster/positions", json={"team": "krisestab", "title": "Kriseinformasjon web"})
    assert created.status_code == 201
    position = created.json
    assert position["holder"] is None and position["deputies"] == []
    changed = api.patch(
        f"/api/v1/roster/positions/{position['id']}",
        json={
            "holder_id": people[0]["id"],
            "deputy_ids": [people[2]["id"], people[1]["id"]],
            "version": position["version"],
        },
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["holder"]["id"] == people[0]["id"]
    assert [d["id"] for d in changed.json["deputies"]] == [people[2]["id"], people[1]["id"]]
    stale = api.patch(f"/api/v1/roster/positions/{position['id']}", json={"title": "X", "version": position["version"]})
    assert stale.status_code == 409
    duplicate = api.patch(
        f"/api/v1/roster/positions/{position['id']}",
        json={"deputy_ids": [people[0]["id"]], "version": changed.json["version"]},
    )
    assert duplicate.status_code == 422
    assert (
        api_for("crisis_staff").post("/api/v1/roster/positions", json={"team": "krisestab", "title": "X"}).status_code
        == 403
    )
    assert api.post("/api/v1/roster/positions", json={"team": "ukjent", "title": "X"}).status_code == 422
    # The new function can be alerted at once and escalates to its first deputy.
    alert = api.post("/api/v1/alerts", json={"group": f"positions:{position['id']}", "message": "Test"}).json
    assert alert["recipients"][0]["person_id"] == people[0]["id"]
    run_jobs(roster_app, datetime.now(OSLO) + timedelta(minutes=15))
    recipients = api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]
    assert [r["person_id"] for r in recipients] == [people[0]["id"], people[2]["id"]]
    assert api.delete(f"/api/v1/roster/positions/{position['id']}").status_code == 204
    assert api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"][0]["position_id"] is None


def test_saved_groups(roster_app, api_for):
    api = api_for("coordinator")
    positions = api.get("/api/v1/roster").json["positions"]
    chosen = [p["id"] for p in positions if p["title"] in ("Ordfører", "Psykolog")]
    created = api.post("/api/v1/roster/groups", json={"title": "Kjernegruppe natt", "position_ids": chosen})
    assert created.status_code == 201
    assert created.json["key"] == "kjernegruppe-natt" and len(created.json["members"]) == 2
    again = api.post("/api/v1/roster/groups", json={"title": "Kjernegruppe natt", "position_ids": chosen})
    assert again.status_code == 409
    assert api.post("/api/v1/roster/groups", json={"title": "Krisestab", "position_ids": chosen}).status_code == 422
    assert api.post("/api/v1/roster/groups", json={"title": "Tom"}).status_code == 422
    alert = api.post("/api/v1/alerts", json={"group": "kjernegruppe-natt", "message": "Møt."}).json
    assert alert["group"] == "kjernegruppe-natt" and len(alert["recipients"]) == 2
    assert api.delete("/api/v1/roster/groups/kjernegruppe-natt").status_code == 204
    assert api.post("/api/v1/alerts", json={"group": "kjernegruppe-natt", "message": "x"}).status_code == 422


def test_rota_gaps_are_reported(roster_app, api_for):
    api = api_for("coordinator")
    person = api.get("/api/v1/roster/people").json["people"][0]
    day = date(2030, 1, 7)
    for start, end in (("08:00", "20:00"), ("20:00", "23:00")):
        response = api.post(
            "/api/v1/roster/shifts",
            json={
                "team": "krisestab",
                "person_id": person["id"],
                "starts_at": f"{day.isoformat()}T{start}:00+01:00",
                "ends_at": f"{day.isoformat()}T{end}:00+01:00",
            },
        )
        assert response.status_code == 201
    schedule = api.get(f"/api/v1/roster/schedule?from={day.isoformat()}&days=1").json
    team = next(t for t in schedule["teams"] if t["team"] == "krisestab")
    assert team["covered"] is False
    assert [(g["start"][11:16], g["end"][11:16]) for g in team["gaps"]] == [("00:00", "08:00"), ("23:00", "00:00")]
    assert len(team["shifts"]) == 2
    viewer = api_for("viewer").get(f"/api/v1/roster/schedule?from={day.isoformat()}&days=1").json
    assert all(s["person"]["name"] is None for t in viewer["teams"] for s in t["shifts"])
    bad = api.post(
        "/api/v1/roster/shifts",
        json={
            "team": "krisestab",
            "person_id": person["id"],
            "starts_at": "2030-01-07T10:00:00",
            "ends_at": "2030-01-07T09:00:00",
        },
    )
    assert bad.status_code == 422
    assert api.get("/api/v1/roster/schedule?from=igår").status_code == 400
    assert api.get("/api/v1/roster/schedule?days=999").status_code == 400


def test_roster_page_shows_live_board_and_hides_contacts_from_viewer(roster_app, users, api_for):
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt opp."}).json
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get("/roster")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="alert-form"' in html and "Send varsling" in html
    assert f'id="alert-{alert["id"]}"' in html and "Sendt – venter på svar" in html
    assert "/static/js/roster.js" in html and "/static/css/roster.css" in html
    assert "+47 000" in html
    card = client.get(f"/roster/alerts/{alert['id']}/card")
    assert card.status_code == 200 and f'data-alert-id="{alert["id"]}"' in card.get_data(as_text=True)

    viewer = roster_app.test_client()
    login(viewer, users["viewer"][1], users["viewer"][2])
    html = viewer.get("/roster").get_data(as_text=True)
    assert 'id="alert-form"' not in html and "+47" not in html and "Sendt – venter på svar" in html
    assert viewer.get("/roster/admin").status_code == 403
    assert viewer.get("/roster/varslingsliste.pdf").status_code == 403
    assert roster_app.test_client().get("/roster").status_code == 302  # login first


def test_varslingsliste_pdf(roster_app, users, api_for):
    api = api_for("coordinator")
    incident = api.post("/api/v1/incidents", json={"title": "Øvelse Kvadraturen", "kind": "exercise"}).json["id"]
    alert = api.post("/api/v1/alerts", json={"group": "kriseledelse", "message": "Møt.", "incident_id": incident}).json
    client = roster_app.test_client()
    login(client, users["crisis_staff"][1], users["crisis_staff"][2])
    for path in ("/roster/varslingsliste.pdf", f"/roster/alerts/{alert['id']}/varslingsliste.pdf"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
        assert "Ordfører" in text and "Kommuneoverlege" in text
    assert "ØVELSE" in text and "Sendt, ikke besvart" in text


def test_schedule_and_admin_pages(roster_app, users):
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get("/roster/vaktliste")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Vaktliste" in html and 'class="hour covered"' in html
    # Five teams (the Arbeidsutvalget for kriseledelse is the fifth) × seven days with nobody on duty.
    assert client.get("/roster/vaktliste?from=2030-01-07").get_data(as_text=True).count("⚠ Hull 00:00–24:00") == 35
    assert client.get("/roster/admin").status_code == 200
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    created = client.post(
        "/roster/positions", data={"team": "krisestab", "title": "Sambandsleder", "csrf_token": token}
    )
    assert created.status_code == 302 and "/edit" in created.headers["Location"]
    edit = client.get(created.headers["Location"])
    assert edit.status_code == 200 and "Sambandsleder" in edit.get_data(as_text=True)
    assert client.post("/roster/positions", data={"team": "krisestab", "title": "Uten CSRF"}).status_code == 400


def test_roster_on_postgresql_and_sqlite(any_app):
    """The core flow — alert, outbox, answer once, escalation — behaves the same on both databases."""
    any_app.config["ALERT_DELIVERY_KICK"] = False
    with any_app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    _, _, _, token = gen_user(any_app, "coordinator")
    client = any_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    alert = client.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt."}, headers=headers).json
    run_jobs(any_app)
    messages = client.get("/api/v1/outbox", headers=headers).json["messages"]
    assert len(messages) == 2
    run_jobs(any_app, datetime.now(OSLO) + timedelta(minutes=11))
    path = "/ack/" + messages[0]["ack_url"].split("/ack/")[1]
    assert client.post(path, data={"answer": "no"}).status_code == 200
    assert client.post(path, data={"answer": "yes"}).status_code == 409
    statuses = sorted(
        r["status"] for r in client.get(f"/api/v1/alerts/{alert['id']}", headers=headers).json["recipients"]
    )
    # Both holders escalated to their first deputies; one holder then answered «kan ikke» (once).
    assert statuses == ["declined", "escalated", "sent", "sent"]


def test_hostile_input_is_a_4xx_on_both_databases(any_app):
    """NUL bytes, ids beyond 32 bits, far-off years and odd digits never reach the database as errors."""
    any_app.config["ALERT_DELIVERY_KICK"] = False
    with any_app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    _, username, password, token = gen_user(any_app, "coordinator")
    client = any_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    huge = 2**40
    posts = [
        ("/api/v1/alerts", {"group": "kriseledelse", "message": "a\x00b"}),
        ("/api/v1/alerts", {"group": "krise\x00ledelse", "message": "x"}),
        ("/api/v1/alerts", {"positions": [huge], "message": "x"}),
        ("/api/v1/alerts", {"group": f"positions:{huge}", "message": "x"}),
        ("/api/v1/alerts", {"group": "kriseledelse", "message": "x", "incident_id": huge}),
        ("/api/v1/roster/people", {"name": "a\x00"}),
        ("/api/v1/roster/people", {"name": "Ok", "email": "a\x00@b.no"}),
        ("/api/v1/roster/positions", {"team": "krisestab", "title": "\x00"}),
        ("/api/v1/roster/groups", {"title": "G", "position_ids": [huge]}),
        (
            "/api/v1/roster/shifts",
            {
                "team": "krisestab",
                "person_id": huge,
                "starts_at": "2030-01-01T00:00:00+01:00",
                "ends_at": "2030-01-01T08:00:00+01:00",
            },
        ),
        (
            "/api/v1/roster/shifts",
            {
                "team": "krisestab",
                "person_id": 1,
                "starts_at": "9999-12-31T23:00:00-05:00",
                "ends_at": "9999-12-31T23:30:00-05:00",
            },
        ),
    ]
    for path, body in posts:
        response = client.post(path, json=body, headers=headers)
        assert 400 <= response.status_code < 500, (path, body, response.status_code)
    gets = [
        f"/api/v1/alerts/{huge}",
        f"/api/v1/alerts/{huge}/cap.xml",
        "/api/v1/roster/schedule?from=9999-12-31",
        "/api/v1/alerts?limit=²",
        "/api/v1/outbox?alert_id=²",
    ]
    for path in gets:
        assert 400 <= client.get(path, headers=headers).status_code < 500, path
    for path in ("/api/v1/roster/groups/a%00b", f"/api/v1/roster/positions/{huge}"):
        assert 400 <= client.delete(path, headers=headers).status_code < 500, path
    assert (
        client.patch("/api/v1/roster/positions/1", json={"holder_id": huge, "version": 1}, headers=headers).status_code
        == 404
    )
    login(client, username, password)
    assert client.get("/roster/vaktliste?from=9999-12-31").status_code == 200
    assert client.get(f"/roster/positions/{huge}/edit").status_code == 404
    assert client.get("/ack/" + "a" * 43 + "%00").status_code == 404
