"""Paragraphs deleted and inserted: a `Suppress` of what a deleted paragraph (or row) renders;
an `Add` of a new paragraph of a section, a new item of a list like its neighbour's (a new
line in a goal's target list is a target of that goal), or an alternative wording ("[TSAG]
text" after an item). What the plan cannot hold there is reported.
"""

from __future__ import annotations

from typing import Any

from stratplan import keys
from stratplan.model.address import join
from stratplan.model.facts import DataPath, field_facts, members, models_in
from stratplan.model.plan import Para
from stratplan.proposals.importing import items
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Add, Suppress
from stratplan.proposals.importing.index import at, element_of, item_key, selector, slug
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import SOURCED, plain, untyped
from stratplan.proposals.importing.units import Piece, Unit


def ir_style(word_style: str) -> str:
    """The IR style of a Word paragraph style id ("NumberedParagraph" -> "numbered")."""
    from stratplan.writers.docx.styles import PARAGRAPH_STYLES

    inverse = {word: style for style, word in PARAGRAPH_STYLES.items()}
    return inverse.get(word_style or "Normal", "body")


# --- a paragraph gone ----------------------------------------------------------------------------


def deleted(r: Reading, b: BaseParagraph, by: tuple[str, str] | None,
            unit: Unit | None = None) -> None:
    author, date = by or r.editor
    occurrences = r.index.occurrences_of(b)
    if not occurrences or (b.row and keys.parse(b.row).kind == "resource"):
        r.left_out(b.place, "a deletion of text the templates generate, not in the plan",
                   b.text)
        r.kept.add(b.text)
        return
    leaves = [leaf.path for _, _, leaf in occurrences if not repeated(r, b, leaf.path)]
    if not leaves:
        # Another item's text repeated here (a group label, an objective's title in a
        # table): it follows the plan; the check of the result tells if it stays.
        return
    element = element_of(leaves)
    if b.row is not None and b.row in r.rows_deleted:
        element = whole(r, element)  # a row deleted: the item it is, not its cells
    if any(element[: len(gone)] == gone for gone in r.suppressed):
        return  # inside an item already suppressed, or the same item rendered twice
    if not element or (r.index.model_for(element[:-1]) is None and not isinstance(
            element[-1], int) and len(element) > 1):
        r.left_out(b.place, "a deletion the plan cannot express", b.text)
        r.kept.add(b.text)
        return
    scope = item_key(r.index.scope_key(b))
    staying = [other for other in r.base if other.index in r.kept_bases
               and other is not b and r.index.counted(other.key)
               and item_key(r.index.scope_key(other)) == scope
               and any(path[: len(element)] == element for path in leaf_paths(r, other))]
    if staying:
        # A paragraph whose own list (2.1's 2.1.1 ... 2.1.15) the reviewer kept: deleting
        # it would delete them.
        r.left_out(b.place, f"a deletion of a paragraph whose {len(staying)} sub-paragraph(s) "
                   "stay: the plan holds them inside it", b.text,
                   "delete them too, or change its text instead")
        r.kept.add(b.text)
        return
    r.suppressed.append(element)
    r.add(Suppress(author=author, date=date, place=b.place, target=r.index.address(element)),
          unit)


def leaf_paths(r: Reading, b: BaseParagraph) -> list[DataPath]:
    found = r.leaves_of.get(b.index)
    if found is None:
        found = r.leaves_of[b.index] = [leaf.path for _, _, leaf in r.index.occurrences_of(b)]
    return found


def repeated(r: Reading, b: BaseParagraph, path: DataPath) -> bool:
    """Whether the text at `path` is in `b` only as a repeat: another paragraph, whose key
    names the item that text belongs to, shows it too (an objective's title over its row of
    indicators, a priority's title as a group label)."""
    named = r.index.item_paths.get(item_key(b.key) or "")
    if named is not None and path[: len(named)] == named:
        return False
    if named is not None and not r.index.counted(b.key):
        return True  # a paragraph of one item showing another's text (a group label)
    if not r.renders:
        for other in r.base:
            for shown in leaf_paths(r, other):
                r.renders.setdefault(shown, []).append(other)
    for other in r.renders.get(path, []):
        if other is b:
            continue
        # the item whose paragraph it is: its key's, or its row's (a matrix row's cells)
        key = other.row if r.index.counted(other.key) and other.row else other.key
        own = r.index.item_paths.get(item_key(key) or "")
        if not r.index.counted(key) and own is not None and path[: len(own)] == own:
            return True
    return False


def whole(r: Reading, element: DataPath) -> DataPath:
    """The largest list item holding `element` whose every paragraph is deleted."""
    best = element
    for depth in range(len(element) - 1, 0, -1):
        candidate = element[:depth]
        if not isinstance(candidate[-1], int):
            continue
        if any(other.index in r.kept_bases and any(
                p[: len(candidate)] == candidate and not repeated(r, other, p)
                for p in leaf_paths(r, other)) for other in r.base):
            break
        best = candidate
    return best


# --- a paragraph added --------------------------------------------------------------------------


