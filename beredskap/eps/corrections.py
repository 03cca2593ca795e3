"""Corrections at the EPS desk: fix a registration or an inquiry (old values kept), check a person in again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.domain_errors import Conflict, Invalid
from beredskap.eps.fields import FieldError, clean_phone, clean_text, parse_birth_date, parse_birth_year, parse_needs
from beredskap.eps.models import EvacueeHistory, EvacueeStatus, Household, InquiryStatus, RecordChange
from beredskap.eps.queries import change_counts, ensure_writable, field_error, get_centre_and_incident, occupancy_events
from beredskap.eps.registry import candidates_for, get_evacuee, get_inquiry
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_events
from beredskap.transaction import transactional

EVACUEE_FIELDS = ("full_name", "birth_date", "phone", "address", "needs", "needs_note", "destination", "household_id")
INQUIRY_FIELDS = (
    "inquirer_name",
    "inquirer_phone",
    "relation",
    "sought_name",
    "sought_birth_year",
    "sought_phone",
    "note",
)
STALE = _l("Registreringen er endret av noen andre. Last inn på nytt.")


def record_change(centre_id: int, kind: str, subject_id: int, changes: dict, actor: User | None, **extra: Any) -> None:
    """Keep what a change replaced: values before and after, who and when (personal data for people)."""
    db.session.add(
        RecordChange(
            centre_id=centre_id,
            subject_type=kind,
            subject_id=subject_id,
            changes=changes,
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else "system",
            at=utcnow(),
            **extra,
        )
    )


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {key: {"from": before[key], "to": after[key]} for key in after if before.get(key) != after[key]}


def _apply(record, values: Mapping[str, Any], snapshot, asked: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the parsed values on the record; the fields asked to change that really did, old and new."""
    before = snapshot(record)
    for key, value in values.items():
        setattr(record, key, value)
    return _diff(before, {key: value for key, value in snapshot(record).items() if key in asked})


def _evacuee_values(evacuee) -> dict[str, Any]:
    born = evacuee.birth_date.isoformat() if evacuee.birth_date else evacuee.birth_year
    return {
        "full_name": evacuee.full_name,
        "birth_date": born,
        "phone": evacuee.phone,
        "address": evacuee.address,
        "needs": evacuee.need_keys(),
        "needs_note": evacuee.needs_note,
        "destination": evacuee.destination,
        "household_id": evacuee.household_id,
    }


