"""Validation: load a plan folder, fit it to the model, run the rules, locate every finding."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from stratplan import model as model_module
from stratplan.checks import Finding, PlanContext, all_rules
from stratplan.config import Config, find_config, load_config
from stratplan.diagnostics import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    Diagnostic,
    Location,
    Severity,
    StratplanError,
    display_path,
)
from stratplan.load import LoadedSources, SourceMap, load_sources, yaml_files
from stratplan.model import Plan
from stratplan.suppress import apply_suppressions, find_suppressions

MAX_SCHEMA_DIAGNOSTICS = 200
UNSILENCEABLE = frozenset({"SP001", "SP002", "SP003", "SP004", "SP005", "SP006", "SP007"})


@dataclass
class LoadedPlan:
    folder: Path
    sources: LoadedSources | None
    plan: Plan | None
    diagnostics: list[Diagnostic]


def _field_names() -> list[str]:
    names: set[str] = set()
    for obj in vars(model_module).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return sorted(names)


def data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of a pydantic `loc` that is a real path in the data (union tags dropped)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
    return tuple(path)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def schema_diagnostics(error: ValidationError, data: Any, sources: SourceMap) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    fields = _field_names()
    seen: set[tuple[str, tuple[str | int, ...]]] = set()
    errors = error.errors(include_url=False)
    for item in errors:
        if len(out) >= MAX_SCHEMA_DIAGNOSTICS:
            out.append(
                Diagnostic(
                    "SP100",
                    Severity.ERROR,
                    f"... and {len(errors) - MAX_SCHEMA_DIAGNOSTICS} more problems of this kind",
                    sources.default,
                    "fix the first ones; the rest are often consequences",
                )
            )
            break
        loc = tuple(item["loc"])
        kind = item["type"]
        path = data_path(data, loc)
        if kind == "missing":
            # The missing key has no position: point at the mapping that lacks it.
            message = f"{_dotted(path)}: required field {loc[-1]!r} is missing"
            location = sources.locate(path)
            hint = ""
        elif kind == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, fields, n=1)
            message = f"{_dotted(path[:-1])}: unknown key {key!r}"
            hint = f"did you mean {close[0]!r}?" if close else "remove it; misspelt keys are errors"
            location = sources.key_positions.get(path) or sources.locate(path)
        else:
            message = f"{_dotted(path)}: {item['msg']}"
            location = sources.locate(path)
            hint = ""
        # Union members can report the same place twice; keep the first.
        if (message, path) in seen:
            continue
        seen.add((message, path))
        out.append(Diagnostic("SP100", Severity.ERROR, message, location, hint))
    return out


def _fingerprint(folder: Path) -> tuple[object, ...] | None:
    try:
        files = yaml_files(folder) if folder.is_dir() else [folder]
        return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except OSError:
        return None


# The active cache scope: folder -> (fingerprint, loaded plan); empty when no scope is open.
_SCOPES: list[dict[Path, tuple[tuple[object, ...], LoadedPlan]]] = []


@contextmanager
def plan_cache() -> Iterator[None]:
    """Within this block, each plan folder is read once while its files are unchanged (same
    names, sizes and modification times): a diff validates two plans and their previous
    cycles, and reads each folder once. Nested blocks share the outermost one's cache.

    The cache ends with the block, so a command can drop the plans (hundreds of megabytes
    for a large plan) before it writes its output."""
    if _SCOPES:
        yield
        return
    _SCOPES.append({})
    try:
        yield
    finally:
        _SCOPES.clear()


def load_plan(folder: Path) -> LoadedPlan:
    """Load and model-validate one plan folder (or single-file plan), without the rules;
    read once per `plan_cache` block."""
    if not _SCOPES:
        return _load_plan(folder)
    cache = _SCOPES[-1]
    key = folder.resolve()
    fingerprint = _fingerprint(folder)
    cached = cache.get(key)
    if fingerprint is not None and cached is not None and cached[0] == fingerprint:
        return cached[1]
    loaded = _load_plan(folder)
    if fingerprint is not None:
        cache[key] = (fingerprint, loaded)
    return loaded


def _load_plan(folder: Path) -> LoadedPlan:
    try:
        loaded = load_sources(folder)
    except StratplanError as exc:
        return LoadedPlan(folder, None, None, exc.diagnostics)
    diagnostics = list(loaded.diagnostics)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return LoadedPlan(folder, loaded, None, diagnostics)
    try:
        plan = Plan.model_validate(loaded.data)
    except ValidationError as exc:
        diagnostics += schema_diagnostics(exc, loaded.data, loaded.sources)
        return LoadedPlan(folder, loaded, None, diagnostics)
    return LoadedPlan(folder, loaded, plan, diagnostics)


def plan_folder(path: Path) -> Path:
    """A file of a plan folder stands for its folder: cross-file rules need the whole plan."""
    return path.parent if path.is_file() else path


def _cycles(folder: Path, plan: Plan) -> tuple[dict[str, Plan], set[str]]:
    """Plans of the cycles this plan's lineage names, from sibling folders, where present."""
    wanted: set[str] = set()
    if plan.plan.previous:
        wanted.add(plan.plan.previous)
    from stratplan.checks.lineage import lineage_refs

    for _, ref in lineage_refs(plan):
        period, slash, _ = ref.partition("/")
        if slash:
            wanted.add(period)
    found: dict[str, Plan] = {}
    missing: set[str] = set()
    for period in sorted(wanted):
        sibling = folder.resolve().parent / period
        if not sibling.is_dir():
            missing.add(period)
            continue
        other = load_plan(sibling)
        if other.plan is not None:
            found[period] = other.plan
        else:
            missing.add(period)
    return found, missing


