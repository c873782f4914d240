"""New items a paragraph's key names (a redline's added target, its indicators, its points),
the group labels of tables (which group the rows after them are in), and the fields of the
plan's mappings (the cover's, Appendix A's).
"""

from __future__ import annotations

import re
from typing import Any

from stratplan import keys
from stratplan.model.address import AddressError, join, resolve
from stratplan.model.address import parent as address_parent
from stratplan.model.facts import field_facts, members, models_in
from stratplan.model.plan import Plan
from stratplan.proposals.importing.changes import Add, Modify
from stratplan.proposals.importing.index import item_key, selector
from stratplan.proposals.importing.state import Pending, Reading
from stratplan.proposals.importing.texts import SOURCED, untyped
from stratplan.proposals.importing.units import Piece


def new_item_key(r: Reading, piece: Piece) -> str | None:
    """The item a new paragraph's key names, when the base plan does not have it (a
    redline's added target)."""
    item = item_key(piece.key or "")
    if item is None or item in r.index.item_paths:
        return None
    kind = keys.parse(item).kind
    return item if kind in r.index.kind_models else None


def inserted_item(r: Reading, piece: Piece) -> bool:
    """A new paragraph whose key names a new item: that item, added to the list its kind
    belongs to, with its id, its references (goal, priority) from what the document shows
    before it, and its text. False when the paragraph is not that."""
    item = new_item_key(r, piece)
    if item is None:
        return new_sub_item(r, piece)
    rest = keys.parse(piece.key or "").parts
    if rest not in ((), ("text",), ("title",), ("row",), ("row", "text")):
        # Another part of the new item's rendering: its group label (which follows the plan,
        # and says which group the rows after it are in), or a sub-item of it.
        group_label(r, piece)
        return new_sub_item(r, piece) or True
    first = piece.first
    if item in r.added:
        # Another rendering of an item already added (its table row): what follows it (its
        # indicators' rows) belongs to it.
        holder, name = address_parent(r.added[item])
        r.seen.append((holder, name))
        if first.table is not None:
            r.rows[(first.table, first.row or 0)] = r.added[item]
        return True
    read = keys.parse(item)
    kind, ident = read.kind, read.name
    model = r.index.kind_models[kind]
    listing = r.index.kinds[kind][0] if kind in r.index.kinds else parent_list(r, piece, kind)
    if listing is None:
        return False
    author, date = r.authors_of(piece)[0]
    text = untyped(r.piece_text(piece, author))
    data: dict[str, Any] = {"id": ident}
    for name, facts in field_facts(model).items():
        if facts.ref is not None and model.model_fields[name].is_required():
            found = r.last_seen(facts.ref.collection)
            if found is None:
                return False
            data[name] = found
    prose_fields = [n for n, f in field_facts(model).items()
                    if f.prose and model.model_fields[n].is_required()]
    if not prose_fields:
        return False
    data[prose_fields[0]] = text
    if r.group_source is not None and "proposed_by" in model.model_fields:
        data["proposed_by"] = r.group_source
    refs = {name: data[name] for name, facts in field_facts(model).items()
            if facts.ref is not None and name in data}
    data.update(label_values(r, listing, refs))
    if any(info.is_required() and name not in data
           for name, info in model.model_fields.items()):
        return False
    after = r.last_seen(listing)
    r.add(Add(author=author, date=date, place=r.place_of_new(piece), listing=listing,
              after=selector(after) if after is not None else 0, item=data), piece)
    r.added[item] = join(listing, ident)
    r.seen.append((listing, ident))
    if first.table is not None:
        r.rows[(first.table, first.row or 0)] = join(listing, ident)
    return True


def label_values(r: Reading, listing: str, refs: dict[str, Any]) -> dict[str, Any]:
    """The fields a label prints for every item of the new item's group (the deadline "– by
    2031" over a goal's targets): the new item, in that group (same references), states them
    too, typed as the plan has them."""
    out: dict[str, Any] = {}
    for addresses, text in r.shown.items():
        parts = [address_parent(a) for a in addresses]
        names = {name for _, name in parts}
        entries = [entry for entry, _ in parts]
        if len(names) != 1 or not all(address_parent(i)[0] == listing for i in entries):
            continue
        try:
            found = [resolve(r.data, i).value for i in entries]
            current = resolve(r.data, addresses[0]).value
        except AddressError:
            continue
        same_group = bool(refs) and all(
            isinstance(f, dict) and all(f.get(k) == v for k, v in refs.items()) for f in found)
        value: Any = text.strip()
        if isinstance(current, int) and not isinstance(current, bool):
            value = int(value) if value.isdigit() else None
        if same_group and value:
            out[names.pop()] = value
    return out


