"""Confidentiality of the EPS: need-to-know per role, audited reads and exports, no personal data in events,
sockets, logs or audit rows, PFIF 1.4 for the police, retention purge and deleting exercise data."""

import io
import logging
import re
from datetime import timedelta

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select, update

from beredskap.auth.permissions import Role
from beredskap.clock import utcnow
from beredskap.extensions import db, socketio
from tests.conftest import login
from tests.eps.conftest import INQUIRER, PEOPLE, all_audit_rows, all_events_text, leaks, register, secrets_of

PFIF = "http://zesty.ca/pfif/1.4"
NS = {"p": PFIF}
NO_PERSONAL_DATA = ("viewer", "observer", "crisis_staff")
PERSONAL_DATA = ("police", "eps_staff", "coordinator", "admin")


def filled_centre(api_for, centre):
    """Register the three people and one inquiry; returns (evacuee ids, inquiry id)."""
    _, eps_id = centre
    staff = api_for("eps_staff")
    ids = [register(staff, eps_id, person) for person in PEOPLE]
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=INQUIRER)
    assert inquiry.status_code == 201
    return ids, inquiry.json["id"]


def personal_requests(eps_id, evacuee_id, inquiry_id):
    return [
        ("GET", f"/api/v1/eps/{eps_id}/evacuees", None),
        ("GET", f"/api/v1/evacuees/{evacuee_id}", None),
        ("GET", f"/api/v1/eps/{eps_id}/inquiries", None),
        ("GET", f"/api/v1/inquiries/{inquiry_id}", None),
        ("GET", f"/api/v1/eps/{eps_id}/pfif.xml", None),
        ("GET", f"/api/v1/eps/{eps_id}/evacuees.csv", None),
        ("POST", f"/api/v1/eps/{eps_id}/evacuees", {"full_name": "Ny Person"}),
        ("POST", f"/api/v1/eps/{eps_id}/households", {"members": [{"full_name": "Ny Person"}]}),
        ("POST", f"/api/v1/eps/{eps_id}/inquiries", INQUIRER),
        ("POST", f"/api/v1/evacuees/{evacuee_id}/checkout", {"destination": "Hjem"}),
        ("POST", f"/api/v1/inquiries/{inquiry_id}/reunite", {"evacuee_id": evacuee_id}),
        ("POST", f"/api/v1/inquiries/{inquiry_id}/close", {}),
    ]


@pytest.mark.parametrize("role", NO_PERSONAL_DATA)
def test_roles_without_need_to_know_get_403_on_every_personal_route(api_for, centre, app, users, role):
    _, eps_id = centre
    ids, inquiry_id = filled_centre(api_for, centre)
    api = api_for(role)
    audit_before = len(all_audit_rows(app))
    for method, path, body in personal_requests(eps_id, ids[0], inquiry_id):
        response = api.client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {api.token}"})
        assert response.status_code == 403, (role, method, path)
        assert not leaks(response.get_data(as_text=True), secrets_of(PEOPLE, [INQUIRER]))
    assert len(all_audit_rows(app)) == audit_before
    # Counts are for everyone.
    assert api.get(f"/api/v1/eps/{eps_id}").json["present"] == 3
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    assert client.get(f"/eps/{eps_id}/desk").status_code == 403
    assert client.get(f"/eps/{eps_id}/namelist.pdf").status_code == 403
    page = client.get(f"/eps/{eps_id}")
    assert page.status_code == 200 and not leaks(page.get_data(as_text=True), secrets_of(PEOPLE))