def check_plan(
    plan: Plan,
    sources: SourceMap,
    stage: str,
    cycles: dict[str, Plan],
    missing: set[str],
    config: Config,
) -> list[Diagnostic]:
    ctx = PlanContext(plan, stage, cycles, missing)
    out: list[Diagnostic] = []
    for rule_class in all_rules():
        severity = config.severity_for(rule_class.code, rule_class.severity)
        if severity is None or rule_class.stage != "plan":
            continue
        for finding in rule_class().check(ctx):
            found = severity
            if finding.severity is not None and rule_class.code not in config.rules:
                found = finding.severity
            out.append(_locate(rule_class.code, found, finding, sources))
    return out


def _locate(code: str, severity: Severity, finding: Finding, sources: SourceMap) -> Diagnostic:
    location = None
    if finding.at_key:
        location = sources.key_positions.get(finding.path)
    location = location or sources.locate(finding.path)
    return Diagnostic(code, severity, finding.message, location, finding.hint)


@dataclass
class ValidationResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    plans: dict[Path, Plan] = field(default_factory=dict)
    checked: int = 0  # plan folders looked at, loadable or not

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def exit_code(self, fail_on: str = "error") -> int:
        if any(d.io for d in self.diagnostics):
            return EXIT_ERROR
        threshold = Severity(fail_on).rank
        if any(d.severity.rank >= threshold for d in self.diagnostics):
            return EXIT_PROBLEMS
        return EXIT_OK


def validate_paths(
    paths: list[Path], stage: str | None = None, config: Config | None = None
) -> ValidationResult:
    """Validate plan folders (a file stands for its folder); every problem is a Diagnostic."""
    with plan_cache():
        return _validate_paths(paths, stage, config)


def _validate_paths(
    paths: list[Path], stage: str | None, config: Config | None
) -> ValidationResult:
    result = ValidationResult()
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            result.diagnostics.append(
                Diagnostic(
                    "SP010",
                    Severity.ERROR,
                    "no such file or folder",
                    Location(display_path(path)),
                    io=True,
                )
            )
            continue
        from stratplan.contribution import contribution_files, validate_contribution

        contributions = contribution_files(path)
        if contributions:
            for file in contributions:
                result.checked += 1
                result.diagnostics += validate_contribution(file)
            continue
        folder = plan_folder(path)
        if folder.resolve() not in {f.resolve() for f in folders}:
            folders.append(folder)
    result.checked += len(folders)
    for folder in folders:
        _validate_folder(folder, stage, config, result)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _validate_folder(
    folder: Path, stage: str | None, config: Config | None, result: ValidationResult
) -> None:
    if config is None:
        folder_config, problems = load_config(find_config(folder))
        result.diagnostics += problems
    else:
        folder_config = config
    folder_stage = stage or folder_config.stage or "draft"
    loaded = load_plan(folder)
    diagnostics = list(loaded.diagnostics)
    if loaded.plan is not None and loaded.sources is not None:
        cycles, missing = _cycles(folder, loaded.plan)
        diagnostics += check_plan(
            loaded.plan, loaded.sources.sources, folder_stage, cycles, missing, folder_config
        )
        result.plans[folder] = loaded.plan
    if loaded.sources is not None:
        suppressions = [
            s
            for file, text in loaded.sources.texts.items()
            for s in find_suppressions(file, text)
        ]
        diagnostics = apply_suppressions(diagnostics, suppressions)
    # Config may turn any rule down, but input that could not be read stays an error.
    adjusted: list[Diagnostic] = []
    for d in diagnostics:
        severity = folder_config.severity_for(d.code, d.severity)
        if severity is None and (d.io or d.code in UNSILENCEABLE):
            severity = d.severity
        if severity is not None:
            adjusted.append(d.with_severity(severity))
    result.diagnostics += adjusted
