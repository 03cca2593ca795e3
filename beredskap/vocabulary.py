"""The words of the app in one place: status values and their labels, sitrep sections, roles, teams, event types,
the local timezone and date formats.

No Flask and no database here, so models, services, reports, templates (through the context processor) and the
JS constants generator (`python -m beredskap.vocabulary`) all read the same list.
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


TEAM_TITLES = {
    Team.KRISELEDELSE: "Kriseledelse",
    Team.KRISESTAB: "Krisestab",
    Team.PSYKOSOSIALT_KRISETEAM: "Psykososialt kriseteam",
    Team.EPS_LEDELSE: "EPS-ledelse",
}
