"""Tests for reading, validating and writing scenarios (YAML) and dreiebøker (CSV), with line-named errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredskap.exercises.scenario import (
    ScenarioError,
    parse_scenario_yaml,
    validate_scenario,
)
from beredskap.exercises.scenario_files import dump_dreiebok_csv, dump_scenario_yaml, parse_dreiebok_csv

# Line numbers in the tests below refer to this text; keep it in step with them.
VALID_YAML = """\
title: Flom i Otra
form: Spilløvelse
purpose: Øve kriseledelsen i flom.
date: 2025-10-14
participants:
  - kriseledelse
  - {role: eps_ledelse, description: Leder for EPS}
ground_rules: Alle meldinger starter med ØVELSE.
objectives:
  - {id: M1, text: Etablere kriseledelse, indicators: [Innkalt innen 30 min]}
  - id: M2
    text: Åpne EPS
injects:
  - {no: 1, at: "00:05", from: NVE, to: kriseledelse, channel: telefon, text: Rødt farevarsel, objective: M1}
  - no: 2
    at: 10:05
    to: eps_ledelse
    text: |
      Åpne EPS.
      Forvent 40 evakuerte.
    expected: yes
    objective: M2
  - no: 3
    at: 10:30:00
    text: Kommunikasjon ber om pressemelding.
