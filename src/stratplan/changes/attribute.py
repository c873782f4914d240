"""Who made each revision of a contribution redline: the contributor whose change set touched
the item a changed block renders."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from stratplan import ir
from stratplan.model.contribution import ContributionMeta


def _key_ids(key: str) -> list[str]:
    return [part for part in re.split(r"[:/#]", key) if part]


def attribute(
    document: ir.Document,
    touched: Mapping[str, ContributionMeta],
    settled: Callable[[str, str], bool] | None = None,
    consequence: Callable[[ir.Paragraph], ContributionMeta | None] | None = None,
) -> ir.Document:
    """Give each changed paragraph and row the contributor (and date) of the change set that
    touched the item its key names (e.g. "goal:growth", "table:rbm-framework/row3"); others
    keep the document's revision author and date. With `settled(key, final text)`, only a
    paragraph (a row) whose final text is the one the change sets left is theirs: one
    edited after them is the document's author's (the Secretariat's edit of an accepted
    proposal). `consequence(paragraph)` names who made a changed paragraph that no touched
    item keys but whose final text is settled: what a change shows elsewhere (the label "–
    by 2031" over a goal's targets, when one target's deadline changed)."""

    def author_of(key: str) -> ContributionMeta | None:
        found = None
        for part in _key_ids(key):  # the innermost item named in the key wins
            found = touched.get(part, found)
        return found

    def theirs(key: str, final: str) -> bool:
        return settled is None or settled(key, final)

    def paragraph(p: ir.Paragraph, inherited: ContributionMeta | None) -> ir.Paragraph:
        changed = p.change is not None or any(r.change for r in p.runs)
        who = author_of(p.key) or inherited
        if changed and who is None and consequence is not None and settled is not None:
            who = consequence(p)
        if changed and who and theirs(p.key, final_text(p)):
            return replace(p, author=who.contributor, date=who.date)
        return p

    blocks: list[ir.Block] = []
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            blocks.append(paragraph(block, None))
            continue
        rows = []
        for row in block.rows:
            who = author_of(row.key) or author_of(block.key)
            cells = tuple(
                replace(c, blocks=tuple(paragraph(p, who) for p in c.blocks)) for c in row.cells
            )
            if row.change and who and theirs(row.key, row_text(row)):
                row = replace(row, author=who.contributor, date=who.date)
            rows.append(replace(row, cells=cells))
        blocks.append(replace(block, rows=tuple(rows)))
    return replace(document, blocks=tuple(blocks))


def final_text(paragraph: ir.Paragraph) -> str:
    """What a paragraph reads once its revisions are accepted ("" when it is deleted)."""
    if paragraph.change == "del":
        return ""
    return "".join(r.text for r in paragraph.runs if r.change != "del" and r.footnote is None)


def row_text(row: ir.Row) -> str:
    """What a row reads once its revisions are accepted, cell by cell."""
    if row.change == "del":
        return ""
    return "\t".join("\n".join(final_text(p) for p in c.blocks) for c in row.cells)
