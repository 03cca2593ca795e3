"""The samarbeidsavtale as plain data: named lists, functions, statuses and their Norwegian titles."""

from __future__ import annotations

AGREEMENT_TITLE = "Samarbeidsavtale mellom Kristiansand kommune og Agder politidistrikt"
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
# Cycle keys that are meetings (the others are documents or the evaluation).
MEETING_CYCLE_KEYS: dict[str, str] = {
    "formannskap-var": "formannskap",
    "politirad-var": "politirad",
    "regionalt-politirad": "regionalt_politirad",
    "politirad-host": "politirad",
    "formannskap-host": "formannskap",
}
DOCUMENT_CYCLE_KEYS: tuple[str, ...] = ("trusselvurdering", "oversiktsbilde", "avtaleevaluering")
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

# The eight innsatsområder of the municipal crime-prevention plan. The issue names the count but not
# the list: the first seven are the innsatsområder of Kristiansand's Kriminalitetsforebyggende plan
# 2016–2020, the eighth is our assumption. They are stored as data and can be renamed in the app.
FOCUS_AREAS: tuple[str, ...] = (
    "Barne- og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Vold i det offentlige rom",
    "Radikalisering og voldelig ekstremisme",
    "Arbeidslivskriminalitet",
    "Hverdagskriminalitet",
    "Prostitusjon og menneskehandel",
    "Digital kriminalitet og nettrelaterte overgrep",
)
FOCUS_AREAS_NOTE = (
    "Område 1–7 er innsatsområdene i Kriminalitetsforebyggende plan 2016–2020; område 8 er foreløpig og må "
    "bekreftes mot gjeldende plan."
)

# The ten areas of operational cooperation, as the agreement names them.
COOPERATION_AREAS: tuple[str, ...] = (
    "Barne- og ungdomskriminalitet",
    "Vold i nære relasjoner",
    "Seksuelle overgrep mot barn",
    "Personer som utgjør en samfunnsfare",
    "Rus og psykiatri",
    "Radikalisering/hatkrim/polarisering",
    "Trafikksikkerhet",
    "Trygt uteliv",
    "Operativ beredskap/øvelser/EPS",
    "Arrangementer og markeringer",
)

AGREEMENT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "1",
        "Formål",
        "Avtalen skal sikre et forpliktende og langsiktig samarbeid mellom Kristiansand kommune og Agder "
        "politidistrikt om kriminalitetsforebygging, trygghet og beredskap.",
    ),
    (
        "2",
        "Parter og varighet",
        "Partene er Kristiansand kommune og Agder politidistrikt ved Kristiansand politistasjon og Søgne og "
        "Songdalen politistasjon. Avtalen gjelder i fire år og følger kommunestyreperioden (2025–2028).",
    ),
    (
        "3",
        "Politiråd",
        "Politirådet møtes to ganger i året, vår og høst. Kommunen og politiet har vertskap og møteledelse "
        "annethvert år: den ene parten har begge møtene i ett år, den andre parten året etter. Faste medlemmer "
        "fra kommunen er ordfører, varaordfører, kommunedirektør, beredskapssjef og kriminalitetsforebyggende "
        "koordinator; fra politiet stasjonssjefene og politikontaktene ved Kristiansand og Søgne og Songdalen "
        "politistasjon. Andre inviteres ved behov.",
    ),
    (
        "4",
        "Sekretariat, saksliste og vedtak",
        "Kriminalitetsforebyggende koordinator er sekretær. Koordinatoren utarbeider saksliste med saksnotater "
        "sammen med politiet og skriver referat. Sakslisten godkjennes av kommunedirektørens ledergruppe og "
        "politistasjonens ledergruppe før den sendes rådet. Vedtak forplikter begge parter til oppfølging.",
    ),
    (
        "5",
        "Formannskapet og politiledelsen",
        "Formannskapet møter politiledelsen to ganger i året: ett møte om barne- og ungdomskriminalitet med "
        "det årlige Oversiktsbildet (legges fram i vårmøtet), og ett om det generelle kriminalitetsbildet.",
    ),
    ("6", "Regionalt politiråd", "Regionalt politiråd for Region Kristiansand møtes én gang i året."),
    (
        "7",
        "Årshjul",
        "Datoene for neste års møter fastsettes i politirådets høstmøte. Sammen utgjør de årshjulet.",
    ),
    (
        "8",
        "Kunnskapsgrunnlag",
        "Oversiktsbildet for barne- og ungdomskriminalitet skrives årlig av kriminalitetsforebyggende "
        "koordinator sammen med folkehelsekoordinator, politikontakt og analytikere fra begge parter, fra tre "
        "kilder: kriminalstatistikk, ungdomsundersøkelsen (Ungdata) og kvalitativ informasjon fra ansatte som "
        "jobber med unge. Politiets årlige Trusselvurdering for Agder er en del av grunnlaget.",
    ),
    (
        "9",
        "Innsatsområder og operativt samarbeid",
        "Avtalen bygger på de åtte innsatsområdene i kommunens plan for kriminalitetsforebygging og ti områder "
        "for operativt samarbeid, der samarbeidsrutinene formaliseres.",
    ),
    ("10", "Evaluering", "Avtalen evalueres hvert år i politirådet."),
)

STEERING_DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("Kommunal plan for kriminalitetsforebygging", "kommune"),
    ("Trusselvurdering for Agder", "politi"),
    ("Oversiktsbilde for barne- og ungdomskriminalitet", "kommune"),
    ("Helhetlig risiko- og sårbarhetsanalyse (ROS) for Kristiansand kommune", "kommune"),
    ("Politidirektoratets rundskriv om politiråd", "politi"),
)
