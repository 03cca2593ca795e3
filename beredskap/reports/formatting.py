"""Values as a Norwegian report shows them: escaped markup, Oslo dates and times, decimal commas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from beredskap.vocabulary import DATE_FORMAT, DATETIME_FORMAT, OSLO, SHORT_DATETIME_FORMAT

EMPTY_VALUE = "–"


def markup(value: Any) -> str:
    """Return `value` as Paragraph markup: escaped, newlines kept, empty as a dash."""
    if value is None or value == "":
        return EMPTY_VALUE
    return escape(str(value)).replace("\n", "<br/>")


def to_datetime(value: Any) -> datetime | None:
    """Return a datetime from a datetime or ISO 8601 string (naive values are taken as UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raise ValueError(f"ugyldig tidspunkt: {value!r}")


def to_date(value: Any) -> date | None:
    """Return a date from a date, datetime (in Oslo) or ISO 8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(OSLO).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10]) if len(value) <= 10 else to_date(datetime.fromisoformat(value))
    raise ValueError(f"ugyldig dato: {value!r}")


def format_datetime(value: Any, *, with_year: bool = True) -> str:
    """Return `value` as Norwegian local time in Oslo, "24.04.2026 kl. 09:30"; a plain date without time."""
    if value is None or value == "":
        return EMPTY_VALUE
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    moment = to_datetime(value)
    assert moment is not None
    local = moment.astimezone(OSLO)
    return local.strftime(DATETIME_FORMAT if with_year else SHORT_DATETIME_FORMAT)


def format_date(value: Any) -> str:
    """Return `value` as a Norwegian date, "24.04.2026"."""
    day = to_date(value)
    return day.strftime(DATE_FORMAT) if day else EMPTY_VALUE


def format_number(value: Any, decimals: int | None = None) -> str:
    """Return a number the Norwegian way: decimal comma, spaces as thousands separator from five digits."""
    if value is None or value == "":
        return EMPTY_VALUE
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    # Språkrådet: four-digit numbers are written without a space (2026, 1000).
    text = f"{value:,.{decimals}f}" if abs(value) >= 10_000 else f"{value:.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


@dataclass(frozen=True)
class Rich:
    """Cell or value content that is already Paragraph markup (built with `markup()` for the text parts)."""

    text: str


def rich(text: str) -> Rich:
    """Mark `text` as ready markup so tables do not escape it again."""
    return Rich(text)
