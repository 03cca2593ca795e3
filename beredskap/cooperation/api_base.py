"""The cooperation API's blueprint and the parsing its route modules share."""

from datetime import date, datetime

from flask import request

from beredskap.api import api_blueprint, field
from beredskap.cooperation import meetings
from beredskap.errors import ApiError
from beredskap.routing import MAX_ID, is_digits

bp = api_blueprint("cooperation_api", __name__)

MAX_TEXT = 20000
MAX_PEOPLE = 200


# --- parsing ----------------------------------------------------------------------------------------------


def id_field(data: dict, name: str, *, required: bool = False) -> int | None:
    """An id in the body: a positive integer within the database's range."""
    value = field(data, name, int, required=required)
    if value is not None and not 1 <= value <= MAX_ID:
        raise ApiError(422, "invalid", f"«{name}» er ikke et gyldig id.", {name: "ugyldig"})
    return value


def parse_moment(value: object, name: str) -> datetime | None:
    """ISO 8601 date and time; with an offset, or without one as local time in Oslo (as a form sends it)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ApiError(422, "invalid", f"«{name}» må være dato og klokkeslett (ISO 8601).", {name: "format"})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, "invalid", f"«{name}» må være dato og klokkeslett, f.eks. 2027-04-20T12:00+02:00.", {name: "format"}
        ) from None
    if len(value) <= 10:
        raise ApiError(
            422, "invalid", f"«{name}» trenger også klokkeslett, f.eks. 2027-04-20T12:00.", {name: "klokkeslett"}
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=meetings.OSLO)
    return parsed


def parse_day(value: object, name: str) -> date | None:
    """ISO 8601 date, YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ApiError(422, "invalid", f"«{name}» må være en dato (ÅÅÅÅ-MM-DD).", {name: "format"})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid", f"«{name}» må være en gyldig dato (ÅÅÅÅ-MM-DD).", {name: "format"}) from None


def parse_people(value: object, name: str) -> list[dict]:
    """A list of people as {"name", "organisation"?, "function"?} objects, or plain names."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_PEOPLE:
        raise ApiError(422, "invalid", f"«{name}» må være en liste (maks {MAX_PEOPLE}).", {name: "liste"})
    people = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ApiError(422, "invalid", f"Hver oppføring i «{name}» trenger et navn.", {name: "navn"})
        person = {}
        for key in ("name", "organisation", "function"):
            text = entry.get(key) or ""
            if not isinstance(text, str) or len(text) > 200:
                raise ApiError(422, "invalid", f"«{name}.{key}» må være tekst (maks 200 tegn).", {name: key})
            person[key] = text.strip()
        people.append(person)
    return people


def int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not is_digits(raw) or len(raw) > 6:
        raise ApiError(400, "invalid", f"«{name}» må være et heltall.", {name: "heltall"})
    return int(raw)


def version_of(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "invalid", "Feltet «version» mangler eller er ikke et heltall.", {"version": "påkrevd"})
    return version
