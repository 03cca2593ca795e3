"""The building blocks of a report: headings, paragraphs, lists, key-value blocks, data tables, figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from beredskap.reports.formatting import Rich, markup
from beredskap.reports.page import CELL_PADDING, HEADER_BLUE, LABEL_GREY, RULE_GREY, ZEBRA_GREY, content_width, styles
from beredskap.reports.texttable import TextTable, _cell, _fitting_cell

# Room a heading needs below it, else it moves to the next page (a level-1 heading is often followed by a
# level-2 heading and a table).
HEADING_ROOM = {1: 36 * mm, 2: 24 * mm}


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
