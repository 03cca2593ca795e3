"""Issue 16 in a real browser: a saksfremlegg uploaded from the meeting page, the referat approved by both
ledergrupper and sent, and a person edited and deactivated in the directory."""

import requests

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_cooperation_e2e import LIVE_TIMEOUT, _connected


def _api(e2e_server, role: str, method: str, path: str, body: dict | None = None) -> dict:
    # Sending renders a PDF: on a busy machine that takes longer than the 15 s of the other e2e helper.
    return e2e_server.call(role, method, path, body, timeout=90, expect=(200, 201))


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_upload_then_referat_approved_by_both_and_sent(login_as, e2e_server, tmp_path):
    meeting = _api(
        e2e_server,
        "prevention_coordinator",
        "POST",
        "/api/v1/cooperation/meetings",
        {"kind": "politirad", "date": "2028-11-07T12:00+01:00", "title": "Politiråd november 2028"},
    )
    url = f"{e2e_server.url}/cooperation/meetings/{meeting['id']}"
    kfk = login_as("prevention_coordinator")
    kfk.goto(url)
    _connected(kfk)

    # A file with a lying name is refused with the server's message; a real PDF is stored and listed.
    fake = tmp_path / "saksfremlegg.pdf"
    fake.write_bytes(b"MZ not a pdf")
    kfk.locator("#attachment-file").set_input_files(str(fake))
    kfk.locator("#upload-attachment").click()
    error = kfk.locator("#attachments-region .form-error:not([hidden])")
    error.wait_for(timeout=LIVE_TIMEOUT)
    assert error.inner_text().strip()
    good = tmp_path / "saksfremlegg-uteliv.pdf"
    good.write_bytes(PDF)
    kfk.locator("#attachment-file").set_input_files(str(good))
    kfk.locator("#attachment-title").fill("Saksfremlegg: trygt uteliv")
    kfk.locator("#upload-attachment").click()
    kfk.locator("#attachments").get_by_text("Saksfremlegg: trygt uteliv").wait_for(timeout=LIVE_TIMEOUT)
    listed = _api(e2e_server, "viewer", "GET", f"/api/v1/cooperation/meetings/{meeting['id']}/attachments")
    assert [a["filename"] for a in listed["attachments"]] == ["saksfremlegg-uteliv.pdf"]

    # The saksliste goes out, the meeting is held; then the referat is approved by both and sent from the page.
    base = f"/api/v1/cooperation/meetings/{meeting['id']}"
    _api(e2e_server, "prevention_coordinator", "POST", f"{base}/approve", {"by": "kommune"})
    _api(e2e_server, "police", "POST", f"{base}/approve", {"by": "politi", "station": "politi-kristiansand"})
    sent = _api(e2e_server, "prevention_coordinator", "POST", f"{base}/send")
    _api(e2e_server, "prevention_coordinator", "PATCH", base, {"status": "held", "version": sent["version"]})

    kfk.goto(url)
    _connected(kfk)
    assert kfk.locator("#attachment-form").count() == 0  # the held meeting's saksliste is closed
    kfk.locator("#send-minutes").click()
    error = kfk.locator("#minutes-region .form-error:not([hidden])")
    error.wait_for(timeout=LIVE_TIMEOUT)
    assert "politistasjonens ledergruppe" in error.inner_text()
    kfk.locator("#approve-minutes-kommune").click()
    kfk.locator("#minutes-approval-kommune[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)

    politi = login_as("police")
    politi.goto(url)
    _connected(politi)
    assert politi.locator("#approve-minutes-kommune").count() == 0
    politi.locator("#minutes-station").select_option("politi-sogne-songdalen")
    politi.locator("#approve-minutes-politi").click()
    kfk.locator("#minutes-approval-politi[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)
    assert "Søgne og Songdalen" in kfk.locator("#minutes-approval-politi").inner_text()

    kfk.locator("#send-minutes").click()
    kfk.wait_for_function(
        "() => document.getElementById('minutes-summary').textContent.includes('sendt')", timeout=LIVE_TIMEOUT
    )
    detail = _api(e2e_server, "viewer", "GET", base)
    assert detail["minutes_sent_at"] and detail["minutes_approved_by_both"]
    records = _api(e2e_server, "admin", "GET", f"/api/v1/audit?subject=meeting:{meeting['id']}")["records"]
    assert {"meeting.minutes_sent", "meeting.minutes_mailed"} <= {r["action"] for r in records}
    assert run_axe(kfk, e2e_server) == []
    screenshot(kfk, "cooperation", "meeting-referat-sent")


def test_directory_person_is_edited_and_deactivated_in_the_page(login_as, e2e_server):
    people = _api(e2e_server, "coordinator", "GET", "/api/v1/cooperation/directory")["people"]
    person = next(p for p in people if p["function"] == "analytiker_kommune")
    page = login_as("coordinator")
    page.goto(e2e_server.url + "/cooperation/directory")
    _connected(page)
    page.locator(f"#edit-person-{person['id']}").click()
    page.locator(f"#ep-title-{person['id']}").fill("Seniorrådgiver analyse")
    page.locator(f"#ep-function-{person['id']}").select_option("sikkerhet_beredskapskoordinator")
    page.locator(f"#ep-title-{person['id']}").press("Enter")
    row = page.locator(f"#people-table tr[data-person-id='{person['id']}']")
    row.get_by_text("Seniorrådgiver analyse").wait_for(timeout=LIVE_TIMEOUT)
    assert "Sikkerhet- og beredskapskoordinator" in row.inner_text()
    assert run_axe(page, e2e_server) == []
    screenshot(page, "cooperation", "directory-edit")

    page.on("dialog", lambda dialog: dialog.accept())
    summary = page.locator(f"#edit-person-{person['id']}")
    if not summary.evaluate("node => node.parentElement.open"):
        summary.click()
    page.locator(f"#deactivate-person-{person['id']}").click()
    page.locator(f"#reactivate-person-{person['id']}").wait_for(state="attached", timeout=LIVE_TIMEOUT)
    assert page.locator(f"#people-table tr[data-person-id='{person['id']}']").count() == 0
    records = requests.get(
        f"{e2e_server.url}/api/v1/audit?subject=coop_person:{person['id']}",
        headers={"Authorization": f"Bearer {e2e_server.token('admin')}"},
        timeout=15,
    ).json()["records"]
    assert {"coop.person_updated", "coop.person_deactivated"} <= {r["action"] for r in records}
