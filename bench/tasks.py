"""`python -m bench.tasks` (`make bench-tasks`): issue 17's key tasks, performed in Chromium as a trained user would,
keyboard first, counted in actions and seconds → bench/tasks.md and the `T-*` entries of bench/results.json.

These are not tests: nothing here asserts. Each task is set up through the API (not counted), then done in the
browser from the page the user is on when the task arrives. See bench/tasks_actor.py for what counts as an action.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import requests

from bench.tasks_actor import SECONDS_PER_ACTION, TYPIST_CHARS_PER_SECOND, Actor, Outcome
from tests.conftest import ServerProcess, cli, prepare_database
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, create_role_users, login_page

HERE = Path(__file__).resolve().parent
LOCATION = [7.994309, 58.145153]  # Markens gate 16, Kvadraturen


class Site:
    """A demo-seeded server (SQLite, as `make run`) with one user per role."""

    def __init__(self, root: Path) -> None:
        instance = root / "instance"
        url = f"sqlite:///{root / 'tasks.db'}"
        prepare_database(url, instance)
        seeded = cli(url, instance, "demo", "seed")
        if seeded.returncode:
            raise RuntimeError(seeded.stderr[-500:])
        self.creds, self.tokens = create_role_users(url, instance)
        self.server = ServerProcess(url, instance, env={"BEREDSKAP_SCHEDULER_INTERVAL": "0.2"}).start()
        self.url = self.server.url

    def api(self, method: str, path: str, role: str = "coordinator", body: dict | None = None) -> dict:
        response = requests.request(
            method, self.url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {self.tokens[role]}"}
        )
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else {}

    def incident(self, title: str, **extra) -> dict:
        return self.api("POST", "/api/v1/incidents", body={"title": title, "kind": "exercise", **extra})

    def login(self, browser, role: str):
        return login_page(browser, self, role, viewport={"width": 1366, "height": 900})

    def board(self, browser, role: str, incident_id: int):
        page = self.login(browser, role)
        page.goto(f"{self.url}/incidents/{incident_id}")
        page.locator("#board[data-ready=true]").wait_for(timeout=15000)
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
        return page

    def stop(self) -> None:
        self.server.stop()


def log_line(site: Site, browser) -> Outcome:
    incident = site.incident("Øvelse: brann i Kvadraturen (logg)")
    page = site.board(browser, "crisis_staff", incident["id"])
    user = Actor(page).start()
    user.type("Røykdykkere inne i bygget, to personer savnet")
    user.key("Enter")
    page.locator("#log-list", has_text="to personer savnet").wait_for(timeout=15000)
    out = user.outcome("T-log", "Loggføring på tavla", goal_actions=1)
    page.context.close()
    return out


def household(site: Site, browser) -> Outcome:
    incident = site.incident("Øvelse: evakuering Lund (EPS)")
    centre = site.api(
        "POST", f"/api/v1/incidents/{incident['id']}/eps", "police", {"name": "Lund skole", "capacity": 80}
    )
    page = site.login(browser, "eps_staff")
    page.goto(f"{site.url}/eps/{centre['id']}/desk")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    user = Actor(page).start()
    user.type("Per Hansen")
    user.key("Tab")
    user.type("02.04.1961")
    user.key("Tab")
    user.type("41234567")
    user.key("Tab")
    user.type("Tordenskjolds gate 77, 4612 Kristiansand")
    user.key("Alt+h")
    user.type("Kari Hansen")
    user.key("Tab")
    user.type("1963")
    user.key("Alt+h")
    user.type("Ola Hansen")
    user.key("Tab")
    user.type("2012")
    user.key("Enter")
    page.locator("#people-rows tr", has_text="Ola Hansen").wait_for(timeout=15000)
    page.locator("#people-rows tr[data-evacuee-id]").nth(2).wait_for(timeout=15000)
    out = user.outcome("T-household", "Husstand på 3 registrert i EPS-skranken", goal_actions=12, goal_seconds=30)
    page.context.close()
    return out


def alert_krisestab(site: Site, browser) -> Outcome:
    incident = site.incident("Øvelse: gasslekkasje Vågsbygd (varsling)")
    page = site.board(browser, "coordinator", incident["id"])
    page.locator("#alert-quick-group option[value=krisestab]").wait_for(state="attached", timeout=15000)
    user = Actor(page).start()
    user.click(page.locator("#alert-quick-send"), "«Varsle»")
    page.locator("#alert-quick-status", has_text="er sendt til").wait_for(timeout=15000)
    out = user.outcome("T-alert", "Krisestaben varslet fra tavla", goal_actions=3)
    page.context.close()
    return out


def _map_point(page, lon: float, lat: float) -> tuple[float, float]:
    box = page.locator("#board-map").bounding_box()
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.beredskapBoardMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    return box["x"] + x, box["y"] + y


def zone_and_eps(site: Site, browser) -> tuple[Outcome, Outcome]:
    """A zone dragged on the board's map with its population read; then EPS opened from a candidate of it."""
    incident = site.incident(
        "Øvelse: farlig gods Kvadraturen (sone)", location={"type": "Point", "coordinates": LOCATION}
    )
    page = site.board(browser, "coordinator", incident["id"])
    page.locator("#board-map[data-basemap='ready']").wait_for(timeout=30000)
    user = Actor(page).start()
    user.key("Alt+Shift+Z")
    page.locator("#board-zone-circle[aria-pressed=true]").wait_for(timeout=5000)
    page.wait_for_timeout(300)  # the smooth scroll settles before the hand moves
    centre = _map_point(page, *LOCATION)
    edge = _map_point(page, LOCATION[0] + 0.004, LOCATION[1])
    user.drag(centre, edge, "sonen i kartet")
    message = page.locator("#board-map-msg", has_text="personer")
    message.wait_for(timeout=30000)
    read = user.visible_now(message)
    note = f"«{message.inner_text()}»" + ("" if read else " – utenfor synsfeltet")
    zone = user.outcome("T-zone", "Sone tegnet og befolkning lest", goal_actions=2, note=note)
    if not read:
        zone.actions += 1
        zone.steps.append("rull for å lese")

    user.start()
    page.once("dialog", lambda dialog: dialog.accept())
    first = page.locator(".open-eps").first
    user.click(first, "«Åpne EPS her»")
    user.steps.append("bekreft (OK i dialogen)")
    user.actions += 1
    page.locator("#board-map-msg", has_text="er åpnet").wait_for(timeout=15000)
    eps = user.outcome("T-eps", "EPS åpnet fra en sonekandidat", goal_actions=3)
    page.context.close()
    return zone, eps


