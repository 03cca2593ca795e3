"""The fast text table (reports/texttable.py) reads as reportlab's own Paragraphs and Table would, only faster."""

import io
import subprocess

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from beredskap.reports.formatting import EMPTY_VALUE, markup, rich
from beredskap.reports.page import register_fonts, styles
from beredskap.reports.texttable import CellParagraph, TextCell, TextTable, _fitting_cell, wrap_text

TEXTS = [
    "Kort.",
    "Vannstanden i Otra stiger ved Mosby, og Vennesla kommune melder om oversvømte kjellere i Hunsøya.",
    "Linje én\nLinje to med   flere    mellomrom\n\nEtter en tom linje",
    "Beredskapskoordinatoren varsler kriseledelsen, politiet, Sivilforsvaret og Agder energi om strømbrudd.",
]


def _plain_style():
    """The cell style without hyphenation inside a line: the fast path splits only words too long for a line."""
    return styles()["cell"].clone("plain_cell", hyphenationLang="")


def _paragraph_lines(text: str, width: float) -> list[str]:
    """The lines reportlab's Paragraph breaks the same text into (markup-escaped, cell style)."""
    paragraph = Paragraph(markup(text), _plain_style())
    paragraph.wrap(width, 10_000)
    lines = []
    for line in paragraph.blPara.lines:
        words = line[1] if isinstance(line, tuple) else line.words
        lines.append(" ".join(words) if isinstance(line, tuple) else "".join(w.text for w in words).strip())
    return lines


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [120.0, 160.0, 400.0])
def test_wrap_text_breaks_lines_where_a_paragraph_does(text, width):
    style = styles()["cell"]
    assert wrap_text(text, style.fontName, style.fontSize, width) == _paragraph_lines(text, width)


def test_text_cell_measures_as_many_lines_as_it_wraps_and_keeps_them_at_the_same_width():
    style = styles()["cell"]
    cell = TextCell(TEXTS[1], style)

    width, height = cell.wrap(120, 1000)
    lines = cell.lines()

    assert width == 120 and len(lines) > 2
    assert height == len(lines) * style.leading
    cell._lines.append("sentinel")  # a second wrap at the same width reuses the lines, a new width re-wraps
    assert cell.wrap(120, 1000)[1] == (len(lines) + 1) * style.leading
    assert cell.wrap(300, 1000)[1] < height


def test_a_cell_becomes_a_string_a_text_cell_or_a_paragraph_by_what_it_holds():
    style = styles()["cell"]
    assert _fitting_cell(1234567, style, 100) == "1 234 567"
    assert _fitting_cell(None, style, 100) == EMPTY_VALUE
    assert _fitting_cell("", style, 100) == EMPTY_VALUE
    assert _fitting_cell("Kvadraturen", style, 100) == "Kvadraturen"
    long = _fitting_cell(TEXTS[1], style, 100)
    assert isinstance(long, TextCell) and long.lines() == wrap_text(TEXTS[1], style.fontName, style.fontSize, 100)
    ready = _fitting_cell(rich("<b>fet</b>"), style, 100)
    assert isinstance(ready, CellParagraph) and ready.text == "<b>fet</b>"


def _pdf_text(table) -> str:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([table])
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=buffer.getvalue(), capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _cells(kind):
    style = styles()["cell"]
    rows = [["Nr.", "Hendelse", "Merknad"]]
    for number in range(60):
        text = f"{TEXTS[number % len(TEXTS)]} (rad {number})"
        rows.append([str(number), "Flom i Otra, æøå ÆØÅ", kind(text, style)])
    return rows


def test_text_table_puts_every_line_where_reportlab_s_table_would_across_pages():
    register_fonts()
    style = styles()["cell"]
    commands = TableStyle(
        [("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    widths = [40, 150, 250]

    def fast(text, cell_style):
        return TextCell(text, cell_style)

    def slow(text, cell_style):
        return Paragraph(markup(text), _plain_style())

    ours = TextTable(_cells(fast), colWidths=widths, repeatRows=1, style=commands)
    theirs = Table(_cells(slow), colWidths=widths, repeatRows=1, style=commands)

    ours_text, theirs_text = _pdf_text(ours), _pdf_text(theirs)
    assert ours_text.count("\f") > 1  # it spans pages, so splitting and the repeated header are covered
    assert ours_text == theirs_text
