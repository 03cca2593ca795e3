"""The samarbeidsavtale as plain data: named lists, functions, statuses and their Norwegian titles."""

from __future__ import annotations

from beredskap.vocabulary import (  # noqa: F401 - the cooperation's labels live in the vocabulary; re-exported
    AGENDA_ITEM_KINDS,
    CYCLE_ITEM_STATUSES,
    DECISION_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    OVERVIEW_SOURCES,
    PROPOSAL_STATUSES,
    ROUTINE_STATUSES,
)

AGREEMENT_TITLE = "Samarbeidsavtale mellom Kristiansand kommune og Agder politidistrikt"
# The signed agreement's period; later agreements are records (coop_agreements), so code asks the database.
AGREEMENT_START = 2025
AGREEMENT_END = 2028

# The seven bydeler of Kristiansand, in the order the agreement lists them.
BYDELER: tuple[str, ...] = ("Lund", "Vågsbygd", "Oddernes", "Grim", "Søgne", "Kvadraturen", "Songdalen")
# Søgne and Songdalen are served by their own politistasjon; the rest by Kristiansand politistasjon.
BYDEL_STATION: dict[str, str] = {
    bydel: ("politi-sogne-songdalen" if bydel in ("Søgne", "Songdalen") else "politi-kristiansand") for bydel in BYDELER
}

PARTY_BODIES: dict[str, str] = {
    "kommune": "Kommunedirektørens ledergruppe",
    "politi": "Politistasjonens ledergruppe",
}
# §3.1: the saksliste is approved by «politistasjonens ledergruppe»; the agreement covers two stations.
POLICE_STATIONS: dict[str, str] = {
    "politi-kristiansand": "Kristiansand",
    "politi-sogne-songdalen": "Søgne og Songdalen",
}


def approval_body(party: str, station: str = "") -> str:
    """«Kommunedirektørens ledergruppe», or «Politistasjonens ledergruppe (Kristiansand)» with the station."""
    body = PARTY_BODIES[party]
    if party == "politi" and station in POLICE_STATIONS:
        return f"{body} ({POLICE_STATIONS[station]})"
    return body


# §3.1: every politiråd reviews «felles fokusområder og tiltak»; the item is on every politiråd agenda.
STANDING_ITEM_TITLE = "Felles fokusområder og tiltak"

# Cycle keys that are meetings (the others are documents or the evaluation).
MEETING_CYCLE_KEYS: dict[str, str] = {
    "formannskap-var": "formannskap",
    "politirad-var": "politirad",
    "regionalt-politirad": "regionalt_politirad",
    "politirad-host": "politirad",
    "formannskap-host": "formannskap",
}
DOCUMENT_CYCLE_KEYS: tuple[str, ...] = ("trusselvurdering", "oversiktsbilde", "avtaleevaluering")

# §3.3: the Oversiktsbilde's three main sources, as the agreement names them; each is recorded with its year.
OVERVIEW_SOURCE_TEXT: dict[str, str] = {
    "kriminalstatistikk": "Kriminalitetsstatistikken",
    "ungdata": "Ungdomsundersøkelsen",
    "kvalitativ": "Kvalitativ informasjon fra ansatte som til daglig arbeider med ungdom (nettverk for risikoutsatt "
    "ungdom)",
}
# §3.3: the KFK writes the report with a team of the folkehelsekoordinator, the politikontakt and analysts of both.
OVERVIEW_TEAM_ROLES: dict[str, str] = {
    "krimkoordinator": "Kriminalitetsforebyggende koordinator (fører rapporten i pennen)",
    "folkehelsekoordinator": "Folkehelsekoordinator",
    "politikontakt": "Politikontakt",
    "analytiker_kommune": "Analytiker i kommunen",
    "analytiker_politi": "Analytiker i politiet",
}

# Functions in the directory: key → (party kind, title).
FUNCTIONS: dict[str, tuple[str, str]] = {
    "ordforer": ("kommune", "Ordfører"),
    "varaordforer": ("kommune", "Varaordfører"),
    "kommunedirektor": ("kommune", "Kommunedirektør"),
    "beredskapssjef": ("kommune", "Beredskapssjef"),
    "krimkoordinator": ("kommune", "Kriminalitetsforebyggende koordinator"),
    "folkehelsekoordinator": ("kommune", "Folkehelsekoordinator"),
    "analytiker_kommune": ("kommune", "Analytiker"),
    "omradekontakt": ("kommune", "Områdekontakt"),
    "stasjonssjef": ("politi", "Politistasjonssjef"),
    "politikontakt": ("politi", "Politikontakt"),
    "analytiker_politi": ("politi", "Analytiker"),
    "bydelskontakt_politi": ("politi", "Politiets kontakt i bydelen"),
    # §4 and §4.3, spelled as in the agreement.
    "beredskapsleder": ("kommune", "Beredskapsleder"),
    "sikkerhet_beredskapskoordinator": ("kommune", "Sikkerhet- og beredskapskoordinator"),
}
# The politiråd's fixed members by function (the agreement, section 3); others are invited as needed.
POLITIRAD_MEMBER_FUNCTIONS: tuple[str, ...] = (
    "ordforer",
    "varaordforer",
    "kommunedirektor",
    "beredskapssjef",
    "krimkoordinator",
    "stasjonssjef",
    "politikontakt",
)

