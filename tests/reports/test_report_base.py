"""Tests for the shared report layout: page numbers, ØVELSE/UTKAST marking, fonts, helpers."""

import io
import os
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from beredskap.reports.flowables import data_table, key_value_block, paragraph, section_heading
from beredskap.reports.formatting import format_date, format_datetime, format_number
from beredskap.reports.page import FONT_DIRS, ReportMeta, register_fonts, render_pdf
from beredskap.reports.texttable import wrap_text

GENERATED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _long_story(rows: int = 200) -> list:
    return [
        *section_heading("Oversikt over bydeler"),
        key_value_block([("Bydel", "Kvadraturen"), ("Nabobydel", "Søgne")]),
        data_table(
            ["Nr.", "Navn", "Merknad"],
            [[str(i), "Ola Ødegård", f"Rad {i} i Kvadraturen og Søgne, æøå ÆØÅ"] for i in range(rows)],
            col_widths=[0.1, 0.3, 0.6],
        ),
    ]


def test_every_page_is_numbered_side_x_av_y():
    pages = _pages(render_pdf(ReportMeta(title="Testrapport", generated_at=GENERATED), _long_story()))

    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in text


def test_generation_time_is_shown_in_oslo_time():
    pages = _pages(render_pdf(ReportMeta(title="Testrapport", generated_at=GENERATED), [paragraph("Hei")]))

    assert "Generert 05.03.2026 kl. 10:30" in pages[0]


def test_exercise_marks_every_page_and_ordinary_reports_are_unmarked():
    exercise = _pages(render_pdf(ReportMeta(title="Testrapport", exercise=True), _long_story()))
    ordinary = _pages(render_pdf(ReportMeta(title="Testrapport"), _long_story()))

    assert len(exercise) > 2
    assert all("ØVELSE" in text for text in exercise)
    assert not any("ØVELSE" in text for text in ordinary)


def test_draft_marks_every_page():
    draft = _pages(render_pdf(ReportMeta(title="Testrapport", draft=True), _long_story()))
    final = _pages(render_pdf(ReportMeta(title="Testrapport"), _long_story()))

    assert all("UTKAST" in text for text in draft)
    assert not any("UTKAST" in text for text in final)


def test_title_subtitle_and_classification_are_on_every_page():
    meta = ReportMeta(title="Rapport om Søgne", subtitle="Bydel Kvadraturen", classification="Taushetsbelagt")
    pages = _pages(render_pdf(meta, _long_story()))

    for text in pages:
        assert "Rapport om Søgne" in text
        assert "Bydel Kvadraturen" in text
        assert "Taushetsbelagt" in text


def test_norwegian_characters_survive_text_extraction():
    text = "\n".join(_pages(render_pdf(ReportMeta(title="Æøå"), _long_story(rows=5))))

    for word in ("Kvadraturen", "Søgne", "Ødegård", "æøå ÆØÅ", "Æøå"):
        assert word in text


def test_dejavu_is_used_when_installed():
    installed = any(os.path.isfile(os.path.join(directory, "DejaVuSans.ttf")) for directory in FONT_DIRS)
    fonts = register_fonts()

    assert fonts.embedded == installed
    pdf = render_pdf(ReportMeta(title="Font"), [paragraph("Søgne")])
    assert (b"DejaVuSans" in pdf) == installed


def test_user_text_is_escaped_not_interpreted():
    hostile = "Ved <b>fet</b> & <font size=40>stor</font> tekst"
    text = _pages(render_pdf(ReportMeta(title="Escape"), [paragraph(hostile), data_table(["A"], [[hostile]])]))[0]

    assert text.count("Ved <b>fet</b> & <font size=40>stor</font> tekst") == 2


def test_empty_table_shows_its_empty_text():
    text = _pages(render_pdf(ReportMeta(title="Tom"), [data_table(["A", "B"], [], empty="Ingen rader.")]))[0]

    assert "Ingen rader." in text


def test_empty_story_still_renders_one_page():
    pages = _pages(render_pdf(ReportMeta(title="Tom rapport"), []))

    assert len(pages) == 1
    assert "Side 1 av 1" in pages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, "7"), (2026, "2026"), (12345, "12 345"), (7.5, "7,5"), (1234567.5, "1 234 567,5"), (None, "–")],
)
def test_numbers_are_formatted_the_norwegian_way(value, expected):
    assert format_number(value) == expected


def test_dates_and_times_are_formatted_in_oslo():
    assert format_datetime(datetime(2026, 7, 1, 22, 15, tzinfo=UTC)) == "02.07.2026 kl. 00:15"
    assert format_datetime("2026-01-10T08:00:00+00:00") == "10.01.2026 kl. 09:00"
    assert format_datetime(date(2026, 5, 17)) == "17.05.2026"
    assert format_date("2026-05-17") == "17.05.2026"
    assert format_datetime(None) == "–"


def test_wrap_text_keeps_every_word_within_the_width():
    font = register_fonts().regular
    text = "Vannstanden i Otra stiger ved Mosby; " * 8 + "x" * 200 + " æøå\u00a0ÆØÅ slutt"
    lines = wrap_text(text, font, 8.5, 120)

    assert len(lines) > 5
    assert all(stringWidth(line, font, 8.5) <= 120 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("æøå\u00a0ÆØÅ" in line for line in lines)  # no break at a no-break space
    assert wrap_text("a\n\nb", font, 8.5, 120) == ["a", "", "b"]
