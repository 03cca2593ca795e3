"""The one CSV writer for every CSV file the app hands out, made for Norwegian Excel and LibreOffice.

- `;` between cells and CRLF line ends: Norwegian Excel splits on the list separator, which is `;` because
  the comma is the decimal sign.
- UTF-8 with a byte-order mark, so spreadsheets read æ, ø and å right.
- Every text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a `'`
  in front (OWASP «CSV injection»); phone numbers such as «+47 400 00 000» are left alone. `unescape_cell`
  undoes it for files we read back in.
- Times in Oslo local time as `dd.mm.åååå tt:mm` and dates as `dd.mm.åååå`, which Norwegian Excel reads as
  dates; numbers with a decimal comma.
- Headers are passed in already translated (Norwegian, or English in the English locale).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import Response

from beredskap.vocabulary import DATE_FORMAT, OSLO, SHEET_DATETIME_FORMAT

DELIMITER = ";"
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{3,40}$")
MIMETYPE = "text/csv"


def cell(value: Any) -> str:
    """Return one value as the text of a CSV cell (see the module docstring for the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(OSLO).strftime(SHEET_DATETIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    text = str(value)
    if text.startswith(FORMULA_START) and not _PHONE.match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo `cell`'s formula guard on a cell read back from one of our files."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return a whole CSV file (BOM, header row, one row per record) as text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell(title) for title in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return BOM + out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """Return a CSV file from `write_csv` as a download."""
    return Response(
        text.encode("utf-8"),
        mimetype=MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
