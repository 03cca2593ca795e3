"""Confidentiality of the EPS registry: audited reads and exports, retention purge, deleting exercise data."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import isoformat, utcnow
from beredskap.consent import services as consent
from beredskap.consent.models import ShareBasis
from beredskap.csvfile import write_csv
from beredskap.domain_errors import Conflict, Invalid
from beredskap.eps.models import (
    EVACUEE_STATUS_TITLES,
    NEED_TITLES,
    Department,
    EvacuationCentre,
    Evacuee,
    EvacueeHistory,
    EvacueeStatus,
    Household,
    Inquiry,
    InquiryStatus,
    JobMarker,
    RecordChange,
    StaffAssignment,
)
from beredskap.eps.pfif import build_pfif
from beredskap.eps.queries import get_centre, get_incident
from beredskap.eps.registry import get_evacuee, get_inquiry
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.incidents.models import Incident, IncidentStatus
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

log = logging.getLogger(__name__)

MAX_REASON = 200
DEFAULT_REASON = "ikke oppgitt"
PURGE_INTERVAL = timedelta(hours=1)
PURGE_JOB = "privacy_purge"
DEFAULT_PFIF_DOMAIN = "beredskap.kristiansand.kommune.no"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def access_reason(raw: Any) -> str:
    """Return the stated reason for reading personal data, trimmed to what the audit log holds."""
    if not isinstance(raw, str):
        return DEFAULT_REASON
    text = " ".join(_CONTROL.sub(" ", raw).split())
    return text[:MAX_REASON] or DEFAULT_REASON


def _audit_each(
    action: str, subject_type: str, ids: Iterable[int], actor: User | None, reason: str, meta: dict
) -> None:
    # One record per person: a list read is as many accesses as people on it. Ids only, never the data.
    for subject_id in ids:
        record_audit(action, subject_type, subject_id, actor=actor, reason=reason, meta=meta)


def _live_evacuees(centre_id: int, status: str | None = None) -> list[Evacuee]:
    stmt = select(Evacuee).where(Evacuee.centre_id == centre_id, Evacuee.anonymised_at.is_(None))
    if status is not None:
        if status not in tuple(EvacueeStatus):
            raise Invalid(
                "invalid",
                gettext("%(label)s må være «present» eller «left».", label=label("status")),
                {"status": "ugyldig"},
            )
        stmt = stmt.where(Evacuee.status == status)
    return list(db.session.scalars(stmt.order_by(Evacuee.id)))


@transactional
def read_evacuees(centre_id: int, actor: User | None, reason: str, status: str | None = None) -> list[dict]:
    """Return the people registered at a centre; writes one audit record per person listed."""
    centre = get_centre(centre_id)
    people = _live_evacuees(centre.id, status)
    result = [person.to_dict() for person in people]
    _audit_each("read", "evacuee", (p.id for p in people), actor, reason, {"eps_id": centre.id, "via": "list"})
    db.session.commit()
    return result


@transactional
def read_evacuee(evacuee_id: int, actor: User | None, reason: str) -> dict:
    """Return one registration with its status history; audited."""
    evacuee = get_evacuee(evacuee_id)
    result = evacuee.to_dict()
    history = db.session.scalars(
        select(EvacueeHistory).where(EvacueeHistory.evacuee_id == evacuee.id).order_by(EvacueeHistory.id)
    )
    result["history"] = [entry.to_dict() for entry in history]
    record_audit("read", "evacuee", evacuee.id, actor=actor, reason=reason, meta={"eps_id": evacuee.centre_id})
    db.session.commit()
    return result


@transactional
def read_inquiries(centre_id: int, actor: User | None, reason: str, status: str | None = None) -> list[dict]:
    """Return the inquiries taken at a centre; one audit record per inquiry listed."""
    centre = get_centre(centre_id)
    stmt = select(Inquiry).where(Inquiry.centre_id == centre.id, Inquiry.anonymised_at.is_(None))
    if status is not None:
        if status not in tuple(InquiryStatus):
            raise Invalid(
                "invalid",
                gettext("%(label)s må være open, reunited eller closed.", label=label("status")),
                {"status": "ugyldig"},
            )
        stmt = stmt.where(Inquiry.status == status)
    inquiries = list(db.session.scalars(stmt.order_by(Inquiry.id.desc())))
    result = [inquiry.to_dict() for inquiry in inquiries]
    _audit_each("read", "inquiry", (i.id for i in inquiries), actor, reason, {"eps_id": centre.id, "via": "list"})
    db.session.commit()
    return result


@transactional
def read_inquiry(inquiry_id: int, actor: User | None, reason: str) -> dict:
    """Return an inquiry with its candidates and what the desk needs to confirm one; every person read is audited."""
    inquiry = get_inquiry(inquiry_id)
    result = inquiry.to_dict()
    ids = [candidate["evacuee_id"] for candidate in inquiry.candidates or []]
    if inquiry.reunited_evacuee_id and inquiry.reunited_evacuee_id not in ids:
        ids.append(inquiry.reunited_evacuee_id)
    people = {p.id: p for p in db.session.scalars(select(Evacuee).where(Evacuee.id.in_(ids)))} if ids else {}
    centres = {
        c.id: c.name
        for c in db.session.scalars(select(EvacuationCentre).where(EvacuationCentre.incident_id == inquiry.incident_id))
    }
    candidates = []
    for candidate in inquiry.candidates or []:
        person = people.get(candidate["evacuee_id"])
        if person is None or person.anonymised_at is not None:
            continue
        candidates.append(
            {
                "evacuee_id": person.id,
                "score": candidate["score"],
                "full_name": person.full_name,
                "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                "birth_year": person.birth_year,
                "status": person.status,
                "destination": person.destination,
                "eps_id": person.centre_id,
                "eps_name": centres.get(person.centre_id),
                "household_id": person.household_id,
                "exercise": person.exercise,
            }
        )
    result["candidates"] = candidates
    record_audit("read", "inquiry", inquiry.id, actor=actor, reason=reason, meta={"eps_id": inquiry.centre_id})
    _audit_each(
        "read",
        "evacuee",
        (c["evacuee_id"] for c in candidates),
        actor,
        reason,
        {"via": "inquiry", "inquiry_id": inquiry.id},
    )
    db.session.commit()
    return result


# --- exports ---


def _retention_days() -> int:
    return int(current_app.config.get("PRIVACY_RETENTION_DAYS", 30))


def expiry_for(incident: Incident, now: datetime) -> datetime:
    """When the data is purged: retention after closing, or (while open) at least retention from now."""
    return (incident.closed_at or now) + timedelta(days=_retention_days())


@transactional
def export_pfif(centre_id: int, actor: User | None, reason: str, basis: ShareBasis) -> bytes:
    """Return the centre's registrations as PFIF 1.4; each exported person is audited with the share's basis."""
    centre = get_centre(centre_id)
    incident = get_incident(centre.incident_id)
    now = utcnow()
    people = _live_evacuees(centre.id)
    expiry = expiry_for(incident, now)
    records = [
        {
            "id": p.id,
            "full_name": p.full_name,
            "birth_date": p.birth_date,
            "birth_year": p.birth_year,
            "address": p.address,
            "phone": p.phone,
            "registered_at": p.registered_at,
            "left_at": p.left_at,
            "status": p.status,
            "destination": p.destination,
            "centre_name": centre.name,
            "expiry_date": expiry,
            "exercise": p.exercise,
        }
        for p in people
    ]
    base_url = str(current_app.config.get("PUBLIC_BASE_URL", "")).rstrip("/")
    document = build_pfif(
        records,
        domain=str(current_app.config.get("PFIF_DOMAIN", DEFAULT_PFIF_DOMAIN)),
        source_name="Beredskap – Kristiansand kommune",  # i18n: PFIF document shared with the police
        author_name=f"Kristiansand kommune, {centre_label(centre.name)}",  # i18n: PFIF document shared with the police
        source_url=f"{base_url}/eps/{centre.id}" if base_url else None,
    )
    _audit_share(people, actor, reason, basis, {"eps_id": centre.id, "format": "pfif"})
    db.session.commit()
    return document


def _audit_share(people: list[Evacuee], actor: User | None, reason: str, basis: ShareBasis, meta: dict) -> None:
    # Each person's record names the basis the share ran on; the basis gets one record of the use.
    _audit_each("export", "evacuee", (p.id for p in people), actor, reason, {**meta, **consent.audit_meta(basis)})
    consent.record_use(basis, actor, {**meta, "persons": len(people)})


def centre_label(name: str) -> str:
    """«EPS Gimlehallen» for a centre called «Gimlehallen» or already «EPS Gimlehallen» (never «EPS EPS …»)."""
    name = " ".join((name or "").split())
    return name if name.casefold().split(" ", 1)[0] in ("eps", "eps:") else f"EPS {name}"


def csv_header() -> list[str]:
    """The column titles of the registry CSV, in the user's language."""
    return [
        gettext("Id"),
        gettext("Øvelse"),
        gettext("Navn"),
        gettext("Fødselsdato"),
        gettext("Telefon"),
        gettext("Adresse"),
        gettext("Status"),
        gettext("Registrert"),
        gettext("Sjekket ut"),
        gettext("Reisemål"),
        gettext("Husstand"),
        gettext("Behov"),
        gettext("Merknad behov"),
    ]


