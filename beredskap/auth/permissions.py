"""The one table of who may do what: roles → permissions. Routes, sockets and tests all read it."""

from enum import StrEnum

from beredskap.vocabulary import ROLE_TITLES, Role  # noqa: F401 - roles and their labels live in the vocabulary


class Perm(StrEnum):
    INCIDENT_READ = "incident.read"
    INCIDENT_WRITE = "incident.write"  # open, edit, close incidents
    LOG_WRITE = "log.write"
    TASK_WRITE = "task.write"
    ACTIONCARD_WRITE = "actioncard.write"
    SITREP_WRITE = "sitrep.write"
    SITREP_APPROVE = "sitrep.approve"
    EPS_READ = "eps.read"  # counts only
    EPS_MANAGE = "eps.manage"  # open/operate centres, departments
    PERSON_READ = "person.read"  # personal data of evacuees and next of kin
    PERSON_WRITE = "person.write"  # register, check out, inquiries, reunification
    PERSON_EXPORT = "person.export"  # PFIF / CSV exports
    PRIVACY_ADMIN = "privacy.admin"  # purge, delete exercise data
    AUDIT_READ = "audit.read"
    ROSTER_READ = "roster.read"
    ROSTER_WRITE = "roster.write"
    ALERT_SEND = "alert.send"
    OUTBOX_READ = "outbox.read"
    ROSTER_CONTACTS = "roster.contacts"  # names, phones and e-mails of the crisis organisation
    MAP_READ = "map.read"
    RESOURCE_WRITE = "resource.write"
    DISTRICT_WRITE = "district.write"
    EXERCISE_READ = "exercise.read"
    EXERCISE_WRITE = "exercise.write"
    EXERCISE_CONTROL = "exercise.control"  # start, pause, resume, skip, send early
    OBSERVATION_WRITE = "observation.write"
    EVALUATION_WRITE = "evaluation.write"
    COOP_READ = "coop.read"
    COOP_WRITE = "coop.write"
    COOP_APPROVE = "coop.approve"
    USER_ADMIN = "user.admin"


_READ_ALL = {
    Perm.INCIDENT_READ,
    Perm.EPS_READ,
    Perm.ROSTER_READ,
    Perm.MAP_READ,
    Perm.EXERCISE_READ,
    Perm.COOP_READ,
}
_BOARD = {Perm.LOG_WRITE, Perm.TASK_WRITE, Perm.SITREP_WRITE}

PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.COORDINATOR: frozenset(set(Perm) - {Perm.USER_ADMIN, Perm.AUDIT_READ}),
    Role.CRISIS_STAFF: frozenset(
        _READ_ALL | _BOARD | {Perm.INCIDENT_WRITE, Perm.ALERT_SEND, Perm.EPS_MANAGE, Perm.ROSTER_CONTACTS}
    ),
    Role.POLICE: frozenset(
        _READ_ALL
        | _BOARD
        | {
            Perm.INCIDENT_WRITE,
            Perm.EPS_MANAGE,
            Perm.PERSON_READ,
            Perm.PERSON_WRITE,
            Perm.PERSON_EXPORT,
            Perm.COOP_WRITE,
            Perm.COOP_APPROVE,
            Perm.OBSERVATION_WRITE,
            Perm.ROSTER_CONTACTS,
        }
    ),
    Role.EPS_STAFF: frozenset(
        _READ_ALL | {Perm.LOG_WRITE, Perm.PERSON_READ, Perm.PERSON_WRITE, Perm.EPS_MANAGE, Perm.ROSTER_CONTACTS}
    ),
    Role.EXERCISE_PLANNER: frozenset(
        _READ_ALL
        | {
            Perm.EXERCISE_WRITE,
            Perm.EXERCISE_CONTROL,
            Perm.OBSERVATION_WRITE,
            Perm.EVALUATION_WRITE,
            Perm.ACTIONCARD_WRITE,
            Perm.ROSTER_CONTACTS,
        }
    ),
    Role.OBSERVER: frozenset(_READ_ALL | {Perm.OBSERVATION_WRITE}),
    Role.PREVENTION_COORDINATOR: frozenset(_READ_ALL | {Perm.COOP_WRITE, Perm.COOP_APPROVE, Perm.ROSTER_CONTACTS}),
    Role.VIEWER: frozenset(_READ_ALL),
}


def has_permission(role: str | Role | None, perm: Perm) -> bool:
    """True when the role grants the permission."""
    if role is None:
        return False
    try:
        return perm in PERMISSIONS[Role(role)]
    except ValueError:
        return False
