"""R10 / issue 17 «Done when»: axe-core over every page each role can reach, found by crawling the app's links.

Per role: log in, start at the start page and follow every same-origin `a[href]` breadth first (no downloads, API,
static files, language switch or logout), after seeding one of each detail page (an incident board with a log line,
a task, a sitrep and an alert; an EPS centre with a person registered; a running and a finished exercise; the demo
meetings). Each page is checked with axe-core (WCAG 2.1 A/AA), and once more at phone width for the admin; the test
fails on any serious or critical violation and lists them all, page by page. The pages crawled per role are written
to test-output/axe_crawl/pages.json.
"""

import hashlib
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
import requests

from tests.conftest import output_dir
from tests.e2e.conftest import ROLES, login_page, run_axe

# Not pages: files, feeds, fragments for other pages, machine endpoints, and links that change the session.
SKIP_PATH = re.compile(
    r"^/(api|static|lang|logout|ack|healthz|sw\.js|manifest\.webmanifest|maps/basemap)(/|$)"
    r"|\.(pdf|csv|ics|yaml|yml|json|geojson|zip|xml|png|jpg|svg)$"
    r"|/card$"
)
# A page shape with ids ({id}) is checked for at most this many instances per role: /incidents/{id} for a real
# incident and for an exercise, not for every incident in the demo data. A page without ids is checked once, not
# again for each query string (?page=2, ?year=2025) it is linked with.
PER_SHAPE = 2
PHONE = {"width": 390, "height": 844}
MAX_PAGES = 80  # per role; the crawl fails loudly if a role reaches more, so the cap is never silent


def api(server, role: str, method: str, path: str, body: dict | None = None) -> dict:
    response = requests.request(
        method, server.url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {server.token(role)}"}
    )
    assert response.status_code < 400, (path, response.status_code, response.text[:300])
    return response.json() if response.content else {}


def seed(server) -> tuple[str, set[str]]:
    """One of each detail page, so the crawl reaches boards, a centre, a desk, exercises and meetings.

    Returns the path of a personal answer link (/ack/<token>) of the alert it sends, and the seeded pages, which the
    crawl checks whenever a role reaches them, whatever else of the same shape it has checked.
    """
    incident = api(
        server, "coordinator", "POST", "/api/v1/incidents", {"title": "Brann i Kvadraturen (axe)", "kind": "incident"}
    )
    iid = incident["id"]
    api(server, "coordinator", "POST", f"/api/v1/incidents/{iid}/log", {"text": "Brannvesenet er på stedet."})
    api(server, "coordinator", "POST", f"/api/v1/incidents/{iid}/tasks", {"title": "Varsle naboer", "assignee": "EPS"})
    sitrep = api(server, "coordinator", "POST", f"/api/v1/incidents/{iid}/sitreps", {"prefill": True})
    alert = {"group": "krisestab", "message": "Møt opp", "incident_id": iid}
    alert_id = api(server, "coordinator", "POST", "/api/v1/alerts", alert)["id"]
    centre = api(
        server, "police", "POST", f"/api/v1/incidents/{iid}/eps", {"name": "Kvadraturen skole", "capacity": 80}
    )
    person = {"full_name": "Ola Testesen", "birth_date": "1950-05-05", "address": "Markens gate 1, 4611 Kristiansand"}
    api(server, "police", "POST", f"/api/v1/eps/{centre['id']}/evacuees", person)

    scenario = {
        "title": "Storm over Kristiansand (axe)",
        "form": "spilløvelse",
        "purpose": "Universell utforming på øvingssidene.",
        "participants": [{"role": "kriseledelse", "description": "Kommunens kriseledelse"}],
        "objectives": [{"id": "M1", "text": "Etablere kriseledelse", "indicators": ["Innkalt innen 15 min"]}],
        "injects": [
            {"no": n, "at": at, "from": "Meteorologisk institutt", "to": "kriseledelse", "text": f"Farevarsel {n}"}
            for n, at in ((1, "01:00"), (2, "02:00"))
        ],
    }
    running = api(server, "exercise_planner", "POST", "/api/v1/exercises", scenario)["id"]
    run = api(server, "exercise_planner", "POST", f"/api/v1/exercises/{running}/start", {"speed": 1})
    injects = api(server, "exercise_planner", "GET", f"/api/v1/exercises/{running}/injects")["injects"]
    api(server, "exercise_planner", "POST", f"/api/v1/injects/{injects[0]['id']}/send")
    finished = api(
        server, "exercise_planner", "POST", "/api/v1/exercises", {**scenario, "title": "Storm (axe, holdt)"}
    )["id"]
    api(server, "exercise_planner", "POST", f"/api/v1/exercises/{finished}/start", {"speed": 1})
    api(server, "exercise_planner", "POST", f"/api/v1/exercises/{finished}/finish", {})
    messages = api(server, "coordinator", "GET", f"/api/v1/outbox?alert_id={alert_id}")["messages"]
    seeded = {
        f"/incidents/{iid}",
        f"/incidents/{iid}/sitreps/{sitrep['id']}",
        f"/incidents/{run['incident_id']}",  # the board with the exercise on it (issue 17)
        f"/eps/{centre['id']}",
        f"/eps/{centre['id']}/desk",
        f"/exercises/{running}/control",
        f"/exercises/{finished}/evaluation",
    }
    return urlsplit(messages[0]["ack_url"]).path, seeded


def shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$|\.)", "/{id}", path)


def same_origin_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.href).filter(h => h.startsWith('http'))"
    )
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP_PATH.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


# Counts the page's fetches and XHRs in flight, so the crawl waits for what scripts draw after load and no longer
# (Playwright's networkidle always waits 500 ms more, which is most of the crawl's time).
TRACK_REQUESTS = """(() => {
  let inflight = 0;
  window.__crawlIdleSince = performance.now();
  window.__crawlInflight = () => inflight;
  const start = () => { inflight += 1; };
  const end = () => { inflight -= 1; if (!inflight) window.__crawlIdleSince = performance.now(); };
  const fetch = window.fetch;
  window.fetch = function (...args) { start(); return fetch.apply(this, args).finally(end); };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    start();
    this.addEventListener("loadend", end);
    return send.apply(this, args);
  };
})();"""
# What decides axe's verdict on a page: its elements, their attributes and whether they hold text, in two parts:
# the page's own content (<main>) and the frame around it (banner, navigation, footer), which differs by role but
# not by page. A page whose content was judged for that page shape, in a frame already judged, is not judged again.
STRUCTURE = """() => {
  const main = document.querySelector("main");
  const parts = { main: [], frame: [] };
  for (const el of document.querySelectorAll("body *")) {
    const attrs = [...el.attributes]
      .filter((a) => /^(id|class|role|type|for|href|tabindex|hidden|disabled|aria-|alt|title|name|lang)/.test(a.name))
      .map((a) => a.name === "href" || a.name === "id" || a.name === "for" ? a.name : `${a.name}=${a.value}`);
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    parts[main && main.contains(el) ? "main" : "frame"].push(`${el.tagName}|${attrs.join(",")}|${text ? 1 : 0}`);
  }
  return [parts.main.join("\\n"), parts.frame.join("\\n")];
}"""
QUIET_MS = 100


def wait_settled(page) -> None:
    """Let the page's scripts draw what they fetch after load (boards, tables) before axe looks."""
    try:
        page.wait_for_function(
            f"() => !window.__crawlInflight || (window.__crawlInflight() === 0"
            f" && performance.now() - window.__crawlIdleSince > {QUIET_MS})",
            polling=50,
            timeout=5000,
        )
    except Exception:  # a page that keeps fetching is checked as it stands  # noqa: BLE001
        pass


