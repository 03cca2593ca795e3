"""Tests for the situasjonsrapport PDF."""

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from beredskap.reports.page import MARGIN_X, register_fonts
from beredskap.reports.sitrep import SECTIONS, build_sitrep

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
GENERATED = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _log(count: int) -> list[dict]:
    return [
        {
            "id": 100 + i,
            "seq": i,
            "created_at": START + timedelta(minutes=i),
            "category": "melding",
            "author": "Ola Ødegård",
            "text": f"Loggføring {i}: vannstanden i Kvadraturen stiger, evakuering i Søgne vurderes.",
            "corrects": None,
        }
        for i in range(1, count + 1)
    ]


def _sitrep(**overrides) -> dict:
    data = {
        "incident": {"id": 7, "title": "Flom i Otra", "kind": "incident", "severity": 2, "status": "open"},
        "number": 4,
        "as_of": START + timedelta(hours=12),
        "author": "Kari Nordmann",
        "approved_by": "Ola Ødegård",
        "approved_at": START + timedelta(hours=12, minutes=10),
        "status": "approved",
        "sections": {
            "situation": "Otra går over sine bredder ved Kvadraturen.\n\nSøgne er foreløpig ikke berørt.",
            "actions_taken": ["Evakuert 40 boliger", "Etablert EPS i Gimlehallen"],
            "actions_planned": "Vurdere evakuering av Tangvall.",
            "consequences": "Veier stengt.",
            "assistance_needed": "Sandsekker fra Sivilforsvaret.",
            "public_information": "Pressemelding kl. 14.",
            "next_report": START + timedelta(hours=16),
        },
        "log": _log(5),
        "tasks": [],
        "map_drawing": None,
        "generated_at": GENERATED,
    }
    data.update(overrides)
    return data


def test_header_and_dsb_headings_in_order():
    text = "\n".join(_pages(build_sitrep(_sitrep())))

    assert "Situasjonsrapport nr. 4 – Flom i Otra" in text
    assert "01.03.2026 kl. 21:00" in text  # as_of in Oslo time
    assert "Godkjent av Ola Ødegård" in text
    positions = [text.index(f"{number}. {heading}") for number, (_, heading) in enumerate(SECTIONS, start=1)]
    assert positions == sorted(positions)
    assert [heading for _, heading in SECTIONS] == [
        "Situasjonsbeskrivelse",
        "Iverksatte tiltak",
        "Planlagte tiltak",
        "Konsekvenser og vurderinger",
        "Behov for bistand",
        "Informasjon til befolkning og media",
        "Neste rapport",
    ]
    assert "Etablert EPS i Gimlehallen" in text
    assert "Sandsekker fra Sivilforsvaret." in text
    assert "02.03.2026 kl. 01:00" in text  # next report, in Oslo time


def test_missing_sections_say_so():
    text = "\n".join(_pages(build_sitrep(_sitrep(sections={}))))

    assert text.count("Ingen opplysninger.") == len(SECTIONS)


def test_exercise_incident_prints_ovelse_on_every_page_of_a_long_report():
    data = _sitrep(incident={"id": 8, "title": "Øvelse flom", "kind": "exercise"}, log=_log(300))
    pages = _pages(build_sitrep(data))

    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert "ØVELSE" in text
        assert f"Side {number} av {len(pages)}" in text
    assert "Loggføring 300" in pages[-1]


def test_real_incident_is_not_marked_ovelse():
    text = "\n".join(_pages(build_sitrep(_sitrep(log=_log(300)))))

    assert "ØVELSE" not in text


def test_unapproved_report_is_marked_utkast_on_every_page():
    pages = _pages(build_sitrep(_sitrep(status="draft", approved_by=None, approved_at=None, log=_log(200))))

    assert len(pages) > 1
    assert all("UTKAST" in text for text in pages)
    assert "Utkast – ikke godkjent" in pages[0]
    assert not any("UTKAST" in text for text in _pages(build_sitrep(_sitrep())))


def test_log_lines_keep_norwegian_text_and_corrections_are_marked():
    log = _log(3)
    log.append(
        {
            "id": 200,
            "seq": 4,
            "created_at": START + timedelta(minutes=10),
            "category": "korreksjon",
            "author": "Kari Nordmann",
            "text": "Riktig: evakuering i Søgne er besluttet.",
            "corrects": 102,
        }
    )
    text = "\n".join(_pages(build_sitrep(_sitrep(log=log))))

    assert "Ola Ødegård" in text
    assert "Kvadraturen" in text
    assert "(korrigert)" in text
    assert text.count("(korrigert)") == 1
    # The correction names the corrected line by the number printed in the table (its seq).
    assert "Korrigerer nr. 2:" in text
    corrected = text.index("Loggføring 2:")
    assert text.index("(korrigert)") > corrected
    assert text.index("(korrigert)") < text.index("Loggføring 3:")


