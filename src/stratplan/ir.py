"""The document IR: plain, frozen data between the templates and the writers (docx, html, md).

The IR knows nothing of plans: it is paragraphs, runs and tables with stable keys. A key made
from a plan id (e.g. "target:broadband-coverage") identifies the same item across cycles; a key
starting with "#" is positional (a prose paragraph) and the redline aligns such blocks by
content. Revisions (`change`) are set only by the redline: "ins" or "del".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

# A revision mark: inserted or deleted text (set only by the redline), or none.
Revision = Literal["ins", "del"] | None

# In a language edition, plan text left in English (its translation is missing or stale) is
# wrapped in these two noncharacters (Unicode's own for internal use) on its way through the
# templates; the markup parser turns what lies between them into runs of `lang` "en", which
# every writer shows as such. Neither ever reaches an output.
UNTRANSLATED_START = "\ufdd0"
UNTRANSLATED_END = "\ufdd1"

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
    change: Revision = None
    # The plan fields (contribution addresses) whose value a generated text prints, e.g. the
    # year in "Targets for Goal 1 ... – by 2030:": an edit of it is a change of those fields.
    # Provenance, not content: two runs that differ only in it are the same text.
    shows: tuple[str, ...] = field(default=(), compare=False)
    # The run's language where it is not the document's: "en" for plan text a language
    # edition shows in English because its translation is missing or stale.
    lang: str = ""


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
    change: Revision = None
    page_break_before: bool = False
    # Who made this paragraph's revisions, and when (YYYY-MM-DD), when not the document's
    # `revision_author` and `revision_date` (a redline of several contributions has several).
    author: str | None = None
    date: str | None = None
    # In a redline, the old display number when it changed: the writer shows the old number
    # deleted and the new one inserted before the tab ("1.[-5-]{+4+}:"), the text unmoved.
    number_was: str | None = None
    # In a redline, a whole deleted (inserted) paragraph that is one end of a move: Word's
    # moveFrom (moveTo), within a move range of this name. Its runs without a revision of
    # their own are the moved text; at the new place, "ins" runs are words the item gained.
    move: str = ""
    # An alternative wording that is an edit of the paragraph before it (its base): shown as
    # tracked changes against the base, by `author` (stratplan.diff.alternatives does it).
    tracked: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs if r.footnote is None)


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[Paragraph, ...] = ()
    span: int = 1
    shaded: bool = False
    # A group label down several rows (a goal, a thematic priority): the cells with the same
    # `merge` key in the same column of consecutive rows are one cell merged down (Word's
    # vMerge), holding the blocks of the first of them; the others are empty.
    merge: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    cells: tuple[Cell, ...]
    header: bool = False  # repeats at the top of each page
    change: Revision = None
    author: str | None = None  # as Paragraph.author
    date: str | None = None  # as Paragraph.date
    move: str = ""  # as Paragraph.move: a deleted (inserted) row that moved (to) here


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
    # The word between the page number and the page count in the footer ("1 of 12"), in the
    # document's language.
    page_of: str = "of"


def merge_runs(rows: tuple[Row, ...] | list[Row]) -> list[tuple[int, int, int]]:
    """The vertically merged cells of a table: (grid column, first row, last row) of each run
    of two or more consecutive rows whose cells at that column share a `merge` key."""
    out: list[tuple[int, int, int]] = []
    open_runs: dict[int, tuple[str, int]] = {}  # column -> (key, first row)
    for index, row in enumerate([*rows, Row("", ())]):
        keys: dict[int, str] = {}
        column = 0
        for cell in row.cells:
            if cell.merge:
                keys[column] = cell.merge
            column += max(cell.span, 1)
        for col, (key, first) in list(open_runs.items()):
            if keys.get(col) != key:
                if index - 1 > first:
                    out.append((col, first, index - 1))
                del open_runs[col]
        for col, key in keys.items():
            open_runs.setdefault(col, (key, index))
    return sorted(out, key=lambda r: (r[1], r[0]))


def cell_at(row: Row, column: int) -> Cell:
    """The cell of `row` that starts at grid column `column`."""
    position = 0
    for cell in row.cells:
        if position == column:
            return cell
        position += max(cell.span, 1)
    raise IndexError(f"row {row.key!r} has no cell at column {column}")


def with_cell_blocks(row: Row, column: int, blocks: tuple[Paragraph, ...]) -> Row:
    """`row` with the cell at grid column `column` holding `blocks`."""
    cells, position = [], 0
    for cell in row.cells:
        cells.append(replace(cell, blocks=blocks) if position == column else cell)
        position += max(cell.span, 1)
    return replace(row, cells=tuple(cells))


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
