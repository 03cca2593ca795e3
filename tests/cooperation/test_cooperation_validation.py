"""Bad input to the cooperation and consent API is refused by the request models (docs/VALIDATION.md): 422 (400
for a query string) with `fields` naming the field, and nothing changed; the one datetime rule holds here too."""

from datetime import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def _refused(response, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == "invalid"
    assert field in response.json["error"]["fields"], response.json
    assert response.json["error"]["message"]


def test_meeting_bodies_and_queries_are_checked_by_their_models(api):
    kfk = api("prevention_coordinator")
    meetings = "/api/v1/cooperation/meetings"
    _refused(kfk.post(meetings, json={"kind": "bystyre"}), "kind")
    _refused(kfk.post(meetings, json={"kind": "politirad", "title": "   "}), "title")
    _refused(kfk.post(meetings, json={"kind": "politirad", "host": "fylket"}), "host")
    _refused(kfk.post(meetings, json={"kind": "politirad", "date": "2027-04-20"}), "date")
    _refused(
        kfk.post(meetings, json={"kind": "politirad", "present": [{"organisation": "Politiet"}]}), "present.0.name"
    )
    _refused(kfk.get(f"{meetings}?year=i år"), "year", status=400)
    assert kfk.get(meetings).json["meetings"] == []

    # Plain names and people as objects are both accepted; a time without offset is Oslo time.
    made = kfk.post(
        meetings,
        json={"kind": "politirad", "year": 2027, "date": "2027-04-20T12:00", "present": ["Kari", {"name": "Ola"}]},
    )
    assert made.status_code == 201, made.json
    meeting = made.json
    assert datetime.fromisoformat(meeting["date"]) == datetime(2027, 4, 20, 12, 0, tzinfo=OSLO)
    assert [p["name"] for p in meeting["present"]] == ["Kari", "Ola"]

    path = f"{meetings}/{meeting['id']}"
    items = len(kfk.get(path).json["items"])
    _refused(kfk.patch(path, json={"title": "Nytt navn"}), "version")
    _refused(kfk.patch(path, json={"version": "1", "title": "Nytt navn"}), "version")
    _refused(kfk.patch(path, json={"version": meeting["version"], "status": None}), "status")
    _refused(kfk.post(f"{path}/items", json={"kind": "orientering"}), "title")
    _refused(kfk.post(f"{path}/items", json={"title": "Sak", "position": 10001}), "position")
    _refused(kfk.post(f"{path}/items", json={"title": "Sak", "focus_area_ids": [0]}), "focus_area_ids.0")
    _refused(kfk.post(f"{path}/approve", json={"by": "fylket"}), "by")
    _refused(kfk.post(f"{path}/proposals", json={"title": "Innspill", "party": "kommune"}), "from")
    _refused(kfk.post(f"{path}/decisions", json={"text": "Vedtak", "owner": "Kari", "due": "snart"}), "due")
    item = kfk.post(f"{path}/items", json={"title": "Sak"}).json
    _refused(kfk.delete(f"/api/v1/cooperation/agenda-items/{item['id']}?version=en"), "version")
    _refused(kfk.delete(f"/api/v1/cooperation/agenda-items/{item['id']}"), "version")
    after = kfk.get(path).json  # the one item; nothing from the refusals
    assert (len(after["items"]), after["decisions"], after["title"]) == (items + 1, [], meeting["title"])

    _refused(kfk.get("/api/v1/cooperation/decisions?status=glemt"), "status", status=400)
    assert kfk.get("/api/v1/cooperation/decisions?status=not_done&overdue=1").status_code == 200


def test_cycle_dates_follow_the_one_datetime_rule(api):
    kfk = api("prevention_coordinator")
    path = "/api/v1/cooperation/annual-cycle/2027/dates"
    _refused(kfk.post(path, json={"dates": {"politirad-var": "2027-04-20"}}), "dates.politirad-var")
    _refused(kfk.post(path, json={"dates": {"trusselvurdering": "11.02.2027"}}), "dates.trusselvurdering")
    _refused(kfk.post(path, json={"dates": ["politirad-var"]}), "dates")
    _refused(kfk.post(path, json={"dates": {"sommerfest": "2027-06-20"}}), "sommerfest")
    fixed = kfk.post(path, json={"dates": {"politirad-var": "2027-04-20T12:00", "trusselvurdering": "2027-02-11"}})
    assert fixed.status_code == 200, fixed.json
    meeting = kfk.get("/api/v1/cooperation/meetings?year=2027").json["meetings"][0]
    assert datetime.fromisoformat(meeting["date"]) == datetime(2027, 4, 20, 12, 0, tzinfo=OSLO)


def test_knowledge_and_directory_bodies_are_checked(api):
    kfk = api("prevention_coordinator")
    _refused(kfk.post("/api/v1/cooperation/agreements", json={"valid_from": "2029-01-01"}), "valid_to")
    _refused(
        kfk.post(
            "/api/v1/cooperation/agreements",
            json={"valid_from": "2029-01-01", "valid_to": "2032-12-31", "signatories": [{"function": "Ordfører"}]},
        ),
        "signatories.0.name",
    )
    _refused(
        kfk.post("/api/v1/cooperation/people", json={"name": "Kari", "function": "sjef", "unit_id": 1}), "function"
    )
    _refused(kfk.post("/api/v1/cooperation/agreement/evaluations", json={"year": "2027", "summary": "x"}), "year")
    overview = "/api/v1/cooperation/oversiktsbilde/2027"
    _refused(
        kfk.patch(overview, json={"version": 0, "sources": {"politiets_tall": {"year": 2026}}}),
        "sources.politiets_tall",
    )
    _refused(kfk.patch(overview, json={"version": 0, "sources": {"ungdata": None}}), "sources.ungdata")
    _refused(kfk.patch(overview, json={"version": 0, "sources": {"ungdata": {"year": 1980}}}), "sources.ungdata.year")
    _refused(kfk.patch(overview, json={"version": 0, "team": [{"name": "Kari"}]}), "team.0.role")
    _refused(kfk.patch(overview, json={"version": 0, "conclusions": [1, 2]}), "conclusions")
    indicators = f"{overview}/indicators"
    _refused(kfk.post(indicators, json={"bydel": "Grim", "source": "ungdata", "value": True}), "value")
    _refused(kfk.post(indicators, json={"bydel": "Grim", "source": "ungdata", "value": 1e13}), "value")
    _refused(kfk.post(indicators, json={"bydel": "Atlantis", "source": "ungdata"}), "bydel")
    assert kfk.get(overview).json["version"] == 0  # nothing saved by the refusals

    saved = kfk.patch(overview, json={"version": 0, "conclusions": [" Første ", "Andre"]})
    assert saved.status_code == 200 and saved.json["conclusions"] in ("Første\nAndre", ["Første", "Andre"])
    made = kfk.post(
        indicators,
        json={"bydel": "Grim", "source": "ungdata", "name": "Trives på skolen", "value": "", "from": "Ungdata"},
    )
    assert made.status_code == 201 and made.json["value"] is None


def test_evaluation_treffpunkt_and_consent_bodies_are_checked(api):
    kfk = api("prevention_coordinator")
    notes = "/api/v1/cooperation/evaluation-notes"
    _refused(kfk.post(notes, json={"text": "Notat", "noted_on": "2027-13-01"}), "noted_on")
    _refused(kfk.post(notes, json={"text": "Notat", "target": "alt"}), "target")
    entry = "/api/v1/cooperation/evaluation/2027/innsatsomrade/1"
    _refused(kfk.client.put(entry, json={"status": "bra"}, headers=kfk._headers()), "status")

    _refused(kfk.post("/api/v1/cooperation/treffpunkter", json={"title": "Kafé"}), "bydel")
    made = kfk.post("/api/v1/cooperation/treffpunkter", json={"bydel": "Grim", "title": "Kafé"})
    assert made.status_code == 201, made.json
    path = f"/api/v1/cooperation/treffpunkter/{made.json['id']}"
    _refused(kfk.patch(path, json={"version": made.json["version"], "active": "nei"}), "active")
    held = {"held_on": "2026-01-05", "summary": "Samtale om skolevei."}
    _refused(kfk.post(f"{path}/meetings", json={**held, "participants": "  \n "}), "participants")
    _refused(kfk.post(f"{path}/meetings", json={**held, "participants": ["x" * 201]}), "participants")
    basis = {"kind": "muntlig", "purpose": "x"}
    _refused(
        kfk.post(f"{path}/meetings", json={**held, "participants": ["Kari"], "personal_case": True, "basis": basis}),
        "basis.kind",
    )
    assert kfk.get(path).json["meetings"] == []
    recorded = kfk.post(f"{path}/meetings", json={**held, "participants": "Kari  Nordmann\nOla"})
    assert recorded.status_code == 201 and recorded.json["participants"] == ["Kari Nordmann", "Ola"]


def test_share_basis_withdrawal_is_checked(api):
    police = api("police")
    incident = police.post("/api/v1/incidents", json={"title": "Brann", "kind": "incident"}).json
    eps = police.post(f"/api/v1/incidents/{incident['id']}/eps", json={"name": "Aquarama", "capacity": 10}).json
    bases = f"/api/v1/eps/{eps['id']}/share-bases"
    _refused(police.post(bases, json={"kind": "hjemmel", "purpose": "x", "recipient": "pressen"}), "recipient")
    basis = police.post(bases, json={"kind": "hjemmel", "purpose": "Navneliste", "legal_basis": "fvl. § 13 b"}).json
    _refused(police.post(f"{bases}/{basis['id']}/withdraw", json={"reason": "x" * 301}), "reason")
    _refused(police.post(f"{bases}/{basis['id']}/withdraw", json={"version": "1"}), "version")
    assert police.get(bases).json["valid"]
    export = police.get(f"/api/v1/eps/{eps['id']}/pfif.xml?basis=første")
    assert export.status_code == 400 and export.json["error"]["fields"] == {"basis": "feil type"}
    assert police.get(f"/api/v1/eps/{eps['id']}/pfif.xml?basis={basis['id']}").status_code == 200
