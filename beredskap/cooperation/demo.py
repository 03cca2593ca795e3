"""Demo data for the cooperation: units, fictitious people, the agreement, the 2026 meetings and 2027's dates.

All people, phone numbers and e-mail addresses are invented (example.no addresses, 00-numbers); the
Oversiktsbilde figures are invented too.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from beredskap.clock import utcnow
from beredskap.cooperation.agreement import AGREEMENT_START, BYDEL_STATION, BYDELER, STANDING_ITEM_TITLE
from beredskap.cooperation.meetings import OSLO, add_standing_item, new_meeting
from beredskap.cooperation.models import (
    AgendaItem,
    Agreement,
    AgreementEvaluation,
    CooperationArea,
    CycleItem,
    Decision,
    District,
    Meeting,
    OverviewIndicator,
    OverviewReport,
    Party,
    Person,
    Routine,
)
from beredskap.cooperation.periods import ensure_signed_agreement
from beredskap.extensions import db

UNITS = [
    ("kommune-politisk", "Politisk ledelse", "kommune", "kommune"),
    ("kommune-direktor", "Kommunedirektøren", "kommune", "kommune"),
    ("kommune-beredskap", "Beredskap og samfunnssikkerhet", "kommune", "kommune"),
    ("kommune-krimteam", "Kriminalitetsforebyggende team", "kommune", "kommune"),
    ("kommune-folkehelse", "Folkehelse", "kommune", "kommune"),
    ("kommune-oppvekst", "Oppvekst – områdekontaktene", "kommune", "kommune"),
    ("politi-analyse", "Analyse, Agder politidistrikt", "politi", "politi"),
]

# (name, function, title, unit key, bydel)
PEOPLE = [
    ("Marte Lindeland", "ordforer", "Ordfører", "kommune-politisk", None),
    ("Henrik Tveit", "varaordforer", "Varaordfører", "kommune-politisk", None),
    ("Solveig Aasland", "kommunedirektor", "Kommunedirektør", "kommune-direktor", None),
    ("Tor Egil Mjåland", "beredskapssjef", "Beredskapssjef", "kommune-beredskap", None),
    ("Camilla Fjeld", "krimkoordinator", "Kriminalitetsforebyggende koordinator", "kommune-krimteam", None),
    ("Nina Kvåle", "folkehelsekoordinator", "Folkehelsekoordinator", "kommune-folkehelse", None),
    ("Jonas Haugland", "analytiker_kommune", "Analytiker, kriminalitetsforebygging", "kommune-krimteam", None),
    ("Knut Reiersen", "stasjonssjef", "Politistasjonssjef, Kristiansand", "politi-kristiansand", None),
    ("Liv Torkildsen", "stasjonssjef", "Politistasjonssjef, Søgne og Songdalen", "politi-sogne-songdalen", None),
    ("Eirik Salvesen", "politikontakt", "Politikontakt, Kristiansand", "politi-kristiansand", None),
    ("Hilde Omdal", "politikontakt", "Politikontakt, Søgne og Songdalen", "politi-sogne-songdalen", None),
    ("Sara Bakke", "analytiker_politi", "Analytiker", "politi-analyse", None),
    ("Anders Vigeland", "omradekontakt", "Områdekontakt Lund", "kommune-oppvekst", "Lund"),
    ("Mari Håland", "omradekontakt", "Områdekontakt Vågsbygd", "kommune-oppvekst", "Vågsbygd"),
    ("Petter Løland", "omradekontakt", "Områdekontakt Oddernes", "kommune-oppvekst", "Oddernes"),
    ("Aisha Rahimi", "omradekontakt", "Områdekontakt Grim", "kommune-oppvekst", "Grim"),
    ("Kristin Ås", "omradekontakt", "Områdekontakt Søgne", "kommune-oppvekst", "Søgne"),
    ("Ole Martin Ravnås", "omradekontakt", "Områdekontakt Kvadraturen", "kommune-oppvekst", "Kvadraturen"),
    ("Trine Nodeland", "omradekontakt", "Områdekontakt Songdalen", "kommune-oppvekst", "Songdalen"),
    ("Even Kjos", "bydelskontakt_politi", "Forebyggende politi, Lund", "politi-kristiansand", "Lund"),
    ("Silje Tønnessen", "bydelskontakt_politi", "Forebyggende politi, Vågsbygd", "politi-kristiansand", "Vågsbygd"),
    ("Magnus Eftestøl", "bydelskontakt_politi", "Forebyggende politi, Oddernes", "politi-kristiansand", "Oddernes"),
    ("Ida Stray", "bydelskontakt_politi", "Forebyggende politi, Grim", "politi-kristiansand", "Grim"),
    ("Rune Lohne", "bydelskontakt_politi", "Forebyggende politi, Søgne", "politi-sogne-songdalen", "Søgne"),
    ("Fredrik Vik", "bydelskontakt_politi", "Forebyggende politi, Kvadraturen", "politi-kristiansand", "Kvadraturen"),
    (
        "Anette Greipsland",
        "bydelskontakt_politi",
        "Forebyggende politi, Songdalen",
        "politi-sogne-songdalen",
        "Songdalen",
    ),
]

MEETING_POINTS = {
    "Lund": ("Lund bibliotek, møterom 2", "Første tirsdag i måneden kl. 13.00"),
    "Vågsbygd": ("Vågsbygd bydelshus", "Andre onsdag i måneden kl. 12.30"),
    "Oddernes": ("Oddernes fritidsklubb", "Annenhver torsdag kl. 14.00"),
    "Grim": ("Grim skole, møterommet", "Første torsdag i måneden kl. 09.00"),
    "Søgne": ("Søgne servicetorg, Tangvall", "Tredje tirsdag i måneden kl. 10.00"),
    "Kvadraturen": (
        "Kristiansand politistasjon, møterom Kvadraturen",
        "Hver mandag kl. 10.00; før helger med mye uteliv også fredag kl. 15.00",
    ),
    "Songdalen": ("Nodeland bibliotek", "Tredje onsdag i måneden kl. 13.00"),
}

# Routines per cooperation area (by position in COOPERATION_AREAS): (title, owner, status, document link).
ROUTINES = {
    0: [
        (
            "Bekymringssamtale og oppfølging av unge under 18",
            "Kriminalitetsforebyggende team og forebyggende politi",
            "formalisert",
            "https://dokumenter.example.no/rutiner/bekymringssamtale",
        ),
        (
            "Samarbeid om ungdomsoppfølging og ungdomsstraff",
            "Kriminalitetsforebyggende koordinator",
            "under_arbeid",
            "",
        ),
    ],
    1: [
        (
            "Samarbeid ved mistanke om vold i nære relasjoner",
            "Familievoldskoordinator i politiet og barnevernet",
            "formalisert",
            "https://dokumenter.example.no/rutiner/vold-i-naere-relasjoner",
        )
    ],
    2: [
        ("Samarbeid med Statens barnehus ved tilrettelagte avhør", "Barnevernet og etterforskning", "under_arbeid", "")
    ],
    3: [("Tverretatlig risikovurdering og oppfølging", "Politikontakt og kommunedirektørens stab", "under_arbeid", "")],
    4: [
        (
            "Samhandling ved akutte situasjoner: politi, legevakt og psykiatrisk akutteam",
            "Helse og mestring",
            "formalisert",
            "https://dokumenter.example.no/rutiner/rus-og-psykiatri",
        )
    ],
    5: [
        (
            "Forebygging av radikalisering: bekymringsmeldinger og oppfølging",
            "Radikaliseringskontakt i politiet",
            "under_arbeid",
            "",
        )
    ],
    6: [
        (
            "Trafikksikker skolevei: felles kontroller og tiltak",
            "Samferdsel og politiets trafikkgruppe",
            "under_arbeid",
            "",
        )
    ],
    7: [
        (
            "Ansvarlig vertskap: skjenkekontroll og utelivsgruppen",
            "Skjenkekontoret og politistasjonssjef",
            "formalisert",
            "https://dokumenter.example.no/rutiner/trygt-uteliv",
        )
    ],
    8: [
        (
            "Etablering av evakuerte- og pårørendesenter (EPS) med politiet",
            "Beredskapssjef",
            "formalisert",
            "https://dokumenter.example.no/rutiner/eps",
        ),
        (
            "Felles øvingsplan for kommunen og politiet",
            "Beredskapssjef og politiets beredskapsplanlegger",
            "under_arbeid",
            "",
        ),
    ],
    9: [
        (
            "Sikkerhetsplanlegging ved større arrangementer (17. mai, nyttår)",
            "Arrangementsteamet og politiet",
            "under_arbeid",
            "",
        )
    ],
}


def seed() -> list[str]:
    report = []
    report += _seed_units()
    report += _seed_people()
    report += _seed_agreement()
    report += _seed_cycle_and_overview()
    report += _seed_meetings()
    db.session.commit()
    return report


def _unit(key: str) -> Party:
    return db.session.scalar(select(Party).where(Party.key == key))


def _seed_units() -> list[str]:
    created = 0
    for key, name, kind, parent_key in UNITS:
        if _unit(key):
            continue
        db.session.add(Party(key=key, name=name, kind=kind, parent_id=_unit(parent_key).id))
        db.session.flush()
        created += 1
    return [f"Samarbeid: {created} enheter."] if created else []


def _seed_people() -> list[str]:
    report = []
    if db.session.scalar(select(Person.id).limit(1)) is None:
        for index, (name, function, title, unit_key, bydel) in enumerate(PEOPLE, start=1):
            email = name.lower().replace(" ", ".").replace("å", "a").replace("ø", "o").replace("æ", "ae")
            db.session.add(
                Person(
                    name=name,
                    function=function,
                    title=title,
                    unit_id=_unit(unit_key).id,
                    bydel=bydel,
                    email=f"{email}@demo.example.no",
                    phone=f"+47 00 00 {index:04d}",
                )
            )
        report.append(f"Samarbeid: {len(PEOPLE)} personer i katalogen (oppdiktede).")
    created = 0
    for position, name in enumerate(BYDELER):
        if db.session.scalar(select(District.id).where(District.name == name)):
            continue
        point, schedule = MEETING_POINTS[name]
        db.session.add(
            District(
                name=name,
                position=position,
                police_unit_id=_unit(BYDEL_STATION[name]).id,
                meeting_point=point,
                meeting_schedule=schedule,
            )
        )
        created += 1
    if created:
        report.append(f"Samarbeid: {created} bydeler med faste møtepunkter.")
    db.session.flush()
    return report


def _seed_agreement() -> list[str]:
    """The signed agreement (registered as reference data) with demo routines and a demo evaluation."""
    added = ensure_signed_agreement()
    agreement = db.session.scalar(select(Agreement).where(Agreement.period_start == AGREEMENT_START))
    if agreement is None or db.session.scalar(select(Routine.id).limit(1)) is not None:
        return []
    areas = list(
        db.session.scalars(
            select(CooperationArea)
            .where(CooperationArea.agreement_id == agreement.id)
            .order_by(CooperationArea.position)
        )
    )
    for position, area in enumerate(areas):
        for routine_title, owner, status, url in ROUTINES.get(position, []):
            db.session.add(
                Routine(
                    area_id=area.id,
                    title=routine_title,
                    owner=owner,
                    status=status,
                    document_url=url,
                    updated_at=utcnow(),
                )
            )
    db.session.add(
        AgreementEvaluation(
            agreement_id=agreement.id,
            year=2025,
            summary="Første evaluering: møtestrukturen er etablert og årshjulet fulgt. Rutinene for EPS og trygt "
            "uteliv er formalisert; de øvrige samarbeidsområdene trenger tydeligere eierskap.",
        )
    )
    db.session.flush()
    report = ["Samarbeid: samarbeidsavtalen 2025–2028 med 8 innsatsområder og 10 samarbeidsområder."] if added else []
    return report + ["Samarbeid: samarbeidsrutiner (oppdiktede) og evalueringen for 2025."]


def _seed_cycle_and_overview() -> list[str]:
    if db.session.scalar(select(CycleItem.id).limit(1)) is not None:
        return []
    items = [
        (2025, "trusselvurdering", date(2025, 2, 13), "ferdig"),
        (2025, "oversiktsbilde", None, "lagt_fram"),
        (2025, "avtaleevaluering", None, "ferdig"),
        (2026, "trusselvurdering", date(2026, 2, 12), "ferdig"),
        (2026, "oversiktsbilde", None, "lagt_fram"),
        (2026, "avtaleevaluering", None, "under_arbeid"),
        (2027, "trusselvurdering", date(2027, 2, 11), "planlagt"),
        (2027, "oversiktsbilde", None, "under_arbeid"),
    ]
    for year, key, day, status in items:
        db.session.add(CycleItem(year=year, key=key, day=day, status=status, updated_at=utcnow()))
    report = OverviewReport(
        year=2026,
        title="Oversiktsbilde 2026 – barne- og ungdomskriminalitet",
        summary="Demo: tallene er oppdiktet. Registrert kriminalitet blant barn og unge gikk ned for andre år på rad, "
        "mest i aldersgruppen 10–14 år. Vold blant unge i sentrum i helgene er fortsatt en utfordring.",
        conclusions="Videreføre innsatsen mot de yngste (10–14 år).\nStyrke voksentilstedeværelsen i Kvadraturen i "
        "helgene.\nFølge opp Ungdata-funn om utsatthet for vold i Vågsbygd og Grim.",
        updated_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    figures = {
        "Lund": (21, 25, 8.1),
        "Vågsbygd": (34, 29, 10.4),
        "Oddernes": (17, 22, 6.9),
        "Grim": (29, 31, 9.8),
        "Søgne": (12, 15, 6.2),
        "Kvadraturen": (58, 66, 12.5),
        "Songdalen": (9, 11, 5.7),
    }
    for bydel, (now_value, before, survey) in figures.items():
        db.session.add(
            OverviewIndicator(
                report_id=report.id,
                bydel=bydel,
                source="kriminalstatistikk",
                name="Anmeldte forhold, gjerningsperson under 18 år",
                value=now_value,
                previous=before,
            )
        )
        db.session.add(
            OverviewIndicator(
                report_id=report.id,
                bydel=bydel,
                source="ungdata",
                name="Har vært utsatt for vold siste år (ungdomsskole)",
                value=survey,
                unit="%",
            )
        )
    qualitative = [
        (
            "Kvadraturen",
            "Grupper av unge samles ved Torvet fredag kveld; utekontakten melder mer rus enn i fjor.",
            "Utekontakten",
        ),
        ("Vågsbygd", "Skolene melder færre konflikter etter felles tiltak med forebyggende politi.", "Skolene"),
        ("Grim", "Fritidsklubben har fått flere besøkende etter utvidet åpningstid.", "Fritidsklubben"),
    ]
    for bydel, text, source in qualitative:
        db.session.add(
            OverviewIndicator(report_id=report.id, bydel=bydel, source="kvalitativ", text=text, informant=source)
        )
    db.session.flush()
    return ["Samarbeid: årshjulspunkter og Oversiktsbilde 2026 (oppdiktede tall)."]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=OSLO)


def _meeting(
    key: str, year: int, day: date, *, status: str, location: str, items: list[tuple], present: bool = False
) -> Meeting:
    from beredskap.cooperation.agreement import MEETING_CYCLE_KEYS

    meeting = new_meeting(kind=MEETING_CYCLE_KEYS[key], year=year, cycle_key=key, starts_at=_at(day))
    meeting.location = location
    meeting.status = status
    if status in ("sent", "held"):
        approved = _at(day - timedelta(days=21), 10)
        meeting.approved_kommune_at = approved
        meeting.approved_kommune_by = "Demo Kriminalitetsforebyggende koordinator"
        meeting.approved_politi_at = approved + timedelta(days=1)
        meeting.approved_politi_by = "Demo Politi"
        meeting.sent_at = approved + timedelta(days=2)
    if present:
        meeting.present = list(meeting.members)
    db.session.add(meeting)
    db.session.flush()
    for position, (number, title, kind, presenter, note, minutes) in enumerate(items, start=1):
        if title == STANDING_ITEM_TITLE:
            continue
        db.session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=position,
                number=number,
                title=title,
                kind=kind,
                presenter=presenter,
                note=note,
                minutes=minutes if status == "held" else "",
            )
        )
    db.session.flush()
    add_standing_item(meeting)
    return meeting


def _decision(meeting: Meeting, text: str, owner: str, due: date | None, status: str) -> None:
    now = utcnow()
    db.session.add(
        Decision(meeting_id=meeting.id, text=text, owner=owner, due=due, status=status, created_at=now, updated_at=now)
    )


def _seed_meetings() -> list[str]:
    if db.session.scalar(select(Meeting.id).limit(1)) is not None:
        return []
    station = "Kristiansand politistasjon"
    city_hall = "Kristiansand rådhus, formannskapssalen"
    _meeting(
        "formannskap-var",
        2026,
        date(2026, 3, 10),
        status="held",
        location=city_hall,
        present=True,
        items=[
            (
                "1/26",
                "Oversiktsbilde 2026 – barne- og ungdomskriminalitet",
                "orientering",
                "Kriminalitetsforebyggende koordinator og politikontakt",
                "Oversiktsbildet bygger på kriminalstatistikk, Ungdata og kvalitativ informasjon fra tjenestene.",
                "Formannskapet tok orienteringen til etterretning.",
            ),
        ],
    )
    spring = _meeting(
        "politirad-var",
        2026,
        date(2026, 4, 21),
        status="held",
        location=station,
        present=True,
        items=[
            (
                "1/26",
                "Oversiktsbilde 2026: oppfølging i politirådet",
                "drøfting",
                "Kriminalitetsforebyggende koordinator",
                "Drøfting av tiltak etter Oversiktsbildet som ble lagt fram i formannskapet i mars.",
                "Rådet ba om en revidert rutine for bekymringssamtaler.",
            ),
            (
                "2/26",
                "Trygt uteliv sommeren 2026",
                "vedtak",
                "Politistasjonssjef, Kristiansand",
                "Forslag om en felles utelivsgruppe for sommersesongen.",
                "Utelivsgruppen etableres.",
            ),
            (
                "3/26",
                "Status for samarbeidsrutinene",
                "orientering",
                "Politikontakt, Kristiansand",
                "Fire av ti samarbeidsområder har formaliserte rutiner.",
                "Tatt til orientering.",
            ),
        ],
    )
    _decision(
        spring,
        "Rutinen for bekymringssamtaler revideres og legges fram for begge ledergrupper.",
        "Kriminalitetsforebyggende koordinator og politikontakt Kristiansand",
        date(2026, 9, 1),
        "in_progress",
    )
    _decision(
        spring,
        "En felles utelivsgruppe etableres før sommeren.",
        "Politistasjonssjef, Kristiansand",
        date(2026, 6, 1),
        "done",
    )
    _meeting(
        "regionalt-politirad",
        2026,
        date(2026, 6, 4),
        status="held",
        location="Vennesla rådhus",
        items=[
            (
                "1/26",
                "Felles kriminalitetsbilde for Region Kristiansand",
                "orientering",
                "Analytiker, politiet",
                "Politiets analyse av utviklingen i regionen.",
                "Tatt til orientering.",
            ),
        ],
    )
    autumn = _meeting(
        "politirad-host",
        2026,
        date(2026, 10, 20),
        status="held",
        location=station,
        present=True,
        items=[
            (
                "4/26",
                "Oppfølging av vedtak fra vårmøtet",
                "orientering",
                "Kriminalitetsforebyggende koordinator",
                "Rutinen for bekymringssamtaler er ikke ferdig revidert.",
                "Fristen er passert; arbeidet pågår.",
            ),
            (
                "5/26",
                "Evaluering av samarbeidsavtalen 2026",
                "drøfting",
                "Kriminalitetsforebyggende koordinator",
                "Årlig evaluering etter avtalens punkt 10.",
                "Evalueringen ferdigstilles av sekretariatet.",
            ),
            (
                "6/26",
                "Møtedatoer for 2027",
                "vedtak",
                "Kriminalitetsforebyggende koordinator",
                "Forslag til datoer for politiråd, formannskapsmøter og regionalt politiråd i 2027.",
                "Datoene ble fastsatt som foreslått.",
            ),
        ],
    )
    _decision(autumn, "Møtedatoene for 2027 fastsettes som foreslått i årshjulet.", "Sekretariatet", None, "done")
    _decision(
        autumn,
        "Det utarbeides en handlingsplan mot vold i det offentlige rom.",
        "Beredskapssjef og politikontakt Kristiansand",
        date(2027, 3, 1),
        "open",
    )
    _meeting(
        "formannskap-host",
        2026,
        date(2026, 11, 24),
        status="held",
        location=city_hall,
        items=[
            (
                "2/26",
                "Det generelle kriminalitetsbildet",
                "orientering",
                "Politistasjonssjef, Kristiansand",
                "Politiets orientering om kriminalitetsbildet i Kristiansand.",
                "Tatt til orientering.",
            ),
        ],
    )
    # The 2027 dates were fixed in the autumn politiråd; the spring politiråd has its draft saksliste.
    city = "Kristiansand rådhus"
    _meeting("formannskap-var", 2027, date(2027, 3, 9), status="draft", location=city_hall, items=[])
    _meeting(
        "politirad-var",
        2027,
        date(2027, 4, 20),
        status="draft",
        location=city,
        items=[
            (
                "1/27",
                "Oversiktsbilde 2027",
                "orientering",
                "Kriminalitetsforebyggende koordinator",
                "Hovedfunn fra Oversiktsbildet som legges fram i formannskapet i mars.",
                "",
            ),
            (
                "2/27",
                "Status for samarbeidsrutinene",
                "orientering",
                "Politikontakt, Kristiansand",
                "Hvilke rutiner er formalisert siden sist, og hvilke gjenstår.",
                "",
            ),
            (
                "3/27",
                "Trygt uteliv 2027",
                "vedtak",
                "Politistasjonssjef, Kristiansand",
                "Videreføring av utelivsgruppen.",
                "",
            ),
        ],
    )
    _meeting("regionalt-politirad", 2027, date(2027, 6, 3), status="draft", location="Lillesand rådhus", items=[])
    _meeting("politirad-host", 2027, date(2027, 10, 19), status="draft", location=city, items=[])
    _meeting("formannskap-host", 2027, date(2027, 11, 23), status="draft", location=city_hall, items=[])
    db.session.flush()
    return ["Samarbeid: møtene i 2026 (med referat og vedtak, ett forfalt) og datoene for 2027."]
