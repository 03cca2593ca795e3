"""The police's yearly Trusselvurdering for Agder (§3.3) as a document record: title, summary, date and link.

Saving it with a publication date also marks the årshjul's «trusselvurdering» item as done on that date.
"""

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.services import record_audit
from beredskap.clock import utcnow
from beredskap.cooperation.annual import set_cycle_status
from beredskap.cooperation.meetings import CHANNEL, check_year
from beredskap.cooperation.models import CycleItem, ThreatAssessment
from beredskap.domain_errors import Conflict, Invalid
from beredskap.extensions import db
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional

DEFAULT_TITLE = "Trusselvurdering for Agder {year}"
FIELDS = ("title", "summary", "published_on", "url")


def get_assessment(year: int) -> ThreatAssessment | None:
    check_year(year)
    return db.session.scalar(select(ThreatAssessment).where(ThreatAssessment.year == year))


def assessment_data(year: int) -> dict:
    row = get_assessment(year)
    if row is None:
        return {
            "year": year,
            "title": DEFAULT_TITLE.format(year=year),
            "summary": "",
            "published_on": None,
            "url": "",
            "version": 0,
        }
    return row.to_dict()


def _check_url(url: str) -> None:
    if url and not (url.startswith("https://") or url.startswith("http://") or url.startswith("/")):
        raise Invalid("invalid", gettext("Lenken må begynne med https://, http:// eller /."), {"url": "ugyldig"})


@transactional
def save_assessment(year: int, changes: dict, version: int, actor: User | None = None) -> ThreatAssessment:
    """Save the year's Trusselvurdering; version 0 creates the record."""
    _check_url(changes.get("url") or "")
    published: date | None = changes.get("published_on")
    if published is not None and published.year not in (year, year - 1):
        raise Invalid(
            "invalid",
            gettext("Datoen må ligge i %(year)s (eller sent i %(previous)s).", year=year, previous=year - 1),
            {"published_on": "feil år"},
        )
    row = get_assessment(year)
    if (row.version if row else 0) != version:
        raise Conflict("version_conflict", gettext("Trusselvurderingen er endret av noen andre. Last inn på nytt."))
    if row is None:
        row = ThreatAssessment(year=year, title=DEFAULT_TITLE.format(year=year), summary="", url="")
        db.session.add(row)
    for key in FIELDS:
        if key in changes:
            setattr(row, key, changes[key] if key == "published_on" else (changes[key] or "").strip())
    if not row.title:
        row.title = DEFAULT_TITLE.format(year=year)
    row.updated_at = utcnow()
    if row.published_on is not None:
        set_cycle_status(year, "trusselvurdering", "ferdig")
        db.session.flush()
        item = db.session.scalar(select(CycleItem).where(CycleItem.year == year, CycleItem.key == "trusselvurdering"))
        item.day = row.published_on
        if row.url:
            item.document_url = row.url
    db.session.flush()
    record_audit("coop.threat_assessment_saved", "threat_assessment", row.id, actor=actor, meta={"year": year})
    append_event(
        CHANNEL,
        "knowledge.threat_assessment_saved",
        {"year": year, "version": row.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return row
