"""Editing and deactivating roster people: contact, functions and groups, version → 409, history kept, audited."""

from datetime import timedelta

from sqlalchemy import select

from beredskap.auth.models import AuditRecord
from beredskap.clock import utcnow
from beredskap.extensions import db
from tests.conftest import Api, gen_user, login
from tests.factories import gen_roster_person


def audit_of(app, subject_type: str, subject_id: int) -> list[AuditRecord]:
    with app.app_context():
        stmt = select(AuditRecord).where(
            AuditRecord.subject_type == subject_type, AuditRecord.subject_id == str(subject_id)
        )
        records = list(db.session.scalars(stmt.order_by(AuditRecord.id)))
        db.session.expunge_all()
        return records


def new_position(api, title: str = "Sambandsleder") -> dict:
    response = api.post("/api/v1/roster/positions", json={"team": "krisestab", "title": title})
    assert response.status_code == 201
    return response.json


def test_contact_details_edited_with_version_and_audited_without_personal_data(roster_app, api_for):
    api = api_for("coordinator")
    person = gen_roster_person(api, "Kari Samband", phone="+47 000 11 222", email="kari@kommune.example")
    changed = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"name": "Kari Samband-Li", "phone": "+47 000 11 333", "version": person["version"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Kari Samband-Li" and changed.json["email"] == "kari@kommune.example"
    assert changed.json["version"] == person["version"] + 1

    # The same stale version again: 409 and nothing changes.
    stale = api.patch(
        f"/api/v1/roster/people/{person['id']}", json={"name": "Noen Andre", "version": person["version"]}
    )
    assert stale.status_code == 409
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["name"] == "Kari Samband-Li"
    # Bad input: a clear 422, nothing changed.
    bad = api.patch(
        f"/api/v1/roster/people/{person['id']}", json={"email": "ikke-en-adresse", "version": changed.json["version"]}
    )
    assert bad.status_code == 422 and bad.json["error"]["fields"] == {"email": "format"}
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["version"] == changed.json["version"]

    records = audit_of(roster_app, "roster_person", person["id"])
    assert [r.action for r in records] == ["roster.person_created", "roster.person_updated"]
    assert records[1].meta["fields"] == ["name", "phone"]
    assert "Kari" not in str(records[1].meta) and "333" not in str(records[1].meta)
    # Only the contacts permission sees a person; others get 403.
    assert api_for("viewer").get(f"/api/v1/roster/people/{person['id']}").status_code == 403
    assert (
        api_for("viewer").patch(f"/api/v1/roster/people/{person['id']}", json={"name": "X", "version": 2}).status_code
        == 403
    )


def test_functions_and_groups_of_a_person(roster_app, api_for):
    api = api_for("coordinator")
    person = gen_roster_person(api, "Per Funksjon")
    vacant = new_position(api, "Loggfører")
    held = new_position(api, "Informasjonsleder")
    holder = gen_roster_person(api, "Hanne Holder")
    held = api.patch(f"/api/v1/roster/positions/{held['id']}", json={"holder_id": holder["id"], "version": 1}).json
    group = api.post("/api/v1/roster/groups", json={"title": "Sambandsgruppe", "position_ids": [vacant["id"]]}).json

    changed = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={
            "version": person["version"],
            "positions": [
                {"position_id": vacant["id"], "role": "holder"},
                {"position_id": held["id"], "role": "deputy"},
            ],
            "groups": [group["key"]],
        },
    )
    assert changed.status_code == 200, changed.json
    assert {(p["id"], p["role"], p["rank"]) for p in changed.json["positions"]} == {
        (vacant["id"], "holder", 0),
        (held["id"], "deputy", 1),
    }
    assert changed.json["groups"] == [group["key"]]
    roster = {p["id"]: p for p in api.get("/api/v1/roster").json["positions"]}
    assert roster[vacant["id"]]["holder"]["id"] == person["id"]
    assert [d["id"] for d in roster[held["id"]]["deputies"]] == [person["id"]]
    assert roster[held["id"]]["version"] > held["version"]  # the function changed too: a stale edit of it is a 409

    # Holder of a function that already has one: 409, and nothing of the request is applied.
    taken = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"version": changed.json["version"], "positions": [{"position_id": held["id"], "role": "holder"}]},
    )
    assert taken.status_code == 409 and taken.json["error"]["code"] == "position_taken"
    assert len(api.get(f"/api/v1/roster/people/{person['id']}").json["positions"]) == 2

    # Leaving everything: an empty list removes the person from every function and group.
    left = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"version": changed.json["version"], "positions": [], "groups": []},
    )
    assert left.status_code == 200 and left.json["positions"] == [] and left.json["groups"] == []
    roster = {p["id"]: p for p in api.get("/api/v1/roster").json["positions"]}
    assert roster[vacant["id"]]["holder"] is None and roster[held["id"]]["deputies"] == []
    assert roster[held["id"]]["holder"]["id"] == holder["id"]
    unknown = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"version": left.json["version"], "positions": [{"position_id": 999999, "role": "deputy"}]},
    )
    assert unknown.status_code == 404
    wrong_role = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"version": left.json["version"], "positions": [{"position_id": held["id"], "role": "sjef"}]},
    )
    assert wrong_role.status_code == 422
    actions = [r.action for r in audit_of(roster_app, "roster_position", held["id"])]
    assert actions.count("roster.position_updated") >= 3


