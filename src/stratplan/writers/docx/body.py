"""The document body: IR paragraphs and tables to w:p / w:tbl elements.

One pass over the blocks, building lxml elements directly. Along the way it numbers the
footnotes and the comments (both in document order; comments from `first_comment_id`), which
`parts` then writes into their own parts. Each footnote reference gets a footnote of its own:
Word expects one reference per footnote, and LibreOffice prints another footnote's text under
a second reference to the same one. A plan footnote cited twice is written twice, each copy
on the page of its reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from stratplan import ir, keys

from .bookmarks import FIRST_BOOKMARK_ID, bookmark_name
from .house import BUILT_IN, House
from .layout import (
    CELL_MARGIN,
    NARROW_MARGIN,
    SHORT_ROW,
    cell_place,
    column_minimums,
    fit_columns,
    number_hangings,
    printed_number,
    row_height,
)
from .revisions import MOVED, Revisions, paragraph_mark_props
from .runs import (
    COMMENT_REFERENCE_STYLE,
    FOOTNOTE_REFERENCE_STYLE,
    append_runs,
    mark_language,
    number_change,
    run_element,
)
from .styles import HANGING, PARAGRAPH_STYLES, script_of, style_font
from .xml import el, iso_date, sub, w3c_datetime

HEADER_FILL = "D9D9D9"
_ALIGN = {"left": "left", "center": "center", "right": "right"}
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
# The paragraph properties that come after w:bidi in the schema's order.
_AFTER_BIDI = frozenset({"adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
                         "mirrorIndents", "suppressOverlap", "jc", "textDirection",
                         "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                         "cnfStyle", "rPr", "sectPr", "pPrChange"})
MAX_LIST_LEVEL = 8
CELL_HANGING = HANGING // 2  # the indent of a list level in a table cell


class BodyWriter:
    def __init__(
        self,
        doc: ir.Document,
        revisions: Revisions,
        first_comment_id: int = 0,
        house: House = BUILT_IN,
    ) -> None:
        self._house = house
        # A language edition's: w:lang on every run; right to left for Arabic.
        self.script = script_of(doc.language)
        self._first_comment_id = first_comment_id
        self._defined = {f.id: f for f in doc.footnotes}
        self._revisions = revisions
        self._row_author: str | None = None
        self._row_date: str | None = None
        self._row_change: ir.Revision = None
        self._place = ""  # where the paragraphs being written stand: body, or a table column
        self._table = ir.Table("", ())  # the table being written
        # One per reference, in document order, with the reference's revision: the footnote of
        # an inserted (deleted) reference is itself inserted (deleted), as Word writes it.
        self.footnotes: list[tuple[ir.Footnote, ir.Revision]] = []
        self.comments: list[tuple[int, ir.Comment]] = []
        self.keys: dict[str, str] = {}  # bookmark name -> the IR key it carries (`keys`)
        self._names: set[str] = set()
        # The hanging indent of each level of numbered paragraphs: its widest number and a gap.
        self._hangings = number_hangings(doc.blocks, _font, HANGING)

    # -- footnotes -----------------------------------------------------------------------

    def _footnote(self, key: str, change: str | None) -> int:
        """The number of a new footnote for one reference to `key` (numbers start at 1). The
        footnote of a moved reference is deleted at the old place and inserted at the new."""
        footnote = self._defined.get(key)
        if footnote is None:
            raise ValueError(f"a run refers to footnote {key!r}, which is not defined")
        own: ir.Revision = "del" if change in ("del", "moveFrom") else None
        if change in ("ins", "moveTo"):
            own = "ins"
        self.footnotes.append((footnote, own))
        return len(self.footnotes)

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[ir.Block]) -> Iterator[etree._Element]:
        """The body's elements one by one, so the caller can serialize and drop each in turn;
        footnotes and comments are complete once the iterator is exhausted."""
        after_table = False
        for block in blocks:
            if isinstance(block, ir.Paragraph):
                if block.move and block.change is not None:
                    self._revisions.use_author(block.author)
                    start, end = self._revisions.move_range(block.change, block.move)
                    yield start
                    yield self.paragraph(block)
                    yield end
                else:
                    yield self.paragraph(block)
                after_table = False
            else:
                if after_table:  # Word would merge two adjacent tables into one
                    yield el("p")
                yield self.table(block)
                after_table = True
        if after_table:  # a table may not end the body
            yield el("p")

    def paragraph(
        self,
        para: ir.Paragraph,
        outer_change: ir.Revision = None,
        in_cell: bool = False,
        keyed: bool = True,
    ) -> etree._Element:
        built_in = PARAGRAPH_STYLES.get(para.style)
        if built_in is None:
            raise ValueError(f"paragraph {para.key!r}: unknown style {para.style!r}")
        style_id = self._house.style(built_in)
        change = outer_change or para.change
        self._revisions.use_author(
            para.author or self._row_author, _when(para.date or self._row_date)
        )
        p = el("p")
        ppr = sub(p, "pPr")
        if style_id != self._house.normal:
            sub(ppr, "pStyle", {"val": style_id})
        if para.page_break_before:
            sub(ppr, "pageBreakBefore")
        level = min(max(para.level, 0), MAX_LIST_LEVEL)
        if para.list_kind is not None:
            num_pr = sub(ppr, "numPr")
            sub(num_pr, "ilvl", {"val": str(level)})
            sub(num_pr, "numId", {"val": self._house.num_ids[para.list_kind]})
        if para.list_kind is None and printed_number(para):
            self._number_indent(ppr, para, level, in_cell)
        elif in_cell and (level or para.list_kind is not None):
            # In a table cell a list indents by half as much: a narrow column keeps its words.
            left = str(CELL_HANGING * (level + 1))
            sub(ppr, "ind", {"left": left, "hanging": str(CELL_HANGING)})
        elif level and para.list_kind is None:
            sub(ppr, "ind", {"left": str(HANGING * (level + 1)), "hanging": str(HANGING)})
        if self.script is not None and self.script.rtl and not _untranslated(para):
            # Right to left; but a paragraph left all in English reads left to right, its
            # full stop at its end, not at its start.
            _insert_bidi(ppr)
        if para.align is not None:
            sub(ppr, "jc", {"val": _ALIGN[para.align]})
        # A moved paragraph (one end of a move): its mark and its text without a revision
        # of its own are moved (moveFrom / moveTo), the rest as they are (words it gained).
        moved = MOVED[change] if para.move and change is not None else None
        if change is not None:
            self._revisions.mark(paragraph_mark_props(ppr), moved or change)
        if not len(ppr):
            p.remove(ppr)
        bookmark = self._bookmark(p, para) if keyed else None

        comment_ids = []
        for comment in para.comments:
            comment_id = self._first_comment_id + len(self.comments)
            self.comments.append((comment_id, comment))
            comment_ids.append(comment_id)
            sub(p, "commentRangeStart", {"id": str(comment_id)})

        items: list[tuple[etree._Element, str | None]] = []
        if para.number and para.number_was is not None and change is None:
            for text, piece in number_change(para.number_was, para.number):
                items.append((run_element(ir.Run(text), script=self.script), piece))
            items.append((run_element(ir.Run("\t"), script=self.script), None))
        elif para.number:
            items.append((run_element(ir.Run(para.number + "\t"), script=self.script), change))
        for run in para.runs:
            run_change: str | None = run.change or moved if moved else change or run.change
            number = self._footnote(run.footnote, run_change) if run.footnote is not None else 0
            style = self._house.style(FOOTNOTE_REFERENCE_STYLE)
            items.append((run_element(run, number, style, self.script), run_change))
        append_runs(p, items, self._revisions)

        for comment_id in comment_ids:
            sub(p, "commentRangeEnd", {"id": str(comment_id)})
            ref = el("r")
            ref_pr = sub(ref, "rPr")
            sub(ref_pr, "rStyle", {"val": self._house.style(COMMENT_REFERENCE_STYLE)})
            mark_language(ref_pr, self.script)
            sub(ref, "commentReference", {"id": str(comment_id)})
            append_runs(p, [(ref, change)], self._revisions)
        if bookmark is not None:
            sub(p, "bookmarkEnd", {"id": bookmark})
            if change == "ins":
                _inside_insertions(p)
        return p

    def _number_indent(
        self, ppr: etree._Element, para: ir.Paragraph, level: int, in_cell: bool
    ) -> None:
        """A numbered paragraph's number hangs before its text, in the room its level needs
        (the widest number of the level, `number_hangings`), the text at a tab stop there; a
        deeper level's number starts where the level above puts its text."""
        place = self._place if in_cell else ""

        def hanging(at: int) -> int:
            return self._hangings.get((para.style, at, place), 0 if in_cell else HANGING)

        own = hanging(level)
        left = sum(hanging(at) for at in range(level + 1))
        tabs = sub(ppr, "tabs")
        if not in_cell and own != HANGING:  # the style's stop would catch a short number
            sub(tabs, "tab", {"val": "clear", "pos": str(HANGING)})
        sub(tabs, "tab", {"val": "left", "pos": str(left)})
        sub(ppr, "ind", {"left": str(left), "hanging": str(own)})

    def _bookmark(self, p: etree._Element, para: ir.Paragraph) -> str | None:
        """Open the bookmark that carries the paragraph's key; returns its id. Not on an empty
        paragraph (nothing there to review), nor on a deleted one or one in a deleted row (a
        group label merged down from it): accepting the deletion would leave its bookmark in
        the next paragraph, which would then carry two keys."""
        if not para.key or not (para.number or para.runs) or "del" in (
                para.change, self._row_change):
            return None
        name = bookmark_name(para.key, self._names)
        self._names.add(name)
        self.keys[name] = para.key
        bookmark_id = str(FIRST_BOOKMARK_ID + len(self.keys))
        sub(p, "bookmarkStart", {"id": bookmark_id, "name": name})
        return bookmark_id

    def table(self, table: ir.Table) -> etree._Element:
        columns = max(
            (sum(max(c.span, 1) for c in row.cells) for row in table.rows), default=1
        )
        grid, margin = self._grid(table, max(columns, 1))
        self._table = table
        tbl = el("tbl")
        tbl_pr = sub(tbl, "tblPr")
        if table.borders:
            sub(tbl_pr, "tblStyle", {"val": self._house.style("TableGrid")})
        if self.script is not None and self.script.rtl:
            sub(tbl_pr, "bidiVisual")  # the first column on the right
        sub(tbl_pr, "tblW", {"w": str(sum(grid)), "type": "dxa"})
        if not table.borders:
            borders = sub(tbl_pr, "tblBorders")
            for side in _BORDER_SIDES:
                sub(borders, side, {"val": "nil"})
        sub(tbl_pr, "tblLayout", {"type": "fixed"})
        if margin != CELL_MARGIN:
            margins = sub(tbl_pr, "tblCellMar")
            for side in ("left", "right"):
                sub(margins, side, {"w": str(margin), "type": "dxa"})
        sub(tbl_pr, "tblLook", {"val": "04A0"})
        tbl_grid = sub(tbl, "tblGrid")
        for width in grid:
            sub(tbl_grid, "gridCol", {"w": str(width)})
        merged: dict[int, dict[int, str]] = {}  # row -> column -> restart / continue
        for column, first, last in ir.merge_runs(table.rows):
            merged.setdefault(first, {})[column] = "restart"
            for index in range(first + 1, last + 1):
                merged.setdefault(index, {})[column] = "continue"
        for index, row in enumerate(table.rows):
            vmerge = merged.get(index)
            whole = row_height(row, grid, _font, _indent, margin) <= SHORT_ROW
            if row.move and row.change is not None:
                self._revisions.use_author(row.author)
                start, end = self._revisions.move_range(row.change, row.move)
                tbl.append(start)
                tbl.append(self.row(row, grid, table.borders, vmerge, whole))
                tbl.append(end)
            else:
                tbl.append(self.row(row, grid, table.borders, vmerge, whole))
        return tbl

    def row(
        self,
        row: ir.Row,
        grid: list[int],
        shade_header: bool,
        vmerge: dict[int, str] | None = None,
        whole: bool = False,
    ) -> etree._Element:
        """A table row; `whole`: kept on one page (w:cantSplit), for a short row."""
        tr = el("tr")
        self._row_author = row.author
        self._row_date = row.date
        self._row_change = row.change
        self._revisions.use_author(row.author, _when(row.date))
        if row.header or row.change is not None or whole:
            tr_pr = sub(tr, "trPr")
            if whole:
                sub(tr_pr, "cantSplit")
            if row.header:
                sub(tr_pr, "tblHeader")
            if row.change is not None:
                self._revisions.mark(tr_pr, row.change)
        column = 0
        for cell in row.cells:
            span = max(cell.span, 1)
            tc = sub(tr, "tc")
            tc_pr = sub(tc, "tcPr")
            sub(tc_pr, "tcW", {"w": str(sum(grid[column : column + span])), "type": "dxa"})
            column += span
            if span > 1:
                sub(tc_pr, "gridSpan", {"val": str(span)})
            how = (vmerge or {}).get(column - span)
            if how == "restart":
                sub(tc_pr, "vMerge", {"val": "restart"})
            elif how == "continue":
                sub(tc_pr, "vMerge")
            if cell.shaded or (row.header and shade_header):
                sub(tc_pr, "shd", {"val": "clear", "color": "auto", "fill": HEADER_FILL})
            blocks = cell.blocks or (
                ir.Paragraph(key=keys.empty_cell(row.key), style="table-text"),
            )
            # A group label merged down its rows is the group's: its paragraphs carry their
            # own revisions, not the row's (the first row of a group may be deleted while the
            # group stays).
            outer = None if cell.merge else row.change
            # Nor does it carry a key where its row is inserted or deleted: readers that accept
            # or reject the row (pandoc) keep the label for the group and would keep the
            # bookmark's anchor with it; the label follows the plan anyway.
            keyed = not (cell.merge and row.change)
            self._place = cell_place(self._table, column - span)
            for para in blocks:
                tc.append(self.paragraph(para, outer, in_cell=True, keyed=keyed))
        self._row_author = None
        self._row_date = None
        self._row_change = None
        return tr


    def _grid(self, table: ir.Table, columns: int) -> tuple[list[int], int]:
        """The column widths in twips, each wide enough for its longest word or figure, and
        the cell margin they need (narrower when the usual one leaves too little room)."""
        width = self._house.text_width
        preferred = column_widths(table.widths, columns, width)
        for margin in (CELL_MARGIN, NARROW_MARGIN):
            minimum = column_minimums(table, columns, _font, _indent, margin, width)
            if sum(minimum) <= width:
                break
        return fit_columns(preferred, minimum, width), margin


# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, and Arabic's
# supplements and presentation forms).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _untranslated(para: ir.Paragraph) -> bool:
    """A paragraph of a language edition that holds plan text left in English and no letter
    of a right-to-left script: English (with, at most, names and numbers beside it, as the
    "[CWG-SFP Chair]" before an alternative) reads left to right."""
    worded = [r for r in para.runs if r.footnote is None and r.text.strip()]
    return any(r.lang for r in worded) and not any(_RIGHT_TO_LEFT.search(r.text)
                                                   for r in worded)


def _insert_bidi(ppr: etree._Element) -> None:
    """w:bidi in a paragraph's properties, in the schema's order: a right-to-left paragraph."""
    bidi = el("bidi")
    for index, child in enumerate(ppr):
        if etree.QName(child).localname in _AFTER_BIDI:
            ppr.insert(index, bidi)
            return
    ppr.append(bidi)


def _inside_insertions(p: etree._Element) -> None:
    """An inserted paragraph's bookmark inside its inserted text: rejecting the insertion
    takes the bookmark with it, where one around it would stay, in the next paragraph."""
    tracked = [c for c in p if etree.QName(c).localname in ("ins", "moveTo")]
    start = next(c for c in p if etree.QName(c).localname == "bookmarkStart")
    end = next(c for c in reversed(p) if etree.QName(c).localname == "bookmarkEnd")
    if not tracked:
        return
    tracked[0].insert(0, start)
    tracked[-1].append(end)


def _when(date: str | None) -> str | None:
    """An IR date (YYYY-MM-DD) as the W3C date-time revisions carry."""
    return w3c_datetime(iso_date(date, "revision date")) if date else None


def _font(paragraph: ir.Paragraph) -> tuple[int, bool]:
    return style_font(PARAGRAPH_STYLES.get(paragraph.style, "Normal"))


def _indent(paragraph: ir.Paragraph) -> int:
    """The left indent of a paragraph in a table cell."""
    level = min(max(paragraph.level, 0), MAX_LIST_LEVEL)
    if paragraph.list_kind is not None or level:
        return CELL_HANGING * (level + 1)
    return 0


def column_widths(widths: tuple[int, ...], columns: int, total: int) -> list[int]:
    """Relative widths to twips over `total`; equal columns when the widths don't fit."""
    weights = list(widths) if len(widths) == columns and all(x > 0 for x in widths) else []
    if not weights:
        weights = [1] * columns
    scale = sum(weights)
    out = [total * weight // scale for weight in weights]
    out[-1] += total - sum(out)
    return out