@pytest.mark.parametrize("role", ("police", "eps_staff"))
def test_police_and_eps_staff_read_personal_data_audited_once_per_person(api_for, centre, app, users, role):
    _, eps_id = centre
    ids, inquiry_id = filled_centre(api_for, centre)
    api = api_for(role)
    before = len(all_audit_rows(app))
    response = api.get(f"/api/v1/eps/{eps_id}/evacuees?reason=gjenforening")
    assert response.status_code == 200
    assert sorted(p["full_name"] for p in response.json["evacuees"]) == sorted(p["full_name"] for p in PEOPLE)
    new = all_audit_rows(app)[before:]
    assert len(new) == len(ids)
    assert sorted(int(r["subject"].split(":")[1]) for r in new) == sorted(ids)
    assert {r["subject"].split(":")[0] for r in new} == {"evacuee"}
    assert {r["action"] for r in new} == {"read"}
    assert {r["actor"] for r in new} == {users[role][1]}
    assert {r["reason"] for r in new} == {"gjenforening"}
    # The header works as well as the query string.
    before = len(all_audit_rows(app))
    api.client.get(
        f"/api/v1/evacuees/{ids[1]}",
        headers={"Authorization": f"Bearer {api.token}", "X-Access-Reason": "kontroll av adresse"},
    )
    assert [(r["subject"], r["reason"]) for r in all_audit_rows(app)[before:]] == [
        (f"evacuee:{ids[1]}", "kontroll av adresse")
    ]
    # Reading an inquiry is an access to the inquiry and to every candidate shown.
    before = len(all_audit_rows(app))
    detail = api.get(f"/api/v1/inquiries/{inquiry_id}").json
    subjects = [r["subject"] for r in all_audit_rows(app)[before:]]
    assert subjects == [f"inquiry:{inquiry_id}"] + [f"evacuee:{c['evacuee_id']}" for c in detail["candidates"]]
    assert not leaks(str(all_audit_rows(app)), secrets_of(PEOPLE, [INQUIRER]))


def test_admin_finds_the_access_records_of_a_person(api_for, centre):
    ids, inquiry_id = filled_centre(api_for, centre)
    api_for("police").get(f"/api/v1/eps/{centre[1]}/evacuees?reason=etterlysning")
    records = api_for("admin").get(f"/api/v1/audit?subject=evacuee:{ids[0]}").json["records"]
    actions = [r["action"] for r in records]
    assert "read" in actions and "create" in actions
    read = next(r for r in records if r["action"] == "read")
    assert read["reason"] == "etterlysning" and read["actor"].startswith("police.")
    assert api_for("admin").get(f"/api/v1/audit?subject=inquiry:{inquiry_id}").json["records"]
    assert api_for("coordinator").get(f"/api/v1/audit?subject=evacuee:{ids[0]}").status_code == 403


