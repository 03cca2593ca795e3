"""Tests for the EPS status report (no names) and the confidential name list."""

import io
from datetime import UTC, date, datetime

from pypdf import PdfReader

from beredskap.reports.eps_status import (
    CONFIDENTIAL,
    build_eps_namelist,
    build_eps_status,
    norwegian_sort_key,
)

GENERATED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
PEOPLE = [
    {
        "full_name": "Åse Åsheim",
        "birth_date": date(1950, 4, 2),
        "phone": "+47 911 11 111",
        "address": "Tangvall 3, 4640 Søgne",
        "status": "present",
        "registered_at": GENERATED,
        "needs": ["medisinsk"],
    },
    {
        "full_name": "Ola Ødegård",
        "birth_date": date(1981, 1, 9),
        "phone": "+47 922 22 222",
        "address": "Markens gate 1, 4611 Kristiansand",
        "status": "present",
        "registered_at": GENERATED,
    },
    {
        "full_name": "Per Zahl",
        "birth_date": None,
        "phone": None,
        "address": None,
        "status": "left",
        "registered_at": GENERATED,
        "destination": "Familie i Vågsbygd",
    },
    {
        "full_name": "Ærlig Ærø",
        "birth_date": date(2010, 6, 1),
        "phone": "+47 933 33 333",
        "address": "Dronningens gate 5, Kvadraturen",
        "status": "present",
        "registered_at": GENERATED,
    },
    {
        "full_name": "Émile Berg",
        "birth_date": date(1999, 12, 24),
        "phone": "+47 944 44 444",
        "address": "Søgneveien 7",
        "status": "present",
        "registered_at": GENERATED,
    },
]


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _eps(**overrides) -> dict:
    data = {
        "incident": {"id": 4, "title": "Brann i Kvadraturen", "kind": "incident"},
        "centre": {
            "name": "Gimlehallen",
            "status": "open",
            "capacity": 200,
            "present": 150,
            "registered": 180,
            "left": 30,
        },
        "as_of": GENERATED,
        "departments": [
            {"name": "Mottak og registrering", "staff_present": 4, "staff_needed": 6},
            {"name": "Pårørendemottak", "staff_present": 3, "staff_needed": 3},
        ],
        "needs": {"medisinsk": 3, "tolk": 2},
        "inquiries": {"total": 40, "open": 12, "matched": 20, "reunited": 8},
        "evacuees": PEOPLE,
        "generated_at": GENERATED,
    }
    data.update(overrides)
    return data


def test_status_report_has_occupancy_staffing_needs_and_inquiries():
    text = "\n".join(_pages(build_eps_status(_eps())))

    assert "Statusrapport EPS – Gimlehallen" in text
    assert "Brann i Kvadraturen" in text
    assert "75 %" in text  # 150 of 200
    assert "Ledig kapasitet\n50" in text
    assert "Mottak og registrering" in text and "Underbemannet" in text and "-2" in text
    assert "Pårørendemottak" in text
    assert "Medisinsk oppfølging\n3" in text and "Tolk\n2" in text
    assert "Henvendelser totalt\n40" in text and "Åpne\n12" in text
    assert "Side 1 av 1" in text


def test_status_report_contains_no_names_of_the_people_given():
    data = _eps()
    # A careless caller may pass personal data under other keys too; none of it may be printed.
    data["people"] = PEOPLE
    data["centre"]["leader"] = "Kari Kvinesdal"
    data["departments"][0]["leader"] = "Kari Kvinesdal"
    text = "\n".join(_pages(build_eps_status(data)))

    for person in [*PEOPLE, {"full_name": "Kari Kvinesdal"}]:
        for part in person["full_name"].split():
            assert part not in text
    for person in PEOPLE:
        for field in ("phone", "address"):
            if person.get(field):
                assert person[field] not in text
    assert "ingen personopplysninger" in text


def test_overcrowding_is_stated_in_words():
    data = _eps()
    data["centre"]["present"] = 230
    text = "\n".join(_pages(build_eps_status(data)))

    assert "Overbelegg: 30 flere til stede enn kapasiteten." in text


def test_exercise_status_report_is_marked():
    pages = _pages(build_eps_status(_eps(incident={"id": 5, "title": "Øvelse", "kind": "exercise"})))

    assert all("ØVELSE" in text for text in pages)


def test_namelist_lists_everyone_sorted_by_surname_in_norwegian_order():
    text = "\n".join(_pages(build_eps_namelist(_eps())))

    order = [text.index(name) for name in ("Émile Berg", "Per Zahl", "Ærlig Ærø", "Ola Ødegård", "Åse Åsheim")]
    assert order == sorted(order)
    assert "+47 911 11 111" in text and "Tangvall 3, 4640 Søgne" in text
    assert "Familie i Vågsbygd" in text
    assert "5 personer registrert, 4 til stede" in text


def test_namelist_is_marked_confidential_on_every_page():
    many = [dict(PEOPLE[i % len(PEOPLE)], full_name=f"Person Søgnesen {i:03d}") for i in range(120)]
    pages = _pages(build_eps_namelist(_eps(evacuees=many, incident={"title": "Øvelse", "kind": "exercise"})))

    assert len(pages) > 2
    assert CONFIDENTIAL == "Taushetsbelagt – unntatt offentlighet, jf. offl. § 13 / fvl. § 13"
    for number, text in enumerate(pages, start=1):
        assert CONFIDENTIAL in text
        assert "ØVELSE" in text
        assert f"Side {number} av {len(pages)}" in text


def test_norwegian_sort_key_puts_aeoeaa_after_z():
    names = ["Åsheim", "Ødegård", "Zahl", "Ærø", "Berg", "Éclair"]

    assert sorted(names, key=norwegian_sort_key) == ["Berg", "Éclair", "Zahl", "Ærø", "Ødegård", "Åsheim"]
