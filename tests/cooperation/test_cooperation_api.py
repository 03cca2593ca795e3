"""The cooperation API (CONTRACT §8): årshjul, meetings with two-party approval, decisions and their follow-up."""

import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from tests.cooperation.conftest import CYCLE_KINDS

OSLO = ZoneInfo("Europe/Oslo")


def create_meeting(api, **body):
    response = api("prevention_coordinator").post("/api/v1/cooperation/meetings", json={"kind": "politirad", **body})
    assert response.status_code == 201, response.json
    return response.json


def add_item(api, meeting_id, title="Status for samarbeidsrutinene", role="prevention_coordinator"):
    response = api(role).post(
        f"/api/v1/cooperation/meetings/{meeting_id}/items",
        json={"title": title, "kind": "orientering", "note": "Saksnotat."},
    )
    assert response.status_code == 201, response.json
    return response.json


# --- årshjul ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_cycle_of_each_agreement_year_has_the_agreed_items(api, year):
    response = api("viewer").get(f"/api/v1/cooperation/annual-cycle/{year}")

    assert response.status_code == 200
    body = response.json
    assert body["year"] == year
    items = body["items"]
    assert Counter(item["kind"] for item in items) == CYCLE_KINDS
    councils = [item for item in items if item["kind"] == "politirad"]
    assert {item["host"] for item in councils} == {"kommune" if year % 2 == 1 else "politi"}
    committees = sorted((item for item in items if item["kind"] == "formannskap"), key=lambda i: i["month"])
    assert committees[0]["month"] <= 6 < committees[1]["month"]
    assert "ungdomskriminalitet" in committees[0]["topic"] and "Oversiktsbilde" in committees[0]["topic"]
    assert "ungdomskriminalitet" not in committees[1]["topic"]
    overview = next(item for item in items if item["kind"] == "oversiktsbilde")
    assert overview["related"] == "formannskap-var"
    assert all(item["title"] for item in items)


def test_politirad_host_alternates_year_by_year(api):
    hosts = []
    for year in (2025, 2026, 2027, 2028):
        items = api("viewer").get(f"/api/v1/cooperation/annual-cycle/{year}").json["items"]
        hosts.append(next(item["host"] for item in items if item["kind"] == "politirad"))
    assert hosts == ["kommune", "politi", "kommune", "politi"]


@pytest.mark.parametrize("year", [2024, 2029, 1999])
def test_a_year_no_agreement_covers_gets_a_clear_message_not_404(api, year):
    response = api("viewer").get(f"/api/v1/cooperation/annual-cycle/{year}")

    assert response.status_code == 200
    assert response.json["covered"] is False and response.json["items"] == []
    assert f"Ingen registrert samarbeidsavtale gjelder for {year}" in response.json["message"]
    assert "2025–2028" in response.json["message"]
    # Planning in such a year is refused with the same message.
    refused = api("prevention_coordinator").post(
        f"/api/v1/cooperation/annual-cycle/{year}/dates", json={"dates": {"trusselvurdering": f"{year}-02-11"}}
    )
    assert refused.status_code == 422 and refused.json["error"]["code"] == "outside_agreement"


def test_fixed_dates_appear_in_the_cycle_and_create_the_meetings(api):
    body = {
        "dates": {
            "politirad-var": "2027-04-20T12:00:00+02:00",
            "politirad-host": "2027-10-19T12:00",
            "trusselvurdering": "2027-02-11",
        }
    }
    response = api("prevention_coordinator").post("/api/v1/cooperation/annual-cycle/2027/dates", json=body)
    assert response.status_code == 200, response.json

    items = {item["key"]: item for item in api("viewer").get("/api/v1/cooperation/annual-cycle/2027").json["items"]}
    assert datetime.fromisoformat(items["politirad-var"]["date"]) == datetime(2027, 4, 20, 12, tzinfo=OSLO)
    # A time without offset is local time in Oslo (as a form sends it).
    assert datetime.fromisoformat(items["politirad-host"]["date"]) == datetime(2027, 10, 19, 12, tzinfo=OSLO)
    assert items["trusselvurdering"]["date"] == "2027-02-11"
    assert "date" not in items["formannskap-var"]
    meeting = api("viewer").get(f"/api/v1/cooperation/meetings/{items['politirad-var']['meeting_id']}").json
    assert meeting["cycle_key"] == "politirad-var" and meeting["host"] == "kommune"

    wrong_year = {"dates": {"politirad-var": "2028-04-20T12:00+02:00"}}
    response = api("prevention_coordinator").post("/api/v1/cooperation/annual-cycle/2027/dates", json=wrong_year)
    assert response.status_code == 422


