"""Demo data: a realistic action-card library per incident type and one exercise board to look at."""

from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.extensions import db
from beredskap.incidents import actioncards, services, sitreps
from beredskap.incidents.models import ActionCard, Incident, IncidentKind, IncidentType, LogCategory

# (title, description, assignee, minutes to deadline) per type, in the order the cards are worked.
ACTION_CARDS: dict[str, list[tuple[str, str, str, int | None]]] = {
    IncidentType.FLOM: [
        (
            "Varsle kriseledelsen og kall inn krisestaben",
            "Bruk varslingslista. Avklar møtested (rådhuset, kriseledelsesrommet) og om Teams-møte trengs i tillegg.",
            "Beredskapskoordinator",
            15,
        ),
        (
            "Hent prognoser fra NVE (varsom.no) og avklar farenivå",
            "Vannføring i Otra og Tovdalselva, "
            "tidspunkt for flomtopp, tidevann og vind. Avtal neste oppdatering med NVE.",
            "Teknisk sektor",
            30,
        ),
        (
            "Etabler kontakt med politiets innsatsleder",
            "Utveksle kontaktinfo, avklar samband (Nødnett-talegruppe) og hvem som har ansvar for evakuering.",
            "Politikontakt",
            30,
        ),
        (
            "Kartlegg utsatte områder",
            "Boliger, sykehjem, skoler og barnehager, veier og bruer langs elvene; "
            "bruk kartet og sonen for befolkningsanslag.",
            "Teknisk sektor",
            60,
        ),
        (
            "Vurder evakuering og gjør EPS klar",
            "Avklar med politiet. Klargjør evakuerte- og pårørendesenter, mat, senger og registrering.",
            "EPS-leder",
            60,
        ),
        (
            "Sikre drikkevann og avløp",
            "Vurder kokevarsel, overvåk pumpestasjoner og renseanlegg.",
            "Teknisk sektor",
            90,
        ),
        (
            "Informer befolkningen",
            "Nettside, sosiale medier og pressemelding: hva skjer, hvem berøres, hva skal "
            "de gjøre, når kommer neste oppdatering.",
            "Kommunikasjonsrådgiver",
            45,
        ),
        (
            "Følg opp sårbare brukere i området",
            "Hjemmetjenesten lager liste over brukere i flomsonen og kontakter dem.",
            "Helse og velferd",
            60,
        ),
        (
            "Be om sandsekker og mobile flomvern",
            "Bestill via Sivilforsvaret; avklar leveringssted.",
            "Beredskapskoordinator",
            120,
        ),
    ],
    IncidentType.BRANN: [
        (
            "Motta situasjonsbilde fra brannvesenets innsatsleder",
            "Omfang, spredningsfare, røykretning, skadde og evakuerte.",
            "Brannvesenet",
            15,
        ),
        ("Varsle kriseledelsen", "Vurder om krisestab skal settes.", "Beredskapskoordinator", 15),
        (
            "Vurder røykvarsel til befolkningen",
            "Lukk vinduer, slå av ventilasjon; gjelder særlig skoler, barnehager og sykehjem i røykretningen.",
            "Kommunikasjonsrådgiver",
            20,
        ),
        ("Opprett EPS for evakuerte og pårørende", "Velg senter utenfor røykområdet.", "EPS-leder", 45),
        (
            "Aktiver psykososialt kriseteam",
            "Oppfølging av evakuerte, naboer og pårørende.",
            "Psykososialt kriseteam",
            60,
        ),
        ("Skaff midlertidig bolig", "For husstander som ikke kan flytte hjem i natt.", "Helse og velferd", 120),
        ("Pressemelding og nettsak", "Samordne med brannvesenet og politiet.", "Kommunikasjonsrådgiver", 60),
    ],
    IncidentType.EKSPLOSJON: [
        (
            "Få bekreftet fareområde og sikkerhetssone",
            "Fra politiets innsatsleder; tegn sonen i kartet.",
            "Politikontakt",
            15,
        ),
        ("Varsle kriseledelsen", "", "Beredskapskoordinator", 15),
        (
            "Varsle befolkningen i fareområdet",
            "Lokasjonsbasert varsling via politiet; «gå inn, lukk vinduer» eller evakuering etter politiets råd.",
            "Kommunikasjonsrådgiver",
            20,
        ),
        (
            "Skoler og barnehager i sonen holder barna inne",
            "Foresatte varsles om henting først når politiet sier det er trygt.",
            "Kriseledelsen",
            20,
        ),
        ("Opprett EPS utenfor sonen", "", "EPS-leder", 45),
        ("Meld til Statsforvalteren", "Første situasjonsrapport.", "Beredskapskoordinator", 60),
    ],
    IncidentType.ULYKKE: [
        ("Varsle kriseledelsen", "", "Beredskapskoordinator", 15),
        (
            "Avklar helsekapasitet med AMK og legevakt",
            "Antall skadde, behov for ekstra personell.",
            "Kommuneoverlege",
            30,
        ),
        (
            "Avklar pårørendetelefon og EPS med politiet",
            "Politiet leder pårørendearbeidet ved ulykker med omkomne; kommunen stiller lokaler og personell.",
            "Politikontakt",
            30,
        ),
        ("Etabler EPS / pårørendesenter", "", "EPS-leder", 45),
        ("Aktiver psykososialt kriseteam", "", "Psykososialt kriseteam", 45),
        (
            "Informasjon til media",
            "Samordne med politiet; ingen navn før pårørende er varslet.",
            "Kommunikasjonsrådgiver",
            60,
        ),
    ],
    IncidentType.VOLD: [
        (
            "Følg politiets råd om innelåsing eller evakuering",
            "Formidle til berørte virksomheter straks.",
            "Politikontakt",
            10,
        ),
        ("Varsle kriseledelsen", "", "Beredskapskoordinator", 15),
        ("Etabler EPS etter avtale med politiet", "Adkomst og skjerming avtales med politiet.", "EPS-leder", 30),
        (
            "Koordiner all kommunikasjon med politiet",
            "Ingen publisering før politiet har godkjent.",
            "Kommunikasjonsrådgiver",
            30,
        ),
        ("Psykososial oppfølging av skoler og berørte", "", "Psykososialt kriseteam", 60),
    ],
    IncidentType.PANDEMI: [
        (
            "Situasjonsvurdering fra kommuneoverlegen",
            "Smittetall, sykehuskapasitet, nasjonale råd.",
            "Kommuneoverlege",
            120,
        ),
        ("Vurder lokale smitteverntiltak", "Behov for forskrift etter smittevernloven.", "Kriseledelsen", 240),
        (
            "Sikre drift på sykehjem og i hjemmetjenesten",
            "Bemanning, smittevernutstyr, besøksrutiner.",
            "Helse og velferd",
            240,
        ),
        ("Dimensjoner test- og vaksinasjonskapasitet", "", "Kommuneoverlege", 1440),
        (
            "Informasjon på flere språk",
            "Nettside, SMS, samarbeid med innvandrerorganisasjoner.",
            "Kommunikasjonsrådgiver",
            240,
        ),
    ],
    IncidentType.EKSTREMVAER: [
        (
            "Følg farevarselet fra Meteorologisk institutt",
            "Oransje/rødt farevarsel: sett krisestab i beredskap.",
            "Beredskapskoordinator",
            30,
        ),
        (
            "Forhåndsvarsle teknisk beredskap",
            "Veier, overvann, stikkrenner, trær over ledninger.",
            "Teknisk sektor",
            60,
        ),
        ("Sikre strøm til institusjoner", "Aggregater og drivstoff til sykehjem og vannverk.", "Helse og velferd", 120),
        ("Råd om egenberedskap til befolkningen", "", "Kommunikasjonsrådgiver", 60),
    ],
    IncidentType.IKT: [
        ("Etabler reservesamband", "Nødnett, satellittelefon, kjente mobilnumre på papir.", "IKT-vakt", 30),
        (
            "Vurder konsekvenser for kritiske tjenester",
            "Legevakt, hjemmetjeneste, vannverk, sentralbord.",
            "IKT-vakt",
            60,
        ),
        ("Ta i bruk papirrutiner", "Journal, medisinlister og vaktplaner på papir.", "Helse og velferd", 60),
        ("Meld mistanke om dataangrep til NSM", "", "IKT-vakt", 60),
        (
            "Informer ansatte og innbyggere",
            "Hvilke tjenester er nede, hvordan nå kommunen.",
            "Kommunikasjonsrådgiver",
            90,
        ),
    ],
    IncidentType.ANNET: [
        ("Varsle kriseledelsen og vurder å sette krisestab", "", "Beredskapskoordinator", 15),
        ("Start loggføring", "Én loggfører for staben.", "Loggfører", 15),
        ("Første situasjonsrapport til Statsforvalteren", "", "Beredskapskoordinator", 120),
    ],
}

