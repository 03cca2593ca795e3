"""JSON API of the knowledge base (§3.3): the Oversiktsbilde and the Trusselvurdering (routes on `bp`)."""

from flask import jsonify
from flask_login import current_user

from beredskap.api import field, json_body, require
from beredskap.auth.permissions import Perm
from beredskap.cooperation import overview as overview_service
from beredskap.cooperation import threat
from beredskap.cooperation.agreement import BYDELER, OVERVIEW_SOURCES
from beredskap.cooperation.api_base import MAX_TEXT, bp, id_field, parse_day, version_of
from beredskap.errors import ApiError


def _number(data: dict, name: str) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError(422, "invalid", f"«{name}» må være et tall.", {name: "tall"})
    if abs(value) > 1e12 or value != value:  # NaN is not equal to itself
        raise ApiError(422, "invalid", f"«{name}» er utenfor gyldig område.", {name: "utenfor"})
    return float(value)


def _indicator_fields(data: dict, *, creating: bool) -> dict:
    fields: dict = {}
    if creating or "bydel" in data:
        fields["bydel"] = field(data, "bydel", str, required=True, choices=tuple(BYDELER))
    if creating or "source" in data:
        fields["source"] = field(data, "source", str, required=True, choices=tuple(OVERVIEW_SOURCES))
    for key, limit in (("name", 300), ("unit", 30), ("from", 200)):
        if key in data:
            fields[key] = field(data, key, str, default="", max_length=limit)
    for key in ("comment", "text"):
        if key in data:
            fields[key] = field(data, key, str, default="", max_length=4000)
    for key in ("value", "previous"):
        if key in data:
            fields[key] = _number(data, key)
    return fields


@bp.get("/cooperation/oversiktsbilde/<int:year>")
@require(Perm.COOP_READ)
def overview(year: int):
    """The year's Oversiktsbilde: summary, conclusions, indicators per bydel from the three sources."""
    return jsonify(overview_service.overview_data(year))


@bp.patch("/cooperation/oversiktsbilde/<int:year>")
@require(Perm.COOP_WRITE)
def patch_overview(year: int):
    """Save title, summary and conclusions (a list, or text with one per line); version 0 creates it."""
    data = json_body()
    version = version_of(data)
    changes: dict = {}
    if "title" in data:
        changes["title"] = field(data, "title", str, default="", max_length=300)
    if "summary" in data:
        changes["summary"] = field(data, "summary", str, default="", max_length=MAX_TEXT)
    if "conclusions" in data:
        conclusions = data.get("conclusions")
        if isinstance(conclusions, list):
            if not all(isinstance(line, str) for line in conclusions):
                raise ApiError(422, "invalid", "«conclusions» må være tekst.", {"conclusions": "tekst"})
            conclusions = "\n".join(line.strip() for line in conclusions)
        changes["conclusions"] = field(
            {"conclusions": conclusions}, "conclusions", str, default="", max_length=MAX_TEXT
        )
    if "team" in data:
        changes["team"] = _team(data.get("team"))
    if "sources" in data:
        changes["sources"] = _sources(data.get("sources"))
    overview_service.save_overview(year, changes, version, actor=current_user)
    return jsonify(overview_service.overview_data(year))


def _team(value: object) -> list[dict]:
    """`[{"role", "person_id"} | {"role", "name", "organisation"?}]`: people from the directory or entered."""
    if not isinstance(value, list) or len(value) > 30 or not all(isinstance(v, dict) for v in value):
        raise ApiError(422, "invalid", "«team» må være en liste med personer.", {"team": "liste"})
    return [
        {
            "role": field(entry, "role", str, required=True, max_length=40),
            "person_id": id_field(entry, "person_id"),
            "name": field(entry, "name", str, default="", max_length=200),
            "organisation": field(entry, "organisation", str, default="", max_length=200),
        }
        for entry in value
    ]


def _sources(value: object) -> dict:
    """`{"kriminalstatistikk": {"year": 2026, "note"?}, "ungdata": {...}, "kvalitativ": {...}}` (any of the three)."""
    if not isinstance(value, dict) or not all(key in OVERVIEW_SOURCES for key in value):
        known = ", ".join(OVERVIEW_SOURCES)
        raise ApiError(422, "invalid", f"«sources» må være et objekt med kildene {known}.", {"sources": "ukjent kilde"})
    out = {}
    for key, entry in value.items():
        if not isinstance(entry, dict):
            raise ApiError(422, "invalid", f"Kilden «{key}» må ha år.", {"sources": key})
        year = field(entry, "year", int)
        if year is not None and not 1990 <= year <= 2100:
            raise ApiError(422, "invalid", f"Året for «{key}» er ikke gyldig.", {"sources": key})
        out[key] = {"year": year, "note": field(entry, "note", str, default="", max_length=1000)}
    return out


@bp.get("/cooperation/trusselvurdering/<int:year>")
@require(Perm.COOP_READ)
def threat_assessment(year: int):
    """The year's Trusselvurdering for Agder: title, summary, publication date and link (version 0: not recorded)."""
    return jsonify(threat.assessment_data(year))


@bp.patch("/cooperation/trusselvurdering/<int:year>")
@require(Perm.COOP_WRITE)
def patch_threat_assessment(year: int):
    """Save `{"title"?, "summary"?, "published_on"?: "2027-02-11", "url"?, "version"}`; version 0 creates it."""
    data = json_body()
    version = version_of(data)
    changes: dict = {}
    if "title" in data:
        changes["title"] = field(data, "title", str, default="", max_length=300)
    if "summary" in data:
        changes["summary"] = field(data, "summary", str, default="", max_length=MAX_TEXT)
    if "url" in data:
        changes["url"] = field(data, "url", str, default="", max_length=500)
    if "published_on" in data:
        changes["published_on"] = parse_day(data.get("published_on"), "published_on")
    threat.save_assessment(year, changes, version, actor=current_user)
    return jsonify(threat.assessment_data(year))


@bp.post("/cooperation/oversiktsbilde/<int:year>/indicators")
@require(Perm.COOP_WRITE)
def add_indicator(year: int):
    """Add `{"bydel", "source": "kriminalstatistikk"|"ungdata"|"kvalitativ", "name"?, "value"?, "previous"?,
    "unit"?, "comment"?, "text"?, "from"?}`."""
    indicator = overview_service.add_indicator(year, _indicator_fields(json_body(), creating=True), actor=current_user)
    return jsonify(indicator.to_dict()), 201


@bp.patch("/cooperation/indicators/<int:indicator_id>")
@require(Perm.COOP_WRITE)
def patch_indicator(indicator_id: int):
    """Correct an indicator; needs `version`."""
    data = json_body()
    version = version_of(data)
    indicator = overview_service.update_indicator(
        indicator_id, _indicator_fields(data, creating=False), version, actor=current_user
    )
    return jsonify(indicator.to_dict())


@bp.delete("/cooperation/indicators/<int:indicator_id>")
@require(Perm.COOP_WRITE)
def delete_indicator(indicator_id: int):
    """Remove an indicator."""
    overview_service.delete_indicator(indicator_id, actor=current_user)
    return jsonify({"deleted": indicator_id})
