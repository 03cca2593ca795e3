"""Formannskap questions and themes (§3.2), the regional politiråd's own members (§3.1), the knowledge base (§3.3)
and the functions with deputies in the directory (§4) (issue 16)."""


def _units(api) -> dict:
    api("viewer").get("/api/v1/cooperation/agreement")  # registers the signed agreement and its parties
    return {u["name"]: u["id"] for u in api("viewer").get("/api/v1/cooperation/directory").json["units"]}


def _person(api, name: str, function: str, unit: int, **extra) -> dict:
    body = {"name": name, "function": function, "unit_id": unit, **extra}
    response = api("prevention_coordinator").post("/api/v1/cooperation/people", json=body)
    assert response.status_code == 201, response.json
    return response.json


def _cycle_meeting(api, year: int, key: str) -> dict:
    kfk = api("prevention_coordinator")
    fixed = kfk.post(f"/api/v1/cooperation/annual-cycle/{year}/dates", json={"dates": {key: f"{year}-03-09T12:00"}})
    assert fixed.status_code == 200, fixed.json
    meeting_id = next(i["meeting_id"] for i in fixed.json["items"] if i["key"] == key)
    return kfk.get(f"/api/v1/cooperation/meetings/{meeting_id}").json


def test_formannskap_questions_are_recorded_with_answers_and_the_spring_meeting_carries_the_oversiktsbilde(api):
    kfk = api("prevention_coordinator")
    _units(api)
    kfk.patch("/api/v1/cooperation/oversiktsbilde/2027", json={"title": "Oversiktsbilde 2027", "version": 0})
    spring = _cycle_meeting(api, 2027, "formannskap-var")
    assert spring["theme"]["topic"] == "Barne- og ungdomskriminalitet"
    assert spring["theme"]["oversiktsbilde"] == {"year": 2027, "title": "Oversiktsbilde 2027", "exists": True}
    autumn = _cycle_meeting(api, 2027, "formannskap-host")
    assert autumn["theme"] == {"season": "host", "topic": "Det generelle kriminalitetsbildet", "oversiktsbilde": None}

    url = f"/api/v1/cooperation/meetings/{spring['id']}/questions"
    asked = kfk.post(url, json={"asked_by": "Kari Formannskap (H)", "question": "Hvor mange unge er anmeldt for ran?"})
    assert asked.status_code == 201 and asked.json["answered"] is False
    assert kfk.post(url, json={"asked_by": "", "question": "Tomt?"}).status_code == 422
    assert kfk.post(url, json={"question": "Hvem spør?"}).status_code == 422
    assert api("viewer").post(url, json={"asked_by": "X", "question": "Y"}).status_code == 403
    answered = kfk.patch(
        f"/api/v1/cooperation/questions/{asked.json['id']}",
        json={"answer": "Tallet har gått ned siden 2025.", "answered_by": "Politistasjonssjef", "version": 1},
    )
    assert answered.status_code == 200 and answered.json["answered"] is True
    stale = kfk.patch(f"/api/v1/cooperation/questions/{asked.json['id']}", json={"answer": "Annet", "version": 1})
    assert stale.status_code == 409

    listed = api("viewer").get(url).json["questions"]
    assert [(q["asked_by"], q["question"], q["answer"], q["answered_by"]) for q in listed] == [
        (
            "Kari Formannskap (H)",
            "Hvor mange unge er anmeldt for ran?",
            "Tallet har gått ned siden 2025.",
            "Politistasjonssjef",
        )
    ]
    assert api("viewer").get(f"/api/v1/cooperation/meetings/{spring['id']}").json["questions"] == listed
    # A politiråd has no questions from the politicians.
    politirad = kfk.post("/api/v1/cooperation/meetings", json={"kind": "politirad", "year": 2027}).json
    refused = kfk.post(
        f"/api/v1/cooperation/meetings/{politirad['id']}/questions", json={"asked_by": "A", "question": "B"}
    )
    assert refused.status_code == 422 and refused.json["error"]["code"] == "not_formannskap"
    assert kfk.delete(f"/api/v1/cooperation/questions/{asked.json['id']}").status_code == 200
    assert api("viewer").get(url).json["questions"] == []


