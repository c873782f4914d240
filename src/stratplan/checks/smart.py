"""SMART rules: what each target and indicator states of its measure and its time frame."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.plan import Indicator, Smart, Target


def _missing(item: Smart, deadline: int | None) -> list[str]:
    missing = []
    if deadline is None:
        missing.append("deadline")
    if not item.unit:
        missing.append("unit")
    if not item.data_source:
        missing.append("data source")
    if item.baseline is None:
        missing.append("baseline")
    return missing


@register
class SmartIncompleteRule(Rule):
    """A target or indicator lacks SMART fields.

    What it does: lists, for each target and each target or outcome indicator, which of these
    it does not state: a deadline year (an indicator inherits its target's), a unit, a data
    source, a baseline. A target measured through indicators is checked for its deadline only;
    its indicators carry the measure.

    Why: a target is only measurable and time-bound if the plan says in what unit, from which
    source, from which baseline and by when. This is the plan's SMART completeness, shown to
    drafters as warnings rather than hidden.

    How to fix: add `deadline`, `unit`, `data_source`, `baseline: {value, year}` where they are
    known. Where a value is not yet published, say so in place:
    `# stratplan: ignore[SP301] baseline not yet published`.
    """

    code = "SP301"
    name = "smart-incomplete"
    title = "target or indicator not SMART-complete"
    severity = Severity.WARNING
    fields = ("Smart.deadline", "Smart.unit", "Smart.data_source", "Smart.baseline")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for i, target in enumerate(ctx.plan.targets):
            deadline = target.deadline
            if target.indicators:
                if deadline is None:
                    yield Finding(("targets", i), f"target {target.id!r} lacks: deadline")
                for j, indicator in enumerate(target.indicators):
                    yield from self._report(
                        ("targets", i, "indicators", j), indicator, indicator.deadline or deadline
                    )
            else:
                yield from self._report(("targets", i), target, deadline)
        for i, outcome in enumerate(ctx.plan.outcomes):
            for j, indicator in enumerate(outcome.indicators):
                yield from self._report(
                    ("outcomes", i, "indicators", j), indicator, indicator.deadline
                )

    def _report(
        self, path: tuple[str | int, ...], item: Target | Indicator, deadline: int | None
    ) -> Iterator[Finding]:
        missing = _missing(item, deadline)
        if isinstance(item, Indicator) and path[0] == "outcomes" and "deadline" in missing:
            # Outcome indicators are reported yearly over the plan period; no own deadline.
            missing.remove("deadline")
        if missing:
            kind = "indicator" if isinstance(item, Indicator) else "target"
            yield Finding(path, f"{kind} {item.id!r} lacks: {', '.join(missing)}")


@register
class DeadlineOutsideHorizonRule(Rule):
    """A deadline year falls outside the plan's horizon.

    What it does: a target's or indicator's deadline must lie between the first year of the
    plan period and `plan.target_horizon` (or the period's last year when no horizon is set).

    Why: a deadline before the plan starts is already past; one after the horizon is not
    monitored by this plan or the next report.

    How to fix: correct the deadline, or set `plan.target_horizon` when the plan's targets look
    further ahead (e.g. the Connect 2030 Agenda).
    """

    code = "SP302"
    name = "deadline-outside-horizon"
    title = "deadline outside the plan's horizon"
    severity = Severity.WARNING
    fields = ("Smart.deadline", "PlanMeta.target_horizon")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        meta = ctx.plan.plan
        start, end = (int(year) for year in meta.period.split("-"))
        last = meta.target_horizon or end
        for i, target in enumerate(ctx.plan.targets):
            items: list[tuple[tuple[str | int, ...], Smart]] = [(("targets", i), target)]
            items += [
                (("targets", i, "indicators", j), ind) for j, ind in enumerate(target.indicators)
            ]
            for path, item in items:
                if item.deadline is not None and not start <= item.deadline <= last:
                    yield Finding(
                        (*path, "deadline"),
                        f"deadline {item.deadline} is outside {start}-{last}",
                    )