def test_deactivated_person_is_not_alerted_nor_put_on_duty_and_history_is_kept(roster_app, api_for):
    api = api_for("coordinator")
    holder = gen_roster_person(api, "Anne Aktiv", phone="+47 000 55 001")
    deputy = gen_roster_person(api, "Dag Deputy", phone="+47 000 55 002")
    position = new_position(api, "Beredskapsvakt")
    api.patch(
        f"/api/v1/roster/positions/{position['id']}",
        json={"holder_id": holder["id"], "deputy_ids": [deputy["id"]], "version": 1},
    )
    first = api.post("/api/v1/alerts", json={"positions": [position["id"]], "message": "Før."}).json
    assert [r["person_id"] for r in first["recipients"]] == [holder["id"]]

    off = api.patch(f"/api/v1/roster/people/{holder['id']}", json={"active": False, "version": holder["version"]})
    assert off.status_code == 200 and off.json["active"] is False
    # Not alerted: the first active deputy is called instead.
    second = api.post("/api/v1/alerts", json={"positions": [position["id"]], "message": "Etter."}).json
    assert [r["person_id"] for r in second["recipients"]] == [deputy["id"]]
    # Not on new vaktliste entries.
    start = utcnow() + timedelta(days=1)
    shift = {"team": "krisestab", "person_id": holder["id"], "starts_at": start.isoformat()}
    refused = api.post("/api/v1/roster/shifts", json={**shift, "ends_at": (start + timedelta(hours=8)).isoformat()})
    assert refused.status_code == 422 and refused.json["error"]["fields"] == {"person_id": "inaktiv"}
    # History kept: the person, their function and the earlier alert's recipient are all still there.
    assert api.get(f"/api/v1/alerts/{first['id']}").json["recipients"][0]["person_id"] == holder["id"]
    everyone = api.get("/api/v1/roster/people?all=1").json["people"]
    assert holder["id"] in {p["id"] for p in everyone}
    assert holder["id"] not in {p["id"] for p in api.get("/api/v1/roster/people").json["people"]}
    roster = {p["id"]: p for p in api.get("/api/v1/roster").json["positions"]}
    assert roster[position["id"]]["holder"]["id"] == holder["id"]

    on = api.patch(f"/api/v1/roster/people/{holder['id']}", json={"active": True, "version": off.json["version"]})
    assert on.status_code == 200 and on.json["active"] is True
    third = api.post("/api/v1/alerts", json={"positions": [position["id"]], "message": "Igjen."}).json
    assert [r["person_id"] for r in third["recipients"]] == [holder["id"]]
    actions = [r.action for r in audit_of(roster_app, "roster_person", holder["id"])]
    assert actions == ["roster.person_created", "roster.person_deactivated", "roster.person_activated"]