def group_label(r: Reading, piece: Piece) -> bool:
    """A table's group label (a goal's, a priority's title over its rows): it says which
    group the new rows after it are in. "[TSAG] Global ICT Interoperability" is a named
    source's group (its alternative for the item above): the new rows under it are its own.
    False when the text is no label."""
    text = piece.accept.strip()
    label = r.index.leaf_of_text(text)
    if label is not None:
        r.see_leaf(label)
        r.group_source = None
        return True
    sourced = SOURCED.match(text)
    if sourced is not None:
        r.group_source = sourced.group(1)
        return True
    return False


def new_sub_item(r: Reading, piece: Piece) -> bool:
    """A new `<item>/item<N>` paragraph: an entry of that item's `items` list."""
    read = keys.parse(piece.key or "")
    if not read.parts or re.fullmatch(r"item\d+", read.parts[-1]) is None:
        return False
    item = keys.sub(read.head, *read.parts[:-1]) if read.parts[:-1] else read.head
    address = r.added.get(item)
    if address is None and item in r.index.item_paths:
        address = r.index.address(r.index.item_paths[item])
    if address is None:
        return False
    author, date = r.authors_of(piece)[0]
    text = untyped(r.piece_text(piece, author))
    r.add(Add(author=author, date=date, place=r.place_of_new(piece),
              listing=join(address, "items"), item=text), piece)
    return True


def parent_list(r: Reading, piece: Piece, kind: str) -> str | None:
    """Where a new nested item (an indicator) goes: the list for its kind in the item of its
    table row, else in the last item shown that has one."""
    first = piece.first
    owner = r.rows.get((first.table if first.table is not None else -1, first.row or 0))
    candidates = [owner] if owner else []
    candidates += [join(listing, label) for listing, label in reversed(r.seen)]
    for address in candidates:
        found = r.list_of_kind(address, kind)
        if found is not None:
            return found
    return None


def singleton(r: Reading, piece: Piece, text: str, author: str, date: str) -> bool:
    """A new paragraph keyed `<field>:<subfield>[/<n>]` where the plan's `<field>` is a
    mapping (the cover, Appendix A): its `<subfield>` (an item of it, for a list)."""
    read = keys.parse(piece.key or "")
    top = read.kind
    if not top or top not in Plan.model_fields:
        return False
    models = models_in(Plan.model_fields[top].annotation)
    if not models:
        return False
    name, position = read.name, read.parts[0] if read.parts else ""
    info = models[0].model_fields.get(name)
    if info is None:
        return True  # a line the template prints with the mapping (the cover's rule)
    is_list = any(getattr(m, "__origin__", None) is list for m in members(info.annotation))
    if is_list and not position:
        return True  # the heading the template prints over the list ("Purpose")
    value = untyped(text) if position else text.strip()
    r.pending.setdefault(top, []).append(
        Pending(name, is_list, value, author, date, r.place_of_new(piece)))
    return True


def flush_singletons(r: Reading) -> None:
    """The singletons' new fields: added to the mapping the plan has, or the mapping written
    whole where it has none (a cover for a plan without one)."""
    for top, entries in r.pending.items():
        if isinstance(r.data.get(top), dict):
            for e in entries:
                if e.is_list:
                    r.add(Add(author=e.author, date=e.date, place=e.place,
                              listing=join(top, e.name), item=e.value))
                else:
                    r.add(Modify(author=e.author, date=e.date, place=e.place, target=top,
                                 field=e.name, value=e.value))
            continue
        whole: dict[str, Any] = {}
        for e in entries:
            if e.is_list:
                whole.setdefault(e.name, []).append(e.value)
            else:
                whole[e.name] = e.value
        first = entries[0]
        r.add(Modify(author=first.author, date=first.date, place=first.place, target=top,
                     value=whole))