def sitrep(site: Site, browser) -> Outcome:
    incident = site.incident("Øvelse: flom i Otra (situasjonsrapport)")
    site.api("POST", f"/api/v1/incidents/{incident['id']}/sitreps", body={"prefill": True})
    page = site.board(browser, "coordinator", incident["id"])
    page.locator("#sitrep-list li").first.wait_for(timeout=15000)
    user = Actor(page).start()
    user.key("Alt+Shift+R")
    page.wait_for_timeout(300)
    user.click(page.locator("#sitrep-list li a", has_text="Åpne").first, "«Åpne» rapporten")
    page.wait_for_url("**/sitreps/**")
    user.click(page.get_by_role("button", name="Godkjenn rapporten"), "«Godkjenn rapporten»")
    page.locator(".sitrep-facts .sitrep-approved").wait_for(timeout=15000)
    with page.expect_response(lambda r: "sitrep.pdf" in r.url, timeout=60000) as response:
        user.click(page.get_by_role("link", name="Last ned som PDF"), "«Last ned som PDF»")
    pdf = response.value
    # Chromium's PDF viewer takes the body of the navigation: the check fetches it again in the same session.
    again = page.context.request.get(pdf.url)
    opened = pdf.ok and pdf.headers.get("content-type") == "application/pdf" and again.body()[:5] == b"%PDF-"
    out = user.outcome("T-sitrep", "Situasjonsrapport godkjent og PDF åpnet", goal_actions=4)
    out.done = opened
    out.note = f"{pdf.headers.get('content-disposition')}" if opened else "PDF-en ble ikke vist"

    page.context.close()
    return out


def politirad(site: Site, browser) -> Outcome:
    meeting = site.api(
        "POST",
        "/api/v1/cooperation/meetings",
        "prevention_coordinator",
        {"kind": "politirad", "date": "2027-05-05T12:00+02:00", "title": "Ekstra politiråd mai 2027"},
    )
    site.api(
        "POST",
        f"/api/v1/cooperation/meetings/{meeting['id']}/items",
        "prevention_coordinator",
        {"title": "Trygghet i sentrum i sommer", "kind": "drøfting", "note": "Saksnotat fra sekretariatet."},
    )
    page = site.login(browser, "police")
    page.goto(f"{site.url}/cooperation/meetings/{meeting['id']}")
    page.locator("#conn-state[data-state=connected]").wait_for(timeout=15000)
    user = Actor(page).start()
    user.select(page.locator("#approve-station"), "politi-kristiansand", "politistasjon")
    user.click(page.locator("#approve-politi"), "«Godkjenn» for politiet")
    page.locator("#approval-politi[data-approved=true]").wait_for(timeout=15000)
    out = user.outcome("T-politirad", "Politirådets saksliste godkjent for én part", goal_actions=3)
    page.context.close()
    return out


TASKS = (log_line, household, alert_krisestab, zone_and_eps, sitrep, politirad)


def write(outcomes: list[Outcome], elapsed: float) -> None:
    results_path = HERE / "results.json"
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    results.update({o.id: o.as_json() for o in outcomes})
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    lines = [
        "# Oppgaver målt som en trenet bruker (issue 17)",
        "",
        f"`make bench-tasks` ({time.strftime('%Y-%m-%d %H:%M %Z')}, {elapsed:.0f} s, lastsnitt "
        f"{os.getloadavg()[0]:.1f}): Chromium mot `python wsgi.py` på SQLite med demodataene, 1366×900.",
        "",
        "- **Handlinger**: hver tast eller tastekombinasjon utenom skrevet tekst, hvert klikk, hvert drag og hver "
        "rulling (et klikk utenfor synsfeltet koster en rulling først). Skrevet tekst teller ikke.",
        f"- **Sekunder**: maskinens tid fra første handling til svaret vises, pluss skriving med "
        f"{TYPIST_CHARS_PER_SECOND:.0f} tegn/s og {SECONDS_PER_ACTION} s per handling (en trenet bruker).",
        "",
        "| oppgave | handlinger | mål | sekunder (maskin / bruker) | mål | nådd | slik |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        goal_s = f"≤ {o.goal_seconds:.0f} s" if o.goal_seconds else "–"
        steps = ", ".join(o.steps).replace("|", "/")
        lines.append(
            f"| {o.task} | {o.actions} | ≤ {o.goal_actions} | {o.seconds:.2f} / {o.user_seconds:.1f} | {goal_s} | "
            f"{'ja' if o.met else 'NEI'} | {steps}{' – ' + o.note if o.note else ''} |"
        )
    (HERE / "tasks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-tasks-") as root:
        site = Site(Path(root))
        outcomes: list[Outcome] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                for task in TASKS:
                    done = task(site, browser)
                    outcomes.extend(done if isinstance(done, tuple) else [done])
                browser.close()
        finally:
            site.stop()
    write(outcomes, time.monotonic() - started)


if __name__ == "__main__":
    main()
