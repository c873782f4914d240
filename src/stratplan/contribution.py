"""Contributions: change sets against a plan, addressed by the plan's ids.

A contribution (a Member State's or an advisory group's proposal) lists changes: `modify` a
field of an item, `add` an item to a collection, `suppress` an item; each with the
contributor's rationale. Applying it edits the base plan's YAML with ruamel's round-trip mode,
so the base files keep their comments and order.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import MutableMapping, MutableSequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError
from ruamel.yaml import YAML

from stratplan import ir
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.load import SourceMap, load_sources, yaml_files
from stratplan.model import Id, IsoDate, Model, Period, Rich, Text

Address = Annotated[str, StringConstraints(pattern=r"^[a-z_]+/[a-z0-9][a-z0-9-]*$")]
COLLECTIONS = (
    "goals",
    "targets",
    "priorities",
    "outcomes",
    "offerings",
    "enablers",
    "risks",
    "sectors",
    "objectives",
    "outputs",
    "tables",
    "sections",
    "appendices",
    "glossary",
)


class ContributionMeta(Model):
    base: Period = Field(description="The period of the plan it amends: plans/<base>/.")
    contributor: Text
    title: Text
    date: IsoDate | None = None
    reference: Text | None = None
    summary: list[Rich] = Field(default_factory=list)


class Modify(Model):
    modify: Address = Field(description="<collection>/<id>, e.g. goals/growth")
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    value: Any
    rationale: Text | None = None


class Add(Model):
    add: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")] = Field(
        description="The collection, e.g. goals"
    )
    after: Id | None = Field(default=None, description="Insert after this id (default: last).")
    item: dict[str, Any]
    rationale: Text | None = None


class Suppress(Model):
    suppress: Address
    rationale: Text | None = None


Change = Modify | Add | Suppress


class Contribution(Model):
    contribution: ContributionMeta
    changes: list[Change] = Field(default_factory=list)
    footnotes: dict[str, Text] = Field(default_factory=dict)


def is_contribution(data: Any) -> bool:
    return isinstance(data, dict) and "contribution" in data


def _rt() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # plans keep one paragraph per line; never rewrap what was not changed
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


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


@dataclass
class Applied:
    folder: Path  # the edited copy of the base plan
    touched: dict[str, str]  # item id -> contributor, for attributing revisions
    files: list[Path] | None = None  # files rewritten


def _problem(message: str, where: Location, code: str = "SP801") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, where, "ids are those of the base plan")


def apply_changes(
    contribution: Contribution, data: MutableMapping[str, Any], sources: SourceMap
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Apply the changes to the merged top-level mapping (edited in place)."""
    problems: list[Diagnostic] = []
    touched: dict[str, str] = {}
    who = contribution.contribution.contributor
    for n, change in enumerate(contribution.changes):
        here = sources.locate(("changes", n)) or Location("contribution")
        if isinstance(change, Modify | Suppress):
            address = change.modify if isinstance(change, Modify) else change.suppress
            collection, _, item_id = address.partition("/")
            found = _find(data.get(collection), item_id)
            if collection not in COLLECTIONS or found is None:
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
            if change.add not in COLLECTIONS or not isinstance(collection_items, MutableSequence):
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


@dataclass
class LoadedContribution:
    path: Path
    contribution: Contribution
    sources: SourceMap


def load_contribution(path: Path) -> LoadedContribution:
    """Read a contribution file with the safe loader; StratplanError with located problems."""
    from stratplan.validate import schema_diagnostics

    loaded = load_sources(path)
    if any(d.severity is Severity.ERROR for d in loaded.diagnostics):
        raise StratplanError(loaded.diagnostics)
    try:
        contribution = Contribution.model_validate(loaded.data)
    except ValidationError as exc:
        raise StratplanError(schema_diagnostics(exc, loaded.data, loaded.sources)) from None
    return LoadedContribution(path, contribution, loaded.sources)


def contribution_files(path: Path) -> list[Path]:
    """The contribution files at `path` (a file, or a folder of them); [] for a plan."""
    files = yaml_files(path) if path.is_dir() else [path]
    found = []
    for f in files:
        if not f.is_file():
            return []
        try:
            with f.open("rb") as handle:
                head = handle.read(20000).decode("utf-8", errors="replace")
        except OSError:
            return []
        if any(line.startswith("contribution:") for line in head.splitlines()):
            found.append(f)
    return found if found and len(found) == len(files) else []


