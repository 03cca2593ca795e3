"""Shared layout for all PDF reports: A4 page with header, footer, page numbers and ØVELSE/UTKAST marking.

A builder makes a `ReportMeta` and a list of flowables (with the helpers below) and calls `render_pdf`.
Every page gets: an optional red ØVELSE banner and diagonal watermark (`exercise=True`), an UTKAST label and
watermark (`draft=True`), a header with title and subtitle, an optional classification line (e.g. for
confidential name lists), and a footer with the generation time (Europe/Oslo) and "Side X av Y".

Fonts: DejaVu Sans only, embedded (it covers æøå, §, –, • and more). `FONT` and `FONT_BOLD` are the one place
every drawing (tables, bullets, map labels) takes its font from; the fonts come from the fonts-dejavu-core
package (`.ci/run` installs it). Every PDF states its language (/Lang: nb-NO, or en in the English locale),
long words in narrow cells are hyphenated by Norwegian rules (pyphen, nb_NO), and numbers have a decimal comma.
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

OSLO = ZoneInfo("Europe/Oslo")
# The registered font names; register_fonts() must have run before they are drawn (render_pdf does it).
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
HYPHENATION_LANG = "nb_NO"
EXERCISE_LABEL = "ØVELSE"
DRAFT_LABEL = "UTKAST"
EMPTY_VALUE = "–"

FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)

EXERCISE_RED = colors.HexColor("#b00020")
HEADER_BLUE = colors.HexColor("#1f3a5f")
ZEBRA_GREY = colors.HexColor("#f1f3f6")
LABEL_GREY = colors.HexColor("#e4e8ee")
RULE_GREY = colors.HexColor("#9aa5b1")
TEXT_GREY = colors.HexColor("#4a5561")

MARGIN_X = 18 * mm
MARGIN_BOTTOM = 20 * mm
BANNER_HEIGHT = 9 * mm
HEADER_GAP = 4 * mm
CELL_PADDING = 3
# Guards the process-wide reportlab setting that `render_pdf` changes while it writes the file.
_A85_LOCK = threading.Lock()
# Room a heading needs below it, else it moves to the next page (a level-1 heading is often followed by a
# level-2 heading and a table).
HEADING_ROOM = {1: 36 * mm, 2: 24 * mm}


@dataclass(frozen=True)
class ReportMeta:
    """What the page decoration shows on every page of a report."""

    title: str
    subtitle: str | None = None
    exercise: bool = False
    draft: bool = False
    classification: str | None = None
    generated_at: datetime | None = None
    landscape: bool = False
    author: str = "Beredskap – Kristiansand kommune og Agder politidistrikt"


@dataclass(frozen=True)
class Fonts:
    """The font names registered for reports."""

    regular: str
    bold: str
    embedded: bool


@cache
def register_fonts() -> Fonts:
    """Register DejaVu Sans (regular and bold, embedded) as `FONT` and `FONT_BOLD`; without it no report is made.

    Reports never fall back to a PDF base font such as Helvetica: those are not embedded, and readers then
    substitute a font of their own (and WinAnsi lacks characters such as the bullet in some readers).
    """
    for directory in FONT_DIRS:
        regular = os.path.join(directory, "DejaVuSans.ttf")
        bold = os.path.join(directory, "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular) and os.path.isfile(bold):
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
            return Fonts(FONT, FONT_BOLD, embedded=True)
    raise RuntimeError(
        "Fant ikke skrifttypen DejaVu Sans (DejaVuSans.ttf og DejaVuSans-Bold.ttf) i "
        + ", ".join(FONT_DIRS)
        + ". Installer pakken fonts-dejavu-core."
    )


def pdf_language() -> str:
    """The /Lang of a report: en in the English locale, else nb-NO."""
    from flask import has_request_context

    if has_request_context():
        from flask_babel import get_locale

        locale = get_locale()
        if locale is not None and locale.language == "en":
            return "en"
    return "nb-NO"


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles shared by all reports."""
    fonts = register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=12.5,
        alignment=TA_LEFT,
        spaceAfter=3,
        bulletFontName=fonts.regular,
    )
    # Table cells are narrow: long Norwegian words there break at a syllable, with a hyphen.
    hyphenated = {"hyphenationLang": HYPHENATION_LANG, "embeddedHyphenation": 1}
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=TEXT_GREY),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=fonts.bold,
            fontSize=13,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            textColor=HEADER_BLUE,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=fonts.bold,
            fontSize=11,
            leading=14,
            spaceBefore=7,
            spaceAfter=3,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0, **hyphenated),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=fonts.bold,
            fontSize=8.5,
            leading=10.5,
            textColor=colors.white,
            **hyphenated,
        ),
        "label": ParagraphStyle(
            "label", parent=body, fontName=fonts.bold, fontSize=9, leading=11.5, spaceAfter=0, **hyphenated
        ),
        "value": ParagraphStyle("value", parent=body, fontSize=9, leading=11.5, spaceAfter=0, **hyphenated),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        # The border is drawn borderPadding outside the text: the indents keep it inside the margins.
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            leftIndent=4,
            rightIndent=4,
            fontName=fonts.bold,
            fontSize=9.5,
            leading=12.5,
            textColor=EXERCISE_RED,
            borderColor=EXERCISE_RED,
            borderWidth=0.8,
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=8,
        ),
    }


