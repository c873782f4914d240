"""Resource rules: Appendix A funds every priority, with well-formed amounts."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity


@register
class PriorityNotFundedRule(Rule):
    """A thematic priority has no row in the resources appendix.

    What it does: in a thematic plan with `resources:`, every priority must have a row.

    Why: the membership asked that "no elements should remain unfunded": the financial plan is
    linked to the strategic plan at the level of thematic priorities.

    How to fix: add a row `{priority: <id>, amounts: [...]}`.
    """

    code = "SP401"
    name = "priority-not-funded"
    title = "priority without resources"
    severity = Severity.ERROR
    whole_plan = True
    fields = ("Plan.resources", "ResourceRow.priority")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        resources = ctx.plan.resources
        if resources is None or not ctx.plan.priorities:
            return
        funded = {row.priority for row in resources.rows}
        for i, priority in enumerate(ctx.plan.priorities):
            if priority.id not in funded:
                yield Finding(
                    ("priorities", i), f"priority {priority.id!r} has no row in resources"
                )


@register
class NegativeAmountRule(Rule):
    """A priority's amount is negative.

    What it does: amounts of priority rows must be zero or more. Reductions are written as
    named `adjustments` (e.g. "Progressive global reduction"), which may be negative.

    How to fix: move the reduction to `adjustments`, or correct the sign.
    """

    code = "SP402"
    name = "negative-amount"
    title = "negative amount outside an adjustment"
    severity = Severity.ERROR
    fields = ("ResourceRow.amounts",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if ctx.plan.resources is None:
            return
        for i, row in enumerate(ctx.plan.resources.rows):
            for j, amount in enumerate(row.amounts):
                if amount < 0:
                    yield Finding(
                        ("resources", "rows", i, "amounts", j),
                        f"amount {amount} for {row.priority!r} is negative",
                    )


@register
class AmountsDoNotMatchYearsRule(Rule):
    """A row has more or fewer amounts than the appendix has years.

    What it does: each row and adjustment needs one amount per year in `resources.years`.
    Subtotals, totals and percentages are computed, never written.

    How to fix: give one amount per year, in the order of `years`.
    """

    code = "SP403"
    name = "amounts-years-mismatch"
    title = "amounts do not match the years"
    severity = Severity.ERROR
    fields = ("Resources.years", "ResourceRow.amounts", "Adjustment.amounts")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        resources = ctx.plan.resources
        if resources is None:
            return
        width = len(resources.years)
        if len(set(resources.years)) != width or list(resources.years) != sorted(resources.years):
            yield Finding(("resources", "years"), "years must be distinct and in order")
        lengths = [("rows", i, len(r.amounts)) for i, r in enumerate(resources.rows)]
        lengths += [("adjustments", i, len(a.amounts)) for i, a in enumerate(resources.adjustments)]
        for key, i, count in lengths:
            if count != width:
                yield Finding(
                    ("resources", key, i, "amounts"), f"{count} amounts for {width} years"
                )


@register
class PriorityFundedTwiceRule(Rule):
    """A priority has two rows in the resources appendix.

    How to fix: merge the rows.
    """

    code = "SP404"
    name = "priority-funded-twice"
    title = "priority with two resource rows"
    severity = Severity.ERROR
    fields = ("ResourceRow.priority",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if ctx.plan.resources is None:
            return
        seen: set[str] = set()
        for i, row in enumerate(ctx.plan.resources.rows):
            if row.priority in seen:
                yield Finding(
                    ("resources", "rows", i, "priority"),
                    f"priority {row.priority!r} has a second row",
                )
            seen.add(row.priority)


@register
class YearsOutsidePeriodRule(Rule):
    """Appendix A's years are not the years of the plan's period.

    What it does: each year of `resources.years` must fall inside the plan period
    (`plan.period`): a plan for 2032-2035 allocates resources for 2032 to 2035.

    Why: the appendix links the strategic plan to the financial plan of the same period; years
    of another cycle mean the table was carried over and not yet replaced.

    How to fix: give the years of the period, with the amounts of the financial plan for them.
    """

    code = "SP405"
    name = "years-outside-period"
    title = "resources years outside the plan period"
    severity = Severity.WARNING
    fields = ("Resources.years", "PlanMeta.period")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        resources = ctx.plan.resources
        if resources is None or not resources.years:
            return
        first, last = (int(y) for y in ctx.plan.plan.period.split("-"))
        outside = [y for y in resources.years if not first <= y <= last]
        if outside:
            shown = ", ".join(str(y) for y in outside)
            yield Finding(
                ("resources", "years"),
                f"Appendix A has years outside the plan period {ctx.plan.plan.period}: {shown}",
                f"give the years {first}-{last} and the amounts of the financial plan for them",
            )


@register
class AmountsCarriedOverRule(Rule):
    """Appendix A's amounts are the previous cycle's, unchanged.

    What it does: when the previous cycle's plan (`plan.previous`) is on disk, compares each
    priority's amounts with that plan's row for the same priority; rows whose amounts are all
    the same are named (one finding for the appendix).

    Why: a new cycle starts as a copy (`stratplan new`); its financial figures come from the
    financial plan of its own period, and a table nobody updated looks final in the document.

    How to fix: enter the amounts of this period's financial plan. Where the figures are
    carried over on purpose, say so in place: `# stratplan: ignore[SP406] reason`.
    """

    code = "SP406"
    name = "amounts-carried-over"
    title = "resources amounts of the previous cycle"
    severity = Severity.WARNING
    fields = ("ResourceRow.amounts", "PlanMeta.previous")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        resources = ctx.plan.resources
        previous = ctx.plan.plan.previous
        old = ctx.cycles.get(previous) if previous else None
        if resources is None or old is None or old.resources is None:
            return
        before = {row.priority: list(row.amounts) for row in old.resources.rows}
        same = [row.priority for row in resources.rows
                if row.amounts and before.get(row.priority) == list(row.amounts)]
        if same:
            yield Finding(
                ("resources", "rows"),
                f"the amounts of {len(same)} of {len(resources.rows)} priorities are those of "
                f"the {previous} plan, unchanged: {', '.join(same)}",
                "enter the amounts of this period's financial plan",
            )
