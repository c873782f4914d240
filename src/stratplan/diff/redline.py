"""The redline: one IR with the revisions that turn `old` into `new`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from stratplan import ir
from stratplan.diff.align import (
    Pair,
    align_blocks,
    align_rows,
    columns,
)
from stratplan.diff.review import accept_all
from stratplan.diff.summary import Summary, summarize
from stratplan.diff.words import diff_runs
from stratplan.keys import is_positional, renamed

NUMBER_SEPARATOR = "\t"  # what the writer puts between a paragraph's number and its text


@dataclass(frozen=True)
class RedlineResult:
    document: ir.Document  # the merged IR, with revisions
    changes: Summary  # the change list (ADD / MOD / SUP / NOC per item)


def redline(
    old: ir.Document,
    new: ir.Document,
    aliases: Mapping[str, str] | None = None,
    author: str = "stratplan",
    date: str | None = None,
) -> RedlineResult:
    """Compare two documents: the new document's order, with the deleted old blocks where they
    stood; the new document's metadata; revisions by `author` on `date` (default: new.date)."""
    aliases = aliases or {}
    # The two documents' own revisions (an alternative shown as changes to its base) are
    # accepted first: the redline compares final texts.
    old, new = _final(old), _final(new)
    blocks = name_moves(tuple(merge_blocks(old.blocks, new.blocks, aliases, top=True)))
    document = replace(
        new,
        blocks=blocks,
        footnotes=merged_footnotes(old, new, blocks),
        revision_author=author,
        revision_date=date or new.date,
    )
    return RedlineResult(document, summarize(document, old, new, aliases))


def _final(document: ir.Document) -> ir.Document:
    """The document with its own revisions accepted and its tracked alternatives as plain
    final text: their changes are not the redline's (nor is their author its author)."""
    if any(isinstance(b, ir.Paragraph) and b.tracked for b in document.blocks):
        blocks = tuple(
            replace(b, tracked=False, author=None)
            if isinstance(b, ir.Paragraph) and b.tracked
            else b
            for b in document.blocks
        )
        document = replace(document, blocks=blocks)
    has_revisions = any(
        p.change or any(r.change for r in p.runs) for p in ir.iter_paragraphs(document.blocks)
    )
    return accept_all(document) if has_revisions else document


# --- whole blocks --------------------------------------------------------------------------


def number_runs(number: str, change: ir.Revision) -> tuple[ir.Run, ...]:
    return (ir.Run(number, change=change), ir.Run(NUMBER_SEPARATOR, change=change))


def whole_paragraph(paragraph: ir.Paragraph, change: ir.Revision) -> ir.Paragraph:
    """A paragraph inserted or deleted whole: its mark, its number and every run."""
    runs = tuple(replace(r, change=change) for r in paragraph.runs)
    if paragraph.number:
        runs = number_runs(paragraph.number, change) + runs
    comments = paragraph.comments if change == "ins" else ()  # the old comments are gone
    return replace(paragraph, runs=runs, number="", change=change, comments=comments)


def whole_row(row: ir.Row, change: ir.Revision) -> ir.Row:
    cells = tuple(
        replace(c, blocks=tuple(whole_paragraph(p, change) for p in c.blocks)) for c in row.cells
    )
    return replace(row, cells=cells, change=change)


def whole_table(table: ir.Table, change: ir.Revision) -> ir.Table:
    return replace(table, rows=tuple(whole_row(r, change) for r in table.rows))


def whole_block(block: ir.Block, change: ir.Revision) -> ir.Block:
    if isinstance(block, ir.Paragraph):
        return whole_paragraph(block, change)
    return whole_table(block, change)


# --- aligned pairs -------------------------------------------------------------------------


def merge_paragraph(old: ir.Paragraph, new: ir.Paragraph) -> ir.Paragraph:
    """One modified paragraph: the word diff of its runs; a changed number kept as the new
    number with the old one beside it (`number_was`: the writer shows the change in front of
    the tab), a number gained or lost as runs."""
    runs = diff_runs(old.runs, new.runs)
    if old.number == new.number:
        return replace(new, runs=runs, change=None)
    if old.number and new.number:
        return replace(new, runs=runs, change=None, number_was=old.number)
    lead = number_runs(old.number, "del") if old.number else number_runs(new.number, "ins")
    return replace(new, runs=lead + runs, number="", change=None)


