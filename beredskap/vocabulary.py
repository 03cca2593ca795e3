"""The words of the app in one place: status values and their labels, sitrep sections, roles, teams, event types,
the local timezone and date formats.

No Flask and no database here, so models, services, reports, templates (through the context processor) and the
JS constants generator (`python -m beredskap.generate_js`) all read the same list.
"""

from enum import StrEnum
from zoneinfo import ZoneInfo

# --- time ---

LOCAL_TIMEZONE = "Europe/Oslo"
OSLO = ZoneInfo(LOCAL_TIMEZONE)
DATE_FORMAT = "%d.%m.%Y"  # 02.12.2026
DATETIME_FORMAT = "%d.%m.%Y kl. %H:%M"  # 02.12.2026 kl. 14:05 (reports, mails)
SHORT_DATETIME_FORMAT = "%d.%m. %H:%M"  # 02.12. 14:05 (boards, lists)
SHEET_DATETIME_FORMAT = "%d.%m.%Y %H:%M"  # CSV cells a spreadsheet reads as a date
TIME_FORMAT = "%H:%M"
DAY_TIME_FORMAT = "%d.%m. kl. %H:%M"  # 02.12. kl. 14:05 (the sitrep's own times)
INPUT_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # the value of an <input type="datetime-local">
MONTH_NAMES: tuple[str, ...] = tuple(
    "januar februar mars april mai juni juli august september oktober november desember".split()
)
# The same in Babel (CLDR) patterns, for i18n.DATE_PATTERNS (templates: datetimeformat(datetime_pattern)).
DATE_PATTERN = "dd.MM.yyyy"
DATETIME_PATTERN = "dd.MM.yyyy HH:mm"

# --- roles (auth) ---


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


# --- incidents ---


class IncidentKind(StrEnum):
    INCIDENT = "incident"
    EXERCISE = "exercise"


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class IncidentType(StrEnum):
    FLOM = "flom"
    BRANN = "brann"
    EKSPLOSJON = "eksplosjon_gass"
    ULYKKE = "ulykke"
    VOLD = "vold_terror"
    PANDEMI = "pandemi"
    EKSTREMVAER = "ekstremvaer"
    IKT = "ikt_bortfall"
    ANNET = "annet"


INCIDENT_TYPE_TITLES = {
    IncidentType.FLOM: "Flom",
    IncidentType.BRANN: "Brann",
    IncidentType.EKSPLOSJON: "Eksplosjon/gass",
    IncidentType.ULYKKE: "Ulykke",
    IncidentType.VOLD: "Vold/terror",
    IncidentType.PANDEMI: "Pandemi",
    IncidentType.EKSTREMVAER: "Ekstremvær",
    IncidentType.IKT: "IKT-bortfall",
    IncidentType.ANNET: "Annet",
}


class LogCategory(StrEnum):
    INFORMASJON = "informasjon"
    BESLUTNING = "beslutning"
    TILTAK = "tiltak"
    MELDING_INN = "melding_inn"
    MELDING_UT = "melding_ut"


LOG_CATEGORY_TITLES = {
    LogCategory.INFORMASJON: "Informasjon",
    LogCategory.BESLUTNING: "Beslutning",
    LogCategory.TILTAK: "Tiltak",
    LogCategory.MELDING_INN: "Melding inn",
    LogCategory.MELDING_UT: "Melding ut",
}


# Phases a board moves through; free text is allowed by the API, the UI offers these.
PHASES: tuple[str, ...] = ("varsling", "mobilisering", "innsats", "stabilisering", "normalisering", "etterarbeid")


SEVERITY_TITLES = {1: "1 – lav", 2: "2 – middels", 3: "3 – høy"}


KIND_TITLES = {IncidentKind.INCIDENT: "Hendelse", IncidentKind.EXERCISE: "Øvelse"}


STATUS_TITLES = {IncidentStatus.OPEN: "Åpen", IncidentStatus.CLOSED: "Avsluttet"}


class TaskStatus(StrEnum):
    NEW = "new"
    STARTED = "started"
    DONE = "done"


