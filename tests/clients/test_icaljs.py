"""Every iCalendar feed the app serves, read by Mozilla's ical.js (Thunderbird's parser) under Node.

The check a user makes: does a meeting show at the time the app says? ical.js resolves each TZID through the
feed's own VTIMEZONE, so a timezone block it misreads shows as a start an hour off.
"""

import json
import shutil
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO, Api, gen_user

OSLO = ZoneInfo("Europe/Oslo")
SCRIPT = REPO / "tests" / "clients" / "icaljs_starts.mjs"
# Winter and summer time in every year of the agreement, so every VTIMEZONE change is crossed.
TIMES = {
    "formannskap-var": (3, 10, 9, 30),
    "politirad-var": (4, 21, 12, 0),
    "regionalt-politirad": (6, 3, 10, 0),
    "politirad-host": (10, 15, 9, 0),
    "formannskap-host": (11, 12, 13, 15),
}


def icaljs_starts(files) -> dict[str, dict[str, str]]:
    node = shutil.which("node")
    assert node, "Node.js is needed (make setup installs ical.js with npm)"
    done = subprocess.run(
        [node, str(SCRIPT), *map(str, files)], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_icaljs_reads_every_served_feed_with_the_apps_local_start_times(app, tmp_path):
    client = app.test_client()
    coordinator = Api(client, gen_user(app, "prevention_coordinator")[3])
    viewer = Api(client, gen_user(app, "viewer")[3])
    years = range(2025, 2029)
    for year in years:
        dates = {key: f"{year}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}" for key, (m, d, h, mi) in TIMES.items()}
        response = coordinator.post(f"/api/v1/cooperation/annual-cycle/{year}/dates", json={"dates": dates})
        assert response.status_code == 200, response.json

    # The app's own local start of every timed event, as its API gives them.
    expected: dict[str, str] = {}
    for year in years:
        for item in viewer.get(f"/api/v1/cooperation/annual-cycle/{year}").json["items"]:
            if item.get("date") and "T" in item["date"]:
                local = datetime.fromisoformat(item["date"]).astimezone(OSLO)
                expected[f"{item['key']}-{year}@beredskap"] = local.strftime("%Y-%m-%d %H:%M")
    assert len(expected) >= len(TIMES) * len(years)

    feeds = {}
    for year in years:
        feeds[f"year-{year}"] = viewer.get(f"/cooperation/annual-cycle/{year}.ics")
    token_url = viewer.post("/api/v1/cooperation/calendar-token").json["url"]
    feeds["subscription"] = client.get(token_url.split("localhost", 1)[1])
    files = []
    for name, response in feeds.items():
        assert response.status_code == 200 and response.mimetype == "text/calendar", name
        path = tmp_path / f"{name}.ics"
        path.write_bytes(response.data)
        files.append(path)

    read = icaljs_starts(files)
    for path in files:
        starts = read[str(path)]
        assert starts, path.name
        for uid, instant in starts.items():
            local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(OSLO)
            assert local.strftime("%Y-%m-%d %H:%M") == expected[uid], (path.name, uid)
    assert set(read[str(tmp_path / "subscription.ics")]) == set(expected)


def test_icaljs_script_fails_loudly_on_a_broken_file(tmp_path):
    path = tmp_path / "broken.ics"
    path.write_text("BEGIN:VCALENDAR\r\nnot ical\r\n")
    with pytest.raises(subprocess.CalledProcessError):
        icaljs_starts([path])