@transactional
def export_csv(centre_id: int, actor: User | None, reason: str, basis: ShareBasis) -> str:
    """Return the centre's registrations as a CSV file (`beredskap.csvfile`); audited per person with the basis."""
    centre = get_centre(centre_id)
    people = _live_evacuees(centre.id)
    rows = [
        (
            p.id,
            gettext("ØVELSE") if p.exercise else "",
            p.full_name,
            p.birth_date or p.birth_year,
            p.phone,
            p.address,
            EVACUEE_STATUS_TITLES.get(p.status, p.status),
            p.registered_at,
            p.left_at,
            p.destination,
            p.household_id,
            ", ".join(NEED_TITLES[k] for k in p.need_keys()),
            p.needs_note,
        )
        for p in people
    ]
    text = write_csv(csv_header(), rows)
    _audit_share(people, actor, reason, basis, {"eps_id": centre.id, "format": "csv"})
    db.session.commit()
    return text


@transactional
def namelist_data(centre_id: int, actor: User | None, reason: str) -> dict[str, Any]:
    """Return the input of reports.eps_status.build_eps_namelist; each person printed is audited."""
    centre = get_centre(centre_id)
    incident = get_incident(centre.incident_id)
    people = _live_evacuees(centre.id)
    data = {
        "incident": {"id": incident.id, "title": incident.title, "kind": incident.kind},
        "centre": {"name": centre.name},
        "as_of": utcnow(),
        "exercise": incident.is_exercise,
        "evacuees": [
            {
                "full_name": p.full_name,
                "birth_date": p.birth_date,
                "phone": p.phone,
                "address": p.address,
                "status": p.status,
                "registered_at": p.registered_at,
                "destination": p.destination,
                "needs": [NEED_TITLES[k] for k in p.need_keys()],
            }
            for p in people
        ],
    }
    _audit_each("print", "evacuee", (p.id for p in people), actor, reason, {"eps_id": centre.id, "format": "pdf"})
    db.session.commit()
    return data


