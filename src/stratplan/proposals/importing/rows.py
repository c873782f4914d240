"""Table rows inserted: one `Add` of an item like the row's before it, with each cell's text
in the field that cell shows (an outcome and its indicators), or a new row of a plain table.
An item typed both as a line of a list and as a row of a table that shows it (a target in its
goal's list and in results table A) is one item, its parts together.
"""

from __future__ import annotations

from typing import Any

from stratplan.model.facts import DataPath
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Add
from stratplan.proposals.importing.index import at, element_of, item_key, selector, slug
from stratplan.proposals.importing.paragraphs import new_item, remember
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain, untyped
from stratplan.proposals.importing.units import Piece


def inserted_row(r: Reading, anchor: BaseParagraph | None, cells: list[Piece]) -> None:
    author, date = r.authors_of(cells[0])[0]
    texts = [(p.first.cell or 0, r.piece_text(p, author)) for p in cells]
    place = f"after {anchor.place}" if anchor else "a table"
    quoted = " | ".join(t for _, t in texts)
    if anchor is None or anchor.row is None:
        r.left_out(place, "a new table row with no row of the plan before it", quoted,
                   pieces=cells, size=600)
        return
    row_cells = [b for b in r.base if b.row == anchor.row]
    if plain_row(r, row_cells, texts, author, date, place, cells):
        return
    element: DataPath | None = None
    fields: dict[int, DataPath] = {}
    item = r.index.item_paths.get(item_key(anchor.row) or "")
    for b in row_cells:
        for _, _, leaf in r.index.occurrences_of(b):
            if item is not None and leaf.path[: len(item)] == item:
                element = item
                fields.setdefault(b.cell or 0, leaf.path[len(item):])
    if element is None or not isinstance(element[-1], int):
        r.left_out(place, "a new table row the plan cannot hold", quoted, pieces=cells,
                   size=600)
        return
    listing, position = element[:-1], element[-1]
    first_field = next((fields[c] for c, _ in texts if c in fields and len(fields[c]) == 1),
                       None)
    main = next((t for c, t in texts if fields.get(c) == first_field and t.strip()), "")
    if first_field is None or not main:
        r.left_out(place, "a new table row the plan cannot hold", quoted, pieces=cells,
                   size=600)
        return
    typed = untyped(main)
    address = r.index.address(listing)
    twin = r.added_by_text.get((address, plain(typed), author))
    if twin is not None:
        new: Any = twin.item  # the same item, typed first in its list: its parts join it
    else:
        new = new_item(r, listing, position, first_field, typed)
    if not isinstance(new, dict):
        r.left_out(place, "a new table row the plan cannot hold", main, pieces=cells)
        return
    for cell, text in texts:
        inner = fields.get(cell)
        if inner is None or inner == first_field or not text.strip():
            continue
        if len(inner) == 3 and isinstance(inner[1], int):  # a list of sub-items
            entry: dict[str, Any] = {str(inner[2]): untyped(text)}
            sub_model = r.index.model_for((*element, inner[0], inner[1]))
            if sub_model is not None and "id" in sub_model.model_fields:
                entry = {"id": slug(untyped(text), r.ids), **entry}
            new.setdefault(inner[0], []).append(entry)
        elif len(inner) == 1:
            new[str(inner[0])] = untyped(text)
    if twin is not None:
        return
    change = Add(author=author, date=date, place=place, listing=address,
                 after=selector(r.index.label(element)), item=new)
    r.add(change, cells[0])
    for piece in cells[1:]:
        for source in piece.sources:
            r.found_in.setdefault(source.index, change)
    remember(r, change, typed, author)


def plain_row(r: Reading, row_cells: list[BaseParagraph], texts: list[tuple[int, str]],
              author: str, date: str, place: str, pieces: list[Piece]) -> bool:
    """A new row after a row of a plain table (`tables/<id>/rows`, a list of cells): a new
    list of cells in the same shape. False when the row before it is not that."""
    paths = [leaf.path for b in row_cells for _, _, leaf in r.index.occurrences_of(b)]
    common = element_of(paths)
    if not common or not isinstance(common[-1], int):
        return False
    row = at(r.data, common)
    if not isinstance(row, list) or not all(
            len(p) > len(common) and isinstance(p[len(common)], int) for p in paths):
        return False
    cells: list[Any] = [""] * max(len(row), max((c + 1 for c, _ in texts), default=0))
    for cell, text in texts:
        cells[cell] = untyped(text)
    r.add(Add(author=author, date=date, place=place, listing=r.index.address(common[:-1]),
              after=selector(r.index.label(common)), item=cells), pieces[0])
    return True
