"""Tests that every scenario shipped in exercises/ is valid, complete and usable as a dreiebok."""

import re
from pathlib import Path

import pytest

from beredskap.exercises.scenario import (
    parse_scenario_yaml,
)
from beredskap.exercises.scenario_files import dump_dreiebok_csv, dump_scenario_yaml, parse_dreiebok_csv
from beredskap.exercises.schedule import offset_seconds

LIBRARY = Path(__file__).resolve().parents[2] / "exercises"
SHIPPED = sorted(LIBRARY.glob("*.yaml"))

# Teams from the roster (CONTRACT §9) and the other roles the dreiebøker address.
KNOWN_RECIPIENTS = {
    "beredskapskoordinator",
    "eps_ledelse",
    "helse_og_omsorg",
    "kommunalteknikk",
    "kommunikasjon",
    "kriseledelse",
    "krisestab",
    "politi",
    "psykososialt_kriseteam",
}
KNOWN_CHANNELS = {"telefon", "e-post", "radio", "sosiale medier", "møte", "sms"}


def load(path):
    return parse_scenario_yaml(path.read_text(encoding="utf-8"))


def test_library_has_the_three_kristiansand_scenarios_at_least():
    names = {path.name for path in SHIPPED}

    assert len(SHIPPED) >= 3
    assert {"flom-otra.yaml", "brann-kvadraturen.yaml", "e18-ulykke.yaml"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_scenario_is_valid_and_complete(path):
    scenario = load(path)

    assert 15 <= len(scenario["injects"]) <= 40
    assert 3 <= len(scenario["objectives"]) <= 6
    assert scenario["purpose"] and scenario["scenario"] and scenario["ground_rules"] and scenario["participants"]
    assert any("ØVELSE" in rule for rule in scenario["ground_rules"])
    for objective in scenario["objectives"]:
        assert re.fullmatch(r"M\d+", objective["id"])
        assert objective["indicators"], objective["id"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_inject_is_fully_specified_and_every_objective_is_exercised(path):
    scenario = load(path)

    for inject in scenario["injects"]:
        for field in ("from", "to", "channel", "text", "expected", "objective"):
            assert inject[field], f"innspill {inject['no']} mangler {field}"
        assert inject["to"] in KNOWN_RECIPIENTS, inject["no"]
        assert inject["channel"] in KNOWN_CHANNELS, inject["no"]
    assert [inject["no"] for inject in scenario["injects"]] == list(range(1, len(scenario["injects"]) + 1))
    used = {inject["objective"] for inject in scenario["injects"]}
    assert used == {objective["id"] for objective in scenario["objectives"]}
    assert offset_seconds(scenario["injects"][-1]["at"]) <= offset_seconds(scenario["duration"])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_scenario_contains_no_phone_numbers_or_birth_numbers(path):
    # Digits grouped with spaces, dots or hyphens ("912 34 567") count as one number.
    digits_joined = re.sub(r"(?<=\d)[ .-](?=\d)", "", path.read_text(encoding="utf-8"))

    # Fictitious people only: nothing like a phone number (8 digits, 10 with +47) or a fødselsnummer (11).
    assert not re.search(r"(?<!\d)\d{8,13}(?!\d)", digits_joined)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_shipped_scenario_survives_yaml_and_csv_round_trips(path):
    scenario = load(path)
    objective_ids = {objective["id"] for objective in scenario["objectives"]}

    assert parse_scenario_yaml(dump_scenario_yaml(scenario)) == scenario
    assert (
        parse_dreiebok_csv(dump_dreiebok_csv(scenario["injects"]), objective_ids=objective_ids) == scenario["injects"]
    )
