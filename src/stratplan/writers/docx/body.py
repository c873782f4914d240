"""The document body: IR paragraphs and tables to w:p / w:tbl elements.

One pass over the blocks, building lxml elements directly. Along the way it numbers the
footnotes (1..n in order of first reference) and the comments (in document order, from
`first_comment_id`), which
`parts` then writes into their own parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

from stratplan import ir

from .keys import FIRST_BOOKMARK_ID, bookmark_name
from .numbering import NUM_IDS
from .revisions import Revisions, paragraph_mark_props
from .runs import COMMENT_REFERENCE_STYLE, append_runs, run_element
from .styles import HANGING, PARAGRAPH_STYLES, TEXT_WIDTH
from .xml import el, iso_date, sub, w3c_datetime

HEADER_FILL = "D9D9D9"
_ALIGN = {"left": "left", "center": "center", "right": "right"}
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
MAX_LIST_LEVEL = 8


class BodyWriter:
    def __init__(self, doc: ir.Document, revisions: Revisions, first_comment_id: int = 0) -> None:
        self._first_comment_id = first_comment_id
        self._defined = {f.id: f for f in doc.footnotes}
        self._numbers: dict[str, int] = {}
        self._reference_changes: dict[str, set[ir.Change]] = {}
        self._revisions = revisions
        self._row_author: str | None = None
        self._row_date: str | None = None
        self.footnotes: list[ir.Footnote] = []  # referenced ones, in order of first reference
        self.comments: list[tuple[int, ir.Comment]] = []
        self.keys: dict[str, str] = {}  # bookmark name -> the IR key it carries (`keys`)
        self._names: set[str] = set()

    # -- footnotes -----------------------------------------------------------------------

    def _footnote_number(self, key: str) -> int:
        number = self._numbers.get(key)
        if number is None:
            footnote = self._defined.get(key)
            if footnote is None:
                raise ValueError(f"a run refers to footnote {key!r}, which is not defined")
            self.footnotes.append(footnote)
            number = self._numbers[key] = len(self.footnotes)
        return number

    def footnote_change(self, key: str) -> ir.Change:
        """A footnote whose every reference is inserted (deleted) is itself inserted
        (deleted), as Word writes it."""
        changes = self._reference_changes.get(key, set())
        return next(iter(changes)) if len(changes) == 1 else None

    def footnote_number(self, key: str) -> int:
        return self._numbers[key]

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[ir.Block]) -> Iterator[etree._Element]:
        """The body's elements one by one, so the caller can serialize and drop each in turn;
        footnotes and comments are complete once the iterator is exhausted."""
        after_table = False
        for block in blocks:
            if isinstance(block, ir.Paragraph):
                yield self.paragraph(block)
                after_table = False
            else:
                if after_table:  # Word would merge two adjacent tables into one
                    yield el("p")
                yield self.table(block)
                after_table = True
        if after_table:  # a table may not end the body
            yield el("p")

    def paragraph(self, para: ir.Paragraph, outer_change: ir.Change = None) -> etree._Element:
        style_id = PARAGRAPH_STYLES.get(para.style)
        if style_id is None:
            raise ValueError(f"paragraph {para.key!r}: unknown style {para.style!r}")
        change = outer_change or para.change
        self._revisions.use_author(
            para.author or self._row_author, _when(para.date or self._row_date)
        )
        p = el("p")
        ppr = sub(p, "pPr")
        if style_id != "Normal":
            sub(ppr, "pStyle", {"val": style_id})
        if para.page_break_before:
            sub(ppr, "pageBreakBefore")
        level = min(max(para.level, 0), MAX_LIST_LEVEL)
        if para.list_kind is not None:
            num_pr = sub(ppr, "numPr")
            sub(num_pr, "ilvl", {"val": str(level)})
            sub(num_pr, "numId", {"val": NUM_IDS[para.list_kind]})
        elif level:
            sub(ppr, "ind", {"left": str(HANGING * (level + 1)), "hanging": str(HANGING)})
        if para.align is not None:
            sub(ppr, "jc", {"val": _ALIGN[para.align]})
        if change is not None:
            self._revisions.mark(paragraph_mark_props(ppr), change)
        if not len(ppr):
            p.remove(ppr)
        bookmark = self._bookmark(p, para)

        comment_ids = []
        for comment in para.comments:
            comment_id = self._first_comment_id + len(self.comments)
            self.comments.append((comment_id, comment))
            comment_ids.append(comment_id)
            sub(p, "commentRangeStart", {"id": str(comment_id)})

        items: list[tuple[etree._Element, ir.Change]] = []
        if para.number:
            items.append((run_element(ir.Run(para.number + "\t")), change))
        for run in para.runs:
            run_change = change or run.change
            if run.footnote is not None:
                self._footnote_number(run.footnote)
                self._reference_changes.setdefault(run.footnote, set()).add(run_change)
            items.append((run_element(run, self._footnote_number), run_change))
        append_runs(p, items, self._revisions)

        for comment_id in comment_ids:
            sub(p, "commentRangeEnd", {"id": str(comment_id)})
            ref = el("r")
            sub(sub(ref, "rPr"), "rStyle", {"val": COMMENT_REFERENCE_STYLE})
            sub(ref, "commentReference", {"id": str(comment_id)})
            append_runs(p, [(ref, change)], self._revisions)
        if bookmark is not None:
            sub(p, "bookmarkEnd", {"id": bookmark})
        return p

    def _bookmark(self, p: etree._Element, para: ir.Paragraph) -> str | None:
        """Open the bookmark that carries the paragraph's key; returns its id. Not on an empty
        paragraph (nothing there to review), nor on a deleted one: accepting the deletion would
        leave its bookmark in the next paragraph, which would then carry two keys."""
        if not para.key or not (para.number or para.runs) or para.change == "del":
            return None
        name = bookmark_name(para.key, self._names)
        self._names.add(name)
        self.keys[name] = para.key
        bookmark_id = str(FIRST_BOOKMARK_ID + len(self.keys))
        sub(p, "bookmarkStart", {"id": bookmark_id, "name": name})
        return bookmark_id

    def table(self, table: ir.Table) -> etree._Element:
        columns = max((sum(max(c.span, 1) for c in row.cells) for row in table.rows), default=1)
        grid = column_widths(table.widths, max(columns, 1), TEXT_WIDTH)
        tbl = el("tbl")
        tbl_pr = sub(tbl, "tblPr")
        if table.borders:
            sub(tbl_pr, "tblStyle", {"val": "TableGrid"})
        sub(tbl_pr, "tblW", {"w": str(sum(grid)), "type": "dxa"})
        if not table.borders:
            borders = sub(tbl_pr, "tblBorders")
            for side in _BORDER_SIDES:
                sub(borders, side, {"val": "nil"})
        sub(tbl_pr, "tblLayout", {"type": "fixed"})
        sub(tbl_pr, "tblLook", {"val": "04A0"})
        tbl_grid = sub(tbl, "tblGrid")
        for width in grid:
            sub(tbl_grid, "gridCol", {"w": str(width)})
        for row in table.rows:
            tbl.append(self.row(row, grid, shade_header=table.borders))
        return tbl

    def row(self, row: ir.Row, grid: list[int], shade_header: bool) -> etree._Element:
        tr = el("tr")
        self._row_author = row.author
        self._row_date = row.date
        self._revisions.use_author(row.author, _when(row.date))
        if row.header or row.change is not None:
            tr_pr = sub(tr, "trPr")
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
            if cell.shaded or (row.header and shade_header):
                sub(tc_pr, "shd", {"val": "clear", "color": "auto", "fill": HEADER_FILL})
            blocks = cell.blocks or (ir.Paragraph(key=f"{row.key}#empty", style="table-text"),)
            for para in blocks:
                tc.append(self.paragraph(para, row.change))
        self._row_author = None
        self._row_date = None
        return tr


def _when(date: str | None) -> str | None:
    """An IR date (YYYY-MM-DD) as the W3C date-time revisions carry."""
    return w3c_datetime(iso_date(date, "revision date")) if date else None


def column_widths(widths: tuple[int, ...], columns: int, total: int) -> list[int]:
    """Relative widths to twips over `total`; equal columns when the widths don't fit."""
    weights = list(widths) if len(widths) == columns and all(x > 0 for x in widths) else []
    if not weights:
        weights = [1] * columns
    scale = sum(weights)
    out = [total * weight // scale for weight in weights]
    out[-1] += total - sum(out)
    return out
