"""«Utsendinger»: every outgoing message on one page, with the personal answer link in outbox mode, and
send-again / stop that the queue respects."""

from sqlalchemy import select

from beredskap.auth.models import AuditRecord
from beredskap.extensions import db
from tests.conftest import free_port, login
from tests.roster.helpers import ack_path, run_jobs
from tests.roster.test_delivery import start_smtp, stop


def csrf(page) -> str:
    return page.get_data(as_text=True).split('<meta name="csrf-token" content="')[1].split('"')[0]


def audit(app, action: str) -> list[AuditRecord]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)))
        db.session.expunge_all()
        return rows


def test_the_page_lists_every_alert_message_with_its_answer_link_and_the_link_answers(roster_app, api_for, users):
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt i kriserommet."}).json
    run_jobs(roster_app)
    rows = api.get(f"/api/v1/deliveries?alert_id={alert['id']}").json["deliveries"]
    assert len(rows) == len(alert["recipients"]) == 2
    assert {r["state"] for r in rows} == {"sent"} and {r["backend"] for r in rows} == {"outbox"}
    assert all(r["ack_url"].startswith("http://beredskap.test/ack/") for r in rows)
    assert {r["answer"] for r in rows} == {"sent"}

    client = roster_app.test_client()
    _, username, password, _ = users["coordinator"]
    assert login(client, username, password).status_code == 302
    html = client.get("/utsendinger").get_data(as_text=True)
    assert "Utsendinger" in html and "Personlig svarlenke" in html
    for row in rows:
        assert f'id="d-{row["id"]}"' in html and row["ack_url"] in html and row["recipient"] in html
    assert '<a href="/utsendinger" aria-current="page">Utsendinger</a>' in html  # in the navigation

    # Whoever holds the link from the page answers; the page then shows the answer.
    anonymous = roster_app.test_client()
    assert anonymous.post(ack_path(rows[0]["ack_url"]), data={"answer": "yes"}).status_code == 200
    answered = {r["id"]: r["answer"] for r in api.get("/api/v1/deliveries").json["deliveries"]}
    assert answered[rows[0]["id"]] == "acknowledged"
    assert "Kommer" in client.get("/utsendinger").get_data(as_text=True)


def test_stop_and_send_again_are_respected_by_the_queue_and_audited(roster_app, api_for, tmp_path):
    port = free_port()  # nothing listens yet: every attempt fails
    roster_app.config.update(ALERT_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port, ALERT_MAX_ATTEMPTS=1)
    api = api_for("coordinator")
    alert = api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Pressemøte."}).json
    first, second = sorted(r["id"] for r in api.get(f"/api/v1/deliveries?alert_id={alert['id']}").json["deliveries"])

    # Stopped before the queue ran: the queue never sends it.
    assert api.post(f"/api/v1/deliveries/{first}/cancel").json["state"] == "cancelled"
    run_jobs(roster_app)
    states = {r["id"]: r for r in api.get(f"/api/v1/deliveries?alert_id={alert['id']}").json["deliveries"]}
    assert states[first]["state"] == "cancelled" and states[first]["attempts"] == 0
    assert states[second]["state"] == "gave_up" and states[second]["attempts"] == 1 and states[second]["last_error"]
    assert states[first]["can_retry"] and not states[first]["can_cancel"]
    # A stopped or given-up message can not be stopped again.
    again = api.post(f"/api/v1/deliveries/{second}/cancel")
    assert again.status_code == 409 and "gave_up" in again.json["error"]["message"]

    # The server is back: send both again, and the queue delivers them.
    mail_dir = tmp_path / "mail"
    proc = start_smtp(port, mail_dir)
    try:
        for delivery_id in (first, second):
            sent_again = api.post(f"/api/v1/deliveries/{delivery_id}/retry").json
            assert sent_again == {"id": delivery_id, "state": "pending", "attempts": 0}
        run_jobs(roster_app)
    finally:
        stop(proc)
    rows = api.get(f"/api/v1/deliveries?alert_id={alert['id']}").json["deliveries"]
    assert {r["state"] for r in rows} == {"sent"}
    assert len(list(mail_dir.glob("*.eml"))) == 2
    assert api.post(f"/api/v1/deliveries/{first}/retry").status_code == 409  # already sent
    assert [r.subject_id for r in audit(roster_app, "delivery.cancel")] == [str(first)]
    assert sorted(r.subject_id for r in audit(roster_app, "delivery.retry")) == sorted([str(first), str(second)])


def test_who_may_see_and_change_outgoing_messages(roster_app, api_for, users):
    coordinator = api_for("coordinator")
    alert = coordinator.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Test."}).json
    delivery_id = coordinator.get("/api/v1/deliveries").json["deliveries"][0]["id"]
    assert api_for("admin").get("/api/v1/deliveries").status_code == 200
    for role in ("crisis_staff", "viewer", "police", "eps_staff"):
        api = api_for(role)
        assert api.get("/api/v1/deliveries").status_code == 403
        assert api.post(f"/api/v1/deliveries/{delivery_id}/cancel").status_code == 403
        client = roster_app.test_client()
        _, username, password, _ = users[role]
        login(client, username, password)
        assert client.get("/utsendinger").status_code == 403
    # Bad input: an unknown message, an unknown state filter.
    assert coordinator.post("/api/v1/deliveries/999999/retry").status_code == 404
    bad = coordinator.get("/api/v1/deliveries?state=lost")
    assert (
        bad.status_code == 400
        and bad.json["error"]["message"].startswith("Tilstand må være en av")
        and bad.json["error"]["fields"] == {"state": "ugyldig verdi"}
    )
    assert alert["id"]


