"""An index of the base plan: its prose (to find which field a paragraph's text comes from),
its items by key, and addresses of its data, each computed once.

The import asks these questions once per paragraph, comment or change: answered from this
index, its cost does not grow with the plan for each of them (10 000 comments once re-walked
the plan 10 000 times).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from stratplan import keys
from stratplan.model.address import AddressError, canonical_of, format_path, resolve
from stratplan.model.facts import DataPath, collections, prose
from stratplan.model.plan import Plan
from stratplan.model.walk import all_models, model_for_path
from stratplan.proposals.importing.base import BaseParagraph

Occurrence = tuple[int, int, "Leaf"]
RESOURCE_ROW = "resource"  # the kind of Appendix A's rows in the templates' keys


@dataclass(frozen=True, slots=True)
class Leaf:
    path: DataPath
    value: str


def item_key(key: str) -> str | None:
    """What a key names by kind (its head: `#s:x/p3` -> `s:x`), if anything."""
    read = keys.parse(key)
    return read.head if read.kind else None


def element_of(paths: list[DataPath]) -> DataPath:
    """The innermost list element (or top-level field) that holds all these paths."""
    if not paths:
        return ()
    common = list(paths[0])
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        del common[n:]
    while common and not isinstance(common[-1], int) and len(common) > 1:
        common.pop()
    return tuple(common)


def at(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node


def selector(label: str) -> str | int:
    """An `after:` selector from an address label: a position as a number, an id as text."""
    return int(label) if label.isdigit() else label


def plain_data(value: Any) -> Any:
    """A copy of loaded data, for an item written again elsewhere (numbers keep their text)."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


def slug(text: str, taken: set[str]) -> str:
    """An id made from a new item's text, not one the plan (or this import) has."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "item"
    made, n = base, 1
    while made in taken:
        n += 1
        made = f"{base}-{n}"
    taken.add(made)
    return made


class PlanIndex:
    """The base plan's data and prose, to find which field a paragraph's text comes from."""

    def __init__(self, plan: Plan, data: dict[str, Any]) -> None:
        self.plan = plan
        self.data = data
        self.leaves = [Leaf(p, v) for p, v in prose(plan) if v.strip()]
        self.by_value: dict[str, list[Leaf]] = {}
        for leaf in self.leaves:
            self.by_value.setdefault(leaf.value.strip(), []).append(leaf)
        self.kinds = {
            kind: (name, model)
            for name, model in collections(Plan).items()
            if isinstance(kind := vars(model).get("kind"), str)
        }
        self.kind_models = {
            str(vars(m)["kind"]): m for m in all_models(Plan) if "kind" in vars(m)
        }
        self.item_paths: dict[str, DataPath] = {}
        for path, value in self._items(plan, ()):
            kind = vars(type(value)).get("kind")
            if isinstance(kind, str):
                self.item_paths.setdefault(keys.key(kind, value.id), path)
        self.item_addresses = {self.address(p): k for k, p in self.item_paths.items()}
        self.by_id = {keys.parse(k).name: p for k, p in self.item_paths.items()}
        rows = plan.resources.rows if plan.resources is not None else []
        self.resource_rows: dict[str, DataPath] = {
            row.priority: ("resources", "rows", n) for n, row in enumerate(rows)}
        self._occurrences: dict[tuple[str, str], list[Occurrence]] = {}
        self._models: dict[DataPath, Any] = {}
        self._resolved: dict[DataPath, Any] = {}

    def _items(self, node: Any, path: DataPath) -> Iterator[tuple[DataPath, Any]]:
        if isinstance(node, BaseModel):
            if getattr(node, "id", None):
                yield path, node
            for name in type(node).model_fields:
                value = getattr(node, name)
                if isinstance(value, BaseModel | list):
                    yield from self._items(value, (*path, name))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from self._items(item, (*path, index))

    def model_at(self, path: DataPath) -> Any:
        """The model class of the node at `path` (Para for a paragraph written as text),
        remembered."""
        if path not in self._resolved:
            try:
                self._resolved[path] = resolve(self.data, self.address(path)).model
            except AddressError:
                self._resolved[path] = None
        return self._resolved[path]

    def model_for(self, path: DataPath) -> Any:
        """The model of the mapping at `path` (model_for_path), remembered."""
        if path not in self._models:
            self._models[path] = model_for_path(self.data, path)
        return self._models[path]

    def address(self, path: DataPath) -> str:
        return format_path(self.data, path)

    def label(self, path: DataPath) -> str:
        """The last segment of the address of the list element at `path` (its id or
        position)."""
        return canonical_of(self.data, path)[-1]

    def counted(self, key: str) -> bool:
        """A key that counts places rather than naming an item: a prose paragraph's
        ("#s:overview/p3"), or one of an item without an id ("value:2")."""
        if keys.is_positional(key):
            return True
        read = keys.parse(key)
        if read.name.isdigit():
            return True  # a template's loop.index ("value:2", "term:4")
        model = self.kind_models.get(read.kind)
        return model is not None and "id" not in model.model_fields

    def scope_key(self, b: BaseParagraph) -> str:
        """The key that says whose text `b` is: its own, or, for a cell whose key only counts
        places, its row's (a matrix row names its output)."""
        if self.counted(b.key) and b.row and (item_key(b.row) in self.item_paths or
                                              keys.parse(b.row).name in self.by_id or
                                              keys.parse(b.row).name in self.resource_rows):
            return b.row
        return b.key

    def occurrences_of(self, b: BaseParagraph) -> list[Occurrence]:
        return self.occurrences(b.text, self.scope_key(b))

    def leaf_of_text(self, text: str) -> Leaf | None:
        """The leaf whose whole value is `text` (an item's text repeated as a label)."""
        found = self.by_value.get(text.strip())
        return found[0] if found else None

    def occurrences(self, text: str, key: str) -> list[Occurrence]:
        """Where the plan's prose occurs in `text` (start, end, leaf), preferring the item
        the key names; the longest leaves first."""
        remembered = self._occurrences.get((text, key))
        if remembered is not None:
            return remembered
        item = item_key(key)
        within = self.item_paths.get(item) if item else None
        if within is None and item:
            # an Appendix A row (named by its priority: its own label, else the priority's
            # short title), or a place of the document named after an item
            # ("targets-for:universal-connectivity", the label over a goal's targets)
            name = keys.parse(key).name
            within = self.resource_rows.get(name) if keys.parse(key).kind == RESOURCE_ROW \
                else self.by_id.get(name)
        section = keys.section_of(key) if keys.is_positional(key) else None
        section_path = self.item_paths.get(section) if section else None
        top = keys.parse(key).kind
        singleton = (top,) if top in Plan.model_fields and not within else None
        scope = within or section_path or singleton
        candidates = [
            leaf for leaf in self.leaves
            if (scope is None or leaf.path[: len(scope)] == scope) and leaf.value in text
        ]
        if not candidates and scope is not None:
            candidates = [leaf for leaf in self.leaves if leaf.value in text]
        out: list[Occurrence] = []
        for leaf in sorted(candidates, key=lambda leaf: -len(leaf.value)):
            start = text.find(leaf.value)
            while start >= 0:
                end = start + len(leaf.value)
                if not any(s <= start and end <= e for s, e, _ in out):
                    out.append((start, end, leaf))
                start = text.find(leaf.value, start + 1)
        found = sorted(out, key=lambda o: o[0])
        self._occurrences[(text, key)] = found
        return found