def test_pfif_export_is_valid_pfif_1_4_and_audited(api_for, centre, app, users):
    _, eps_id = centre
    ids, _ = filled_centre(api_for, centre)
    staff = api_for("eps_staff")
    checkout = staff.post(f"/api/v1/evacuees/{ids[1]}/checkout", json={"destination": "Hotell Caledonien"})
    assert checkout.status_code == 200
    assert staff.get(f"/api/v1/eps/{eps_id}/pfif.xml").status_code == 403  # export is for police/coordinator
    police = api_for("police")
    before = len(all_audit_rows(app))
    response = police.get(f"/api/v1/eps/{eps_id}/pfif.xml?reason=savnetregister")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{PFIF}}}pfif"
    persons = root.findall("p:person", NS)
    assert len(persons) == 3
    from beredskap.eps.pfif import NOTE_FIELDS, PERSON_FIELDS

    for person in persons:
        for required in ("person_record_id", "source_date", "full_name", "expiry_date", "entry_date", "author_name"):
            assert person.find(f"p:{required}", NS) is not None and person.find(f"p:{required}", NS).text, required
        record_id = person.find("p:person_record_id", NS).text
        assert re.fullmatch(r"beredskap\.kristiansand\.kommune\.no/person\.\d+", record_id)
        fields = [etree.QName(child).localname for child in person if etree.QName(child).localname != "note"]
        assert fields == [name for name in PERSON_FIELDS if name in fields], "PFIF element order"
        for when in ("source_date", "entry_date", "expiry_date"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", person.find(f"p:{when}", NS).text)
        notes = person.findall("p:note", NS)
        assert notes
        for note in notes:
            for required in ("note_record_id", "author_name", "source_date", "text", "status"):
                assert note.find(f"p:{required}", NS) is not None, required
            assert note.find("p:status", NS).text == "believed_alive"
            assert note.find("p:person_record_id", NS).text == record_id
            note_fields = [etree.QName(child).localname for child in note]
            assert note_fields == [name for name in NOTE_FIELDS if name in note_fields]
    names = {p.find("p:full_name", NS).text for p in persons}
    assert names == {p["full_name"] for p in PEOPLE}
    hansen = next(p for p in persons if p.find("p:full_name", NS).text == "Per Hansen")
    assert hansen.find("p:date_of_birth", NS).text == "1961-04-02"
    assert hansen.find("p:home_postal_code", NS).text == "4612"
    assert "Hotell Caledonien" in etree.tostring(hansen, encoding="unicode")
    expiry = persons[0].find("p:expiry_date", NS).text
    assert expiry.startswith((utcnow() + timedelta(days=30)).strftime("%Y-%m-%d"))
    rows = all_audit_rows(app)[before:]
    # One record per person exported, and one on the legal basis the export ran on (issue 16).
    assert [r["action"] for r in rows if r["subject"].startswith("share_basis:")] == ["share_basis.used"]
    new = [r for r in rows if r["subject"].startswith("evacuee:")]
    assert sorted(r["subject"] for r in new) == sorted(f"evacuee:{i}" for i in ids)
    assert {r["action"] for r in new} == {"export"} and {r["meta"]["format"] for r in new} == {"pfif"}
    assert {r["reason"] for r in new} == {"savnetregister"}


def test_csv_export_is_audited_and_safe_for_spreadsheets(api_for, centre, app):
    _, eps_id = centre
    staff = api_for("eps_staff")
    evil = register(staff, eps_id, {"full_name": '=HYPERLINK("http://x")', "phone": "+47 400 00 000"})
    before = len(all_audit_rows(app))
    response = api_for("coordinator").get(f"/api/v1/eps/{eps_id}/evacuees.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffId;Øvelse;Navn;")
    assert "'=HYPERLINK" in text and "+47 400 00 000" in text
    assert [r["subject"] for r in all_audit_rows(app)[before:]] == [f"evacuee:{evil}", "share_basis:1"]


def test_status_pdf_has_counts_only_and_the_named_list_is_audited(api_for, centre, app, users):
    _, eps_id = centre
    ids, _ = filled_centre(api_for, centre)
    viewer = app.test_client()
    login(viewer, users["viewer"][1], users["viewer"][2])
    status = viewer.get(f"/eps/{eps_id}/status.pdf")
    assert status.status_code == 200 and status.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(status.data)).pages)
    assert "Gimlehallen" in text and "Mottak og registrering" in text
    assert not leaks(text, secrets_of(PEOPLE, [INQUIRER]))
    staff = app.test_client()
    login(staff, users["eps_staff"][1], users["eps_staff"][2])
    before = len(all_audit_rows(app))
    named = staff.get(f"/eps/{eps_id}/namelist.pdf")
    assert named.status_code == 200
    named_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(named.data)).pages)
    assert "Hansen" in named_text and "Taushetsbelagt" in named_text
    new = all_audit_rows(app)[before:]
    assert sorted(r["subject"] for r in new) == sorted(f"evacuee:{i}" for i in ids)
    assert {r["action"] for r in new} == {"print"}


