"""Tests for the årshjul rules of the samarbeidsavtale."""

from collections import Counter
from datetime import date, datetime

import pytest

from beredskap.cooperation.cycle import (
    KINDS,
    build_annual_cycle,
    host_for_year,
    overdue_decisions,
)
from tests.cooperation.conftest import CYCLE_KINDS

AGREEMENT_YEARS = [2025, 2026, 2027, 2028]


def _by_key(cycle: dict) -> dict[str, dict]:
    return {item["key"]: item for item in cycle["items"]}


@pytest.mark.parametrize("year", AGREEMENT_YEARS)
def test_each_year_has_the_agreed_number_of_items_per_kind(year):
    cycle = build_annual_cycle(year)

    assert cycle["year"] == year
    assert Counter(item["kind"] for item in cycle["items"]) == CYCLE_KINDS
    assert set(KINDS) == {item["kind"] for item in cycle["items"]}


@pytest.mark.parametrize("year", AGREEMENT_YEARS)
def test_every_item_has_title_key_and_month_and_no_date_unless_fixed(year):
    cycle = build_annual_cycle(year)

    keys = [item["key"] for item in cycle["items"]]
    assert len(keys) == len(set(keys))
    for item in cycle["items"]:
        assert item["title"]
        assert 1 <= item["month"] <= 12
        assert "date" not in item
    months = [item["month"] for item in cycle["items"]]
    assert months == sorted(months)


def test_politirad_host_alternates_by_year_and_both_meetings_share_it():
    hosts = {}
    for year in AGREEMENT_YEARS:
        meetings = [item for item in build_annual_cycle(year)["items"] if item["kind"] == "politirad"]
        assert {item["season"] for item in meetings} == {"var", "host"}
        assert meetings[0]["host"] == meetings[1]["host"]
        hosts[year] = meetings[0]["host"]

    assert hosts == {2025: "kommune", 2026: "politi", 2027: "kommune", 2028: "politi"}


def test_first_host_is_a_setting():
    hosts = [
        _by_key(build_annual_cycle(year, first_host="politi"))["politirad-var"]["host"] for year in AGREEMENT_YEARS
    ]

    assert hosts == ["politi", "kommune", "politi", "kommune"]


def test_host_for_year_alternates_from_the_first_host_year():
    assert host_for_year(2025, 2025, "kommune") == "kommune"
    assert host_for_year(2026, 2025, "kommune") == "politi"
    assert host_for_year(2030, 2025, "politi") == "kommune"
    assert host_for_year(2024, 2025, "kommune") == "politi"
    with pytest.raises(ValueError):
        host_for_year(2025, 2025, "fylket")


@pytest.mark.parametrize("year", AGREEMENT_YEARS)
def test_spring_formannskap_is_on_youth_crime_with_the_oversiktsbilde(year):
    items = _by_key(build_annual_cycle(year))
    spring, autumn = items["formannskap-var"], items["formannskap-host"]

    assert spring["season"] == "var" and autumn["season"] == "host"
    assert "barne- og ungdomskriminalitet" in spring["topic"].lower()
    assert "oversiktsbilde" in spring["topic"].lower()
    assert "ungdomskriminalitet" not in autumn["topic"].lower()
    assert spring["month"] < autumn["month"]
    assert items["oversiktsbilde"]["month"] == spring["month"]


def test_autumn_politirad_fixes_next_years_dates_and_hosts_the_evaluation():
    items = _by_key(build_annual_cycle(2026))

    assert "2027" in items["politirad-host"]["topic"]
    assert items["avtaleevaluering"]["month"] == items["politirad-host"]["month"]
    assert items["politirad-var"]["month"] < items["politirad-host"]["month"]


def test_fixed_dates_are_set_and_follow_into_tied_items():
    meeting = datetime(2027, 10, 14, 9, 0)
    cycle = build_annual_cycle(2027, fixed_dates={"politirad-host": meeting, "formannskap-var": date(2027, 2, 25)})
    items = _by_key(cycle)

    assert items["politirad-host"]["date"] == meeting
    assert items["avtaleevaluering"]["date"] == meeting
    assert items["formannskap-var"]["date"] == date(2027, 2, 25)
    assert items["formannskap-var"]["month"] == 2
    assert items["oversiktsbilde"]["date"] == date(2027, 2, 25)
    assert "date" not in items["politirad-var"]
    months = [item["month"] for item in cycle["items"]]
    assert months == sorted(months)


@pytest.mark.parametrize(
    "fixed",
    [
        {"politirad-vinter": date(2026, 1, 1)},
        {"politirad-var": date(2027, 4, 1)},
        {"politirad-var": "2026-04-01"},
    ],
)
def test_bad_fixed_dates_are_refused(fixed):
    with pytest.raises(ValueError):
        build_annual_cycle(2026, fixed_dates=fixed)


@pytest.mark.parametrize("year", [2024, 2029])
def test_years_outside_the_agreement_are_refused(year):
    with pytest.raises(ValueError):
        build_annual_cycle(year)


def test_agreement_period_is_a_setting():
    assert build_annual_cycle(2029, agreement_end=2032)["year"] == 2029


def test_overdue_decisions_are_past_due_and_not_done_earliest_first():
    decisions = [
        {"id": 1, "due": date(2026, 3, 1), "status": "open"},
        {"id": 2, "due": date(2026, 1, 15), "status": "started"},
        {"id": 3, "due": date(2026, 2, 1), "status": "done"},
        {"id": 4, "due": date(2026, 5, 1), "status": "open"},
        {"id": 5, "due": None, "status": "open"},
        {"id": 6, "due": date(2026, 4, 10), "status": "open"},
        {"id": 7, "due": "2026-02-20", "status": "open"},
    ]

    overdue = overdue_decisions(decisions, on=date(2026, 4, 10))

    assert [decision["id"] for decision in overdue] == [2, 7, 1]
    assert overdue_decisions(decisions, on=date(2025, 1, 1)) == []
