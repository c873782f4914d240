"""Who made each revision of a contribution redline: the contributor whose change set touched
the item a changed block renders."""

from __future__ import annotations

import re
from dataclasses import replace

from stratplan import ir


def _key_ids(key: str) -> list[str]:
    return [part for part in re.split(r"[:/#]", key) if part]


def attribute(document: ir.Document, touched: dict[str, str]) -> ir.Document:
    """Give each changed paragraph and row the contributor whose change set touched the item
    its key names (e.g. "goal:growth", "table:rbm-framework/row3"); others keep the
    document's revision author."""

    def author_of(key: str) -> str | None:
        for part in _key_ids(key):
            if part in touched:
                return touched[part]
        return None

    def paragraph(p: ir.Paragraph, inherited: str | None) -> ir.Paragraph:
        changed = p.change is not None or any(r.change for r in p.runs)
        who = author_of(p.key) or inherited
        return replace(p, author=who) if changed and who else p

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
            rows.append(replace(row, cells=cells, author=who if row.change else row.author))
        blocks.append(replace(block, rows=tuple(rows)))
    return replace(document, blocks=tuple(blocks))
