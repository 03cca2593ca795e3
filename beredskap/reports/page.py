"""Shared page of all PDF reports: A4 page with header, footer, page numbers and ØVELSE/UTKAST marking.

A builder makes a `ReportMeta` and a list of flowables (from flowables.py) and calls `render_pdf`.
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
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

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
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
)

from beredskap.reports.formatting import format_datetime
from beredskap.reports.texttable import HYPHENATION_LANG, text_width

# The registered font names; register_fonts() must have run before they are drawn (render_pdf does it).
FONT = "DejaVuSans"


FONT_BOLD = "DejaVuSans-Bold"


EXERCISE_LABEL = "ØVELSE"


DRAFT_LABEL = "UTKAST"


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
        text_width.cache_clear()
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