TASK_STATUS_TITLES = {TaskStatus.NEW: "Ny", TaskStatus.STARTED: "Påbegynt", TaskStatus.DONE: "Utført"}


class SitrepStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    ISSUED = "issued"


SITREP_STATUS_TITLES = {SitrepStatus.DRAFT: "Utkast", SitrepStatus.APPROVED: "Godkjent", SitrepStatus.ISSUED: "Utsendt"}


# DSB's headings for the coordination channel, in order; the keys are those of reports/sitrep.py.
SITREP_SECTIONS: tuple[tuple[str, str], ...] = (
    ("situation", "Situasjonsbeskrivelse"),
    ("actions_taken", "Iverksatte tiltak"),
    ("actions_planned", "Planlagte tiltak"),
    ("consequences", "Konsekvenser og vurderinger"),
    ("assistance_needed", "Behov for bistand"),
    ("public_information", "Informasjon til befolkning og media"),
    ("next_report", "Neste rapport"),
)


# --- EPS ---


class CentreStatus(StrEnum):
    BESLUTTET = "besluttet"
    APNET = "åpnet"
    I_DRIFT = "i_drift"
    AVVIKLET = "avviklet"


CENTRE_STATUS_TITLES = {
    CentreStatus.BESLUTTET: "Besluttet",
    CentreStatus.APNET: "Åpnet",
    CentreStatus.I_DRIFT: "I drift",
    CentreStatus.AVVIKLET: "Avviklet",
}


class EvacueeStatus(StrEnum):
    PRESENT = "present"
    LEFT = "left"


EVACUEE_STATUS_TITLES = {EvacueeStatus.PRESENT: "Til stede", EvacueeStatus.LEFT: "Har forlatt"}


class InquiryStatus(StrEnum):
    OPEN = "open"
    REUNITED = "reunited"
    CLOSED = "closed"


INQUIRY_STATUS_TITLES = {
    InquiryStatus.OPEN: "Åpen",
    InquiryStatus.REUNITED: "Gjenforent",
    InquiryStatus.CLOSED: "Avsluttet",
}


# Needs are flags (health needs are special-category data: a flag, not a diagnosis); details go in the note.
NEED_TITLES = {
    "helse": "Helse/medisiner",
    "kost": "Kost",
    "sprak": "Språk/tolk",
    "mobilitet": "Mobilitet",
    "kjaeledyr": "Kjæledyr",
}


# --- roster ---


class Team(StrEnum):
    KRISELEDELSE = "kriseledelse"
    KRISESTAB = "krisestab"
    PSYKOSOSIALT_KRISETEAM = "psykososialt_kriseteam"
    EPS_LEDELSE = "eps_ledelse"
    # §4.3 of the cooperation agreement: led by the sikkerhet- og beredskapskoordinator; organises the EPS and the
    # kommune's kriseteam.
    ARBEIDSUTVALG_KRISELEDELSE = "arbeidsutvalg_kriseledelse"


TEAM_TITLES = {
    Team.KRISELEDELSE: "Kriseledelse",
    Team.KRISESTAB: "Krisestab",
    Team.PSYKOSOSIALT_KRISETEAM: "Psykososialt kriseteam",
    Team.EPS_LEDELSE: "EPS-ledelse",
    Team.ARBEIDSUTVALG_KRISELEDELSE: "Arbeidsutvalget for kriseledelse",
}
# Teams whose leader is a given function: the leader's position is `<team>.leder` and comes first in the team.
TEAM_LEADERS = {
    Team.ARBEIDSUTVALG_KRISELEDELSE: "Sikkerhet- og beredskapskoordinator",
}


# --- exercises: the exercise, its injects, the evaluation of objectives, lessons and the action plan ---


class ExerciseStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


EXERCISE_STATUS_TITLES = {
    ExerciseStatus.PLANNED: "Planlagt",
    ExerciseStatus.RUNNING: "Pågår",
    ExerciseStatus.PAUSED: "Pause",
    ExerciseStatus.FINISHED: "Gjennomført",
}


