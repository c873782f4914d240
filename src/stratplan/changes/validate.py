"""Checking contributions: every address names something in the base plan, the plan with the
changes applied still validates (each error located at the change that causes it), and
contributions to the same plan do not overlap in silence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from stratplan.changes.address import canonical_of
from stratplan.changes.apply import Applied, AppliedChange, apply_contributions
from stratplan.changes.overlap import overlap_diagnostics, overlaps_among
from stratplan.checks.runner import ValidationResult, validate_plan
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.workspace import LoadedContribution, Workspace


def validate_contributions(
    workspace: Workspace, paths: list[Path], stage: str | None = None
) -> ValidationResult:
    """Each contribution on its own against its base plan, then the overlaps between the
    contributions that amend the same plan."""
    result = ValidationResult()
    by_base: dict[Path, list[LoadedContribution]] = {}
    for path in paths:
        result.checked += 1
        try:
            loaded = workspace.contribution(path)
            base = workspace.base_folder(loaded)
        except StratplanError as exc:
            result.diagnostics += exc.diagnostics
            continue
        result.diagnostics += loaded.diagnostics
        by_base.setdefault(base.resolve(), []).append(loaded)
        result.diagnostics += _check_one(workspace, loaded, base, stage)
    for base, group in by_base.items():
        if len(group) > 1:
            overlaps = overlaps_among(workspace, group, base)
            result.diagnostics += overlap_diagnostics(overlaps, final=stage == "final")
    return result


def _check_one(
    workspace: Workspace, loaded: LoadedContribution, base: Path, stage: str | None
) -> list[Diagnostic]:
    try:
        applied = apply_contributions(workspace, [loaded], base)
    except StratplanError as exc:
        return exc.diagnostics
    amended = workspace.amended_plan(base, applied.texts)
    checked = validate_plan(workspace, base, stage, loaded=amended)
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    return applied.problems + list(_caused(applied, errors, loaded))


def _causes(
    applied: Applied, errors: list[Diagnostic]
) -> list[tuple[Diagnostic, AppliedChange | None, str | None]]:
    """Each error of the amended plan with the change that causes it: the change whose
    written value holds the error, or the suppression of the item a reference still names
    (then also the id it removed); None when no one change does."""
    paths = applied.paths_written()
    # Path written -> the first change that wrote it; an error's cause is the change that
    # wrote the longest prefix of its path (a lookup per prefix, not a scan per error).
    written: dict[tuple[str | int, ...], AppliedChange] = {}
    for change in applied.changes:
        for container, key in change.written:
            base_path = paths.get(id(container))
            if base_path is not None:
                written.setdefault((*base_path, key), change)
    removed = {c.removed: c for c in applied.changes if c.removed}
    out: list[tuple[Diagnostic, AppliedChange | None, str | None]] = []
    for error in errors:
        cause = next((written[error.path[:n]] for n in range(len(error.path), 0, -1)
                      if error.path[:n] in written), None)
        if cause is None and error.code == "SP102":
            gone = next((i for i in removed if f"id {i!r}" in error.message), None)
            if gone is not None:
                out.append((error, removed[gone], gone))
                continue
        out.append((error, cause, None))
    return out


def causing_changes(applied: Applied, errors: list[Diagnostic]) -> dict[int, list[str]]:
    """The changes (by index in their contribution) that cause the amended plan's errors, with
    the errors' messages."""
    found: dict[int, list[str]] = {}
    for error, cause, _ in _causes(applied, errors):
        if cause is not None:
            found.setdefault(cause.index, []).append(f"{error.code} {error.message}")
    return found


def _caused(
    applied: Applied, errors: list[Diagnostic], loaded: LoadedContribution
) -> Iterator[Diagnostic]:
    """SP804 for each error of the amended plan, at the change that causes it: the change
    whose written value holds the error, or the suppression of the item a reference still
    names (one diagnostic per suppressed item, naming what still uses it)."""
    dangling: dict[str, tuple[AppliedChange, list[str]]] = {}
    for error, cause, gone in _causes(applied, errors):
        if gone is not None and cause is not None:
            where = "/".join(canonical_of(applied.data, error.path))
            dangling.setdefault(gone, (cause, []))[1].append(where)
            continue
        yield Diagnostic(
            "SP804",
            Severity.ERROR,
            f"with {cause.describe() if cause else 'this contribution'} applied, the plan has "
            f"an error: {error.code} {error.message}",
            cause.location if cause else _changes_location(loaded),
            error.hint,
        )
    for gone, (change, users) in dangling.items():
        yield Diagnostic(
            "SP804",
            Severity.ERROR,
            f"{change.describe()} suppresses {gone!r}, which {len(users)} reference(s) still "
            f"name: {', '.join(users)}",
            change.location,
            "change those references too (for example, move the targets to another goal)",
        )


def _changes_location(loaded: LoadedContribution) -> Location:
    return loaded.sources.locate(("changes",)) or Location(display_path(loaded.path))
