"""Alerting end to end in-process: outbox messages, personal answer links, live events, escalation, CAP."""

from datetime import timedelta

from lxml import etree
from sqlalchemy import func, select

from beredskap.clock import utcnow
from beredskap.extensions import db, socketio
from beredskap.roster.models import AlertRecipient, Delivery, OutboxMessage
from tests.conftest import Api
from tests.roster.helpers import ack_path, cap_schema, run_jobs

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def team_members(api, key: str) -> list[dict]:
    groups = {g["key"]: g for g in api.get("/api/v1/roster").json["groups"]}
    return groups[key]["members"]


def send(api, **body) -> dict:
    response = api.post("/api/v1/alerts", json=body)
    assert response.status_code == 201, response.json
    return response.json


def outbox_for(api, alert_id: int) -> list[dict]:
    response = api.get("/api/v1/outbox")
    assert response.status_code == 200
    return [m for m in response.json["messages"] if m["alert_id"] == alert_id]


def open_exercise(api) -> int:
    response = api.post("/api/v1/incidents", json={"title": "Øvelse Otra", "kind": "exercise"})
    assert response.status_code == 201
    return response.json["id"]


def test_alert_to_a_team_gives_one_outbox_message_per_member_with_a_working_link(roster_app, api_for):
    api = api_for("coordinator")
    members = team_members(api, "kriseledelse")
    assert len(members) == 6
    alert = send(api, group="kriseledelse", message="Møt i kriserommet på rådhuset kl. 14.")
    assert {r["person_id"] for r in alert["recipients"]} == {m["person_id"] for m in members}
    assert {r["status"] for r in alert["recipients"]} == {"sent"}
    # Sending happens off the request path: nothing is in the outbox until the queue runs.
    assert outbox_for(api, alert["id"]) == []
    run_jobs(roster_app)
    messages = outbox_for(api, alert["id"])
    assert len(messages) == len(members)
    assert len({m["ack_url"] for m in messages}) == len(members)
    ids = [m["id"] for m in messages]
    assert ids == sorted(ids, reverse=True)  # newest first
    for message in messages:
        assert set(message) >= {"id", "to", "channel", "body", "ack_url", "created_at"}
        assert message["channel"] == "sms" and message["to"].startswith("+47")
        assert message["body"].startswith("Møt i kriserommet")
        assert message["ack_url"] in message["body"]
        assert message["ack_url"].startswith("http://beredskap.test/ack/")
    anonymous = roster_app.test_client()
    page = anonymous.get(ack_path(messages[0]["ack_url"]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Møt i kriserommet på rådhuset" in html
    assert 'value="yes"' in html and 'value="no"' in html
    # The queue ran once; a second tick sends nothing twice.
    run_jobs(roster_app)
    assert len(outbox_for(api, alert["id"])) == len(members)


def test_the_link_answers_once_and_the_status_shows_in_the_api(roster_app, api_for):
    api = api_for("coordinator")
    alert = send(api, group="kommunikasjon", message="Pressekonferanse kl. 16.")
    run_jobs(roster_app)
    first, second = outbox_for(api, alert["id"])
    anonymous = roster_app.test_client()
    yes = anonymous.post(ack_path(first["ack_url"]), data={"answer": "yes"})
    assert yes.status_code == 200
    assert "Svaret ditt er registrert" in yes.get_data(as_text=True)
    again = anonymous.post(ack_path(first["ack_url"]), data={"answer": "no"})
    assert again.status_code == 409
    assert "allerede svart" in again.get_data(as_text=True)
    no = anonymous.post(ack_path(second["ack_url"]), data={"answer": "no"})
    assert no.status_code == 200
    statuses = {r["id"]: r["status"] for r in api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]}
    assert statuses[first["recipient_id"]] == "acknowledged"
    assert statuses[second["recipient_id"]] == "declined"
    # A GET never records anything (link scanners in mail filters follow links): it shows the answer given.
    shown = anonymous.get(ack_path(first["ack_url"]) + "?answer=no")
    assert shown.status_code == 200 and 'data-status="acknowledged"' in shown.get_data(as_text=True)
    assert api.get(f"/api/v1/alerts/{alert['id']}").json["counts"]["acknowledged"] >= 1
    with roster_app.app_context():
        recipient = db.session.get(AlertRecipient, first["recipient_id"])
        assert recipient.status == "acknowledged"
        # Only the hash of the token is stored.
        token = first["ack_url"].rsplit("/", 1)[1]
        assert token not in recipient.token_hash and len(recipient.token_hash) == 64


def test_forged_and_expired_links_are_refused(roster_app, api_for):
    from beredskap.roster.alerting import LinkRefused, recipient_for_token, send_alert

    anonymous = roster_app.test_client()
    forged = anonymous.get("/ack/" + "A" * 43)
    assert forged.status_code == 404
    assert "Ugyldig lenke" in forged.get_data(as_text=True)
    assert anonymous.get("/ack/<script>?answer=yes").status_code == 404
    assert anonymous.post("/ack/" + "B" * 43, data={"answer": "yes"}).status_code == 404

    # An alert sent 25 hours ago (injected clock): its links have expired (ALERT_TOKEN_HOURS = 24).
    sent_at = utcnow() - timedelta(hours=25)
    with roster_app.app_context():
        alert = send_alert(group="kommunikasjon", message="Gammel varsling", now=sent_at)
        alert_id = alert.id
    run_jobs(roster_app, sent_at)
    api = api_for("coordinator")
    message = outbox_for(api, alert_id)[0]
    token = message["ack_url"].rsplit("/", 1)[1]
    expired = anonymous.post(ack_path(message["ack_url"]), data={"answer": "yes"})
    assert expired.status_code == 410
    assert "utløpt" in expired.get_data(as_text=True)
    assert api.get(f"/api/v1/alerts/{alert_id}").json["recipients"][0]["status"] == "sent"
    with roster_app.app_context():
        # One second before expiry the same token is accepted; at expiry it is not.
        assert recipient_for_token(token, sent_at + timedelta(hours=24) - timedelta(seconds=1)).alert_id == alert_id
        try:
            recipient_for_token(token, sent_at + timedelta(hours=24))
            raise AssertionError("expired token accepted")
        except LinkRefused as err:
            assert err.status == 410


def test_an_answer_appears_as_an_event_on_the_channels(roster_app, api_for, users):
    api = api_for("coordinator")
    incident = api.post("/api/v1/incidents", json={"title": "Storm over Kvadraturen"}).json["id"]
    alert = send(api, group="kommunikasjon", message="Storm: møt opp.", incident_id=incident)
    run_jobs(roster_app)
    message = outbox_for(api, alert["id"])[0]
    board = socketio.test_client(roster_app, auth={"token": users["viewer"][3]})
    assert board.emit("subscribe", {"channel": "global", "since": 10**6}, callback=True)["ok"] is True
    incident_board = socketio.test_client(roster_app, auth={"token": users["viewer"][3]})
    assert (
        incident_board.emit("subscribe", {"channel": f"incident:{incident}", "since": 10**6}, callback=True)["ok"]
        is True
    )
    board.get_received()
    incident_board.get_received()
    assert roster_app.test_client().post(ack_path(message["ack_url"]), data={"answer": "yes"}).status_code == 200
    for client in (board, incident_board):
        events = [m["args"][0] for m in client.get_received() if m["name"] == "event"]
        answered = [e for e in events if e["type"] == "alert.recipient"]
        assert len(answered) == 1
        data = answered[0]["data"]
        assert data["alert_id"] == alert["id"]
        assert data["recipient_id"] == message["recipient_id"]
        assert data["status"] == "acknowledged"
        assert data["counts"]["acknowledged"] == 1
        # Events carry ids, counts and statuses only: no names, phone numbers or links.
        text = str(data)
        assert message["to"] not in text and "/ack/" not in text and "name" not in data


def test_no_answer_escalates_to_the_next_deputy_with_an_injected_clock(roster_app, api_for):
    api = api_for("coordinator")
    position = next(p for p in api.get("/api/v1/roster").json["positions"] if p["title"] == "Kommuneoverlege")
    holder, first_deputy, second_deputy = position["holder"], *position["deputies"]
    alert = send(api, group=f"positions:{position['id']}", message="Smitteutbrudd: møt.")
    assert [r["person_id"] for r in alert["recipients"]] == [holder["id"]]
    sent = utcnow()
    run_jobs(roster_app, sent + timedelta(minutes=9))
    assert [r["status"] for r in api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]] == ["sent"]

    run_jobs(roster_app, sent + timedelta(minutes=11))
    recipients = api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]
    assert [(r["person_id"], r["status"], r["rank"]) for r in recipients] == [
        (holder["id"], "escalated", 0),
        (first_deputy["id"], "sent", 1),
    ]
    assert recipients[0]["escalated_to"] == recipients[1]["id"]
    deputy_messages = [m for m in outbox_for(api, alert["id"]) if m["recipient_id"] == recipients[1]["id"]]
    assert len(deputy_messages) == 1 and deputy_messages[0]["to"] == first_deputy["phone"]

    # Running the job again at the same moment changes nothing (the claim is taken).
    run_jobs(roster_app, sent + timedelta(minutes=11))
    assert len(api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]) == 2
    # The first deputy does not answer either: the second deputy is called, then there is nobody left.
    run_jobs(roster_app, sent + timedelta(minutes=22))
    run_jobs(roster_app, sent + timedelta(minutes=33))
    recipients = api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]
    assert [(r["person_id"], r["status"]) for r in recipients] == [
        (holder["id"], "escalated"),
        (first_deputy["id"], "escalated"),
        (second_deputy["id"], "sent"),
    ]
    assert recipients[2]["escalated_at"] is not None and recipients[2]["escalated_to"] is None
    # The holder may still answer after escalation: the answer is taken once.
    holder_link = next(m for m in outbox_for(api, alert["id"]) if m["recipient_id"] == recipients[0]["id"])
    assert roster_app.test_client().post(ack_path(holder_link["ack_url"]), data={"answer": "yes"}).status_code == 200
    assert api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"][0]["status"] == "acknowledged"