class InjectState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    SKIPPED = "skipped"


INJECT_STATE_TITLES = {
    InjectState.PENDING: "Venter",
    InjectState.DELIVERED: "Levert",
    InjectState.SKIPPED: "Hoppet over",
}


class Rating(StrEnum):
    ACHIEVED = "oppnådd"
    PARTIAL = "delvis oppnådd"
    NOT_ACHIEVED = "ikke oppnådd"


RATING_TITLES = {Rating.ACHIEVED: "Oppnådd", Rating.PARTIAL: "Delvis oppnådd", Rating.NOT_ACHIEVED: "Ikke oppnådd"}


class LessonKind(StrEnum):
    KEEP = "bevare"
    IMPROVE = "forbedre"


LESSON_KIND_TITLES = {LessonKind.KEEP: "Bevare", LessonKind.IMPROVE: "Forbedre"}


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


ACTION_STATUS_TITLES = {ActionStatus.OPEN: "Åpen", ActionStatus.IN_PROGRESS: "Pågår", ActionStatus.DONE: "Utført"}

EXERCISE_FORM_TITLES: dict[str, str] = {
    "diskusjonsøvelse": "Diskusjonsøvelse",
    "funksjonsøvelse": "Funksjonsøvelse",
    "spilløvelse": "Spilløvelse",
    "stabsøvelse": "Stabsøvelse",
    "fullskala": "Fullskalaøvelse",
}


# --- audit log: what was done to which kind of record ---

AUDIT_ACTION_TITLES: dict[str, str] = {
    "read": "Lest",
    "create": "Registrert",
    "checkout": "Sjekket ut",
    "reunite": "Gjenforent",
    "close": "Lukket",
    "export": "Eksportert",
    "audit.read": "Revisjonslogg lest",
    "audit.person_lookup": "Revisjon: person slått opp",
    "correct": "Rettet",
    "checkin_again": "Sjekket inn igjen",
    "update": "Endret",
    "purpose.create": "Formål lagt til",
    "purpose.update": "Formål endret",
}
AUDIT_SUBJECT_TITLES: dict[str, str] = {
    "evacuee": "Evakuert",
    "inquiry": "Etterlysning",
    "user": "Bruker",
    "meeting": "Møte",
    "delivery": "Utsending",
    "audit": "Revisjonslogg",
    "incident": "Hendelse",
    "exercise": "Øvelse",
    "alert": "Varsling",
    "alert_recipient": "Varslingsmottaker",
    "eps_centre": "EPS",
    "access_purpose": "Formål",
}


# --- maps: the kinds of zone drawn around an incident ---

ZONE_KIND_TITLES: dict[str, str] = {
    "faresone": "Faresone",
    "sperresone": "Sperresone",
    "evakueringssone": "Evakueringssone",
}


# --- cooperation: the two parties of the samarbeidsavtale, as the reports and the årshjul name them ---

PARTY_NAMES: dict[str, str] = {"kommune": "Kristiansand kommune", "politi": "Agder politidistrikt"}
PROPOSAL_STATUSES: dict[str, str] = {
    "pending": "Til vurdering",
    "accepted": "Satt på sakslisten",
    "declined": "Avslått",
}
MEETING_KINDS: dict[str, str] = {
    "politirad": "Politiråd",
    "formannskap": "Formannskapet og politiledelsen",
    "regionalt_politirad": "Regionalt politiråd (Region Kristiansand)",
}
MEETING_STATUSES: dict[str, str] = {
    "draft": "Utkast",
    "sent": "Sendt",
    "held": "Avholdt",
}
CYCLE_ITEM_STATUSES: dict[str, str] = {
    "planlagt": "Planlagt",
    "under_arbeid": "Under arbeid",
    "ferdig": "Ferdig",
    "lagt_fram": "Lagt fram",
}
AGENDA_ITEM_KINDS: dict[str, str] = {
    "orientering": "Orienteringssak",
    "drøfting": "Drøftingssak",
    "vedtak": "Vedtakssak",
}
DECISION_STATUSES: dict[str, str] = {
    "open": "Åpen",
    "in_progress": "Under arbeid",
    "done": "Utført",
}
ROUTINE_STATUSES: dict[str, str] = {
    "under_arbeid": "Under arbeid",
    "formalisert": "Formalisert",
}
OVERVIEW_SOURCES: dict[str, str] = {
    "kriminalstatistikk": "Kriminalstatistikk",
    "ungdata": "Ungdata",
    "kvalitativ": "Kvalitativ informasjon",
}


