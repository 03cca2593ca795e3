"""The English switch in a real browser: the board, the map and the EPS desk in English, the text the scripts draw
(log lines, the connection state, a table header built in JS, a check-out button) included."""

import re

import requests

from tests.e2e.conftest import screenshot

# Words of the Norwegian interface that English pages must not show (user data in these tests is English).
NORWEGIAN = re.compile(
    r"\b(Lagre|Avbryt|Ingen|Hendelsen|Loggfør|Oppgaver|Ansvarlig|tilkoblet|kobler|Sjekk ut|til stede|"
    r"Bydel|Personer|anslag|Frist|Endre|Slett|Åpne|Søk|ØVELSE|åååå)\b"
)


def _api(server, method: str, path: str, role: str = "coordinator", body=None):
    response = requests.request(
        method, server.url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {server.token(role)}"}
    )
    assert response.status_code < 400, (path, response.status_code, response.text[:300])
    return response.json()


def _in_english(login_as, server, role: str, path: str):
    page = login_as(role)
    page.goto(f"{server.url}/lang/en?next={path}")
    assert page.get_attribute("html", "lang") == "en"
    return page


def _norwegian_in(text: str) -> list[str]:
    return sorted(set(NORWEGIAN.findall(text)))


def test_board_in_english_with_the_lines_the_script_draws(login_as, e2e_server):
    incident = _api(
        e2e_server,
        "POST",
        "/api/v1/incidents",
        body={"title": "Flood exercise (English e2e)", "kind": "exercise", "type": "flom", "severity": 2},
    )
    page = _in_english(login_as, e2e_server, "crisis_staff", f"/incidents/{incident['id']}")
    page.locator("#board[data-ready=true]").wait_for(timeout=15000)
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert page.locator("#conn-state").inner_text() == "connected"
    assert page.locator("#incident-facts").inner_text().count("Flood") == 1  # the type title, from the vocabulary

    page.keyboard.type("! Water over the road at Lundsbroa")
    page.keyboard.press("Enter")
    line = page.locator("#log-list .log-entry", has_text="Water over the road at Lundsbroa")
    line.wait_for(timeout=10000)
    assert "Information" in line.inner_text() and "IMPORTANT" in line.inner_text()
    assert "Correct" in line.inner_text()
    assert page.locator("#log-count").inner_text() == "1 log entries"
    assert page.locator("#log-view-h").inner_text() == "The whole log, newest first"
    page.locator("#announcer").filter(has_text="Logged as no. 1.").wait_for(timeout=5000)
    main = page.locator("main").inner_text()
    assert _norwegian_in(main) == [], _norwegian_in(main)
    shot = screenshot(page, "i18n", "board-en")
    assert shot.stat().st_size > 20_000


def test_map_analysis_in_english_with_its_table_built_in_js(login_as, e2e_server):
    page = _in_english(login_as, e2e_server, "coordinator", "/map")
    page.locator("#map-app[data-ready='1']").wait_for(timeout=30000)
    page.fill("#circle-lon", "7.995")
    page.fill("#circle-lat", "58.146")
    page.fill("#circle-radius", "1500")
    page.locator("#circle-radius").press("Enter")
    page.locator("#population-estimate").wait_for(timeout=20000)
    headers = page.locator("#analysis-body table thead th").all_inner_texts()
    assert headers == ["District", "People (estimate)"]
    assert "people live in the zone" in page.locator("#analysis-body").inner_text()
    assert "Nearest EPS candidates outside the zone" in page.locator("#analysis-body").inner_text()
    # Numbers follow the language: English groups thousands with a comma (Norwegian with a space).
    number = page.locator("#population-estimate")
    value = int(number.get_attribute("data-value"))
    assert value >= 1000
    assert number.inner_text() == f"{value:,}"
    text = page.locator("#analysis-body").inner_text() + page.locator("aside, nav").first.inner_text()
    assert _norwegian_in(text) == [], _norwegian_in(text)
    screenshot(page, "i18n", "map-en")


def test_eps_desk_in_english(login_as, e2e_server):
    incident = _api(
        e2e_server,
        "POST",
        "/api/v1/incidents",
        role="police",
        body={"title": "Exercise EPS (English)", "kind": "exercise"},
    )
    centre = _api(
        e2e_server,
        "POST",
        f"/api/v1/incidents/{incident['id']}/eps",
        role="police",
        body={"name": "Gimle hall", "capacity": 40},
    )
    page = _in_english(login_as, e2e_server, "eps_staff", f"/eps/{centre['id']}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    assert page.locator(".exercise-banner").inner_text().startswith("EXERCISE")
    page.locator("#m0-name").fill("Anna Smith")
    page.locator("#m0-name").press("Enter")
    row = page.locator("#people-rows tr", has_text="Anna Smith")
    # The row is first the desk's own unsent copy («not sent»); the server's row, with its actions, replaces it.
    row.get_by_text("Check out").wait_for(timeout=15000)
    assert "Health/medication" in page.locator("#reg-form").inner_text()  # the vocabulary's need titles
    page.locator("#occ-figure", has_text="1 of 40 present").wait_for(timeout=10000)  # the live count follows the row
    main = page.locator("main").inner_text()
    assert _norwegian_in(main) == [], _norwegian_in(main)
    screenshot(page, "i18n", "eps-desk-en")


def test_other_pages_label_their_controls_in_english(login_as, e2e_server):
    page = _in_english(login_as, e2e_server, "admin", "/")
    found = {}
    for path in ["/", "/incidents", "/roster", "/exercises", "/eps", "/cooperation", "/utsendinger", "/admin/users"]:
        response = page.goto(e2e_server.url + path)
        if response.status == 404:
            continue
        assert page.get_attribute("html", "lang") == "en"
        # Controls and headings are interface text (the demo data inside lists and tables stays Norwegian).
        texts = page.locator("main button, main label, main th, main h1, main h2, main legend, main summary")
        words = _norwegian_in("\n".join(texts.all_inner_texts()))
        if words:
            found[path] = words
        screenshot(page, "i18n", "page-en" + path.replace("/", "-"))
    assert not found, found
