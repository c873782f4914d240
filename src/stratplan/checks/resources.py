"""Resource rules: Appendix A funds every priority, with well-formed amounts."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity


@register
class PriorityNotFunded(Rule):
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
class NegativeAmount(Rule):
    """A priority's amount is negative.

    What it does: amounts of priority rows must be zero or more. Reductions are written as
    named `adjustments` (e.g. "Progressive global reduction"), which may be negative.

    How to fix: move the reduction to `adjustments`, or correct the sign.
    """

    code = "SP402"
    name = "negative-amount"
    title = "negative amount outside an adjustment"
    severity = Severity.ERROR

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
class AmountsDoNotMatchYears(Rule):
    """A row has more or fewer amounts than the appendix has years.

    What it does: each row and adjustment needs one amount per year in `resources.years`.
    Subtotals, totals and percentages are computed, never written.

    How to fix: give one amount per year, in the order of `years`.
    """

    code = "SP403"
    name = "amounts-years-mismatch"
    title = "amounts do not match the years"
    severity = Severity.ERROR

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
class PriorityFundedTwice(Rule):
    """A priority has two rows in the resources appendix.

    How to fix: merge the rows.
    """

    code = "SP404"
    name = "priority-funded-twice"
    title = "priority with two resource rows"
    severity = Severity.ERROR

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
