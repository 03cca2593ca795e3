"""The audit page: who did what to which record, when and why — filtered, per person, and as CSV.

Reading the audit log is itself audited (`audit.read`, with the filters used but never a searched name). The
person view finds EPS records by name; that lookup is a read of personal data and is audited on each record it
finds («revisjon»), so the record's own trail shows that the auditor looked."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import String, cast, false, func, or_, select

from beredskap.api import require_page
from beredskap.auth.models import AuditRecord
from beredskap.auth.permissions import Perm
from beredskap.auth.services import record_audit
from beredskap.csvfile import OSLO, csv_response, write_csv
from beredskap.eps import purposes
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


def _scope(centre_ids: list[int] | None):
    """The records an EPS-leder may read: those about the people, inquiries and the centres they lead."""
    if centre_ids is None:
        return None
    if not centre_ids:
        return false()
    people = select(cast(Evacuee.id, String)).where(Evacuee.centre_id.in_(centre_ids))
    inquiries = select(cast(Inquiry.id, String)).where(Inquiry.centre_id.in_(centre_ids))
    return or_(
        (AuditRecord.subject_type == "evacuee") & AuditRecord.subject_id.in_(people),
        (AuditRecord.subject_type == "inquiry") & AuditRecord.subject_id.in_(inquiries),
        (AuditRecord.subject_type == "eps_centre") & AuditRecord.subject_id.in_([str(c) for c in centre_ids]),
    )


def _query(filters: dict, subjects: list[tuple[str, str]] | None = None, centre_ids: list[int] | None = None):
    stmt = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(LIMIT)
    if centre_ids is not None:
        stmt = stmt.where(_scope(centre_ids))
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


def _people(name: str, centre_ids: list[int] | None = None) -> list[dict]:
    """EPS records whose name contains the searched text; the lookup is audited on each record found.

    Compared in Python with casefold: SQLite's lower() and LIKE leave «Å» and «Ø» alone."""
    wanted = name.casefold()
    found = []
    for model, kind, column in ((Evacuee, "evacuee", Evacuee.full_name), (Inquiry, "inquiry", Inquiry.sought_name)):
        stmt = select(model.id, column).where(column.is_not(None))
        if centre_ids is not None:
            stmt = stmt.where(model.centre_id.in_(centre_ids))
        for row_id, value in db.session.execute(stmt):
            if wanted in value.casefold() and len(found) < 50:
                found.append({"kind": kind, "id": str(row_id), "name": value})
                record_audit("audit.person_lookup", kind, row_id, actor=current_user, reason="Revisjon")
    return found


def _leader_centres() -> list[int]:
    """The centres the EPS-leder leads; none (an empty log) for anyone who leads none."""
    return purposes.led_centre_ids(current_user)


@bp.get("/admin/audit")
@require_page(Perm.AUDIT_READ)
def page():
    """Filter the audit log; `?person=` shows who read a person's records, when and why."""
    return _page(None)


@bp.get("/eps/audit")
@require_page(Perm.PERSON_READ)
def eps_page():
    """The EPS-leder's audit log: only the people, inquiries and centres they lead."""
    return _page(_leader_centres())


def _page(centre_ids: list[int] | None):
    error = None
    records: list[AuditRecord] = []
    person = (request.args.get("person") or "").strip()[:80]
    people = None
    try:
        filters = _filters()
        if person:
            people = _people(person, centre_ids)
            stmt = _query(filters, [(p["kind"], p["id"]) for p in people], centre_ids)
        else:
            stmt = _query(filters, centre_ids=centre_ids)
        records = list(db.session.scalars(stmt)) if stmt is not None else []
    except FilterError as err:
        filters, error = {name: request.args.get(name, "") for name in FILTERS}, str(err)
    meta = {k: v for k, v in filters.items() if k in FILTERS and v}
    if centre_ids is not None:
        meta["eps_ids"] = centre_ids
    where = "page" if centre_ids is None else "eps-page"
    record_audit("audit.read", "audit", where, actor=current_user, meta={**meta, "person_view": bool(person)})
    db.session.commit()
    scope = _scope(centre_ids)
    actions = select(AuditRecord.action).distinct()
    subject_types = select(AuditRecord.subject_type).distinct()
    if scope is not None:
        actions, subject_types = actions.where(scope), subject_types.where(scope)
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
        actions=sorted(db.session.scalars(actions)),
        subject_types=sorted(db.session.scalars(subject_types)),
        page_endpoint="audit.page" if centre_ids is None else "audit.eps_page",
        export_endpoint="audit.export" if centre_ids is None else "audit.eps_export",
        eps_scope=centre_ids is not None,
        leads_none=centre_ids == [],
    ), 400 if error else 200


@bp.get("/admin/audit.csv")
@require_page(Perm.AUDIT_READ)
def export():
    """The filtered audit log as CSV (`;`, UTF-8 with BOM, Oslo time)."""
    return _export(None)


@bp.get("/eps/audit.csv")
@require_page(Perm.PERSON_READ)
def eps_export():
    """The EPS-leder's audit log as CSV: only the centres they lead."""
    return _export(_leader_centres())


def _export(centre_ids: list[int] | None):
    try:
        filters = _filters()
    except FilterError as err:
        return render_template("errors/error.html", status=400, message=str(err)), 400
    person = (request.args.get("person") or "").strip()[:80]
    if person:
        people = _people(person, centre_ids)
        stmt = _query(filters, [(p["kind"], p["id"]) for p in people], centre_ids)
    else:
        stmt = _query(filters, centre_ids=centre_ids)
    records = list(db.session.scalars(stmt)) if stmt is not None else []
    meta = {k: v for k, v in filters.items() if k in FILTERS and v}
    if centre_ids is not None:
        meta["eps_ids"] = centre_ids
    where = "csv" if centre_ids is None else "eps-csv"
    record_audit("audit.read", "audit", where, actor=current_user, meta={**meta, "rows": len(records)})
    db.session.commit()
    header = ["Tid", "Bruker", "Handling", "Type", "Id", "Begrunnelse"]
    rows = [(r.at, r.actor_name, r.action, r.subject_type, r.subject_id, r.reason or "") for r in records]
    return csv_response(write_csv(header, rows), "revisjonslogg.csv")
