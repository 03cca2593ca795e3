"""An action card whose measure is an alert: sending the alert from it marks the card's task done, in the same
transaction (issue 21, point 2)."""

from sqlalchemy import func, select

from beredskap.extensions import db
from beredskap.roster.models import Alert
from tests.conftest import login


def _alerts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Alert))


def _cards(api, incident_id):
    return {c["title"]: c for c in api.get(f"/api/v1/incidents/{incident_id}/actioncards").json["actioncards"]}


def _setup(app, api):
    with app.app_context():
        from beredskap.incidents.demo import seed_action_cards

        seed_action_cards()
    incident = api.post("/api/v1/incidents", json={"title": "Brann i Kvadraturen", "type": "brann"}).json
    return incident, _cards(api, incident["id"])


def test_alert_sent_from_an_alerting_card_marks_its_task_done(roster_app, api_for):
    api = api_for("coordinator")
    incident, cards = _setup(roster_app, api)
    card = cards["Varsle kriseledelsen"]
    assert card["alert_team"] == "kriseledelse"
    assert cards["Pressemelding og nettsak"]["alert_team"] is None

    sent = api.post(
        "/api/v1/alerts",
        json={
            "group": "kriseledelse",
            "message": "Brann i Kvadraturen: møt i kriserommet.",
            "incident_id": incident["id"],
            "action_card_id": card["id"],
        },
    )
    assert sent.status_code == 201, sent.json
    assert sent.json["incident_id"] == incident["id"]
    tasks = api.get(f"/api/v1/incidents/{incident['id']}/tasks").json["tasks"]
    made = [t for t in tasks if t["action_card_id"] == card["id"]]
    assert len(made) == 1 and made[0]["status"] == "done" and made[0]["title"] == "Varsle kriseledelsen"
    # The board hears it: the task arrives as done on the incident's channel.
    events = api.get(f"/api/v1/channels/incident:{incident['id']}/events?since=0").json["events"]
    assert [e["data"]["status"] for e in events if e["type"].startswith("task.")][-1] == "done"


def test_an_already_adopted_task_is_the_one_marked_done(roster_app, api_for):
    api = api_for("coordinator")
    incident, cards = _setup(roster_app, api)
    card = cards["Aktiver psykososialt kriseteam"]
    adopted = api.post(f"/api/v1/incidents/{incident['id']}/actioncards/adopt", json={"card_ids": [card["id"]]})
    assert adopted.status_code in (200, 201)
    body = {"group": "psykososialt_kriseteam", "message": "Oppmøte.", "incident_id": incident["id"]}
    assert api.post("/api/v1/alerts", json={**body, "action_card_id": card["id"]}).status_code == 201
    tasks = [t for t in api.get(f"/api/v1/incidents/{incident['id']}/tasks").json["tasks"] if t["action_card_id"]]
    assert [(t["id"], t["status"]) for t in tasks] == [(adopted.json["tasks"][0]["id"], "done")]


def test_a_card_that_is_no_alert_or_no_incident_is_refused_and_nothing_is_sent(roster_app, api_for):
    api = api_for("coordinator")
    incident, cards = _setup(roster_app, api)
    body = {"group": "kriseledelse", "message": "Møt opp.", "incident_id": incident["id"]}
    plain = api.post("/api/v1/alerts", json={**body, "action_card_id": cards["Pressemelding og nettsak"]["id"]})
    assert plain.status_code == 422 and plain.json["error"]["fields"] == {"action_card_id": "ikke varsling"}
    unknown = api.post("/api/v1/alerts", json={**body, "action_card_id": 999999})
    assert unknown.status_code == 422 and unknown.json["error"]["fields"] == {"action_card_id": "ukjent"}
    no_incident = api.post(
        "/api/v1/alerts",
        json={"group": "kriseledelse", "message": "Møt opp.", "action_card_id": cards["Varsle kriseledelsen"]["id"]},
    )
    assert no_incident.status_code == 422 and no_incident.json["error"]["fields"] == {"incident_id": "påkrevd"}
    assert _alerts(roster_app) == 0
    assert api.get(f"/api/v1/incidents/{incident['id']}/tasks").json["tasks"] == []


def test_card_library_validates_the_team_to_alert(roster_app, api_for):
    api = api_for("admin")
    bad = api.post("/api/v1/actioncards", json={"type": "flom", "title": "Varsle noen", "alert_team": "alle_sammen"})
    assert bad.status_code == 422 and bad.json["error"]["fields"] == {"alert_team": "ukjent"}
    good = api.post("/api/v1/actioncards", json={"type": "flom", "title": "Varsle EPS", "alert_team": "eps_ledelse"})
    assert good.status_code == 201 and good.json["alert_team"] == "eps_ledelse"


def test_roster_form_opened_from_a_card_is_prefilled(roster_app, api_for, users):
    api = api_for("coordinator")
    incident, cards = _setup(roster_app, api)
    card = cards["Varsle kriseledelsen"]
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    html = client.get(f"/roster?incident_id={incident['id']}&group=kriseledelse&card={card['id']}").get_data(
        as_text=True
    )
    assert '<option value="kriseledelse" selected>' in html
    assert f'<option value="{incident["id"]}" selected>' in html
    assert f'name="action_card_id" value="{card["id"]}"' in html
    assert "Brann i Kvadraturen: Varsle kriseledelsen." in html
    # A card that is no alert is not carried into the form.
    other = client.get(f"/roster?incident_id={incident['id']}&card={cards['Pressemelding og nettsak']['id']}")
    assert 'name="action_card_id"' not in other.get_data(as_text=True)


def test_library_page_marks_a_card_as_an_alert_of_a_team(roster_app, users, api_for):
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    page = client.get("/incidents/tiltakskort").get_data(as_text=True)
    assert 'name="alert_team"' in page and '<option value="kriseledelse">Kriseledelse</option>' in page
    token = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    made = client.post(
        "/incidents/tiltakskort",
        data={"csrf_token": token, "type": "ekstremvaer", "title": "Varsle EPS-ledelsen", "alert_team": "eps_ledelse"},
    )
    assert made.status_code == 302
    card = api_for("viewer").get("/api/v1/actioncards?type=ekstremvaer").json["actioncards"][0]
    assert card["alert_team"] == "eps_ledelse"
    cleared = client.post(
        f"/incidents/tiltakskort/{card['id']}",
        data={"csrf_token": token, "type": "ekstremvaer", "title": card["title"], "version": "1", "alert_team": ""},
    )
    assert cleared.status_code == 302
    assert api_for("viewer").get(f"/api/v1/actioncards/{card['id']}").json["alert_team"] is None
