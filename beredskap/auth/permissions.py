"""The one table of who may do what: roles → permissions. Routes, sockets and tests all read it."""

import re
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CRISIS_STAFF = "crisis_staff"
    POLICE = "police"
    EPS_STAFF = "eps_staff"
    EXERCISE_PLANNER = "exercise_planner"
    OBSERVER = "observer"
    PREVENTION_COORDINATOR = "prevention_coordinator"
    VIEWER = "viewer"


ROLE_TITLES = {
    Role.ADMIN: "Administrator",
    Role.COORDINATOR: "Beredskapskoordinator",
    Role.CRISIS_STAFF: "Krisestab",
    Role.POLICE: "Politi",
    Role.EPS_STAFF: "EPS-personell",
    Role.EXERCISE_PLANNER: "Øvingsplanlegger",
    Role.OBSERVER: "Observatør",
    Role.PREVENTION_COORDINATOR: "Kriminalitetsforebyggende koordinator",
    Role.VIEWER: "Lesetilgang",
}


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


def channel_permission(channel: str) -> Perm | None:
    """The permission needed to subscribe to a channel, or None for an unknown channel name."""
    if channel == "global":
        return Perm.INCIDENT_READ
    if channel == "cooperation":
        return Perm.COOP_READ
    if incident_channel_id(channel) is not None:
        return Perm.INCIDENT_READ
    return None


_INCIDENT_CHANNEL = re.compile(r"incident:([1-9][0-9]{0,9})")


def incident_channel_id(channel: str) -> int | None:
    """The incident id of `incident:<id>` in its one canonical spelling (ASCII digits, no leading zero), or None."""
    match = _INCIDENT_CHANNEL.fullmatch(channel) if isinstance(channel, str) else None
    if match is None or int(match.group(1)) > 2**31 - 1:
        return None
    return int(match.group(1))
