"""The structured yearly evaluation of the agreement (§6): per innsatsområde and samarbeidsområde, with the
«fortløpende» notes of the year gathered into it, as data for the page, the API and the PDF."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.consent.services import oslo_today
from beredskap.cooperation import periods
from beredskap.cooperation.evaluation_models import (
    EVALUATION_STATUSES,
    TARGETS,
    EvaluationEntry,
    EvaluationNote,
)
from beredskap.cooperation.models import Agreement, AgreementEvaluation, CooperationArea, FocusArea, Meeting
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

CHANNEL = "cooperation"
TARGET_MODELS = {"innsatsomrade": FocusArea, "samarbeidsomrade": CooperationArea}


def _targets(agreement: Agreement, target: str) -> list:
    model = TARGET_MODELS[target]
    stmt = select(model).where(model.agreement_id == agreement.id).order_by(model.position, model.id)
    return list(db.session.scalars(stmt))


def _check_target(agreement: Agreement, target: str, target_id: int | None) -> None:
    if target_id is None:
        raise Invalid("invalid", gettext("Velg hvilket område det gjelder."), {"target_id": "påkrevd"})
    if target_id not in {t.id for t in _targets(agreement, target)}:
        message = (
            gettext("Ukjent innsatsområde i avtalen for året.")
            if target == "innsatsomrade"
            else gettext("Ukjent samarbeidsområde i avtalen for året.")
        )
        raise Invalid("invalid", message, {"target_id": "ukjent"})


def _notes(agreement: Agreement, year: int) -> list[dict]:
    stmt = select(EvaluationNote).where(EvaluationNote.agreement_id == agreement.id, EvaluationNote.year == year)
    notes = [n.to_dict() for n in db.session.scalars(stmt.order_by(EvaluationNote.noted_on, EvaluationNote.id))]
    # An old one-field evaluation written after the migration (e.g. by the demo seed) still shows, as a general note.
    carried = {n.legacy_evaluation_id for n in db.session.scalars(stmt) if n.legacy_evaluation_id is not None}
    old = select(AgreementEvaluation).where(AgreementEvaluation.agreement_id == agreement.id)
    for evaluation in db.session.scalars(old.where(AgreementEvaluation.year == year)):
        if evaluation.id not in carried and (evaluation.summary or "").strip():
            notes.append(
                {
                    "id": None,
                    "year": year,
                    "noted_on": evaluation.created_at.date().isoformat(),
                    "target": "generelt",
                    "target_id": None,
                    "text": evaluation.summary,
                    "author": "",
                    "created_at": evaluation.created_at.isoformat(),
                    "legacy": True,
                }
            )
    return notes


def evaluation_data(year: int) -> dict:
    """The year's evaluation: every innsatsområde and samarbeidsområde of the agreement with its entry (status,
    what worked, what to change, owner) and its notes; the general notes; the politiråd meetings of the year."""
    agreement = periods.check_year(year)
    entries = {
        (e.target, e.target_id): e
        for e in db.session.scalars(
            select(EvaluationEntry).where(EvaluationEntry.agreement_id == agreement.id, EvaluationEntry.year == year)
        )
    }
    notes = _notes(agreement, year)
    sections = {}
    counts = dict.fromkeys(EVALUATION_STATUSES, 0)
    for target in TARGETS:
        rows = []
        for item in _targets(agreement, target):
            entry = entries.get((target, item.id))
            data = entry.to_dict() if entry else _empty_entry(year, target, item.id)
            counts[data["status"]] += 1
            rows.append(
                {
                    "id": item.id,
                    "position": item.position,
                    "title": item.title,
                    "entry": data,
                    "notes": [n for n in notes if n["target"] == target and n["target_id"] == item.id],
                }
            )
        sections[target] = rows
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.year == year, Meeting.kind == "politirad").order_by(Meeting.starts_at)
    )
    return {
        "year": year,
        "agreement": {"id": agreement.id, "title": agreement.title, "period": agreement.period_dict()},
        "focus_areas": sections["innsatsomrade"],
        "cooperation_areas": sections["samarbeidsomrade"],
        "general_notes": [n for n in notes if n["target"] == "generelt"],
        "notes_count": len(notes),
        "status_counts": counts,
        "statuses": EVALUATION_STATUSES,
        "politirad": [{"id": m.id, "title": m.title, "date": m.to_dict()["date"]} for m in meetings],
    }


def _empty_entry(year: int, target: str, target_id: int) -> dict:
    return {
        "id": None,
        "year": year,
        "target": target,
        "target_id": target_id,
        "status": "ikke_vurdert",
        "status_title": EVALUATION_STATUSES["ikke_vurdert"],
        "worked": "",
        "change": "",
        "owner": "",
        "updated_by": "",
        "updated_at": None,
        "version": 0,
    }


@transactional
def save_entry(
    year: int, target: str, target_id: int, fields: dict, version: int | None, actor: User | None = None
) -> EvaluationEntry:
    """Write the evaluation of one area for the year; a second writer with a stale version gets 409."""
    if target not in TARGETS:
        raise NotFound(gettext("Ukjent områdetype."))
    agreement = periods.check_year(year)
    _check_target(agreement, target, target_id)
    entry = db.session.scalar(
        select(EvaluationEntry).where(
            EvaluationEntry.agreement_id == agreement.id,
            EvaluationEntry.year == year,
            EvaluationEntry.target == target,
            EvaluationEntry.target_id == target_id,
        )
    )
    if entry is None:
        if version not in (None, 0):
            raise Conflict("version_conflict", gettext("Evalueringen er endret av noen andre. Last inn på nytt."))
        entry = EvaluationEntry(agreement_id=agreement.id, year=year, target=target, target_id=target_id)
        db.session.add(entry)
    elif version != entry.version:
        raise Conflict("version_conflict", gettext("Evalueringen er endret av noen andre. Last inn på nytt."))
    for key, value in fields.items():
        setattr(entry, key, value)
    entry.updated_by = actor.username if actor else "system"
    entry.updated_at = utcnow()
    db.session.flush()
    append_event(
        CHANNEL,
        "evaluation.entry_saved",
        {
            "id": entry.id,
            "year": year,
            "target": target,
            "target_id": target_id,
            "status": entry.status,
            "version": entry.version,
        },
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return entry


def _note_fields(fields: dict, today: date) -> dict:
    """A note's validated fields (`schemas_knowledge.NoteIn`): dated today unless given, never in the future."""
    noted_on = fields["noted_on"] or today
    if noted_on > today:
        raise Invalid("invalid", gettext("Et notat kan ikke dateres fram i tid."), {"noted_on": "fram i tid"})
    target = fields["target"]
    return {
        "text": fields["text"],
        "target": target,
        "target_id": None if target == "generelt" else fields["target_id"],
        "noted_on": noted_on,
    }


@transactional
def add_note(fields: dict, actor: User | None = None, today: date | None = None) -> EvaluationNote:
    """A «fortløpende» note, any day; it belongs to the evaluation of the year it is dated."""
    fields = _note_fields(fields, today or oslo_today())
    year = fields["noted_on"].year
    agreement = periods.check_year(year)
    if fields["target"] != "generelt":
        _check_target(agreement, fields["target"], fields["target_id"])
    note = EvaluationNote(
        agreement_id=agreement.id,
        year=year,
        author=actor.username if actor else "system",
        created_at=utcnow(),
        **fields,
    )
    db.session.add(note)
    db.session.flush()
    append_event(
        CHANNEL,
        "evaluation.note_added",
        {"id": note.id, "year": year, "target": note.target, "target_id": note.target_id},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return note


def report_data(year: int) -> dict:
    """The input of reports.coop_evaluation.build_agreement_evaluation."""
    data = evaluation_data(year)
    data["generated_at"] = utcnow()
    data["target_titles"] = TARGETS
    return data
