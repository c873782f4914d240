"""Checking contributions: every address names something in the base plan, the plan with the
changes applied still validates (each error located at the change that causes it), and
contributions to the same plan do not overlap in silence."""

from __future__ import annotations

from pathlib import Path

from stratplan.changes.amend import Amendment, amend
from stratplan.changes.apply import round_trip_problems
from stratplan.changes.decisions import read_decisions, written_for
from stratplan.changes.overlap import conflicts, find_overlaps, overlap_diagnostics
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
    record_problems: set[Diagnostic] = set()
    for path in paths:
        result.checked += 1
        try:
            loaded = workspace.contribution(path)
            # A contribution a meeting decided is checked against the plan it was written for.
            base, record = written_for(workspace, loaded)
        except StratplanError as exc:
            result.diagnostics += exc.diagnostics
            continue
        record_problems.update(workspace.records_above(path)[1])
        if record is not None and record.meeting.meeting.revision is None:
            result.diagnostics.append(Diagnostic(
                "SP810", Severity.WARNING,
                f"decided at {record.meeting.meeting.reference}, whose record names no "
                "revision: checked against the plan as it is now",
                Location(display_path(loaded.path)),
                f"give `revision:` in {display_path(record.path)}: the git revision of the plan "
                "before the meeting"))
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
    result.diagnostics += sorted(record_problems, key=Diagnostic.sort_key)
    return result


def validate_meetings(
    workspace: Workspace, paths: list[Path], stage: str | None = None
) -> ValidationResult:
    """Each meeting record: what it names is there (SP810), and the plan before the meeting
    with the proposals it adopted applied is a valid plan (SP804 at the change that breaks
    it; two adopted proposals on the same text, SP805)."""
    result = ValidationResult()
    for path in paths:
        result.checked += 1
        try:
            decided = read_decisions(workspace, workspace.meeting(path))
        except StratplanError as exc:
            result.diagnostics += exc.diagnostics
            continue
        result.diagnostics += decided.problems
        if decided.problems or not decided.contributions:
            continue
        try:
            base, _ = written_for(workspace, decided.contributions[0])
            amendment = amend(workspace, decided.contributions, base, keep=decided.adopted,
                              stage=stage)
        except StratplanError as exc:
            result.diagnostics += exc.diagnostics
            continue
        result.diagnostics += amendment.problems + amendment.caused(decided.contributions[0])
        result.diagnostics += overlap_diagnostics(conflicts(amendment.changes), final=True)
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
