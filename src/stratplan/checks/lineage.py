"""Lineage rules: references to the previous cycle's items resolve when that plan is on disk."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.facts import lineage_refs
from stratplan.model.walk import id_bearers, walk


@register
class LineageUnresolved(Rule):
    """A lineage reference names no item of that cycle's plan.

    What it does: `replaces`, `lineage.moved` and `lineage.dropped` name items of an earlier
    cycle as `<period>/<id>` (e.g. `2020-2023/broadband-cost`). When that cycle's plan is on
    disk beside this one (`plans/2020-2023/`), the id must exist in it.

    Why: lineage is data: the crosswalk between cycles and the redline's alignment are built
    from it.

    How to fix: correct the id, or the period.
    """

    code = "SP601"
    name = "lineage-unresolved"
    title = "lineage reference does not resolve"
    severity = Severity.ERROR

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        known: dict[str, set[str]] = {}
        for path, ref in lineage_refs(ctx.plan):
            period, slash, item = ref.partition("/")
            if not slash:
                yield Finding(path, f"{ref!r} must name its cycle: <period>/<id>")
                continue
            if period == ctx.plan.plan.period:
                yield Finding(path, f"{ref!r} names this plan's own cycle")
                continue
            other = ctx.cycles.get(period)
            if other is None:
                continue
            if period not in known:
                known[period] = {obj.id for _, obj in id_bearers(walk(other))}
            if item not in known[period]:
                yield Finding(path, f"the {period} plan has no item {item!r}")


@register
class LineageCycleMissing(Rule):
    """A lineage reference names a cycle whose plan is not on disk.

    What it does: informs that references to that cycle could not be checked. When that
    cycle's folder is there but its plan cannot be read (it has errors of its own), the lineage
    checks against it are off, which would hide their findings: that is a warning, with the
    number of the other plan's errors, at `plan.previous` (or the first reference to it).

    How to fix: nothing is wrong when the plan is not on disk; add `plans/<period>/` to have
    the references checked. When it cannot be read, validate it and fix its errors.
    """

    code = "SP602"
    name = "lineage-cycle-missing"
    title = "lineage cycle not on disk"
    severity = Severity.INFO

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        reported: set[str] = set()
        previous = ctx.plan.plan.previous
        if previous in ctx.unreadable_cycles:
            reported.add(previous)
            yield self._unreadable(("plan", "previous"), previous, ctx)
        for path, ref in lineage_refs(ctx.plan):
            period, slash, _ = ref.partition("/")
            if not slash or period not in ctx.missing_cycles or period in reported:
                continue
            reported.add(period)
            if period in ctx.unreadable_cycles:
                yield self._unreadable(path, period, ctx)
            else:
                yield Finding(path, f"plan {period} is not on disk; its references are unchecked")

    @staticmethod
    def _unreadable(path: tuple[str | int, ...], period: str, ctx: PlanContext) -> Finding:
        folder, count = ctx.unreadable_cycles[period]
        return Finding(
            path,
            f"plan {period} ({folder}) cannot be read ({count} error{'s' if count != 1 else ''})"
            ": the lineage checks against it are off",
            f"validate {folder} and fix its errors",
            severity=Severity.WARNING,
        )


@register
class LineageGap(Rule):
    """A target of the previous cycle is neither carried, replaced, moved nor dropped.

    What it does: when the previous cycle's plan (`plan.previous`) is on disk, every one of its
    targets must be accounted for in this plan: carried over (a target with the same id),
    replaced (named in a target's `replaces`), moved to outcomes (`lineage.moved`) or dropped
    with a reason (`lineage.dropped`). A warning while drafting, an error at the final stage.

    Why: the membership reviews what became of each target of the plan it adopted; the
    crosswalk (`stratplan lineage`) is generated from this data.

    How to fix: add the old target to a new target's `replaces`, or to `lineage.moved` or
    `lineage.dropped` with the reason.
    """

    code = "SP603"
    name = "lineage-gap"
    title = "previous cycle's target unaccounted for"
    severity = Severity.WARNING

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        previous = ctx.plan.plan.previous
        old = ctx.cycles.get(previous) if previous else None
        if old is None:
            return
        accounted = {t.id for t in ctx.plan.targets}
        accounted |= {ref.partition("/")[2] for _, ref in lineage_refs(ctx.plan)
                      if ref.startswith(f"{previous}/")}
        severity = Severity.ERROR if ctx.final else Severity.WARNING
        for target in old.targets:
            if target.id not in accounted:
                yield Finding(
                    ("plan", "previous"),
                    f"target {target.id!r} of {previous} is neither carried, replaced, moved "
                    "nor dropped",
                    "name it in a target's `replaces`, or in `lineage.moved` or `lineage.dropped`",
                    severity=severity,
                )
