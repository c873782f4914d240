"""Applying contributions to the base plan's data: in memory (a copy of the data the loader
read), or, where the files are to be rewritten (`texts`), to their YAML in ruamel's round-trip
mode, so the base files keep their comments and order; only the files holding a changed key
are rewritten.

Changes are applied in order, each to the plan as the changes before it left it. A change that
names nothing in the plan is a diagnostic (SP801) and the others are still applied, so one run
reports every problem. Each applied change remembers what it touched: the path of its target
with list items named by id (`canonical`, for overlaps), the item as the document keys it
(`item`, for attribution), and the objects it wrote (to find, in the amended plan, the errors it
causes).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Iterator, MutableMapping, MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ruamel.yaml.comments import CommentedMap

from stratplan import keys
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.address import (
    MISSING,
    AddressError,
    Node,
    child,
    ids_in,
    join,
    lists_named,
    parent,
    position_of,
    resolve,
    split,
)
from stratplan.model.contribution import (
    Add,
    AnyChange,
    ContributionMeta,
    Modify,
    Suppress,
    address_of,
)
from stratplan.model.facts import DataPath, FieldFacts, field_facts, members
from stratplan.model.plan import Para, Plan
from stratplan.model.walk import child_annotation, typed
from stratplan.source.reader import yaml_files
from stratplan.source.roundtrip import (
    dump_text,
    insert_item,
    load_text,
    remove_item,
    remove_key,
    round_trip_yaml,
    set_value,
)
from stratplan.workspace import LoadedContribution, Workspace

# Changes in one contribution: a meeting's contributions hold tens; an import of a reviewed
# file with every comment a change, some thousands. Past this a file is refused (SP003).
MAX_CHANGES = 10_000


class _Edits(Protocol):
    """How the editor changes the data: plainly in memory, or keeping YAML comments."""

    def set_value(self, container: Any, key: Any, value: Any) -> None: ...
    def insert_item(self, seq: Any, index: int, value: Any) -> None: ...
    def remove_item(self, seq: Any, index: int) -> None: ...
    def remove_key(self, mapping: Any, key: Any) -> None: ...


class _PlainEdits:
    """Edits of plain data (the loader's): each value written is a copy of the change's."""

    def set_value(self, container: Any, key: Any, value: Any) -> None:
        container[key] = copy.deepcopy(value)

    def insert_item(self, seq: Any, index: int, value: Any) -> None:
        seq.insert(index, copy.deepcopy(value))

    def remove_item(self, seq: Any, index: int) -> None:
        del seq[index]

    def remove_key(self, mapping: Any, key: Any) -> None:
        del mapping[key]


class _RoundTripEdits:
    """Edits of ruamel's round-trip data: comments stay where they belong."""

    set_value = staticmethod(set_value)
    insert_item = staticmethod(insert_item)
    remove_item = staticmethod(remove_item)
    remove_key = staticmethod(remove_key)


@dataclass
class AppliedChange:
    """One change of one contribution, as it was applied."""

    source: LoadedContribution
    index: int  # 0-based, in its contribution's `changes`
    change: AnyChange
    canonical: tuple[str, ...]  # what it touches, list items by id: stable across edits
    item: str | None  # the item the document renders it in ("target:x"), if known
    written: list[tuple[Any, Any]] = field(default_factory=list)  # (container, key) it set
    removed: str | None = None  # the id of an item it suppressed
    # The ids of the items it changes: the item its target is in, and every item inside the
    # value it writes or removes. The document's blocks of these items show the change.
    scope: frozenset[str] = frozenset()
    # Its effect on the document stays in the blocks keyed by its item: a new text for a prose
    # field of an item the document keys (a target, an outcome, an indicator...), or an item
    # added to or removed from a list whose items carry no number of a section's or table's
    # (compile checks the rest in the redline: no number changed, every change keyed).
    local: bool = False

    @property
    def meta(self) -> ContributionMeta:
        return self.source.contribution.contribution

    @property
    def number(self) -> int:
        """Its number in its file, as people count: 1 for the first change."""
        return self.source.position(self.index) + 1

    @property
    def location(self) -> Location:
        here = self.source.sources.locate(("changes", self.source.position(self.index)))
        return here or Location(display_path(self.source.path))

    def describe(self) -> str:
        return f"change {self.number} of {display_path(self.source.path)}"


@dataclass
class Applied:
    """The base plan with the contributions applied, in memory."""

    base: Path  # the base plan folder
    texts: dict[Path, str] = field(default_factory=dict)  # base file -> its new text
    changes: list[AppliedChange] = field(default_factory=list)  # in the order applied
    problems: list[Diagnostic] = field(default_factory=list)  # changes that could not apply
    data: dict[str, Any] = field(default_factory=dict)  # the amended merged data

    def touched(self) -> dict[str, ContributionMeta]:
        """Item id -> the contribution whose change touched it (for attributing revisions)."""
        return {item: applied.meta for applied in self.changes for item in applied.scope}

    def paths_written(self) -> dict[int, DataPath]:
        """The data path, in the amended plan, of every object a change wrote."""
        return dict(_paths(self.data, ()))


def _paths(value: Any, path: DataPath) -> Iterator[tuple[int, DataPath]]:
    yield id(value), path
    if isinstance(value, MutableMapping):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, MutableSequence):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _problem(applied: AppliedChange, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic("SP801", Severity.ERROR, f"{applied.describe()}: {message}",
                      applied.location, hint)


def _scope(node: Node, value: Any) -> frozenset[str]:
    """The item `node` is in (its id, else the section or list position it is in) and every
    item inside `value`."""
    labels = [node.canonical[i] for i, part in enumerate(node.path) if isinstance(part, int)]
    own = keys.parse(node.item).name if node.item else (labels[-1] if labels else "")
    # A singleton (vision, mission, resources...) is keyed by its field in the document.
    own = own or (node.canonical[0] if node.canonical else "")
    return frozenset({own} - {""}) | frozenset(ids_in(value))


# Kinds whose items are numbered or counted by the document itself (a section's paragraphs,
# a table's caption number): adding or removing one renumbers what follows.
_COUNTED_KINDS = frozenset({keys.SECTION, "p", "table"})


def _keyed(item: str | None) -> bool:
    """Whether the document keys the item a change is in by its own kind and id."""
    return item is not None and keys.parse(item).kind not in _COUNTED_KINDS


def _is_list_field(node: Node) -> bool:
    return any(getattr(m, "__origin__", None) is list for m in members(node.annotation))


class _Index(dict[int, list[int | None]]):
    """The `Positions` of the lists changed (list -> base position of each item), and what
    keeps each change's lookups from scanning the plan (`address.ItemIndex`): each list's
    items by name with their last known place, the ids of the whole plan, the lists of each
    name. The editor says what changes; the rest is checked when used (an item is found by
    identity near its last place, and must still carry its name)."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.ids = ids_in(data)
        self.names: dict[int, tuple[Any, dict[str, Any], dict[int, int]]] = {}
        self.named_lists: dict[str, list[Node]] = {}

    def find(self, items: Any, segment: str, name_of: Callable[[Any], str | None]) -> int | None:
        entry = self.names.get(id(items))
        if entry is None or entry[0] is not items:
            by_name: dict[str, Any] = {}
            places: dict[int, int] = {}
            for place, item in enumerate(items):
                name = name_of(item)
                if name is not None:
                    by_name.setdefault(name, item)
                places[id(item)] = place
            entry = self.names[id(items)] = (items, by_name, places)
        _, by_name, places = entry
        item = by_name.get(segment)
        if item is None:
            return None
        found = _locate(items, item, places.get(id(item), 0))
        if found is None or name_of(item) != segment:
            del self.names[id(items)]  # renamed or replaced since: scan once, index again
            return None
        places[id(item)] = found
        return found

    def may_hold(self, segment: str) -> bool:
        return segment in self.ids or position_of(segment) is not None

    def lists_named(self, start: Node, name: str) -> list[Node]:
        if name not in self.named_lists:
            self.named_lists[name] = lists_named(start, name)
        return self.named_lists[name]

    def inserted(self, seq: Any, place: int, item: Any) -> None:
        entry = self.names.get(id(seq))
        if entry is not None and entry[0] is seq:
            name = item.get("id") if isinstance(item, MutableMapping) else None
            if isinstance(name, str):
                entry[1].setdefault(name, item)
            entry[2][id(item)] = place
        self.ids |= ids_in(item)
        self.named_lists.clear()  # a new item may hold lists, and shifts the places after it

    def removed(self, value: Any) -> None:
        self.ids -= ids_in(value)
        self.named_lists.clear()

    def replaced(self, old: Any, new: Any, key: Any) -> None:
        if key == "id":  # an item renamed: its old id is gone, its new one there
            if isinstance(old, str):
                self.ids.discard(old)
            if isinstance(new, str):
                self.ids.add(new)
        if old is not MISSING:
            self.ids -= ids_in(old)
        self.ids |= ids_in(new)
        if isinstance(old, MutableMapping | MutableSequence) or isinstance(
                new, MutableMapping | MutableSequence):
            self.named_lists.clear()


def _locate(items: Any, item: Any, hint: int) -> int | None:
    """Where `item` (the object itself) is in `items`, looked for from `hint` outwards: an
    insertion moves the items after it by one, so it is found in a step or two."""
    size = len(items)
    for distance in range(size):
        for place in (hint + distance, hint - distance):
            if 0 <= place < size and items[place] is item:
                return place
    return None


class _Editor:
    """Applies changes to the merged round-trip data, remembering for each list it changes the
    base position of every item, so that `content/3` always means the base plan's third."""

    def __init__(self, data: dict[str, Any], edits: _Edits) -> None:
        self.data = data
        self.edits = edits
        self.positions = _Index(data)
        self.lengths: dict[int, int] = {}  # each such list's length in the base plan
        # For the same lists, what each added item was placed after, with its serial number
        # (None for a base item): ("pos", k) a base position (0: the start), ("new", n) the
        # item added nth, ("end",). Items added after one place keep the order they are written.
        self.anchors: dict[int, list[tuple[tuple[Any, ...], int] | None]] = {}
        self.added = 0
        # The base position of each item suppressed so far, by list and id: `after: <id>` of
        # an item a change has suppressed means where it stood.
        self.gone: dict[int, dict[str, int]] = {}

    def resolve(self, address: str) -> Node:
        return resolve(self.data, address, self.positions)

    def _shadow(self, seq: Any) -> list[int | None]:
        if id(seq) not in self.positions:
            self.lengths[id(seq)] = len(seq)
            self.positions[id(seq)] = list(range(1, len(seq) + 1))
            self.anchors[id(seq)] = [None] * len(seq)
        return self.positions[id(seq)]

    def apply(self, record: AppliedChange) -> None:
        change = record.change
        if isinstance(change, Modify):
            self.modify(record, change)
        elif isinstance(change, Add):
            self.add(record, change)
        else:
            self.suppress(record, change)

    def modify(self, applied: AppliedChange, change: Modify) -> None:
        node = self.resolve(change.modify)
        if change.field is not None:
            owner = node.model
            node = self._field(node, change.field)
        else:
            head, _ = parent(change.modify)
            try:
                owner = self.resolve(head).model if head else Plan
            except AddressError:
                owner = None
        name = change.field or (node.key if isinstance(node.key, str) else "")
        applied.local = isinstance(change.value, str) and owner is not None and (
            field_facts(owner).get(name, FieldFacts()).prose or (owner is Para and name == "text")
        ) and _keyed(node.item)
        if node.parent is None:
            raise AddressError(
                "a change cannot replace the whole plan", "address a field or an item"
            )
        applied.scope = _scope(node, node.value) | ids_in(change.value)
        self.positions.replaced(node.value, change.value, node.key)
        self.edits.set_value(node.parent, node.key, typed(change.value, node.annotation))
        applied.canonical, applied.item = node.canonical, node.item
        applied.written.append((node.parent, node.key))

    def _field(self, node: Node, name: str) -> Node:
        """The field `name` of `node`. A paragraph written as plain text (`vision: "..."`): its
        `text` is the text itself; setting another field makes it a mapping first."""
        target = child(node, name, self.positions)
        if not isinstance(node.value, str):
            return target
        if name == "text":
            return Node(node.parent, node.key, node.value, node.annotation, node.path,
                        target.canonical, node.item)
        self.edits.set_value(node.parent, node.key, {"text": node.value})
        node.value = node.parent[node.key]
        return child(node, name, self.positions)

    def add(self, applied: AppliedChange, change: Add) -> None:
        try:
            node = self.resolve(change.add)
            if isinstance(node.parent, str):
                # A list of a paragraph written as plain text (`vision: "..."`): the paragraph
                # becomes a mapping that holds it.
                head, name = parent(change.add)
                node = self._field(self.resolve(head), name)
        except AddressError as exc:
            if len(split(change.add)) == 1 and change.add not in Plan.model_fields:
                raise AddressError(
                    f"the plan has no list {change.add!r} of its own",
                    "name whose list it is, e.g. " + join("targets", "<id>", change.add),
                ) from exc
            raise
        if node.value is MISSING and _is_list_field(node):
            self.edits.set_value(node.parent, node.key, [])
            node.value = node.parent[node.key]
        if not isinstance(node.value, MutableSequence):
            raise AddressError(
                f"{node.describe()} is not a list",
                "`add` names a list, e.g. targets or targets/<id>/indicators",
            )
        seq = node.value
        shadow = self._shadow(seq)
        anchors = self.anchors[id(seq)]
        anchor: tuple[Any, ...] = ("end",)
        if change.after is None:
            position = len(seq)
        else:
            position, anchor = self._after(node, seq, str(change.after))
            while position < len(seq) and (anchors[position] or ((), 0))[0] == anchor:
                position += 1  # after what was added here before: the order written
        item = typed(change.item, child_annotation(node.annotation, seq, 0))
        self.edits.insert_item(seq, position, item)
        self.positions.inserted(seq, position, seq[position])
        shadow.insert(position, None)
        self.added += 1
        anchors.insert(position, (anchor, self.added))
        new = seq[position]
        label = str(new["id"]) if isinstance(new, MutableMapping) and new.get("id") else None
        added = child(node, label or f"new{position + 1}", self.positions) if label else None
        applied.canonical = (*node.canonical, f"+{label or f'new{position + 1}'}")
        applied.item = added.item if added is not None else node.item
        applied.written.append((seq, position))
        applied.scope = _scope(node, new)
        # An item of a kind of its own (an indicator): its blocks are keyed by it.
        applied.local = added is not None and added.item != node.item and _keyed(added.item)

    def _after(self, node: Node, seq: Any, after: str) -> tuple[int, tuple[Any, ...]]:
        """Where an item `after` a sibling goes, and the place it is anchored to. A base
        position whose item an earlier change suppressed still has its place: after what stood
        before it, and after what was added at or before it."""
        shadow, anchors = self.positions[id(seq)], self.anchors[id(seq)]
        if after == "0":
            return 0, ("pos", 0)
        try:
            sibling = child(node, after, self.positions)
        except AddressError:
            stood = self.gone.get(id(seq), {}).get(after)
            if stood is not None:
                base = stood
            elif (number := position_of(after)) is None or not (
                    1 <= number <= self.lengths[id(seq)]):
                raise
            else:
                base = number
            position = 0
            for index, (at, mark) in enumerate(zip(shadow, anchors, strict=True)):
                if at is not None:
                    if at >= base:
                        break
                elif mark is None or mark[0][0] == "end" or (
                        mark[0][0] == "pos" and mark[0][1] > base):
                    break
                position = index + 1
            return position, ("pos", base)
        assert isinstance(sibling.key, int)
        at = shadow[sibling.key]
        if at is not None:
            return sibling.key + 1, ("pos", at)
        mark = anchors[sibling.key]
        assert mark is not None
        return sibling.key + 1, ("new", mark[1])

    def suppress(self, applied: AppliedChange, change: Suppress) -> None:
        node = self.resolve(change.suppress)
        applied.canonical, applied.item = node.canonical, node.item
        applied.scope = _scope(node, node.value)
        applied.local = _keyed(node.item) and isinstance(node.value, MutableMapping) and (
            keys.parse(node.item or "").name == node.value.get("id"))
        self.positions.removed(node.value)
        if isinstance(node.value, MutableMapping) and isinstance(node.value.get("id"), str):
            applied.removed = str(node.value["id"])
        parent = node.parent
        if isinstance(parent, MutableSequence) and isinstance(node.key, int):
            shadow = self._shadow(parent)
            stood = shadow[node.key]
            if applied.removed is not None and stood is not None:
                self.gone.setdefault(id(parent), {})[applied.removed] = stood
            self.edits.remove_item(parent, node.key)
            del shadow[node.key]
            del self.anchors[id(parent)][node.key]
        elif isinstance(parent, CommentedMap) and node.key in parent:
            self.edits.remove_key(parent, node.key)
        elif isinstance(parent, MutableMapping) and node.key in parent:
            del parent[node.key]
        else:
            raise AddressError(f"{node.describe()} is not written in the plan: nothing to suppress")


def apply_contributions(
    workspace: Workspace,
    contributions: list[LoadedContribution],
    base: Path,
    keep: Callable[[AppliedChange], bool] | None = None,
    texts: bool = False,
) -> Applied:
    """The base plan's data with the contributions applied (StratplanError when the base is
    not a valid plan); with `texts`, also the new text of each base file they change. `keep`
    selects the changes to apply (default: all); the changes that name nothing are in
    `problems`, and the rest are applied all the same."""
    for loaded in contributions:
        count = len(loaded.contribution.changes)
        if count > MAX_CHANGES:
            where = loaded.sources.locate(("changes",)) or Location(display_path(loaded.path))
            raise StratplanError([Diagnostic(
                "SP003", Severity.ERROR,
                f"{count} changes, over the limit of {MAX_CHANGES} in one contribution", where,
                "split it into several contributions")])
    base_plan = workspace.plan(base)
    if base_plan.plan is None or base_plan.sources is None:
        # The base must be readable and valid before it can be amended.
        raise StratplanError(base_plan.diagnostics)
    if not texts:
        data = copy.deepcopy(base_plan.sources.data)
        applied = Applied(base, data=data)
        _apply_all(applied, _Editor(data, _PlainEdits()), contributions, keep)
        return applied
    yaml = round_trip_yaml()
    files = yaml_files(base)
    plain = {f: workspace.document(f).data for f in files}
    # Only the files holding what the changes address are read in round-trip mode (slow, and
    # what is rewritten); the others serve as the loader read them.
    needed = _needed_keys(contributions, {k: v for d in plain.values() if isinstance(d, dict)
                                          for k, v in d.items()})
    documents = {
        f: load_text(yaml, workspace.document(f).text, display_path(f))
        if isinstance(data, dict) and needed & set(data) else data
        for f, data in plain.items()
    }
    merged: dict[str, Any] = {}
    owner: dict[str, Path] = {}
    for f, doc in documents.items():
        if isinstance(doc, MutableMapping):
            for key in doc:
                merged[key] = doc[key]
                owner[key] = f
    applied = Applied(base, data=merged)
    changed_keys = _apply_all(applied, _Editor(merged, _RoundTripEdits()), contributions, keep)
    # Top-level keys live in the merged mapping: write what changed there back into the file
    # that holds the key. New keys (footnotes in a plan that had none) go to the first file.
    first = next(f for f, doc in documents.items() if isinstance(doc, MutableMapping))
    for key, value in merged.items():
        if key not in owner:
            documents[first][key] = value
            owner[key] = first
        elif documents[owner[key]][key] is not value:
            documents[owner[key]][key] = value
    for key, f in owner.items():
        if key not in merged and key in documents[f]:
            remove_key(documents[f], key)
    # Only the files that hold a changed key are rewritten: the others stay byte for byte.
    for f in sorted({owner[k] for k in changed_keys if k in owner}):
        applied.texts[f] = dump_text(yaml, documents[f])
    return applied


def _apply_all(
    applied: Applied,
    editor: _Editor,
    contributions: list[LoadedContribution],
    keep: Callable[[AppliedChange], bool] | None,
) -> set[str]:
    """Each change of each contribution applied in order; returns the top-level keys changed."""
    merged = applied.data
    changed_keys: set[str] = set()
    for loaded in contributions:
        for index, change in enumerate(loaded.contribution.changes):
            record = AppliedChange(loaded, index, change, (), None)
            if keep is not None and not keep(record):
                continue
            try:
                editor.apply(record)
            except AddressError as exc:
                # The ids as the changes before it left the plan (read only when needed).
                applied.problems.append(_problem(record, exc.message, exc.hint or _ids_hint(
                    address_of(change), editor.positions.ids)))
                continue
            applied.changes.append(record)
            changed_keys.add(record.canonical[0] if record.canonical else "")
        if loaded.contribution.footnotes:
            if "footnotes" not in merged:
                editor.edits.set_value(merged, "footnotes", {})
            footnotes = merged["footnotes"]
            for key, text in loaded.contribution.footnotes.items():
                editor.edits.set_value(footnotes, key, text)
            changed_keys.add("footnotes")
    return changed_keys


def round_trip_problems(
    workspace: Workspace, contributions: list[LoadedContribution], base: Path
) -> list[Diagnostic]:
    """Whether `apply` could rewrite the base files these contributions change: SP012 for
    each one ruamel's round-trip reader refuses (validate says so before apply is tried)."""
    plain = {f: workspace.document(f).data for f in yaml_files(base)}
    needed = _needed_keys(contributions, {k: v for d in plain.values() if isinstance(d, dict)
                                          for k, v in d.items()})
    problems: list[Diagnostic] = []
    for f, data in plain.items():
        if isinstance(data, dict) and needed & set(data):
            try:
                load_text(round_trip_yaml(), workspace.document(f).text, display_path(f))
            except StratplanError as exc:
                problems += exc.diagnostics
    return problems


def _needed_keys(contributions: list[LoadedContribution], data: dict[str, Any]) -> set[str]:
    """The top-level keys the contributions' changes can reach."""
    needed: set[str] = set()
    firsts: set[str] = set()
    for loaded in contributions:
        if loaded.contribution.footnotes:
            needed.add("footnotes")
        firsts |= {split(address_of(change))[0] for change in loaded.contribution.changes}
    for first in firsts:  # each name once: not a walk of the plan per change
        if first in Plan.model_fields:
            needed.add(first)
        # An address may start at a list anywhere (indicators/<id>): every key holding one.
        needed |= {key for key, value in data.items() if _has_list(value, first)}
    return needed


def _has_list(value: Any, name: str) -> bool:
    if isinstance(value, MutableMapping):
        return any(
            (key == name and isinstance(item, list)) or _has_list(item, name)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_has_list(item, name) for item in value)
    return False


def _ids_hint(address: str, known: set[str]) -> str:
    last = split(address)[-1]
    close = difflib.get_close_matches(last, sorted(known), n=3)
    if close:
        return f"did you mean {', '.join(repr(c) for c in close)}?"
    return "ids are those of the base plan (`stratplan export` lists them)"