def test_escalation_claim_is_taken_by_exactly_one_worker(roster_app, api_for):
    from beredskap.roster.alerting import _escalate_one

    api = api_for("coordinator")
    alert = send(api, group="eps_ledelse", message="EPS åpnes.")
    later = utcnow() + timedelta(minutes=30)
    with roster_app.app_context():
        first_id = alert["recipients"][0]["id"]
        # Two workers race for the same overdue recipient: the conditional UPDATE lets exactly one act.
        assert _escalate_one(first_id, later) is True
        assert _escalate_one(first_id, later) is False
        assert (
            db.session.scalar(
                select(func.count()).select_from(AlertRecipient).where(AlertRecipient.escalated_from_id == first_id)
            )
            == 1
        )


def test_a_decline_calls_the_next_deputy_at_once(roster_app, api_for):
    api = api_for("coordinator")
    position = next(p for p in api.get("/api/v1/roster").json["positions"] if p["title"] == "Ordfører")
    alert = send(api, group=f"positions:{position['id']}", message="Krisemøte.")
    run_jobs(roster_app)
    link = outbox_for(api, alert["id"])[0]["ack_url"]
    assert roster_app.test_client().post(ack_path(link), data={"answer": "no"}).status_code == 200
    recipients = api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]
    assert [(r["status"], r["person_id"]) for r in recipients] == [
        ("declined", position["holder"]["id"]),
        ("sent", position["deputies"][0]["id"]),
    ]


