"""Checking contributions: every address names something in the base plan, the plan with the
changes applied still validates (each error located at the change that causes it), and
contributions to the same plan do not overlap in silence."""

from __future__ import annotations

from pathlib import Path

from stratplan.changes.amend import Amendment, amend
from stratplan.changes.apply import round_trip_problems
from stratplan.changes.overlap import find_overlaps, overlap_diagnostics
from stratplan.checks.runner import ValidationResult
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.workspace import LoadedContribution, Workspace


def validate_contributions(
    workspace: Workspace, paths: list[Path], stage: str | None = None
) -> ValidationResult:
    """Each contribution on its own against its base plan, then the overlaps between the
    contributions that amend the same plan."""
    result = ValidationResult()
    by_base: dict[Path, list[LoadedContribution]] = {}
    bases: dict[Path, Path] = {}
    for path in paths:
        result.checked += 1
        try:
            loaded = workspace.contribution(path)
            base = workspace.base_folder(loaded)
        except StratplanError as exc:
            result.diagnostics += exc.diagnostics
            continue
        result.diagnostics += loaded.diagnostics
        result.diagnostics += without_reasons(loaded, stage)
        by_base.setdefault(base.resolve(), []).append(loaded)
        bases[base.resolve()] = base
    for key, group in by_base.items():
        base = bases[key]
        amendments: list[Amendment] = []
        for loaded in group:
            try:
                amendment = amend(workspace, [loaded], base, stage=stage)
            except StratplanError as exc:
                result.diagnostics += exc.diagnostics
                continue
            amendments.append(amendment)
            result.diagnostics += amendment.problems + amendment.caused(loaded)
        if amendments:
            result.diagnostics += round_trip_problems(workspace, group, base)
        if len(group) > 1:
            # Each contribution applied alone to the base, as its author wrote it, so that a
            # change still counts when another contribution removes what it changes.
            overlaps = find_overlaps([c for a in amendments for c in a.changes])
            result.diagnostics += overlap_diagnostics(overlaps, final=stage == "final")
    return result


def without_reasons(loaded: LoadedContribution, stage: str | None) -> list[Diagnostic]:
    """SP809 at each change that gives no reasons: a warning, an error at the final stage."""
    severity = Severity.ERROR if stage == "final" else Severity.WARNING
    out = []
    for index, change in enumerate(loaded.contribution.changes):
        if change.reasons:
            continue
        position = loaded.position(index)
        out.append(Diagnostic(
            "SP809", severity, f"change {position + 1} gives no reasons",
            loaded.sources.locate(("changes", position)) or Location(display_path(loaded.path)),
            "add `reasons:` to it: the compilation prints them under the proposal"))
    return out
