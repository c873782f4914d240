"""The interpretation: the aligned document walked in order, each kind of edit handed to its
interpreter (`modify`, `paragraphs`, `items`, `rows`, `moves`, `footnotes`, `comments`,
`unseen`), what the document shows remembered on the way (new items take their goal or
priority from the paragraphs before them).
"""

from __future__ import annotations

from stratplan.model.address import split
from stratplan.proposals.importing import (
    comments,
    footnotes,
    items,
    marks,
    modify,
    moves,
    paragraphs,
    rows,
    unseen,
)
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Modify, Suppress
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.units import Piece, Unit

Pair = tuple[BaseParagraph | None, Unit | None]


def interpret(r: Reading, pairs: list[Pair]) -> None:
    pairs = marks.rejoin(pairs)
    r.base_of = {id(u): b for b, u in pairs if b is not None and u is not None}
    r.before = {key: b.text for key, b in r.base_of.items()}
    r.kept_bases = {b.index for b, u in pairs
                    if b is not None and u is not None and u.accept.strip()}
    by_row: dict[str, list[BaseParagraph]] = {}
    for paragraph in r.base:
        if paragraph.row is not None:
            by_row.setdefault(paragraph.row, []).append(paragraph)
    r.rows_deleted = {row for row, cells in by_row.items()
                      if not any(c.index in r.kept_bases for c in cells)}
    walk = _Walk(r)
    for b, u in pairs:
        walk.pair(b, u)
    for anchor, first in walk.pending_rows:
        key = (first.first.table or 0, first.first.row or 0)
        rows.inserted_row(r, anchor, walk.new_rows[key])
    moves.interpret(r, walk.moves)
    items.flush_singletons(r)
    footnotes.tracked_edits(r)
    footnotes.removed(r)
    footnotes.kept(r)
    drop_changes_of_suppressed(r)
    comments.attach(r, pairs)
    unseen.report(r, pairs)


class _Walk:
    def __init__(self, r: Reading) -> None:
        self.r = r
        self.previous: BaseParagraph | None = None
        self.moves = moves.Moves()
        self.new_rows: dict[tuple[int, int], list[Piece]] = {}
        self.pending_rows: list[tuple[BaseParagraph | None, Piece]] = []
        # Inserted rows that render a new item (its key names it): read paragraph by
        # paragraph, as the item and its parts; other inserted rows as rows.
        self.item_rows = {(p.first.table, p.first.row or 0)
                          for u in r.units for p in _pieces(u)
                          if p.first.table is not None and items.new_item_key(r, p)}

    def pair(self, b: BaseParagraph | None, u: Unit | None) -> None:
        r = self.r
        if u is None:
            if b is not None:
                paragraphs.deleted(r, b, None)
                self.previous = b
            return
        if any(p.bound for p in (*u.sources, *(s for piece in _pieces(u)
                                                 for s in piece.sources))):
            place = b.place if b is not None else \
                f"after {self.previous.place if self.previous else 'the start'}"
            r.left_out(place, "a content control bound to data (w:dataBinding), not imported: "
                       "Word shows the value of a data part in its place, not the text the "
                       "file stores", u.accept or u.reject, unit=u, pieces=_pieces(u))
            if b is not None:
                self.previous = b
            return
        for piece in u.before:
            self.new(piece)
        if moves.moved(u.revisions) and b is not None and not u.accept.strip():
            self.moves.out.append((b, u))  # a move's old place: matched with its new one
            self.previous = b
        elif b is not None:
            r.group_source = None  # a row of the plan: its own group
            modify.paired(r, b, u)
            if u.accept.strip():
                r.see(b, u)
            self.previous = b
        elif u.piece is not None:
            self.new(u.piece)
        for piece in u.after:
            self.new(piece)

    def new(self, piece: Piece) -> None:
        """A paragraph the base does not have, after the last one it has (`previous`)."""
        r = self.r
        first = piece.first
        if moves.moved(piece.revisions) and any(
                rev.kind == "ins" and rev.move for rev in piece.revisions):
            self.moves.into.append((piece, list(r.seen)))
            return
        row = (first.table, first.row or 0)
        if first.table is not None and row in self.item_rows and not items.new_item_key(
                r, piece) and first.cell == 0 and items.group_label(r, piece):
            return  # the label over a new item's row
        if first.row_revision is not None and first.row_revision.kind == "ins" and \
                first.table is not None and row not in self.item_rows:
            key = (first.table, first.row or 0)
            self.new_rows.setdefault(key, []).append(piece)
            if len(self.new_rows[key]) == 1:
                self.pending_rows.append((self.previous, piece))
            return
        if not items.inserted_item(r, piece):
            paragraphs.inserted(r, self.previous, piece)


def _pieces(u: Unit) -> list[Piece]:
    return [*u.before, *([u.piece] if u.piece is not None else []), *u.after]


def drop_changes_of_suppressed(r: Reading) -> None:
    """A field change of an item the same reviewer deletes (a label's year, shared by a
    goal's targets, one of which is deleted) is no change: the item is gone."""
    kept = []
    for change in r.changes:
        by = next((s for s in r.changes if isinstance(s, Suppress) and isinstance(
            change, Modify) and s.author == change.author and split(change.target)[
                : len(split(s.target))] == split(s.target)), None)
        if by is None:
            kept.append(change)
        else:  # back in if the suppression is left out (it contradicts the others)
            r.shadowed.setdefault(id(by), []).append(change)
    r.changes = kept