def test_vacant_position_calls_its_first_deputy(roster_app, api_for):
    api = api_for("coordinator")
    position = next(p for p in api.get("/api/v1/roster").json["positions"] if p["title"] == "Loggfører")
    assert position["holder"] is None
    alert = send(api, positions=[position["id"]], message="Loggfører trengs.")
    assert [(r["person_id"], r["rank"]) for r in alert["recipients"]] == [(position["deputies"][0]["id"], 1)]


def test_exercise_alerts_start_with_ovelse_everywhere(roster_app, api_for):
    api = api_for("coordinator")
    incident = open_exercise(api)
    alert = send(api, group="kommunikasjon", message="Møt i kriserommet.", incident_id=incident)
    assert alert["exercise"] is True
    assert alert["message"] == "ØVELSE – Møt i kriserommet."
    run_jobs(roster_app)
    messages = outbox_for(api, alert["id"])
    assert messages and all(m["body"].startswith("ØVELSE") for m in messages)
    page = roster_app.test_client().get(ack_path(messages[0]["ack_url"]))
    assert "ØVELSE – ØVELSE – ØVELSE" in page.get_data(as_text=True)  # the exercise banner
    # An alert without an exercise incident is not marked.
    plain = send(api, group="kommunikasjon", message="Møt i kriserommet.")
    assert plain["message"] == "Møt i kriserommet." and plain["exercise"] is False


