"""The cooperation in a real browser: the årshjul page, two parties approving a saksliste live, universal design."""

import requests

from tests.e2e.conftest import run_axe, screenshot

LIVE_TIMEOUT = 15000


def _api(e2e_server, role: str, method: str, path: str, body: dict | None = None) -> dict:
    return e2e_server.call(role, method, path, body, timeout=15, expect=(200, 201))


def _meeting_with_agenda(e2e_server) -> dict:
    meeting = _api(
        e2e_server,
        "prevention_coordinator",
        "POST",
        "/api/v1/cooperation/meetings",
        {"kind": "politirad", "date": "2027-05-05T12:00+02:00", "title": "Ekstra politiråd mai 2027"},
    )
    _api(
        e2e_server,
        "prevention_coordinator",
        "POST",
        f"/api/v1/cooperation/meetings/{meeting['id']}/items",
        {"title": "Trygghet i sentrum i sommer", "kind": "drøfting", "note": "Saksnotat fra sekretariatet."},
    )
    return meeting


def _connected(page) -> None:
    page.locator("html[data-coop-ready]").wait_for(state="attached", timeout=LIVE_TIMEOUT)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=LIVE_TIMEOUT)


def test_cooperation_page_shows_the_annual_cycle_and_passes_axe(login_as, e2e_server):
    page = login_as("prevention_coordinator")
    page.goto(e2e_server.url + "/")
    page.get_by_role("link", name="Samarbeid", exact=True).click()
    page.wait_for_url("**/cooperation")
    assert page.locator("h1").inner_text() == "Samarbeid med politiet"
    rows = page.locator("#cycle-table tbody tr")
    assert rows.count() >= 8
    kinds = [rows.nth(i).get_attribute("data-kind") for i in range(rows.count())]
    assert kinds.count("politirad") == 2 and kinds.count("formannskap") == 2 and "trusselvurdering" in kinds
    _connected(page)
    assert not page.locator("#feed-url").is_visible()

    page.locator("#feed-button").click()
    page.wait_for_function("() => document.getElementById('feed-url').value.endsWith('.ics')", timeout=LIVE_TIMEOUT)
    assert page.locator("#feed-url").is_visible()
    feed = page.locator("#feed-url").input_value()
    assert "/cooperation/calendar/" in feed and feed.endswith(".ics")
    assert requests.get(feed, timeout=10).headers["Content-Type"].startswith("text/calendar")

    assert run_axe(page, e2e_server) == []
    screenshot(page, "cooperation", "index")
    for path in ("/cooperation/directory", "/cooperation/agreement", "/cooperation/oversiktsbilde/2026"):
        page.goto(e2e_server.url + path)
        assert run_axe(page, e2e_server) == [], path
    screenshot(page, "cooperation", "oversiktsbilde")


