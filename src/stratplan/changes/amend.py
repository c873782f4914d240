"""Amending a plan: contributions applied to their base, the amended plan read and validated,
and each of its errors located at the change that causes it. `validate` of a contribution,
`render -c`, `compile`, `apply` and `import` all amend through `amend`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stratplan.changes.apply import Applied, AppliedChange, apply_contributions
from stratplan.checks.runner import validate_plan
from stratplan.diagnostics import Diagnostic, Location, Severity, StratplanError, display_path
from stratplan.model.address import format_path
from stratplan.model.plan import Plan
from stratplan.workspace import LoadedContribution, LoadedPlan, Workspace


@dataclass
class Amendment:
    """A base plan with contributions applied, in memory, and what the amended plan is."""

    applied: Applied  # the changes as applied, and those that named nothing (`problems`)
    loaded: LoadedPlan  # the amended plan as read (`plan` None when it does not fit the model)
    errors: list[Diagnostic]  # the amended plan's own errors, as the rules report them

    @property
    def changes(self) -> list[AppliedChange]:
        return self.applied.changes

    @property
    def problems(self) -> list[Diagnostic]:
        """The changes that could not be applied (SP801)."""
        return self.applied.problems

    @property
    def plan(self) -> Plan | None:
        return self.loaded.plan

    def valid_plan(self) -> Plan:
        """The amended plan, which must validate (else StratplanError with its errors)."""
        if self.errors or self.loaded.plan is None:
            raise StratplanError(self.errors or self.loaded.diagnostics)
        return self.loaded.plan

    def caused(self, contribution: LoadedContribution) -> list[Diagnostic]:
        """SP804 for each error of the amended plan, at the change that causes it."""
        return list(_caused(self.applied, self.errors, contribution))

    def causing_changes(self) -> dict[int, list[str]]:
        """The changes (by index in their contribution) that cause the amended plan's errors,
        with the errors' messages."""
        found: dict[int, list[str]] = {}
        for error, cause, _ in _causes(self.applied, self.errors):
            if cause is not None:
                found.setdefault(cause.index, []).append(f"{error.code} {error.message}")
        return found


def amend(
    workspace: Workspace,
    contributions: list[LoadedContribution],
    base: Path,
    keep: Callable[[AppliedChange], bool] | None = None,
    stage: str | None = None,
    texts: bool = False,
) -> Amendment:
    """The base plan amended by `contributions` (the changes `keep` selects), read and
    validated. With `texts`, the base files' new texts too (what `apply` writes), and the plan
    is read from them. StratplanError when the base itself is not a valid plan."""
    applied = apply_contributions(workspace, contributions, base, keep, texts=texts)
    if texts:
        loaded = workspace.amended_plan(base, applied.texts)
    else:
        loaded = workspace.amended_data(base, applied.data)
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if loaded.sources is not None:
        checked = validate_plan(workspace, base, stage, loaded=loaded)
        errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    return Amendment(applied, loaded, errors)


def _causes(
    applied: Applied, errors: list[Diagnostic]
) -> list[tuple[Diagnostic, AppliedChange | None, str | None]]:
    """Each error of the amended plan with the change that causes it: the change whose
    written value holds the error, or the suppression of the item a reference still names
    (then also the id it removed); None when no one change does."""
    paths = applied.paths_written()
    written: list[tuple[tuple[str | int, ...], AppliedChange]] = []
    for change in applied.changes:
        for container, key in change.written:
            base_path = paths.get(id(container))
            if base_path is not None:
                written.append(((*base_path, key), change))
    written.sort(key=lambda pair: -len(pair[0]))  # the most specific first
    removed = {c.removed: c for c in applied.changes if c.removed}
    out: list[tuple[Diagnostic, AppliedChange | None, str | None]] = []
    for error in errors:
        cause = next((c for p, c in written if error.path[: len(p)] == p), None)
        if cause is None and error.code == "SP102":
            gone = next((i for i in removed if f"id {i!r}" in error.message), None)
            if gone is not None:
                out.append((error, removed[gone], gone))
                continue
        out.append((error, cause, None))
    return out


# An id the plan has already: often a contribution that was applied, then validated against
# the amended plan.
_ALREADY_APPLIED = ("if a meeting applied this contribution, keep the meeting's record in a "
                    "meetings/ folder above it: validate then checks it against the plan it "
                    "was written for; otherwise choose an id the plan does not have")


def _caused(
    applied: Applied, errors: list[Diagnostic], loaded: LoadedContribution
) -> Iterator[Diagnostic]:
    """SP804 for each error of the amended plan, at the change that causes it: the change
    whose written value holds the error, or the suppression of the item a reference still
    names (one diagnostic per suppressed item, naming what still uses it)."""
    dangling: dict[str, tuple[AppliedChange, list[str]]] = {}
    for error, cause, gone in _causes(applied, errors):
        if gone is not None and cause is not None:
            where = format_path(applied.data, error.path)
            dangling.setdefault(gone, (cause, []))[1].append(where)
            continue
        yield Diagnostic(
            "SP804",
            Severity.ERROR,
            f"with {cause.describe() if cause else 'this contribution'} applied, the plan has "
            f"an error: {error.code} {error.message}",
            cause.location if cause else _changes_location(loaded),
            _ALREADY_APPLIED if error.code == "SP101" else error.hint,
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
