"""The årshjul as an iCalendar file (RFC 5545) for the partners' calendars.

Event rules:
- An item with a fixed `date` (a `date`) is an all-day event on that day; a fixed `datetime` is a timed event
  in `tz` (naive datetimes are read as local time in `tz`) lasting until the item's `end` or two hours.
- An item without a fixed date becomes an all-day event spanning its whole indicative month, with
  "(foreløpig)" in the summary, STATUS:TENTATIVE and TRANSP:TRANSPARENT. We span the month instead of
  putting it on the 1st because a single day would look like an agreed date; transparent so it never
  blocks anyone's free/busy time.
- UIDs are `<key>-<year>@beredskap`, so re-importing a later version (with dates fixed) updates the same
  events instead of duplicating them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from beredskap.vocabulary import LOCAL_TIMEZONE, MONTH_NAMES, PARTY_NAMES

DEFAULT_DURATION = timedelta(hours=2)


def annual_cycle_ics(
    cycle: dict[str, Any],
    *,
    prodid: str = "-//Beredskap//Kristiansand//NO",
    tz: str = LOCAL_TIMEZONE,
    now: datetime | None = None,
) -> bytes:
    """Return the årshjul from `build_annual_cycle` as an RFC 5545 calendar (UTF-8, CRLF, folded lines)."""
    zone = ZoneInfo(tz)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    year = int(cycle["year"])

    # The iCalendar file is a document for the partners' calendars, in the municipality's language.
    name = f"Årshjul {year} – samarbeidsavtalen Kristiansand kommune og politiet"  # i18n: iCalendar document
    calendar = _calendar(prodid, name, tz)

    for item in cycle["items"]:
        calendar.add_component(_build_event(item, year, zone, stamp))

    # RFC 5545 requires a VTIMEZONE for every TZID a timed event refers to.
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    _one_rdate_per_line(calendar)
    return calendar.to_ical()


def _calendar(prodid: str, name: str, tz: str) -> Calendar:
    """An empty published calendar with its name and timezone."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz)
    return calendar


def _build_event(item: dict[str, Any], year: int, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{item['key']}-{year}@beredskap")
    event.add("dtstamp", stamp)
    event.add("categories", [item["kind"]])

    description = _describe(item)
    when = item.get("date")
    if isinstance(when, datetime):
        start = when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
        end = item.get("end")
        if isinstance(end, datetime):
            end = end.replace(tzinfo=zone) if end.tzinfo is None else end.astimezone(zone)
        else:
            end = start + DEFAULT_DURATION
        event.add("summary", item["title"])
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("status", "CONFIRMED")
    elif isinstance(when, date):
        event.add("summary", item["title"])
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("status", "CONFIRMED")
    else:
        month = int(item["month"])
        first = date(year, month, 1)
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        event.add("summary", f"{item['title']} (foreløpig)")
        event.add("dtstart", first)
        event.add("dtend", following)
        event.add("status", "TENTATIVE")
        event.add("transp", "TRANSPARENT")
        description.append(
            f"Foreløpig: {MONTH_NAMES[month - 1]} {year}, dato ikke fastsatt."  # i18n: iCalendar document
        )

    if description:
        event.add("description", "\n".join(description))
    return event


def _describe(item: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if item.get("topic"):
        lines.append(f"Tema: {item['topic']}")  # i18n: iCalendar document
    if item.get("host"):
        lines.append(
            f"Vertskap og møteleder: {PARTY_NAMES.get(item['host'], item['host'])}"  # i18n: iCalendar document
        )
    if item.get("responsible"):
        lines.append(
            f"Ansvarlig: {PARTY_NAMES.get(item['responsible'], item['responsible'])}"  # i18n: iCalendar document
        )
    return lines


def cycles_ics(
    cycles: list[dict[str, Any]],
    *,
    name: str,
    prodid: str = "-//Beredskap//Kristiansand//NO",
    tz: str = LOCAL_TIMEZONE,
    now: datetime | None = None,
) -> bytes:
    """Return several years' årshjul as one RFC 5545 calendar, for a feed people subscribe to."""
    zone = ZoneInfo(tz)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = _calendar(prodid, name, tz)
    # Feed readers poll at their own pace; this asks them to look again at least twice a day.
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    years = [int(cycle["year"]) for cycle in cycles]
    for cycle in cycles:
        for item in cycle["items"]:
            calendar.add_component(_build_event(item, int(cycle["year"]), zone, stamp))
    if years:
        calendar.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
        _one_rdate_per_line(calendar)
    return calendar.to_ical()


def _one_rdate_per_line(calendar: Calendar) -> None:
    """Write each summer/winter-time change of a VTIMEZONE as its own RDATE line.

    icalendar lists them comma-separated on one line, which RFC 5545 allows, but Mozilla's ical.js (Thunderbird)
    and Outlook read only the first date there, so every timed event after the first change showed an hour off.
    """
    for timezone in calendar.walk("VTIMEZONE"):
        for observance in timezone.subcomponents:
            if "RDATE" not in observance:
                continue
            rdates = observance.pop("RDATE")
            moments = [dt.dt for entry in (rdates if isinstance(rdates, list) else [rdates]) for dt in entry.dts]
            for moment in moments:
                observance.add("rdate", moment)