def test_trusselvurdering_is_tracked_as_a_cycle_item(api):
    url = "/api/v1/cooperation/annual-cycle/2026/items/trusselvurdering"
    response = api("police").patch(url, json={"status": "under_arbeid", "version": 0})
    assert response.status_code == 200, response.json
    assert api("police").patch(url, json={"status": "ferdig", "version": 0}).status_code == 409

    response = api("police").patch(
        url,
        json={"status": "ferdig", "version": response.json["version"], "document_url": "https://example.org/tv.pdf"},
    )
    assert response.status_code == 200
    items = api("viewer").get("/api/v1/cooperation/annual-cycle/2026").json["items"]
    threat = next(item for item in items if item["kind"] == "trusselvurdering")
    assert threat["status"] == "ferdig" and threat["document_url"] == "https://example.org/tv.pdf"


def test_ics_parses_as_rfc5545_and_holds_the_meetings_with_their_dates(api):
    api("prevention_coordinator").post(
        "/api/v1/cooperation/annual-cycle/2026/dates",
        json={"dates": {"politirad-var": "2026-04-21T12:00+02:00", "formannskap-var": "2026-03-10T09:30+01:00"}},
    )

    response = api("viewer").get("/cooperation/annual-cycle/2026.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    spring = events["politirad-var-2026@beredskap"]
    assert spring.decoded("DTSTART") == datetime(2026, 4, 21, 12, tzinfo=OSLO)
    assert "Politiråd" in str(spring["SUMMARY"])
    assert events["formannskap-var-2026@beredskap"].decoded("DTSTART") == datetime(2026, 3, 10, 9, 30, tzinfo=OSLO)
    assert str(events["politirad-host-2026@beredskap"]["STATUS"]) == "TENTATIVE"
    assert len(events) == 8


def test_ics_needs_login(any_app):
    response = any_app.test_client().get("/cooperation/annual-cycle/2026.ics")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_subscribable_feed_with_a_per_user_secret(api, any_app):
    first = api("viewer").post("/api/v1/cooperation/calendar-token")
    assert first.status_code == 201
    path = first.json["url"].split("localhost", 1)[1]
    anonymous = any_app.test_client()

    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    years = {str(event["UID"]).rsplit("-", 1)[1] for event in Calendar.from_ical(response.data).walk("VEVENT")}
    assert years == {"2025@beredskap", "2026@beredskap", "2027@beredskap", "2028@beredskap"}

    second = api("viewer").post("/api/v1/cooperation/calendar-token").json["url"].split("localhost", 1)[1]
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert anonymous.get("/cooperation/calendar/not-a-token.ics").status_code == 404


# --- approval and sending ---------------------------------------------------------------------------------


def test_sending_needs_both_approvals_and_they_are_audited(api):
    meeting = create_meeting(api, date="2026-04-21T12:00+02:00", cycle_key="politirad-var")
    add_item(api, meeting["id"])
    send = f"/api/v1/cooperation/meetings/{meeting['id']}/send"
    approve = f"/api/v1/cooperation/meetings/{meeting['id']}/approve"

    refused = api("prevention_coordinator").post(send)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "not_approved"
    assert "politistasjonens ledergruppe" in refused.json["error"]["message"]

    assert api("prevention_coordinator").post(approve, json={"by": "kommune"}).status_code == 200
    refused = api("prevention_coordinator").post(send)
    assert refused.status_code == 409
    assert "kommunedirektørens" not in refused.json["error"]["message"].split("Mangler")[1]

    approved = api("police").post(approve, json={"by": "politi"})
    assert approved.status_code == 200
    assert approved.json["approvals"]["politi"]["body"] == "Politistasjonens ledergruppe"
    assert approved.json["approved_by_both"] is True

    sent = api("prevention_coordinator").post(send)
    assert sent.status_code == 200
    assert sent.json["status"] == "sent" and sent.json["sent_at"]
    assert api("prevention_coordinator").post(send).status_code == 409

    records = api("admin").get(f"/api/v1/audit?subject=meeting:{meeting['id']}").json["records"]
    approvals = [r for r in records if r["action"] == "meeting.approved"]
    assert sorted(r["meta"]["by"] for r in approvals) == ["kommune", "politi"]
    assert any(r["action"] == "meeting.sent" for r in records)


def test_a_role_records_only_its_own_partys_approval(api):
    meeting = create_meeting(api, year=2026)
    add_item(api, meeting["id"])
    approve = f"/api/v1/cooperation/meetings/{meeting['id']}/approve"

    assert api("police").post(approve, json={"by": "kommune"}).status_code == 403
    assert api("prevention_coordinator").post(approve, json={"by": "politi"}).status_code == 403
    assert api("police").post(approve, json={"by": "nabokommunen"}).status_code == 422
    assert api("police").post(approve, json={"by": "politi"}).status_code == 200
    assert api("police").post(approve, json={"by": "politi"}).status_code == 409


def test_an_empty_agenda_cannot_be_approved(api):
    # A politiråd always has its standing item; a formannskap meeting starts empty.
    meeting = create_meeting(api, kind="formannskap", year=2026)
    response = api("police").post(f"/api/v1/cooperation/meetings/{meeting['id']}/approve", json={"by": "politi"})
    assert response.status_code == 409 and response.json["error"]["code"] == "empty_agenda"


def test_changing_the_agenda_after_an_approval_withdraws_it_but_minutes_do_not(api):
    meeting = create_meeting(api, year=2026)
    item = add_item(api, meeting["id"])
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    api("prevention_coordinator").post(url + "/approve", json={"by": "kommune"})
    api("police").post(url + "/approve", json={"by": "politi"})

    minutes = api("prevention_coordinator").patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}", json={"minutes": "Tatt til orientering.", "version": 1}
    )
    assert minutes.status_code == 200
    assert api("viewer").get(url).json["approved_by_both"] is True

    changed = api("prevention_coordinator").patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}",
        json={"title": "Ny tittel", "version": minutes.json["version"]},
    )
    assert changed.status_code == 200
    detail = api("viewer").get(url).json
    assert detail["approvals"] == {"kommune": None, "politi": None}
    assert api("prevention_coordinator").post(url + "/send").status_code == 409

    api("prevention_coordinator").post(url + "/approve", json={"by": "kommune"})
    api("police").post(url + "/approve", json={"by": "politi"})
    assert api("prevention_coordinator").post(url + "/send").status_code == 200
    add_item(api, meeting["id"], "Sen sak")
    detail = api("viewer").get(url).json
    assert detail["status"] == "draft" and detail["approvals"]["kommune"] is None

    actions = [r["action"] for r in api("admin").get(f"/api/v1/audit?subject=meeting:{meeting['id']}").json["records"]]
    assert actions.count("meeting.approvals_reset") == 2


