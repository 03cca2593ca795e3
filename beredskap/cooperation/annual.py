"""Årshjul services: the cycle of a year with the meetings' fixed dates, fixing dates, item status, iCalendar."""

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from beredskap.auth.models import User
from beredskap.auth.permissions import Perm
from beredskap.clock import utcnow
from beredskap.cooperation import periods
from beredskap.cooperation.agreement import (
    AGREEMENT_START,
    CYCLE_ITEM_STATUSES,
    DOCUMENT_CYCLE_KEYS,
    MEETING_CYCLE_KEYS,
    MEETING_STATUSES,
)
from beredskap.cooperation.calendar import annual_cycle_ics, cycles_ics
from beredskap.cooperation.cycle import build_annual_cycle
from beredskap.cooperation.meetings import (
    CHANNEL,
    OSLO,
    add_standing_item,
    check_year,
    local_day,
    lock_meeting,
    new_meeting,
)
from beredskap.cooperation.models import CalendarToken, CycleItem, Meeting
from beredskap.domain_errors import Conflict, Invalid, NotFound
from beredskap.extensions import db
from beredskap.field_labels import label
from beredskap.realtime.journal import append_event
from beredskap.transaction import transactional


def _first_host() -> tuple[int, str]:
    return (
        int(current_app.config.get("FIRST_HOST_YEAR", AGREEMENT_START)),
        str(current_app.config.get("FIRST_HOST", "kommune")),
    )


def annual_cycle(year: int) -> dict[str, Any]:
    """The årshjul of `year` with Python dates (for iCalendar), enriched with meetings and item status."""
    agreement = periods.check_year(year)
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.year == year)))
    documents = {item.key: item for item in db.session.scalars(select(CycleItem).where(CycleItem.year == year))}
    fixed: dict[str, date] = {}
    for meeting in meetings:
        if meeting.cycle_key and meeting.starts_at:
            fixed[meeting.cycle_key] = meeting.starts_at.astimezone(OSLO)
    for key, item in documents.items():
        if item.day:
            fixed[key] = item.day
    first_year, first_host = _first_host()
    cycle = build_annual_cycle(
        year,
        first_host_year=first_year,
        first_host=first_host,
        fixed_dates=fixed,
        agreement_start=agreement.period_start,
        agreement_end=agreement.period_end,
    )
    cycle["agreement"] = {"id": agreement.id, "title": agreement.title, **agreement.period_dict()}
    by_slot = {m.cycle_key: m for m in meetings if m.cycle_key}
    for item in cycle["items"]:
        if item["key"] in MEETING_CYCLE_KEYS:
            meeting = by_slot.get(item["key"])
            item["meeting_id"] = meeting.id if meeting else None
            item["status"] = meeting.status if meeting else "ikke_opprettet"
            item["status_title"] = meeting.status_title if meeting else gettext("Ikke opprettet")
            if meeting and meeting.location:
                item["location"] = meeting.location
        else:
            document = documents.get(item["key"])
            item["status"] = document.status if document else "planlagt"
            item["status_title"] = CYCLE_ITEM_STATUSES.get(item["status"], item["status"])
            item["note"] = document.note if document else ""
            item["document_url"] = document.document_url if document else ""
            item["version"] = document.version if document else 0
    # Meetings outside the agreement's fixed slots (extra meetings) belong in the year's calendar too.
    for meeting in meetings:
        if meeting.cycle_key or meeting.starts_at is None:
            continue
        when = meeting.starts_at.astimezone(OSLO)
        cycle["items"].append(
            {
                "key": f"meeting-{meeting.id}",
                "kind": meeting.kind,
                "title": meeting.title,
                "month": when.month,
                "date": when,
                "host": meeting.host,
                "meeting_id": meeting.id,
                "status": meeting.status,
                "status_title": MEETING_STATUSES.get(meeting.status, meeting.status),
                "extra": True,
            }
        )
    cycle["items"].sort(key=lambda item: (item["month"], _sort_moment(item.get("date"))))
    return cycle


def _sort_moment(value: date | None) -> tuple[int, int, int]:
    if value is None:
        return (32, 0, 0)
    if isinstance(value, datetime):
        return (value.day, value.hour, value.minute)
    return (value.day, 0, 0)


def cycle_as_json(cycle: dict[str, Any]) -> dict[str, Any]:
    """The cycle with dates as ISO 8601 strings (datetimes with their Oslo offset)."""
    items = []
    for item in cycle["items"]:
        out = dict(item)
        if isinstance(out.get("date"), date):
            out["date"] = out["date"].isoformat()
        items.append(out)
    return {"year": cycle["year"], "covered": True, "agreement": cycle.get("agreement"), "items": items}


def uncovered_cycle(year: int) -> dict[str, Any]:
    """What the årshjul of a year no agreement covers says: no items, and why."""
    return {"year": year, "covered": False, "items": [], "message": periods.uncovered_message(year)}


def agreement_years() -> list[int]:
    return periods.agreement_years()


def year_ics(year: int) -> bytes:
    return annual_cycle_ics(annual_cycle(year))


def feed_ics() -> bytes:
    """Every year of the agreement in one calendar, for subscription."""
    return cycles_ics(
        [annual_cycle(year) for year in agreement_years()],
        name="Årshjul – samarbeidsavtalen Kristiansand kommune og politiet",  # i18n: iCalendar document
    )


# --- fixing dates and item status -------------------------------------------------------------------------


def _document_item(year: int, key: str) -> CycleItem | None:
    return db.session.scalar(select(CycleItem).where(CycleItem.year == year, CycleItem.key == key))


