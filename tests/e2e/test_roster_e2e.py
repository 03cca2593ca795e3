"""The roster board in a real browser: send an alert, answer it through the personal link, watch it live."""

import time

import requests

from tests.e2e.conftest import E2EServer, run_axe, screenshot


def outbox_messages(server: E2EServer, alert_id: int, expected: int) -> list[dict]:
    """The outbox as the coordinator's integration reads it; waits until the queue has sent the alert."""
    headers = {"Authorization": f"Bearer {server.token('coordinator')}"}
    messages: list[dict] = []
    for _ in range(100):
        response = requests.get(server.url + "/api/v1/outbox", headers=headers, timeout=10)
        assert response.status_code == 200
        messages = [m for m in response.json()["messages"] if m["alert_id"] == alert_id]
        if len(messages) >= expected:
            return messages
        time.sleep(0.1)
    raise AssertionError(f"outbox has {len(messages)} of {expected} messages for alert {alert_id}")


def test_send_alert_and_watch_the_answer_arrive_live(browser, login_as, e2e_server):
    page = login_as("coordinator")
    page.goto(e2e_server.url + "/roster")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.select_option("#alert-group", "kommunikasjon")
    page.fill("#alert-message", "Møt i kriserommet på rådhuset innen 30 minutter.")
    page.click("#send-alert")
    page.get_by_text("er sendt til 2 mottakere").wait_for(timeout=10000)
    # By its text: other tests on the shared server (the board's «Send varsling nå») may have sent alerts before.
    card = page.locator("article.alert-card", has_text="Møt i kriserommet på rådhuset")
    alert_id = int(card.get_attribute("data-alert-id"))
    assert "Møt i kriserommet på rådhuset" in card.inner_text()
    assert card.locator("tr[data-status=sent]").count() == 2

    messages = outbox_messages(e2e_server, alert_id, 2)
    link = messages[0]["ack_url"]
    assert link.startswith(e2e_server.url + "/ack/")
    # The recipient opens the link on their phone: another browser, not logged in.
    phone = browser.new_context(viewport={"width": 390, "height": 800}, locale="nb-NO")
    answer_page = phone.new_page()
    answer_page.goto(link)
    assert "Møt i kriserommet på rådhuset" in answer_page.inner_text("main")
    assert run_axe(answer_page, e2e_server) == []
    answer_page.click("#answer-yes")
    answer_page.locator("#ack-message").wait_for(timeout=10000)
    assert "registrert" in answer_page.inner_text("#ack-message")
    screenshot(answer_page, "roster", "ack-answered")

    # The board, never reloaded, shows the delivery and then the answer as they happen.
    row = page.locator(f"#alert-{alert_id} tr[data-recipient-id='{messages[0]['recipient_id']}']")
    row.locator("td.delivery", has_text="Levert (SMS)").wait_for(timeout=15000)
    row.locator("td.status", has_text="Kommer").wait_for(timeout=15000)
    assert row.get_attribute("data-status") == "acknowledged"
    page.locator(f"#alert-{alert_id} [data-counts]", has_text="1 kommer").wait_for(timeout=5000)

    # Opening the link again (even with ?answer=no) shows the answer given and changes nothing.
    again = answer_page.goto(link + "?answer=no")
    assert again.status == 200
    assert answer_page.get_attribute("#answer-state", "data-status") == "acknowledged"
    phone.close()

    # The coordinator registers the other recipient as arrived in the crisis room.
    other = page.locator(f"#alert-{alert_id} tr[data-recipient-id='{messages[1]['recipient_id']}']")
    other.locator("button.checkin-btn").click()
    other.locator(".checked-in").wait_for(timeout=10000)
    assert row.get_attribute("data-status") == "acknowledged"
    shot = screenshot(page, "roster", "board-after-answer")
    assert shot.stat().st_size > 10000


def test_forged_link_is_refused_in_the_browser(browser, e2e_server):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(e2e_server.url + "/ack/" + "x" * 43 + "?answer=yes")
    assert response.status == 404
    assert page.inner_text("h1") == "Ugyldig lenke"
    context.close()


def test_roster_pages_pass_axe(login_as, e2e_server):
    page = login_as("coordinator")
    for path in ("/roster", "/roster/vaktliste", "/roster/admin"):
        page.goto(e2e_server.url + path)
        assert run_axe(page, e2e_server) == [], path
    screenshot(page, "roster", "admin")
    # The print stylesheet: no forms or buttons, the organisation and the alerts on paper.
    page.goto(e2e_server.url + "/roster")
    page.emulate_media(media="print")
    assert not page.locator("#alert-form").is_visible()
    assert not page.locator("#print-roster").is_visible()
    assert page.locator("#team-kriseledelse").is_visible()
    assert page.locator(".print-stamp").is_visible()
    screenshot(page, "roster", "board-print")
    page.emulate_media(media="screen")
    page.goto(e2e_server.url + "/roster/vaktliste")
    screenshot(page, "roster", "vaktliste")
    viewer = login_as("viewer")
    viewer.goto(e2e_server.url + "/roster")
    assert run_axe(viewer, e2e_server) == []
    assert "+47" not in viewer.inner_text("main")
    phone = login_as("crisis_staff", viewport={"width": 390, "height": 844})
    phone.goto(e2e_server.url + "/roster")
    assert run_axe(phone, e2e_server) == []
    screenshot(phone, "roster", "board-phone")


def test_edit_and_deactivate_a_person_in_the_browser(login_as, e2e_server):
    page = login_as("coordinator")
    page.goto(e2e_server.url + "/roster/admin")
    page.fill("#person-name", "Eva Endring")
    page.fill("#person-phone", "+47 000 31 001")
    page.get_by_role("button", name="Legg til person").click()
    row = page.locator("tr[data-person-id]", has_text="Eva Endring")
    row.wait_for(timeout=10000)
    person_id = row.get_attribute("data-person-id")

    row.get_by_role("link", name="Endre Eva Endring").click()
    page.locator("#person-form").wait_for(timeout=10000)
    assert run_axe(page, e2e_server) == []
    page.fill("#edit-phone", "+47 000 31 002")
    page.locator(".person-positions select").first.select_option("deputy")
    screenshot(page, "roster", "person-edit")
    page.click("#save-person")
    page.get_by_text("Personen er oppdatert.").wait_for(timeout=10000)
    row = page.locator(f"#person-{person_id}")
    assert "+47 000 31 002" in row.inner_text()

    page.goto(e2e_server.url + f"/roster/people/{person_id}/edit")
    assert page.locator(".person-positions select").first.input_value() == "deputy"
    page.click("#deactivate-person")
    page.get_by_text("Eva Endring er deaktivert").wait_for(timeout=10000)
    row = page.locator(f"#person-{person_id}")
    assert row.get_attribute("data-active") == "0"
    assert "deaktivert" in row.locator("td.person-status").inner_text()
    screenshot(page, "roster", "person-deactivated")
    # Not offered for new shifts; the edit page says so and offers to reactivate.
    page.goto(e2e_server.url + "/roster/vaktliste")
    assert page.locator(f"#shift-person option[value='{person_id}']").count() == 0
    page.goto(e2e_server.url + f"/roster/people/{person_id}/edit")
    assert page.locator("#person-state").get_attribute("data-active") == "0"
    page.click("#reactivate-person")
    page.get_by_text("Eva Endring er aktiv igjen").wait_for(timeout=10000)
    assert page.locator(f"#person-{person_id}").get_attribute("data-active") == "1"