def test_no_personal_data_in_events_sockets_logs_or_audit(api_for, app, users, caplog):
    caplog.set_level(logging.DEBUG)
    socket = socketio.test_client(app, auth={"token": users["viewer"][3]})
    assert socket.is_connected()
    police, staff = api_for("police"), api_for("eps_staff")
    incident = police.post("/api/v1/incidents", json={"title": "Skred Randesund", "kind": "exercise"}).json
    for channel in ("global", f"incident:{incident['id']}"):
        assert socket.emit("subscribe", {"channel": channel}, callback=True)["ok"] is True
    eps_id = police.post(
        f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Randesund skole", "capacity": 3}
    ).json["id"]
    ids = [register(staff, eps_id, PEOPLE[0])]
    household = staff.post(
        f"/api/v1/eps/{eps_id}/households", json={"address": PEOPLE[1]["address"], "members": [PEOPLE[1], PEOPLE[2]]}
    )
    ids += [e["id"] for e in household.json["evacuees"]]
    # Validation errors with personal data in them.
    assert staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={**PEOPLE[0], "full_name": ""}).status_code == 422
    assert (
        staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={**PEOPLE[1], "birth_date": "99.99.1961"}).status_code == 422
    )
    assert (
        staff.post(f"/api/v1/eps/{eps_id}/inquiries", json={**INQUIRER, "inquirer_phone": "Elvegata 12"}).status_code
        == 422
    )
    assert (
        staff.post(f"/api/v1/eps/{eps_id}/inquiries", json={**INQUIRER, "sought_birth_year": "tretti"}).status_code
        == 422
    )
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=INQUIRER).json
    late = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json={**INQUIRER, "sought_name": "Sen Ankomst Olsen"}).json
    ids.append(register(staff, eps_id, {"full_name": "Sen Ankomst Olsen", "phone": "45 45 45 45"}))
    staff.get(f"/api/v1/eps/{eps_id}/evacuees")
    staff.get(f"/api/v1/inquiries/{inquiry['id']}")
    staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={"evacuee_id": ids[0]})
    staff.post(f"/api/v1/inquiries/{late['id']}/close", json={})
    staff.post(f"/api/v1/evacuees/{ids[1]}/checkout", json={"destination": "Hos søster i Lillesand"})
    police.get(f"/api/v1/eps/{eps_id}/pfif.xml")
    coordinator = api_for("coordinator")
    department = coordinator.get(f"/api/v1/eps/{eps_id}/departments").json["departments"][2]
    coordinator.post(f"/api/v1/eps/departments/{department['id']}/staff", json={"name": "Mannskap Pårørendesenter"})
    version = coordinator.get(f"/api/v1/eps/{eps_id}").json["version"]
    coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "i_drift", "version": version})
    coordinator.delete(f"/api/v1/incidents/{incident['id']}/eps-data")

    people = [*PEOPLE, {"full_name": "Sen Ankomst Olsen", "phone": "45 45 45 45"}]
    values = [*secrets_of(people, [INQUIRER]), "Hos søster i Lillesand", "Mannskap Pårørendesenter"]
    events = all_events_text(app)
    for kind in (
        "eps.opened",
        "evacuee.registered",
        "eps.occupancy",
        "inquiry.created",
        "inquiry.matches_changed",
        "inquiry.reunited",
        "evacuee.checked_out",
        "eps.department_updated",
        "eps.status_changed",
        "eps.exercise_data_deleted",
    ):
        assert kind in events, kind
    assert leaks(events, values) == []
    received = socket.get_received()
    assert any(packet["args"][0]["type"] == "evacuee.registered" for packet in received)
    assert leaks(repr(received), values) == []
    assert leaks(caplog.text, values) == []
    assert leaks(repr(all_audit_rows(app)), values) == []
    socket.disconnect()


def _closed_incident_with_people(api_for, app, title: str, closed_days_ago: float | None, people: list[dict]):
    police, staff = api_for("police"), api_for("eps_staff")
    incident = police.post("/api/v1/incidents", json={"title": title}).json
    eps_id = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"name": f"EPS {title}", "capacity": 50}).json[
        "id"
    ]
    ids = [register(staff, eps_id, person) for person in people]
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json={**INQUIRER, "sought_name": people[0]["full_name"]})
    assert inquiry.status_code == 201
    if closed_days_ago is not None:
        coordinator = api_for("coordinator")
        version = coordinator.get(f"/api/v1/incidents/{incident['id']}").json["version"]
        assert (
            coordinator.patch(
                f"/api/v1/incidents/{incident['id']}", json={"status": "closed", "version": version}
            ).status_code
            == 200
        )
        from beredskap.incidents.models import Incident

        with app.app_context():
            db.session.execute(
                update(Incident)
                .where(Incident.id == incident["id"])
                .values(closed_at=utcnow() - timedelta(days=closed_days_ago))
            )
            db.session.commit()
    return incident["id"], eps_id, ids