# --- the signed agreement 2025–2028, as written ------------------------------------------------------------
# Names are copied from the signed text (seed/samarbeidsavtale-kristiansand-politi-2025-2028.md), spelling included.

SIGNED_VALID_FROM = "2025-01-01"  # «Avtalen gjelder for 01.01.25 – 31.12.28»
SIGNED_VALID_TO = "2028-12-31"
SIGNED_PERIOD_BASIS = "Samarbeidsavtalen har en varighet på 4 år og følger bystyreperioden."
SIGNED_PARTIES: tuple[str, ...] = ("Kristiansand kommune", "Agder politidistrikt")
# (name, function, unit, party) in the order they sign.
SIGNATORIES: tuple[tuple[str, str, str, str], ...] = (
    ("Jan Terje Aas", "Driftsenhetsleder", "Midtre Agder driftsenhet", "Agder politidistrikt"),
    ("Mathias Bernander", "Ordfører", "", "Kristiansand kommune"),
    ("Camilla Dunsæd", "Kommunedirektør", "", "Kristiansand kommune"),
)
# §2: what the cooperation shall contribute to.
GOALS: tuple[str, ...] = (
    "at kommune og politi tar et felles ansvar for kriminalitetsforebygging og innbyggernes trygghet",
    "å styrke dialog og samarbeid mellom politi og kommune",
    "bedre informasjonsflyt og felles kunnskapsgrunnlag mellom politi og kommune",
    "et godt samarbeid i beredskaps- og krisesituasjoner",
    "tidlig innsats med et særlig fokus på barne- og ungdomskriminalitet",
)
# §2: the parties' samfunnsoppdrag, as the agreement states them.
MANDATES: dict[str, str] = {
    "politi": "Politiets samfunnsoppdrag er forankret i politilovens §§1 og 2. Det er staten som skal sørge for "
    "polititjenestene som samfunnet har behov for. Politiets hovedoppgave er å bidra til redusert kriminalitet og "
    "skape økt trygghet for innbyggerne.",
    "kommune": "Kommunenes samfunnsoppdrag er forankret i kommuneloven § 1 og i en rekke særlover som helse- og "
    "omsorgsloven, sosialtjenesteloven, barnevernloven, opplæringsloven m.fl. Målet er å yte velferd og gode "
    "tjenester til innbyggerne som skolegang, barnehage, sosialhjelp, barnevern, legehjelp og sykehjem.",
}
# §2: the eight innsatsområder of «Sammen om en tryggere hverdag», spelled as in the agreement.
FOCUS_AREAS: tuple[str, ...] = (
    "Barne og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Vold i det offentlige rom",
    "Radikalisering og voldelig ekstremisme",
    "Arbeidslivskriminalitet",
    "Hverdagskriminalitet",
    "Prostitusjon og menneskehandel",
    "Hatkriminalitet og hatefulle ytringer",
)
FOCUS_AREAS_NOTE = (
    "Innsatsområdene i den helhetlige overordnede planen for kriminalitetsforebygging «Sammen om en tryggere "
    "hverdag», slik samarbeidsavtalen lister dem (§ 2)."
)

# §5: the ten areas where kommune and politi have samarbeidstiltak; routines are entered by the users.
COOPERATION_AREAS: tuple[str, ...] = (
    "Barne- og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Seksuelle overgrep mot barn",
    "Personer som utgjør en samfunnsfare",
    "Rus og psykiatri",
    "Radikalisering, hatkrim og polarisering",
    "Trafikksikkerhetsarbeid",
    "Trygt uteliv",
    "Operativ beredskap, øvelser og evakuering- og pårørendesenter",
    "Arrangementer og markeringer",
)

# §1: cooperation structures that the agreement does not cover.
OUTSIDE_NOTE = (
    "Øvrige samarbeidsstrukturer som samarbeid med Akrimssenteret, Plattform, Konfliktrådet, Støttesenter for "
    "kriminalitetsutsatte, Bufetat, Sykehus m.m inngår ikke i avtalen. Dette er samarbeidsstrukturer på distrikt- "
    "og agdernivå og som reguleres i separate samarbeidsavtaler."
)

# §2: «Styringsdokumenter som ligger til grunn for samarbeidsavtalen», as listed (trailing punctuation dropped).
# The agreement names no owner for them; `owner` stays empty until a user sets it.
STEERING_DOCUMENTS: tuple[str, ...] = (
    "Kommuneplanen i Kristiansand; Sterkere sammen —Kristiansand mot 2030",
    "Kriminalitetsforebyggende plan 2016 - 2024; Sammen om en tryggere hverdag",
    "Strategi for salgs- og skjenkepolitikken; Alkoholpolitisk handlingsplan 2024-2028",
    "Handlingsplan mot vold og seksuelle overgrep mot barn og unge; Handlingsplan mot vold og seksuelle overgrep",
    "Politivedtekt for Kristiansand kommune av 2020; Forskrift om politivedtekt Kristiansand kommune",
    "Forskrift om kommunal beredskapsplikt",
    "I forkant av kriminaliteten – Forebygging som politiets hovedstrategi (2021-2025)",
    "Veileder politi og kommunesamarbeid",
)