def merge_row(old: ir.Row, new: ir.Row, aliases: Mapping[str, str]) -> list[ir.Row]:
    if len(old.cells) != len(new.cells):
        return [whole_row(old, "del"), whole_row(new, "ins")]
    cells = tuple(
        replace(n, blocks=merge_paragraphs(o.blocks, n.blocks, aliases))
        for o, n in zip(old.cells, new.cells, strict=True)
    )
    return [replace(new, cells=cells, change=None)]


def merge_table(old: ir.Table, new: ir.Table, aliases: Mapping[str, str]) -> list[ir.Table]:
    if columns(old) != columns(new):
        return [whole_table(old, "del"), whole_table(new, "ins")]
    rows: list[ir.Row] = []
    old_rows = [_aliased_groups(row, aliases) for row in old.rows]
    pairs = by_group(align_rows(old_rows, new.rows, aliases))
    moved = moves(pairs, aliases)
    for o, n in pairs:
        if o is not None and n is None and o.key in moved.sources:
            rows.append(moved_row_from(o, moved.sources[o.key]))
        elif o is None and n is not None and n.key in moved.targets:
            source = moved.targets[n.key]
            assert isinstance(source, ir.Row)
            rows.append(moved_row(source, n, aliases))
        elif o is not None and n is not None and row_group(o) != row_group(n):
            # in place, but under another label (a target moved to the next goal): a move
            rows += [moved_row_from(o, n.key), moved_row(o, n, aliases)]
        elif o is not None and n is not None:
            rows.extend(merge_row(o, n, aliases))
        elif o is not None:
            rows.append(whole_row(o, "del"))
        elif n is not None:
            rows.append(whole_row(n, "ins"))
    return [replace(new, rows=merged_labels(rows, old_rows, new.rows, aliases))]


# --- moves: an item deleted in one place and inserted in another ---------------------------


@dataclass
class Moves:
    sources: dict[str, str]  # old key -> move name
    targets: dict[str, ir.Paragraph | ir.Row]  # new key -> the old block it moved from


def moves(pairs: Sequence[tuple[object, object]], aliases: Mapping[str, str]) -> Moves:
    """The items of one sequence (a body's paragraphs, a table's rows) that the alignment left
    as a deletion in one place and an insertion in another: moves, not a deleted item and a
    new one (an outcome moved to another thematic priority). Named by their new key until
    `name_moves` numbers them."""
    deleted: dict[str, ir.Paragraph | ir.Row] = {}
    for o, n in pairs:
        if n is None and isinstance(o, ir.Paragraph | ir.Row) and not is_positional(o.key):
            deleted.setdefault(renamed(o.key, aliases), o)
    found = Moves({}, {})
    for o, n in pairs:
        if o is None and isinstance(n, ir.Paragraph | ir.Row) and n.key in deleted:
            source = deleted.pop(n.key)
            if type(source) is type(n):
                found.sources[source.key] = n.key
                found.targets[n.key] = source
    return found


def moved_from(paragraph: ir.Paragraph, name: str) -> ir.Paragraph:
    """The old place of a moved paragraph: deleted whole, its text the moved text."""
    runs = tuple(replace(r, change=None) for r in paragraph.runs)
    if paragraph.number:
        runs = number_runs(paragraph.number, None) + runs
    return replace(paragraph, runs=runs, number="", change="del", comments=(), move=name)


def moved_to(old: ir.Paragraph, new: ir.Paragraph) -> ir.Paragraph:
    """The new place of a moved paragraph: inserted whole, the text it kept as moved text
    and the words it gained inserted (the words it lost show at its old place); a changed
    number inserted."""
    runs = tuple(r for r in diff_runs(old.runs, new.runs) if r.change != "del")
    if new.number:
        change: ir.Revision = None if new.number == old.number else "ins"
        runs = number_runs(new.number, change) + runs
    return replace(new, runs=runs, number="", change="ins", move=new.key)


def moved_row_from(row: ir.Row, name: str) -> ir.Row:
    """The old place of a moved row: deleted whole, every paragraph moved text."""
    cells = tuple(
        replace(c, blocks=tuple(moved_from(p, name) for p in c.blocks)) for c in row.cells
    )
    return replace(row, cells=cells, change="del", move=name)


