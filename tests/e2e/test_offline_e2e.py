"""Keep working when the network drops (issue 18): writes made offline are kept, shown, sent once, in order."""

import requests

from tests.e2e.conftest import screenshot

LOG_LINES = [f"Offline melding {i}: vannstand ved Lundsbroa" for i in range(1, 6)]
HOUSEHOLD = ["Ingeborg Frakobletsen", "Torleif Frakobletsen", "Maja Frakobletsen"]
PHONE = "47 11 22 99"

# Everything this browser keeps: every IndexedDB store and every Cache Storage response, as one text.
DUMP_STORAGE = """async () => {
  const parts = [];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, ko) => {
      const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error);
    });
    for (const name of db.objectStoreNames) {
      const rows = await new Promise((ok, ko) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error);
      });
      parts.push(info.name + "/" + name + ": " + JSON.stringify(rows));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      parts.push(name + " " + request.url + ": " + await response.text());
    }
  }
  return parts.join("\\n");
}"""


def _setup(e2e_server) -> tuple[int, int]:
    coordinator = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    incident = requests.post(
        e2e_server.url + "/api/v1/incidents", json={"title": "Flom – nettet faller ut"}, headers=coordinator, timeout=10
    ).json()["id"]
    eps = requests.post(
        f"{e2e_server.url}/api/v1/incidents/{incident}/eps",
        json={"name": "EPS Lund skole", "capacity": 80},
        headers=coordinator,
        timeout=10,
    ).json()["id"]
    return incident, eps


def _controlled(page) -> None:
    """Wait until the service worker controls the page (so the next navigations are cached)."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)


def test_offline_writes_are_kept_shown_and_sent_once_in_order(login_as, e2e_server):
    incident, eps = _setup(e2e_server)
    board_url = f"{e2e_server.url}/incidents/{incident}"
    desk_url = f"{e2e_server.url}/eps/{eps}/desk"
    page = login_as("coordinator")
    page.goto(board_url)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    _controlled(page)
    # Open each page once online, as staff do at the start of a shift: now they are kept for offline use.
    for url in (board_url, desk_url, board_url):
        page.goto(url)
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    watcher = login_as("crisis_staff")
    watcher.goto(board_url)
    watcher.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)

    page.context.set_offline(True)
    page.locator("#offline-banner[data-offline=true]").wait_for(timeout=15000)
    for line in LOG_LINES:
        page.fill("#log-text", line)
        page.press("#log-text", "Enter")
        page.locator("#log-text").and_(page.locator(":focus")).wait_for()
        page.wait_for_function("document.querySelector('#log-text').value === ''")
    page.locator("#outbox-list li").nth(4).wait_for(timeout=10000)
    assert page.locator("#outbox-list li[data-state=pending]").count() == 5
    assert "5 ikke sendt" in page.inner_text("#offline-banner")

    page.goto(desk_url)  # offline: from the service worker's cache
    page.fill("#m0-name", HOUSEHOLD[0])
    page.fill("#m0-phone", PHONE)
    page.fill("#reg-address", "Frakoblet vei 3, 4616 Kristiansand")
    for name in HOUSEHOLD[1:]:
        page.click("#add-member")
        page.locator("#extra-members fieldset.member input[name=full_name]").last.fill(name)
    page.click("#reg-submit")
    page.locator("#outbox-list li").nth(5).wait_for(timeout=10000)

    page.reload()  # still offline: the page opens and shows the 8 unsent items
    page.locator("#offline-banner[data-unsent='8']").wait_for(timeout=15000)
    banner = page.inner_text("#offline-banner")
    assert banner.startswith("Frakoblet – viser data fra ") and "8 ikke sendt" in banner
    assert page.locator("#outbox-list li").count() == 6
    assert "ikke sendt" in page.inner_text("#outbox-list")
    screenshot(page, "offline", "desk-offline-8-unsent")

    page.goto(board_url)
    page.locator("#offline-banner[data-unsent='8']").wait_for(timeout=15000)
    screenshot(page, "offline", "board-offline-8-unsent")

    page.context.set_offline(False)
    page.locator("#offline-banner[data-unsent='0']").wait_for(state="attached", timeout=30000)
    page.wait_for_function("document.querySelector('#offline-banner').hidden", timeout=30000)

    coordinator = {"Authorization": f"Bearer {e2e_server.token('coordinator')}"}
    log = requests.get(f"{e2e_server.url}/api/v1/incidents/{incident}/log", headers=coordinator, timeout=10).json()
    assert [e["text"] for e in log["entries"]] == LOG_LINES
    people = requests.get(
        f"{e2e_server.url}/api/v1/eps/{eps}/evacuees?reason=kontroll", headers=coordinator, timeout=10
    ).json()["evacuees"]
    assert [p["full_name"] for p in sorted(people, key=lambda p: p["id"])] == HOUSEHOLD
    # The second browser saw them arrive live, as any event.
    for line in LOG_LINES:
        watcher.locator("#log-list").get_by_text(line).wait_for(timeout=15000)
    screenshot(watcher, "offline", "watcher-sees-lines")

    # Privacy: once sent, nothing personal remains in IndexedDB or Cache Storage; nor after logout.
    stored = page.evaluate(DUMP_STORAGE)
    for secret in (*HOUSEHOLD, "Frakobletsen", PHONE, "Frakoblet vei"):
        assert secret not in stored
    page.goto(desk_url)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    page.locator("#people-rows .person-name").get_by_text(HOUSEHOLD[0]).wait_for(
        timeout=15000
    )  # the list was read online
    stored = page.evaluate(DUMP_STORAGE)
    assert "Frakobletsen" not in stored and PHONE not in stored
    page.click("form[action$='/logout'] button")
    page.wait_for_url(lambda u: "/login" in u)
    stored = page.evaluate(DUMP_STORAGE)
    assert "Frakobletsen" not in stored and PHONE not in stored
    # Pages and board data are forgotten too; only the app shell (code, styles, libraries) stays.
    names = page.evaluate("caches.keys()")
    assert names and all(name.startswith("beredskap-shell-") for name in names)
    assert LOG_LINES[0] not in stored
