"""§4's faste treffpunkter (issue 16): contacts and treffpunkter per bydel follow the map's grouping, meetings
held are recorded, and a case with personal information needs a legal basis or consent (point 6)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from beredskap.consent.services import oslo_today
from beredskap.extensions import db
from tests.conftest import Api, gen_user

SHIPPED = ["Grim", "Kvadraturen", "Lund", "Oddernes", "Songdalen", "Søgne", "Vågsbygd"]
CONSENT_BY = "Foresatt Ragnhild Aasgaard-Tveit"


@pytest.fixture
def api(any_app):
    client = any_app.test_client()
    tokens = {role: gen_user(any_app, role)[3] for role in ("viewer", "prevention_coordinator", "admin")}
    return any_app, (lambda role: Api(client, tokens[role]))


def _events(app) -> str:
    from beredskap.realtime.models import Event

    with app.app_context():
        return json.dumps([e.data for e in db.session.scalars(select(Event))], ensure_ascii=False)


def test_bydeler_follow_the_map_grouping_and_meetings_need_a_basis_for_personal_cases(api):
    app, role = api
    kfk, admin = role("prevention_coordinator"), role("admin")
    assert [b["name"] for b in kfk.get("/api/v1/cooperation/bydeler").json["bydeler"]] == SHIPPED

    # The coordinator moves a delområde into a new bydel on the map: the treffpunkt page follows.
    districts = admin.get("/api/v1/maps/districts").json["delomrader"]
    moved = districts[0]
    change = [{"number": moved["number"], "bydel": "Ny bydel", "version": moved["version"]}]
    assert admin.patch("/api/v1/maps/districts", json={"delomrader": change}).status_code == 200
    bydeler = kfk.get("/api/v1/cooperation/bydeler").json["bydeler"]
    assert "Ny bydel" in [b["name"] for b in bydeler]
    assert next(b for b in bydeler if b["name"] == "Ny bydel")["delomrader"] == [moved["name"]]

    # Områdekontakter can be placed in the new bydel, and are listed under it.
    from beredskap.cooperation.services import ensure_parties

    with app.app_context():
        ensure_parties()
        db.session.commit()
    unit = next(u for u in kfk.get("/api/v1/cooperation/directory").json["units"] if u["key"] == "kommune")
    person = {"name": "Områdekontakt Nybydel", "function": "omradekontakt", "unit_id": unit["id"], "bydel": "Ny bydel"}
    assert kfk.post("/api/v1/cooperation/people", json=person).status_code == 201
    assert kfk.post("/api/v1/cooperation/people", json={**person, "bydel": "Atlantis"}).status_code == 422
    bydel = next(b for b in kfk.get("/api/v1/cooperation/bydeler").json["bydeler"] if b["name"] == "Ny bydel")
    assert [p["name"] for p in bydel["omradekontakter"]] == ["Områdekontakt Nybydel"]

    assert kfk.post("/api/v1/cooperation/treffpunkter", json={"bydel": "Atlantis", "title": "X"}).status_code == 422
    created = kfk.post(
        "/api/v1/cooperation/treffpunkter",
        json={"bydel": "Ny bydel", "title": "Områdeteam", "location": "Bydelshuset", "schedule": "Annen onsdag"},
    )
    assert created.status_code == 201, created.json
    tid = created.json["id"]
    meetings = f"/api/v1/cooperation/treffpunkter/{tid}/meetings"
    today = oslo_today().isoformat()
    plain = kfk.post(
        meetings, json={"held_on": today, "participants": ["Områdekontakt", "Politiet"], "summary": "Status i bydelen"}
    )
    assert plain.status_code == 201 and plain.json["basis"] is None

    personal = {
        "held_on": today,
        "participants": "Områdekontakt\nForebyggende politi",
        "summary": "Én sak drøftet",
        "personal_case": True,
    }
    refused = kfk.post(meetings, json=personal)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "legal_basis_required"
    future = {**personal, "held_on": (oslo_today() + timedelta(days=3)).isoformat(), "basis": {"kind": "hjemmel"}}
    assert kfk.post(meetings, json=future).status_code == 422
    consent = {
        "kind": "samtykke",
        "consent_by": CONSENT_BY,
        "purpose": "Drøfting av oppfølging av en ungdom",
        "valid_until": (oslo_today() + timedelta(days=90)).isoformat(),
    }
    recorded = kfk.post(meetings, json={**personal, "basis": consent})
    assert recorded.status_code == 201, recorded.json
    meeting = recorded.json
    assert meeting["participants"] == ["Områdekontakt", "Forebyggende politi"]
    assert meeting["basis"]["kind"] == "samtykke" and meeting["basis"]["valid"] and "consent_by" not in meeting["basis"]

    listed = role("viewer").get(f"/api/v1/cooperation/treffpunkter/{tid}").json
    assert [m["summary"] for m in listed["meetings"]] == ["Én sak drøftet", "Status i bydelen"]
    assert CONSENT_BY not in json.dumps(listed, ensure_ascii=False)
    assert role("viewer").get(f"/api/v1/cooperation/treffpunkt-meetings/{meeting['id']}/bases").status_code == 403
    bases = kfk.get(f"/api/v1/cooperation/treffpunkt-meetings/{meeting['id']}/bases").json["bases"]
    assert bases[0]["consent_by"] == CONSENT_BY
    basis_id = meeting["basis"]["id"]
    withdraw = kfk.post(f"/api/v1/cooperation/treffpunkt-meetings/{meeting['id']}/bases/{basis_id}/withdraw", json={})
    assert withdraw.status_code == 200 and withdraw.json["status"] == "trukket"
    again = role("viewer").get(f"/api/v1/cooperation/treffpunkter/{tid}").json["meetings"][0]["basis"]
    assert again["status"] == "trukket" and not again["valid"]
    trail = admin.get(f"/api/v1/audit?subject=share_basis:{basis_id}").json["records"]
    assert {"share_basis.record", "share_basis.withdraw", "read"} <= {r["action"] for r in trail}
    assert CONSENT_BY not in json.dumps(trail, ensure_ascii=False)
    assert CONSENT_BY not in _events(app)

    page = role("viewer").get("/cooperation/treffpunkter")
    assert page.status_code == 200 and "Ny bydel" in page.get_data(as_text=True)
