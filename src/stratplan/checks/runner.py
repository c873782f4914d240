"""The rule runner: every rule over a loaded plan, severities from the config, suppressions
applied, and each finding located through the source map.

A plan with problems the model refuses (SP100) or a file that cannot be read is still checked:
the rules run over the part that fits the model (`model.partial`), and the rules that conclude
from absence wait until the plan is whole (one SP013 says which).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stratplan.checks import Finding, PlanContext, all_rules
from stratplan.config import Config
from stratplan.diagnostics import Diagnostic, Location, Result, Severity
from stratplan.model.address import format_path
from stratplan.model.facts import DataPath
from stratplan.model.partial import UNKNOWN, fit_partial
from stratplan.model.plan import Plan
from stratplan.source.reader import LoadedSources, SourceMap
from stratplan.source.suppress import apply_suppressions, find_suppressions
from stratplan.workspace import LoadedPlan, Workspace

# Input that could not be read stays an error, whatever the config says.
UNSILENCEABLE = frozenset({"SP001", "SP002", "SP003", "SP004", "SP005", "SP006", "SP007"})


def _same(path: DataPath) -> DataPath:
    return path


@dataclass
class Locator:
    """Turns a finding's data path into file:line:column: through `original` when the plan
    checked is the part of the files that fit the model, to the character `Finding.offset`
    names when the raw `data` and file `texts` are at hand."""

    sources: SourceMap
    texts: dict[str, str] = field(default_factory=dict)
    data: Any = None
    original: Callable[[DataPath], DataPath] = _same

    def locate(self, path: DataPath) -> Location | None:
        return self.sources.locate(self.original(path))

    def diagnostic(self, code: str, severity: Severity, finding: Finding) -> Diagnostic:
        path = self.original(finding.path)
        location = None
        if finding.at_key:
            location = self.sources.key_positions.get(path)
        location = location or self.sources.locate(path)
        if finding.offset is not None and location is not None:
            location = self._at_offset(location, path, finding.offset)
        return Diagnostic(code, severity, finding.message, location, finding.hint,
                          path=path, subject=finding.subject)

    def _at_offset(self, location: Location, path: DataPath, offset: int) -> Location:
        """The position of the `offset`th character of the string at `path`.

        The string's text in the file can differ from its value (quotes, folded lines,
        escapes), but not in the order of its visible characters: the character is found as
        the same occurrence of the same character, counted from where the value starts."""
        value = _value_at(self.data, path)
        text = self.texts.get(location.file)
        if not isinstance(value, str) or text is None or not location.line:
            return location
        if not 0 <= offset < len(value):
            return location
        char = value[offset]
        occurrence = value.count(char, 0, offset)
        at = -1
        line_start = 0
        for _ in range(location.line - 1):
            line_start = text.find("\n", line_start) + 1
        at = line_start + location.column - 2
        for _ in range(occurrence + 1):
            at = text.find(char, at + 1)
            if at < 0:
                return location
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return Location(location.file, line, column)


def _value_at(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        if isinstance(node, str):
            return node  # a paragraph written as a plain string: its `text`
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            node = node[part]
        else:
            return None
    return node


def check_plan(
    ctx: PlanContext, sources: SourceMap | Locator, config: Config
) -> list[Diagnostic]:
    """Every rule with a check() over one plan, located, at the severity the config sets.
    Over a plan that is not whole (`ctx.incomplete`), the `whole_plan` rules do not run."""
    locator = sources if isinstance(sources, Locator) else Locator(sources)
    out: list[Diagnostic] = []
    skipped: list[str] = []
    for rule_class in all_rules():
        severity = config.severity_for(rule_class.code, rule_class.severity)
        if severity is None or rule_class.stage != "plan":
            continue
        if rule_class.whole_plan and ctx.incomplete:
            skipped.append(rule_class.code)
            continue
        for finding in rule_class().check(ctx):
            found = severity
            if finding.severity is not None and rule_class.code not in config.rules:
                found = finding.severity
            out.append(locator.diagnostic(rule_class.code, found, finding))
    if ctx.incomplete:
        parts = sorted(ctx.incomplete - {UNKNOWN})
        lost = "a file" if UNKNOWN in ctx.incomplete else ", ".join(parts)
        out.append(
            Diagnostic(
                "SP013",
                Severity.INFO,
                f"part of the plan could not be read ({lost}): not checked until its errors "
                f"are fixed: {', '.join(skipped) or 'none'}, and references to what is missing",
                locator.sources.default,
                "fix the errors; the other rules ran over everything that could be read",
            )
        )
    return out


@dataclass
class ValidationResult(Result):
    """A validation's result, with the plans that fitted the model (for the commands that go
    on to render them)."""

    plans: dict[Path, Plan] = field(default_factory=dict)

    def add(self, other: ValidationResult) -> None:
        self.diagnostics += other.diagnostics
        self.plans.update(other.plans)
        self.checked += other.checked
        self.baselined += other.baselined
        if other.fail_on and (
            self.fail_on is None or Severity(other.fail_on).rank < Severity(self.fail_on).rank
        ):
            self.fail_on = other.fail_on


def validate_plan(
    workspace: Workspace,
    folder: Path,
    stage: str | None = None,
    config: Config | None = None,
    loaded: LoadedPlan | None = None,
) -> ValidationResult:
    """One plan folder through the model and every rule; `loaded` when the plan was read
    another way (an amended copy). What does not fit the model is reported (SP100) and left
    out; the rules check the rest."""
    result = ValidationResult(checked=1)
    settings, problems = (config, []) if config is not None else workspace.config(folder)
    result.diagnostics += problems
    result.fail_on = settings.fail_on
    loaded = loaded or workspace.plan(folder)
    diagnostics = list(loaded.diagnostics)
    plan, incomplete, original = loaded.plan, frozenset[str](), _same
    if plan is None and loaded.sources is not None:
        fitted = fit_partial(loaded.sources, Plan)
        diagnostics = [d for d in diagnostics if d.code != "SP100"] + fitted.diagnostics
        model = fitted.model
        plan = model if isinstance(model, Plan) else None
        incomplete, original = fitted.incomplete, fitted.original
    if plan is not None and loaded.sources is not None:
        locator = Locator(loaded.sources.sources, loaded.sources.texts, loaded.sources.data,
                          original)
        cycles, missing = workspace.cycles(folder, plan)
        ctx = PlanContext(
            plan, stage or settings.stage or "draft", cycles, missing,
            locate=locator.locate, incomplete=incomplete,
        )
        ctx.unreadable_cycles = workspace.unreadable_cycles(folder, missing)
        diagnostics += check_plan(ctx, locator, settings)
        if loaded.plan is not None:
            result.plans[folder] = loaded.plan
    if loaded.sources is not None:
        suppressions = [
            s
            for file, text in loaded.sources.texts.items()
            for s in find_suppressions(file, text)
        ]
        diagnostics = apply_suppressions(
            diagnostics, suppressions, _Extents(loaded.sources.sources).lines
        )
        diagnostics = [_with_subject(d, loaded.sources) for d in diagnostics]
    # Config may turn any rule down, but input that could not be read stays an error.
    for d in diagnostics:
        severity = settings.severity_for(d.code, d.severity)
        if severity is None and (d.io or d.code in UNSILENCEABLE):
            severity = d.severity
        if severity is not None:
            result.diagnostics.append(d.with_severity(severity))
    return result


def _with_subject(d: Diagnostic, loaded: LoadedSources) -> Diagnostic:
    """The finding's identity for a baseline, independent of lines: the address of the item
    it is about (`targets/broadband-coverage/deadline`), or the text of its line."""
    if d.path:
        subject = format_path(loaded.data, d.path) + (f"#{d.subject}" if d.subject else "")
    elif d.location is not None and d.location.line and d.location.file in loaded.texts:
        lines = loaded.texts[d.location.file].splitlines()
        line = lines[d.location.line - 1] if d.location.line <= len(lines) else ""
        subject = "line:" + " ".join(line.split())
    else:
        subject = d.subject
    return replace(d, subject=subject)


class _Extents:
    """The lines of the item a finding is about, for suppressions written on any of them: every
    line where one of its values or keys starts, less the lines of the items nested in it that
    have ids of their own (an indicator's lines belong to the indicator, not its target)."""

    def __init__(self, sources: SourceMap) -> None:
        self._sources = sources
        self._entries: list[tuple[DataPath, Location]] = []
        self._keys: list[tuple[tuple[int, Any], ...]] = []

    def lines(self, d: Diagnostic) -> set[int]:
        if not d.path or d.location is None:
            return set()
        if not self._entries:
            entries = list(self._sources.positions.items())
            entries += list(self._sources.key_positions.items())
            entries.sort(key=lambda e: _sortable(e[0]))
            self._entries = entries
            self._keys = [_sortable(p) for p, _ in entries]
        entries = self._entries
        start = bisect.bisect_left(self._keys, _sortable(d.path))
        positions = self._sources.positions
        out: set[int] = set()
        depth = len(d.path)
        for path, location in entries[start:]:
            if path[:depth] != d.path:
                break
            if location.file != d.location.file:
                continue
            nested = any(
                isinstance(path[k - 1], int) and (*path[:k], "id") in positions
                for k in range(depth + 1, len(path) + 1)
            )
            if not nested:
                out.add(location.line)
        return out


def _sortable(path: DataPath) -> tuple[tuple[int, Any], ...]:
    # Ints and strings never meet at one depth under one parent; this keeps sorting total
    # across parents all the same.
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in path)
