"""Politiråd as §3.1 of the agreement describes it: the standing item, innspill decided by the secretary, and
approval recorded as given by a named ledergruppe (issue 16)."""


def _politirad(api, date="2027-05-05T12:00+02:00"):
    response = api("prevention_coordinator").post(
        "/api/v1/cooperation/meetings", json={"kind": "politirad", "date": date, "title": "Politiråd mai 2027"}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_every_politirad_has_the_standing_item_and_it_cannot_be_removed(api):
    meeting = _politirad(api)
    standing = [item for item in meeting["items"] if item["standing"]]
    assert [item["title"] for item in standing] == ["Felles fokusområder og tiltak"]
    item = standing[0]

    removed = api("prevention_coordinator").delete(f"/api/v1/cooperation/agenda-items/{item['id']}?version=1")
    assert removed.status_code == 409 and removed.json["error"]["code"] == "standing"
    renamed = api("prevention_coordinator").patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}", json={"title": "Noe annet", "version": item["version"]}
    )
    assert renamed.status_code == 409

    focus = api("viewer").get("/api/v1/cooperation/agreement").json["focus_areas"]
    chosen = [focus[0]["id"], focus[7]["id"]]
    saved = api("prevention_coordinator").patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}", json={"focus_area_ids": chosen, "version": item["version"]}
    )
    assert saved.status_code == 200 and saved.json["focus_area_ids"] == chosen
    unknown = api("prevention_coordinator").patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}", json={"focus_area_ids": [999999], "version": 2}
    )
    assert unknown.status_code == 422
    # The årshjul's meetings get it too; formannskap meetings do not.
    api("prevention_coordinator").post(
        "/api/v1/cooperation/annual-cycle/2028/dates",
        json={"dates": {"politirad-var": "2028-04-18T12:00", "formannskap-var": "2028-03-07T12:00"}},
    )
    for key, expected in (("politirad-var", 1), ("formannskap-var", 0)):
        cycle = api("viewer").get("/api/v1/cooperation/annual-cycle/2028").json["items"]
        meeting_id = next(i["meeting_id"] for i in cycle if i["key"] == key)
        items = api("viewer").get(f"/api/v1/cooperation/meetings/{meeting_id}").json["items"]
        assert sum(1 for i in items if i["title"] == "Felles fokusområder og tiltak" and i["standing"]) == expected


def test_innspill_is_accepted_into_the_saksliste_or_declined_with_a_reason(api):
    meeting = _politirad(api)
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    proposed = api("police").post(
        f"{url}/proposals",
        json={"title": "Rus og vold i sentrum", "from": "Forebyggende avsnitt", "party": "politi", "description": "D"},
    )
    assert proposed.status_code == 201 and proposed.json["status"] == "pending"
    second = (
        api("coordinator")
        .post(f"{url}/proposals", json={"title": "Skolevegring", "from": "Oppvekst", "party": "kommune"})
        .json
    )
    assert api("police").post(f"{url}/proposals", json={"title": "X", "party": "politi"}).status_code == 422

    # The kommune approves first; accepting an innspill changes the saksliste and withdraws that approval.
    assert api("prevention_coordinator").post(f"{url}/approve", json={"by": "kommune"}).status_code == 200
    accept_url = f"/api/v1/cooperation/proposals/{proposed.json['id']}/accept"
    assert api("police").post(accept_url, json={"version": 1}).status_code == 403
    accepted = api("prevention_coordinator").post(accept_url, json={"version": 1, "kind": "drøfting"})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    detail = api("viewer").get(url).json
    item = next(i for i in detail["items"] if i["id"] == accepted.json["agenda_item_id"])
    assert item["title"] == "Rus og vold i sentrum" and item["presenter"] == "Forebyggende avsnitt"
    assert detail["approvals"]["kommune"] is None
    assert api("prevention_coordinator").post(accept_url, json={"version": 2}).status_code == 409

    decline_url = f"/api/v1/cooperation/proposals/{second['id']}/decline"
    assert api("prevention_coordinator").post(decline_url, json={"version": 1, "reason": " "}).status_code == 422
    declined = api("prevention_coordinator").post(
        decline_url, json={"version": 1, "reason": "Tas i nettverket for risikoutsatt ungdom."}
    )
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    proposals = api("viewer").get(f"{url}/proposals").json["proposals"]
    assert [(p["title"], p["status"]) for p in proposals] == [
        ("Rus og vold i sentrum", "accepted"),
        ("Skolevegring", "declined"),
    ]
    assert proposals[1]["decline_reason"] == "Tas i nettverket for risikoutsatt ungdom."
    assert "Skolevegring" not in [i["title"] for i in api("viewer").get(url).json["items"]]


def test_approval_is_recorded_as_given_by_a_named_ledergruppe(api):
    meeting = _politirad(api)
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    assert api("viewer").post(f"{url}/approve", json={"by": "kommune"}).status_code == 403
    assert api("prevention_coordinator").post(f"{url}/approve", json={"by": "politi"}).status_code == 403
    assert api("police").post(f"{url}/approve", json={"by": "kommune"}).status_code == 403
    for wrong in ({"by": "politi", "station": "politi-oslo"}, {"by": "kommune", "station": "politi-kristiansand"}):
        role = "police" if wrong["by"] == "politi" else "prevention_coordinator"
        assert api(role).post(f"{url}/approve", json=wrong).status_code == 422
    assert api("prevention_coordinator").post(f"{url}/send").status_code == 409

    api("prevention_coordinator").post(f"{url}/approve", json={"by": "kommune"})
    assert api("prevention_coordinator").post(f"{url}/send").status_code == 409
    approved = api("police").post(f"{url}/approve", json={"by": "politi", "station": "politi-sogne-songdalen"}).json
    assert approved["approvals"]["kommune"]["body"] == "Kommunedirektørens ledergruppe"
    police = approved["approvals"]["politi"]
    assert police["body"] == "Politistasjonens ledergruppe (Søgne og Songdalen)"
    assert police["station"] == "politi-sogne-songdalen" and police["recorded_by"] and police["at"]
    audit = api("admin").get(f"/api/v1/audit?subject=meeting:{meeting['id']}").json["records"]
    assert any(r["action"] == "meeting.approved" and r["meta"]["station"] == "politi-sogne-songdalen" for r in audit)
    assert api("prevention_coordinator").post(f"{url}/send").status_code == 200
