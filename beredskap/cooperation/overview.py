"""The yearly Oversiktsbilde for barne- og ungdomskriminalitet: report, indicators per bydel, PDF data."""

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.clock import utcnow
from beredskap.cooperation.agreement import BYDELER, OVERVIEW_SOURCE_TEXT, OVERVIEW_SOURCES, OVERVIEW_TEAM_ROLES
from beredskap.cooperation.annual import set_cycle_status
from beredskap.cooperation.meetings import CHANNEL, check_year
from beredskap.cooperation.models import (
    CycleItem,
    OverviewIndicator,
    OverviewReport,
    Person,
)
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


def get_overview(year: int) -> OverviewReport | None:
    check_year(year)
    return db.session.scalar(select(OverviewReport).where(OverviewReport.year == year))


def overview_indicators(report: OverviewReport | None) -> list[OverviewIndicator]:
    if report is None:
        return []
    return list(
        db.session.scalars(
            select(OverviewIndicator).where(OverviewIndicator.report_id == report.id).order_by(OverviewIndicator.id)
        )
    )


def _cycle_status(year: int) -> str:
    item = db.session.scalar(select(CycleItem).where(CycleItem.year == year, CycleItem.key == "oversiktsbilde"))
    return item.status if item else "planlagt"


def overview_data(year: int) -> dict:
    """The Oversiktsbilde of a year: texts, indicators per bydel and source, and its status in the årshjul."""
    report = get_overview(year)
    indicators = [i.to_dict() for i in overview_indicators(report)]
    return {
        "year": year,
        "exists": report is not None,
        "title": (report.title if report else "") or f"Oversiktsbilde {year}",
        "summary": report.summary if report else "",
        "conclusions": [line for line in (report.conclusions if report else "").splitlines() if line.strip()],
        "status": _cycle_status(year),
        "districts": list(BYDELER),
        "indicators": indicators,
        "by_district": {
            bydel: {
                source: [i for i in indicators if i["bydel"] == bydel and i["source"] == source]
                for source in OVERVIEW_SOURCES
            }
            for bydel in BYDELER
        },
        "team": team_data(report),
        "sources": sources_data(report),
        "version": report.version if report else 0,
    }


def team_data(report: OverviewReport | None) -> list[dict]:
    """The writing team (§3.3), each with the role's title; people from the directory show their current name."""
    people = {p.id: p for p in db.session.scalars(select(Person))} if report and report.team else {}
    out = []
    for entry in (report.team if report else None) or []:
        person = people.get(entry.get("person_id"))
        out.append(
            {
                "role": entry["role"],
                "role_title": OVERVIEW_TEAM_ROLES.get(entry["role"], entry["role"]),
                "person_id": entry.get("person_id"),
                "name": person.name if person else entry.get("name", ""),
                "organisation": entry.get("organisation", ""),
            }
        )
    return out


def sources_data(report: OverviewReport | None) -> list[dict]:
    """The three main sources (§3.3) in the agreement's order, each with its year and a note."""
    stored = (report.sources if report else None) or {}
    return [
        {
            "key": key,
            "title": OVERVIEW_SOURCE_TEXT[key],
            "year": (stored.get(key) or {}).get("year"),
            "note": (stored.get(key) or {}).get("note", ""),
        }
        for key in OVERVIEW_SOURCES
    ]


def check_team(team: list[dict]) -> list[dict]:
    """Each member is someone in the directory (`person_id`) or a name entered here, in one of the team's roles."""
    out = []
    for entry in team:
        if entry["role"] not in OVERVIEW_TEAM_ROLES:
            known = ", ".join(OVERVIEW_TEAM_ROLES)
            raise Invalid(
                "invalid",
                gettext("Rollen i skriveteamet må være en av: %(allowed)s.", allowed=known),
                {"team": "rolle"},
            )
        if entry.get("person_id") is not None:
            person = db.session.get(Person, entry["person_id"])
            if person is None or not person.active:
                raise Invalid("invalid", gettext("Ukjent person i katalogen."), {"team": "person_id"})
            out.append({"role": entry["role"], "person_id": person.id})
        elif (entry.get("name") or "").strip():
            out.append(
                {"role": entry["role"], "name": entry["name"].strip(), "organisation": entry.get("organisation", "")}
            )
        else:
            raise Invalid(
                "invalid", gettext("Hvert medlem av skriveteamet trenger en person eller et navn."), {"team": "navn"}
            )
    return out


def _ensure_report(year: int) -> OverviewReport:
    report = get_overview(year)
    if report is None:
        report = OverviewReport(year=year, title=f"Oversiktsbilde {year}", updated_at=utcnow())  # i18n: stored as data
        db.session.add(report)
        db.session.flush()
        set_cycle_status(year, "oversiktsbilde", "under_arbeid")
    return report


