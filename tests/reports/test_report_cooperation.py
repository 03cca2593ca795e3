"""Tests for the cooperation PDFs: saksliste, referat and Oversiktsbilde."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from beredskap.reports.cooperation import build_agenda, build_minutes, build_oversiktsbilde

GENERATED = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
BOTH_APPROVED = {
    "kommune": {"by": "Kari Nordmann", "at": GENERATED},
    "politi": {"by": "Ola Ødegård", "at": GENERATED},
}


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _meeting_data(**overrides) -> dict:
    data = {
        "meeting": {
            "kind": "politirad",
            "title": "Politiråd vår 2026",
            "date": datetime(2026, 4, 23, 8, 0, tzinfo=UTC),
            "location": "Søgne rådhus",
            "host": "politi",
            "chair": "Politistasjonssjef",
        },
        "items": [
            {
                "number": "1/26",
                "title": "Oversiktsbilde 2026",
                "kind": "orientering",
                "responsible": "SLT-koordinator",
                "note": "Oversiktsbildet viser økning i vold i Kvadraturen.",
                "proposal": "Saken tas til orientering.",
                "minutes": "Politiet supplerte med tall fra Søgne.",
            },
            {"number": "2/26", "title": "Trygg i Kvadraturen", "kind": "vedtak", "note": None},
        ],
        "approvals": {"kommune": {"by": "Kari Nordmann", "at": GENERATED}, "politi": None},
        "generated_at": GENERATED,
    }
    data.update(overrides)
    return data


def test_agenda_lists_items_with_case_notes_and_approvals():
    text = "\n".join(_pages(build_agenda(_meeting_data())))

    assert "Saksliste – Politiråd vår 2026" in text
    assert "23.04.2026 kl. 10:00" in text
    assert "Søgne rådhus" in text
    assert "Agder politidistrikt" in text  # host this year
    assert "Sak 1/26: Oversiktsbilde 2026" in text and "Sak 2/26: Trygg i Kvadraturen" in text
    assert "Oversiktsbildet viser økning i vold i Kvadraturen." in text
    assert "Forslag til vedtak: Saken tas til orientering." in text
    assert "Godkjent av Kari Nordmann" in text
    assert "Ikke godkjent ennå" in text
    assert "Side 1 av 1" in text


def test_agenda_is_a_draft_until_both_parties_approve():
    draft = "\n".join(_pages(build_agenda(_meeting_data())))
    approved = "\n".join(_pages(build_agenda(_meeting_data(approvals=BOTH_APPROVED))))

    assert "UTKAST" in draft
    assert "UTKAST" not in approved
    assert "Godkjent av Ola Ødegård" in approved


def test_minutes_show_decisions_and_the_overdue_earlier_decisions():
    data = _meeting_data(
        approvals=BOTH_APPROVED,
        present=[
            {"name": "Kari Nordmann", "organisation": "Kristiansand kommune"},
            {"name": "Ola Ødegård", "organisation": "Agder politidistrikt"},
        ],
        absent=[{"name": "Per Søgne", "organisation": "Kristiansand kommune"}],
        decisions=[
            {
                "item": "1/26",
                "text": "Utvide natteravn-ordningen i Søgne",
                "owner": "Kommunen",
                "due": date(2026, 9, 1),
                "status": "open",
            }
        ],
        overdue_decisions=[
            {
                "meeting": "Politiråd høst 2025",
                "text": "Kartlegge møteplasser i Vågsbygd",
                "owner": "Politiet",
                "due": date(2026, 1, 15),
                "status": "started",
            },
        ],
    )
    text = "\n".join(_pages(build_minutes(data)))

    assert "Referat – Politiråd vår 2026" in text
    assert "Ola Ødegård (Agder politidistrikt)" in text
    assert "Forfall" in text and "Per Søgne" in text
    assert "Politiet supplerte med tall fra Søgne." in text
    assert "Utvide natteravn-ordningen i Søgne" in text and "01.09.2026" in text
    overdue_part = text[text.index("Forfalte vedtak fra tidligere møter") :]
    assert "1 vedtak har passert fristen" in overdue_part
    assert "Kartlegge møteplasser i Vågsbygd" in overdue_part and "Under arbeid" in overdue_part
    assert "UTKAST" not in text


def test_minutes_without_overdue_decisions_say_so_and_unapproved_minutes_are_drafts():
    text = "\n".join(_pages(build_minutes(_meeting_data(decisions=[], overdue_decisions=[]))))

    assert "Ingen forfalte vedtak." in text
    assert "Ingen vedtak i dette møtet." in text
    assert "UTKAST" in text


def _oversikt(**overrides) -> dict:
    indicators = []
    for district in ("Kvadraturen", "Søgne", "Vågsbygd"):
        indicators += [
            {
                "bydel": district,
                "source": "kriminalstatistikk",
                "name": "Vold og mishandling",
                "value": 112,
                "previous": 98,
            },
            {"bydel": district, "source": "ungdata", "name": "Utsatt for vold siste år", "value": 7.5, "unit": "%"},
            {
                "bydel": district,
                "source": "kvalitativ",
                "text": f"Utekontakten melder om uro i {district}.",
                "from": "Utekontakten",
            },
        ]
    data = {
        "year": 2026,
        "summary": "Økt vold blant unge i sentrum.",
        "districts": ["Grim", "Kvadraturen"],
        "indicators": indicators,
        "conclusions": ["Styrke innsatsen i Kvadraturen", "Følge med på Søgne"],
        "generated_at": GENERATED,
    }
    data.update(overrides)
    return data


def test_oversiktsbilde_has_three_sources_per_district():
    text = "\n".join(_pages(build_oversiktsbilde(_oversikt())))

    assert "Oversiktsbilde 2026" in text
    for district in ("Grim", "Kvadraturen", "Søgne", "Vågsbygd"):
        assert f"Bydel {district}" in text
    assert text.count("Kriminalstatistikk") >= 4 and text.count("Ungdata") >= 4
    assert text.count("Kvalitativ informasjon") >= 4
    assert "+14 (+14 %)" in text  # 98 → 112
    assert "7,5 %" in text
    assert "Utekontakten melder om uro i Søgne." in text
    assert "Styrke innsatsen i Kvadraturen" in text
    # Districts in the given order first, then the others as they appear.
    order = [text.index(f"Bydel {district}") for district in ("Grim", "Kvadraturen", "Søgne", "Vågsbygd")]
    assert order == sorted(order)
    assert "Ingen tall fra kriminalstatistikken." in text  # Grim has no data


def test_oversiktsbilde_refuses_unknown_sources():
    bad = _oversikt(indicators=[{"bydel": "Søgne", "source": "rykter", "name": "x", "value": 1}])

    with pytest.raises(ValueError):
        build_oversiktsbilde(bad)


def test_oversiktsbilde_draft_marks_every_page():
    many = [
        {"bydel": f"Bydel-{i}", "source": "kriminalstatistikk", "name": "Skadeverk", "value": i, "previous": i + 1}
        for i in range(40)
    ]
    pages = _pages(build_oversiktsbilde(_oversikt(indicators=many, draft=True)))

    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "UTKAST" in text
        assert f"Side {number} av {len(pages)}" in text
