"""Applying contributions to the base plan's YAML with ruamel's round-trip mode, so the base
files keep their comments and order; only the files holding a changed key are rewritten."""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError
from stratplan.model.contribution import Contribution, Modify, Suppress, collection_of
from stratplan.model.facts import collections
from stratplan.model.plan import Plan
from stratplan.source.reader import SourceMap, yaml_files
from stratplan.source.roundtrip import dump_text, round_trip_yaml
from stratplan.workspace import LoadedContribution, Workspace


@dataclass
class Applied:
    """The base plan with the contributions applied, in memory."""

    base: Path  # the base plan folder
    texts: dict[Path, str] = field(default_factory=dict)  # base file -> its new text
    touched: dict[str, str] = field(default_factory=dict)  # item id -> contributor


def _find(items: Any, item_id: str) -> tuple[MutableSequence[Any], int] | None:
    """The list and index holding the mapping with `id: item_id`, searching nested sections."""
    if not isinstance(items, MutableSequence):
        return None
    for index, item in enumerate(items):
        if isinstance(item, MutableMapping):
            if item.get("id") == item_id:
                return items, index
            found = _find(item.get("sections"), item_id)
            if found:
                return found
    return None


def _problem(message: str, where: Location) -> Diagnostic:
    return Diagnostic("SP801", Severity.ERROR, message, where, "ids are those of the base plan")


def apply_changes(
    contribution: Contribution, data: MutableMapping[str, Any], sources: SourceMap
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Apply the changes to the merged top-level mapping (edited in place)."""
    problems: list[Diagnostic] = []
    touched: dict[str, str] = {}
    addressable = collections(Plan)
    who = contribution.contribution.contributor
    for n, change in enumerate(contribution.changes):
        here = sources.locate(("changes", n)) or Location("contribution")
        if isinstance(change, Modify | Suppress):
            address = change.modify if isinstance(change, Modify) else change.suppress
            collection, _, item_id = address.partition("/")
            found = _find(data.get(collection), item_id)
            if collection not in addressable or found is None:
                problems.append(_problem(f"change {n + 1}: the base plan has no {address}", here))
                continue
            items, index = found
            if isinstance(change, Suppress):
                del items[index]
            else:
                items[index][change.field] = change.value
            touched[item_id] = who
        else:
            collection_items = data.get(change.add)
            if change.add not in addressable or not isinstance(collection_items, MutableSequence):
                problems.append(_problem(f"change {n + 1}: no collection {change.add!r}", here))
                continue
            position = len(collection_items)
            if change.after is not None:
                found = _find(collection_items, change.after)
                if found is None:
                    problems.append(
                        _problem(
                            f"change {n + 1}: no {change.add}/{change.after} to add after", here
                        )
                    )
                    continue
                position = found[1] + 1
            collection_items.insert(position, change.item)
            if "id" in change.item:
                touched[str(change.item["id"])] = who
    if contribution.footnotes:
        footnotes = data.setdefault("footnotes", {})
        for key, text in contribution.footnotes.items():
            footnotes[key] = text
            touched[key] = who
    return touched, problems


def apply_contributions(
    workspace: Workspace, contributions: list[LoadedContribution], base: Path
) -> Applied:
    """The base plan's files with the contributions applied (StratplanError when the base is
    not a valid plan or a change names nothing in it)."""
    base_plan = workspace.plan(base)
    if base_plan.plan is None:
        # The base must be readable and valid before it can be amended.
        raise StratplanError(base_plan.diagnostics)
    yaml = round_trip_yaml()
    files = yaml_files(base)
    documents = {f: yaml.load(workspace.document(f).text) for f in files}
    merged: dict[str, Any] = {}
    owner: dict[str, Path] = {}
    for f, doc in documents.items():
        if isinstance(doc, MutableMapping):
            for key in doc:
                merged[key] = doc[key]
                owner[key] = f
    applied = Applied(base)
    problems: list[Diagnostic] = []
    for loaded in contributions:
        touched, found = apply_changes(loaded.contribution, merged, loaded.sources)
        applied.touched.update(touched)
        problems += found
    if problems:
        raise StratplanError(problems)
    changed_keys = {collection_of(c) for lc in contributions for c in lc.contribution.changes}
    if any(lc.contribution.footnotes for lc in contributions):
        changed_keys.add("footnotes")
    # New top-level keys (e.g. footnotes in a plan that had none) go to the first file.
    first = next(f for f, doc in documents.items() if isinstance(doc, MutableMapping))
    for key, value in merged.items():
        if key not in owner:
            documents[first][key] = value
            owner[key] = first
    # Only the files that hold a changed key are rewritten: the others stay byte for byte.
    for f in sorted({owner[k] for k in changed_keys if k in owner}):
        applied.texts[f] = dump_text(yaml, documents[f])
    return applied
