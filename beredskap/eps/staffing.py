"""Departments of a centre: leaders and deputies, staffing (staff, never evacuees) and action cards."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.clock import isoformat, utcnow
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.eps.fields import FieldError, clean_text
from beredskap.eps.models import Department, StaffAssignment
from beredskap.eps.queries import field_error, get_centre
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.lookup import get_or_not_found
from beredskap.realtime.journal import append_event
from beredskap.roster import organisation
from beredskap.transaction import transactional


def get_department(department_id: int) -> Department:
    return get_or_not_found(Department, department_id, gettext("Ukjent avdeling."))


def department_dict(department: Department, staff: list[StaffAssignment], with_names: bool) -> dict[str, Any]:
    """Return a department; staff names only for roles that may see the crisis organisation's contacts."""
    return {
        "id": department.id,
        "eps_id": department.centre_id,
        "key": department.key,
        "title": department.title,
        "leader_name": department.leader_name if with_names else None,
        "leader_person_id": department.leader_person_id,
        "leader_set": bool(department.leader_name),
        "deputy_name": department.deputy_name if with_names else None,
        "deputy_person_id": department.deputy_person_id,
        "deputy_set": bool(department.deputy_name),
        "staff_needed": department.staff_needed,
        "staff_count": len(staff),
        "staff": [member.to_dict(with_names) for member in staff],
        "actions": list(department.actions or []),
        "actions_done": sum(1 for action in department.actions or [] if action.get("done")),
        "version": department.version,
    }


def list_departments(centre_id: int, user: Any = None) -> list[dict[str, Any]]:
    """Return the departments of a centre in their fixed order, with staffing."""
    get_centre(centre_id)
    with_names = bool(user is not None and user.can(Perm.ROSTER_CONTACTS))
    departments = list(
        db.session.scalars(
            select(Department).where(Department.centre_id == centre_id).order_by(Department.position, Department.id)
        )
    )
    staff: dict[int, list[StaffAssignment]] = {department.id: [] for department in departments}
    if departments:
        rows = db.session.scalars(
            select(StaffAssignment).where(StaffAssignment.department_id.in_(list(staff))).order_by(StaffAssignment.id)
        )
        for member in rows:
            staff[member.department_id].append(member)
    return [department_dict(department, staff[department.id], with_names) for department in departments]


def roster_people() -> list[dict[str, Any]]:
    """Return [{"id", "name"}] of the active roster (the crisis organisation of beredskap.roster)."""
    return [{"id": person.id, "name": person.name} for person in organisation.list_people()]


def _roster_name(person_id: Any, field: str) -> str:
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        raise Invalid("invalid", gettext("%(label)s må være et heltall.", label=label(field)), {field: "heltall"})
    for person in roster_people():
        if person["id"] == person_id:
            return person["name"]
    raise Invalid(
        "invalid",
        gettext("%(label)s er ikke en person i kriseorganisasjonen.", label=label(field)),
        {field: "ukjent"},
    )


def _save_department(department: Department, actor: User | None) -> None:
    """A change to the department itself: stamp it, announce it and commit."""
    department.updated_at = utcnow()
    db.session.flush()
    _publish_department(department, actor)
    db.session.commit()


def _publish_department(department: Department, actor: User | None) -> None:
    centre = get_centre(department.centre_id)
    staff_count = db.session.scalar(
        select(func.count()).select_from(StaffAssignment).where(StaffAssignment.department_id == department.id)
    )
    data = {
        "eps_id": centre.id,
        "department_id": department.id,
        "key": department.key,
        "leader_set": bool(department.leader_name),
        "deputy_set": bool(department.deputy_name),
        "staff_count": staff_count or 0,
        "staff_needed": department.staff_needed,
        "actions_done": sum(1 for action in department.actions or [] if action.get("done")),
        "version": department.version,
    }
    append_event(centre.channel, "eps.department_updated", data, actor_id=actor.id if actor else None)


@transactional
def update_department(
    department_id: int, changes: dict[str, Any], version: int, actor: User | None = None
) -> Department:
    """Set leader, deputy (roster person or free text) and staff needed; stale versions get 409."""
    department = get_department(department_id)
    if department.version != version:
        raise Conflict("version_conflict", gettext("Avdelingen er endret av noen andre. Last inn på nytt."))
    for role in ("leader", "deputy"):
        person_key, name_key = f"{role}_person_id", f"{role}_name"
        if changes.get(person_key) is not None:
            setattr(department, name_key, _roster_name(changes[person_key], person_key))
            setattr(department, person_key, changes[person_key])
        elif name_key in changes:
            try:
                setattr(department, name_key, clean_text(changes[name_key], name_key, 200) or "")
            except FieldError as err:
                raise field_error(err) from None
            setattr(department, person_key, None)
    if "staff_needed" in changes:
        needed = changes["staff_needed"]
        if isinstance(needed, bool) or not isinstance(needed, int) or not 0 <= needed <= 1000:
            raise Invalid(
                "invalid",
                gettext("%(label)s må være et heltall 0–1000.", label=label("staff_needed")),
                {"staff_needed": "heltall"},
            )
        department.staff_needed = needed
    _save_department(department, actor)
    return department


@transactional
def set_action_done(department_id: int, index: int, done: bool, version: int, actor: User | None = None) -> Department:
    """Tick or untick one item of a department's action card."""
    department = get_department(department_id)
    if department.version != version:
        raise Conflict("version_conflict", gettext("Avdelingen er endret av noen andre. Last inn på nytt."))
    actions = [dict(action) for action in department.actions or []]
    if not 0 <= index < len(actions):
        raise NotFound(gettext("Ukjent tiltak på tiltakskortet."))
    actions[index]["done"] = bool(done)
    actions[index]["done_at"] = isoformat(utcnow()) if done else None
    department.actions = actions
    _save_department(department, actor)
    return department


@transactional
def add_staff(
    department_id: int, *, name: Any = None, person_id: Any = None, role: Any = None, actor: User | None = None
) -> StaffAssignment:
    """Add a staff member to a department, from the roster (person_id) or by name."""
    department = get_department(department_id)
    try:
        if person_id is not None:
            name = _roster_name(person_id, "person_id")
        else:
            name = clean_text(name, "name", 200, required=True)
        role = clean_text(role, "role", 120) or ""
    except FieldError as err:
        raise field_error(err) from None
    member = StaffAssignment(
        department_id=department.id, name=name, person_id=person_id, role=role, created_at=utcnow()
    )
    db.session.add(member)
    db.session.flush()
    _publish_department(department, actor)
    db.session.commit()
    return member


@transactional
def remove_staff(staff_id: int, actor: User | None = None) -> None:
    """Take a staff member off a department."""
    member = db.session.get(StaffAssignment, staff_id)
    if member is None:
        raise NotFound(gettext("Ukjent mannskap."))
    department = get_department(member.department_id)
    db.session.delete(member)
    db.session.flush()
    _publish_department(department, actor)
    db.session.commit()
