"""Tests for the varslingsliste PDF."""

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from beredskap.reports.roster import build_alert_list

SENT = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


POSITIONS = [
    {
        "title": "Kriseleder",
        "team": "kriseledelse",
        "holder": {"name": "Mona Ødegård", "phone": "+47 911 11 111"},
        "deputies": [{"name": "Per Søgne", "phone": "+47 922 22 222"}, {"name": "Liv Kvadraturen"}],
    },
    {"title": "Loggfører", "team": "krisestab", "holder": None, "deputies": []},
    {
        "title": "Leder kriseteam",
        "team": "psykososialt_kriseteam",
        "holder": {"name": "Eva Lund", "phone": "+47 933 33 333"},
        "deputies": [],
    },
    {
        "title": "EPS-leder",
        "team": "eps_ledelse",
        "holder": {"name": "Jon Grim", "phone": "+47 944 44 444"},
        "deputies": [],
    },
]


def _alert(kind: str = "incident") -> dict:
    return {
        "id": 9,
        "message": "Krisestaben kalles inn til rådhuset kl. 11.",
        "group": "krisestab",
        "sent_at": SENT,
        "incident": {"title": "Flom i Otra", "kind": kind},
        "recipients": [
            {
                "name": "Mona Ødegård",
                "position": "Kriseleder",
                "phone": "+47 911 11 111",
                "status": "acknowledged",
                "answered_at": SENT,
            },
            {"name": "Per Søgne", "position": "Stabssjef", "phone": "+47 922 22 222", "status": "sent"},
            {"name": "Eva Lund", "status": "declined"},
            {"name": "Jon Grim", "status": "failed"},
        ],
    }


def test_alert_list_shows_positions_holders_deputies_and_phones_by_team():
    text = "\n".join(_pages(build_alert_list({"positions": POSITIONS, "generated_at": SENT})))

    assert "Varslingsliste" in text
    teams = [text.index(team) for team in ("Kriseledelse", "Krisestab", "Psykososialt kriseteam", "EPS-ledelse")]
    assert teams == sorted(teams)
    assert "Mona Ødegård" in text and "+47 911 11 111" in text
    assert "1. Per Søgne, +47 922 22 222" in text and "2. Liv Kvadraturen" in text
    assert "Ikke besatt" in text
    assert "ØVELSE" not in text
    assert "Side 1 av 1" in text


def test_alert_status_per_recipient_and_summary():
    text = "\n".join(_pages(build_alert_list({"positions": POSITIONS, "alert": _alert(), "generated_at": SENT})))

    assert "Varsling nr. 9" in text
    assert "Krisestaben kalles inn til rådhuset kl. 11." in text
    assert "Bekreftet" in text and "Sendt, ikke besvart" in text and "Kan ikke møte" in text and "Feilet" in text
    assert "4 (Sendt, ikke besvart: 1, Bekreftet: 1, Kan ikke møte: 1, Feilet: 1)" in text
    assert "05.03.2026 kl. 10:30" in text


def test_exercise_alert_is_marked_on_every_page():
    positions = [
        {
            "title": f"Funksjon {i}",
            "team": "krisestab",
            "holder": {"name": f"Søgne Ødegård {i}", "phone": str(i)},
            "deputies": [{"name": "Stedfortreder Kvadraturen", "phone": "+47 900 00 000"}],
        }
        for i in range(120)
    ]
    pages = _pages(build_alert_list({"positions": positions, "alert": _alert("exercise")}))

    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "ØVELSE" in text
        assert f"Side {number} av {len(pages)}" in text
    assert "Søgne Ødegård 119" in pages[-1]


def test_draft_alert_list_is_marked_utkast():
    pages = _pages(build_alert_list({"positions": POSITIONS, "draft": True}))

    assert all("UTKAST" in text for text in pages)


def test_empty_roster_renders():
    text = "\n".join(_pages(build_alert_list({})))

    assert "Ingen funksjoner er registrert." in text