def inserted(r: Reading, anchor: BaseParagraph | None, piece: Piece) -> None:
    """A new paragraph after `anchor` (the last paragraph of the base before it)."""
    author, date = r.authors_of(piece)[0]
    text = r.piece_text(piece, author)
    label = r.index.leaf_of_text(text)
    if label is not None and piece.first.table is not None:
        # An item's text repeated in a table (a group label): it follows the plan, and says
        # which group the rows after it are in.
        r.see_leaf(label)
        return
    if alternative(r, anchor, piece, text, author, date) or items.singleton(
            r, piece, text, author, date):
        return
    neighbour = anchor or (r.base[0] if r.base else None)
    if neighbour is None:
        r.left_out("the start", "a paragraph with no neighbour in the plan", text,
                   pieces=[piece])
        return
    occurrences = r.index.occurrences_of(neighbour)
    if not occurrences:
        r.left_out(neighbour.place, "a new paragraph after text the templates generate, where "
                   "the plan has no list to add it to", text, pieces=[piece])
        return
    leaf = occurrences[-1][2]
    style = ir_style(piece.first.style)
    if neighbour.paragraph.style.startswith("heading") and not style.startswith("heading"):
        inside = first_paragraphs(r, leaf.path)
        if inside is not None:  # the first paragraph under an item's heading
            r.add(Add(author=author, date=date, place=f"after {neighbour.place}",
                      listing=r.index.address(inside), after=0, item=untyped(text)), piece)
            return
    element = element_of([leaf.path])
    # A numbered paragraph after a list item of a paragraph is the next paragraph, not a list
    # item: climb to the list whose items take its style.
    if style != neighbour.paragraph.style:
        outer = [n for n in range(len(element) - 1) if isinstance(element[n], int)]
        if outer and neighbour.paragraph.style == "list":
            element = element[: outer[-1] + 1]
    if not element or not isinstance(element[-1], int):
        r.left_out(neighbour.place, "a new paragraph where the plan has no list", text,
                   pieces=[piece])
        return
    listing, position = element[:-1], element[-1]
    typed = untyped(text)
    twin = r.added_by_text.get((r.index.address(listing), plain(typed), author))
    if twin is not None:
        return  # the same new item typed in another place that shows it (its table row)
    item = new_item(r, listing, position, leaf.path[len(element):], typed)
    if item is None:
        r.left_out(neighbour.place, "a new paragraph the plan cannot hold here", text,
                   pieces=[piece])
        return
    change = Add(author=author, date=date, place=f"after {neighbour.place}",
                 listing=r.index.address(listing), after=selector(r.index.label(element)),
                 item=item)
    r.add(change, piece)
    remember(r, change, typed, author)


def remember(r: Reading, change: Add, text: str, author: str) -> None:
    """A new item, by its list and text: the same item typed again where the document shows
    it a second time (a target in its goal's list and in the results table) is this one."""
    r.added_by_text[(change.listing, plain(text), author)] = change


def first_paragraphs(r: Reading, path: DataPath) -> DataPath | None:
    """The list of paragraphs of the item a heading's text is in (a priority's `paragraphs`,
    a section's `content`), when it has one."""
    element = list(element_of([path]))
    while element:
        model = r.index.model_for(tuple(element))
        if model is not None:
            for name, info in model.model_fields.items():
                if Para in models_in(info.annotation) and any(
                    getattr(m, "__origin__", None) is list for m in members(info.annotation)
                ):
                    return (*element, name)
        element.pop()
    return None


def alternative(r: Reading, anchor: BaseParagraph | None, piece: Piece, text: str,
                author: str, date: str) -> bool:
    """A new "[Source] text" paragraph after an item: an alternative wording of it, by that
    source."""
    match = SOURCED.match(text.strip())
    if match is None or anchor is None:
        return False
    own = [leaf for _, _, leaf in r.index.occurrences_of(anchor)]
    if not own:
        return False
    path = list(element_of([leaf.path for leaf in own]))
    if not isinstance(path[-1] if path else None, int):
        path = list(own[0].path[:-1])  # a singleton (the vision): its own mapping
    model = None
    while path:
        model = r.index.model_at(tuple(path))
        if model is not None and "alternatives" in model.model_fields:
            break
        path.pop()
    else:
        return False
    inner = models_in(model.model_fields["alternatives"].annotation) if model else []
    fields = [n for n in (inner[0].model_fields if inner else {}) if n != "source"]
    wording = fields[0] if fields else "text"
    entry = {"source": match.group(1), wording: match.group(2).strip()}
    r.add(Add(author=author, date=date, place=f"after {anchor.place}",
              listing=join(r.index.address(tuple(path)), "alternatives"), item=entry), piece)
    return True


def new_item(r: Reading, listing: DataPath, position: int, field_path: DataPath,
             text: str) -> Any:
    """An item like the list's item at `position`, with `text` in the field the neighbour's
    text is in; its references (goal, priority) copied from the neighbour."""
    entries = at(r.data, listing)
    if not isinstance(entries, list) or not 0 <= position < len(entries):
        return None
    neighbour = entries[position]
    model = r.index.model_for((*listing, position))
    if model is None or model is Para or isinstance(neighbour, str):
        return text  # a paragraph (written as text, or a mapping with its comments)
    item: dict[str, Any] = {}
    if "id" in model.model_fields:
        item["id"] = slug(text, r.ids)
    for name, facts in field_facts(model).items():
        if facts.ref is not None and isinstance(neighbour, dict) and name in neighbour \
                and isinstance(neighbour[name], str):
            item[name] = neighbour[name]
    if len(field_path) != 1 or not isinstance(field_path[0], str):
        return None
    item[field_path[0]] = text
    refs = {name: item[name] for name, facts in field_facts(model).items()
            if facts.ref is not None and name in item}
    for name, value in items.label_values(r, r.index.address(listing), refs).items():
        item.setdefault(name, value)
    for name, info in model.model_fields.items():
        if info.is_required() and name not in item:
            return None
    return item
