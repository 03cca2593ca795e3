"""EPS through the API (CONTRACT §5): opening a centre, check-in and check-out, inquiries, matching, reunification."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from beredskap.clock import utcnow
from beredskap.extensions import db
from beredskap.field_labels import label
from tests.conftest import Api, gen_user
from tests.eps.conftest import PEOPLE, inquiry_for, register


def counts(api, eps_id):
    response = api.get(f"/api/v1/eps/{eps_id}")
    assert response.status_code == 200
    return {key: response.json[key] for key in ("capacity", "present", "registered", "left", "open_inquiries")}


def test_open_centre_answers_the_contract_fields_and_counts_only(api_for):
    police = api_for("police")
    incident = police.post("/api/v1/incidents", json={"title": "Gasslekkasje Tangen"}).json
    response = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Aquarama", "capacity": 80})
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "besluttet" and body["capacity"] == 80 and body["present"] == 0
    assert isinstance(body["id"], int)
    assert body["decided_by"] == "politi" and body["decided_at"]
    summary = api_for("viewer").get(f"/api/v1/eps/{body['id']}")
    assert summary.status_code == 200
    assert {k: summary.json[k] for k in ("capacity", "present", "registered", "left", "open_inquiries")} == {
        "capacity": 80,
        "present": 0,
        "registered": 0,
        "left": 0,
        "open_inquiries": 0,
    }
    assert "evacuees" not in summary.json


def test_status_moves_forward_only_with_version(api_for, centre):
    _, eps_id = centre
    coordinator = api_for("coordinator")
    version = coordinator.get(f"/api/v1/eps/{eps_id}").json["version"]
    opened = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "åpnet", "version": version})
    assert opened.status_code == 200 and opened.json["status"] == "åpnet" and opened.json["opened_at"]
    stale = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "i_drift", "version": version})
    assert stale.status_code == 409
    running = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "i_drift", "version": opened.json["version"]})
    assert running.status_code == 200 and running.json["status"] == "i_drift"
    back = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "besluttet", "version": running.json["version"]})
    assert back.status_code == 409
    missing = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "avviklet"})
    assert missing.status_code == 422


def test_register_check_out_and_close_centre(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    first = register(staff, eps_id, PEOPLE[0])
    second = register(staff, eps_id, PEOPLE[1])
    assert counts(staff, eps_id) == {"capacity": 120, "present": 2, "registered": 2, "left": 0, "open_inquiries": 0}

    out = staff.post(f"/api/v1/evacuees/{first}/checkout", json={"destination": "Hos datter i Vennesla"})
    assert out.status_code == 200 and out.json == {"id": first, "status": "left"}
    again = staff.post(f"/api/v1/evacuees/{first}/checkout", json={"destination": "Hjem"})
    assert again.status_code == 409
    assert staff.post(f"/api/v1/evacuees/{second}/checkout", json={}).status_code == 422
    assert counts(staff, eps_id) == {"capacity": 120, "present": 1, "registered": 2, "left": 1, "open_inquiries": 0}

    person = staff.get(f"/api/v1/evacuees/{first}?reason=kontroll").json
    assert person["status"] == "left" and person["destination"] == "Hos datter i Vennesla"
    assert [entry["action"] for entry in person["history"]] == ["registered", "checked_out"]
    assert [entry["status"] for entry in person["history"]] == ["present", "left"]

    coordinator = api_for("coordinator")
    version = coordinator.get(f"/api/v1/eps/{eps_id}").json["version"]
    refused = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "avviklet", "version": version})
    assert refused.status_code == 409 and "1 personer" in refused.json["error"]["message"]
    assert staff.post(f"/api/v1/evacuees/{second}/checkout", json={"destination": "Hjem"}).status_code == 200
    closed = coordinator.patch(f"/api/v1/eps/{eps_id}", json={"status": "avviklet", "version": version})
    assert closed.status_code == 200 and closed.json["status"] == "avviklet"
    late = staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={"full_name": "Sen Ankomst"})
    assert late.status_code == 409


def test_household_registers_together_with_shared_address(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    response = staff.post(
        f"/api/v1/eps/{eps_id}/households",
        json={
            "address": "Markens gate 1, 4611 Kristiansand",
            "members": [
                {"full_name": "Lise Berg", "birth_date": "1980"},
                {"full_name": "Jon Berg"},
                {"full_name": "Mia Berg", "birth_date": "12.06.2015", "needs": ["kjæledyr"]},
            ],
        },
    )
    assert response.status_code == 201
    household = response.json["household_id"]
    assert len(response.json["evacuees"]) == 3 and all(e["status"] == "present" for e in response.json["evacuees"])
    extra = staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={"full_name": "Bestemor Berg", "household_id": household})
    assert extra.status_code == 201 and extra.json["household_id"] == household
    people = staff.get(f"/api/v1/eps/{eps_id}/evacuees").json["evacuees"]
    assert {p["household_id"] for p in people} == {household}
    mia = next(p for p in people if p["full_name"] == "Mia Berg")
    assert mia["address"] == "Markens gate 1, 4611 Kristiansand" and mia["birth_date"] == "2015-06-12"
    assert mia["needs"] == ["kjaeledyr"]
    lise = next(p for p in people if p["full_name"] == "Lise Berg")
    assert lise["birth_date"] is None and lise["birth_year"] == 1980
    assert counts(staff, eps_id)["present"] == 4
    wrong = staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={"full_name": "X Y", "household_id": 999999})
    assert wrong.status_code == 422


@pytest.mark.parametrize(
    "body, field",
    [
        ({"phone": "+47 412 34 567", "address": "Elvegata 12"}, "full_name"),
        ({"full_name": "Åse Marie Ødegård", "birth_date": "31.02.1949"}, "birth_date"),
        ({"full_name": "Åse Marie Ødegård", "birth_date": "30.01.2199"}, "birth_date"),
        ({"full_name": "Åse Marie Ødegård", "phone": "ring Elvegata 12"}, "phone"),
        ({"full_name": "Åse Marie Ødegård", "needs": ["Insulin morgen og kveld"]}, "needs"),
        ({"full_name": "Åse Marie Ødegård", "needs": "helse"}, "needs"),
        ({"full_name": ["Åse"]}, "full_name"),
        ({"full_name": "Å" * 201}, "full_name"),
    ],
)
def test_validation_names_the_field_and_never_echoes_the_value(api_for, centre, body, field):
    _, eps_id = centre
    response = api_for("eps_staff").post(f"/api/v1/eps/{eps_id}/evacuees", json=body)
    assert response.status_code == 422
    error = response.json["error"]
    # The message names the field in words (issue 17 §8), the envelope's `fields` keeps the API name.
    assert error["message"].startswith(str(label(field))) and field in error["fields"]
    assert field not in error["message"]
    text = response.get_data(as_text=True)
    for value in ("Ødegård", "Elvegata", "412 34 567", "31.02.1949", "2199", "Insulin", "ring"):
        assert value not in text


def test_malformed_bodies_get_4xx_never_5xx(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    bad = [None, [], "x", 1, {"members": "x"}, {"members": [1, 2]}, {"members": [{}]}, {"members": [None]}]
    for body in bad:
        for path in (
            f"/api/v1/eps/{eps_id}/evacuees",
            f"/api/v1/eps/{eps_id}/households",
            f"/api/v1/eps/{eps_id}/inquiries",
            "/api/v1/inquiries/1/reunite",
            "/api/v1/evacuees/1/checkout",
        ):
            response = staff.client.post(path, json=body, headers={"Authorization": f"Bearer {staff.token}"})
            assert 400 <= response.status_code < 500, (path, body, response.status_code)
    assert staff.get(f"/api/v1/eps/{eps_id}/evacuees?status=nonsense").status_code == 422


def test_matching_finds_spelling_variants_first_and_never_merges(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    ids = {}
    for name, born in [
        ("Åse Marie Ødegård", "1949-01-30"),
        ("Åse Marie Olsen", "1958-09-12"),
        ("Marie Ødegård", None),
        ("Per Hansen", "1961-04-02"),
        ("Per Olav Hansen", None),
        ("Kari Nordmann", "1990-03-03"),
    ]:
        ids[name] = register(staff, eps_id, {"full_name": name, "birth_date": born})
    before = counts(staff, eps_id)

    aase = staff.post(
        f"/api/v1/eps/{eps_id}/inquiries",
        json={
            "inquirer_name": "Ingrid Lunde",
            "inquirer_phone": "97766554",
            "relation": "datter",
            "sought_name": "aase marie odegaard",
        },
    )
    assert aase.status_code == 201
    assert aase.json["candidates"][0]["evacuee_id"] == ids["Åse Marie Ødegård"]
    scores = [c["score"] for c in aase.json["candidates"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]

    per = staff.post(
        f"/api/v1/eps/{eps_id}/inquiries",
        json={
            "inquirer_name": "Randi Hansen",
            "inquirer_phone": "90000001",
            "relation": "ektefelle",
            "sought_name": "Hansen, Per",
        },
    )
    assert per.json["candidates"][0]["evacuee_id"] == ids["Per Hansen"]
    assert counts(staff, eps_id) == {**before, "open_inquiries": 2}


def test_two_people_with_the_same_name_stay_two_records(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    older = register(staff, eps_id, {"full_name": "Ola Nordmann", "birth_date": "1950-05-05"})
    younger = register(staff, eps_id, {"full_name": "Ola Nordmann", "birth_date": "2001-07-07"})
    assert older != younger
    assert counts(staff, eps_id)["registered"] == 2
    inquiry = staff.post(
        f"/api/v1/eps/{eps_id}/inquiries",
        json={
            "inquirer_name": "Kari Nordmann",
            "inquirer_phone": "90112233",
            "relation": "mor",
            "sought_name": "Ola Nordmann",
            "sought_birth_year": 2001,
        },
    )
    candidates = inquiry.json["candidates"]
    assert [c["evacuee_id"] for c in candidates] == [younger, older]
    reunite = staff.post(f"/api/v1/inquiries/{inquiry.json['id']}/reunite", json={"evacuee_id": younger})
    assert reunite.status_code == 200
    people = staff.get(f"/api/v1/eps/{eps_id}/evacuees").json["evacuees"]
    assert sorted(p["id"] for p in people) == sorted([older, younger])
    assert {p["birth_date"] for p in people} == {"1950-05-05", "2001-07-07"}


def test_inquiries_and_reunification_never_change_the_evacuee_count(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    evacuee = register(staff, eps_id, PEOPLE[0])
    register(staff, eps_id, PEOPLE[1])
    before = counts(staff, eps_id)
    made = []
    for sought in ("Åse Marie Ødegård", "Per Hansen", "Ukjent Person", "Åse Ødegård"):
        response = staff.post(
            f"/api/v1/eps/{eps_id}/inquiries",
            json={
                "inquirer_name": "Pårørende",
                "inquirer_phone": "90000002",
                "relation": "venn",
                "sought_name": sought,
            },
        )
        assert response.status_code == 201
        made.append(response.json["id"])
    assert staff.post(f"/api/v1/inquiries/{made[0]}/reunite", json={"evacuee_id": evacuee}).status_code == 200
    assert staff.post(f"/api/v1/inquiries/{made[2]}/close", json={}).status_code == 200
    after = counts(staff, eps_id)
    assert {k: after[k] for k in ("present", "registered", "left")} == {
        k: before[k] for k in ("present", "registered", "left")
    }
    assert after["open_inquiries"] == 2


def test_reunification_is_confirmed_by_a_person_and_only_once(api_for, centre):
    _, eps_id = centre
    staff = api_for("eps_staff")
    evacuee = register(staff, eps_id, PEOPLE[0])
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json={**inquiry_for("aase marie odegaard")}).json
    assert inquiry["candidates"][0]["evacuee_id"] == evacuee
    # Nothing happens by itself: the inquiry stays open with a suggestion until someone confirms.
    assert staff.get(f"/api/v1/inquiries/{inquiry['id']}").json["status"] == "open"
    assert staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={}).status_code == 422
    assert staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={"evacuee_id": 999999}).status_code == 422
    done = staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={"evacuee_id": evacuee})
    assert done.status_code == 200 and done.json == {"id": inquiry["id"], "status": "reunited", "evacuee_id": evacuee}
    assert staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={"evacuee_id": evacuee}).status_code == 409
    history = staff.get(f"/api/v1/evacuees/{evacuee}").json["history"]
    assert history[-1]["action"] == "reunited" and history[-1]["inquiry_id"] == inquiry["id"]


def test_open_inquiries_are_rematched_when_people_register(api_for, centre, app):
    incident_id, eps_id = centre
    staff = api_for("eps_staff")
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Nils Nilsen")).json
    assert inquiry["candidates"] == []
    since = staff.get(f"/api/v1/channels/incident:{incident_id}/events").json["last_seq"]
    register(staff, eps_id, {"full_name": "Kari Nordmann"})
    nils = register(staff, eps_id, {"full_name": "Nils Nillsen", "birth_date": "1970-01-01"})
    detail = staff.get(f"/api/v1/inquiries/{inquiry['id']}").json
    assert detail["status"] == "open"
    assert [c["evacuee_id"] for c in detail["candidates"]] == [nils]
    assert detail["candidates"][0]["full_name"] == "Nils Nillsen"
    events = staff.get(f"/api/v1/channels/incident:{incident_id}/events?since={since}").json["events"]
    changed = [e for e in events if e["type"] == "inquiry.matches_changed"]
    assert len(changed) == 1
    assert changed[0]["data"] == {
        "eps_id": eps_id,
        "changed": 1,
        "inquiries": [{"id": inquiry["id"], "candidate_count": 1}],
    }


def test_matching_spans_the_centres_of_one_incident_only(api_for, centre):
    incident_id, eps_id = centre
    police = api_for("police")
    second = police.post(f"/api/v1/incidents/{incident_id}/eps", json={"name": "Idda-hallen", "capacity": 40}).json
    other_incident = police.post("/api/v1/incidents", json={"title": "Annen hendelse"}).json
    third = police.post(
        f"/api/v1/incidents/{other_incident['id']}/eps", json={"name": "Sørlandshallen", "capacity": 40}
    ).json
    staff = api_for("eps_staff")
    here = register(staff, second["id"], {"full_name": "Per Hansen"})
    register(staff, third["id"], {"full_name": "Per Hansen"})
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Per Hansen")).json
    assert [c["evacuee_id"] for c in inquiry["candidates"]] == [here]


def test_departments_with_leaders_staffing_and_action_cards(api_for, centre, app):
    _, eps_id = centre
    coordinator = api_for("coordinator")
    departments = coordinator.get(f"/api/v1/eps/{eps_id}/departments").json["departments"]
    assert [d["title"] for d in departments] == [
        "Mottak og registrering",
        "Senter for evakuerte",
        "Senter for pårørende",
        "Samtalerom",
        "Informasjon",
        "Vakthold og adgangskontroll",
        "Forpleining",
        "Innkvartering",
    ]
    assert all(d["actions"] for d in departments)
    mottak = departments[0]
    updated = coordinator.patch(
        f"/api/v1/eps/departments/{mottak['id']}",
        json={
            "leader_name": "Leder Mottak",
            "deputy_name": "Nestleder Mottak",
            "staff_needed": 3,
            "version": mottak["version"],
        },
    )
    assert updated.status_code == 200
    stale = coordinator.patch(
        f"/api/v1/eps/departments/{mottak['id']}", json={"staff_needed": 5, "version": mottak["version"]}
    )
    assert stale.status_code == 409
    assert (
        coordinator.post(
            f"/api/v1/eps/departments/{mottak['id']}/staff", json={"name": "Frivillig En", "role": "registrering"}
        ).status_code
        == 201
    )
    tick = coordinator.post(
        f"/api/v1/eps/departments/{mottak['id']}/actions/0", json={"done": True, "version": updated.json["version"]}
    )
    assert tick.status_code == 200 and tick.json["actions"][0]["done"] is True
    seen = coordinator.get(f"/api/v1/eps/{eps_id}/departments").json["departments"][0]
    assert seen["leader_name"] == "Leder Mottak" and seen["staff_count"] == 1 and seen["staff_needed"] == 3
    assert seen["actions_done"] == 1
    # Staff names are the crisis organisation's contacts: a viewer sees that a leader is set, not who.
    viewer = api_for("viewer").get(f"/api/v1/eps/{eps_id}/departments").json["departments"][0]
    assert viewer["leader_name"] is None and viewer["leader_set"] is True
    assert viewer["staff"][0]["name"] is None and viewer["staff_count"] == 1
    assert api_for("viewer").patch(f"/api/v1/eps/departments/{mottak['id']}", json={}).status_code == 403


def test_venue_from_the_resource_register(api_for, app):
    from beredskap.maps.models import Resource

    with app.app_context():
        hall = Resource(name="Gimlehallen", kind="idrettshall", capacity=300, eps_suitable=True, lon=8.0, lat=58.16)
        db.session.add(hall)
        db.session.commit()
        resource_id = hall.id
    police = api_for("police")
    incident = police.post("/api/v1/incidents", json={"title": "Brann Lund"}).json
    response = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"resource_id": resource_id})
    assert response.status_code == 201
    assert response.json["capacity"] == 300 and response.json["resource_id"] == resource_id
    centre = police.get(f"/api/v1/eps/{response.json['id']}").json
    assert centre["name"] == "Gimlehallen" and centre["location"]["coordinates"] == [8.0, 58.16]
    venues = police.get("/api/v1/eps/venues").json["venues"]
    assert resource_id in [v["id"] for v in venues]
    unknown = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"resource_id": 999999, "capacity": 5})
    assert unknown.status_code == 422 and unknown.json["error"]["fields"] == {"resource_id": "ukjent"}


def test_closed_incident_locks_the_registry(api_for, centre):
    incident_id, eps_id = centre
    coordinator = api_for("coordinator")
    version = coordinator.get(f"/api/v1/incidents/{incident_id}").json["version"]
    assert (
        coordinator.patch(f"/api/v1/incidents/{incident_id}", json={"status": "closed", "version": version}).status_code
        == 200
    )
    staff = api_for("eps_staff")
    assert staff.post(f"/api/v1/eps/{eps_id}/evacuees", json={"full_name": "Per Hansen"}).status_code == 409
    assert staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Per Hansen")).status_code == 409


def test_registry_works_the_same_on_sqlite_and_postgresql(any_app):
    tokens = {role: gen_user(any_app, role)[3] for role in ("police", "eps_staff")}
    client = any_app.test_client()
    police, staff = Api(client, tokens["police"]), Api(client, tokens["eps_staff"])
    incident = police.post("/api/v1/incidents", json={"title": "Flom", "kind": "exercise"}).json
    eps_id = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Hall", "capacity": 10}).json["id"]
    first = register(staff, eps_id, PEOPLE[0])
    household = staff.post(f"/api/v1/eps/{eps_id}/households", json={"members": [PEOPLE[1], PEOPLE[2]]})
    assert household.status_code == 201
    inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("aase marie odegaard")).json
    assert inquiry["candidates"][0]["evacuee_id"] == first
    assert staff.post(f"/api/v1/inquiries/{inquiry['id']}/reunite", json={"evacuee_id": first}).status_code == 200
    assert staff.post(f"/api/v1/evacuees/{first}/checkout", json={"destination": "Hjem"}).status_code == 200
    assert counts(staff, eps_id) == {"capacity": 10, "present": 2, "registered": 3, "left": 1, "open_inquiries": 0}
    with any_app.app_context():
        from beredskap.eps.models import Evacuee

        assert all(e.exercise for e in db.session.scalars(select(Evacuee)))
    # Retention purge and the hourly claim behave the same on both databases.
    tokens["coordinator"] = gen_user(any_app, "coordinator")[3]
    coordinator = Api(client, tokens["coordinator"])
    version = coordinator.get(f"/api/v1/incidents/{incident['id']}").json["version"]
    closed = coordinator.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "closed", "version": version})
    assert closed.status_code == 200
    with any_app.app_context():
        from beredskap.eps.services import run_scheduled_jobs

        later = utcnow() + timedelta(days=31)
        run_scheduled_jobs(later)
        assert [e.full_name for e in db.session.scalars(select(Evacuee))] == [None, None, None]
        db.session.remove()
    summary = counts(staff, eps_id)
    assert (summary["registered"], summary["present"]) == (3, 2)
    assert coordinator.delete(f"/api/v1/incidents/{incident['id']}/eps-data").json["deleted"]["evacuees"] == 3


def test_registration_without_open_inquiry_runs_no_inquiry_scan(api_for, centre, app):
    """B6: the usual registration (no next-of-kin inquiry open in the incident) does not lock or read inquiries."""
    from sqlalchemy import event

    incident_id, eps_id = centre
    staff = api_for("eps_staff")
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        register(staff, eps_id, {"full_name": "Kari Nordmann"})
        scans = [s for s in statements if "FROM eps_inquiries" in s and "EXISTS" not in s]
        assert scans == []
        # Once one is open, the next registration is ranked against it (and only the open one).
        inquiry = staff.post(f"/api/v1/eps/{eps_id}/inquiries", json=inquiry_for("Nils Nilsen")).json
        statements.clear()
        nils = register(staff, eps_id, {"full_name": "Nils Nillsen", "birth_date": "1970-01-01"})
        assert [s for s in statements if "FROM eps_inquiries" in s and "EXISTS" not in s]
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert [c["evacuee_id"] for c in staff.get(f"/api/v1/inquiries/{inquiry['id']}").json["candidates"]] == [nils]
