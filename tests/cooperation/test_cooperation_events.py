"""Cooperation events carry ids, statuses and titles only: never names, addresses or case notes."""

import json

from tests.cooperation.test_cooperation_api import create_meeting

PERSONAL = ("Kari Nordmann", "Ola Testesen", "912 34 567", "Saksnotat med detaljer", "hemmelig@example.no")
ALLOWED_KEYS = {
    "id",
    "kind",
    "title",
    "year",
    "date",
    "status",
    "approvals",
    "minutes_approvals",  # booleans per party, like "approvals"
    "version",
    "by",
    "meeting_id",
    "number",
    "position",
    "due",
    "withdrawn",
    "was_sent",
    "keys",
    "document",  # meeting.mailed: which document went out, and how many copies by outcome
    "counts",
}


def test_cooperation_events_carry_ids_statuses_and_titles_only(api):
    writer = api("prevention_coordinator")
    meeting = create_meeting(
        api,
        date="2026-04-21T12:00+02:00",
        chair="Kari Nordmann",
        members=[{"name": "Ola Testesen", "organisation": "hemmelig@example.no"}],
    )
    item = writer.post(
        f"/api/v1/cooperation/meetings/{meeting['id']}/items",
        json={"title": "Trygt uteliv", "note": "Saksnotat med detaljer", "presenter": "Kari Nordmann"},
    )
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    writer.post(url + "/approve", json={"by": "kommune"})
    api("police").post(url + "/approve", json={"by": "politi"})
    writer.post(url + "/send")
    decision = writer.post(
        url + "/decisions",
        json={"text": "Ring Ola Testesen på 912 34 567", "owner": "Ola Testesen", "due": "2026-05-01"},
    ).json
    writer.patch(f"/api/v1/cooperation/decisions/{decision['id']}", json={"status": "done", "version": 1})
    writer.patch(
        f"/api/v1/cooperation/agenda-items/{item.json['id']}",
        json={"title": "Trygt uteliv 2026", "version": item.json["version"]},
    )

    response = api("viewer").get("/api/v1/channels/cooperation/events?since=0")
    assert response.status_code == 200
    events = response.json["events"]
    types = [event["type"] for event in events]
    for expected in (
        "meeting.created",
        "agenda.item_created",
        "meeting.approved",
        "meeting.sent",
        "decision.created",
        "decision.updated",
        "agenda.item_updated",
        "meeting.approvals_reset",
    ):
        assert expected in types
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    for event in events:
        assert set(event["data"]) <= ALLOWED_KEYS, event
        text = json.dumps(event, ensure_ascii=False)
        for secret in PERSONAL:
            assert secret not in text, (secret, event)
    approved = [event["data"] for event in events if event["type"] == "meeting.approved"]
    assert [data["by"] for data in approved] == ["kommune", "politi"]
    assert approved[-1]["approvals"] == {"kommune": True, "politi": True}
