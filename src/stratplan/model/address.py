"""Addresses: how a place in the plan's data is named, in contributions, baselines, the import
and messages; formatted and resolved here and nowhere else, by walking the data alongside the
model.

`targets/broadband-coverage/indicators/population-covered-4g` is read as the model reads it:
`targets` is a field of the plan, `broadband-coverage` the item of that list with this id,
`indicators` a field of a target, and so on. A list whose items have no id is indexed by the
field the model declares as their identity (`ResourceRow.identity = "priority"`), else by
1-based position (`sections/overview/content/3`). Ids are unique in a plan, so an address may
start at any list (`indicators/population-covered-4g`). A paragraph written as plain text
(`vision: "..."`) has the fields of a paragraph (`text`, `comments`, ...).

One identity rule names a list item: the value of its model's identity field (`id`, or the
field the model declares) when that is a non-blank text without "/", else its position.
"""

from __future__ import annotations

import difflib
from collections.abc import (
    Callable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    Sequence,
)
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from stratplan.diagnostics import Diagnostic, Severity, StratplanError
from stratplan.model.facts import DataPath, models_in
from stratplan.model.plan import Para, Plan
from stratplan.model.walk import child_annotation, node_model

MISSING: Any = object()  # an optional field that is not written in the plan
SEPARATOR = "/"
NOWHERE = "top level"  # the address of the whole plan, in messages


def join(*segments: object) -> str:
    """An address from its segments: join("targets", "x", "deadline") is
    `targets/x/deadline`."""
    return SEPARATOR.join(str(s) for s in segments)


def split(address: str) -> list[str]:
    """An address's segments."""
    return address.split(SEPARATOR)


# An address written as an XML name token (XLIFF 2's unit ids are NMTOKENs, which may not hold
# "/"): its segments joined by "." instead. No segment holds a ".": ids, footnote names, field
# names and positions never do, so the two forms map one to one.
TOKEN_SEPARATOR = "."


def as_token(address: str) -> str:
    """An address as an XML name token: `targets/x/text` is `targets.x.text`."""
    return TOKEN_SEPARATOR.join(split(address))


def from_token(token: str) -> str:
    """The address an XML name token (`as_token`) stands for."""
    return join(*token.split(TOKEN_SEPARATOR))


def lineage_ref(period: str, ident: str) -> str:
    """A reference to an item of another cycle (`replaces:`): `2020-2023/target-2-7`."""
    return f"{period}{SEPARATOR}{ident}"


def read_ref(ref: str) -> tuple[str | None, str]:
    """A lineage reference's cycle and id: `2020-2023/target-2-7` -> ("2020-2023",
    "target-2-7"); (None, ref) when it names no cycle."""
    period, slash, ident = ref.partition(SEPARATOR)
    return (period, ident) if slash else (None, ref)


def parent(address: str) -> tuple[str, str]:
    """An address's parent and last segment: `targets/x/indicators` -> (`targets/x`,
    `indicators`); ("", address) for a single segment."""
    head, _, last = address.rpartition(SEPARATOR)
    return head, last


class AddressError(StratplanError):
    """An address that names nothing in the plan (SP801; `apply` places it at the change)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__([Diagnostic("SP801", Severity.ERROR, message, None, hint)])
        self.message = message
        self.hint = hint


@dataclass
class Node:
    """A place in the plan's data that an address names."""

    parent: Any  # the mapping or list that holds it (None for the plan itself)
    key: str | int | None  # its key or index there
    value: Any  # MISSING for an optional field not written
    annotation: Any  # its annotation in the model
    path: DataPath  # its data path (list indices)
    canonical: tuple[str, ...]  # its path with list items named by id: stable across edits
    item: str | None  # the innermost item it is in, as the IR keys it ("target:x")

    @property
    def model(self) -> type[BaseModel] | None:
        """The model class of this node: a mapping's, or Para for a paragraph written as text."""
        model = node_model(self.annotation, self.value)
        if model is None and isinstance(self.value, str) and Para in models_in(self.annotation):
            return Para
        return model

    def describe(self) -> str:
        return join(*self.canonical) or "the plan"


def identity_field(model: type[BaseModel] | None) -> str | None:
    """The field that names an item of `model` in an address: `id`, else the field the model
    declares as its `identity` (a resource row is named by its priority); None when its items
    are named by position."""
    if model is None:
        return None
    if "id" in model.model_fields:
        return "id"
    identity = vars(model).get("identity")
    return identity if isinstance(identity, str) else None


