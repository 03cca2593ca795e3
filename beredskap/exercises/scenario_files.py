"""Scenario files besides reading YAML: the YAML export, and the dreiebok as CSV (read and written)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import yaml
from flask_babel import gettext

from beredskap.csvfile import unescape_cell, write_csv
from beredskap.exercises.scenario import (
    CSV_COLUMNS,
    SCENARIO_FIELDS,
    _Checker,
    _validate_injects,
    validate_scenario,
)
from beredskap.exercises.scenario_yaml import _YAML_TAG_PREFIX, MAX_TEXT_BYTES, Path, ScenarioError


def dump_scenario_yaml(scenario: Mapping[str, Any]) -> str:
    """Return a scenario as YAML that parse_scenario_yaml reads back to the same normalised dict."""
    valid = validate_scenario(scenario)
    document: dict[str, Any] = {}
    for field in SCENARIO_FIELDS:
        value = valid[field]
        if field in ("participants", "objectives", "injects"):
            value = [_without_empty(item) for item in value]
        if value not in (None, []):
            document[field] = value
    return yaml.dump(
        document,
        Dumper=_ScenarioDumper,
        allow_unicode=True,
        sort_keys=False,
        width=110,
        default_flow_style=False,
    )


class _ScenarioDumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line texts as literal blocks, the way a planner would type them."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_YAML_TAG_PREFIX + "str", value, style=style)


_ScenarioDumper.add_representer(str, _represent_str)


def _without_empty(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value not in (None, [])}


# Headers as planners write them in Norwegian spreadsheets; matched after casefolding and trimming.
_CSV_HEADER_ALIASES = {
    **{name: name for name in CSV_COLUMNS},
    "nr": "no",
    "nummer": "no",
    "løpenummer": "no",
    "tid": "at",
    "tidspunkt": "at",
    "tid fra start": "at",
    "time": "at",
    "fra": "from",
    "avsender": "from",
    "til": "to",
    "mottaker": "to",
    "kanal": "channel",
    "tekst": "text",
    "innhold": "text",
    "melding": "text",
    "innspill": "text",
    "forventet": "expected",
    "forventet handling": "expected",
    "forventet respons": "expected",
    "forventet reaksjon": "expected",
    "expected action": "expected",
    "mål": "objective",
    "øvingsmål": "objective",
    "merknad": "notes",
    "merknader": "notes",
    "notat": "notes",
    "notater": "notes",
    "kommentar": "notes",
}


def parse_dreiebok_csv(text: str, *, objective_ids: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Return the validated injects of a dreiebok CSV, sorted by `no`, or raise ScenarioError naming the line.

    The separator (comma, semicolon or tab) is taken from the header row; headers may be English field names
    or common Norwegian ones (nr, tid, fra, til, kanal, tekst, forventet, mål, merknad). With
    ``objective_ids`` every inject's objective must be one of them.
    """
    if not isinstance(text, str):
        raise ScenarioError(gettext("dreieboka må være tekst (CSV)"))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise ScenarioError(gettext("filen er for stor (mer enn %(mb)s MB)", mb=MAX_TEXT_BYTES // 1_000_000))
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ScenarioError(gettext("filen inneholder et NUL-tegn; er det en regnearkfil og ikke CSV?"), line)

    header_line, header = _find_header(text)
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[dict[str, str]] = []
    lines: dict[Path, int] = {}
    columns: list[str | None] = []
    record_start = 1
    try:
        for cells in reader:
            start, record_start = record_start, reader.line_num + 1
            if start < header_line or not any(cell.strip() for cell in cells):
                continue
            if start == header_line:
                columns = _csv_columns(cells, header_line)
                continue
            if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
                raise ScenarioError(
                    gettext(
                        "raden har %(cells)s celler, men overskriftsraden bare %(columns)s",
                        cells=len(cells),
                        columns=len(columns),
                    ),
                    start,
                )
            row = {
                column: unescape_cell(cell)
                for column, cell in zip(columns, cells, strict=False)
                if column is not None and cell.strip()
            }
            lines[("injects", len(rows))] = start
            rows.append(row)
    except csv.Error as exc:
        raise ScenarioError(
            gettext("ugyldig CSV (%(error)s); mangler et avsluttende anførselstegn?", error=str(exc)), record_start
        ) from None
    if not rows:
        raise ScenarioError(gettext("dreieboka har ingen innspill under overskriftsraden"), header_line)
    return _validate_injects(_Checker(lines), rows, objective_ids=objective_ids)


def _find_header(text: str) -> tuple[int, str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line.strip().strip(",;\t"):
            return number, line
    raise ScenarioError(gettext("filen er tom"), 1)


def _csv_columns(cells: Sequence[str], line: int) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        header = re.sub(r"\s+", " ", cell.strip().casefold()).rstrip(".:")
        if not header:
            # Spreadsheets often export trailing empty columns; they carry no data.
            columns.append(None)
            continue
        column = _CSV_HEADER_ALIASES.get(header)
        if column is None:
            raise ScenarioError(
                gettext(
                    "ukjent kolonne %(column)s; bruk %(columns)s"
                    " (eller nr, tid, fra, til, kanal, tekst, forventet, mål, merknad)",
                    column=repr(cell.strip()),
                    columns=", ".join(CSV_COLUMNS),
                ),
                line,
            )
        if column in columns:
            raise ScenarioError(
                gettext("kolonnen %(name)s (%(column)s) står to ganger", name=repr(cell.strip()), column=column), line
            )
        columns.append(column)
    for required in ("no", "at", "text"):
        if required not in columns:
            raise ScenarioError(gettext("overskriftsraden mangler kolonnen '%(column)s'", column=required), line)
    return columns


def dreiebok_csv_header() -> list[str]:
    """Column titles of an exported dreiebok, in the user's language; `parse_dreiebok_csv` reads both."""
    return [
        gettext("Nr"),
        gettext("Tid"),
        gettext("Fra"),
        gettext("Til"),
        gettext("Kanal"),
        gettext("Tekst"),
        gettext("Forventet handling"),
        gettext("Øvingsmål"),
        gettext("Merknad"),
    ]


def dump_dreiebok_csv(injects: Sequence[Mapping[str, Any]]) -> str:
    """Return injects as a dreiebok CSV file (`beredskap.csvfile`) that parse_dreiebok_csv reads back."""
    valid = _validate_injects(_Checker({}), list(injects), objective_ids=None)
    return write_csv(dreiebok_csv_header(), ([inject[column] for column in CSV_COLUMNS] for inject in valid))