def test_agenda_items_get_case_numbers_per_kind_and_year(api):
    first = create_meeting(api, date="2026-04-21T12:00+02:00")
    second = create_meeting(api, date="2026-10-20T12:00+02:00")
    numbers = [
        add_item(api, first["id"])["number"],
        add_item(api, first["id"])["number"],
        add_item(api, second["id"])["number"],
    ]
    # 1/26 and 2/26 are the politiråd's standing item «Felles fokusområder og tiltak» of each meeting.
    assert numbers == ["3/26", "4/26", "5/26"]


# --- access -----------------------------------------------------------------------------------------------


def test_viewer_cannot_approve_or_edit(api):
    meeting = create_meeting(api, year=2026)
    item = add_item(api, meeting["id"])
    decision = (
        api("prevention_coordinator")
        .post(
            f"/api/v1/cooperation/meetings/{meeting['id']}/decisions", json={"text": "Vedtak", "owner": "Sekretariatet"}
        )
        .json
    )
    viewer = api("viewer")
    base = "/api/v1/cooperation"
    attempts = [
        viewer.post(f"{base}/meetings/{meeting['id']}/approve", json={"by": "kommune"}),
        viewer.post(f"{base}/meetings/{meeting['id']}/approve", json={"by": "politi"}),
        viewer.post(f"{base}/meetings/{meeting['id']}/send"),
        viewer.post(f"{base}/meetings", json={"kind": "politirad", "year": 2026}),
        viewer.patch(f"{base}/meetings/{meeting['id']}", json={"title": "X", "version": meeting["version"]}),
        viewer.post(f"{base}/meetings/{meeting['id']}/items", json={"title": "X"}),
        viewer.patch(f"{base}/agenda-items/{item['id']}", json={"title": "X", "version": item["version"]}),
        viewer.delete(f"{base}/agenda-items/{item['id']}?version={item['version']}"),
        viewer.post(f"{base}/meetings/{meeting['id']}/decisions", json={"text": "X", "owner": "Y"}),
        viewer.patch(f"{base}/decisions/{decision['id']}", json={"status": "done", "version": decision["version"]}),
        viewer.post(f"{base}/annual-cycle/2026/dates", json={"dates": {"politirad-var": "2026-04-21T12:00"}}),
        viewer.patch(f"{base}/annual-cycle/2026/items/trusselvurdering", json={"status": "ferdig", "version": 0}),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    for response in attempts:
        assert response.json["error"]["code"] == "forbidden"
    assert viewer.get(f"{base}/meetings/{meeting['id']}").json["approvals"] == {"kommune": None, "politi": None}
    items = viewer.get(f"{base}/meetings/{meeting['id']}").json["items"]
    assert [i["title"] for i in items if not i["standing"]] == [item["title"]]


# --- decisions and follow-up ------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_decisions_not_done_by_their_due_date_show_as_overdue_in_the_next_agenda(api):
    spring = create_meeting(api, date="2026-04-21T12:00+02:00", cycle_key="politirad-var")
    autumn = create_meeting(api, date="2026-10-20T12:00+02:00", cycle_key="politirad-host")
    writer = api("prevention_coordinator")
    decisions_url = f"/api/v1/cooperation/meetings/{spring['id']}/decisions"
    late = writer.post(
        decisions_url,
        json={"text": "Revidere rutinen for bekymringssamtaler", "owner": "Koordinatoren", "due": "2026-09-01"},
    ).json
    done = writer.post(
        decisions_url, json={"text": "Etablere utelivsgruppen", "owner": "Politiet", "due": "2026-06-01"}
    ).json
    later = writer.post(
        decisions_url, json={"text": "Handlingsplan for 2027", "owner": "Beredskapssjefen", "due": "2026-12-31"}
    ).json
    assert late["status"] == "open"
    started = writer.patch(
        f"/api/v1/cooperation/decisions/{late['id']}", json={"status": "in_progress", "version": late["version"]}
    )
    assert started.status_code == 200 and started.json["status"] == "in_progress"
    assert (
        writer.patch(
            f"/api/v1/cooperation/decisions/{done['id']}", json={"status": "done", "version": done["version"]}
        ).status_code
        == 200
    )
    stale = writer.patch(f"/api/v1/cooperation/decisions/{late['id']}", json={"status": "done", "version": 1})
    assert stale.status_code == 409

    agenda = api("viewer").get(f"/api/v1/cooperation/meetings/{autumn['id']}/agenda").json
    follow_up = agenda["follow_up"]
    assert follow_up["title"] == "Oppfølging av vedtak"
    assert [d["id"] for d in follow_up["overdue"]] == [late["id"]]
    assert follow_up["overdue"][0]["meeting"] == spring["title"]
    assert [d["id"] for d in follow_up["open"]] == [later["id"]]
    # The meeting that made the decisions does not follow them up itself.
    own = api("viewer").get(f"/api/v1/cooperation/meetings/{spring['id']}/agenda").json["follow_up"]
    assert own["overdue"] == [] and own["open"] == []

    text = _pdf_text(api("viewer").get(f"/cooperation/meetings/{autumn['id']}/agenda.pdf").data)
    assert "Oppfølging av vedtak" in text
    assert "FORFALT" in text and "bekymringssamtaler" in text
    assert "utelivsgruppen" not in text

    writer.patch(
        f"/api/v1/cooperation/decisions/{late['id']}", json={"status": "done", "version": started.json["version"]}
    )
    follow_up = api("viewer").get(f"/api/v1/cooperation/meetings/{autumn['id']}/agenda").json["follow_up"]
    assert follow_up["overdue"] == []
    assert "FORFALT" not in _pdf_text(api("viewer").get(f"/cooperation/meetings/{autumn['id']}/agenda.pdf").data)


def test_decision_input_is_validated(api):
    meeting = create_meeting(api, year=2026)
    url = f"/api/v1/cooperation/meetings/{meeting['id']}/decisions"
    writer = api("prevention_coordinator")
    assert writer.post(url, json={"text": "", "owner": "X"}).status_code == 422
    assert writer.post(url, json={"text": "X"}).status_code == 422
    assert writer.post(url, json={"text": "X", "owner": "Y", "due": "01.09.2026"}).status_code == 422
    assert writer.post(url, json={"text": "X", "owner": "Y", "due": 20260901}).status_code == 422
    assert writer.post(url, json={"text": "X", "owner": "Y", "agenda_item_id": 999999}).status_code == 422
    assert (
        writer.post("/api/v1/cooperation/meetings/999999/decisions", json={"text": "X", "owner": "Y"}).status_code
        == 404
    )


def test_minutes_pdf_holds_attendance_items_and_decisions(api):
    meeting = create_meeting(api, date="2026-04-21T12:00+02:00")
    item = add_item(api, meeting["id"], "Trygt uteliv")
    writer = api("prevention_coordinator")
    writer.post(
        f"/api/v1/cooperation/meetings/{meeting['id']}/decisions",
        json={
            "text": "Utelivsgruppen videreføres",
            "owner": "Politiet",
            "due": "2026-06-01",
            "agenda_item_id": item["id"],
        },
    )
    patched = writer.patch(
        f"/api/v1/cooperation/meetings/{meeting['id']}",
        json={
            "present": [{"name": "Tilstedeværende Testperson", "organisation": "Kristiansand kommune"}],
            "minutes_notes": "Møtet ble holdt som planlagt.",
            "version": meeting["version"],
        },
    )
    assert patched.status_code == 200, patched.json

    text = _pdf_text(api("viewer").get(f"/cooperation/meetings/{meeting['id']}/minutes.pdf").data)
    assert "Referat" in text and "Tilstedeværende Testperson" in text
    assert "Utelivsgruppen videreføres" in text and "Trygt uteliv" in text


def test_meeting_is_marked_held_only_after_it_was_sent(api):
    meeting = create_meeting(api, year=2026)
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    response = api("prevention_coordinator").patch(url, json={"status": "held", "version": meeting["version"]})
    assert response.status_code == 409
    assert (
        api("prevention_coordinator").patch(url, json={"status": "sent", "version": meeting["version"]}).status_code
        == 422
    )


# --- live events ------------------------------------------------------------------------------------------
