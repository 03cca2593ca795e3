"""The politiråd flow end to end over the API: innspill → saksliste → both approvals → sending, with the e-mail
arriving at a real SMTP server process (aiosmtpd) carrying the saksliste PDF and a parseable invitation (issue 16)."""

import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from tests.conftest import Api, free_port, gen_user
from tests.cooperation.test_attachments import DOCX
from tests.roster.test_delivery import read_mail, servers, start_smtp  # noqa: F401 - `servers` is a fixture

ROLES = ("admin", "police", "prevention_coordinator", "viewer")


@pytest.fixture
def smtp(app, tmp_path, servers):  # noqa: F811
    port = free_port()
    directory = tmp_path / "mail"
    servers.append(start_smtp(port, directory))
    app.config.update(ALERT_BACKEND="smtp,outbox", SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="krim@example.no")
    return directory


def test_innspill_saksliste_approvals_and_sending_reach_the_members_by_smtp(app, smtp):
    client = app.test_client()
    tokens = {role: gen_user(app, role)[3] for role in ROLES}

    def api(role):
        return Api(client, tokens[role])

    kfk = api("prevention_coordinator")
    kfk.get("/api/v1/cooperation/agreement")  # the signed agreement and its parties
    units = {u["name"]: u["id"] for u in kfk.get("/api/v1/cooperation/directory").json["units"]}
    for name, function, unit, address in (
        ("Ordfører Eksempel", "ordforer", "Kristiansand kommune", "ordforer@example.no"),
        ("Stasjonssjef Eksempel", "stasjonssjef", "Søgne og Songdalen politistasjon", "sjef@example.no"),
        ("Koordinator Uten Epost", "krimkoordinator", "Kristiansand kommune", ""),
    ):
        body = {"name": name, "function": function, "unit_id": units[unit], "email": address}
        assert kfk.post("/api/v1/cooperation/people", json=body).status_code == 201

    meeting = kfk.post(
        "/api/v1/cooperation/meetings",
        json={"kind": "politirad", "date": "2027-04-20T12:00+02:00", "location": "Rådhuset"},
    ).json
    assert {m["name"] for m in meeting["members"]} == {
        "Ordfører Eksempel",
        "Stasjonssjef Eksempel",
        "Koordinator Uten Epost",
    }
    url = f"/api/v1/cooperation/meetings/{meeting['id']}"
    proposal = (
        api("police")
        .post(
            f"{url}/proposals", json={"title": "Trygt uteliv i Kvadraturen", "from": "Forebyggende", "party": "politi"}
        )
        .json
    )
    upload = client.post(
        f"{url}/attachments",
        data={"file": (io.BytesIO(DOCX), "saksfremlegg.docx")},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {tokens['prevention_coordinator']}"},
    )
    assert upload.status_code == 201
    accept = kfk.post(f"/api/v1/cooperation/proposals/{proposal['id']}/accept", json={"version": 1})
    assert accept.status_code == 200
    assert kfk.post(f"{url}/send").status_code == 409
    assert kfk.post(f"{url}/approve", json={"by": "kommune"}).status_code == 200
    assert kfk.post(f"{url}/send").status_code == 409
    assert read_mail(smtp) == []
    assert (
        api("police").post(f"{url}/approve", json={"by": "politi", "station": "politi-kristiansand"}).status_code == 200
    )

    sent = kfk.post(f"{url}/send")

    assert sent.status_code == 200, sent.json
    assert sent.json["status"] == "sent"
    assert sent.json["mail"]["counts"] == {"sent": 2, "outbox": 2, "no_address": 1}
    mails = read_mail(smtp)
    assert sorted(m["To"] for m in mails) == ["ordforer@example.no", "sjef@example.no"]
    for mail in mails:
        assert mail["Subject"] == f"Saksliste: {meeting['title']}"
        parts = {part.get_filename(): part for part in mail.iter_attachments()}
        pdf = parts[f"saksliste-{meeting['id']}.pdf"]
        assert pdf.get_content_type() == "application/pdf"
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
        assert "Felles fokusområder og tiltak" in text and "Trygt uteliv i Kvadraturen" in text
        assert parts["saksfremlegg.docx"].get_content() == DOCX
        invitation = parts["innkalling.ics"]
        assert invitation.get_content_type() == "text/calendar"
        assert invitation.get_param("method") == "REQUEST"
        calendar = Calendar.from_ical(invitation.get_payload(decode=True))
        assert str(calendar["METHOD"]) == "REQUEST"
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["SUMMARY"]) == meeting["title"] and str(event["LOCATION"]) == "Rådhuset"
        assert event.decoded("DTSTART").isoformat().startswith("2027-04-20T12:00:00")
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == ["mailto:ordforer@example.no", "mailto:sjef@example.no"]

    dispatches = kfk.get(f"{url}/dispatches").json["dispatches"]
    assert {(d["recipient"], d["backend"], d["status"]) for d in dispatches} >= {
        ("Ordfører Eksempel", "smtp", "sent"),
        ("Koordinator Uten Epost", "", "no_address"),
    }
    assert api("viewer").get(f"{url}/dispatches").status_code == 403
    # The referat goes out the same way once the meeting is held.
    assert kfk.post(f"{url}/minutes/send").status_code == 409
    held = kfk.patch(url, json={"status": "held", "version": sent.json["version"]})
    assert held.status_code == 200, held.json
    # ...and both ledergrupper have approved the referat.
    assert kfk.post(f"{url}/minutes/send").status_code == 409
    assert kfk.post(f"{url}/minutes/approve", json={"by": "kommune"}).status_code == 200
    assert api("police").post(f"{url}/minutes/approve", json={"by": "politi"}).status_code == 200
    minutes = kfk.post(f"{url}/minutes/send")
    assert minutes.status_code == 200 and minutes.json["mail"]["counts"]["sent"] == 2
    referat = [m for m in read_mail(smtp) if m["Subject"].startswith("Referat")]
    assert len(referat) == 2
    assert [p.get_filename() for p in referat[0].iter_attachments()] == [f"referat-{meeting['id']}.pdf"]
