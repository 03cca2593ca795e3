"""The pure desk parsers and the PFIF builder, without an app."""

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from beredskap.eps.fields import (
    FieldError,
    clean_phone,
    csv_cell,
    parse_birth_date,
    parse_birth_year,
    parse_needs,
    split_name,
)
from beredskap.eps.pfif import PFIF_NS, build_pfif

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1949-01-30", (date(1949, 1, 30), 1949)),
        ("30.01.1949", (date(1949, 1, 30), 1949)),
        ("30011949", (date(1949, 1, 30), 1949)),
        ("300149", (date(1949, 1, 30), 1949)),
        ("010220", (date(2020, 2, 1), 2020)),
        ("1.2.80", (date(1980, 2, 1), 1980)),
        ("1980", (None, 1980)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_birth_dates_as_volunteers_type_them(typed, expected):
    assert parse_birth_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["31.02.1980", "2026-01-01", "1850", "abc", "12/12", "01.13.1980", True, 3.5])
def test_bad_birth_dates_name_the_field_not_the_value(typed):
    with pytest.raises(FieldError) as err:
        parse_birth_date(typed, TODAY)
    assert err.value.field == "birth_date"
    assert str(typed) not in err.value.message


def test_birth_year_phone_needs_and_names():
    assert parse_birth_year("1961", TODAY) == 1961 and parse_birth_year(None, TODAY) is None
    with pytest.raises(FieldError):
        parse_birth_year("61", TODAY)
    assert clean_phone("  +47 412  34 567 ") == "+47 412 34 567"
    assert clean_phone("") is None
    with pytest.raises(FieldError):
        clean_phone("ring meg")
    assert parse_needs(["Tolk", "medisiner", "kjæledyr"]) == ({"sprak": True, "helse": True, "kjaeledyr": True}, None)
    assert parse_needs({"kost": True, "mobilitet": False, "note": "Glutenfri"}) == ({"kost": True}, "Glutenfri")
    with pytest.raises(FieldError):
        parse_needs(["flyreise"])
    assert split_name("Hansen, Per") == ("Per", "Hansen")
    assert split_name("Åse Marie Ødegård") == ("Åse Marie", "Ødegård")
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("+47 400 00 000") == "+47 400 00 000" and csv_cell(None) == ""


def test_pfif_document_shape():
    when = datetime(2025, 6, 1, 12, 30, 5, 123, tzinfo=UTC)
    document = build_pfif(
        [
            {
                "id": 7,
                "full_name": "Kari Nordmann",
                "birth_date": date(1990, 3, 3),
                "address": "Sjøgata 5, 4610 Kristiansand",
                "phone": "90112233",
                "registered_at": when,
                "status": "left",
                "left_at": when,
                "destination": "Hjem",
                "centre_name": "Gimlehallen",
                "expiry_date": when,
                "exercise": True,
            },
        ],
        domain="example.no",
        source_name="Kilde",
        author_name="Forfatter",
    )
    root = etree.fromstring(document)
    ns = {"p": PFIF_NS}
    person = root.find("p:person", ns)
    assert person.findtext("p:person_record_id", namespaces=ns) == "example.no/person.7"
    assert person.findtext("p:source_date", namespaces=ns) == "2025-06-01T12:30:05Z"
    assert person.findtext("p:home_city", namespaces=ns) == "Kristiansand"
    assert person.findtext("p:author_name", namespaces=ns).startswith("ØVELSE")
    notes = person.findall("p:note", ns)
    assert [n.findtext("p:note_record_id", namespaces=ns) for n in notes] == [
        "example.no/note.registered.7",
        "example.no/note.left.7",
    ]
    assert {n.findtext("p:status", namespaces=ns) for n in notes} == {"believed_alive"}