def test_shifts_added_and_removed_are_audited(roster_app, api_for):
    api = api_for("coordinator")
    person = gen_roster_person(api, "Vera Vakt")
    start = utcnow() + timedelta(days=2)
    created = api.post(
        "/api/v1/roster/shifts",
        json={
            "team": "krisestab",
            "person_id": person["id"],
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=12)).isoformat(),
        },
    )
    assert created.status_code == 201
    assert api.delete(f"/api/v1/roster/shifts/{created.json['id']}").status_code == 204
    records = audit_of(roster_app, "roster_shift", created.json["id"])
    assert [r.action for r in records] == ["roster.shift_added", "roster.shift_deleted"]
    assert records[0].meta == {"person": person["id"], "team": "krisestab"}


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_edit_and_deactivate_pages(roster_app, users, api_for):
    api = api_for("coordinator")
    person = gen_roster_person(api, "Siri Side", phone="+47 000 77 001")
    position = new_position(api, "Pressekontakt")
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    manage = client.get("/roster/admin").get_data(as_text=True)
    assert f"/roster/people/{person['id']}/edit" in manage

    page = client.get(f"/roster/people/{person['id']}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Siri Side"' in html and f'name="position-{position["id"]}"' in html
    token = csrf_of(html)
    saved = client.post(
        f"/roster/people/{person['id']}/edit",
        data={
            "csrf_token": token,
            "version": str(person["version"]),
            "name": "Siri Side",
            "phone": "+47 000 77 002",
            "email": "",
            f"position-{position['id']}": "deputy",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#person-{person['id']}")
    detail = api.get(f"/api/v1/roster/people/{person['id']}").json
    assert detail["phone"] == "+47 000 77 002" and detail["positions"][0]["role"] == "deputy"

    # The form read before that save is stale now: a clear message, nothing changed.
    stale = client.post(
        f"/roster/people/{person['id']}/edit",
        data={"csrf_token": token, "version": str(person["version"]), "name": "Feil Navn", "phone": "", "email": ""},
        follow_redirects=True,
    )
    assert "endret av noen andre" in stale.get_data(as_text=True)
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["name"] == "Siri Side"

    off = client.post(
        f"/roster/people/{person['id']}/active",
        data={"csrf_token": token, "version": str(detail["version"]), "active": "0"},
        follow_redirects=True,
    )
    assert "er deaktivert" in off.get_data(as_text=True)
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["active"] is False
    edit = client.get(f"/roster/people/{person['id']}/edit").get_data(as_text=True)
    assert 'id="reactivate-person"' in edit
    # A deactivated deputy stays on the function's edit page, so saving that form does not drop them.
    assert "Siri Side (deaktivert)" in client.get(f"/roster/positions/{position['id']}/edit").get_data(as_text=True)
    # Without CSRF and without the write permission nothing happens.
    assert client.post(f"/roster/people/{person['id']}/active", data={"active": "1", "version": "3"}).status_code == 400
    viewer = roster_app.test_client()
    login(viewer, users["crisis_staff"][1], users["crisis_staff"][2])
    assert viewer.get(f"/roster/people/{person['id']}/edit").status_code == 403
    assert client.get("/roster/people/999999/edit").status_code == 404


def test_edit_page_form_reads_roles_groups_and_version(roster_app, users, api_for):
    """The page form: a role per function (holder, deputy or none), the ticked groups, and the version it showed."""
    api = api_for("coordinator")
    person = gen_roster_person(api, "Gro Gruppe")
    held, deputised, left = (new_position(api, title) for title in ("Loggfører", "Pressekontakt", "Sambandsleder"))
    group = api.post("/api/v1/roster/groups", json={"title": "Loggføring", "position_ids": [held["id"]]}).json
    client = roster_app.test_client()
    login(client, users["coordinator"][1], users["coordinator"][2])
    url = f"/roster/people/{person['id']}/edit"
    token = csrf_of(client.get(url).get_data(as_text=True))
    base = {"csrf_token": token, "name": "Gro Gruppe", "phone": "", "email": ""}

    # Without the version: the message on the edit page, nothing changed.
    missing = client.post(url, data={**base, "name": "Gro Endret"}, follow_redirects=True)
    assert "Skjemaet mangler versjon. Last siden på nytt." in missing.get_data(as_text=True)
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["name"] == "Gro Gruppe"

    saved = client.post(
        url,
        data={
            **base,
            "version": str(person["version"]),
            f"position-{held['id']}": "holder",
            f"position-{deputised['id']}": "deputy",
            f"position-{left['id']}": "",
            "group": ["", group["key"]],
        },
    )
    assert saved.status_code == 302
    detail = api.get(f"/api/v1/roster/people/{person['id']}").json
    assert {(p["id"], p["role"]) for p in detail["positions"]} == {(held["id"], "holder"), (deputised["id"], "deputy")}
    assert detail["groups"] == [group["key"]]

    # A function that is gone meanwhile: its message, nothing changed.
    gone = client.post(
        url, data={**base, "version": str(detail["version"]), "position-999999": "deputy"}, follow_redirects=True
    )
    assert "Ukjent funksjon." in gone.get_data(as_text=True)
    assert api.get(f"/api/v1/roster/people/{person['id']}").json["version"] == detail["version"]


def test_person_edit_on_postgresql_and_sqlite(any_app):
    """Memberships, the version check and deactivation behave the same on both databases."""
    with any_app.app_context():
        from beredskap.roster.services import seed_demo

        seed_demo()
    api = Api(any_app.test_client(), gen_user(any_app, "coordinator")[3])
    person = gen_roster_person(api, "Pål Postgres")
    position = new_position(api, "Kontaktperson")
    changed = api.patch(
        f"/api/v1/roster/people/{person['id']}",
        json={"version": 1, "positions": [{"position_id": position["id"], "role": "holder"}]},
    )
    assert changed.status_code == 200 and changed.json["version"] == 2
    assert api.patch(f"/api/v1/roster/people/{person['id']}", json={"active": False, "version": 1}).status_code == 409
    off = api.patch(f"/api/v1/roster/people/{person['id']}", json={"active": False, "version": 2})
    assert off.status_code == 200 and off.json["version"] == 3
    alert = api.post("/api/v1/alerts", json={"positions": [position["id"]], "message": "Møt."})
    # Nobody active to call: refused with a message, rather than an alert that reaches no one.
    assert alert.status_code == 422, alert.json
    actions = [r.action for r in audit_of(any_app, "roster_person", person["id"])]
    assert actions == ["roster.person_created", "roster.person_updated", "roster.person_deactivated"]