def _parse_evacuee(evacuee, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Column values from the fields sent, checked as at check-in; errors name the field, never the value."""
    values: dict[str, Any] = {}
    parsers: dict[str, Callable[[Any], None]] = {
        "full_name": lambda v: values.update(full_name=clean_text(v, "full_name", 200, required=True)),
        "phone": lambda v: values.update(phone=clean_phone(v, "phone")),
        "address": lambda v: values.update(address=clean_text(v, "address", 300)),
        "needs_note": lambda v: values.update(needs_note=clean_text(v, "needs_note", 1000)),
    }
    try:
        for key, parse in parsers.items():
            if key in changes:
                parse(changes[key])
        if "birth_date" in changes:
            values["birth_date"], values["birth_year"] = parse_birth_date(changes["birth_date"], utcnow().date())
        if "needs" in changes:
            values["needs"], note = parse_needs(changes["needs"])
            if note and "needs_note" not in changes:
                values["needs_note"] = note
        if "destination" in changes:
            if evacuee.status != EvacueeStatus.LEFT:
                raise FieldError(
                    "destination", gettext("Reisemål kan bare rettes for en som er sjekket ut."), "ugyldig"
                )
            values["destination"] = clean_text(changes["destination"], "destination", 300, required=True)
    except FieldError as err:
        raise field_error(err) from None
    if "household_id" in changes:
        values["household_id"] = _household(evacuee.centre_id, changes["household_id"])
    return values


def _household(centre_id: int, household_id: Any) -> int | None:
    """Link to a household of the same centre (None unlinks)."""
    if household_id is None:
        return None
    if isinstance(household_id, bool) or not isinstance(household_id, int):
        raise Invalid("invalid", gettext("Husstand må være et heltall."), {"household_id": "heltall"})
    household = db.session.get(Household, household_id)
    if household is None or household.centre_id != centre_id:
        raise Invalid("invalid", gettext("Husstanden finnes ikke ved denne EPS-en."), {"household_id": "ukjent"})
    return household.id


@transactional
def correct_evacuee(evacuee_id: int, changes: Mapping[str, Any], version: int, actor: User | None = None):
    """Correct fields of a registration; the old values go to its change history, the audit names the fields."""
    evacuee = get_evacuee(evacuee_id, for_update=True)
    if evacuee.version != version:
        raise Conflict("version_conflict", str(STALE))
    centre, incident = get_centre_and_incident(evacuee.centre_id)
    ensure_writable(centre, incident)
    values = _parse_evacuee(evacuee, changes)
    diff = _apply(evacuee, values, _evacuee_values, changes)
    if not diff:
        db.session.rollback()
        return get_evacuee(evacuee_id)
    db.session.flush()
    record_change(centre.id, "evacuee", evacuee.id, diff, actor, version=evacuee.version)
    actor_id = actor.id if actor else None
    db.session.add(
        EvacueeHistory(evacuee_id=evacuee.id, action="corrected", status=evacuee.status, at=utcnow(), actor_id=actor_id)
    )
    record_audit("correct", "evacuee", evacuee.id, actor=actor, meta={"eps_id": centre.id, "fields": sorted(diff)})
    data = {
        "eps_id": centre.id,
        "evacuee_id": evacuee.id,
        "household_id": evacuee.household_id,
        "version": evacuee.version,
    }
    append_events([(centre.channel, "evacuee.corrected", data)], actor_id=actor_id)
    db.session.commit()
    return evacuee


@transactional
def check_in_again(evacuee_id: int, actor: User | None = None):
    """A person who was checked out comes back: present again; the destination they left for is kept in history."""
    evacuee = get_evacuee(evacuee_id, for_update=True)
    if evacuee.status != EvacueeStatus.LEFT:
        raise Conflict("already_present", gettext("Personen er allerede til stede."))
    centre, incident = get_centre_and_incident(evacuee.centre_id)
    ensure_writable(centre, incident)
    now = utcnow()
    diff = {
        "status": {"from": EvacueeStatus.LEFT.value, "to": EvacueeStatus.PRESENT.value},
        "destination": {"from": evacuee.destination, "to": None},
    }
    evacuee.status = EvacueeStatus.PRESENT
    evacuee.left_at = None
    evacuee.destination = None
    db.session.flush()
    actor_id = actor.id if actor else None
    record_change(centre.id, "evacuee", evacuee.id, diff, actor, action="checked_in_again", version=evacuee.version)
    db.session.add(
        EvacueeHistory(
            evacuee_id=evacuee.id, action="checked_in_again", status=EvacueeStatus.PRESENT, at=now, actor_id=actor_id
        )
    )
    record_audit("checkin_again", "evacuee", evacuee.id, actor=actor, meta={"eps_id": centre.id})
    counts = change_counts(centre, refuse_closed=True, present_count=1, left_count=-1)
    data = {
        "eps_id": centre.id,
        "evacuee_id": evacuee.id,
        "household_id": evacuee.household_id,
        "counts": {
            "present": counts["present"],
            "registered": counts["registered"],
            "left": counts["left"],
            "capacity": centre.capacity,
        },
    }
    append_events(
        [(centre.channel, "evacuee.checked_in_again", data), *occupancy_events(centre, counts)], actor_id=actor_id
    )
    db.session.commit()
    return evacuee


def _inquiry_values(inquiry) -> dict[str, Any]:
    return {key: getattr(inquiry, key) for key in INQUIRY_FIELDS}


@transactional
def correct_inquiry(inquiry_id: int, changes: Mapping[str, Any], version: int, actor: User | None = None):
    """Correct a next-of-kin inquiry; an open one is matched again when whom it seeks changed."""
    inquiry = get_inquiry(inquiry_id, for_update=True)
    if inquiry.version != version:
        raise Conflict("version_conflict", gettext("Henvendelsen er endret av noen andre. Last inn på nytt."))
    centre, incident = get_centre_and_incident(inquiry.centre_id)
    ensure_writable(centre, incident)
    required = {"inquirer_name": 200, "relation": 100, "sought_name": 200}
    values: dict[str, Any] = {}
    try:
        for key in INQUIRY_FIELDS:
            if key not in changes:
                continue
            value = changes[key]
            if key in required:
                values[key] = clean_text(value, key, required[key], required=True)
            elif key in ("inquirer_phone", "sought_phone"):
                values[key] = clean_phone(value, key)
            elif key == "sought_birth_year":
                values[key] = parse_birth_year(value, utcnow().date())
            else:
                values[key] = clean_text(value, key, 1000)
        if "inquirer_phone" in values and not values["inquirer_phone"]:
            raise FieldError("inquirer_phone", gettext("%(label)s mangler.", label=label("inquirer_phone")), "påkrevd")
    except FieldError as err:
        raise field_error(err) from None
    diff = _apply(inquiry, values, _inquiry_values, values)
    if not diff:
        db.session.rollback()
        return get_inquiry(inquiry_id)
    if inquiry.status == InquiryStatus.OPEN and {"sought_name", "sought_birth_year", "sought_phone"} & set(diff):
        inquiry.candidates = candidates_for(inquiry)
        inquiry.candidates_at = utcnow()
    db.session.flush()
    record_change(centre.id, "inquiry", inquiry.id, diff, actor, version=inquiry.version)
    record_audit("correct", "inquiry", inquiry.id, actor=actor, meta={"eps_id": centre.id, "fields": sorted(diff)})
    data = {
        "eps_id": centre.id,
        "inquiry_id": inquiry.id,
        "candidate_count": len(inquiry.candidates or []),
        "version": inquiry.version,
    }
    append_events([(centre.channel, "inquiry.corrected", data)], actor_id=actor.id if actor else None)
    db.session.commit()
    return inquiry
