"""The EPS desk without dead ends in Chromium (issue 17): the purpose picked once and remembered, a correction
with its history, a check-out and a check-in again from the list of who left, and the EPS-leder reading who
read a record, when and why."""

import pytest
import requests

from tests.e2e.conftest import run_axe, screenshot

pytestmark = pytest.mark.e2e

PURPOSE = "Henvendelse fra pårørende"


def _api(server, role, method, path, body=None):
    response = requests.request(
        method, server.url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {server.token(role)}"}
    )
    assert response.status_code < 400, (path, response.status_code, response.text[:300])
    return response.json()


@pytest.fixture(scope="module")
def centre(e2e_server):
    """An exercise centre led by the eps_staff user, with a household of two registered."""
    opened = {"title": "Øvelse retting EPS", "kind": "exercise"}
    incident = _api(e2e_server, "police", "POST", "/api/v1/incidents", opened)
    decided = {"name": "Idda", "capacity": 20}
    eps = _api(e2e_server, "police", "POST", f"/api/v1/incidents/{incident['id']}/eps", decided)
    staff_id = _api(e2e_server, "eps_staff", "GET", "/api/v1/me")["id"]
    handed = {"version": eps["version"], "leader_user_id": staff_id}
    _api(e2e_server, "police", "PATCH", f"/api/v1/eps/{eps['id']}", handed)
    members = [{"full_name": "Per Rettesen", "birth_date": "02.04.1961"}, {"full_name": "Kari Rettesen"}]
    _api(e2e_server, "eps_staff", "POST", f"/api/v1/eps/{eps['id']}/households", {"members": members})
    return eps["id"]


def test_a_correction_and_a_check_in_again_with_the_purpose_picked_once(login_as, e2e_server, centre):
    page = login_as("eps_staff")
    desk = f"{e2e_server.url}/eps/{centre}/desk"
    page.goto(desk)
    page.locator("#purpose-form").wait_for(timeout=10000)
    screenshot(page, "eps_loops", "purpose-first")
    # No name is shown before the purpose is picked.
    assert "Rettesen" not in page.inner_text("#people-rows")
    page.select_option("#purpose-select", label=PURPOSE)
    page.fill("#purpose-note-input", "datter ringer")
    page.press("#purpose-note-input", "Enter")
    page.locator("#purpose-chosen", has_text=PURPOSE).wait_for(timeout=10000)
    page.locator("#people-rows tr", has_text="Per Rettesen").wait_for(timeout=10000)
    screenshot(page, "eps_loops", "purpose-picked")

    # Remembered for the session and the desk: a reload does not ask again.
    page.reload()
    page.locator("#people-rows tr", has_text="Kari Rettesen").wait_for(timeout=10000)
    assert page.locator("#purpose-form").is_hidden()
    assert "datter ringer" in page.inner_text("#purpose-chosen")

    # A correction: the panel shows the record, Enter saves, the history keeps the old value.
    page.get_by_role("button", name="Rett Per Rettesen").click()
    page.locator("#fix-full_name").wait_for(timeout=10000)
    page.fill("#fix-full_name", "Per Rettesen Berg")
    page.fill("#fix-phone", "41 00 00 02")
    page.press("#fix-phone", "Enter")
    page.locator("#fix-history", has_text="Fullt navn: Per Rettesen → Per Rettesen Berg").wait_for(timeout=10000)
    page.locator("#people-rows tr", has_text="Per Rettesen Berg").wait_for(timeout=10000)
    # The household, shown together.
    page.get_by_role("button", name="Vis husstanden").click()
    page.locator("#household-view li", has_text="Kari Rettesen").wait_for(timeout=10000)
    screenshot(page, "eps_loops", "correction-history")

    # Check-out, then in again from the list of who has left (with the destination).
    page.get_by_role("button", name="Sjekk ut Kari Rettesen").click()
    page.keyboard.type("Hos søster i Lillesand")
    page.keyboard.press("Enter")
    left = page.locator("#left-rows tr", has_text="Kari Rettesen")
    left.wait_for(timeout=10000)
    assert "Hos søster i Lillesand" in left.inner_text()
    page.locator("#left-count", has_text="1").wait_for(timeout=10000)
    screenshot(page, "eps_loops", "left-list")
    left.get_by_role("button", name="Sjekk inn igjen Kari Rettesen").click()
    page.locator("#people-rows tr", has_text="Kari Rettesen").wait_for(timeout=10000)
    left.wait_for(state="detached", timeout=10000)
    summary = _api(e2e_server, "viewer", "GET", f"/api/v1/eps/{centre}")
    assert (summary["present"], summary["left"]) == (2, 0)
    assert run_axe(page, e2e_server) == []
    screenshot(page, "eps_loops", "checked-in-again")

    # Every read was audited with the purpose picked once, not a fixed phrase.
    per = page.locator("#people-rows tr", has_text="Per Rettesen Berg").get_attribute("data-evacuee-id")
    records = _api(e2e_server, "admin", "GET", f"/api/v1/audit?subject=evacuee:{per}")["records"]
    reasons = {r["reason"] for r in records if r["action"] == "read"}
    assert reasons == {f"Formål: {PURPOSE} – datter ringer"}
    assert "correct" in {r["action"] for r in records}

    # A next-of-kin inquiry taken with a wrong name is corrected, and matched again.
    asked = {
        "inquirer_name": "Ingrid Rettesen",
        "inquirer_phone": "97766554",
        "relation": "datter",
        "sought_name": "Kari Olsen",
    }
    inquiry = _api(e2e_server, "eps_staff", "POST", f"/api/v1/eps/{centre}/inquiries", asked)
    page.reload()
    page.locator(f"#inquiry-list li[data-inquiry-id='{inquiry['id']}'] button").click()
    page.get_by_role("button", name="Rett henvendelsen").click()
    page.fill("#inqfix-sought_name", "Kari Rettesen")
    page.press("#inqfix-sought_name", "Enter")
    fixed = "Navn på den som søkes: Kari Olsen → Kari Rettesen"
    page.locator("#inq-fix-history", has_text=fixed).wait_for(timeout=10000)
    page.locator("#inq-detail .candidate", has_text="Kari Rettesen").wait_for(timeout=10000)
    assert run_axe(page, e2e_server) == []
    screenshot(page, "eps_loops", "inquiry-corrected")