def test_regional_politirad_has_its_own_member_list(api):
    kfk = api("prevention_coordinator")
    units = _units(api)
    _person(api, "Ordfører Lokal", "ordforer", units["Kristiansand kommune"], email="ordforer@example.no")
    url = "/api/v1/cooperation/regional-politirad/members"
    assert api("viewer").get(url).json == {"members": [], "version": 0}
    members = [
        {"name": "Politimester Agder", "organisation": "Agder politidistrikt", "email": "pm@example.no"},
        {"name": "Ordfører Vennesla", "organisation": "Vennesla kommune", "function": "Ordfører"},
        {"name": "Kommunedirektør Lillesand", "organisation": "Lillesand kommune", "function": "Kommunedirektør"},
    ]
    assert kfk.patch(url, json={"members": members, "version": 0}).status_code == 200
    assert kfk.patch(url, json={"members": members, "version": 0}).status_code == 409
    assert kfk.patch(url, json={"members": [{"name": "X", "email": "ikke-epost"}], "version": 1}).status_code == 422
    assert kfk.patch(url, json={"members": [{"organisation": "Uten navn"}], "version": 1}).status_code == 422
    assert api("viewer").patch(url, json={"members": [], "version": 1}).status_code == 403
    assert "email" not in api("viewer").get(url).json["members"][0]
    assert kfk.get(url).json["members"][0]["email"] == "pm@example.no"

    regional = kfk.post("/api/v1/cooperation/meetings", json={"kind": "regionalt_politirad", "year": 2027}).json
    assert [m["name"] for m in regional["members"]] == [m["name"] for m in members]
    politirad = kfk.post("/api/v1/cooperation/meetings", json={"kind": "politirad", "year": 2027}).json
    assert [m["name"] for m in politirad["members"]] == ["Ordfører Lokal"]
    assert "email" not in regional["members"][0]
    # The regional list's addresses are used when the saksliste is sent.
    url = f"/api/v1/cooperation/meetings/{regional['id']}"
    assert kfk.post(f"{url}/items", json={"title": "Kriminalitetsbildet i regionen"}).status_code == 201
    assert kfk.post(f"{url}/approve", json={"by": "kommune"}).status_code == 200
    assert api("police").post(f"{url}/approve", json={"by": "politi"}).status_code == 200
    assert kfk.post(f"{url}/send").status_code == 200
    addresses = {d["recipient"]: d["address"] for d in kfk.get(f"{url}/dispatches").json["dispatches"]}
    assert addresses["Politimester Agder"] == "pm@example.no" and addresses["Ordfører Vennesla"] == ""


def test_oversiktsbilde_records_its_writing_team_and_three_sources_with_year(api):
    kfk = api("prevention_coordinator")
    units = _units(api)
    health = _person(api, "Nina Folkehelse", "folkehelsekoordinator", units["Kristiansand kommune"])
    contact = _person(api, "Per Politikontakt", "politikontakt", units["Kristiansand politistasjon"])
    team = [
        {"role": "folkehelsekoordinator", "person_id": health["id"]},
        {"role": "politikontakt", "person_id": contact["id"]},
        {"role": "analytiker_kommune", "name": "Analytiker Kommune", "organisation": "Kristiansand kommune"},
        {"role": "analytiker_politi", "name": "Analytiker Politi", "organisation": "Agder politidistrikt"},
    ]
    sources = {"kriminalstatistikk": {"year": 2026}, "ungdata": {"year": 2025, "note": "Ungdata 2025"}}
    saved = kfk.patch("/api/v1/cooperation/oversiktsbilde/2027", json={"team": team, "sources": sources, "version": 0})
    assert saved.status_code == 200, saved.json
    assert [(m["role_title"], m["name"]) for m in saved.json["team"]] == [
        ("Folkehelsekoordinator", "Nina Folkehelse"),
        ("Politikontakt", "Per Politikontakt"),
        ("Analytiker i kommunen", "Analytiker Kommune"),
        ("Analytiker i politiet", "Analytiker Politi"),
    ]
    assert [(s["title"], s["year"]) for s in saved.json["sources"]] == [
        ("Kriminalitetsstatistikken", 2026),
        ("Ungdomsundersøkelsen", 2025),
        (
            "Kvalitativ informasjon fra ansatte som til daglig arbeider med ungdom (nettverk for risikoutsatt ungdom)",
            None,
        ),
    ]
    version = saved.json["version"]
    more = kfk.patch(
        "/api/v1/cooperation/oversiktsbilde/2027", json={"sources": {"kvalitativ": {"year": 2027}}, "version": version}
    )
    assert [s["year"] for s in more.json["sources"]] == [2026, 2025, 2027]
    version = more.json["version"]
    for bad in (
        {"team": [{"role": "ordforer", "name": "Feil rolle"}]},
        {"team": [{"role": "politikontakt"}]},
        {"team": [{"role": "politikontakt", "person_id": 999999}]},
        {"sources": {"meningsmaling": {"year": 2026}}},
        {"sources": {"ungdata": {"year": 1066}}},
    ):
        response = kfk.patch("/api/v1/cooperation/oversiktsbilde/2027", json={**bad, "version": version})
        assert response.status_code == 422, bad
    # Renaming the person in the directory shows in the team; nothing else changed by the refused requests.
    kfk.patch(f"/api/v1/cooperation/people/{health['id']}", json={"name": "Nina Nytt-Navn", "version": 1})
    team_now = api("viewer").get("/api/v1/cooperation/oversiktsbilde/2027").json["team"]
    assert team_now[0]["name"] == "Nina Nytt-Navn" and len(team_now) == 4


