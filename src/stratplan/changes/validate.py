"""Checking a contribution: every address exists in its base plan, and the plan with the
changes applied still validates."""

from __future__ import annotations

from pathlib import Path

from stratplan.changes.apply import apply_contributions
from stratplan.checks.runner import ValidationResult, validate_plan
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.workspace import Workspace


def validate_contribution(workspace: Workspace, path: Path) -> ValidationResult:
    result = ValidationResult(checked=1)
    try:
        loaded, base = workspace.common_base([path])
        applied = apply_contributions(workspace, loaded, base)
        amended = workspace.amended_plan(base, applied.texts)
        checked = validate_plan(workspace, base, loaded=amended)
    except StratplanError as exc:
        result.diagnostics += exc.diagnostics
        return result
    for d in checked.diagnostics:
        if d.severity is Severity.ERROR:
            result.diagnostics.append(
                Diagnostic(
                    "SP804",
                    Severity.ERROR,
                    f"with this contribution applied, the plan has an error: {d.code} {d.message}",
                    Location(display_path(path)),
                )
            )
    return result