def test_two_parties_approve_and_the_other_sees_it_live(login_as, e2e_server):
    meeting = _meeting_with_agenda(e2e_server)
    url = f"{e2e_server.url}/cooperation/meetings/{meeting['id']}"
    kommune = login_as("prevention_coordinator")
    politi = login_as("police")
    for page in (kommune, politi):
        page.goto(url)
        _connected(page)
    # A reload would drop this marker: the changes below must arrive live.
    kommune.evaluate("window.__noReload = true")
    politi.evaluate("window.__noReload = true")
    assert run_axe(kommune, e2e_server) == []

    assert politi.locator("#approve-kommune").count() == 0
    kommune.locator("#send-agenda").click()
    kommune.locator("#approval-region .form-error:not([hidden])").wait_for(timeout=LIVE_TIMEOUT)
    assert "politistasjonens ledergruppe" in kommune.locator("#approval-region .form-error:not([hidden])").inner_text()

    kommune.locator("#approve-kommune").click()
    kommune.locator("#approval-kommune[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)
    politi.locator("#approval-kommune[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)
    assert politi.locator("#approval-politi").get_attribute("data-approved") == "false"

    politi.locator("#approve-station").select_option("politi-kristiansand")
    politi.locator("#approve-politi").click()
    kommune.locator("#approval-politi[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)
    assert "Godkjent av begge parter" in kommune.locator("#approval-summary").inner_text()

    kommune.locator("#send-agenda").click()
    politi.locator("#meeting-title [data-status=sent]").wait_for(timeout=LIVE_TIMEOUT)
    assert "sendt" in politi.locator("#approval-summary").inner_text()
    assert kommune.evaluate("window.__noReload") is True
    assert politi.evaluate("window.__noReload") is True

    assert run_axe(politi, e2e_server) == []
    shot = screenshot(politi, "cooperation", "meeting-sent-police-view")
    assert shot.stat().st_size > 10000
    screenshot(kommune, "cooperation", "meeting-sent-kommune-view")

    records = _api(e2e_server, "admin", "GET", f"/api/v1/audit?subject=meeting:{meeting['id']}")["records"]
    assert sorted(r["meta"]["by"] for r in records if r["action"] == "meeting.approved") == ["kommune", "politi"]


def test_viewer_sees_the_meeting_without_buttons(login_as, e2e_server):
    meeting = _meeting_with_agenda(e2e_server)
    page = login_as("viewer")
    page.goto(f"{e2e_server.url}/cooperation/meetings/{meeting['id']}")
    assert page.locator("#agenda-items").get_by_text("Trygghet i sentrum i sommer").count() == 1
    assert page.locator("button[id^=approve-], #send-agenda, form.coop-api-form").count() == 0


def test_the_kfk_prepares_a_politirad_with_the_standing_item_and_an_innspill_and_both_approve(login_as, e2e_server):
    """Issue 16: standing item + one innspill accepted by the KFK; kommune and police approve for their
    ledergruppe; the meeting is sent."""
    meeting = _api(
        e2e_server,
        "prevention_coordinator",
        "POST",
        "/api/v1/cooperation/meetings",
        {"kind": "politirad", "date": "2027-09-14T12:00+02:00", "title": "Politiråd september 2027"},
    )
    proposal = _api(
        e2e_server,
        "police",
        "POST",
        f"/api/v1/cooperation/meetings/{meeting['id']}/proposals",
        {"title": "Ungdom og rus i sentrum", "from": "Forebyggende avsnitt", "party": "politi"},
    )
    url = f"{e2e_server.url}/cooperation/meetings/{meeting['id']}"
    kfk = login_as("prevention_coordinator")
    kfk.goto(url)
    _connected(kfk)
    agenda = kfk.locator("#agenda-items")
    assert "Felles fokusområder og tiltak" in agenda.inner_text()
    assert kfk.locator("#standing-tag").count() == 1

    kfk.locator(f"#accept-proposal-{proposal['id']}").click()
    agenda.get_by_text("Ungdom og rus i sentrum").first.wait_for(timeout=LIVE_TIMEOUT)
    kfk.locator("#approve-kommune").click()
    kfk.locator("#approval-kommune[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)

    politi = login_as("police")
    politi.goto(url)
    _connected(politi)
    politi.locator("#approve-station").select_option("politi-sogne-songdalen")
    politi.locator("#approve-politi").click()
    kfk.locator("#approval-politi[data-approved=true]").wait_for(timeout=LIVE_TIMEOUT)
    assert "Søgne og Songdalen" in kfk.locator("#approval-politi").inner_text()

    kfk.locator("#send-agenda").click()
    politi.locator("#meeting-title [data-status=sent]").wait_for(timeout=LIVE_TIMEOUT)
    kfk.goto(url)
    assert "Satt på sakslisten" in kfk.locator("#proposals").inner_text()
    assert run_axe(kfk, e2e_server) == []
    screenshot(kfk, "cooperation", "politirad-sent-meeting-page")
    kfk.goto(e2e_server.url + "/cooperation/agreement")
    assert "Hatkriminalitet og hatefulle ytringer" in kfk.locator("#focus-areas").inner_text()
    screenshot(kfk, "cooperation", "agreement-page")
