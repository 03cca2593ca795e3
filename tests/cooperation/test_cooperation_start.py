"""The cooperation page opens on current and coming meetings; approval is offered only for an agenda with items
(issue 21, point 4)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from beredskap.clock import utcnow
from tests.conftest import login

OSLO = ZoneInfo("Europe/Oslo")


def _meeting(api, when, title, kind="politirad"):
    response = api.post(
        "/api/v1/cooperation/meetings",
        json={"kind": kind, "date": when.astimezone(OSLO).isoformat(timespec="minutes"), "title": title},
    )
    assert response.status_code == 201, response.json
    return response.json


def _page(app, users, role, path):
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_opens_on_the_year_of_the_next_meeting_with_current_and_coming_meetings_first(app, users, api_for):
    writer = api_for("prevention_coordinator")
    now = utcnow()
    held = _meeting(writer, now - timedelta(days=40), "Politirådsmøte som er holdt")
    coming = _meeting(writer, now + timedelta(days=75), "Neste politirådsmøte")
    html = _page(app, users, "viewer", "/cooperation")
    next_year = (now + timedelta(days=75)).astimezone(OSLO).year
    assert f"Årshjul {next_year}" in html and f'aria-current="page">{next_year}<' in html
    # Current and coming meetings come before the årshjul, and a held meeting is not among them.
    upcoming = html[html.index('id="upcoming-meetings"') : html.index('id="cycle-region"')]
    assert "Nå og kommende møter" in html[: html.index('id="cycle-region"')]
    assert f'data-meeting-id="{coming["id"]}"' in upcoming and held["title"] not in upcoming
    # Any year of the agreement can still be chosen.
    assert "Årshjul 2025" in _page(app, users, "viewer", "/cooperation?year=2025")


def test_a_meeting_that_began_earlier_today_is_still_current(app, users, api_for):
    writer = api_for("prevention_coordinator")
    now = utcnow()
    start_of_day = now.astimezone(OSLO).replace(hour=0, minute=1, second=0, microsecond=0)
    if start_of_day >= now:
        return  # the first minute of the day: nothing can have begun earlier today
    begun = _meeting(writer, start_of_day, "Politirådsmøte i dag")
    html = _page(app, users, "viewer", "/cooperation")
    upcoming = html[html.index('id="upcoming-meetings"') : html.index('id="cycle-region"')]
    assert f'data-meeting-id="{begun["id"]}"' in upcoming


def test_approval_controls_appear_only_when_the_agenda_has_items_and_say_why_otherwise(app, users, api_for):
    writer = api_for("prevention_coordinator")
    # A politiråd always carries the standing item «Felles fokusområder og tiltak»; a formannskap meeting starts empty.
    meeting = _meeting(writer, utcnow() + timedelta(days=30), "Formannskapsmøte uten saker", kind="formannskap")
    path = f"/cooperation/meetings/{meeting['id']}"

    empty = {role: _page(app, users, role, path) for role in ("police", "prevention_coordinator", "viewer")}
    assert 'id="approve-politi"' not in empty["police"]
    assert 'id="approve-kommune"' not in empty["prevention_coordinator"]
    assert 'id="send-agenda"' not in empty["prevention_coordinator"]
    for html in empty.values():
        assert 'id="approval-blocked"' in html and "ingen saker ennå" in html
    assert 'href="#new-item-title"' in empty["prevention_coordinator"]
    assert 'href="#new-item-title"' not in empty["viewer"]

    added = writer.post(
        f"/api/v1/cooperation/meetings/{meeting['id']}/items",
        json={"title": "Status for samarbeidsrutinene", "kind": "orientering", "note": "Saksnotat."},
    )
    assert added.status_code == 201
    police = _page(app, users, "police", path)
    assert 'id="approve-politi"' in police and 'id="approval-blocked"' not in police
    assert 'id="approve-kommune"' in _page(app, users, "prevention_coordinator", path)
