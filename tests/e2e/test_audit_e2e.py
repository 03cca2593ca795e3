"""The audit page in Chromium: the admin asks who read a person's record, and sees who, when and why."""

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_board_e2e import api


def test_the_audit_page_shows_who_read_a_record_and_why(login_as, e2e_server):
    incident = api(
        e2e_server, "POST", "/api/v1/incidents", role="police", json={"title": "Revisjon e2e", "kind": "exercise"}
    )
    centre = api(
        e2e_server,
        "POST",
        f"/api/v1/incidents/{incident['id']}/eps",
        role="police",
        json={"name": "Idda-hallen", "capacity": 40, "decided_by": "politi"},
    )
    person = api(
        e2e_server,
        "POST",
        f"/api/v1/eps/{centre['id']}/evacuees",
        role="eps_staff",
        json={"full_name": "Åsa Revisjonsen"},
    )
    api(e2e_server, "GET", f"/api/v1/evacuees/{person['id']}?reason=gjenforening", role="eps_staff")

    page = login_as("admin")
    page.goto(e2e_server.url + "/admin/audit")
    page.fill("#person", "åsa revisjon")
    page.press("#person", "Enter")
    page.locator("#person-matches", has_text="Åsa Revisjonsen").wait_for(timeout=10000)
    rows = page.locator(f"#audit-records tr[data-subject='evacuee:{person['id']}']")
    reads = rows.filter(has_text="gjenforening")
    assert reads.count() == 1
    assert e2e_server.creds["eps_staff"][0] in reads.first.inner_text()
    assert run_axe(page, e2e_server) == []
    screenshot(page, "audit", "who-read")
