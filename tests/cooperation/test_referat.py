"""The referat is drafted, approved by both ledergrupper and distributed like the saksliste; a change after an
approval withdraws it (issue 16, §3.1)."""


def _held_politirad(api) -> tuple[str, dict]:
    kfk = api("prevention_coordinator")
    meeting = kfk.post(
        "/api/v1/cooperation/meetings", json={"kind": "politirad", "date": "2027-05-05T12:00+02:00"}
    ).json
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    assert kfk.post(f"{url}/approve", json={"by": "kommune"}).status_code == 200
    assert (
        api("police").post(f"{url}/approve", json={"by": "politi", "station": "politi-kristiansand"}).status_code == 200
    )
    sent = kfk.post(f"{url}/send")
    assert sent.status_code == 200, sent.json
    return url, sent.json


def _approve_both(api, url: str) -> dict:
    assert api("prevention_coordinator").post(f"{url}/minutes/approve", json={"by": "kommune"}).status_code == 200
    done = api("police").post(f"{url}/minutes/approve", json={"by": "politi", "station": "politi-sogne-songdalen"})
    assert done.status_code == 200, done.json
    return done.json


def test_referat_needs_a_held_meeting_and_both_ledergrupper_before_it_is_sent(api):
    kfk = api("prevention_coordinator")
    url, sent = _held_politirad(api)
    early = kfk.post(f"{url}/minutes/approve", json={"by": "kommune"})
    assert early.status_code == 409 and early.json["error"]["code"] == "not_held"
    held = kfk.patch(url, json={"status": "held", "present": ["Ordfører Eksempel"], "version": sent["version"]})
    assert held.status_code == 200, held.json
    assert held.json["minutes_approvals"] == {"kommune": None, "politi": None}

    refused = kfk.post(f"{url}/minutes/send")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_approved"
    assert "kommunedirektørens ledergruppe" in refused.json["error"]["message"]
    assert api("viewer").post(f"{url}/minutes/approve", json={"by": "kommune"}).status_code == 403
    assert api("police").post(f"{url}/minutes/approve", json={"by": "kommune"}).status_code == 403
    assert kfk.post(f"{url}/minutes/approve", json={"by": "jury"}).status_code == 422

    one = kfk.post(f"{url}/minutes/approve", json={"by": "kommune"})
    assert one.status_code == 200
    assert one.json["minutes_approvals"]["kommune"]["body"] == "Kommunedirektørens ledergruppe"
    assert one.json["minutes_approvals"]["kommune"]["recorded_by"]
    assert one.json["minutes_approved_by_both"] is False
    assert kfk.post(f"{url}/minutes/approve", json={"by": "kommune"}).status_code == 409
    assert kfk.post(f"{url}/minutes/send").status_code == 409

    both = api("police").post(f"{url}/minutes/approve", json={"by": "politi", "station": "politi-sogne-songdalen"})
    assert both.json["minutes_approvals"]["politi"]["body"] == "Politistasjonens ledergruppe (Søgne og Songdalen)"
    assert both.json["minutes_approved_by_both"] is True
    # The saksliste's approvals are a different record and stay as they were.
    assert both.json["approvals"]["politi"]["station"] == "politi-kristiansand"

    distributed = kfk.post(f"{url}/minutes/send")
    assert distributed.status_code == 200, distributed.json
    assert distributed.json["minutes_sent_at"] is not None
    assert distributed.json["mail"]["document"] == "minutes"
    assert distributed.json["mail"]["attachments"][0].startswith("referat-")
    again = kfk.post(f"{url}/minutes/send")
    assert again.status_code == 409 and again.json["error"]["code"] == "already_sent"

    actions = [
        r["action"] for r in api("admin").get(f"/api/v1/audit?subject=meeting:{held.json['id']}").json["records"]
    ]
    assert actions.count("meeting.minutes_approved") == 2
    assert "meeting.minutes_sent" in actions and "meeting.minutes_mailed" in actions


def test_changing_the_referat_after_approval_withdraws_it_but_follow_up_does_not(api):
    kfk = api("prevention_coordinator")
    url, sent = _held_politirad(api)
    held = kfk.patch(url, json={"status": "held", "version": sent["version"]}).json
    meeting_id = held["id"]

    # The meeting's own notes.
    approved = _approve_both(api, url)
    notes = kfk.patch(url, json={"minutes_notes": "Rådet drøftet uteliv.", "version": approved["version"]})
    assert notes.status_code == 200
    assert notes.json["minutes_approvals"] == {"kommune": None, "politi": None}

    # A sak's referat text.
    approved = _approve_both(api, url)
    item = approved["items"][0]
    saved = kfk.patch(
        f"/api/v1/cooperation/agenda-items/{item['id']}", json={"minutes": "Tatt til orientering.", "version": 1}
    )
    assert saved.status_code == 200, saved.json
    assert kfk.get(url).json["minutes_approvals"] == {"kommune": None, "politi": None}

    # A new vedtak.
    _approve_both(api, url)
    decision = kfk.post(f"{url}/decisions", json={"text": "Utelivsgruppen videreføres.", "owner": "Politiet"})
    assert decision.status_code == 201
    assert kfk.get(url).json["minutes_approved_by_both"] is False

    # Following a vedtak up is not a change of the referat.
    _approve_both(api, url)
    follow = kfk.patch(
        f"/api/v1/cooperation/decisions/{decision.json['id']}", json={"status": "in_progress", "version": 1}
    )
    assert follow.status_code == 200
    assert kfk.get(url).json["minutes_approved_by_both"] is True

    # After distribution a correction withdraws the approvals and the sent mark: it must be approved and sent again.
    assert kfk.post(f"{url}/minutes/send").status_code == 200
    current = kfk.get(url).json
    corrected = kfk.patch(url, json={"absent": ["Varaordfører Eksempel"], "version": current["version"]})
    assert corrected.json["minutes_sent_at"] is None
    assert corrected.json["minutes_approvals"] == {"kommune": None, "politi": None}
    records = api("admin").get(f"/api/v1/audit?subject=meeting:{meeting_id}").json["records"]
    resets = [r for r in records if r["action"] == "meeting.minutes_approvals_reset"]
    assert len(resets) == 4 and sum(1 for r in resets if r["meta"]["was_sent"]) == 1
