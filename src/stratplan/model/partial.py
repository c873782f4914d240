"""The part of a plan that fits the model, so the rules can still run when some of it does not.

A schema error (SP100) or a file that cannot be read must not hide every other problem. The
items that do not fit are left out (the smallest enclosing list item: an indicator, a target,
a paragraph), the rest is modelled, and the rules run over it. Nothing is reported twice: a
left-out item's problems are its SP100s only, since no rule sees it; and the top-level keys
that lost items are named, so that the rules that conclude from absence ("no goal has a
target", "no priority 'x'") can stay silent about what might only be missing here.

The left-out items shift the indices of the items after them: `original` maps a path of the
modelled plan back to the path in the files, which is what the source map knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from stratplan.diagnostics import Diagnostic
from stratplan.model.errors import data_path, schema_diagnostics
from stratplan.model.facts import DataPath
from stratplan.source.reader import LoadedSources

UNKNOWN = "*"  # any part of the plan may be missing (a file whose keys are unknown)


@dataclass
class Fitted:
    """What of a plan fits the model: the plan (None when even that is impossible), the SP100
    problems, the top-level keys that are not all there, and the path translation."""

    model: BaseModel | None
    diagnostics: list[Diagnostic]
    incomplete: frozenset[str] = frozenset()
    # Left-out indices of each list, by the list's path in the files.
    removed: dict[DataPath, list[int]] = field(default_factory=dict)

    def original(self, path: DataPath) -> DataPath:
        """The path in the files of the value at `path` in the modelled plan."""
        if not self.removed:
            return path
        out: list[str | int] = []
        for part in path:
            gone = self.removed.get(tuple(out))
            if isinstance(part, int) and gone:
                index = part
                for removed in gone:  # ascending
                    if removed <= index:
                        index += 1
                part = index
            out.append(part)
        return tuple(out)


def _unit(data: Any, path: DataPath) -> DataPath:
    """What to leave out for a problem at `path`: the deepest list item (a mapping) that holds
    it, else the top-level key."""
    node = data
    best: DataPath = path[:1]
    for depth, part in enumerate(path):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if isinstance(node[part], dict):
                best = path[: depth + 1]
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    return best


def _without(
    data: dict[str, Any], units: set[DataPath]
) -> tuple[dict[str, Any], dict[DataPath, list[int]]]:
    """A copy of `data` without the units (each list copied only where it loses an item)."""
    # A unit inside another unit goes with it.
    units = {u for u in units if not any(u[: n] in units for n in range(1, len(u)))}
    removed: dict[DataPath, list[int]] = {}
    dropped_keys = {u[0] for u in units if len(u) == 1}
    for unit in units:
        if len(unit) > 1:
            removed.setdefault(unit[:-1], []).append(int(unit[-1]))
    copies: dict[DataPath, Any] = {}

    def copy_of(path: DataPath) -> Any:
        # Copy every container from the root to `path`, so the original stays untouched.
        if path in copies:
            return copies[path]
        if not path:
            copies[()] = {k: v for k, v in data.items() if k not in dropped_keys}
            return copies[()]
        parent = copy_of(path[:-1])
        child = parent[path[-1]]
        child = list(child) if isinstance(child, list) else dict(child)
        parent[path[-1]] = child
        copies[path] = child
        return child

    root = copy_of(())
    for list_path, indices in removed.items():
        indices.sort()
        target = copy_of(list_path)
        for index in reversed(indices):
            del target[index]
    return root, removed


def fit_partial(loaded: LoadedSources, root: type[BaseModel]) -> Fitted:
    """Model what can be modelled of `loaded`: every SP100 of the files that loaded, and the
    plan without the items they concern."""
    # What the loader could not read: the keys of files that did not parse, or UNKNOWN.
    incomplete: set[str] = set(loaded.lost)
    data = loaded.data
    try:
        return Fitted(root.model_validate(data), [], frozenset(incomplete))
    except ValidationError as exc:
        error = exc
    diagnostics = schema_diagnostics(error, data, loaded.sources, root)
    required = {name for name, info in root.model_fields.items() if info.is_required()}
    # A required top-level key that a file that could not be read may hold is not missing.
    if UNKNOWN in incomplete or required & incomplete:
        diagnostics = [d for d in diagnostics if d.path or "is missing" not in d.message]
    units: set[DataPath] = set()
    for item in error.errors(include_url=False):
        path = data_path(data, tuple(item["loc"]))
        if not path:
            return Fitted(None, diagnostics, frozenset(incomplete | {UNKNOWN}))
        unit = _unit(data, path)
        if unit[0] in required and len(unit) == 1:
            return Fitted(None, diagnostics, frozenset(incomplete | {str(unit[0])}))
        units.add(unit)
        # An unknown top-level key may be a misspelt collection: anything may be missing.
        top_known = unit[0] in root.model_fields
        incomplete.add(str(unit[0]) if top_known else UNKNOWN)
    pruned, removed = _without(data, units)
    try:
        model = root.model_validate(pruned)
    except ValidationError:
        # What is left still does not fit (a problem only the first errors hid): no rules run
        # rather than run at positions the files do not have.
        return Fitted(None, diagnostics, frozenset(incomplete | {UNKNOWN}))
    return Fitted(model, diagnostics, frozenset(incomplete), removed)