def _people_of(app, incident_id):
    from beredskap.eps.models import Evacuee, Inquiry

    with app.app_context():
        evacuees = [
            (e.full_name, e.birth_date, e.phone, e.address, e.needs_note, e.anonymised_at is not None)
            for e in db.session.scalars(select(Evacuee).where(Evacuee.incident_id == incident_id))
        ]
        inquiries = [
            (i.inquirer_name, i.inquirer_phone, i.sought_name, i.candidates)
            for i in db.session.scalars(select(Inquiry).where(Inquiry.incident_id == incident_id))
        ]
    return evacuees, inquiries


def test_purge_removes_personal_data_past_retention_and_nothing_else(api_for, app):
    from beredskap.eps.services import purge_expired_personal_data

    old_id, old_eps, _ = _closed_incident_with_people(api_for, app, "Gammel", 40, PEOPLE[:2])
    recent_id, _, _ = _closed_incident_with_people(api_for, app, "Nylig", 10, [PEOPLE[2]])
    open_id, _, _ = _closed_incident_with_people(api_for, app, "Pågår", None, [PEOPLE[0]])
    now = utcnow()
    with app.app_context():
        dry = purge_expired_personal_data(dry_run=True, now=now)
    assert (dry["incidents"], dry["evacuees"], dry["inquiries"], dry["dry_run"]) == (1, 2, 1, True)
    assert all(not row[-1] for row in _people_of(app, old_id)[0])

    with app.app_context():
        result = purge_expired_personal_data(now=now)
    assert (result["incidents"], result["evacuees"], result["inquiries"]) == (1, 2, 1)
    evacuees, inquiries = _people_of(app, old_id)
    assert evacuees == [(None, None, None, None, None, True)] * 2
    assert inquiries == [(None, None, None, [])]
    for untouched in (recent_id, open_id):
        evacuees, inquiries = _people_of(app, untouched)
        assert all(row[0] and row[2] and not row[-1] for row in evacuees)
        assert all(row[0] and row[2] for row in inquiries)
    # Counts stay right after the purge; the people are no longer readable.
    summary = api_for("viewer").get(f"/api/v1/eps/{old_eps}").json
    assert (summary["registered"], summary["present"]) == (2, 2)
    assert api_for("police").get(f"/api/v1/eps/{old_eps}/evacuees").json["evacuees"] == []
    purge_audit = [r for r in all_audit_rows(app) if r["action"] == "privacy.purge"]
    assert [(r["subject"], r["meta"]["evacuees"], r["meta"]["inquiries"]) for r in purge_audit] == [
        (f"incident:{old_id}", 2, 1)
    ]
    assert leaks(repr(purge_audit), secrets_of(PEOPLE, [INQUIRER])) == []
    with app.app_context():
        assert purge_expired_personal_data(now=now)["evacuees"] == 0


def test_scheduled_purge_runs_at_most_hourly(api_for, app):
    from beredskap.eps.services import run_scheduled_jobs

    first_id, _, _ = _closed_incident_with_people(api_for, app, "Først", 31, [PEOPLE[0]])
    start = utcnow()
    with app.app_context():
        run_scheduled_jobs(start)
    assert _people_of(app, first_id)[0][0][-1] is True
    second_id, _, _ = _closed_incident_with_people(api_for, app, "Så", 31, [PEOPLE[1]])
    with app.app_context():
        run_scheduled_jobs(start + timedelta(minutes=30))
    assert _people_of(app, second_id)[0][0][-1] is False, "ran again within the hour"
    with app.app_context():
        run_scheduled_jobs(start + timedelta(minutes=61))
    assert _people_of(app, second_id)[0][0][-1] is True