# --- retention ---


@transactional
def purge_expired_personal_data(dry_run: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """Anonymise evacuees and inquiries of incidents closed longer than the retention ago; nothing else.

    The rows stay (so counts and reports remain right) but lose every personal field. Returns counts only.
    """
    now = now or utcnow()
    days = _retention_days()
    cutoff = now - timedelta(days=days)
    incident_ids = list(
        db.session.scalars(
            select(Incident.id)
            .where(
                Incident.status == IncidentStatus.CLOSED, Incident.closed_at.is_not(None), Incident.closed_at <= cutoff
            )
            .order_by(Incident.id)
        )
    )
    per_incident: dict[int, dict[str, int]] = {}
    if incident_ids:
        for model, key in ((Evacuee, "evacuees"), (Inquiry, "inquiries")):
            rows = db.session.execute(
                select(model.incident_id, func.count())
                .where(model.incident_id.in_(incident_ids), model.anonymised_at.is_(None))
                .group_by(model.incident_id)
            )
            for incident_id, count in rows:
                per_incident.setdefault(incident_id, {"evacuees": 0, "inquiries": 0})[key] = count
    result = {
        "dry_run": dry_run,
        "retention_days": days,
        "cutoff": isoformat(cutoff),
        "incidents": len(per_incident),
        "evacuees": sum(counts["evacuees"] for counts in per_incident.values()),
        "inquiries": sum(counts["inquiries"] for counts in per_incident.values()),
    }
    # Stored answers of idempotent writes can hold what a registration returned; they live 24 hours at most.
    from beredskap.idempotency import purge_expired_records

    result["idempotency_records"] = purge_expired_records(now, dry_run=dry_run)
    if dry_run or not per_incident:
        db.session.rollback()
        return result
    ids = list(per_incident)
    db.session.execute(
        update(Evacuee)
        .where(Evacuee.incident_id.in_(ids), Evacuee.anonymised_at.is_(None))
        .values(
            full_name=None,
            birth_date=None,
            birth_year=None,
            phone=None,
            address=None,
            needs_note=None,
            destination=None,
            anonymised_at=now,
            version=Evacuee.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Inquiry)
        .where(Inquiry.incident_id.in_(ids), Inquiry.anonymised_at.is_(None))
        .values(
            inquirer_name=None,
            inquirer_phone=None,
            relation=None,
            sought_name=None,
            sought_birth_year=None,
            sought_phone=None,
            note=None,
            candidates=[],
            anonymised_at=now,
            version=Inquiry.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    # The values a correction replaced are personal data too: they go with the record.
    centres = select(EvacuationCentre.id).where(EvacuationCentre.incident_id.in_(ids))
    db.session.execute(
        delete(RecordChange)
        .where(RecordChange.centre_id.in_(centres), RecordChange.subject_type.in_(("evacuee", "inquiry")))
        .execution_options(synchronize_session=False)
    )
    for incident_id, counts in per_incident.items():
        record_audit("privacy.purge", "incident", incident_id, meta={**counts, "retention_days": days})
        append_event(f"incident:{incident_id}", "eps.purged", {"incident_id": incident_id, **counts})
    db.session.commit()
    db.session.expire_all()
    log.info(
        "privacy purge: %d incidents, %d evacuees, %d inquiries",
        result["incidents"],
        result["evacuees"],
        result["inquiries"],
    )
    return result


def _claim_job(key: str, now: datetime, interval: timedelta) -> bool:
    """True for exactly one process per interval: a conditional UPDATE on the marker row decides."""
    marker = db.session.get(JobMarker, key)
    if marker is not None and marker.last_run_at is not None and marker.last_run_at > now - interval:
        db.session.rollback()
        return False
    if marker is None:
        insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        db.session.execute(insert(JobMarker).values(key=key, last_run_at=None).on_conflict_do_nothing())
    claimed = db.session.execute(
        update(JobMarker)
        .where(JobMarker.key == key, or_(JobMarker.last_run_at.is_(None), JobMarker.last_run_at <= now - interval))
        .values(last_run_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


@transactional
def run_purge_if_due(now: datetime) -> dict[str, Any] | None:
    """Run the retention purge when the last run is more than an hour old; None when it was not due."""
    if not _claim_job(PURGE_JOB, now, PURGE_INTERVAL):
        return None
    return purge_expired_personal_data(now=now)


# --- exercise data ---


@transactional
def delete_exercise_personal_data(incident_id: int, actor: User | None = None) -> dict[str, int]:
    """Delete every EPS record (centres, departments, staff, people, inquiries) of an exercise incident."""
    incident = get_incident(incident_id)
    if not incident.is_exercise:
        raise Conflict(
            "not_exercise", gettext("Bare data fra øvelser kan slettes slik; reelle data følger lagringstiden.")
        )
    centre_ids = list(
        db.session.scalars(select(EvacuationCentre.id).where(EvacuationCentre.incident_id == incident.id))
    )
    evacuee_ids = select(Evacuee.id).where(Evacuee.incident_id == incident.id)
    department_ids = select(Department.id).where(Department.centre_id.in_(centre_ids))
    counts = {
        "centres": len(centre_ids),
        "evacuees": db.session.scalar(select(func.count()).where(Evacuee.incident_id == incident.id)) or 0,
        "inquiries": db.session.scalar(select(func.count()).where(Inquiry.incident_id == incident.id)) or 0,
    }
    # Children first, so the order works with and without ON DELETE CASCADE.
    for statement in (
        delete(EvacueeHistory).where(EvacueeHistory.evacuee_id.in_(evacuee_ids)),
        delete(RecordChange).where(RecordChange.centre_id.in_(centre_ids)),
        delete(Inquiry).where(Inquiry.incident_id == incident.id),
        delete(Evacuee).where(Evacuee.incident_id == incident.id),
        delete(Household).where(Household.centre_id.in_(centre_ids)),
        delete(StaffAssignment).where(StaffAssignment.department_id.in_(department_ids)),
        delete(Department).where(Department.centre_id.in_(centre_ids)),
        delete(EvacuationCentre).where(EvacuationCentre.incident_id == incident.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    record_audit("privacy.delete_exercise", "incident", incident.id, actor=actor, meta=counts)
    data = {"incident_id": incident.id, **counts}
    actor_id = actor.id if actor else None
    append_event(incident.channel, "eps.exercise_data_deleted", data, actor_id=actor_id)
    append_event("global", "eps.exercise_data_deleted", data, actor_id=actor_id)
    db.session.commit()
    db.session.expire_all()
    log.info(
        "exercise %s: EPS data deleted (%d centres, %d evacuees, %d inquiries)",
        incident.id,
        counts["centres"],
        counts["evacuees"],
        counts["inquiries"],
    )
    return counts
