"""Districts: the grouping of delområder into bydeler in force, and the coordinator's edits to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.maps import layers as layer_files
from beredskap.maps.models import DistrictGrouping, Resource
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

MAX_BYDEL_NAME = 80


MAX_DELOMRADE_NAME = 120


def current_grouping() -> layer_files.Grouping:
    """Return the grouping in force: the coordinator's rows, the shipped grouping for any row not stored."""
    stored = {row.delomrade: (row.delomrade_name, row.bydel) for row in db.session.scalars(select(DistrictGrouping))}
    grouping = []
    for number, name, bydel in layer_files.shipped_grouping():
        grouping.append((number, *stored.pop(number, (name, bydel))))
    grouping += [(number, name, bydel) for number, (name, bydel) in stored.items()]
    return tuple(sorted(grouping))


def district_mapping() -> dict[str, str]:
    """Return {delområdenummer: bydel} as the coordinator has grouped them."""
    return {number: bydel for number, _, bydel in current_grouping()}


def delomrade_names() -> dict[str, str]:
    """Return {delområdenummer: the delområde's current name}."""
    return {number: name for number, name, _ in current_grouping()}


def list_districts() -> dict[str, Any]:
    """Return every delområde with its name, bydel and version, and the bydeler with their delområder."""
    stored = {row.delomrade: row for row in db.session.scalars(select(DistrictGrouping))}
    population = {
        str(f["properties"]["delomradenummer"]): f["properties"].get("folketall") or 0
        for f in layer_files.load_layer("delomrader")["features"]
    }
    delomrader = []
    for number, name, bydel in current_grouping():
        row = stored.get(number)
        delomrader.append(
            {
                "number": number,
                "name": name,
                "bydel": bydel,
                "population": population.get(number, 0),
                "version": row.version if row else 1,
            }
        )
    bydeler: dict[str, dict[str, Any]] = {}
    for item in delomrader:
        entry = bydeler.setdefault(
            item["bydel"], {"name": item["bydel"], "delomrader": [], "delomrade_names": [], "population": 0}
        )
        entry["delomrader"].append(item["number"])
        entry["delomrade_names"].append(item["name"])
        entry["population"] += item["population"]
    return {"delomrader": delomrader, "bydeler": sorted(bydeler.values(), key=lambda b: b["name"])}


def _ensure_grouping_rows() -> dict[str, DistrictGrouping]:
    """Store the shipped grouping for every delområde that has no row yet; return all rows by number.

    INSERT … ON CONFLICT DO NOTHING, so two first edits (or seeds) at once do not collide on the key.
    """
    stored = set(db.session.scalars(select(DistrictGrouping.delomrade)))
    missing = [
        {"delomrade": number, "delomrade_name": name, "bydel": bydel, "updated_at": utcnow(), "version": 1}
        for number, name, bydel in layer_files.shipped_grouping()
        if number not in stored
    ]
    if missing:
        insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        db.session.execute(insert(DistrictGrouping).values(missing).on_conflict_do_nothing())
    return {row.delomrade: row for row in db.session.scalars(select(DistrictGrouping))}


@transactional
def update_districts(changes: list[Mapping[str, Any]], actor: User | None = None) -> dict[str, Any]:
    """Rename delområder and move them between bydeler; each change names the version it read (409 if stale).

    Resources in a moved delområde follow it into its new bydel in the same transaction.
    """
    if not isinstance(changes, list) or not changes:
        raise Invalid("invalid", gettext("Oppgi minst én endring i «delomrader»."), {"delomrader": "påkrevd"})
    rows = _ensure_grouping_rows()
    changed: list[str] = []
    moved: dict[str, str] = {}
    for position, change in enumerate(changes):
        number, name, bydel, version = _parse_district_change(change, position)
        row = rows.get(number)
        if row is None:
            raise NotFound(
                gettext("Ukjent delområde %(number)s.", number=number), fields={f"delomrader[{position}]": "ukjent"}
            )
        if row.version != version:
            raise Conflict(
                "version_conflict",
                gettext(
                    "Delområdet «%(name)s» er endret av noen andre. Last inn på nytt og prøv igjen.",
                    name=row.delomrade_name,
                ),
            )
        if (name is None or name == row.delomrade_name) and (bydel is None or bydel == row.bydel):
            continue
        if name is not None:
            row.delomrade_name = name
        if bydel is not None and bydel != row.bydel:
            row.bydel = bydel
            moved[number] = bydel
        row.updated_at = utcnow()
        row.updated_by = actor.id if actor else None
        changed.append(number)
    if changed:
        db.session.flush()
        for number, bydel in moved.items():
            db.session.execute(
                update(Resource)
                .where(Resource.delomrade == number)
                .values(bydel=bydel)
                .execution_options(synchronize_session="fetch")
            )
        bydeler = sorted({row.bydel for row in rows.values()})
        append_event(
            "global",
            "districts.updated",
            {"delomrader": changed, "moved": sorted(moved), "bydeler": bydeler},
            actor_id=actor.id if actor else None,
        )
        record_audit(
            "districts.update",
            "district_grouping",
            ",".join(changed),
            actor=actor,
            meta={"moved": sorted(moved), "count": len(changed)},
        )
    db.session.commit()
    return {"changed": changed, **list_districts()}


def _parse_district_change(change: Any, position: int) -> tuple[str, str | None, str | None, int]:
    key = f"delomrader[{position}]"
    if not isinstance(change, Mapping):
        raise Invalid("invalid", gettext("Hver endring må være et objekt med «number» og «version»."), {key: "objekt"})
    number = change.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not number.strip():
        raise Invalid("invalid", gettext("Endringen mangler delområdenummer («number»)."), {key: "number"})
    version = change.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid(
            "invalid", gettext("%(label)s mangler eller er ikke et heltall.", label=label("version")), {key: "version"}
        )
    name = _optional_text(change.get("name"), "name", MAX_DELOMRADE_NAME, key)
    bydel = _optional_text(change.get("bydel"), "bydel", MAX_BYDEL_NAME, key)
    return number.strip(), name, bydel, version


def _optional_text(value: Any, name: str, max_length: int, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise Invalid("invalid", f"«{name}» må være en tekst som ikke er tom.", {key: name})
    value = " ".join(value.split())
    if len(value) > max_length:
        raise Invalid("invalid", f"«{name}» er for langt (maks {max_length} tegn).", {key: name})
    return value
