"""The base document: the render of the base plan, paragraph by paragraph, with each
paragraph's key, its text as a reader sees it, and its place as the document names it.

A place is what a drafter looks for in Word: the section heading and the paragraph's number
("2.5 Targets for the Union's Connect 2030 Agenda, paragraph 14"), or its words where it has no
number; in a table, the table's caption (or the heading it is under) and the row's number or
first words ("A Strategic goals and targets, table row 1.2"). Never an internal key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratplan import ir
from stratplan.diagnostics import shorten

_COLON = re.compile(r":$")


@dataclass(eq=False)
class BaseParagraph:
    """A paragraph of the base plan's document, as the writer puts it in the file."""

    index: int  # in the document's order
    paragraph: ir.Paragraph
    text: str  # number, tab, text; footnote references as [^id]
    place: str
    table: str | None = None  # the table key, row key and cell index, in a table
    row: str | None = None
    cell: int | None = None

    @property
    def key(self) -> str:
        return self.paragraph.key


def paragraph_text(paragraph: ir.Paragraph) -> str:
    """The paragraph as a reader sees it with its own revisions (a tracked alternative's)
    accepted."""
    body = "".join(f"[^{r.footnote}]" if r.footnote else r.text for r in paragraph.runs
                   if r.change != "del")
    return f"{paragraph.number}\t{body}" if paragraph.number else body


def value_spans(paragraph: ir.Paragraph) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where `paragraph_text(paragraph)` prints plan fields' values a template derived
    (start, end, the fields' addresses)."""
    offset = len(paragraph.number) + 1 if paragraph.number else 0
    out = []
    for run in paragraph.runs:
        if run.change == "del":
            continue
        size = len(f"[^{run.footnote}]") if run.footnote else len(run.text)
        if run.shows:
            out.append((offset, offset + size, run.shows))
        offset += size
    return out


def base_paragraphs(document: ir.Document) -> list[BaseParagraph]:
    """The document's paragraphs with content, in the order the writer writes them."""
    out: list[BaseParagraph] = []
    heading = "the front matter"
    caption: str | None = None
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.style.startswith("heading"):
                heading = f"{block.number} {block.text}".strip()
            caption = shorten(block.text, 80) if block.style == "caption" else None
            if block.number or block.runs:
                where = f"paragraph {block.number}" if block.number and block.style == \
                    "numbered" else f"“{shorten(block.text)}”"
                place = heading if block.style.startswith("heading") else f"{heading}, {where}"
                out.append(BaseParagraph(len(out), block, paragraph_text(block), place))
            continue
        table = f"{caption}, row" if caption else f"{heading}, table row"
        caption = None
        body_rows = 0
        for row in block.rows:
            if not row.header:
                body_rows += 1
            label = "header" if row.header else row_label(row, body_rows)
            for c, cell in enumerate(row.cells):
                for paragraph in cell.blocks:
                    if paragraph.number or paragraph.runs:
                        out.append(BaseParagraph(
                            len(out), paragraph, paragraph_text(paragraph),
                            f"{table} {label}",
                            block.key, row.key, c))
    return out


def row_label(row: ir.Row, ordinal: int) -> str:
    """How a reader names a table row: the number of the item it shows ("1.2", "3)"), else
    its first words, else its position among the table's rows."""
    for cell in row.cells:
        for paragraph in cell.blocks:
            number = _COLON.sub("", paragraph.number)  # "1.2:" reads as row 1.2
            if number and any(ch.isalnum() for ch in number):
                return number
    for cell in row.cells:
        for paragraph in cell.blocks:
            if paragraph.text.strip():
                return f"“{shorten(paragraph.text, 40)}”"
    return str(ordinal)