def test_purge_cli(app, api_for, runner):
    old_id, _, _ = _closed_incident_with_people(api_for, app, "CLI", 45, [PEOPLE[0]])
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "'evacuees': 1" in dry.output and "Ville slettet" in dry.output
    assert _people_of(app, old_id)[0][0][0] == PEOPLE[0]["full_name"]
    real = runner.invoke(args=["privacy", "purge"])
    assert real.exit_code == 0 and "'evacuees': 1" in real.output
    assert _people_of(app, old_id)[0][0][0] is None
    assert leaks(dry.output + real.output, secrets_of(PEOPLE)) == []


def test_exercise_data_is_marked_and_deleted_in_one_action(api_for, app, users):
    police, staff = api_for("police"), api_for("eps_staff")
    exercise = police.post("/api/v1/incidents", json={"title": "Øvelse Flom", "kind": "exercise"}).json
    real = police.post("/api/v1/incidents", json={"title": "Reell brann"}).json
    ex_eps = police.post(f"/api/v1/incidents/{exercise['id']}/eps", json={"name": "Øvingshall", "capacity": 9}).json
    real_eps = police.post(f"/api/v1/incidents/{real['id']}/eps", json={"name": "Reell hall", "capacity": 9}).json
    marked = staff.post(f"/api/v1/eps/{ex_eps['id']}/evacuees", json=PEOPLE[0])
    assert marked.json["exercise"] is True
    assert staff.post(f"/api/v1/eps/{real_eps['id']}/evacuees", json=PEOPLE[1]).json["exercise"] is False
    staff.post(f"/api/v1/eps/{ex_eps['id']}/inquiries", json=INQUIRER)
    client = app.test_client()
    login(client, users["eps_staff"][1], users["eps_staff"][2])
    desk = client.get(f"/eps/{ex_eps['id']}/desk").get_data(as_text=True)
    assert "ØVELSE – ØVELSE" in desk and 'data-exercise="true"' in desk
    status_pdf = client.get(f"/eps/{ex_eps['id']}/status.pdf").data
    assert all("ØVELSE" in page.extract_text() for page in PdfReader(io.BytesIO(status_pdf)).pages)

    assert staff.delete(f"/api/v1/incidents/{exercise['id']}/eps-data").status_code == 403
    refused = api_for("admin").delete(f"/api/v1/incidents/{real['id']}/eps-data")
    assert refused.status_code == 409
    deleted = api_for("admin").delete(f"/api/v1/incidents/{exercise['id']}/eps-data")
    assert deleted.status_code == 200
    assert deleted.json["deleted"] == {"centres": 1, "evacuees": 1, "inquiries": 1}
    assert police.get(f"/api/v1/eps/{ex_eps['id']}").status_code == 404
    assert police.get(f"/api/v1/incidents/{exercise['id']}/eps").json["centres"] == []
    assert _people_of(app, exercise["id"]) == ([], [])
    assert _people_of(app, real["id"])[0][0][0] == PEOPLE[1]["full_name"]
    assert police.get(f"/api/v1/eps/{real_eps['id']}").json["registered"] == 1


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_eps_pages_follow_the_role_table(app, users, centre, role):
    from beredskap.auth.permissions import Perm, has_permission

    _, eps_id = centre
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    for path, perm in (
        ("/eps", Perm.EPS_READ),
        (f"/eps/{eps_id}", Perm.EPS_READ),
        (f"/eps/{eps_id}/desk", Perm.PERSON_WRITE),
        (f"/eps/{eps_id}/status.pdf", Perm.EPS_READ),
        (f"/eps/{eps_id}/namelist.pdf", Perm.PERSON_READ),
    ):
        expected = 200 if has_permission(role, perm) else 403
        assert client.get(path).status_code == expected, (role, path)
