"""The document IR: plain, frozen data between the templates and the writers (docx, html, md).

The IR knows nothing of plans: it is paragraphs, runs and tables with stable keys. A key made
from a plan id (e.g. "target:broadband-coverage") identifies the same item across cycles; a key
starting with "#" is positional (a prose paragraph) and the redline aligns such blocks by
content. Revisions (`change`) are set only by the redline: "ins" or "del".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Change = Literal["ins", "del"] | None

# Paragraph styles the writers know; the docx writer maps each to a named Word style.
STYLES = (
    "title",  # the plan's title
    "annex",  # "ANNEX 1 TO RESOLUTION 71 (REV. ...)"
    "heading1",
    "heading2",
    "heading3",
    "body",  # plain paragraph
    "numbered",  # a numbered paragraph: `number`, a tab, the text
    "list",  # a list item: `list_kind` bullet/dash (Word numbering) or a text `number` ("1)")
    "alternative",  # alternative wording, "[Source] text" on its own line
    "note",  # smaller text under a table
    "caption",  # table caption
    "cover",  # Council cover block text
    "cover-heading",  # Council cover block, bold (meeting, "Purpose" ...)
    "table-text",
    "table-heading",
    "footnote",  # text of a footnote
)


@dataclass(frozen=True, slots=True)
class Run:
    text: str = ""
    bold: bool = False
    italic: bool = False
    # A footnote reference: the run is the reference mark of footnote `footnote` (text unused).
    footnote: str | None = None
    change: Change = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A Word comment anchored on the whole paragraph that carries it."""

    key: str
    author: str
    date: str  # YYYY-MM-DD
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    key: str
    style: str
    runs: tuple[Run, ...] = ()
    number: str = ""  # display number, written before the text and a tab ("17", "2.4", "1)")
    list_kind: Literal["bullet", "dash"] | None = None
    level: int = 0
    align: Literal["left", "center", "right"] | None = None
    comments: tuple[Comment, ...] = ()
    # The paragraph mark's revision: a whole inserted or deleted paragraph.
    change: Change = None
    page_break_before: bool = False
    # Who made this paragraph's revisions, and when (YYYY-MM-DD), when not the document's
    # `revision_author` and `revision_date` (a redline of several contributions has several).
    author: str | None = None
    date: str | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs if r.footnote is None)


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[Paragraph, ...] = ()
    span: int = 1
    shaded: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    cells: tuple[Cell, ...]
    header: bool = False  # repeats at the top of each page
    change: Change = None
    author: str | None = None  # as Paragraph.author
    date: str | None = None  # as Paragraph.date


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    rows: tuple[Row, ...]
    widths: tuple[int, ...] = ()  # relative column widths
    borders: bool = True


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Footnote:
    id: str
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subject: str
    date: str  # YYYY-MM-DD: every date in the file comes from here, never from the clock
    language: str = "en"
    blocks: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    # Revisions: who and when, for every w:ins / w:del the redline writes.
    revision_author: str = "stratplan"
    revision_date: str = ""
    footer: str = ""  # text before "N of M" page numbers (e.g. the document number)
    plan: str = ""  # the period of the plan it renders ("2028-2031"), for readers of the file


def iter_paragraphs(blocks: tuple[Block, ...]) -> list[Paragraph]:
    """Every paragraph in document order, table cells included."""
    out: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block)
        else:
            for row in block.rows:
                for cell in row.cells:
                    out.extend(cell.blocks)
    return out