def page_size(meta: ReportMeta) -> tuple[float, float]:
    """Return the page size (A4, portrait or landscape) of a report."""
    return landscape(A4) if meta.landscape else A4


def content_width(landscape_page: bool = False) -> float:
    """Return the width available to flowables on a page."""
    width = landscape(A4)[0] if landscape_page else A4[0]
    return width - 2 * MARGIN_X


def header_height(meta: ReportMeta) -> float:
    """Return the height of the page header, down to where the content starts."""
    return _header_rule_depth(meta) + HEADER_GAP


def _header_rule_depth(meta: ReportMeta) -> float:
    # Distance from the top edge to the rule under the header; `_decorate_page` draws to the same layout.
    depth = (BANNER_HEIGHT if meta.exercise else 0) + (18 * mm if meta.subtitle else 14 * mm)
    if meta.classification:
        depth += 5 * mm
    return depth


def render_pdf(meta: ReportMeta, story: list[Flowable]) -> bytes:
    """Lay out `story` on decorated A4 pages and return the PDF bytes."""
    register_fonts()
    width, height = page_size(meta)
    buffer = io.BytesIO()
    title = f"{EXERCISE_LABEL} – {meta.title}" if meta.exercise else meta.title
    document = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=header_height(meta),
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        subject=meta.subtitle or "",
        author=meta.author,
        creator="Beredskap",
        lang=pdf_language(),
        # The initial font goes into every page's resources: DejaVu, so no unembedded Helvetica is listed.
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - header_height(meta) - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    generated = format_datetime(meta.generated_at or datetime.now(UTC))
    document.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=lambda canvas, doc: _decorate_page(canvas, doc, meta))]
    )
    try:
        document.build(story or [Spacer(1, 1)], canvasmaker=_numbered_canvas_class(meta, generated))
    finally:
        # The width cache holds words of the report (names, log text): keep them no longer than needed.
        _text_width.cache_clear()
    return buffer.getvalue()