def test_the_page_stops_and_sends_again_through_its_forms(roster_app, api_for, users):
    api = api_for("coordinator")
    api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Test."})
    delivery_id = api.get("/api/v1/deliveries").json["deliveries"][0]["id"]
    client = roster_app.test_client()
    _, username, password, _ = users["coordinator"]
    login(client, username, password)
    page = client.get("/utsendinger")
    stopped = client.post(f"/utsendinger/{delivery_id}/cancel", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert "Utsendingen er stoppet." in stopped.get_data(as_text=True)
    row = next(r for r in api.get("/api/v1/deliveries").json["deliveries"] if r["id"] == delivery_id)
    assert row["state"] == "cancelled"
    html = stopped.get_data(as_text=True)
    assert f"/utsendinger/{delivery_id}/retry" in html
    resent = client.post(f"/utsendinger/{delivery_id}/retry", data={"csrf_token": csrf(page)}, follow_redirects=True)
    assert "Meldingen sendes på nytt." in resent.get_data(as_text=True)
    # Without the CSRF token nothing changes.
    assert client.post(f"/utsendinger/{delivery_id}/cancel", data={}).status_code == 400
    row = next(r for r in api.get("/api/v1/deliveries").json["deliveries"] if r["id"] == delivery_id)
    assert row["state"] == "pending"


def test_a_yes_may_say_when_the_person_arrives_and_the_board_event_carries_it(roster_app, api_for):
    from datetime import datetime, timedelta

    api = api_for("coordinator")
    alert = api.post(
        "/api/v1/alerts", json={"group": "kommunikasjon", "message": "Møt opp.", "escalation_minutes": 25}
    ).json
    assert alert["escalation_minutes"] == 25
    run_jobs(roster_app)
    first, second = api.get(f"/api/v1/outbox?alert_id={alert['id']}").json["messages"]
    phone = roster_app.test_client()
    # A time the page does not offer is refused, and nothing is recorded.
    bad = phone.post(ack_path(first["ack_url"]), data={"answer": "yes", "eta": "7"})
    assert bad.status_code == 400 and "Ankomsttid" in bad.get_data(as_text=True)
    view = {r["id"]: r for r in api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]}
    assert view[first["recipient_id"]]["status"] == "sent"

    assert phone.post(ack_path(first["ack_url"]), data={"answer": "yes", "eta": "30"}).status_code == 200
    assert phone.post(ack_path(second["ack_url"]), data={"answer": "no", "eta": "30"}).status_code == 200
    view = {r["id"]: r for r in api.get(f"/api/v1/alerts/{alert['id']}").json["recipients"]}
    coming, declined = view[first["recipient_id"]], view[second["recipient_id"]]
    assert coming["status"] == "acknowledged" and coming["eta_minutes"] == 30
    answered = datetime.fromisoformat(coming["answered_at"])
    assert datetime.fromisoformat(coming["eta_at"]) == answered + timedelta(minutes=30)
    assert declined["status"] == "declined" and declined["eta_minutes"] is None and declined["eta_at"] is None
    # The live event the board applies carries the arrival time, and no name.
    with roster_app.app_context():
        from beredskap.realtime.models import Event

        events = db.session.scalars(select(Event).where(Event.type == "alert.recipient")).all()
        mine = [e.data for e in events if e.data.get("recipient_id") == first["recipient_id"]]
        assert mine[-1]["eta_at"] == coming["eta_at"]
        assert all("name" not in e.data for e in events)
    page = phone.get(ack_path(first["ack_url"])).get_data(as_text=True)
    assert "om 30 minutter" in page


def test_the_page_goes_back_to_the_filter_it_showed_and_drops_an_unknown_one(roster_app, api_for, users):
    api = api_for("coordinator")
    api.post("/api/v1/alerts", json={"group": "kommunikasjon", "message": "Test."})
    delivery_id = api.get("/api/v1/deliveries").json["deliveries"][0]["id"]
    client = roster_app.test_client()
    _, username, password, _ = users["coordinator"]
    login(client, username, password)
    token = csrf(client.get("/utsendinger"))
    kept = client.post(f"/utsendinger/{delivery_id}/cancel", data={"csrf_token": token, "state": "pending"})
    assert kept.status_code == 302 and kept.headers["Location"].endswith(f"/utsendinger?state=pending#d-{delivery_id}")
    # A state the page does not know is not carried into the address; the change itself is made once.
    dropped = client.post(f"/utsendinger/{delivery_id}/retry", data={"csrf_token": token, "state": "<lost>"})
    assert dropped.status_code == 302 and dropped.headers["Location"].endswith(f"/utsendinger#d-{delivery_id}")
    row = next(r for r in api.get("/api/v1/deliveries").json["deliveries"] if r["id"] == delivery_id)
    assert row["state"] == "pending"
