"""Everything a board page starts from, read in an order that lets live events fill any gap."""

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.i18n import translated
from beredskap.incidents import actioncards, contributions, presence, services, sitreps
from beredskap.incidents.models import (
    INCIDENT_TYPE_TITLES,
    KIND_TITLES,
    LOG_CATEGORY_TITLES,
    PHASES,
    SEVERITY_TITLES,
    SITREP_SECTIONS,
    SITREP_STATUS_TITLES,
    STATUS_TITLES,
    TASK_STATUS_TITLES,
)
from beredskap.realtime.journal import last_seq

# Common senders of messages into the staff; the source field accepts anything.
# i18n: these suggestions and POSITIONS below are typed into log entries and tasks, so they are stored as data.
LOG_SOURCES = (
    "110 brann",
    "112 politi",
    "113 AMK",
    "Politiet",
    "Brannvesenet",
    "Kommunen",
    "Innbygger",
    "Media",
    "Statsforvalteren",
    "Sivilforsvaret",
    "Helse",
    "EPS",
    "NVE",
    "Meteorologisk institutt",
)
# Positions of Kristiansand's crisis organisation that tasks are usually given to.
POSITIONS = (
    "Beredskapskoordinator",
    "Kriseledelsen",
    "Krisestabsleder",
    "Loggfører",
    "Kommunikasjonsrådgiver",
    "EPS-leder",
    "Kommuneoverlege",
    "Politikontakt",
    "Brannvesenet",
    "Teknisk sektor",
    "Helse og velferd",
    "Psykososialt kriseteam",
    "IKT-vakt",
)


def eps_occupancy(incident_id: int) -> list[dict]:
    """Open EPS of the incident with counts only (the board never shows personal data)."""
    keys = ("id", "name", "status", "status_title", "present", "capacity", "registered", "open_inquiries")
    return [{k: centre.get(k) for k in keys} for centre in contributions.eps_summary(incident_id)]


def board_snapshot(incident_id: int, user: User) -> dict:
    """The board's data with the channel positions it is valid from.

    The seqs are read before the data: anything committed in between arrives again as an event, and the
    board applies events by id, so nothing is missed and nothing is doubled.
    """
    since = {"incident": last_seq(f"incident:{incident_id}"), "global": last_seq("global")}
    incident = services.get_incident(incident_id)
    now = utcnow()
    return {
        "since": since,
        "now": now.isoformat(),
        "incident": incident.to_dict(),
        "entries": [e.to_dict() for e in services.list_log(incident_id)],
        "tasks": [t.to_dict(now) for t in services.list_tasks(incident_id)],
        "cards": actioncards.incident_action_cards(incident_id),
        "sitreps": [s.to_dict() for s in sitreps.list_sitreps(incident_id)],
        "eps": eps_occupancy(incident_id),
        "present": presence.present_users(incident_id, now),
        # An exercise run: its clock and injects, filtered by role on the server (none on a real incident).
        "exercise": contributions.exercise_panel(incident_id, user) if incident.is_exercise else None,
        "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
        "me": {"id": user.id, "name": user.display_name or user.username},
        "can": {
            "log": user.can(Perm.LOG_WRITE),
            "task": user.can(Perm.TASK_WRITE),
            "incident": user.can(Perm.INCIDENT_WRITE),
            "sitrep": user.can(Perm.SITREP_WRITE),
            "approve": user.can(Perm.SITREP_APPROVE),
            "actioncard": user.can(Perm.ACTIONCARD_WRITE),
            "alert": user.can(Perm.ALERT_SEND),
            "map": user.can(Perm.MAP_READ),
        },
        # In the user's language (the Norwegian vocabulary through the catalogue), keyed as the API keys them.
        "titles": {
            "category": {str(k): v for k, v in translated(LOG_CATEGORY_TITLES).items()},
            "task_status": {str(k): v for k, v in translated(TASK_STATUS_TITLES).items()},
            "sitrep_status": {str(k): v for k, v in translated(SITREP_STATUS_TITLES).items()},
            "type": {str(k): v for k, v in translated(INCIDENT_TYPE_TITLES).items()},
            "kind": {str(k): v for k, v in translated(KIND_TITLES).items()},
            "status": {str(k): v for k, v in translated(STATUS_TITLES).items()},
            "severity": {str(k): v for k, v in translated(SEVERITY_TITLES).items()},
            "sections": translated(dict(SITREP_SECTIONS)),
        },
        "phases": list(PHASES),
    }
