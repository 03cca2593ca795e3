"""The § 7 clock: last exercise of the preparedness plan, and warnings as the two-year limit approaches or passes."""

from datetime import date, timedelta

import pytest

from beredskap.clock import utcnow
from beredskap.exercises.planclock import add_years, clock_warning, plan_clock
from beredskap.exercises.queries import OSLO
from tests.conftest import login

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("last", "state", "days_left"),
    [
        (None, "never", None),
        (date(2025, 6, 15), "ok", 365),
        (date(2024, 9, 13), "ok", 90),
        (date(2024, 9, 12), "soon", 89),
        (date(2024, 6, 15), "soon", 0),
        (date(2024, 6, 14), "overdue", -1),
    ],
)
def test_plan_clock_states(last, state, days_left):
    clock = plan_clock(last, TODAY)

    assert clock.state == state and clock.days_left == days_left
    assert (clock_warning(clock) is None) == (state == "ok")


def test_two_years_after_a_leap_day():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert plan_clock(date(2024, 2, 29), date(2026, 2, 28)).state == "soon"
    assert plan_clock(date(2024, 2, 29), date(2026, 3, 1)).state == "overdue"


def test_warnings_name_the_regulation_and_the_date():
    assert "§ 7" in clock_warning(plan_clock(None, TODAY))
    soon = clock_warning(plan_clock(date(2024, 8, 1), TODAY))
    assert "01.08.2026" in soon and "47 dager" in soon
    assert "gikk ut 14.06.2026" in clock_warning(plan_clock(date(2024, 6, 14), TODAY))


def finish(api, scenario, title: str, held_on: date, counts: bool = True) -> int:
    planner = api("exercise_planner")
    created = planner.post("/api/v1/exercises", json={**scenario(title), "counts_for_plan": counts}).json
    assert (
        planner.post(f"/api/v1/exercises/{created['id']}/finish", json={"held_on": held_on.isoformat()}).status_code
        == 200
    )
    return created["id"]


def start_page(app, users, role="coordinator") -> str:
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    return client.get("/").get_data(as_text=True)


def test_start_page_warns_when_the_plan_was_never_exercised(app, users):
    assert "Det er ikke registrert noen gjennomført øvelse av beredskapsplanen" in start_page(app, users)


def test_start_page_shows_the_last_exercise_and_warns_as_the_limit_approaches(app, api_for, users, scenario):
    today = utcnow().astimezone(OSLO).date()
    long_ago = add_years(today, -2) + timedelta(days=30)
    finish(api_for, scenario, "Gammel flomøvelse", long_ago)
    finish(api_for, scenario, "Kaffeprat som ikke teller", today, counts=False)

    page = start_page(app, users)

    assert f"Beredskapsplanen sist øvd {long_ago.strftime('%d.%m.%Y')}: Gammel flomøvelse" in page
    assert "må øves innen" in page and "om 30 dager" in page
    status = api_for("viewer").get("/api/v1/exercises/plan-clock").json
    assert status["state"] == "soon" and status["last_exercise"]["title"] == "Gammel flomøvelse"


def test_a_recent_exercise_clears_the_warning(app, api_for, users, scenario):
    today = utcnow().astimezone(OSLO).date()
    finish(api_for, scenario, "Gammel flomøvelse", add_years(today, -3))
    assert api_for("viewer").get("/api/v1/exercises/plan-clock").json["state"] == "overdue"
    finish(api_for, scenario, "Ny stabsøvelse", today - timedelta(days=10))

    page = start_page(app, users)

    assert "Ny stabsøvelse" in page and "må øves innen" not in page and "gikk ut" not in page
    assert api_for("viewer").get("/api/v1/exercises/plan-clock").json["state"] == "ok"
