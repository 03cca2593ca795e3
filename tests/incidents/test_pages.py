"""The pages: incident list and open form, the board's snapshot, sitrep form workflow, action-card library."""

import json
import re

from tests.conftest import login


def logged_in(app, users, role):
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    return client


def csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def board_state(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="board-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_open_incident_from_the_list_page_goes_to_its_board(app, users):
    client = logged_in(app, users, "crisis_staff")
    page = client.get("/incidents")
    assert page.status_code == 200 and "Åpne ny hendelse" in page.get_data(as_text=True)
    token = csrf(client, "/incidents")
    response = client.post(
        "/incidents",
        data={
            "csrf_token": token,
            "title": "Øvelse Flom i Otra",
            "kind": "exercise",
            "type": "flom",
            "severity": "3",
            "lat": "58,1545",
            "lon": "8.0085",
            "description": "Stor nedbør",
        },
    )
    assert response.status_code == 302
    board = client.get(response.headers["Location"])
    html = board.get_data(as_text=True)
    assert board.status_code == 200
    assert "ØVELSE – ØVELSE – ØVELSE" in html  # the exercise banner of base.html
    state = board_state(html)
    assert state["incident"]["title"] == "Øvelse Flom i Otra"
    assert state["incident"]["location"] == {"type": "Point", "coordinates": [8.0085, 58.1545]}
    assert state["incident"]["severity"] == 3 and state["incident"]["type"] == "flom"
    assert state["since"]["incident"] >= 1
    assert state["can"]["log"] and state["can"]["task"] and not state["can"]["approve"]
    assert 'id="log-text"' in html and "autofocus" in html
    assert "Øvelse Flom i Otra" in client.get("/incidents").get_data(as_text=True)


def test_open_form_errors_are_shown_and_nothing_is_created(app, users):
    client = logged_in(app, users, "coordinator")
    token = csrf(client, "/incidents")
    for data, message in (
        ({"title": ""}, "tittel"),
        ({"title": "x", "lat": "nord", "lon": "8"}, "desimaltall"),
        ({"title": "x", "lat": "95", "lon": "8"}, "utenfor"),
        ({"title": "x", "severity": "9"}, "severity"),
    ):
        response = client.post("/incidents", data={"csrf_token": token, **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert "Ingen åpne hendelser." in client.get("/incidents").get_data(as_text=True)


def test_real_incident_board_has_no_exercise_banner_and_viewer_gets_no_forms(app, users, api_for, new_incident):
    incident_id = new_incident(api_for("coordinator"), title="Brann på Lund")
    api_for("coordinator").post(f"/api/v1/incidents/{incident_id}/log", json={"text": "<script>alert(1)</script>"})
    viewer = logged_in(app, users, "viewer")
    html = viewer.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "ØVELSE – ØVELSE" not in html
    assert 'id="log-form"' not in html and 'id="task-form"' not in html
    state = board_state(html)
    assert not state["can"]["log"] and not state["can"]["task"]
    assert state["entries"][0]["text"] == "<script>alert(1)</script>"
    assert "<script>alert(1)" not in html  # the snapshot is escaped inside its data block
    assert viewer.get("/incidents/999999").status_code == 404


def test_sitrep_form_save_approve_issue(app, users, api_for, new_incident):
    incident_id = new_incident(api_for("coordinator"), kind="exercise")
    staff = logged_in(app, users, "crisis_staff")
    token = csrf(staff, f"/incidents/{incident_id}")
    created = staff.post(f"/incidents/{incident_id}/sitreps", data={"csrf_token": token})
    assert created.status_code == 302
    page_url = created.headers["Location"]
    sitrep_id = int(page_url.rstrip("/").split("/")[-1])
    html = staff.get(page_url).get_data(as_text=True)
    assert "Situasjonsrapport nr. 1" in html and "ØVELSE – ØVELSE" in html and "Lagre utkast" in html
    assert "Godkjenn rapporten" not in html  # crisis staff cannot approve

    sections = {
        "situation": "Otra stiger",
        "actions_taken": "",
        "actions_planned": "",
        "consequences": "",
        "assistance_needed": "",
        "public_information": "",
        "next_report": "kl. 16.00",
    }
    saved = staff.post(f"{page_url}/save", data={"csrf_token": token, "version": "1", **sections})
    assert saved.status_code == 302
    stale = staff.post(
        f"{page_url}/save", data={"csrf_token": token, "version": "1", **sections, "situation": "Min tekst"}
    )
    assert stale.status_code == 409
    stale_html = stale.get_data(as_text=True)
    assert "Noen andre har lagret rapporten" in stale_html and "Min tekst" in stale_html
    assert staff.post(f"{page_url}/approve", data={"csrf_token": token, "version": "2"}).status_code == 403

    coordinator = logged_in(app, users, "coordinator")
    ctoken = csrf(coordinator, page_url)
    assert "Godkjenn rapporten" in coordinator.get(page_url).get_data(as_text=True)
    assert coordinator.post(f"{page_url}/approve", data={"csrf_token": ctoken, "version": "2"}).status_code == 302
    report = api_for("viewer").get(f"/api/v1/sitreps/{sitrep_id}").json
    assert report["status"] == "approved" and report["sections"]["next_report"] == "kl. 16.00"
    html = staff.get(page_url).get_data(as_text=True)
    assert "Lagre utkast" not in html and "Send ut rapporten" in html
    assert (
        staff.post(f"{page_url}/issue", data={"csrf_token": token, "version": str(report["version"])}).status_code
        == 302
    )
    assert api_for("viewer").get(f"/api/v1/sitreps/{sitrep_id}").json["status"] == "issued"


def test_actioncard_library_page(app, users, api_for):
    coordinator = logged_in(app, users, "coordinator")
    token = csrf(coordinator, "/incidents/tiltakskort")
    response = coordinator.post(
        "/incidents/tiltakskort",
        data={
            "csrf_token": token,
            "type": "ekstremvaer",
            "title": "Følg farevarselet",
            "assignee": "Beredskapskoordinator",
            "due_minutes": "30",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#type-ekstremvaer")
    card = api_for("viewer").get("/api/v1/actioncards?type=ekstremvaer").json["actioncards"][0]
    assert (card["title"], card["due_minutes"]) == ("Følg farevarselet", 30)
    saved = coordinator.post(
        f"/incidents/tiltakskort/{card['id']}",
        data={
            "csrf_token": token,
            "type": "ekstremvaer",
            "title": "Følg farevarselet fra MET",
            "version": "1",
            "due_minutes": "",
        },
    )
    assert saved.status_code == 302
    card = api_for("viewer").get(f"/api/v1/actioncards/{card['id']}").json
    assert (card["title"], card["due_minutes"]) == ("Følg farevarselet fra MET", None)
    bad = coordinator.post(
        "/incidents/tiltakskort", data={"csrf_token": token, "type": "ekstremvaer", "title": ""}, follow_redirects=True
    )
    assert "Tiltakskortet må ha en tittel." in bad.get_data(as_text=True)
    coordinator.post(f"/incidents/tiltakskort/{card['id']}", data={"csrf_token": token, "action": "delete"})
    assert api_for("viewer").get(f"/api/v1/actioncards/{card['id']}").status_code == 404

    staff = logged_in(app, users, "crisis_staff")
    html = staff.get("/incidents/tiltakskort").get_data(as_text=True)
    assert "Nytt tiltakskort" not in html
    assert (
        staff.post(
            "/incidents/tiltakskort",
            data={"csrf_token": csrf(staff, "/incidents/tiltakskort"), "type": "flom", "title": "x"},
        ).status_code
        == 403
    )


def test_bad_form_values_are_named_in_words_next_to_the_field_and_change_nothing(app, users, api_for, new_incident):
    client = logged_in(app, users, "coordinator")
    token = csrf(client, "/incidents")
    # Opening: a severity that is no number, a latitude that is no decimal, a title too long.
    for data, field, words in (
        ({"title": "Flom", "severity": "høy"}, "severity", "Alvorlighet må være et heltall."),
        ({"title": "Flom", "lat": "nord", "lon": "8"}, "lat", "Skriv breddegrad og lengdegrad som desimaltall"),
        ({"title": "x" * 201}, "title", "Tittelen er for lang (maks 200 tegn)."),
    ):
        response = client.post("/incidents", data={"csrf_token": token, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert f'<span class="field-error" id="{field}-error">{words}' in html, data
    assert api_for("viewer").get("/api/v1/incidents").json["incidents"] == []

    # A sitrep saved with a version that is no number: the text is kept, nothing is saved.
    incident_id = new_incident(api_for("coordinator"))
    created = client.post(f"/incidents/{incident_id}/sitreps", data={"csrf_token": token})
    page_url = created.headers["Location"]
    sitrep_id = int(page_url.rstrip("/").split("/")[-1])
    bad = client.post(f"{page_url}/save", data={"csrf_token": token, "version": "en", "situation": "Min tekst"})
    assert bad.status_code == 422
    assert "Versjon må være et heltall." in bad.get_data(as_text=True) and "Min tekst" in bad.get_data(as_text=True)
    too_long = client.post(f"{page_url}/save", data={"csrf_token": token, "version": "1", "situation": "x" * 8001})
    assert too_long.status_code == 422
    assert '<span class="field-error" id="situation-error">Teksten under «Situasjonsbeskrivelse»' in (
        too_long.get_data(as_text=True)
    )
    report = api_for("viewer").get(f"/api/v1/sitreps/{sitrep_id}").json
    assert report["version"] == 1 and report["sections"].get("situation", "") != "Min tekst"
    approve = client.post(f"{page_url}/approve", data={"csrf_token": token, "version": "to"}, follow_redirects=True)
    assert "Versjon må være et heltall." in approve.get_data(as_text=True)
    assert api_for("viewer").get(f"/api/v1/sitreps/{sitrep_id}").json["status"] == "draft"

    # An action card with a deadline that is no number.
    card_token = csrf(client, "/incidents/tiltakskort")
    refused = client.post(
        "/incidents/tiltakskort",
        data={"csrf_token": card_token, "type": "flom", "title": "Stengt vei", "due_minutes": "en halvtime"},
        follow_redirects=True,
    )
    assert "Frist (minutter) må være et heltall." in refused.get_data(as_text=True)
    cards = api_for("viewer").get("/api/v1/actioncards?type=flom").json["actioncards"]
    assert all(card["title"] != "Stengt vei" for card in cards)