def test_the_eps_leader_sees_who_read_a_record_and_why(login_as, e2e_server, centre):
    people = _api(e2e_server, "eps_staff", "GET", f"/api/v1/eps/{centre}/evacuees?reason=forberedelse")["evacuees"]
    per = next(p for p in people if p["full_name"].startswith("Per Rettesen"))
    _api(e2e_server, "police", "GET", f"/api/v1/evacuees/{per['id']}?reason=identitetskontroll")

    page = login_as("eps_staff")  # leads the centre
    page.goto(e2e_server.url + "/eps/audit")
    page.locator("#audit-scope").wait_for(timeout=10000)
    page.fill("#person", "per rettesen")
    page.press("#person", "Enter")
    page.locator("#person-matches", has_text="Per Rettesen").wait_for(timeout=10000)
    reads = page.locator(f"#audit-records tr[data-subject='evacuee:{per['id']}']").filter(has_text="identitetskontroll")
    assert reads.count() == 1
    assert e2e_server.creds["police"][0] in reads.first.inner_text()
    assert run_axe(page, e2e_server) == []
    screenshot(page, "eps_loops", "leader-audit")


def test_the_leader_edits_the_centre_and_keeps_the_purpose_list(login_as, e2e_server, centre):
    page = login_as("eps_staff")  # leads the centre
    page.goto(f"{e2e_server.url}/eps/{centre}")
    page.locator("#purpose-list li").first.wait_for(timeout=10000)
    page.fill("#centre-capacity", "25")
    page.press("#centre-capacity", "Enter")
    page.locator("#centre-history", has_text="Kapasitet: 20 → 25").wait_for(timeout=10000)
    page.locator("#occ-figure", has_text="av 25").wait_for(timeout=10000)
    # A change made elsewhere meanwhile: the page follows it live, so the next save is not a lost update.
    current = _api(e2e_server, "viewer", "GET", f"/api/v1/eps/{centre}")
    _api(e2e_server, "police", "PATCH", f"/api/v1/eps/{centre}", {"version": current["version"], "name": "Idda B"})
    page.locator("#centre-history", has_text="Navn: Idda → Idda B").wait_for(timeout=10000)
    stale = requests.patch(
        f"{e2e_server.url}/api/v1/eps/{centre}",
        json={"version": current["version"], "capacity": 5},
        headers={"Authorization": f"Bearer {e2e_server.token('police')}"},
        timeout=30,
    )
    assert stale.status_code == 409

    page.fill("#purpose-new", "Tilsyn fra Statsforvalteren")
    page.press("#purpose-new", "Enter")
    page.locator("#purpose-list li input[value='Tilsyn fra Statsforvalteren']").wait_for(timeout=10000)
    assert run_axe(page, e2e_server) == []
    screenshot(page, "eps_loops", "centre-edit-purposes")
    desk = login_as("police")
    desk.goto(f"{e2e_server.url}/eps/{centre}/desk")
    desk.locator("#purpose-select option", has_text="Tilsyn fra Statsforvalteren").wait_for(state="attached")
    screenshot(desk, "eps_loops", "purpose-asked")
