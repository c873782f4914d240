"""A paragraph in both the base and the file, its words changed: a `Modify` of the field whose
text it renders (found by the field's text in the paragraph), of the fields a generated label
shows (the deadline in "Targets for Goal 1 ... – by 2031:"), or of an Appendix A row's
amounts. A changed number the templates compute ("2.3:", "3)") is reported: numbers follow
from the order of the items.
"""

from __future__ import annotations

import re
from typing import Any

from stratplan import keys
from stratplan.model.address import AddressError, join, resolve
from stratplan.model.address import parent as address_parent
from stratplan.proposals.importing import footnotes, paragraphs
from stratplan.proposals.importing.base import BaseParagraph, value_spans
from stratplan.proposals.importing.changes import Modify
from stratplan.proposals.importing.index import RESOURCE_ROW, at
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import TextDiff, plain, same
from stratplan.proposals.importing.units import Unit


def paired(r: Reading, b: BaseParagraph, u: Unit) -> None:
    """`b`'s paragraph, as the reviewers left it (`u`)."""
    for start, end, addresses in value_spans(b.paragraph):
        if len(addresses) > 1:
            r.shown[addresses] = b.text[start:end]
    if not u.accept.strip() and b.text.strip():
        paragraphs.deleted(r, b, r.authors_of(u)[0], u)
        return
    # Space around a paragraph's text is no change, nor a tab for a space: the templates trim
    # it, and editors add it (LibreOffice writes a page break after the cover as a line break
    # in its text).
    if same(r.notes.like(b.text, u.accept), b.text):
        return
    for author, date in r.authors_of(u):
        new = r.notes.like(b.text, r.text_by(u, author))
        new = footnotes.edited_in_place(r, b, new, author, date)
        if not same(new, b.text):
            modified(r, b, new.strip(), author, date, u)


def modified(r: Reading, b: BaseParagraph, new: str, author: str, date: str, unit: Unit) -> None:
    if b.row and keys.parse(b.row).kind == RESOURCE_ROW and b.cell:
        amount(r, b, new, author, date, unit)
        return
    old = b.text
    occurrences = r.index.occurrences(old, r.index.scope_key(b))
    diff = TextDiff(old, new)
    by_leaf: dict[int, list[tuple[str, int, int, int, int]]] = {}
    values = value_spans(b.paragraph)
    shown: set[int] = set()
    for op in diff.edits():
        _, i1, i2, _, _ = op
        owner = next((n for n, (s, e, _) in enumerate(occurrences) if s <= i1 and i2 <= e), None)
        if owner is not None:
            by_leaf.setdefault(owner, []).append(op)
            continue
        shows = next((n for n, (s, e, _) in enumerate(values) if s <= i1 and i2 <= e), None)
        if shows is not None:
            shown.add(shows)
        # Otherwise text the templates generate (a number, a label): a consequence of other
        # changes (renumbering), or left out; the check of the result tells which.
    for index in sorted(shown):
        start, end, addresses = values[index]
        shown_value(r, diff.map(start, end), addresses, author, date, b.place, unit)
    for owner in by_leaf:
        start, end, leaf = occurrences[owner]
        value = diff.map(start, end)
        if leaf.value == leaf.value.strip():
            value = value.strip()  # a tab made a space by another program is no new text
        if plain(value) == plain(leaf.value):
            continue  # only its spacing differs
        parent, name = leaf.path[:-1], leaf.path[-1]
        if isinstance(at(r.data, parent), str) and r.index.model_at(parent) is None:
            # a plain table's cell (a text in a list of texts): its value
            change = Modify(author=author, date=date, place=b.place,
                            target=r.index.address(parent), value=value)
        elif isinstance(name, int):  # a list of texts (an indicator's sub-items)
            change = Modify(author=author, date=date, place=b.place,
                            target=r.index.address(leaf.path), value=value)
        else:
            change = Modify(author=author, date=date, place=b.place,
                            target=r.index.address(parent), field=name, value=value)
        r.add(change, unit)


def shown_value(r: Reading, text: str, addresses: tuple[str, ...], author: str, date: str,
                place: str, unit: Unit | None = None) -> None:
    """A new value where a template printed plan fields' value (the deadline in a goal's
    targets label): each of those fields takes it, typed as the plan has it."""
    if len(addresses) > 1:
        r.shown[addresses] = text
    for address in addresses:
        item, name = address_parent(address)
        try:
            current = resolve(r.data, address).value
        except AddressError:
            continue
        value: Any = text.strip()
        if isinstance(current, int) and not isinstance(current, bool):
            if not value.isdigit():
                continue  # not a number where the plan has one: the check reports it
            value = int(value)
        if value == current:
            continue
        r.add(Modify(author=author, date=date, place=place, target=item, field=name,
                     value=value), unit)


def _parse_amount(text: str) -> int | None:
    digits = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    return int(digits) if re.fullmatch(r"-?\d+", digits) else None


def amount(r: Reading, b: BaseParagraph, new: str, author: str, date: str, unit: Unit) -> None:
    """An edited Appendix A figure: a year's amount of a priority's row (or an adjustment's)
    is the row's `amounts`; a computed figure (a sum, a total, a share) is reported."""
    table = r.resources
    assert b.row is not None and b.cell is not None
    resources = r.plan.resources
    if table is None or resources is None:
        return
    headers = table.headers
    column = b.cell - 1
    year = headers[column] if 0 <= column < len(headers) else "In %"
    if not year.isdigit():
        r.left_out(b.place, f"a computed figure (column “{year}”: a biennium's sum, a total or "
                   "a share), not in the plan", new, "change the yearly amounts", unit)
        return
    value = _parse_amount(new)
    if value is None:
        r.left_out(b.place, "not an amount", new, unit=unit)
        return
    index = table.years.index(int(year))
    ident = keys.parse(b.row or "").name
    row = next((x for x in resources.rows if x.priority == ident), None)
    if row is not None:
        address, amounts = join("resources", "rows", ident), list(row.amounts)
    else:
        adjustment = next((a for a in resources.adjustments if a.id == ident), None)
        if adjustment is None:
            r.left_out(b.place, "a computed row (subtotal or total)", new,
                       "change the rows of the priorities", unit)
            return
        address = join("resources", "adjustments", adjustment.id)
        amounts = list(adjustment.amounts)
    who = r.contributor or author
    existing = next((c for c in r.changes if isinstance(c, Modify) and c.target == address
                     and c.author == who), None)
    if existing is not None:
        existing.value[index] = value
        return
    amounts[index] = value
    r.add(Modify(author=author, date=date, place=b.place, target=address, field="amounts",
                 value=amounts), unit)
