"""Accept or reject every revision of a redline IR: what Word's "Accept All" / "Reject All"
would leave. The tests check both against the plain renders of the two plans."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from stratplan import ir

Action = Literal["accept", "reject"]


def _gone(change: ir.Revision, action: Action) -> bool:
    return change == ("del" if action == "accept" else "ins")


def _paragraph(paragraph: ir.Paragraph, action: Action) -> ir.Paragraph:
    runs = tuple(replace(r, change=None) for r in paragraph.runs if not _gone(r.change, action))
    number = paragraph.number
    if paragraph.number_was is not None and action == "reject":
        number = paragraph.number_was
    return replace(paragraph, runs=runs, change=None, number=number, number_was=None, move="")


def _paragraphs(paragraphs: tuple[ir.Paragraph, ...], action: Action) -> tuple[ir.Paragraph, ...]:
    return tuple(_paragraph(p, action) for p in paragraphs if not _gone(p.change, action))


def _blocks(blocks: tuple[ir.Block, ...], action: Action) -> tuple[ir.Block, ...]:
    out: list[ir.Block] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            if not _gone(block.change, action):
                out.append(_paragraph(block, action))
            continue
        rows = [
            replace(
                row,
                change=None,
                move="",
                cells=tuple(replace(c, blocks=_paragraphs(c.blocks, action)) for c in row.cells),
            )
            for row in block.rows
        ]
        # A label merged down a group of rows stays with the group: when the row that holds
        # it goes, the first row of the group that stays holds it (as Word keeps a merged
        # cell's text when one of its rows is deleted).
        kept = [not _gone(row.change, action) for row in block.rows]
        for column, first, last in ir.merge_runs(block.rows):
            stays = [i for i in range(first, last + 1) if kept[i]]
            if stays and stays[0] != first:
                label = ir.cell_at(rows[first], column).blocks
                rows[stays[0]] = ir.with_cell_blocks(rows[stays[0]], column, label)
        remaining = tuple(row for row, keep in zip(rows, kept, strict=True) if keep)
        if remaining:
            out.append(replace(block, rows=remaining))
    return tuple(out)


def resolve(document: ir.Document, action: Action) -> ir.Document:
    """The document with every revision accepted (action="accept") or rejected."""
    return replace(document, blocks=_blocks(document.blocks, action))


def accept_all(document: ir.Document) -> ir.Document:
    return resolve(document, "accept")


def reject_all(document: ir.Document) -> ir.Document:
    return resolve(document, "reject")