def _named(item: Any, model: type[BaseModel] | None) -> str | None:
    """The item's name by the identity rule, when it has one: else it is named by position."""
    field = identity_field(model)
    if not field or not isinstance(item, Mapping):
        return None
    name = item.get(field)
    if isinstance(name, str) and name.strip() and SEPARATOR not in name:
        return name
    return None


def item_label(item: Any, model: type[BaseModel] | None, position: int) -> str:
    """How a list item is named in an address: its name, else its 1-based position."""
    return _named(item, model) or str(position + 1)


def _item_key(model: type[BaseModel] | None, item: Any) -> str | None:
    kind = vars(model).get("kind") if model is not None else None
    if isinstance(kind, str) and isinstance(item, MutableMapping) and item.get("id"):
        return f"{kind}:{item['id']}"
    return None


def root(data: Any, model: type[BaseModel] = Plan) -> Node:
    return Node(None, None, data, model, (), (), None)


# For each list a contribution has changed, the base position (1-based) of each current item,
# None for an item added since: positions in addresses are those of the base plan.
Positions = Mapping[int, list[int | None]]


@runtime_checkable
class ItemIndex(Protocol):
    """What an editor that applies many changes keeps (the `positions` it passes may also be
    one), so that each lookup does not scan the plan: 5 000 chained `add ... after:` were
    quadratic, and so were unknown addresses, each one searched through every list."""

    def find(self, items: Any, segment: str, name_of: Callable[[Any], str | None]) -> int | None:
        """The position of the item of `items` named `segment`, None when not known."""

    def may_hold(self, segment: str) -> bool:
        """False only when no list of the plan can have an item `segment`."""

    def lists_named(self, start: Node, name: str) -> list[Node]:
        """`_lists_named(start, name)`, kept while the plan's structure does not change."""


def position_of(segment: str) -> int | None:
    """A segment as a 1-based position: a few ASCII digits (not 5 000 of them, which Python
    will not even convert, nor Arabic-Indic digits)."""
    return int(segment) if segment.isascii() and segment.isdigit() and len(segment) <= 9 else None


def _shown(segment: str) -> str:
    return segment if len(segment) <= 60 else segment[:60] + "…"


def child(node: Node, segment: str, positions: Positions | None = None) -> Node:
    """The node `segment` names inside `node` (AddressError when there is none)."""
    value = node.value
    if isinstance(value, MutableSequence):
        return _list_item(node, segment, positions)
    model = node.model
    if model is not None:
        if segment not in model.model_fields:
            close = difflib.get_close_matches(segment, list(model.model_fields), n=3)
            raise AddressError(
                f"{node.describe()} has no field {segment!r}",
                f"did you mean {', '.join(repr(c) for c in close)}?" if close
                else f"its fields: {', '.join(model.model_fields)}",
            )
        annotation = model.model_fields[segment].annotation
        if isinstance(value, MutableMapping):
            annotation = child_annotation(node.annotation, value, segment)
            found = value.get(segment, MISSING)
        else:  # a paragraph written as plain text: only its text is there
            found = value if segment == "text" else MISSING
        return Node(value, segment, found, annotation, (*node.path, segment),
                    (*node.canonical, segment), node.item)
    if isinstance(value, MutableMapping):  # a mapping of the model's own (footnotes)
        annotation = child_annotation(node.annotation, value, segment)
        return Node(value, segment, value.get(segment, MISSING), annotation,
                    (*node.path, segment), (*node.canonical, segment), node.item)
    what = "it is not written in the plan" if value is MISSING else "it is a single value"
    raise AddressError(f"{node.describe()}/{segment} names nothing: {what}")


def _list_item(node: Node, segment: str, positions: Positions | None = None) -> Node:
    items = node.value
    annotation = child_annotation(node.annotation, items, 0)
    if isinstance(positions, ItemIndex):
        found = positions.find(items, segment,
                               lambda item: _named(item, node_model(annotation, item)))
        if found is not None:
            return _item_node(node, items, annotation, found, positions)
    models = [node_model(annotation, item) for item in items]
    labels = [
        item_label(item, model, n)
        for n, (item, model) in enumerate(zip(items, models, strict=True))
    ]
    named = [_named(item, model) for item, model in zip(items, models, strict=True)]
    number = position_of(segment)
    if segment in named:
        index = named.index(segment)
    elif number is not None:
        shadow = (positions or {}).get(id(items))
        if shadow is not None:
            index = shadow.index(number) if number in shadow else -1
        else:
            index = number - 1 if 1 <= number <= len(items) else -1
    else:
        index = -1
    if index >= 0:
        return _item_node(node, items, annotation, index, positions)
    close = difflib.get_close_matches(segment, labels, n=3)
    raise AddressError(
        f"{node.describe()} has no item {_shown(segment)!r}",
        f"did you mean {', '.join(repr(c) for c in close)}?" if close
        else f"it has {len(items)} item(s)" + (f": {', '.join(labels[:12])}" if labels else ""),
    )