def test_open_and_overdue_tasks_are_listed_and_done_tasks_left_out():
    as_of = START + timedelta(hours=12)
    tasks = [
        {
            "id": 1,
            "title": "Skaffe sandsekker",
            "assignee": "Teknisk drift",
            "due": as_of - timedelta(hours=1),
            "status": "started",
        },
        {
            "id": 2,
            "title": "Informere Søgne",
            "assignee": "Kommunikasjon",
            "due": as_of + timedelta(hours=2),
            "status": "new",
        },
        {"id": 3, "title": "Ferdig oppgave", "assignee": "Noen", "due": as_of - timedelta(hours=3), "status": "done"},
        {"id": 4, "title": "Uten frist", "assignee": None, "due": None, "status": "new"},
    ]
    text = "\n".join(_pages(build_sitrep(_sitrep(tasks=tasks))))

    assert "3 åpne oppgaver, hvorav 1 forsinket" in text
    overdue_part = text[text.index("Forsinkede oppgaver") : text.index("Åpne oppgaver\n")]
    assert "Skaffe sandsekker" in overdue_part and "Forsinket" in overdue_part
    assert "Informere Søgne" not in overdue_part
    assert "Informere Søgne" in text and "Uten frist" in text
    assert "Ferdig oppgave" not in text


def test_map_drawing_is_included_when_given():
    drawing = Drawing(900, 600)  # larger than the page: must be scaled down, not cut or refused
    drawing.add(Rect(0, 0, 900, 600, fillColor=None))
    drawing.add(String(20, 20, "KARTETIKETT Kvadraturen"))
    with_map = "\n".join(_pages(build_sitrep(_sitrep(map_drawing=drawing, map_caption="Berørt område"))))
    without = "\n".join(_pages(build_sitrep(_sitrep())))

    assert "KARTETIKETT Kvadraturen" in with_map
    assert "Berørt område" in with_map
    assert "KARTETIKETT" not in without
    assert drawing.width == 900  # the caller's drawing is not modified


def test_a_thousand_log_lines_all_come_out():
    pages = _pages(build_sitrep(_sitrep(log=_log(1000))))
    text = "\n".join(pages)

    assert "Logg (1000 loggføringer)" in text
    assert "Loggføring 1:" in text and "Loggføring 1000:" in text
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]


def test_markup_in_log_text_is_printed_literally():
    log = _log(1)
    log[0]["text"] = "Melding <b>fra</b> 110 & 112"
    text = "\n".join(_pages(build_sitrep(_sitrep(log=log))))

    assert "Melding <b>fra</b> 110 & 112" in text


def _text_runs(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """Return (page, text, x, font size) of each piece of text drawn, x in page coordinates."""
    runs: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                runs.append((number, text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], size * tm[0] * cm[0]))

        page.extract_text(visitor_text=visit)
    return runs


def test_a_long_log_line_comes_out_whole_and_wrapped_within_the_page():
    words = " ".join(f"Kvadraturen{i} æøå ÆØÅ vannstand" for i in range(24))
    token = "https://www.kristiansand.kommune.no/" + "flom" * 30  # one word wider than the text column
    long_text = f"{words} {token} <b>ikke fet</b> &amp; A & B SLUTTORDKVITTERING"
    assert len(long_text) > 600
    log = _log(40)
    log[20]["text"] = long_text
    pdf = build_sitrep(_sitrep(log=log))
    text = "\n".join(_pages(pdf))

    # Every word, in order, the over-long one split across lines but complete; markup printed literally.
    flat = " ".join(text.split())
    assert words in flat
    assert "<b>ikke fet</b> &amp; A & B SLUTTORDKVITTERING" in flat
    assert token in "".join(text.split())
    assert "&amp;amp;" not in text
    assert "Loggføring 40:" in text  # the lines after it are still there

    # Nothing is drawn past the right margin (the widest glyphs make this a safe upper bound).
    right_edge = A4[0] - MARGIN_X
    for page, run, x, size in _text_runs(pdf):
        if size:
            assert x >= MARGIN_X - 0.5, (page, run)
            assert x + stringWidth(run.rstrip("\n"), register_fonts().regular, size) <= right_edge + 0.5, (page, run)


def test_log_text_with_blank_lines_and_spaces_keeps_its_words():
    log = _log(2)
    log[0]["text"] = "Første linje\n\nTredje   linje\tmed tab\r\nSti C:\\temp\\logg (kopi) ) ("
    text = _pages(build_sitrep(_sitrep(log=log)))[-1]

    lines = [line.strip() for line in text.splitlines()]
    assert any(line.endswith("Første linje") for line in lines)
    assert "Tredje linje med tab" in text
    assert "Sti C:\\temp\\logg (kopi) ) (" in text