def moved_row(old: ir.Row, new: ir.Row, aliases: Mapping[str, str]) -> ir.Row:
    """The new place of a moved row: its paragraphs compared with the old row's, each kept
    one as moved text (`moved_to`), each new one inserted; the old ones it lost show at the
    old place only."""
    if len(old.cells) != len(new.cells):
        return replace(whole_row(new, "ins"), move=new.key)
    cells = []
    for o, n in zip(old.cells, new.cells, strict=True):
        blocks: list[ir.Paragraph] = []
        for a, b in align_blocks(o.blocks, n.blocks, aliases):
            if isinstance(a, ir.Paragraph) and isinstance(b, ir.Paragraph):
                blocks.append(replace(moved_to(a, b), move=new.key))
            elif isinstance(b, ir.Paragraph):
                blocks.append(whole_paragraph(b, "ins"))
        cells.append(replace(n, blocks=tuple(blocks)))
    return replace(new, cells=tuple(cells), change="ins", move=new.key)


def name_moves(blocks: tuple[ir.Block, ...]) -> tuple[ir.Block, ...]:
    """Each move named move1, move2 ... in the order its first end appears in the document."""
    names: dict[str, str] = {}

    def name(key: str) -> str:
        if key and key not in names:
            names[key] = f"move{len(names) + 1}"
        return names.get(key, "")

    def named_row(row: ir.Row) -> ir.Row:
        move = name(row.move)
        cells = tuple(
            replace(c, blocks=tuple(replace(p, move=move) if p.move else p for p in c.blocks))
            for c in row.cells
        )
        return replace(row, cells=cells, move=move)

    out: list[ir.Block] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            out.append(replace(block, move=name(block.move)) if block.move else block)
        elif any(row.move for row in block.rows):
            rows = tuple(named_row(r) if r.move else r for r in block.rows)
            out.append(replace(block, rows=rows))
        else:
            out.append(block)
    return tuple(out)


# --- row groups: a label merged down its rows --------------------------------------------------


def row_group(row: ir.Row) -> str:
    """The group a row belongs to: the `merge` key of its first merged cell ("" for none)."""
    return next((cell.merge for cell in row.cells if cell.merge), "")


def by_group(pairs: list[Pair[ir.Row]]) -> list[Pair[ir.Row]]:
    """The aligned rows with each run of unaligned ones (between two aligned rows) in groups:
    a group's inserted rows, then its deleted rows, group after group in the order both sides
    have them. Seed 004 shows the outcomes a thematic priority gains right after the ones it
    keeps, before those it loses; the default (every deletion, then every insertion) put them
    under the next priority's deleted rows. Rows of no group, or groups that the two sides
    order differently, keep the default order."""
    out: list[Pair[ir.Row]] = []
    gap: list[Pair[ir.Row]] = []
    for pair in [*pairs, (None, None)]:
        if (pair[0] is not None and pair[1] is not None) or pair == (None, None):
            out += _grouped(gap)
            gap = []
            if pair != (None, None):
                out.append(pair)
        else:
            gap.append(pair)
    return out


def _row(pair: Pair[ir.Row]) -> ir.Row:
    row = pair[0] if pair[0] is not None else pair[1]
    assert row is not None
    return row


def _grouped(gap: list[Pair[ir.Row]]) -> list[Pair[ir.Row]]:
    deleted = [(o, n) for o, n in gap if o is not None]
    inserted = [(o, n) for o, n in gap if n is not None]
    order: list[str] = []
    for side in (deleted, inserted):
        groups = [row_group(_row(pair)) for pair in side]
        runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
        if len(runs) != len(set(runs)) or "" in runs:
            return gap  # a group in two places, or rows of no group: keep the default
        if [g for g in order if g in runs] != [g for g in runs if g in order]:
            return gap  # the two sides order the groups differently
        position = 0
        for g in runs:
            if g in order:
                position = order.index(g) + 1
            else:
                order.insert(position, g)
                position += 1
    out: list[Pair[ir.Row]] = []
    for group in order:
        out += [p for p in inserted if row_group(_row(p)) == group]
        out += [p for p in deleted if row_group(_row(p)) == group]
    return out


def _aliased_groups(row: ir.Row, aliases: Mapping[str, str]) -> ir.Row:
    """An old row with its groups under their new names (a goal that replaces another)."""
    if not aliases or not any(cell.merge for cell in row.cells):
        return row
    cells = tuple(
        replace(c, merge=renamed(c.merge, aliases)) if c.merge else c for c in row.cells
    )
    return replace(row, cells=cells)


