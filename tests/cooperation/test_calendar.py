"""Tests for the årshjul as an RFC 5545 calendar."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from beredskap.cooperation.calendar import annual_cycle_ics
from beredskap.cooperation.cycle import build_annual_cycle

NOW = datetime(2026, 1, 5, 12, 30, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def _events(ics: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(ics)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _cycle_with_dates() -> dict:
    return build_annual_cycle(
        2026,
        fixed_dates={
            "politirad-var": date(2026, 4, 23),
            "politirad-host": datetime(2026, 10, 15, 9, 0),
        },
    )


def test_calendar_header_and_one_event_per_item():
    cycle = _cycle_with_dates()
    ics = annual_cycle_ics(cycle, now=NOW)
    calendar = Calendar.from_ical(ics)

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Beredskap//Kristiansand//NO"
    events = _events(ics)
    assert set(events) == {f"{item['key']}-2026@beredskap" for item in cycle["items"]}
    for event in events.values():
        assert event.decoded("DTSTAMP") == NOW
        assert str(event["SUMMARY"])


def test_prodid_is_a_setting():
    ics = annual_cycle_ics(build_annual_cycle(2025), prodid="-//Test//Årshjul//NO", now=NOW)

    assert str(Calendar.from_ical(ics)["PRODID"]) == "-//Test//Årshjul//NO"


def test_fixed_date_is_an_all_day_event_and_fixed_datetime_a_timed_event_in_oslo():
    events = _events(annual_cycle_ics(_cycle_with_dates(), now=NOW))

    spring = events["politirad-var-2026@beredskap"]
    assert spring.decoded("DTSTART") == date(2026, 4, 23)
    assert spring.decoded("DTEND") == date(2026, 4, 24)
    assert str(spring["SUMMARY"]) == "Politiråd (vår)"
    assert str(spring["STATUS"]) == "CONFIRMED"
    assert "Kristiansand kommune" not in str(spring["DESCRIPTION"])
    assert "Agder politidistrikt" in str(spring["DESCRIPTION"])

    autumn = events["politirad-host-2026@beredskap"]
    start = autumn.decoded("DTSTART")
    assert start == datetime(2026, 10, 15, 9, 0, tzinfo=OSLO)
    assert start.utcoffset() == timedelta(hours=2)
    assert autumn.decoded("DTEND") - start == timedelta(hours=2)
    # The evaluation is held in the autumn politiråd, so it shares its time.
    assert events["avtaleevaluering-2026@beredskap"].decoded("DTSTART") == start


def test_timed_events_have_their_timezone_defined():
    ics = annual_cycle_ics(_cycle_with_dates(), now=NOW)
    calendar = Calendar.from_ical(ics)

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert b"DTSTART;TZID=Europe/Oslo:20261015T090000" in ics


def test_items_without_a_date_span_their_month_and_are_marked_tentative():
    events = _events(annual_cycle_ics(build_annual_cycle(2025), now=NOW))

    spring = events["politirad-var-2025@beredskap"]
    assert str(spring["SUMMARY"]) == "Politiråd (vår) (foreløpig)"
    assert spring.decoded("DTSTART") == date(2025, 4, 1)
    assert spring.decoded("DTEND") == date(2025, 5, 1)
    assert str(spring["STATUS"]) == "TENTATIVE"
    assert str(spring["TRANSP"]) == "TRANSPARENT"
    formannskap = events["formannskap-var-2025@beredskap"]
    assert "Barne- og ungdomskriminalitet" in str(formannskap["DESCRIPTION"])


def test_uids_are_stable_across_versions_of_the_same_year():
    undated = _events(annual_cycle_ics(build_annual_cycle(2026), now=NOW))
    dated = _events(annual_cycle_ics(_cycle_with_dates(), now=NOW + timedelta(days=30)))

    assert set(undated) == set(dated)


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_output_follows_rfc5545_line_rules(year):
    ics = annual_cycle_ics(_cycle_with_dates() if year == 2026 else build_annual_cycle(year), now=NOW)

    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    # Long Norwegian text with multi-byte characters must have been folded, not cut.
    assert any(line.startswith(b" ") for line in lines)
    text = ics.decode("utf-8")
    assert "Årshjul" in text.replace("\r\n ", "")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"


def test_summaries_survive_folding_with_norwegian_characters():
    cycle = {
        "year": 2025,
        "items": [
            {
                "key": "langt-mote",
                "kind": "politirad",
                "title": "Ekstraordinært politiråd om økt ungdomskriminalitet i Søgne og Kvadraturen – "
                + "æøå ÆØÅ " * 12,
                "month": 5,
            }
        ],
    }
    ics = annual_cycle_ics(cycle, now=NOW)

    assert max(len(line) for line in ics.split(b"\r\n")) <= 75
    event = _events(ics)["langt-mote-2025@beredskap"]
    assert str(event["SUMMARY"]) == cycle["items"][0]["title"] + " (foreløpig)"
