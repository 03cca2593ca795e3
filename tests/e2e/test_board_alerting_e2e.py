"""Alerting from the board, answered through the outbox link on «Utsendinger», seen live on the board of
another browser: the krisestab is called out with one click, and the answer with its arrival time arrives
without a reload."""

from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_board_e2e import api, open_board


def test_krisestab_alerted_from_the_board_and_an_answer_through_the_outbox_link_shows_live(
    browser, login_as, e2e_server
):
    incident = api(
        e2e_server,
        "POST",
        "/api/v1/incidents",
        json={"title": "Øvelse: brann i Kvadraturen (varsling)", "kind": "exercise"},
    )
    board = open_board(login_as, e2e_server, "coordinator", incident["id"])
    watcher = open_board(login_as, e2e_server, "crisis_staff", incident["id"])
    watcher.evaluate("window.__sameDocument = 'ja'")
    form = board.locator("#alert-quick")
    # The krisestab is chosen and the message written: calling it out is one click.
    board.locator("#alert-quick-group option[value=krisestab]").wait_for(state="attached", timeout=10000)
    assert board.locator("#alert-quick-group").input_value() == "krisestab"
    assert "Øvelse: brann i Kvadraturen" in form.locator("textarea").input_value()
    board.click("#alert-quick-send")
    board.locator("#alert-quick-status", has_text="er sendt til").wait_for(timeout=10000)
    card = watcher.locator("#board-alerts article.alert-card").first
    card.wait_for(timeout=15000)
    alert_id = int(card.get_attribute("data-alert-id"))
    assert "Krisestab" in card.inner_text()

    # The coordinator's «Utsendinger» shows the personal answer link of the outbox (no SMTP/SMS here).
    outgoing = login_as("coordinator")
    row = None
    for _ in range(50):
        outgoing.goto(e2e_server.url + "/utsendinger")
        rows = outgoing.locator(f"#deliveries tr[data-alert-id='{alert_id}'][data-state=sent]")
        if rows.count():
            row = rows.first
            break
        outgoing.wait_for_timeout(200)
    assert row is not None, "the alert's messages never reached the outbox"
    assert run_axe(outgoing, e2e_server) == []
    screenshot(outgoing, "board-alerting", "utsendinger")
    recipient_id = row.get_attribute("data-recipient-id")
    link = row.locator("a.ack-link").get_attribute("href")

    phone = browser.new_context(viewport={"width": 390, "height": 800}, locale="nb-NO")
    answer = phone.new_page()
    answer.goto(link)
    answer.select_option("#ack-eta", "30")
    answer.click("#answer-yes")
    answer.locator("#ack-message").wait_for(timeout=10000)
    assert "om 30 minutter" in answer.inner_text("main")
    phone.close()

    # Both boards, never reloaded, show who is coming and when.
    for page in (board, watcher):
        recipient = page.locator(f"#alert-{alert_id} tr[data-recipient-id='{recipient_id}']")
        recipient.locator("td.status", has_text="Kommer").wait_for(timeout=15000)
        assert "ankomst ca." in recipient.locator("td.answered").inner_text()
    assert watcher.evaluate("window.__sameDocument") == "ja"
    assert run_axe(board, e2e_server) == []
    screenshot(watcher, "board-alerting", "board-varsling")


def test_alerting_the_person_on_duty_by_the_vaktliste(login_as, e2e_server):
    duty = {g["key"]: g for g in api(e2e_server, "GET", "/api/v1/roster/duty")["groups"]}["vakt:krisestab"]
    assert duty["from_rota"] and len(duty["members"]) == 1
    on_duty = duty["members"][0]["name"]
    page = login_as("coordinator")
    page.goto(e2e_server.url + "/roster")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    option = page.locator("#alert-group option[value='vakt:krisestab']")
    assert on_duty in option.inner_text()
    page.select_option("#alert-group", "vakt:krisestab")
    page.fill("#alert-message", "Vakthavende krisestab: ring kriserommet (e2e).")
    page.click("#send-alert")
    page.get_by_text("er sendt til 1 mottakere").wait_for(timeout=10000)
    card = page.locator("article.alert-card", has_text="Vakthavende krisestab: ring kriserommet")
    assert "Vakthavende – Krisestab" in card.locator("h3").inner_text()
    rows = card.locator("tr[data-recipient-id]")
    assert rows.count() == 1 and on_duty in rows.first.inner_text()
    screenshot(page, "board-alerting", "roster-vakthavende")