def base_folder(path: Path, contribution: ContributionMeta) -> Path:
    """plans/<base>/ beside the repository's contributions/ folder, or a sibling folder."""
    base = contribution.base
    here = path.resolve()
    for root in here.parents:
        if (root / "plans" / base).is_dir():
            return root / "plans" / base
    for root in here.parents:
        candidate = root / base
        if candidate.is_dir() and candidate != here.parent and not contribution_files(candidate):
            return candidate
    raise StratplanError(
        [
            Diagnostic(
                "SP803",
                Severity.ERROR,
                f"base plan {base} not found (looked for plans/{base}/ above the contribution)",
                Location(display_path(path)),
                io=True,
            )
        ]
    )


def apply_to_copy(contributions: list[LoadedContribution], base: Path, dest: Path) -> Applied:
    """Copy the base plan to `dest` and apply the contributions there with round-trip YAML."""
    from stratplan.validate import load_plan

    base_plan = load_plan(base)
    if base_plan.plan is None:
        # The base must be readable and valid before it can be amended.
        raise StratplanError(base_plan.diagnostics)
    yaml = _rt()
    shutil.copytree(base, dest)
    files = yaml_files(dest)
    documents = {f: yaml.load(f.read_text(encoding="utf-8")) for f in files}
    merged: dict[str, Any] = {}
    owner: dict[str, Path] = {}
    for f, doc in documents.items():
        if isinstance(doc, MutableMapping):
            for key in doc:
                merged[key] = doc[key]
                owner[key] = f
    touched: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for loaded in contributions:
        t, p = apply_changes(loaded.contribution, merged, loaded.sources)
        touched.update(t)
        problems += p
    if problems:
        raise StratplanError(problems)
    changed_keys = {
        c.modify.partition("/")[0]
        if isinstance(c, Modify)
        else c.suppress.partition("/")[0]
        if isinstance(c, Suppress)
        else c.add
        for lc in contributions
        for c in lc.contribution.changes
    }
    if any(lc.contribution.footnotes for lc in contributions):
        changed_keys.add("footnotes")
    # New top-level keys (e.g. footnotes in a plan that had none) go to the first file.
    first = next(f for f, doc in documents.items() if isinstance(doc, MutableMapping))
    for key, value in merged.items():
        if key not in owner:
            documents[first][key] = value
            owner[key] = first
    # Only the files that hold a changed key are rewritten: the others stay byte for byte.
    rewritten = sorted({owner[k] for k in changed_keys if k in owner})
    for f in rewritten:
        with f.open("w", encoding="utf-8") as handle:
            yaml.dump(documents[f], handle)
    return Applied(dest, touched, rewritten)


def validate_contribution(path: Path) -> list[Diagnostic]:
    """Every id the contribution addresses exists in its base plan, and the result validates."""
    from stratplan.validate import validate_paths

    try:
        loaded = load_contribution(path)
        base = base_folder(path, loaded.contribution.contribution)
        with tempfile.TemporaryDirectory() as tmp:
            applied = apply_to_copy([loaded], base, Path(tmp) / base.name)
            result = validate_paths([applied.folder])
    except StratplanError as exc:
        return exc.diagnostics
    out = []
    for d in result.diagnostics:
        if d.severity is Severity.ERROR:
            out.append(
                Diagnostic(
                    "SP804",
                    Severity.ERROR,
                    f"with this contribution applied, the plan has an error: {d.code} {d.message}",
                    Location(display_path(path)),
                )
            )
    return out


def apply_contributions(paths: list[Path], output: Path) -> Applied:
    """Write the base plan with the contributions applied to `output` (a new folder)."""
    if output.exists():
        raise StratplanError(
            [
                Diagnostic(
                    "SP010",
                    Severity.ERROR,
                    "output folder already exists",
                    Location(display_path(output)),
                    "choose a new folder",
                    io=True,
                )
            ]
        )
    loaded = [load_contribution(p) for p in paths]
    bases = {lc.contribution.contribution.base for lc in loaded}
    if len(bases) != 1:
        raise StratplanError(
            [
                Diagnostic(
                    "SP803",
                    Severity.ERROR,
                    "contributions amend different plans: " + ", ".join(sorted(bases)),
                    Location(display_path(paths[0])),
                    io=True,
                )
            ]
        )
    base = base_folder(paths[0], loaded[0].contribution.contribution)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".stratplan-", dir=output.parent))
    try:
        applied = apply_to_copy(loaded, base, staging / "plan")
        (staging / "plan").rename(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Applied(output, applied.touched)


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