def _decorate_page(canvas: Canvas, document: BaseDocTemplate, meta: ReportMeta) -> None:
    """Draw banner, header and footer text when a page begins."""
    fonts = register_fonts()
    width, height = document.pagesize
    canvas.saveState()

    top = height
    if meta.exercise:
        banner = BANNER_HEIGHT
        canvas.setFillColor(EXERCISE_RED)
        canvas.rect(0, height - banner, width, banner, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(fonts.bold, 12)
        canvas.drawCentredString(width / 2, height - banner + 3 * mm, "   ".join([EXERCISE_LABEL] * 3))
        top = height - banner

    right_edge = width - MARGIN_X
    label_space = 0.0
    if meta.draft:
        canvas.setFont(fonts.bold, 10)
        label_width = canvas.stringWidth(DRAFT_LABEL, fonts.bold, 10) + 6 * mm
        canvas.setStrokeColor(colors.black)
        canvas.setFillColor(colors.white)
        canvas.rect(right_edge - label_width, top - 12.5 * mm, label_width, 7 * mm, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(right_edge - label_width / 2, top - 10.3 * mm, DRAFT_LABEL)
        label_space = label_width + 4 * mm

    text_width = width - 2 * MARGIN_X - label_space
    canvas.setFillColor(HEADER_BLUE)
    canvas.setFont(fonts.bold, 13)
    canvas.drawString(MARGIN_X, top - 10 * mm, _fit(meta.title, fonts.bold, 13, text_width))
    if meta.subtitle:
        canvas.setFillColor(TEXT_GREY)
        canvas.setFont(fonts.regular, 9)
        canvas.drawString(MARGIN_X, top - 15 * mm, _fit(meta.subtitle, fonts.regular, 9, text_width))
    line_y = height - _header_rule_depth(meta)
    if meta.classification:
        canvas.setFillColor(EXERCISE_RED)
        canvas.setFont(fonts.bold, 8.5)
        canvas.drawString(MARGIN_X, line_y + 1.5 * mm, _fit(meta.classification, fonts.bold, 8.5, width - 2 * MARGIN_X))
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, line_y, width - MARGIN_X, line_y)

    canvas.line(MARGIN_X, 14 * mm, width - MARGIN_X, 14 * mm)
    if meta.classification:
        canvas.setFillColor(EXERCISE_RED)
        canvas.setFont(fonts.bold, 7.5)
        canvas.drawCentredString(width / 2, 6 * mm, _fit(meta.classification, fonts.bold, 7.5, width - 80 * mm))
    if meta.exercise:
        canvas.setFillColor(EXERCISE_RED)
        canvas.setFont(fonts.bold, 9)
        canvas.drawCentredString(width / 2, 10 * mm, EXERCISE_LABEL)
    canvas.restoreState()


def _numbered_canvas_class(meta: ReportMeta, generated: str) -> type[Canvas]:
    """Return a canvas class that finishes each page once the total page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            # Hold the page back until save(), when "Side X av Y" can be written.
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                _finish_page(self, meta, generated, total)
                super().showPage()
            # Page streams compressed only, not also ASCII85-encoded (reportlab's default, which makes them
            # a quarter larger and encodes in pure Python); reportlab reads the setting while writing.
            with _A85_LOCK:
                a85 = rl_config.useA85
                rl_config.useA85 = 0
                try:
                    super().save()
                finally:
                    rl_config.useA85 = a85

    return NumberedCanvas


def _finish_page(canvas: Canvas, meta: ReportMeta, generated: str, total: int) -> None:
    """Draw page number and watermarks over the finished page."""
    fonts = register_fonts()
    width, height = page_size(meta)
    canvas.saveState()
    canvas.setFillColor(TEXT_GREY)
    canvas.setFont(fonts.regular, 8)
    canvas.drawString(MARGIN_X, 10 * mm, f"Generert {generated}")
    canvas.drawRightString(width - MARGIN_X, 10 * mm, f"Side {canvas.getPageNumber()} av {total}")

    # On top of the content (translucent), so table backgrounds cannot hide them.
    watermarks = []
    if meta.exercise:
        watermarks.append((EXERCISE_LABEL, EXERCISE_RED))
    if meta.draft:
        watermarks.append((DRAFT_LABEL, colors.HexColor("#6b7280")))
    for index, (label, colour) in enumerate(watermarks):
        canvas.saveState()
        canvas.setFillColor(colour)
        canvas.setFillAlpha(0.12)
        offset = (index - (len(watermarks) - 1) / 2) * 150
        canvas.translate(width / 2, height / 2 - offset)
        canvas.rotate(45)
        canvas.setFont(fonts.bold, 110 if len(watermarks) == 1 else 90)
        canvas.drawCentredString(0, -35, label)
        canvas.restoreState()
    canvas.restoreState()


def _fit(text: str, font: str, size: float, max_width: float) -> str:
    """Shorten `text` at a word boundary with an ellipsis so it fits on one line of the header.

    Only a single word too long for the line is cut inside the word.
    """
    if pdfmetrics.stringWidth(text, font, size) <= max_width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" –-:,;·") + " …"
        if pdfmetrics.stringWidth(candidate, font, size) <= max_width:
            return candidate
    while text and pdfmetrics.stringWidth(text + "…", font, size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- formatting -----------------------------------------------------------------------------------------


def markup(value: Any) -> str:
    """Return `value` as Paragraph markup: escaped, newlines kept, empty as a dash."""
    if value is None or value == "":
        return EMPTY_VALUE
    return escape(str(value)).replace("\n", "<br/>")


def to_datetime(value: Any) -> datetime | None:
    """Return a datetime from a datetime or ISO 8601 string (naive values are taken as UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raise ValueError(f"ugyldig tidspunkt: {value!r}")


def to_date(value: Any) -> date | None:
    """Return a date from a date, datetime (in Oslo) or ISO 8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(OSLO).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10]) if len(value) <= 10 else to_date(datetime.fromisoformat(value))
    raise ValueError(f"ugyldig dato: {value!r}")


def format_datetime(value: Any, *, with_year: bool = True) -> str:
    """Return `value` as Norwegian local time in Oslo, "24.04.2026 kl. 09:30"; a plain date without time."""
    if value is None or value == "":
        return EMPTY_VALUE
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    moment = to_datetime(value)
    assert moment is not None
    local = moment.astimezone(OSLO)
    return local.strftime("%d.%m.%Y kl. %H:%M" if with_year else "%d.%m. %H:%M")


def format_date(value: Any) -> str:
    """Return `value` as a Norwegian date, "24.04.2026"."""
    day = to_date(value)
    return day.strftime("%d.%m.%Y") if day else EMPTY_VALUE


def format_number(value: Any, decimals: int | None = None) -> str:
    """Return a number the Norwegian way: decimal comma, spaces as thousands separator from five digits."""
    if value is None or value == "":
        return EMPTY_VALUE
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    # Språkrådet: four-digit numbers are written without a space (2026, 1000).
    text = f"{value:,.{decimals}f}" if abs(value) >= 10_000 else f"{value:.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


# --- flowables ------------------------------------------------------------------------------------------


def section_heading(text: str, level: int = 1) -> list[Flowable]:
    """Return a heading (level 1 or 2), preceded by a page break when too little room is left under it.

    A conditional break rather than keepWithNext: keepWithNext would glue the heading to a long table and
    push the whole table to the next page.
    """
    style = styles()["h1" if level <= 1 else "h2"]
    return [CondPageBreak(HEADING_ROOM[1 if level <= 1 else 2]), Paragraph(markup(text), style)]


def paragraph(text: Any, style: str = "body") -> Paragraph:
    """Return a paragraph of plain text (escaped; newlines become line breaks)."""
    return Paragraph(markup(text), styles()[style])


def text_block(value: Any, *, empty: str = "Ingen opplysninger.") -> list[Flowable]:
    """Return paragraphs for free text (blank lines split paragraphs) or bullets for a list of strings."""
    if value is None or value == "" or value == []:
        return [Paragraph(markup(empty), styles()["small"])]
    if isinstance(value, list | tuple):
        return bullet_list(value)
    parts = [part.strip() for part in str(value).split("\n\n") if part.strip()]
    return [paragraph(part) for part in parts]


def bullet_list(items: Iterable[Any]) -> list[Flowable]:
    """Return one bullet paragraph per item (plain text, or markup wrapped by `rich()`)."""
    style = styles()["bullet"]
    return [Paragraph(item.text if isinstance(item, Rich) else markup(item), style, bulletText="•") for item in items]


def notice(text: str) -> Paragraph:
    """Return a framed red notice, for confidentiality and exercise remarks."""
    return Paragraph(markup(text), styles()["notice"])


def key_value_block(
    rows: Sequence[tuple[str, Any]], *, width: float | None = None, label_fraction: float = 0.28
) -> Table:
    """Return a two-column label/value table; values may be text or flowables."""
    total = width or content_width()
    label_style, value_style = styles()["label"], styles()["value"]
    cells = [[Paragraph(markup(label), label_style), _cell(value, value_style)] for label, value in rows]
    table = Table(cells, colWidths=[total * label_fraction, total * (1 - label_fraction)], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                # Table sets each cell's font even for paragraph cells; its default would be Helvetica.
                ("FONT", (0, 0), (-1, -1), value_style.fontName, value_style.fontSize, value_style.leading),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_GREY),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE_GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def data_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    col_widths: Sequence[float] | None = None,
    width: float | None = None,
    zebra: bool = True,
    empty: str = "Ingen.",
    extra_styles: Sequence[tuple[Any, ...]] = (),
) -> Flowable:
    """Return a table whose header row repeats on every page; `col_widths` are fractions of the width.

    Cells may be text (escaped and wrapped), numbers, or ready flowables/markup from `rich()`.
    """
    body = [list(row) for row in rows]
    if not body:
        return Paragraph(markup(empty), styles()["small"])
    total = width or content_width()
    fractions = col_widths or [1 / len(header)] * len(header)
    widths = [total * share for share in fractions]
    head_style, cell_style = styles()["cell_head"], styles()["cell"]
    # Plain text goes in as a plain string when it fits on one line, else as a TextCell: a Paragraph per
    # cell (markup parsing and line breaking) dominated the time of long tables (a sitrep with 1,000 log
    # lines). Ready markup from `rich()` and flowables still become Paragraphs / stay as they are.
    fits = [width - 2 * CELL_PADDING for width in widths]
    cells: list[list[Any]] = [[Paragraph(markup(title), head_style) for title in header]]
    for row in body:
        cells.append([_fitting_cell(value, cell_style, limit) for value, limit in zip(row, fits, strict=True)])
    table = TextTable(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        # The whole table, header row included: Table's default font would be Helvetica.
        ("FONT", (0, 0), (-1, -1), cell_style.fontName, cell_style.fontSize, cell_style.leading),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BLUE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE_GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_GREY]))
    commands.extend(extra_styles)
    table.setStyle(TableStyle(commands))
    return table


class CellParagraph(Paragraph):
    """A Paragraph that keeps its line breaks when wrapped again at the same width.

    A table wraps each cell when measuring, again for every page split and again when drawing; line
    breaking is the bulk of the time for long tables, and its result depends on the width only.
    """

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_width == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size


class TextCell(Flowable):
    """Plain text wrapped at word boundaries, drawn as one text object; for long tables of plain text.

    Reads like a Paragraph of escaped text in the same style (same line breaks at spaces, long words split,
    newlines kept, first baseline one font size below the top) but skips markup parsing and reportlab's
    general line breaking, which dominate the time of a sitrep with 1,000 log lines. The text is drawn
    as is: nothing in it is interpreted as markup, so it needs no escaping.
    """

    def __init__(
        self, text: str, style: ParagraphStyle, *, lines: list[str] | None = None, width: float | None = None
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines = lines
        self._wrapped_width = width if lines is not None else None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._lines is None or self._wrapped_width != availWidth:
            self._lines = wrap_text(self.text, self.style.fontName, self.style.fontSize, availWidth)
            self._wrapped_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def lines(self) -> list[str]:
        """Return the lines as last wrapped."""
        return list(self._lines or [])

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        # Drawn straight at (x, y): one text object in its own graphics state, no translation needed.
        style = self.style
        text = canvas.beginText(x, y + self.height - style.fontSize)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.setFillColor(style.textColor)
        for line in self._lines or []:
            text.textLine(line)
        canvas.saveState()
        canvas.drawText(text)
        canvas.restoreState()

    def draw(self) -> None:
        self.drawOn(self.canv, 0, 0)


class TextTable(Table):
    """A Table that writes its plain-text cells into one text object per drawn part instead of one per cell.

    Layout, splitting and everything else is reportlab's Table; only the drawing of left-aligned,
    top-aligned string and TextCell cells differs: reportlab starts a text object (with font and origin)
    for every line of every cell, which is a large share of drawing a long table. The text goes on after
    backgrounds, lines and other cells, at the very positions Table would draw it.
    """

    _shared_text: Any = None
    _text_style: tuple[Any, ...] | None = None
    # As LongTable: measure rows only until a page is full, not the whole remaining table on every page.
    _longTableOptimize = 1

    def draw(self) -> None:
        self._shared_text = self.canv.beginText()
        self._text_style = None
        try:
            super().draw()
            # Table.draw has restored its graphics state; draw in our own, in the same coordinates.
            self.canv.saveState()
            self.canv.drawText(self._shared_text)
            self.canv.restoreState()
        finally:
            self._shared_text = None

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        text = self._shared_text
        if (
            text is None
            or cellstyle.alignment != "LEFT"
            or cellstyle.valign != "TOP"
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.href
            or cellstyle.destination
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if isinstance(cellval, str):
            lines = cellval.split("\n")
            font, size_pt, leading, colour = (
                cellstyle.fontname,
                cellstyle.fontsize,
                cellstyle.leading,
                cellstyle.color,
            )
        elif isinstance(cellval, TextCell | tuple | list) and _single_text_cell(cellval):
            # Table keeps flowable cells as a tuple of flowables.
            cell = cellval if isinstance(cellval, TextCell) else cellval[0]
            lines = cell.lines()
            style = cell.style
            font, size_pt, leading, colour = style.fontName, style.fontSize, style.leading, style.textColor
        else:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        current = self._text_style
        if current is None or current[:3] != (font, size_pt, leading):
            text.setFont(font, size_pt, leading)
        if current is None or current[3] != colour:
            text.setFillColor(colour)
        self._text_style = (font, size_pt, leading, colour)
        colpos, rowpos = pos
        rowheight = size[1]
        # As Table (strings) and Paragraph/TextCell (flowables) place it: first baseline one font size
        # below the top padding.
        text.setTextOrigin(colpos + cellstyle.leftPadding, rowpos + rowheight - cellstyle.topPadding - size_pt)
        for line in lines:
            text.textLine(line)


def _single_text_cell(value: Any) -> bool:
    return isinstance(value, TextCell) or (len(value) == 1 and isinstance(value[0], TextCell))


# Break only at ordinary white space, as Paragraph does: a no-break space keeps its words together.
_BREAKS = re.compile(r"[ \t\r\f\v]+")


@lru_cache(maxsize=65536)
def _text_width(text: str, font: str, size: float) -> float:
    # Words and short cell values repeat a lot in a long table; reportlab measures glyph by glyph in Python.
    return pdfmetrics.stringWidth(text, font, size)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Return `text` broken into lines no wider than `width` (at spaces; words too long are split).

    Runs of white space become one space and newlines start a new line, as in a Paragraph of `markup(text)`.
    """
    space = _text_width(" ", font, size)
    limit = width + 1e-6
    lines: list[str] = []
    for raw in text.split("\n"):
        line: list[str] = []
        line_width = 0.0
        for word in _BREAKS.split(raw):
            if not word:
                continue
            word_width = _text_width(word, font, size)
            if line and line_width + space + word_width <= limit:
                line.append(word)
                line_width += space + word_width
                continue
            if line:
                lines.append(" ".join(line))
            if word_width > limit:
                *pieces, word = _split_word(word, font, size, limit)
                lines.extend(pieces)
                word_width = _text_width(word, font, size)
            line, line_width = [word], word_width
        lines.append(" ".join(line))
    return lines


@cache
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang=HYPHENATION_LANG)


def _split_word(word: str, font: str, size: float, limit: float) -> list[str]:
    """Return a word too wide for a line as pieces that fit: at Norwegian syllable breaks with a hyphen
    ("beredskaps-" / "koordinator"), after a hyphen in the word, and only where neither fits, between letters."""
    pieces: list[str] = []
    rest = word
    syllables = not _NOT_A_WORD.search(word)
    while _text_width(rest, font, size) > limit:
        head = _hyphenated_head(rest, font, size, limit, syllables=syllables)
        if head is None:
            break
        shown, used = head
        pieces.append(shown)
        rest = rest[used:]
    return pieces + _split_letters(rest, font, size, limit)


# A "word" with these is an address, number or code (https://…, a.b@c.no, 4610): it never gets a hyphen added.
_NOT_A_WORD = re.compile(r"[:.@\d_]")
_LETTERS = re.compile(r"[^\W\d_]+")


def _hyphenated_head(word: str, font: str, size: float, limit: float, *, syllables: bool) -> tuple[str, int] | None:
    """The longest start of `word` that fits with its hyphen, as (text shown, characters of `word` used).

    Breaks after a hyphen or slash in the word as it is, or at a Norwegian syllable break with a hyphen added.
    """
    candidates = [(word[: index + 1], index + 1) for index, char in enumerate(word[:-1]) if char in "-/"]
    if syllables:
        for run in _LETTERS.finditer(word):
            for head, _ in _hyphenator().iterate(run.group()):
                used = run.start() + len(head)
                candidates.append((word[:used] + "-", used))
    for shown, used in sorted(candidates, key=lambda candidate: -candidate[1]):
        if _text_width(shown, font, size) <= limit:
            return shown, used
    return None


def _split_letters(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    piece_width = 0.0
    for index, char in enumerate(word):
        char_width = _text_width(char, font, size)
        if index > start and piece_width + char_width > limit:
            pieces.append(word[start:index])
            start, piece_width = index, 0.0
        piece_width += char_width
    pieces.append(word[start:])
    return pieces


@dataclass(frozen=True)
class Rich:
    """Cell or value content that is already Paragraph markup (built with `markup()` for the text parts)."""

    text: str


def rich(text: str) -> Rich:
    """Mark `text` as ready markup so tables do not escape it again."""
    return Rich(text)


def _fitting_cell(value: Any, style: ParagraphStyle, limit: float) -> Flowable | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = format_number(value)
    elif value is None or value == "":
        value = EMPTY_VALUE
    if isinstance(value, str):
        lines = wrap_text(value, style.fontName, style.fontSize, limit)
        if len(lines) == 1:
            return lines[0]
        return TextCell(value, style, lines=lines, width=limit)
    return _cell(value, style)


def _cell(value: Any, style: ParagraphStyle) -> Flowable | str:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, Rich):
        return CellParagraph(value.text, style)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return CellParagraph(format_number(value), style)
    return CellParagraph(markup(value), style)


class ScaledDrawing(Flowable):
    """A drawing (e.g. a map) scaled down to fit the frame, without changing the caller's object."""

    def __init__(self, drawing: Flowable, max_width: float, max_height: float) -> None:
        super().__init__()
        self.drawing = drawing
        natural_width, natural_height = drawing.wrap(max_width, max_height)
        self.scale = min(1.0, max_width / natural_width, max_height / natural_height)
        self.width = natural_width * self.scale
        self.height = natural_height * self.scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # noqa: D102
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        self.drawing.drawOn(self.canv, 0, 0)
        self.canv.restoreState()


def figure(drawing: Flowable, caption: str | None = None, *, landscape_page: bool = False) -> Flowable:
    """Return a drawing scaled to the page width (at most half a page high) with an optional caption."""
    parts: list[Flowable] = [ScaledDrawing(drawing, content_width(landscape_page), 120 * mm)]
    if caption:
        parts.append(Paragraph(markup(caption), styles()["small"]))
    parts.append(Spacer(1, 4))
    return KeepTogether(parts)
