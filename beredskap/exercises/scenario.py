"""Read, validate and write exercise scenarios (YAML), naming the line of every error; dreiebok.py does CSV."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import gettext

from beredskap.exercises.scenario_yaml import (
    _LONG_TEXT,
    _SHORT_TEXT,
    MAX_INJECTS,
    MAX_OBJECTIVES,
    LineMap,
    Path,
    ScenarioError,
    _load_yaml,
)
from beredskap.exercises.schedule import format_offset, offset_seconds

FORMS = ("diskusjonsøvelse", "funksjonsøvelse", "spilløvelse", "stabsøvelse", "fullskala")
_FORM_ALIASES = {"fullskalaøvelse": "fullskala"}

# The plan's own fields, in the order of the øvingsdirektiv; a scenario file adds the objectives and the dreiebok.
PLAN_FIELDS = (
    "title",
    "form",
    "purpose",
    "date",
    "location",
    "duration",
    "participants",
    "scenario",
    "ground_rules",
    "notes",
)
SCENARIO_FIELDS = (*PLAN_FIELDS[:-1], "objectives", "injects", "notes")
OBJECTIVE_FIELDS = ("id", "text", "indicators")
INJECT_FIELDS = ("no", "at", "from", "to", "channel", "text", "expected", "objective", "notes")
PARTICIPANT_FIELDS = ("role", "description")
CSV_COLUMNS = INJECT_FIELDS


# --------------------------------------------------------------------------------------------- YAML


def parse_scenario_yaml(text: str) -> dict[str, Any]:
    """Return the validated, normalised scenario in a YAML text, or raise ScenarioError naming the line."""
    data, lines = _load_yaml(text)
    return _validate_scenario(data, lines)


def validate_scenario(scenario: Mapping[str, Any]) -> dict[str, Any]:
    """Return a normalised copy of a scenario given as plain data (e.g. JSON), or raise ScenarioError."""
    return _validate_scenario(scenario, {})


# ---------------------------------------------------------------------------------------- validation


class _Checker:
    """Validation helpers that raise ScenarioError with the best line known for a path."""

    def __init__(self, lines: LineMap) -> None:
        self.lines = lines

    def line(self, *paths: Path) -> int | None:
        # The most specific path known wins; a missing field falls back to the item or section it belongs to.
        for path in paths:
            for length in range(len(path), -1, -1):
                if path[:length] in self.lines:
                    return self.lines[path[:length]]
        return None

    def fail(self, message: str, *paths: Path) -> ScenarioError:
        return ScenarioError(message, self.line(*paths))

    def text(
        self, value: Any, path: Path, label: str, *, required: bool = False, max_length: int = _SHORT_TEXT
    ) -> str | None:
        if value is None:
            if required:
                raise self.fail(gettext("%(label)s mangler", label=label), path)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(gettext("%(label)s må være tekst", label=label), path)
        cleaned = str(value).strip()
        if not cleaned:
            if required:
                raise self.fail(gettext("%(label)s er tom", label=label), path)
            return None
        if len(cleaned) > max_length:
            raise self.fail(gettext("%(label)s er for lang (over %(max)s tegn)", label=label, max=max_length), path)
        return cleaned

    def required_text(self, value: Any, path: Path, label: str, *, max_length: int = _SHORT_TEXT) -> str:
        cleaned = self.text(value, path, label, required=True, max_length=max_length)
        if cleaned is None:  # text() raises for a missing required value; this only narrows the type
            raise self.fail(gettext("%(label)s mangler", label=label), path)
        return cleaned

    def mapping(self, value: Any, path: Path, label: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(
                gettext("%(label)s må være et oppslag med feltene %(fields)s", label=label, fields=", ".join(allowed)),
                path,
            )
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise self.fail(
                    gettext(
                        "%(label)s: ukjent felt %(key)s; tillatte felt er %(fields)s",
                        label=label,
                        key=repr(key),
                        fields=", ".join(allowed),
                    ),
                    (*path, key) if isinstance(key, str) else path,
                )
        return value

    def text_list(self, value: Any, path: Path, label: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(gettext("%(label)s må være en liste med tekster", label=label), path)
        result = []
        for index, item in enumerate(value):
            item_label = gettext("%(label)s nr. %(no)s", label=label, no=index + 1)
            cleaned = self.text(item, (*path, index), item_label, max_length=_LONG_TEXT)
            if cleaned is not None:
                result.append(cleaned)
        return result


def _validate_scenario(data: Any, lines: LineMap) -> dict[str, Any]:
    check = _Checker(lines)
    if not isinstance(data, Mapping):
        raise check.fail(
            gettext("scenarioet må være et oppslag (felt: verdi) med minst title, form, objectives og injects"), ()
        )
    check.mapping(data, (), gettext("scenarioet"), SCENARIO_FIELDS)

    title = check.required_text(data.get("title"), ("title",), gettext("title (tittel)"))
    form = _validate_form(check, data.get("form"))
    objectives = _validate_objectives(check, data.get("objectives"))
    duration = None
    if data.get("duration") is not None:
        duration = _validate_offset(check, data["duration"], ("duration",), gettext("duration (varighet)"))
    injects = _validate_injects(check, data.get("injects"), objective_ids={objective["id"] for objective in objectives})
    if duration is not None and injects and offset_seconds(injects[-1]["at"]) > offset_seconds(duration):
        last = injects[-1]
        raise check.fail(
            gettext(
                "innspill nr. %(no)s kommer %(at)s, etter øvelsens varighet %(duration)s",
                no=last["no"],
                at=last["at"],
                duration=duration,
            ),
            ("injects", _source_index(data, last["no"]), "at"),
            ("duration",),
        )
    return {
        "title": title,
        "form": form,
        "purpose": check.text(data.get("purpose"), ("purpose",), gettext("purpose (formål)"), max_length=_LONG_TEXT),
        "date": _validate_date(check, data.get("date")),
        "location": check.text(data.get("location"), ("location",), gettext("location (sted)")),
        "duration": duration,
        "participants": _validate_participants(check, data.get("participants")),
        "scenario": check.text(data.get("scenario"), ("scenario",), "scenario", max_length=_LONG_TEXT),
        "ground_rules": check.text_list(
            data.get("ground_rules"), ("ground_rules",), gettext("ground_rules (spilleregel)")
        ),
        "objectives": objectives,
        "injects": injects,
        "notes": check.text(data.get("notes"), ("notes",), gettext("notes (merknader)"), max_length=_LONG_TEXT),
    }


def _source_index(data: Mapping[str, Any], no: int) -> int:
    for index, inject in enumerate(data.get("injects") or []):
        if isinstance(inject, Mapping) and _as_int(inject.get("no")) == no:
            return index
    return 0


def _validate_form(check: _Checker, value: Any) -> str:
    form = check.required_text(value, ("form",), gettext("form (øvelsesform)"))
    folded = form.casefold()
    folded = _FORM_ALIASES.get(folded, folded)
    if folded not in FORMS:
        raise check.fail(
            gettext("ukjent øvelsesform %(form)s; velg en av %(forms)s", form=repr(form), forms=", ".join(FORMS)),
            ("form",),
        )
    return folded


def _validate_date(check: _Checker, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise check.fail(
        gettext("date (dato) %(value)s er ikke en dato på formen ÅÅÅÅ-MM-DD", value=repr(value)), ("date",)
    )


def _validate_offset(check: _Checker, value: Any, path: Path, label: str) -> str:
    if value is None or value == "":
        raise check.fail(gettext("%(label)s mangler", label=label), path)
    if isinstance(value, bool) or not isinstance(value, str):
        raise check.fail(
            gettext(
                "%(label)s må være tekst på formen TT:MM eller T:MM:SS, fikk %(value)s", label=label, value=repr(value)
            ),
            path,
        )
    try:
        return format_offset(offset_seconds(value))
    except ValueError as exc:
        raise check.fail(gettext("%(label)s: %(error)s", label=label, error=str(exc)), path) from None


def _validate_participants(check: _Checker, value: Any) -> list[dict[str, str | None]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise check.fail(gettext("participants (deltakere) må være en liste"), ("participants",))
    result = []
    for index, item in enumerate(value):
        path: Path = ("participants", index)
        label = gettext("deltaker nr. %(no)s", no=index + 1)
        if isinstance(item, str):
            item = {"role": item}
        participant = check.mapping(item, path, label, PARTICIPANT_FIELDS)
        result.append(
            {
                "role": check.text(
                    participant.get("role"),
                    (*path, "role"),
                    gettext("%(label)s: %(field)s", label=label, field="role"),
                    required=True,
                ),
                "description": check.text(
                    participant.get("description"),
                    (*path, "description"),
                    gettext("%(label)s: %(field)s", label=label, field="description"),
                    max_length=_LONG_TEXT,
                ),
            }
        )
    return result


def _validate_objectives(check: _Checker, value: Any) -> list[dict[str, Any]]:
    if value is None or value == []:
        raise check.fail(gettext("objectives (øvingsmål) mangler; et scenario trenger minst ett mål"), ("objectives",))
    if not isinstance(value, list):
        raise check.fail(gettext("objectives (øvingsmål) må være en liste"), ("objectives",))
    if len(value) > MAX_OBJECTIVES:
        raise check.fail(gettext("for mange øvingsmål (over %(max)s)", max=MAX_OBJECTIVES), ("objectives",))
    result: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        path: Path = ("objectives", index)
        label = gettext("øvingsmål nr. %(no)s", no=index + 1)
        objective = check.mapping(item, path, label, OBJECTIVE_FIELDS)
        objective_id = check.required_text(
            objective.get("id"), (*path, "id"), gettext("%(label)s: %(field)s", label=label, field="id"), max_length=20
        )
        label = gettext("øvingsmål %(id)s", id=objective_id)
        if objective_id in seen:
            raise check.fail(
                gettext(
                    "%(label)s: id-en er brukt før (øvingsmål nr. %(no)s); id-er må være unike",
                    label=label,
                    no=seen[objective_id],
                ),
                (*path, "id"),
            )
        seen[objective_id] = index + 1
        result.append(
            {
                "id": objective_id,
                "text": check.text(
                    objective.get("text"),
                    (*path, "text"),
                    gettext("%(label)s: %(field)s", label=label, field="text"),
                    required=True,
                    max_length=_LONG_TEXT,
                ),
                "indicators": check.text_list(
                    objective.get("indicators"), (*path, "indicators"), gettext("%(label)s: indikator", label=label)
                ),
            }
        )
    return result


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    return None


def _validate_injects(check: _Checker, value: Any, *, objective_ids: Collection[str] | None) -> list[dict[str, Any]]:
    if value is None or value == []:
        raise check.fail(gettext("injects (innspill) mangler; dreieboka trenger minst ett innspill"), ("injects",))
    if not isinstance(value, list):
        raise check.fail(gettext("injects (innspill) må være en liste"), ("injects",))
    if len(value) > MAX_INJECTS:
        raise check.fail(gettext("for mange innspill (over %(max)s)", max=MAX_INJECTS), ("injects",))

    validated: list[tuple[int, dict[str, Any]]] = []
    seen: dict[int, tuple[int | None, int]] = {}
    for index, item in enumerate(value):
        path: Path = ("injects", index)
        label = gettext("innspill nr. %(no)s i lista", no=index + 1)
        inject = check.mapping(item, path, label, INJECT_FIELDS)
        no = _as_int(inject.get("no"))
        if no is None or no <= 0:
            if inject.get("no") in (None, ""):
                message = gettext("%(label)s: no (nummer) mangler", label=label)
            else:
                message = gettext(
                    "%(label)s: no (nummer) %(value)s er ikke et positivt heltall",
                    label=label,
                    value=repr(inject["no"]),
                )
            raise check.fail(message, (*path, "no"))
        label = gettext("innspill nr. %(no)s", no=no)
        if no in seen:
            earlier = seen[no]
            if earlier[0] is not None:
                message = gettext("%(label)s: nummeret er brukt før (linje %(line)s)", label=label, line=earlier[0])
            else:
                message = gettext(
                    "%(label)s: nummeret er brukt før (plass %(place)s i lista)", label=label, place=earlier[1]
                )
            raise check.fail(message, (*path, "no"))
        seen[no] = (check.line(path), index + 1)

        texts = {
            field: check.text(
                inject.get(field),
                (*path, field),
                gettext("%(label)s: %(field)s", label=label, field=field),
                required=field == "text",
                max_length=_SHORT_TEXT if field in ("from", "to", "channel") else _LONG_TEXT,
            )
            for field in ("from", "to", "channel", "text", "expected", "objective", "notes")
        }
        objective = texts["objective"]
        if objective is not None and objective_ids is not None and objective not in objective_ids:
            values = {"label": label, "objective": repr(objective), "known": ", ".join(sorted(objective_ids))}
            if objective_ids:
                message = gettext(
                    "%(label)s: objective %(objective)s er ikke et definert øvingsmål (definert: %(known)s)", **values
                )
            else:
                message = gettext(
                    "%(label)s: objective %(objective)s er ikke et definert øvingsmål (definert: ingen)", **values
                )
            raise check.fail(message, (*path, "objective"))
        at = _validate_offset(check, inject.get("at"), (*path, "at"), gettext("%(label)s: at (tidspunkt)", label=label))
        normalised = {"no": no, "at": at, **texts}
        validated.append((index, normalised))

    validated.sort(key=lambda pair: pair[1]["no"])
    for (_, before), (index, after) in zip(validated, validated[1:], strict=False):
        if offset_seconds(after["at"]) < offset_seconds(before["at"]):
            raise check.fail(
                gettext(
                    "innspill nr. %(no)s kommer %(at)s, før innspill nr. %(before_no)s (%(before_at)s);"
                    " tidspunktene kan ikke gå bakover i nummerrekkefølgen",
                    no=after["no"],
                    at=after["at"],
                    before_no=before["no"],
                    before_at=before["at"],
                ),
                ("injects", index, "at"),
            )
    return [inject for _, inject in validated]
