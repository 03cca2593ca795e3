"""The audit page: who did what to which record, when and why — filtered, per person, and as CSV.

Reading the audit log is itself audited (`audit.read`, with the filters used but never a searched name). The
person view finds EPS records by name; that lookup is a read of personal data and is audited on each record it
finds («revisjon»), so the record's own trail shows that the auditor looked."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from beredskap.api import require_page
from beredskap.auth.models import AuditRecord
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.csvfile import OSLO, csv_response, write_csv
from beredskap.eps.models import Evacuee, Inquiry
from beredskap.extensions import db
from beredskap.vocabulary import AUDIT_ACTION_TITLES, AUDIT_SUBJECT_TITLES

bp = Blueprint("audit", __name__)

LIMIT = 500
FILTERS = ("subject_type", "subject_id", "actor", "action", "from", "to")
ACTION_LABELS = AUDIT_ACTION_TITLES
SUBJECT_LABELS = AUDIT_SUBJECT_TITLES


class FilterError(ValueError):
    pass


def _day(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(f"«{'Fra' if name == 'from' else 'Til'}» må være en dato (ÅÅÅÅ-MM-DD).") from None


def _filters() -> dict:
    values = {name: (request.args.get(name) or "").strip()[:80] for name in FILTERS}
    values["from_day"], values["to_day"] = _day("from"), _day("to")
    return values


def _query(filters: dict, subjects: list[tuple[str, str]] | None = None):
    stmt = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(LIMIT)
    if filters["subject_type"]:
        stmt = stmt.where(AuditRecord.subject_type == filters["subject_type"])
    if filters["subject_id"]:
        stmt = stmt.where(AuditRecord.subject_id == filters["subject_id"])
    if filters["actor"]:
        stmt = stmt.where(func.lower(AuditRecord.actor_name) == filters["actor"].lower())
    if filters["action"]:
        stmt = stmt.where(AuditRecord.action == filters["action"])
    if filters["from_day"]:
        stmt = stmt.where(AuditRecord.at >= datetime.combine(filters["from_day"], time(), tzinfo=OSLO))
    if filters["to_day"]:
        end = datetime.combine(filters["to_day"] + timedelta(days=1), time(), tzinfo=OSLO)
        stmt = stmt.where(AuditRecord.at < end)
    if subjects is not None:
        if not subjects:
            return None
        stmt = stmt.where(
            or_(*((AuditRecord.subject_type == kind) & (AuditRecord.subject_id == sid) for kind, sid in subjects))
        )
    return stmt


def _people(name: str) -> list[dict]:
    """EPS records whose name contains the searched text; the lookup is audited on each record found.

    Compared in Python with casefold: SQLite's lower() and LIKE leave «Å» and «Ø» alone."""
    wanted = name.casefold()
    found = []
    for model, kind, column in ((Evacuee, "evacuee", Evacuee.full_name), (Inquiry, "inquiry", Inquiry.sought_name)):
        for row_id, value in db.session.execute(select(model.id, column).where(column.is_not(None))):
            if wanted in value.casefold() and len(found) < 50:
                found.append({"kind": kind, "id": str(row_id), "name": value})
                record_audit("audit.person_lookup", kind, row_id, actor=current_user, reason="Revisjon")
    return found


@bp.get("/admin/audit")
@require_page(Perm.AUDIT_READ)
def page():
    """Filter the audit log; `?person=` shows who read a person's records, when and why."""
    error = None
    records: list[AuditRecord] = []
    person = (request.args.get("person") or "").strip()[:80]
    people = None
    try:
        filters = _filters()
        if person:
            people = _people(person)
            stmt = _query(filters, [(p["kind"], p["id"]) for p in people])
        else:
            stmt = _query(filters)
        records = list(db.session.scalars(stmt)) if stmt is not None else []
    except FilterError as err:
        filters, error = {name: request.args.get(name, "") for name in FILTERS}, str(err)
    meta = {k: v for k, v in filters.items() if k in FILTERS and v}
    record_audit("audit.read", "audit", "page", actor=current_user, meta={**meta, "person_view": bool(person)})
    db.session.commit()
    return render_template(
        "main/audit.html",
        records=records,
        filters=filters,
        person=person,
        people=people,
        error=error,
        limit=LIMIT,
        action_labels=ACTION_LABELS,
        subject_labels=SUBJECT_LABELS,
        actions=sorted(db.session.scalars(select(AuditRecord.action).distinct())),
        subject_types=sorted(db.session.scalars(select(AuditRecord.subject_type).distinct())),
    ), 400 if error else 200


@bp.get("/admin/audit.csv")
@require_page(Perm.AUDIT_READ)
def export():
    """The filtered audit log as CSV (`;`, UTF-8 with BOM, Oslo time)."""
    try:
        filters = _filters()
    except FilterError as err:
        return render_template("errors/error.html", status=400, message=str(err)), 400
    records = list(db.session.scalars(_query(filters)))
    meta = {k: v for k, v in filters.items() if k in FILTERS and v}
    record_audit("audit.read", "audit", "csv", actor=current_user, meta={**meta, "rows": len(records)})
    db.session.commit()
    header = ["Tid", "Bruker", "Handling", "Type", "Id", "Begrunnelse"]
    rows = [(r.at, r.actor_name, r.action, r.subject_type, r.subject_id, r.reason or "") for r in records]
    return csv_response(write_csv(header, rows), "revisjonslogg.csv")