def crawl(page, origin: str, verdicts: "Verdicts", seeded: set[str]) -> tuple[list[str], dict[str, list[dict]]]:
    """Breadth first from the start page; returns the pages checked and the violations found on each.

    `verdicts` is shared by the roles, so a page that looks the same to two roles is judged once.
    """
    queue: deque[str] = deque(["/"])
    seen: set[str] = {"/"}
    shapes: dict[str, int] = {}
    checked: list[str] = []
    violations: dict[str, list[dict]] = {}
    while queue:
        path = queue.popleft()
        key = shape(path.split("?")[0])
        if path not in seeded and shapes.get(key, 0) >= (PER_SHAPE if "{id}" in key else 1):
            continue
        response = page.goto(origin + path, wait_until="load")
        if (
            response is None
            or response.status >= 400
            or not response.headers.get("content-type", "").startswith("text/html")
        ):
            continue
        if urlsplit(page.url).path == "/login":
            continue
        shapes[key] = shapes.get(key, 0) + 1
        wait_settled(page)
        checked.append(path)
        assert len(checked) <= MAX_PAGES, f"more than {MAX_PAGES} pages: raise the cap or narrow the crawl"
        main, frame = (hashlib.sha256(part.encode()).hexdigest() for part in page.evaluate(STRUCTURE))
        if (key, main) in verdicts.judged and frame in verdicts.frames:
            found = verdicts.judged[(key, main)]  # the frame's own findings were reported where it was judged
        else:
            found = run_axe(page, _Origin(origin))
            verdicts.runs += 1
            verdicts.judged.setdefault((key, main), found)
            verdicts.frames.add(frame)
        if found:
            violations[path] = found
        for link in same_origin_links(page, origin):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return checked, violations


@dataclass
class Verdicts:
    """What axe said, shared by the roles: (page shape, content hash) → violations, and the frames judged."""

    judged: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    frames: set[str] = field(default_factory=set)
    runs: int = 0


class _Origin:
    """run_axe reads only `.url` from the server object."""

    def __init__(self, url: str):
        self.url = url


@pytest.mark.slow
@pytest.mark.timeout(900)  # some 400 pages on a shared machine; the suite's 300 s is for single scenarios
def test_every_page_each_role_reaches_has_no_serious_or_critical_axe_violation(browser, e2e_server):
    ack_path, seeded = seed(e2e_server)
    origin = e2e_server.url
    report: dict[str, dict] = {}
    failures: dict[str, dict] = {}
    verdicts = Verdicts()
    started = time.monotonic()

    # Not logged in: the login page, and the personal answer link of an alert (valid, and refused).
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo")
    anonymous = context.new_page()
    public = ["/login", ack_path, "/ack/ugyldig-lenke"]
    for path in public:
        anonymous.goto(origin + path)  # GET only shows the answer form; answering takes a POST
        found = run_axe(anonymous, e2e_server)
        if found:
            failures.setdefault("anonymous", {})[path] = found
    report["anonymous"] = {"pages": public}
    context.close()

    for role in ROLES:
        page = login_page(browser, e2e_server, role)
        page.context.add_init_script(TRACK_REQUESTS)
        role_started = time.monotonic()
        checked, violations = crawl(page, origin, verdicts, seeded)
        page.context.close()
        report[role] = {"pages": checked, "seconds": round(time.monotonic() - role_started, 1)}
        if violations:
            failures[role] = violations
    # Once more at phone width as the admin, who reaches the most: tables that fit a desk overflow a phone.
    page = login_page(browser, e2e_server, "admin", viewport=PHONE)
    page.context.add_init_script(TRACK_REQUESTS)
    role_started = time.monotonic()
    checked, violations = crawl(page, origin, Verdicts(), seeded)
    page.context.close()
    report["admin-phone"] = {"pages": checked, "seconds": round(time.monotonic() - role_started, 1)}
    if violations:
        failures["admin-phone"] = violations
    report["axe_runs"] = verdicts.runs
    report["total_seconds"] = round(time.monotonic() - started, 1)
    report["failures"] = failures
    out = output_dir("axe_crawl") / "pages.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    for role in ROLES:
        assert len(report[role]["pages"]) >= 8, (role, report[role]["pages"])
    everyone = set.intersection(*(set(report[role]["pages"]) for role in ROLES))
    assert {p for p in seeded if not p.startswith(("/eps/", "/exercises/"))} <= everyone
    assert failures == {}, json.dumps(failures, ensure_ascii=False, indent=1)