def test_who_may_send_and_read(roster_app, api_for):
    body = {"group": "kriseledelse", "message": "Test"}
    assert api_for("viewer").post("/api/v1/alerts", json=body).status_code == 403
    assert api_for("observer").post("/api/v1/alerts", json=body).status_code == 403
    assert api_for("crisis_staff").post("/api/v1/alerts", json=body).status_code == 201
    assert Api(roster_app.test_client(), None).post("/api/v1/alerts", json=body).status_code == 401
    assert api_for("crisis_staff").get("/api/v1/outbox").status_code == 403
    assert api_for("viewer").get("/api/v1/outbox").status_code == 403
    assert api_for("admin").get("/api/v1/outbox").status_code == 200
    # The viewer sees the organisation and the statuses, never names or phone numbers.
    roster = api_for("viewer").get("/api/v1/roster").json
    assert all(p["holder"] is None or p["holder"]["name"] is None for p in roster["positions"])
    assert "+47" not in str(roster)
    alert = api_for("viewer").get("/api/v1/alerts").json["alerts"][0]
    assert alert["recipients"][0]["name"] is None and "+47" not in str(alert)
    full = api_for("police").get("/api/v1/roster").json
    assert any(p["holder"] and p["holder"]["phone"] for p in full["positions"])


def test_bad_alert_input_is_a_clear_4xx(roster_app, api_for):
    api = api_for("coordinator")
    cases = [
        {"group": "kriseledelse"},
        {"group": "kriseledelse", "message": "   "},
        {"group": "finnes-ikke", "message": "x"},
        {"group": "positions:abc", "message": "x"},
        {"group": "positions:99999", "message": "x"},
        {"message": "x"},
        {"group": 5, "message": "x"},
        {"group": "kriseledelse", "message": "x", "incident_id": 99999},
        {"group": "kriseledelse", "message": "x", "incident_id": "1"},
        {"group": "kriseledelse", "message": "x" * 1001},
        {"group": "kriseledelse", "message": "x", "escalation_minutes": 0},
        {"positions": ["a"], "message": "x"},
    ]
    for body in cases:
        response = api.post("/api/v1/alerts", json=body)
        assert response.status_code == 422, (body, response.status_code)
        assert response.json["error"]["code"]
    raw = api.client.post(
        "/api/v1/alerts",
        data="not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert raw.status_code == 400
    assert api.get("/api/v1/alerts/99999").status_code == 404
    assert api.get("/api/v1/alerts/99999/cap.xml").status_code == 404
    bad_answer = roster_app.test_client()
    alert = send(api, group="kommunikasjon", message="x")
    run_jobs(roster_app)
    link = outbox_for(api, alert["id"])[0]["ack_url"]
    assert bad_answer.post(ack_path(link), data={"answer": "kanskje"}).status_code == 400


def test_cap_export_validates_against_the_official_schema(roster_app, api_for):
    schema = cap_schema()
    api = api_for("coordinator")
    exercise = send(
        api, group="kriseledelse", message="Øvelse: møt <straks> & ring inn.", incident_id=open_exercise(api)
    )
    actual = send(api, group="kommunikasjon", message="Reell hendelse.")
    for alert, status in ((exercise, "Exercise"), (actual, "Actual")):
        response = api_for("viewer").get(f"/api/v1/alerts/{alert['id']}/cap.xml")
        assert response.status_code == 200
        assert response.mimetype == "application/xml"
        doc = etree.fromstring(response.data)
        assert schema.validate(doc), schema.error_log
        assert doc.tag == f"{CAP}alert"
        assert doc.findtext(f"{CAP}status") == status
        assert doc.findtext(f"{CAP}msgType") == "Alert"
        assert doc.findtext(f"{CAP}scope") == "Private"
        assert len(doc.findtext(f"{CAP}addresses").split()) == len(alert["recipients"])
        info = doc.find(f"{CAP}info")
        for name in (
            "language",
            "category",
            "event",
            "urgency",
            "severity",
            "certainty",
            "senderName",
            "headline",
            "description",
        ):
            assert info.findtext(f"{CAP}{name}"), name
        assert info.findtext(f"{CAP}language") == "no-NO"
        assert info.findtext(f"{CAP}description") == alert["message"]
        assert "+47" not in response.get_data(as_text=True)
    # The schema is real: a document without <status> fails it.
    broken = etree.fromstring(api.get(f"/api/v1/alerts/{actual['id']}/cap.xml").data)
    broken.remove(broken.find(f"{CAP}status"))
    assert not schema.validate(broken)


def test_check_in_at_the_crisis_room(roster_app, api_for):
    api = api_for("coordinator")
    alert = send(api, group="kommunikasjon", message="Møt.")
    run_jobs(roster_app)
    first, second = sorted(outbox_for(api, alert["id"]), key=lambda m: m["recipient_id"])
    client = roster_app.test_client()
    # Check-in through the link needs a «kommer» first.
    assert client.post(ack_path(first["ack_url"]), data={"action": "checkin"}).status_code == 409
    assert client.post(ack_path(first["ack_url"]), data={"answer": "yes"}).status_code == 200
    assert client.post(ack_path(first["ack_url"]), data={"action": "checkin"}).status_code == 200
    assert client.post(ack_path(first["ack_url"]), data={"action": "checkin"}).status_code == 409
    # The coordinator registers the other one on the board.
    url = f"/api/v1/alerts/{alert['id']}/recipients/{second['recipient_id']}/checkin"
    assert api_for("viewer").post(url).status_code == 403
    response = api.post(url)
    assert response.status_code == 200 and response.json["checked_in_at"]
    again = api.post(url)
    assert again.status_code == 409
    assert set(again.json) == {"error"} and again.json["error"]["code"] == "already_checked_in"
    assert again.json["error"]["message"]
    assert api.post(f"/api/v1/alerts/{alert['id']}/recipients/99999/checkin").status_code == 404
    counts = api.get(f"/api/v1/alerts/{alert['id']}").json["counts"]
    assert counts["checked_in"] == 2 and counts["acknowledged"] == 2


def test_outbox_rows_and_queue_are_consistent(roster_app, api_for):
    api = api_for("coordinator")
    alert = send(api, group="alle", message="Alle møter.")
    run_jobs(roster_app)
    with roster_app.app_context():
        deliveries = db.session.scalars(
            select(Delivery).join(AlertRecipient).where(AlertRecipient.alert_id == alert["id"])
        ).all()
        assert {d.state for d in deliveries} == {"sent"}
        assert all(d.attempts == 1 for d in deliveries)
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) >= len(deliveries)
    # Each person once, even when someone holds two functions in the group.
    persons = [r["person_id"] for r in alert["recipients"]]
    assert len(persons) == len(set(persons))