DEMO_TITLE = "Flom i Otra ved Lundsbroa"
DEMO_LOCATION = {"type": "Point", "coordinates": [8.0085, 58.1545]}
DEMO_LOG = [
    ("NVE varsler oransje farenivå for Otra; flomtopp ventes i natt.", LogCategory.MELDING_INN, "NVE", False),
    ("Krisestab satt kl. 14.00 på rådhuset.", LogCategory.BESLUTNING, "", True),
    ("Politiet stenger gang- og sykkelveien langs Otra ved Lundsbroa.", LogCategory.MELDING_INN, "Politiet", False),
    ("Beboere i Grim og Lund får SMS om mulig evakuering.", LogCategory.MELDING_UT, "", False),
    ("EPS i Gimlehallen gjøres klar som reserve.", LogCategory.TILTAK, "", False),
]


# Cards whose measure is calling out a roster team (by title prefix); migration b8e41f0c2d17 marks them too.
ALERT_CARD_TEAMS = (
    ("Varsle kriseledelsen", "kriseledelse"),
    ("Aktiver psykososialt kriseteam", "psykososialt_kriseteam"),
)


def alert_team_of(title: str) -> str | None:
    return next((team for prefix, team in ALERT_CARD_TEAMS if title.startswith(prefix)), None)


