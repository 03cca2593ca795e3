"""Demo data for the cooperation: units, fictitious people, the agreement, the 2026 meetings and 2027's dates.

The data are in demo_data/*.yaml. All people, phone numbers and e-mail addresses are invented (example.no
addresses, 00-numbers); the Oversiktsbilde figures are invented too.
"""

from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
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

DATA = Path(__file__).resolve().parent / "demo_data"


def _load(name: str) -> dict:
    """One of the demo data files (YAML), read when the demo is seeded."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


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
    for unit in _load("directory.yaml")["units"]:
        key, name, kind, parent_key = unit["key"], unit["name"], unit["kind"], unit["parent"]
        if _unit(key):
            continue
        db.session.add(Party(key=key, name=name, kind=kind, parent_id=_unit(parent_key).id))
        db.session.flush()
        created += 1
    return [f"Samarbeid: {created} enheter."] if created else []


def _seed_people() -> list[str]:
    report = []
    data = _load("directory.yaml")
    people = data["people"]
    if db.session.scalar(select(Person.id).limit(1)) is None:
        for index, entry in enumerate(people, start=1):
            name, function, title = entry["name"], entry["function"], entry["title"]
            unit_key, bydel = entry["unit"], entry["bydel"]
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
        report.append(f"Samarbeid: {len(people)} personer i katalogen (oppdiktede).")  # i18n: CLI output
    created = 0
    for position, name in enumerate(BYDELER):
        if db.session.scalar(select(District.id).where(District.name == name)):
            continue
        point, schedule = data["meeting_points"][name]["place"], data["meeting_points"][name]["schedule"]
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
        report.append(f"Samarbeid: {created} bydeler med faste møtepunkter.")  # i18n: CLI output
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
    data = _load("agreement.yaml")
    for position, area in enumerate(areas):
        for routine in data["routines"].get(position, []):
            db.session.add(
                Routine(
                    area_id=area.id,
                    title=routine["title"],
                    owner=routine["owner"],
                    status=routine["status"],
                    document_url=routine["document_url"],
                    updated_at=utcnow(),
                )
            )
    evaluation = data["evaluation"]
    db.session.add(
        AgreementEvaluation(agreement_id=agreement.id, year=evaluation["year"], summary=evaluation["summary"])
    )
    db.session.flush()
    report = ["Samarbeid: samarbeidsavtalen 2025–2028 med 8 innsatsområder og 10 samarbeidsområder."] if added else []
    return report + ["Samarbeid: samarbeidsrutiner (oppdiktede) og evalueringen for 2025."]


def _seed_cycle_and_overview() -> list[str]:
    if db.session.scalar(select(CycleItem.id).limit(1)) is not None:
        return []
    data = _load("overview.yaml")
    for item in data["cycle_items"]:
        db.session.add(
            CycleItem(year=item["year"], key=item["key"], day=item["day"], status=item["status"], updated_at=utcnow())
        )
    source = data["report"]
    report = OverviewReport(
        year=source["year"],
        title=source["title"],
        summary=source["summary"],
        conclusions="\n".join(source["conclusions"]),
        updated_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    figures = data["figures"]
    for bydel, values in figures["bydeler"].items():
        db.session.add(
            OverviewIndicator(
                report_id=report.id,
                bydel=bydel,
                source="kriminalstatistikk",
                name=figures["crime_name"],
                value=values["now"],
                previous=values["before"],
            )
        )
        db.session.add(
            OverviewIndicator(
                report_id=report.id,
                bydel=bydel,
                source="ungdata",
                name=figures["survey_name"],
                value=values["survey"],
                unit="%",
            )
        )
    for entry in data["qualitative"]:
        db.session.add(
            OverviewIndicator(
                report_id=report.id,
                bydel=entry["bydel"],
                source="kvalitativ",
                text=entry["text"],
                informant=entry["from"],
            )
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
    for entry in _load("meetings.yaml")["meetings"]:
        items = [
            (i["number"], i["title"], i["kind"], i["presenter"], i["note"], i["minutes"])
            for i in entry.get("items", [])
        ]
        meeting = _meeting(
            entry["cycle_key"],
            entry["year"],
            entry["date"],
            status=entry["status"],
            location=entry["location"],
            present=entry.get("present", False),
            items=items,
        )
        for decision in entry.get("decisions", []):
            _decision(meeting, decision["text"], decision["owner"], decision["due"], decision["status"])
    db.session.flush()
    return ["Samarbeid: møtene i 2026 (med referat og vedtak, ett forfalt) og datoene for 2027."]