def _labels(rows: Sequence[ir.Row]) -> dict[tuple[int, str], ir.Cell]:
    """(grid column, merge key) -> the cell holding that group's label, from one side."""
    out: dict[tuple[int, str], ir.Cell] = {}
    for row in rows:
        column = 0
        for cell in row.cells:
            if cell.merge and cell.blocks:
                out.setdefault((column, cell.merge), cell)
            column += max(cell.span, 1)
    return out


def merged_labels(
    rows: list[ir.Row],
    old: Sequence[ir.Row],
    new: Sequence[ir.Row],
    aliases: Mapping[str, str],
) -> tuple[ir.Row, ...]:
    """The merged rows with each group label written once, in the first row of its run: the
    old label and the new one compared (unchanged, modified, or only inserted or deleted where
    the group is), never struck in one row and inserted in the next."""
    old_labels, new_labels = _labels(old), _labels(new)
    out = list(rows)
    for column, first, last in ir.merge_runs(rows):
        key = ir.cell_at(rows[first], column).merge
        before, after = old_labels.get((column, key)), new_labels.get((column, key))
        if before is not None and after is not None:
            blocks = merge_paragraphs(before.blocks, after.blocks, aliases)
        elif after is not None:
            blocks = tuple(whole_paragraph(p, "ins") for p in after.blocks)
        elif before is not None:
            blocks = tuple(whole_paragraph(p, "del") for p in before.blocks)
        else:
            blocks = ()
        for index in range(first, last + 1):
            out[index] = ir.with_cell_blocks(out[index], column, blocks if index == first else ())
    return tuple(out)


def merge_blocks(
    old: Sequence[ir.Block], new: Sequence[ir.Block], aliases: Mapping[str, str], top: bool = False
) -> list[ir.Block]:
    out: list[ir.Block] = []
    pairs = align_blocks(old, new, aliases)
    moved = moves(pairs, aliases) if top else Moves({}, {})
    for o, n in pairs:
        if isinstance(o, ir.Paragraph) and n is None and o.key in moved.sources:
            out.append(moved_from(o, moved.sources[o.key]))
        elif o is None and isinstance(n, ir.Paragraph) and n.key in moved.targets:
            source = moved.targets[n.key]
            assert isinstance(source, ir.Paragraph)
            out.append(moved_to(source, n))
        elif o is not None and n is not None:
            if isinstance(o, ir.Paragraph) and isinstance(n, ir.Paragraph):
                out.append(o if o == n and not o.change else merge_paragraph(o, n))
            elif isinstance(o, ir.Table) and isinstance(n, ir.Table):
                out.extend(merge_table(o, n, aliases))
            else:
                out += [whole_block(o, "del"), whole_block(n, "ins")]
        elif o is not None:
            out.append(whole_block(o, "del"))
        elif n is not None:
            out.append(whole_block(n, "ins"))
    return out


def merge_paragraphs(
    old: tuple[ir.Paragraph, ...], new: tuple[ir.Paragraph, ...], aliases: Mapping[str, str]
) -> tuple[ir.Paragraph, ...]:
    """The paragraphs of a table cell (paragraphs only, so the merge is paragraphs only)."""
    return tuple(b for b in merge_blocks(old, new, aliases) if isinstance(b, ir.Paragraph))


# --- footnotes -----------------------------------------------------------------------------


def footnote_refs(blocks: Iterable[ir.Block], deleted: bool) -> set[str]:
    """Footnotes referenced from deleted text (deleted=True) or from the rest."""
    refs: set[str] = set()
    for paragraph in ir.iter_paragraphs(tuple(blocks)):
        for run in paragraph.runs:
            if run.footnote is not None and (run.change == "del") == deleted:
                refs.add(run.footnote)
    return refs


def merged_footnotes(
    old: ir.Document, new: ir.Document, blocks: tuple[ir.Block, ...]
) -> tuple[ir.Footnote, ...]:
    """The new footnotes, then the old ones that only deleted text still references."""
    have = {f.id for f in new.footnotes}
    deleted_only = footnote_refs(blocks, deleted=True) - footnote_refs(blocks, deleted=False)
    extra = tuple(f for f in old.footnotes if f.id in deleted_only and f.id not in have)
    return new.footnotes + extra
