"""Audited reads the desk needs to close its loops: a household, a record's change history, a centre's history."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.domain_errors import NotFound
from beredskap.eps.models import Evacuee, EvacueeHistory, Household, RecordChange
from beredskap.eps.queries import get_centre
from beredskap.eps.registry import get_evacuee, get_inquiry
from beredskap.extensions import db
from beredskap.transaction import transactional


def _changes(kind: str, subject_id: int) -> list[dict]:
    stmt = (
        select(RecordChange)
        .where(RecordChange.subject_type == kind, RecordChange.subject_id == subject_id)
        .order_by(RecordChange.id)
    )
    return [change.to_dict() for change in db.session.scalars(stmt)]


@transactional
def read_household(household_id: int, actor: User | None, reason: str) -> dict:
    """Everyone registered in a household (present or left); each member shown is audited."""
    household = db.session.get(Household, household_id)
    if household is None:
        raise NotFound(gettext("Ukjent husstand."), code="not_found")
    members = list(
        db.session.scalars(
            select(Evacuee)
            .where(Evacuee.household_id == household.id, Evacuee.anonymised_at.is_(None))
            .order_by(Evacuee.id)
        )
    )
    for member in members:
        meta = {"eps_id": household.centre_id, "via": "household", "household_id": household.id}
        record_audit("read", "evacuee", member.id, actor=actor, reason=reason, meta=meta)
    db.session.commit()
    return {
        "id": household.id,
        "eps_id": household.centre_id,
        "members": [member.to_dict() for member in members],
        "count": len(members),
    }


@transactional
def read_evacuee_history(evacuee_id: int, actor: User | None, reason: str) -> dict:
    """A registration with its status history and every correction (values before and after); one audited read."""
    evacuee = get_evacuee(evacuee_id)
    history = db.session.scalars(
        select(EvacueeHistory).where(EvacueeHistory.evacuee_id == evacuee.id).order_by(EvacueeHistory.id)
    )
    result = {
        **evacuee.to_dict(),
        "history": [entry.to_dict() for entry in history],
        "changes": _changes("evacuee", evacuee.id),
    }
    meta = {"eps_id": evacuee.centre_id, "via": "history"}
    record_audit("read", "evacuee", evacuee.id, actor=actor, reason=reason, meta=meta)
    db.session.commit()
    return result


@transactional
def read_inquiry_history(inquiry_id: int, actor: User | None, reason: str) -> dict:
    """An inquiry with its corrections (values before and after); one audited read."""
    inquiry = get_inquiry(inquiry_id)
    result = {**inquiry.to_dict(), "changes": _changes("inquiry", inquiry.id)}
    meta = {"eps_id": inquiry.centre_id, "via": "history"}
    record_audit("read", "inquiry", inquiry.id, actor=actor, reason=reason, meta=meta)
    db.session.commit()
    return result


def centre_history(centre_id: int) -> dict:
    """Every change of a centre's name, capacity, status and leader (no personal data; the leader by user name)."""
    centre = get_centre(centre_id)
    changes = _changes("centre", centre.id)
    for change in changes:
        handed = change["changes"].pop("leader_user_id", None)
        if handed is not None:
            change["changes"]["leader"] = {key: _username(handed[key]) for key in ("from", "to")}
            change["changes"]["leader_user_id"] = handed
    return {"id": centre.id, "version": centre.version, "changes": changes}


def _username(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.username if user else None