@transactional
def save_overview(year: int, changes: dict, version: int, actor: User | None = None) -> OverviewReport:
    """Save the Oversiktsbilde's title, summary and conclusions; version 0 creates it."""
    check_year(year)
    report = get_overview(year)
    if (report.version if report else 0) != version:
        raise Conflict("version_conflict", gettext("Oversiktsbildet er endret av noen andre. Last inn på nytt."))
    report = report or _ensure_report(year)
    for key in ("title", "summary", "conclusions"):
        if key in changes:
            setattr(report, key, changes[key] or "")
    if "team" in changes:
        report.team = check_team(changes["team"])
    if "sources" in changes:
        report.sources = {**(report.sources or {}), **changes["sources"]}
    report.updated_at = utcnow()
    db.session.flush()
    append_event(
        CHANNEL,
        "oversiktsbilde.updated",
        {"year": year, "version": report.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return report


def _validate_indicator(data: dict) -> None:
    if "bydel" in data and data["bydel"] not in BYDELER:
        raise Invalid(
            "invalid",
            gettext("%(label)s må være en av: %(allowed)s.", label=label("bydel"), allowed=", ".join(BYDELER)),
            {"bydel": "ugyldig"},
        )
    if "source" in data and data["source"] not in OVERVIEW_SOURCES:
        raise Invalid(
            "invalid",
            gettext(
                "%(label)s må være en av: %(allowed)s.", label=label("source"), allowed=", ".join(OVERVIEW_SOURCES)
            ),
            {"source": "ugyldig"},
        )


def _check_indicator_content(source: str, name: str, text: str) -> None:
    if source == "kvalitativ" and not text.strip():
        raise Invalid("invalid", gettext("Kvalitativ informasjon trenger en tekst."), {"text": "påkrevd"})
    if source != "kvalitativ" and not name.strip():
        raise Invalid("invalid", gettext("Indikatoren trenger et navn."), {"name": "påkrevd"})


@transactional
def add_indicator(year: int, data: dict, actor: User | None = None) -> OverviewIndicator:
    """Add a figure (kriminalstatistikk, Ungdata) or qualitative information for a bydel."""
    check_year(year)
    _validate_indicator({"bydel": data.get("bydel"), "source": data.get("source"), **data})
    _check_indicator_content(data["source"], data.get("name") or "", data.get("text") or "")
    report = _ensure_report(year)
    indicator = OverviewIndicator(
        report_id=report.id,
        bydel=data["bydel"],
        source=data["source"],
        name=data.get("name") or "",
        value=data.get("value"),
        previous=data.get("previous"),
        unit=data.get("unit") or "",
        comment=data.get("comment") or "",
        text=data.get("text") or "",
        informant=data.get("from") or "",
    )
    db.session.add(indicator)
    report.updated_at = utcnow()
    db.session.flush()
    append_event(
        CHANNEL,
        "oversiktsbilde.indicator_created",
        {"year": year, "id": indicator.id, "bydel": indicator.bydel, "source": indicator.source},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return indicator


def _get_indicator(indicator_id: int) -> tuple[OverviewIndicator, OverviewReport]:
    indicator = db.session.get(OverviewIndicator, indicator_id)
    if indicator is None:
        raise NotFound(gettext("Ukjent indikator."))
    return indicator, db.session.get(OverviewReport, indicator.report_id)


@transactional
def update_indicator(indicator_id: int, changes: dict, version: int, actor: User | None = None) -> OverviewIndicator:
    """Correct an indicator."""
    _validate_indicator(changes)
    indicator, report = _get_indicator(indicator_id)
    if indicator.version != version:
        raise Conflict("version_conflict", gettext("Indikatoren er endret av noen andre. Last inn på nytt."))
    for key, attr in (
        ("bydel", "bydel"),
        ("source", "source"),
        ("name", "name"),
        ("value", "value"),
        ("previous", "previous"),
        ("unit", "unit"),
        ("comment", "comment"),
        ("text", "text"),
        ("from", "informant"),
    ):
        if key in changes:
            value = changes[key]
            setattr(indicator, attr, value if value is not None or attr in ("value", "previous") else "")
    _check_indicator_content(indicator.source, indicator.name, indicator.text)
    db.session.flush()
    append_event(
        CHANNEL,
        "oversiktsbilde.indicator_updated",
        {"year": report.year, "id": indicator.id, "bydel": indicator.bydel, "source": indicator.source},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return indicator


@transactional
def delete_indicator(indicator_id: int, actor: User | None = None) -> None:
    """Remove an indicator from the Oversiktsbilde."""
    indicator, report = _get_indicator(indicator_id)
    data = {"year": report.year, "id": indicator.id, "bydel": indicator.bydel, "source": indicator.source}
    db.session.delete(indicator)
    db.session.flush()
    append_event(CHANNEL, "oversiktsbilde.indicator_deleted", data, actor_id=actor.id if actor else None)
    db.session.commit()


def overview_report_data(year: int) -> dict:
    """Input of `reports.cooperation.build_oversiktsbilde`."""
    data = overview_data(year)
    return {
        "year": year,
        "title": data["title"],
        "summary": data["summary"] or None,
        "districts": data["districts"],
        "indicators": [
            {
                key: value
                for key, value in indicator.items()
                if key not in ("id", "version") and (value not in ("", None) or key in ("bydel", "source"))
            }
            for indicator in data["indicators"]
        ],
        "conclusions": data["conclusions"] or None,
        "draft": data["status"] not in ("ferdig", "lagt_fram"),
        "generated_at": utcnow(),
    }