def seed_action_cards() -> int:
    """Add the library's cards that are not there yet (by type and title); returns how many were added."""
    existing = {(c.type, c.title) for c in db.session.scalars(select(ActionCard))}
    added = 0
    for type_, cards in ACTION_CARDS.items():
        for position, (title, description, assignee, minutes) in enumerate(cards, start=1):
            if (type_, title) in existing:
                continue
            actioncards.create_action_card(
                {
                    "type": type_,
                    "title": title,
                    "description": description,
                    "assignee": assignee,
                    "due_minutes": minutes,
                    "position": position * 10,
                    "alert_team": alert_team_of(title),
                }
            )
            added += 1
    return added


def seed_exercise_board() -> bool:
    """One exercise board with log lines, tasks from the flood cards and a draft sitrep."""
    if db.session.scalar(select(Incident.id).where(Incident.title == DEMO_TITLE)):
        return False
    actor = db.session.scalar(select(User).where(User.username == "demo.coordinator"))
    incident = services.open_incident(
        title=DEMO_TITLE,
        kind=IncidentKind.EXERCISE,
        type_=IncidentType.FLOM,
        description="Øvelse: kraftig nedbør gir flom i Otra; boliger i Grim og Lund kan bli berørt.",
        severity=2,
        location=DEMO_LOCATION,
        actor=actor,
    )
    incident_id = incident.id
    for text, category, source, important in DEMO_LOG:
        services.append_log_entry(
            incident_id, text=text, category=category, source=source, important=important, actor=actor
        )
    cards = actioncards.list_action_cards(IncidentType.FLOM)[:4]
    actioncards.adopt_action_cards(incident_id, [c.id for c in cards], actor=actor)
    sitreps.create_sitrep(incident_id, prefill=True, actor=actor)
    return True


def seed_demo() -> list[str]:
    """Idempotent: a second run adds nothing."""
    lines = []
    added = seed_action_cards()
    lines.append(f"Tiltakskort: {added} lagt til." if added else "Tiltakskortene finnes allerede.")
    if seed_exercise_board():
        lines.append(f"Øvelsestavle opprettet: «{DEMO_TITLE}».")
    return lines