@transactional
def fix_cycle_dates(year: int, dates: dict[str, date | datetime | None], actor: User | None = None) -> dict:
    """Fix the dates of a year's meetings (creating them as needed) and documents; usually done in the autumn
    politiråd of the year before."""
    check_year(year)
    if not dates:
        raise Invalid("invalid", gettext("Oppgi minst én dato."), {"dates": "påkrevd"})
    actor_id = actor.id if actor else None
    for key, when in dates.items():
        if key not in MEETING_CYCLE_KEYS and key not in DOCUMENT_CYCLE_KEYS:
            raise Invalid("invalid", gettext("Ukjent punkt i årshjulet: %(key)s.", key=key), {key: "ukjent"})
        if key in MEETING_CYCLE_KEYS and when is not None and not isinstance(when, datetime):
            raise Invalid(
                "invalid", gettext("Møtet «%(key)s» trenger dato og klokkeslett.", key=key), {key: "klokkeslett"}
            )
        if when is not None:
            day = local_day(when) if isinstance(when, datetime) else when
            if day.year != year:
                raise Invalid(
                    "invalid",
                    gettext(
                        "Datoen for «%(key)s» (%(day)s) ligger ikke i %(year)s.",
                        key=key,
                        day=day.isoformat(),
                        year=year,
                    ),
                    {key: "feil år"},
                )
    changed = []
    for key, when in dates.items():
        if key in MEETING_CYCLE_KEYS:
            meeting = db.session.scalar(select(Meeting.id).where(Meeting.year == year, Meeting.cycle_key == key))
            if meeting is None:
                if when is None:
                    continue
                created = new_meeting(kind=MEETING_CYCLE_KEYS[key], year=year, cycle_key=key, starts_at=when)
                db.session.add(created)
                db.session.flush()
                add_standing_item(created)
                append_event(CHANNEL, "meeting.created", created.event_data(), actor_id=actor_id)
            else:
                existing = lock_meeting(meeting)
                if existing.starts_at == when:
                    continue
                existing.starts_at = when
                db.session.flush()
                append_event(CHANNEL, "meeting.updated", existing.event_data(), actor_id=actor_id)
        else:
            item = _document_item(year, key)
            day = local_day(when) if isinstance(when, datetime) else when
            if item is None:
                item = CycleItem(year=year, key=key, status="planlagt", updated_at=utcnow())
                db.session.add(item)
            item.day = day
            item.updated_at = utcnow()
            db.session.flush()
        changed.append(key)
    append_event(CHANNEL, "cycle.dates_fixed", {"year": year, "keys": changed}, actor_id=actor_id)
    db.session.commit()
    return {"year": year, "changed": changed}


@transactional
def update_cycle_item(year: int, key: str, changes: dict, version: int, actor: User | None = None) -> CycleItem:
    """Track a document item of the årshjul (Trusselvurdering, Oversiktsbilde, evaluation): status, note, link.

    An item not yet stored has version 0.
    """
    check_year(year)
    if key not in DOCUMENT_CYCLE_KEYS:
        raise NotFound(gettext("«%(key)s» er ikke et dokumentpunkt i årshjulet; møter endres på møtesiden.", key=key))
    if "status" in changes and changes["status"] not in CYCLE_ITEM_STATUSES:
        raise Invalid(
            "invalid",
            gettext(
                "%(label)s må være en av: %(allowed)s.", label=label("status"), allowed=", ".join(CYCLE_ITEM_STATUSES)
            ),
            {"status": "ugyldig"},
        )
    if "day" in changes and changes["day"] is not None and changes["day"].year != year:
        raise Invalid("invalid", gettext("Datoen ligger ikke i %(year)s.", year=year), {"date": "feil år"})
    item = _document_item(year, key)
    if (item.version if item else 0) != version:
        raise Conflict("version_conflict", gettext("Punktet er endret av noen andre. Last inn på nytt."))
    if item is None:
        item = CycleItem(year=year, key=key, status="planlagt")
        db.session.add(item)
    for name in ("status", "note", "document_url", "day"):
        if name in changes:
            setattr(item, name, changes[name] if changes[name] is not None or name == "day" else "")
    item.updated_at = utcnow()
    db.session.flush()
    append_event(
        CHANNEL,
        "cycle.item_updated",
        {"year": year, "key": key, "status": item.status, "version": item.version},
        actor_id=actor.id if actor else None,
    )
    db.session.commit()
    return item


def set_cycle_status(year: int, key: str, status: str) -> None:
    """Set a document item's status in the caller's transaction (e.g. when the evaluation is recorded)."""
    item = _document_item(year, key)
    if item is None:
        item = CycleItem(year=year, key=key, status=status, updated_at=utcnow())
        db.session.add(item)
    else:
        item.status = status
        item.updated_at = utcnow()


# --- subscribable calendar --------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transactional
def issue_calendar_token(user: User) -> str:
    """A new secret for the user's calendar feed; the previous one stops working. Only the hash is kept."""
    token = secrets.token_urlsafe(24)
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id))
    if row is None:
        db.session.add(CalendarToken(user_id=user.id, token_hash=_hash(token), created_at=utcnow()))
    else:
        row.token_hash = _hash(token)
        row.created_at = utcnow()
    db.session.commit()
    return token


def has_calendar_token(user: User) -> bool:
    return db.session.scalar(select(CalendarToken.id).where(CalendarToken.user_id == user.id)) is not None


def user_for_calendar_token(token: str) -> User | None:
    """The active user with cooperation read access that owns this feed secret, else None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == _hash(token)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.can(Perm.COOP_READ):
        return None
    return user
