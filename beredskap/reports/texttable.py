"""The fast text table: plain-text cells wrapped and hyphenated by hand, drawn as one text object per part.

A sitrep with 1,000 log lines spent most of its time in a Paragraph per cell; these classes read the same
(same line breaks, Norwegian hyphenation, same positions) at a fraction of the cost.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
)

from beredskap.reports.formatting import EMPTY_VALUE, Rich, format_number, markup

HYPHENATION_LANG = "nb_NO"


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
def text_width(text: str, font: str, size: float) -> float:
    # Words and short cell values repeat a lot in a long table; reportlab measures glyph by glyph in Python.
    return pdfmetrics.stringWidth(text, font, size)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Return `text` broken into lines no wider than `width` (at spaces; words too long are split).

    Runs of white space become one space and newlines start a new line, as in a Paragraph of `markup(text)`.
    """
    space = text_width(" ", font, size)
    limit = width + 1e-6
    lines: list[str] = []
    for raw in text.split("\n"):
        line: list[str] = []
        line_width = 0.0
        for word in _BREAKS.split(raw):
            if not word:
                continue
            word_width = text_width(word, font, size)
            if line and line_width + space + word_width <= limit:
                line.append(word)
                line_width += space + word_width
                continue
            if line:
                lines.append(" ".join(line))
            if word_width > limit:
                *pieces, word = _split_word(word, font, size, limit)
                lines.extend(pieces)
                word_width = text_width(word, font, size)
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
    while text_width(rest, font, size) > limit:
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
        if text_width(shown, font, size) <= limit:
            return shown, used
    return None


def _split_letters(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    piece_width = 0.0
    for index, char in enumerate(word):
        char_width = text_width(char, font, size)
        if index > start and piece_width + char_width > limit:
            pieces.append(word[start:index])
            start, piece_width = index, 0.0
        piece_width += char_width
    pieces.append(word[start:])
    return pieces


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
