"""The EPS desk without dead ends (issue 17): corrections with their history, checking in again, the people who
left, households, a centre's versioned edits, and the purposes of access — on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import select

from beredskap.eps.models import RecordChange
from beredskap.extensions import db
from tests.conftest import login
from tests.eps.conftest import PEOPLE, all_audit_rows, all_events_text, inquiry_for, leaks, register, secrets_of


@pytest.fixture
def app(any_app):
    """Every test here runs on SQLite and on PostgreSQL."""
    return any_app


def session_client(app, users, role: str):
    """A browser-like client: logged in through the form, sending the CSRF token on writes."""
    client = app.test_client()
    _, username, password, _ = users[role]
    assert login(client, username, password).status_code == 302
    page = client.get("/").get_data(as_text=True)
    client.csrf = page.split('<meta name="csrf-token" content="')[1].split('"')[0]
    return client


def send(client, method: str, path: str, body=None):
    return client.open(path, method=method, json=body if body is not None else {}, headers={"X-CSRFToken": client.csrf})


def test_a_correction_keeps_the_old_values_and_is_audited_without_them(app, api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    ase = register(staff, eps_id, PEOPLE[0])
    version = staff.get(f"/api/v1/evacuees/{ase}?reason=retting").json["version"]

    fixed = staff.patch(
        f"/api/v1/evacuees/{ase}",
        json={"version": version, "full_name": "Åse Marie Ødegård Berg", "phone": "41 00 00 01", "needs": ["kost"]},
    )
    assert fixed.status_code == 200, fixed.json
    assert fixed.json["full_name"] == "Åse Marie Ødegård Berg" and fixed.json["needs"] == ["kost"]
    assert fixed.json["version"] == version + 1

    # A stale version is refused and changes nothing.
    stale = staff.patch(f"/api/v1/evacuees/{ase}", json={"version": version, "full_name": "Noen Annen"})
    assert stale.status_code == 409
    bad = staff.patch(f"/api/v1/evacuees/{ase}", json={"version": version + 1, "birth_date": "32.13.1949"})
    assert bad.status_code == 422 and "birth_date" in bad.json["error"]["fields"]
    assert "32.13" not in bad.json["error"]["message"]

    history = staff.get(f"/api/v1/evacuees/{ase}/history?reason=kontroll")
    assert history.status_code == 200
    (change,) = history.json["changes"]
    assert change["changes"]["full_name"] == {"from": "Åse Marie Ødegård", "to": "Åse Marie Ødegård Berg"}
    assert change["changes"]["needs"] == {"from": ["helse", "sprak"], "to": ["kost"]}
    assert change["actor"] and change["at"]
    assert [h["action"] for h in history.json["history"]] == ["registered", "corrected"]

    rows = all_audit_rows(app)
    corrected = [r for r in rows if r["action"] == "correct"]
    assert corrected == [corrected[0]] and corrected[0]["subject"] == f"evacuee:{ase}"
    assert corrected[0]["meta"]["fields"] == ["full_name", "needs", "phone"]
    assert any(r["action"] == "read" and r["reason"] == "kontroll" for r in rows)
    secrets = secrets_of([PEOPLE[0]]) + ["41 00 00 01", "Berg"]
    assert leaks(str(rows), secrets) == []
    assert leaks(all_events_text(app), secrets) == []
    assert "evacuee.corrected" in all_events_text(app)


def test_an_inquiry_is_corrected_and_matched_again(app, api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    per = register(staff, eps_id, PEOPLE[1])
    created = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Kari Olsen"))
    assert created.status_code == 201 and created.json["candidates"] == []
    inquiry = staff.get(f"/api/v1/inquiries/{created.json['id']}?reason=retting").json
    fixed = staff.patch(
        f"/api/v1/inquiries/{inquiry['id']}", json={"version": inquiry["version"], "sought_name": "Per Hansen"}
    )
    assert fixed.status_code == 200, fixed.json
    assert [c["evacuee_id"] for c in fixed.json["candidates"]] == [per]
    changes = staff.get(f"/api/v1/inquiries/{inquiry['id']}/history").json["changes"]
    assert changes[0]["changes"] == {"sought_name": {"from": "Kari Olsen", "to": "Per Hansen"}}
    assert staff.patch(f"/api/v1/inquiries/{inquiry['id']}", json={"version": 1, "note": "x"}).status_code == 409


def test_check_in_again_after_check_out_and_the_list_of_who_left(app, api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    per = register(staff, eps_id, PEOPLE[1])
    kari = register(staff, eps_id, PEOPLE[2])
    assert staff.post(f"/api/v1/evacuees/{per}/checkin").status_code == 409  # present: nothing to undo
    assert staff.post(f"/api/v1/evacuees/{per}/checkout", json={"destination": "Søster i Vennesla"}).status_code == 200
    assert staff.post(f"/api/v1/evacuees/{kari}/checkout", json={"destination": "Hotell Caledonien"}).status_code == 200

    left = staff.get(f"/api/v1/eps/{eps_id}/evacuees?status=left&reason=oversikt").json["evacuees"]
    assert {(p["id"], p["destination"]) for p in left} == {(per, "Søster i Vennesla"), (kari, "Hotell Caledonien")}

    again = staff.post(f"/api/v1/evacuees/{per}/checkin")
    assert again.status_code == 200 and again.json["status"] == "present"
    summary = staff.get(f"/api/v1/eps/{eps_id}").json
    assert (summary["present"], summary["left"]) == (1, 1)
    left = staff.get(f"/api/v1/eps/{eps_id}/evacuees?status=left").json["evacuees"]
    assert [p["id"] for p in left] == [kari]
    history = staff.get(f"/api/v1/evacuees/{per}/history").json
    assert [h["action"] for h in history["history"]] == ["registered", "checked_out", "checked_in_again"]
    assert history["changes"][0]["changes"]["destination"] == {"from": "Søster i Vennesla", "to": None}
    events = all_events_text(app)
    assert "evacuee.checked_in_again" in events and "Vennesla" not in events
    assert ("checkin_again", f"evacuee:{per}") in {(r["action"], r["subject"]) for r in all_audit_rows(app)}


def test_a_household_is_shown_together_and_each_member_read_is_audited(app, api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    made = staff.post(f"/api/v1/eps/{eps_id}/households", json={"members": PEOPLE[:2], "address": "Elvegata 12"})
    household = made.json["household_id"]
    kari = register(staff, eps_id, {**PEOPLE[2], "household_id": household})
    response = staff.get(f"/api/v1/households/{household}?reason=familie")
    assert response.status_code == 200
    assert [m["full_name"] for m in response.json["members"]] == [p["full_name"] for p in PEOPLE]
    reads = [r for r in all_audit_rows(app) if r["meta"].get("via") == "household"]
    assert len(reads) == 3 and {r["reason"] for r in reads} == {"familie"}
    assert staff.get("/api/v1/households/99999").status_code == 404
    assert api_for("viewer").get(f"/api/v1/households/{household}").status_code == 403
    # Linking a person who came alone to the household afterwards is a correction too.
    lone = register(staff, eps_id, {"full_name": "Ola Nordmann"})
    linked = staff.patch(f"/api/v1/evacuees/{lone}", json={"version": 1, "household_id": household})
    assert linked.status_code == 200 and linked.json["household_id"] == household
    assert staff.get(f"/api/v1/households/{household}").json["count"] == 4
    assert kari in [m["id"] for m in staff.get(f"/api/v1/households/{household}").json["members"]]


def test_a_centres_name_and_capacity_are_versioned_with_history(app, api_for, centre):
    _, eps_id = centre
    police = api_for("police")
    version = police.get(f"/api/v1/eps/{eps_id}").json["version"]
    changed = police.patch(f"/api/v1/eps/{eps_id}", json={"version": version, "name": "Gimlehallen B", "capacity": 80})
    assert changed.status_code == 200 and changed.json["capacity"] == 80
    assert changed.json["version"] == version + 1
    stale = police.patch(f"/api/v1/eps/{eps_id}", json={"version": version, "capacity": 10})
    assert stale.status_code == 409
    assert police.get(f"/api/v1/eps/{eps_id}").json["capacity"] == 80
    history = api_for("viewer").get(f"/api/v1/eps/{eps_id}/history")
    assert history.status_code == 200
    (change,) = history.json["changes"]
    assert change["changes"] == {
        "name": {"from": "Gimlehallen", "to": "Gimlehallen B"},
        "capacity": {"from": 120, "to": 80},
    }
    assert "eps.updated" in all_events_text(app)


def test_the_leader_hands_the_centre_over(app, api_for, users, centre):
    _, eps_id = centre
    police, staff = api_for("police"), api_for("eps_staff")
    version = police.get(f"/api/v1/eps/{eps_id}").json["version"]
    assert police.get(f"/api/v1/eps/{eps_id}").json["leader_user_id"] == users["police"][0]
    viewer_id = users["viewer"][0]
    refused = police.patch(f"/api/v1/eps/{eps_id}", json={"version": version, "leader_user_id": viewer_id})
    assert refused.status_code == 422  # a viewer never sees personal data
    staff_id = users["eps_staff"][0]
    hand_over = {"version": version, "leader_user_id": staff_id}
    assert staff.patch(f"/api/v1/eps/{eps_id}", json=hand_over).status_code == 403
    handed = police.patch(f"/api/v1/eps/{eps_id}", json=hand_over)
    assert handed.status_code == 200 and handed.json["leader_user_id"] == staff_id
    (change,) = police.get(f"/api/v1/eps/{eps_id}/history").json["changes"]
    assert change["changes"]["leader"] == {"from": users["police"][1], "to": users["eps_staff"][1]}


def test_the_purpose_is_picked_once_per_session_and_desk_and_goes_into_the_audit(app, api_for, users, centre):
    _, eps_id = centre
    person = register(api_for("eps_staff"), eps_id, PEOPLE[0])
    desk = session_client(app, users, "eps_staff")
    chosen = desk.get(f"/api/v1/eps/{eps_id}/purpose").json
    assert chosen["purpose"] is None and len(chosen["purposes"]) >= 3
    purpose = next(p for p in chosen["purposes"] if p["title"] == "Henvendelse fra pårørende")
    assert send(desk, "POST", f"/api/v1/eps/{eps_id}/purpose", {"purpose_id": 99999}).status_code == 422
    picked = send(desk, "POST", f"/api/v1/eps/{eps_id}/purpose", {"purpose_id": purpose["id"], "note": "datter ringte"})
    assert picked.status_code == 200
    assert desk.get(f"/api/v1/eps/{eps_id}/purpose").json["purpose"]["title"] == "Henvendelse fra pårørende"

    # Two reads, no reason sent: both audited with the purpose picked once.
    assert desk.get(f"/api/v1/eps/{eps_id}/evacuees?status=present").status_code == 200
    assert desk.get(f"/api/v1/evacuees/{person}").status_code == 200
    reasons = [r["reason"] for r in all_audit_rows(app) if r["action"] == "read"]
    assert reasons == ["Formål: Henvendelse fra pårørende – datter ringte"] * 2
    # Another session (another desk user) has not picked one.
    other = session_client(app, users, "police")
    assert other.get(f"/api/v1/eps/{eps_id}/purpose").json["purpose"] is None
    # A purpose named with the request wins; changing the choice is one call.
    kontroll = next(p for p in chosen["purposes"] if p["title"] == "Kontroll av opplysninger")
    desk.get(f"/api/v1/evacuees/{person}?purpose={kontroll['id']}")
    assert all_audit_rows(app)[-1]["reason"] == "Formål: Kontroll av opplysninger"
    assert desk.get(f"/api/v1/evacuees/{person}?purpose=99999").status_code == 422
    assert send(desk, "DELETE", f"/api/v1/eps/{eps_id}/purpose").json == {"purpose": None}
    assert desk.get(f"/api/v1/eps/{eps_id}/purpose").json["purpose"] is None


def test_the_eps_leader_keeps_the_purpose_list(app, api_for, users, centre):
    _, eps_id = centre
    police = api_for("police")  # opened the centre, so leads it
    staff = api_for("eps_staff")
    assert staff.post("/api/v1/eps/purposes", json={"title": "Tilsyn"}).status_code == 403
    created = police.post("/api/v1/eps/purposes", json={"title": "Helsepersonell ber om opplysninger"})
    assert created.status_code == 201
    assert police.post("/api/v1/eps/purposes", json={"title": ""}).status_code == 422
    purpose = created.json
    off = police.patch(f"/api/v1/eps/purposes/{purpose['id']}", json={"version": purpose["version"], "active": False})
    assert off.status_code == 200 and off.json["active"] is False
    stale = police.patch(f"/api/v1/eps/purposes/{purpose['id']}", json={"version": purpose["version"], "title": "X"})
    assert stale.status_code == 409
    titles = [p["title"] for p in staff.get("/api/v1/eps/purposes").json["purposes"]]
    assert "Helsepersonell ber om opplysninger" not in titles
    everything = police.get("/api/v1/eps/purposes?all=1").json
    assert everything["can_edit"] and any(not p["active"] for p in everything["purposes"])
    # An inactive purpose cannot be picked.
    desk = session_client(app, users, "eps_staff")
    picked = send(desk, "POST", f"/api/v1/eps/{eps_id}/purpose", {"purpose_id": purpose["id"]})
    assert picked.status_code == 422


def test_the_eps_leader_sees_the_audit_of_their_own_centre_only(app, api_for, users, centre):
    incident_id, eps_id = centre
    police, staff = api_for("police"), api_for("eps_staff")
    version = police.get(f"/api/v1/eps/{eps_id}").json["version"]
    staff_id = users["eps_staff"][0]
    hand_over = {"version": version, "leader_user_id": staff_id}
    assert police.patch(f"/api/v1/eps/{eps_id}", json=hand_over).status_code == 200
    other = police.post(f"/api/v1/incidents/{incident_id}/eps", json={"name": "Idda", "capacity": 5}).json["id"]
    ase = register(staff, eps_id, PEOPLE[0])
    per = register(staff, other, PEOPLE[1])
    police.get(f"/api/v1/evacuees/{ase}?reason=gjenforening")
    police.get(f"/api/v1/evacuees/{per}?reason=kontroll")

    leader = session_client(app, users, "eps_staff")
    html = leader.get("/eps/audit").get_data(as_text=True)
    rows = html.split('id="audit-records"')[1]
    assert f'data-subject="evacuee:{ase}"' in rows and "gjenforening" in rows
    assert f'data-subject="evacuee:{per}"' not in rows and "kontroll" not in rows
    assert 'data-subject="audit:' not in rows  # no audit outside EPS
    person = leader.get("/eps/audit?person=Per Hansen").get_data(as_text=True)
    assert "Ingen personer med det navnet." in person  # a person of another centre is not found
    found = leader.get("/eps/audit?person=Åse").get_data(as_text=True)
    assert "Åse Marie Ødegård" in found
    exported = leader.get("/eps/audit.csv?action=read").get_data(as_text=True)
    assert "gjenforening" in exported and "kontroll" not in exported
    reads = [r for r in all_audit_rows(app) if r["action"] == "audit.read"]
    assert {r["subject"] for r in reads} == {"audit:eps-page", "audit:eps-csv"}
    assert all(r["meta"]["eps_ids"] == [eps_id] for r in reads)
    # Someone who leads no centre gets an empty log; the admin's page is unchanged.
    none = session_client(app, users, "coordinator").get("/eps/audit").get_data(as_text=True)
    assert 'id="audit-none"' in none and "audit-records" not in none
    assert leader.get("/admin/audit").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(RecordChange).where(RecordChange.subject_type == "centre")) is not None


def test_the_centre_page_offers_the_edit_the_purposes_and_the_audit_link_to_whom_they_belong(app, users, centre):
    _, eps_id = centre
    leader = session_client(app, users, "police").get(f"/eps/{eps_id}").get_data(as_text=True)
    assert 'id="centre-form"' in leader and 'id="purposes-admin"' in leader and 'id="eps-audit-link"' in leader
    coordinator = session_client(app, users, "coordinator").get(f"/eps/{eps_id}").get_data(as_text=True)
    assert 'id="purposes-admin"' in coordinator and 'id="eps-audit-link"' not in coordinator
    staff = session_client(app, users, "eps_staff").get(f"/eps/{eps_id}").get_data(as_text=True)
    assert 'id="centre-form"' in staff and 'id="purposes-admin"' not in staff
    viewer = session_client(app, users, "viewer").get(f"/eps/{eps_id}").get_data(as_text=True)
    assert 'id="centre-form"' not in viewer and 'id="purposes-admin"' not in viewer


def _changes(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(c.subject_type, c.changes) for c in db.session.scalars(select(RecordChange).order_by(RecordChange.id))]


def test_replaced_values_go_with_the_record_at_purge_and_exercise_deletion(app, api_for):
    from datetime import timedelta

    from sqlalchemy import update

    from beredskap.clock import utcnow
    from beredskap.eps.services import purge_expired_personal_data
    from beredskap.incidents.models import Incident
    from tests.factories import gen_centre

    police, staff = api_for("police"), api_for("eps_staff")
    incident_id, eps_id = gen_centre(police)
    ase = register(staff, eps_id, PEOPLE[0])
    assert staff.patch(f"/api/v1/evacuees/{ase}", json={"version": 1, "phone": "41 00 00 03"}).status_code == 200
    version = police.get(f"/api/v1/eps/{eps_id}").json["version"]
    assert police.patch(f"/api/v1/eps/{eps_id}", json={"version": version, "capacity": 99}).status_code == 200
    assert [kind for kind, _ in _changes(app)] == ["evacuee", "centre"]
    version = police.get(f"/api/v1/incidents/{incident_id}").json["version"]
    closed = api_for("coordinator").patch(
        f"/api/v1/incidents/{incident_id}", json={"status": "closed", "version": version}
    )
    assert closed.status_code == 200
    with app.app_context():
        db.session.execute(
            update(Incident).where(Incident.id == incident_id).values(closed_at=utcnow() - timedelta(days=40))
        )
        db.session.commit()
        assert purge_expired_personal_data()["evacuees"] == 1
    # The person's old values are gone with the person; the centre's capacity history stays.
    assert _changes(app) == [("centre", {"capacity": {"from": 120, "to": 99}})]

    exercise = police.post("/api/v1/incidents", json={"title": "Øvelse retting", "kind": "exercise"}).json
    _, ex_eps = gen_centre(police, exercise["id"])
    kari = register(staff, ex_eps, PEOPLE[2])
    assert staff.patch(f"/api/v1/evacuees/{kari}", json={"version": 1, "address": "Ny vei 1"}).status_code == 200
    assert api_for("admin").delete(f"/api/v1/incidents/{exercise['id']}/eps-data").status_code == 200
    assert _changes(app) == [("centre", {"capacity": {"from": 120, "to": 99}})]
