"""Table column widths that hold their content: no word broken inside ("infrastructur e"), no
figure wrapped ("101,14" / "%").

The template gives relative widths; a column too narrow for the longest unbreakable piece of
its text (a word, a figure with its thousands spaces and its %, a "telecommunication/ICT")
is widened to fit (up to 40% of the line), taking the room from the columns that have some to
spare, in proportion.
Text is measured by an estimate per character class at the paragraph's font size, sized for
the widest serif a reader may substitute (DejaVu Serif, which LibreOffice uses where Times New
Roman is missing), so the columns also fit in Word's Times New Roman. When even the minimum
widths do not fit the page, the table gets narrow cell margins, and then the minimums shrink
in proportion (a word may break then: nothing else would fit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from stratplan import ir

CELL_MARGIN = 85  # twips on each side of a cell's text, as the Table Grid style sets them
NARROW_MARGIN = 40  # when the columns would not fit with the usual margins
_SLACK = 1.04  # a little room for rounding and for kerning that the estimate does not know
# No column is widened beyond this share of the line for one piece: a longer piece
# ("events/participants/countries/contributions") breaks wherever the column ends.
MAX_SHARE = 0.4

# Widths in em (DejaVu Serif, rounded up); bold text is about a tenth wider.
_DIGIT, _LOWER, _UPPER, _OTHER = 0.64, 0.6, 0.76, 0.62
_NARROW = {" ": 0.32, ",": 0.32, ".": 0.32, ":": 0.34, ";": 0.34, "'": 0.28, "’": 0.32,
           "(": 0.39, ")": 0.39, "[": 0.39, "]": 0.39, "-": 0.34, "/": 0.34, "i": 0.32,
           "l": 0.32, "j": 0.32, "t": 0.4, "f": 0.4, "r": 0.48, "I": 0.47, "%": 0.95,
           "m": 0.95, "w": 0.86, "M": 1.03, "W": 1.03, "–": 0.5, "—": 1.0}

# Where a line may break: after white space, except inside a figure ("3 343", "-1 000"),
# and after a hyphen or a dash; not at a slash ("telecommunication/ICT" is one piece: LibreOffice
# breaks inside a word sooner than after a slash).
_FIGURE = re.compile(r"[-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+(?:[.,]\d+)?%?")
_PIECE = re.compile(r"[^\s\-–—]+[\-–—]?|[\-–—]")


def char_width(char: str) -> float:
    if char in _NARROW:
        return _NARROW[char]
    if char.isdigit():
        return _DIGIT
    if char.islower():
        return _LOWER
    if char.isupper():
        return _UPPER
    return _OTHER


def text_width(text: str, half_points: int, bold: bool = False) -> int:
    """The width of `text` in twips at `half_points` (Word's w:sz)."""
    em = sum(char_width(c) for c in text) * (1.1 if bold else 1.0)
    return round(em * half_points * 10)  # 1 pt = 20 twips, half_points / 2 pt = 1 em


def pieces(text: str) -> list[str]:
    """The pieces of `text` no line break falls inside."""
    out: list[str] = []
    last = 0
    for figure in _FIGURE.finditer(text):
        out += _PIECE.findall(text[last : figure.start()])
        out.append(figure.group())
        last = figure.end()
    return out + _PIECE.findall(text[last:])


def paragraph_minimum(paragraph: ir.Paragraph, font: tuple[int, bool], indent: int) -> int:
    """The narrowest text width that holds each piece of the paragraph on one line, at `font`
    (the style's size in half-points and whether it is bold)."""
    half_points, bold = font
    widest = 0
    for run in paragraph.runs:
        if run.footnote is None:
            for piece in pieces(run.text):
                widest = max(widest, text_width(piece, half_points, bold or run.bold))
    return widest + indent


def column_minimums(
    table: ir.Table,
    columns: int,
    font_of: Callable[[ir.Paragraph], tuple[int, bool]],
    indent_of: Callable[[ir.Paragraph], int],
    margin: int,
    total: int,
) -> list[int]:
    """Per grid column, the least width (cell margins included) that its single-column cells
    need (at most MAX_SHARE of `total`); `font_of` gives a paragraph's font (half-points,
    bold), `indent_of` its left indent in twips."""
    minimum = [0] * columns
    for row in table.rows:
        column = 0
        for cell in row.cells:
            span = max(cell.span, 1)
            if span == 1 and column < columns:
                for paragraph in cell.blocks:
                    need = paragraph_minimum(paragraph, font_of(paragraph), indent_of(paragraph))
                    minimum[column] = max(minimum[column], need)
            column += span
    cap = round(MAX_SHARE * total)
    return [min(round(m * _SLACK) + 2 * margin, cap) if m else 0 for m in minimum]


def fit_columns(preferred: Sequence[int], minimum: Sequence[int], total: int) -> list[int]:
    """`preferred` widths (summing to `total`) with every column at least its minimum: the
    room comes from the columns above their minimum, in proportion to what they have to spare.
    When the minimums add up to more than `total`, they are scaled down to it."""
    need = sum(minimum)
    if need > total:
        out = [total * m // need for m in minimum]
        out[-1] += total - sum(out)
        return out
    widths = [max(p, m) for p, m in zip(preferred, minimum, strict=True)]
    excess = sum(widths) - total
    if excess <= 0:
        return list(preferred)
    spare = [max(w - m, 0) for w, m in zip(widths, minimum, strict=True)]
    room = sum(spare)
    cuts = [excess * s // room for s in spare]
    remainder = excess - sum(cuts)
    for i in sorted(range(len(spare)), key=lambda i: -spare[i]):
        if not remainder:
            break
        if spare[i] - cuts[i] > 0:
            cuts[i] += 1
            remainder -= 1
    return [w - c for w, c in zip(widths, cuts, strict=True)]


# Between the widest number of a level and its text: a number never touches its text
# ("2.1.10the emergence") and the texts of a level start at one place.
NUMBER_GAP = 142  # 2.5 mm
CELL_NUMBER_GAP = 85  # 1.5 mm, in the narrow columns of a table


def printed_number(paragraph: ir.Paragraph) -> str:
    """The number as the page shows it before the paragraph's tab: in a redline, a changed
    number's old and new parts side by side ("1.43:" for 1.[-4-]{+3+}:), and the number of a
    paragraph inserted or deleted whole, which the redline writes as its first run, before a
    tab run (stratplan.diff.redline.whole_paragraph)."""
    if paragraph.number_was is not None:
        from .runs import number_change

        return "".join(text for text, _ in number_change(paragraph.number_was, paragraph.number))
    if paragraph.number:
        return paragraph.number
    runs = paragraph.runs
    if (paragraph.change is not None and len(runs) >= 2 and runs[1].text == "\t"
            and runs[0].footnote is None and "\t" not in runs[0].text
            and 0 < len(runs[0].text) <= 12):
        return runs[0].text
    return ""


# Where numbered paragraphs stand: in the body (""), or in a table's column ("table key#2").
NumberLevel = tuple[str, int, str]  # paragraph style, level, place


def number_hangings(
    blocks: Sequence[ir.Block],
    font_of: Callable[[ir.Paragraph], tuple[int, bool]],
    least: int,
) -> dict[NumberLevel, int]:
    """Per paragraph style, level and place (the body, or one column of one table), the
    hanging indent its numbered paragraphs need: the widest number printed there, and a gap;
    in the body at least `least` (the house style's), so short numbers stand as before."""
    widest: dict[NumberLevel, int] = {}

    def measure(paragraph: ir.Paragraph, place: str) -> None:
        number = printed_number(paragraph)
        if number and paragraph.list_kind is None:
            half_points, bold = font_of(paragraph)
            need = text_width(number, half_points, bold)
            level = (paragraph.style, max(paragraph.level, 0), place)
            widest[level] = max(widest.get(level, 0), need)

    for block in blocks:
        if isinstance(block, ir.Paragraph):
            measure(block, "")
        else:
            for row in block.rows:
                column = 0
                for cell in row.cells:
                    for paragraph in cell.blocks:
                        measure(paragraph, cell_place(block, column))
                    column += max(cell.span, 1)
    return {
        level: (round(width * _SLACK) + CELL_NUMBER_GAP if level[2]
                else max(least, round(width * _SLACK) + NUMBER_GAP))
        for level, width in widest.items()
    }


def cell_place(table: ir.Table, column: int) -> str:
    return f"{table.key} column {column}"


# A row estimated at most this tall (twips; a third of an A4 page's text) is kept on one page
# (w:cantSplit): a two-line row of a matrix split across pages reads as two rows. A taller row
# (a whole objective with its outputs, results and indicators) may break: kept whole, it would
# leave most of a page empty.
SHORT_ROW = 4700
_LINE = 1.2  # line height, in multiples of the font size
_SPACING = 80  # twips: the Table Text style's space before and after


def row_height(
    row: ir.Row,
    grid: Sequence[int],
    font_of: Callable[[ir.Paragraph], tuple[int, bool]],
    indent_of: Callable[[ir.Paragraph], int],
    margin: int,
) -> int:
    """An estimate of a row's height in twips: the tallest cell, each paragraph's text wrapped
    at its column's width (the same character widths as the column minimums)."""
    tallest = 0
    column = 0
    for cell in row.cells:
        span = max(cell.span, 1)
        room = max(sum(grid[column : column + span]) - 2 * margin, 1)
        column += span
        height = 0
        for paragraph in cell.blocks:
            half_points, bold = font_of(paragraph)
            text = "".join(r.text for r in paragraph.runs if r.footnote is None)
            width = text_width(paragraph.number + " " + text, half_points, bold)
            lines = max(1, -(-width // max(room - indent_of(paragraph), 1)))
            height += round(lines * half_points * 10 * _LINE) + _SPACING
        tallest = max(tallest, height)
    return tallest