def test_trusselvurdering_is_a_document_record_with_summary_date_and_link(api):
    kfk = api("prevention_coordinator")
    _units(api)
    url = "/api/v1/cooperation/trusselvurdering/2027"
    empty = api("viewer").get(url).json
    assert empty["version"] == 0 and empty["title"] == "Trusselvurdering for Agder 2027"
    body = {
        "summary": "De mest alvorlige kriminalitetstruslene i Agder: narkotika, vold og digital utnyttelse.",
        "published_on": "2027-02-11",
        "url": "https://www.politiet.no/agder/trusselvurdering-2027.pdf",
        "version": 0,
    }
    saved = kfk.patch(url, json=body)
    assert saved.status_code == 200, saved.json
    assert {k: saved.json[k] for k in ("summary", "published_on", "url")} == {
        k: body[k] for k in ("summary", "published_on", "url")
    }
    assert kfk.patch(url, json={**body, "version": 0}).status_code == 409
    for bad in ({"url": "javascript:alert(1)"}, {"published_on": "11.02.2027"}, {"published_on": "2020-01-01"}):
        assert kfk.patch(url, json={**body, **bad, "version": saved.json["version"]}).status_code == 422, bad
    assert api("viewer").patch(url, json={**body, "version": saved.json["version"]}).status_code == 403
    cycle = api("viewer").get("/api/v1/cooperation/annual-cycle/2027").json["items"]
    item = next(i for i in cycle if i["key"] == "trusselvurdering")
    assert item["status"] == "ferdig" and item["date"].startswith("2027-02-11")
    assert api("viewer").get("/api/v1/cooperation/trusselvurdering/2040").status_code == 422


def test_directory_has_the_section_4_functions_with_deputies_and_people_can_be_deactivated(api):
    kfk = api("prevention_coordinator")
    units = _units(api)
    titles = {f["key"]: f["title"] for f in api("viewer").get("/api/v1/cooperation/directory").json["functions"]}
    assert titles["beredskapsleder"] == "Beredskapsleder"
    assert titles["sikkerhet_beredskapskoordinator"] == "Sikkerhet- og beredskapskoordinator"
    kommune = units["Kristiansand kommune"]
    leader = _person(api, "Berit Beredskap", "beredskapsleder", kommune)
    deputy = _person(api, "Dag Stedfortreder", "beredskapssjef", kommune, deputy_of_id=leader["id"])
    assert deputy["deputy_of_id"] == leader["id"]
    coordinator = _person(api, "Sigrid Koordinator", "sikkerhet_beredskapskoordinator", kommune)
    second = _person(api, "Stian Nestleder", "sikkerhet_beredskapskoordinator", kommune, deputy_of_id=coordinator["id"])
    # A deputy stands in for the holder, not for another deputy, and never for themself.
    chained = kfk.post(
        "/api/v1/cooperation/people",
        json={"name": "Kjede", "function": "beredskapssjef", "unit_id": kommune, "deputy_of_id": second["id"]},
    )
    assert chained.status_code == 422
    itself = kfk.patch(f"/api/v1/cooperation/people/{leader['id']}", json={"deputy_of_id": leader["id"], "version": 1})
    assert itself.status_code == 422
    people = {p["name"]: p for p in api("viewer").get("/api/v1/cooperation/directory").json["people"]}
    assert people["Berit Beredskap"]["deputies"] == ["Dag Stedfortreder"]
    assert people["Stian Nestleder"]["deputy_of"] == "Sigrid Koordinator"

    edited = kfk.patch(f"/api/v1/cooperation/people/{leader['id']}", json={"title": "Beredskapsleder", "version": 1})
    assert edited.status_code == 200
    gone = kfk.patch(f"/api/v1/cooperation/people/{leader['id']}", json={"active": False, "version": 2})
    assert gone.status_code == 200 and gone.json["active"] is False
    directory = kfk.get("/api/v1/cooperation/directory").json
    assert "Berit Beredskap" not in [p["name"] for p in directory["people"]]
    assert [p["name"] for p in directory["inactive_people"]] == ["Berit Beredskap"]
    assert next(p for p in directory["people"] if p["name"] == "Dag Stedfortreder")["deputy_of_id"] is None
    assert api("viewer").get("/api/v1/cooperation/directory").json["inactive_people"] == []
    records = api("admin").get(f"/api/v1/audit?subject=coop_person:{leader['id']}").json["records"]
    assert {r["action"] for r in records} == {"coop.person_created", "coop.person_updated", "coop.person_deactivated"}
    assert all("Berit" not in str(r["meta"]) for r in records)