def _item_node(node: Node, items: Any, annotation: Any, index: int,
               positions: Positions | None) -> Node:
    item = items[index]
    model = node_model(annotation, item)
    label = item_label(item, model, index)
    shadow = (positions or {}).get(id(items))
    if shadow is not None and identity_field(model) is None:
        base = shadow[index]  # name it by its place in the base plan: stable across edits
        label = str(base) if base is not None else f"new{index + 1}"
    return Node(items, index, item, annotation, (*node.path, index),
                (*node.canonical, label), _item_key(model, item) or node.item)


def _lists_named(node: Node, name: str) -> Iterator[Node]:
    """Every list field called `name` anywhere in the data, depth first."""
    value = node.value
    if isinstance(value, MutableSequence):
        # Each item by its place, directly: looking each up by its number read every item's
        # model again, for every item (quadratic in the list's length).
        annotation = child_annotation(node.annotation, value, 0)
        for index in range(len(value)):
            yield from _lists_named(_item_node(node, value, annotation, index, None), name)
        return
    if not isinstance(value, MutableMapping):
        return
    model = node.model
    for key in list(value):
        if model is not None and key not in model.model_fields:
            continue
        inner = child(node, str(key))
        if key == name and isinstance(inner.value, MutableSequence):
            yield inner
        yield from _lists_named(inner, name)


def lists_named(start: Node, name: str) -> list[Node]:
    """Every list field called `name` anywhere under `start`, depth first."""
    return list(_lists_named(start, name))


def resolve(data: Any, address: str, positions: Positions | None = None) -> Node:
    """The node `address` names in `data` (the merged plan); AddressError when it names
    nothing, with a did-you-mean where one is close."""
    segments = split(address)
    start = root(data)
    try:
        return _walk(start, segments, positions)
    except AddressError as first:
        # `indicators/<id>` (or `sections/<id>` for a nested section): ids are unique in a
        # plan, so the list may be anywhere.
        if len(segments) < 2:
            raise
        index = positions if isinstance(positions, ItemIndex) else None
        if index is not None and not index.may_hold(segments[1]):
            raise first from None  # no list of the plan has such an item: nothing to search
        lists = index.lists_named(start, segments[0]) if index else _lists_named(
            start, segments[0])
        for found in lists:
            try:
                return _walk(found, segments[1:], positions)
            except AddressError:
                continue
        raise first from None


def _walk(node: Node, segments: list[str], positions: Positions | None) -> Node:
    for segment in segments:
        node = child(node, segment, positions)
    return node


def ids_in(data: Any) -> set[str]:
    """Every id in the data (of items of the model's lists)."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, MutableMapping):
            if isinstance(value.get("id"), str):
                found.add(value["id"])
            for item in value.values():
                visit(item)
        elif isinstance(value, MutableSequence):
            for item in value:
                visit(item)

    visit(data)
    return found


def canonical_of(
    data: Any, path: Sequence[str | int], model: type[BaseModel] = Plan
) -> tuple[str, ...]:
    """A data path (list indices) as an address's segments, list items named by the identity
    rule: ("targets", 5, "goal") -> ("targets", "effective-partnerships", "goal"). Any data
    (a plan file as read, a contribution) and any path: where the data or the model end, list
    items are named by position."""
    parts: list[str] = []
    node: Any = data
    annotation: Any = model
    for part in path:
        inner: Any = None
        if isinstance(node, Mapping) and part in node:
            inner = node[part]
        elif isinstance(node, Sequence) and not isinstance(node, str) and isinstance(part, int):
            inner = node[part] if 0 <= part < len(node) else None
        annotation = child_annotation(annotation, node, part) if annotation is not None else None
        if isinstance(part, int):
            parts.append(item_label(inner, node_model(annotation, inner), part))
        else:
            parts.append(str(part))
        node = inner
    return tuple(parts)


def format_path(data: Any, path: Sequence[str | int], model: type[BaseModel] = Plan) -> str:
    """A data path as a drafter reads it and as contributions address it:
    ("targets", 3, "indicators", 0, "unit") is `targets/broadband-coverage/indicators/
    population-covered/unit`, ("sections", 0, "content", 2) `sections/overview/content/3`."""
    return join(*canonical_of(data, path, model)) or NOWHERE
