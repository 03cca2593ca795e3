"""Parse what a volunteer types at the desk (birth dates, phones, needs) into clean values; plain data only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext

from beredskap.field_labels import label

NEED_KEYS: tuple[str, ...] = ("helse", "kost", "sprak", "mobilitet", "kjaeledyr")
# Words a desk or an integration may use for the same need.
_NEED_ALIASES = {
    "helse": "helse",
    "medisiner": "helse",
    "medisinsk": "helse",
    "health": "helse",
    "kost": "kost",
    "diett": "kost",
    "spesialkost": "kost",
    "diet": "kost",
    "sprak": "sprak",
    "språk": "sprak",
    "tolk": "sprak",
    "interpreter": "sprak",
    "language": "sprak",
    "mobilitet": "mobilitet",
    "rullestol": "mobilitet",
    "mobility": "mobilitet",
    "kjaeledyr": "kjaeledyr",
    "kjæledyr": "kjaeledyr",
    "dyr": "kjaeledyr",
    "pets": "kjaeledyr",
}
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{3,40}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})[./ -](\d{1,2})[./ -](\d{2}|\d{4})$")
_DIGITS_ONLY = re.compile(r"^\d{6}$|^\d{8}$")
_YEAR_ONLY = re.compile(r"^\d{4}$")
MAX_AGE_YEARS = 125


class FieldError(ValueError):
    """A value that cannot be used; the message names the field and the rule, never the value typed."""

    def __init__(self, field: str, message: str, code: str = "ugyldig"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


def parse_birth_date(value: Any, today: date, field: str = "birth_date") -> tuple[date | None, int | None]:
    """Return (birth date, birth year) from ISO, dd.mm.åååå, ddmmåå(åå) or a bare year; both None when empty."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError(field, gettext("%(label)s har feil type.", label=label(field)), "feil type")
    text = str(value).strip()
    if not text:
        return None, None
    if _YEAR_ONLY.match(text):
        year = int(text)
        _check_year(year, today, field)
        return None, year
    day = month = year = None
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NORWEGIAN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year = _century(year, today)
    elif _DIGITS_ONLY.match(text):
        day, month = int(text[:2]), int(text[2:4])
        year = int(text[4:]) if len(text) == 8 else _century(int(text[4:]), today)
    else:
        raise FieldError(field, gettext("%(label)s må skrives som dd.mm.åååå.", label=label(field)), "format")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise FieldError(
            field, gettext("%(label)s er ikke en gyldig dato.", label=label(field)), "ugyldig dato"
        ) from None
    if parsed > today:
        raise FieldError(field, gettext("%(label)s kan ikke være fram i tid.", label=label(field)), "fram i tid")
    _check_year(parsed.year, today, field)
    return parsed, parsed.year


def _century(two_digits: int, today: date) -> int:
    # A two-digit year after this year's is last century: "05" is 2005, "61" is 1961.
    return 2000 + two_digits if two_digits <= today.year % 100 else 1900 + two_digits


def _check_year(year: int, today: date, field: str) -> None:
    if year > today.year or year < today.year - MAX_AGE_YEARS:
        raise FieldError(field, gettext("%(label)s har et urimelig årstall.", label=label(field)), "urimelig år")


def parse_birth_year(value: Any, today: date, field: str = "sought_birth_year") -> int | None:
    """Return a birth year from an int or a string of four digits, or None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(field, gettext("%(label)s har feil type.", label=label(field)), "feil type")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _YEAR_ONLY.match(text):
            raise FieldError(
                field, gettext("%(label)s må være et årstall med fire sifre.", label=label(field)), "format"
            )
        value = int(text)
    if not isinstance(value, int):
        raise FieldError(field, gettext("%(label)s har feil type.", label=label(field)), "feil type")
    _check_year(value, today, field)
    return value


def clean_phone(value: Any, field: str = "phone") -> str | None:
    """Return the phone number as typed (trimmed), or None; digits, spaces, +, -, ., parentheses only."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError(field, gettext("%(label)s har feil type.", label=label(field)), "feil type")
    text = " ".join(value.split())
    if not text:
        return None
    if not _PHONE.match(text) or sum(ch.isdigit() for ch in text) < 3:
        raise FieldError(
            field, gettext("%(label)s kan bare inneholde sifre, mellomrom og +.", label=label(field)), "format"
        )
    return text


def clean_text(value: Any, field: str, max_length: int, required: bool = False) -> str | None:
    """Return trimmed text or None; the error names the field, never the text."""
    if value is None:
        if required:
            raise FieldError(field, gettext("%(label)s mangler.", label=label(field)), "påkrevd")
        return None
    if not isinstance(value, str):
        raise FieldError(field, gettext("%(label)s har feil type.", label=label(field)), "feil type")
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if not text:
        if required:
            raise FieldError(field, gettext("%(label)s mangler.", label=label(field)), "påkrevd")
        return None
    if len(text) > max_length:
        raise FieldError(
            field,
            gettext("%(label)s er for lang (maks %(max_length)s tegn).", label=label(field), max_length=max_length),
            "for lang",
        )
    return text


def parse_needs(value: Any, field: str = "needs") -> tuple[dict[str, bool], str | None]:
    """Return ({need: True}, note) from a list of need words or a {need: bool, "note": text} object."""
    if value is None:
        return {}, None
    note = None
    if isinstance(value, Mapping):
        note = clean_text(value.get("note"), f"{field}.note", 1000)
        words = [key for key, flag in value.items() if key != "note" and flag]
        for key, flag in value.items():
            if key != "note" and not isinstance(flag, bool):
                raise FieldError(
                    field, gettext("%(label)s må ha true/false for hvert behov.", label=label(field)), "feil type"
                )
    elif isinstance(value, list | tuple):
        words = list(value)
    else:
        raise FieldError(field, gettext("%(label)s må være en liste eller et objekt.", label=label(field)), "feil type")
    flags: dict[str, bool] = {}
    for word in words:
        key = _NEED_ALIASES.get(word.strip().casefold()) if isinstance(word, str) else None
        if key is None:
            allowed = ", ".join(NEED_KEYS)
            raise FieldError(
                field,
                gettext("%(label)s har et ukjent behov; bruk %(allowed)s.", label=label(field), allowed=allowed),
                "ukjent behov",
            )
        flags[key] = True
    return flags, note


def csv_cell(value: Any) -> str:
    """Return a CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    from beredskap.csvfile import cell

    return cell(value)


def split_name(full_name: str) -> tuple[str, str]:
    """Return (given names, family name): "Hansen, Per" and "Per Hansen" both give ("Per", "Hansen")."""
    text = " ".join((full_name or "").split())
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    words = text.split(" ")
    if len(words) < 2:
        return text, ""
    return " ".join(words[:-1]), words[-1]