# --- live events (CONTRACT §3): every `type` the journal carries, by the package that writes it ---

EVENT_TYPES: tuple[str, ...] = (
    # incidents
    "incident.created",
    "incident.updated",
    "incident.deleted",
    "log.created",
    "task.created",
    "task.updated",
    "actioncard.created",
    "actioncard.updated",
    "actioncard.deleted",
    "sitrep.created",
    "sitrep.updated",
    "sitrep.approved",
    "sitrep.issued",
    "presence.changed",
    # EPS
    "eps.opened",
    "eps.status_changed",
    "eps.updated",
    "eps.occupancy",
    "eps.department_updated",
    "eps.exercise_data_deleted",
    "eps.purged",
    "evacuee.registered",
    "evacuee.checked_out",
    "evacuee.checked_in_again",
    "evacuee.corrected",
    "inquiry.created",
    "inquiry.corrected",
    "inquiry.matches_changed",
    "inquiry.reunited",
    "inquiry.closed",
    # roster
    "roster.updated",
    "alert.created",
    "alert.recipient",
    # maps
    "resource.created",
    "resource.updated",
    "resources.seeded",
    "districts.updated",
    "layer.imported",
    "zone.added",
    "zone.updated",
    "zone.removed",
    # exercises
    "inject.delivered",
    "inject.skipped",
    "observation.added",
    "exercise.started",
    "exercise.paused",
    "exercise.resumed",
    "exercise.speed_changed",
    "exercise.finished",
    # cooperation
    "meeting.created",
    "meeting.updated",
    "meeting.approved",
    "meeting.approvals_reset",
    "meeting.sent",
    "meeting.mailed",
    "meeting.attachment_added",
    "agenda.item_created",
    "agenda.item_updated",
    "agenda.item_deleted",
    "decision.created",
    "decision.updated",
    "proposal.created",
    "proposal.decided",
    "agreement.registered",
    "agreement.evaluated",
    "agreement.focus_area_updated",
    "agreement.routine_created",
    "agreement.routine_updated",
    "cycle.dates_fixed",
    "cycle.item_updated",
    "directory.person_created",
    "directory.person_updated",
    "directory.district_updated",
    "oversiktsbilde.updated",
    "oversiktsbilde.indicator_created",
    "oversiktsbilde.indicator_updated",
    "oversiktsbilde.indicator_deleted",
    "evaluation.entry_saved",
    "evaluation.note_added",
    "meeting.minutes_approved",
    "meeting.minutes_approvals_reset",
    "meeting.minutes_sent",
    "meeting.question_added",
    "meeting.question_updated",
    "meeting.question_deleted",
    "directory.regional_members_updated",
    "knowledge.threat_assessment_saved",
)


def event_constant(event_type: str) -> str:
    """`eps.status_changed` → `EPS_STATUS_CHANGED`, the name of the JS constant."""
    return event_type.replace(".", "_").upper()


def events_js() -> str:
    """The JS module of event-type constants (beredskap/static/js/generated/events.js, written by `make setup`)."""
    lines = [
        "// Generated from EVENT_TYPES in beredskap/vocabulary.py by `make setup`; do not edit, and do not commit.",
        "export const EV = Object.freeze({",
        *(f'  {event_constant(t)}: "{t}",' for t in EVENT_TYPES),
        "});",
        "export const EVENT_TYPES = Object.freeze(Object.values(EV));",
        "",
    ]
    return "\n".join(lines)