"""


def lines_of(text):
    return text.splitlines()


def replace_line(text, number, new):
    lines = lines_of(text)
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def assert_error_on_line(text, line, *fragments, parser=parse_scenario_yaml):
    with pytest.raises(ScenarioError) as caught:
        parser(text)
    error = caught.value
    assert error.line == line, str(error)
    assert str(error).startswith(f"Linje {line}: ")
    for fragment in fragments:
        assert fragment in str(error)
    return error


def test_valid_yaml_gives_a_complete_normalised_scenario():
    scenario = parse_scenario_yaml(VALID_YAML)

    assert scenario["title"] == "Flom i Otra"
    assert scenario["form"] == "spilløvelse"
    assert scenario["date"] == "2025-10-14"
    assert scenario["participants"] == [
        {"role": "kriseledelse", "description": None},
        {"role": "eps_ledelse", "description": "Leder for EPS"},
    ]
    assert scenario["ground_rules"] == ["Alle meldinger starter med ØVELSE."]
    assert scenario["objectives"][0] == {
        "id": "M1",
        "text": "Etablere kriseledelse",
        "indicators": ["Innkalt innen 30 min"],
    }
    assert scenario["objectives"][1]["indicators"] == []
    assert [inject["no"] for inject in scenario["injects"]] == [1, 2, 3]
    assert scenario["injects"][0] == {
        "no": 1,
        "at": "00:05",
        "from": "NVE",
        "to": "kriseledelse",
        "channel": "telefon",
        "text": "Rødt farevarsel",
        "expected": None,
        "objective": "M1",
        "notes": None,
    }


def test_yaml_1_1_surprises_are_read_as_the_planner_meant():
    injects = parse_scenario_yaml(VALID_YAML)["injects"]

    # Unquoted `no:` is not False, `10:05` is not 605 (sexagesimal), `yes` is not True.
    assert injects[1]["no"] == 2
    assert injects[1]["at"] == "10:05"
    assert injects[1]["expected"] == "yes"
    assert injects[1]["text"] == "Åpne EPS.\nForvent 40 evakuerte."
    assert injects[2]["at"] == "10:30"


def test_injects_are_returned_in_no_order():
    text = VALID_YAML.replace("no: 1, at:", "no: 7, at:")

    scenario = parse_scenario_yaml(text.replace('at: "00:05"', 'at: "11:00"'))

    assert [inject["no"] for inject in scenario["injects"]] == [2, 3, 7]


def test_yaml_syntax_error_names_its_line():
    broken = replace_line(
        VALID_YAML, 10, "  - {id: M1, text: Etablere kriseledelse, indicators: [Innkalt innen 30 min]"
    )

    assert_error_on_line(broken, 11, "ugyldig YAML")


def test_bad_indentation_names_its_line():
    broken = replace_line(VALID_YAML, 18, "     text: |")

    assert_error_on_line(broken, 18, "ugyldig YAML")


def test_unclosed_quote_names_the_line():
    broken = replace_line(VALID_YAML, 16, '    at: "10:05')

    error = assert_error_on_line(broken, 16, "ugyldig YAML")
    assert error.detail.startswith("ugyldig YAML")


@pytest.mark.parametrize(
    ("line", "text", "error_line", "words"),
    [
        pytest.param(3, "purpose: Øve \x07kriseledelsen", 3, ["ugyldig tegn U+0007"], id="control_character"),
        pytest.param(25, "    expected: ingen tekst her", 23, ["innspill nr. 3", "text mangler"], id="missing_text"),
        pytest.param(16, "    at: 10:75", 16, ["innspill nr. 2", "10:75"], id="bad_time"),
        pytest.param(24, "    at: 0:04:00", 24, ["innspill nr. 3", "før innspill nr. 2"], id="time_going_backwards"),
        pytest.param(23, "  - no: 2", 23, ["innspill nr. 2", "brukt før (linje 15)"], id="duplicate_inject_number"),
        pytest.param(22, "    objective: M9", 22, ["'M9'", "M1, M2"], id="reference_to_undefined_objective"),
        pytest.param(11, "  - id: M1", 11, ["øvingsmål M1", "unike"], id="duplicate_objective_id"),
        pytest.param(2, "form: kaffeøvelse", 2, ["kaffeøvelse", "diskusjonsøvelse"], id="unknown_form"),
        pytest.param(21, "    expeted: yes", 21, ["'expeted'"], id="unknown_field"),
    ],
)
def test_an_error_names_its_line(line, text, error_line, words):
    assert_error_on_line(replace_line(VALID_YAML, line, text), error_line, *words)


@pytest.mark.parametrize("bad_no", ["0", "-3", "to", "1.5", "[1]"])
def test_inject_number_must_be_a_positive_integer(bad_no):
    broken = replace_line(VALID_YAML, 23, f"  - no: {bad_no}")

    assert_error_on_line(broken, 23, "positivt heltall")


def test_duplicate_key_is_refused_not_silently_overwritten():
    broken = VALID_YAML + "title: En annen tittel\n"

    assert_error_on_line(broken, 26, "'title'", "linje 1")


def test_missing_title_and_wrong_top_level_are_refused():
    assert_error_on_line(VALID_YAML.replace("title: Flom i Otra\n", ""), 1, "title")
    assert_error_on_line("- en\n- to\n", 1, "oppslag")
    assert_error_on_line("\n\n", 1, "tom")


def test_missing_objectives_and_injects_are_refused():
    without_injects = VALID_YAML[: VALID_YAML.index("injects:")]

    with pytest.raises(ScenarioError, match="injects"):
        parse_scenario_yaml(without_injects)


def test_runaway_aliases_are_refused_quickly():
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 7):
        levels.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")

    with pytest.raises(ScenarioError, match="for mange"):
        parse_scenario_yaml("\n".join(levels) + "\n")


def test_self_referencing_anchor_and_deep_nesting_are_refused():
    with pytest.raises(ScenarioError):
        parse_scenario_yaml("title: &t [*t]\n")
    with pytest.raises(ScenarioError, match="nøstet"):
        parse_scenario_yaml("title: " + "[" * 3000 + "]" * 3000 + "\n")


@given(st.text(max_size=400))
def test_any_text_gives_a_scenario_or_a_scenario_error_never_a_crash(text):
    for parser in (parse_scenario_yaml, parse_dreiebok_csv):
        try:
            parser(text)
        except ScenarioError as error:
            assert str(error)


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(list(":-[]{}\"'#&*!|>,\n\t;x0")))
def test_corrupting_a_valid_file_gives_a_line_numbered_error_or_a_valid_scenario(position, character):
    corrupted = VALID_YAML[: position % len(VALID_YAML)] + character + VALID_YAML[position % len(VALID_YAML) :]

    try:
        scenario = parse_scenario_yaml(corrupted)
    except ScenarioError as error:
        assert error.line is not None and 1 <= error.line <= corrupted.count("\n") + 2
    else:
        assert scenario["injects"] and scenario["objectives"]


def test_python_tags_are_refused():
    assert_error_on_line("title: !!python/object/apply:os.system [echo]\n", 1, "tagg")


def test_validate_scenario_from_plain_data_has_no_line():
    scenario = parse_scenario_yaml(VALID_YAML)
    scenario["injects"][2]["text"] = "   "

    with pytest.raises(ScenarioError) as caught:
        validate_scenario(scenario)

    assert caught.value.line is None
    assert str(caught.value) == "innspill nr. 3: text er tom"


def test_validate_scenario_accepts_json_shaped_data_and_rejects_wrong_types():
    data = {
        "title": "T",
        "form": "diskusjonsøvelse",
        "objectives": [{"id": "M1", "text": "Mål"}],
        "injects": [{"no": 1, "at": "00:00", "text": "Start", "objective": "M1"}],
    }

    assert validate_scenario(data)["injects"][0]["to"] is None
    for field, value in [("no", True), ("at", 605), ("text", ["liste"]), ("objective", {"id": "M1"})]:
        broken = {**data, "injects": [{**data["injects"][0], field: value}]}
        with pytest.raises(ScenarioError, match=field):
            validate_scenario(broken)


def test_validated_scenario_is_stable():
    scenario = parse_scenario_yaml(VALID_YAML)

    assert validate_scenario(scenario) == scenario


def test_yaml_round_trip_preserves_the_scenario():
    scenario = parse_scenario_yaml(VALID_YAML)

    written = dump_scenario_yaml(scenario)

    assert parse_scenario_yaml(written) == scenario
    assert "Åpne EPS.\n" in written  # literal block, not an escaped string


def test_duration_must_cover_the_last_inject():
    text = VALID_YAML.replace("date: 2025-10-14\n", "date: 2025-10-14\nduration: '00:45'\n")

    assert_error_on_line(text, 25, "innspill nr. 3", "varighet")


# ---------------------------------------------------------------------------------------------- CSV

NORWEGIAN_CSV = (
    "Nr;Tid;Fra;Til;Kanal;Tekst;Forventet handling;Mål;Merknad\r\n"
    "1;00:05;NVE;kriseledelse;telefon;Rødt farevarsel for Otra;Innkalle kriseledelsen;M1;\r\n"
    "\r\n"
    '2;00:20;Innbygger;eps_ledelse;telefon;"Ringer om mor; ""Åse"", 84 år,\r\n'
    'bor på Mosby";Registrere;M2;\r\n'
    "3;0:45:30;Øvingsledelse;kommunikasjon;e-post;Be om pressemelding;;;Kan utelates\r\n"
)


def test_csv_with_norwegian_headers_and_semicolons():
    injects = parse_dreiebok_csv(NORWEGIAN_CSV, objective_ids={"M1", "M2"})

    assert [inject["no"] for inject in injects] == [1, 2, 3]
    assert injects[0]["expected"] == "Innkalle kriseledelsen"
    assert injects[1]["text"] == 'Ringer om mor; "Åse", 84 år,\r\nbor på Mosby'
    assert injects[2]["at"] == "00:45:30"
    assert injects[2]["objective"] is None
    assert injects[2]["notes"] == "Kan utelates"


def test_csv_error_after_a_multiline_cell_names_the_right_line():
    broken = NORWEGIAN_CSV.replace("3;0:45:30;", "3;0:45:3;")

    assert_error_on_line(broken, 6, "innspill nr. 3", "0:45:3", parser=parse_dreiebok_csv)


def test_csv_undefined_objective_is_refused_when_objectives_are_known():
    with pytest.raises(ScenarioError) as caught:
        parse_dreiebok_csv(NORWEGIAN_CSV, objective_ids={"M1"})

    assert caught.value.line == 4
    assert "'M2'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('no,at,text\n1,00:05,a\n2,00:10,"uavsluttet\n3,00:15,c\n', 3, "anførselstegn"),
        ("no,at,text,farge\n1,00:05,a,rød\n", 1, "'farge'"),
        ("\n\nno,at,fra\n1,00:05,NVE\n", 3, "'text'"),
        ("no,at,text,tekst\n", 1, "to ganger"),
        ("no,at,text\n1,00:05,a,ekstra\n", 2, "4 celler"),
        ("no,at,text\n1,00:05,a\n2,00:04,b\n", 3, "før innspill nr. 1"),
        ("no,at,text\n1,00:05,a\n\n1,00:06,b\n", 4, "brukt før (linje 2)"),
        ("no,at,text\n1,00:05,\n", 2, "text mangler"),
        ("no,at,text\nen,00:05,a\n", 2, "positivt heltall"),
        ("no,at,text\n", 1, "ingen innspill"),
        ("", 1, "tom"),
        ("no,at,text\n1,00:05,a\x00\n", 2, "NUL"),
    ],
)
def test_csv_errors_name_the_line(text, line, fragment):
    assert_error_on_line(text, line, fragment, parser=parse_dreiebok_csv)


def test_csv_tolerates_bom_trailing_empty_columns_and_blank_rows():
    text = "\ufeffno,at,text,,\n1,00:05,a,,\n,,,,\n2,00:06,b,,\n"

    assert [inject["text"] for inject in parse_dreiebok_csv(text)] == ["a", "b"]


def test_csv_round_trip_of_a_scenario_dreiebok():
    injects = parse_scenario_yaml(VALID_YAML)["injects"]

    assert parse_dreiebok_csv(dump_dreiebok_csv(injects), objective_ids={"M1", "M2"}) == injects


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30
).filter(lambda value: value.strip() == value and value != "")
inject_lists = st.lists(
    st.fixed_dictionaries(
        {"at": st.integers(0, 20_000), "text": cell_text},
        optional={
            "from": cell_text,
            "to": cell_text,
            "channel": cell_text,
            "expected": cell_text,
            "notes": cell_text,
        },
    ),
    min_size=1,
    max_size=8,
)


@given(inject_lists)
def test_any_valid_dreiebok_survives_a_csv_round_trip(raw):
    offsets = sorted(item["at"] for item in raw)
    injects = [
        {**item, "no": no, "at": f"{offset // 3600}:{offset // 60 % 60:02d}:{offset % 60:02d}"}
        for no, (item, offset) in enumerate(zip(raw, offsets, strict=True), start=1)
    ]
    expected = validate_scenario(
        {"title": "T", "form": "fullskala", "objectives": [{"id": "M1", "text": "x"}], "injects": injects}
    )["injects"]

    assert parse_dreiebok_csv(dump_dreiebok_csv(injects)) == expected
