"""Pure roster modules: rota gaps, message texts, the SMS gateway body and CAP XML — no app, no database."""

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs

from lxml import etree

from beredskap.roster.cap import build_cap, cap_time
from beredskap.roster.messages import compose_message, mark_exercise, render_gateway_body
from beredskap.roster.schedule import OSLO, Interval, covered_fraction, find_gaps, hour_cover, merge_intervals
from tests.roster.helpers import cap_schema


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=OSLO)


def test_gaps_between_shifts_are_found_exactly():
    shifts = [Interval(at(3, 8), at(3, 20)), Interval(at(3, 19), at(4, 2)), Interval(at(4, 6), at(4, 8))]
    gaps = find_gaps(shifts, at(3, 0), at(4, 12))
    assert gaps == [Interval(at(3, 0), at(3, 8)), Interval(at(4, 2), at(4, 6)), Interval(at(4, 8), at(4, 12))]
    assert find_gaps([Interval(at(2, 0), at(5, 0))], at(3, 0), at(4, 0)) == []
    assert find_gaps([], at(3, 0), at(4, 0)) == [Interval(at(3, 0), at(4, 0))]
    # Back-to-back shifts leave no gap; shifts outside the window do not count.
    assert (
        find_gaps(
            [Interval(at(3, 0), at(3, 12)), Interval(at(3, 12), at(4, 0)), Interval(at(5, 0), at(6, 0))],
            at(3, 0),
            at(4, 0),
        )
        == []
    )
    assert merge_intervals([Interval(at(3, 5), at(3, 6)), Interval(at(3, 1), at(3, 5))]) == [
        Interval(at(3, 1), at(3, 6))
    ]
    assert covered_fraction([Interval(at(3, 0), at(3, 12))], at(3, 0), at(4, 0)) == 0.5


def test_gaps_compare_across_time_zones():
    utc_shift = Interval(datetime(2025, 3, 3, 7, tzinfo=UTC), datetime(2025, 3, 3, 19, tzinfo=UTC))  # 08–20 Oslo
    assert find_gaps([utc_shift], at(3, 8), at(3, 20)) == []


def test_hour_cover_marks_partly_covered_hours_as_gaps_and_handles_dst():
    hours = hour_cover([Interval(at(3, 8, 30), at(3, 20))], date(2025, 3, 3))
    assert len(hours) == 24
    assert hours[8] is False and hours[9] is True and hours[19] is True and hours[20] is False
    # 30 March 2025: clocks go forward in Norway, the day has 23 hours.
    assert len(hour_cover([], date(2025, 3, 30))) == 23
    assert len(hour_cover([], date(2025, 10, 26))) == 25


def test_exercise_marking():
    assert mark_exercise("Møt opp", True) == "ØVELSE – Møt opp"
    assert mark_exercise("  ØVELSE: møt opp ", True) == "ØVELSE: møt opp"
    assert mark_exercise("Møt opp", False) == "Møt opp"
    sms = compose_message("ØVELSE – Møt opp", "Kriseledelse", "Ordfører", "https://x/ack/t", True, "sms")
    mail = compose_message("ØVELSE – Møt opp", "Kriseledelse", "Ordfører", "https://x/ack/t", True, "email")
    assert sms.body.startswith("ØVELSE") and mail.body.startswith("ØVELSE") and mail.subject.startswith("ØVELSE")
    assert "https://x/ack/t" in sms.body and "Ordfører" in mail.body
    real = compose_message("Møt opp", "Krisestab", None, "https://x/ack/t", False, "email")
    assert "ØVELSE" not in real.subject + real.body


def test_gateway_body_escapes_values_for_json_and_forms():
    text = 'Møt "nå"\n{url} & {to}'
    body, content_type = render_gateway_body(
        '{"to": "{to}", "text": "{text}", "link": "{url}"}', to="+47 000", text=text, url="https://x/ack/t"
    )
    assert content_type.startswith("application/json")
    assert json.loads(body) == {"to": "+47 000", "text": text, "link": "https://x/ack/t"}
    body, content_type = render_gateway_body("to={to}&msg={text}", to="+47 000", text=text, url="u")
    assert content_type.startswith("application/x-www-form-urlencoded")
    assert parse_qs(body) == {"to": ["+47 000"], "msg": [text]}


def cap_alert(**overrides) -> dict:
    data = {
        "identifier": "beredskap-kristiansand-varsling-7",
        "sender": "beredskap@kristiansand.kommune.no",
        "sent": datetime(2025, 7, 1, 12, 30, 15, 123456, tzinfo=UTC),
        "exercise": True,
        "addresses": ["kriseledelse.ordforer", "person-4"],
        "event": "Varsling av kriseorganisasjonen",
        "headline": "ØVELSE – Varsling: Kriseledelse",
        "description": "ØVELSE – Møt <nå> & ring",
        "sender_name": "Kristiansand kommune – beredskap",
        "severity_level": 3,
        "expires": datetime(2025, 7, 2, 12, 30, tzinfo=UTC),
        "incidents": "hendelse 5",
    }
    return {**data, **overrides}


def test_cap_document_is_valid_cap_1_2():
    schema = cap_schema()
    ns = "{urn:oasis:names:tc:emergency:cap:1.2}"
    for overrides in ({}, {"exercise": False, "addresses": [], "severity_level": None, "expires": None}):
        doc = etree.fromstring(build_cap(cap_alert(**overrides)))
        assert schema.validate(doc), schema.error_log
    doc = etree.fromstring(build_cap(cap_alert()))
    assert doc.findtext(f"{ns}status") == "Exercise"
    assert doc.findtext(f"{ns}sent") == "2025-07-01T14:30:15+02:00"
    assert doc.findtext(f"{ns}info/{ns}severity") == "Severe"
    assert doc.findtext(f"{ns}incidents") == "hendelse-5"
    restricted = etree.fromstring(build_cap(cap_alert(exercise=False, addresses=[])))
    assert restricted.findtext(f"{ns}status") == "Actual"
    assert restricted.findtext(f"{ns}scope") == "Restricted"
    assert restricted.findtext(f"{ns}restriction")
    assert cap_time(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(microseconds=5)) == "2025-01-01T01:00:00+01:00"
