"""Results-chain rules: no orphans, and the content each framework generation needs."""

from __future__ import annotations

from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity


@register
class GoalWithoutTargetsRule(Rule):
    """A strategic goal has no target.

    What it does: in plans with targets (2020-2023 onwards), every goal needs at least one
    target that names it in `goal:`.

    Why: targets are how progress towards a goal is measured; a goal without one cannot be
    monitored.

    How to fix: add a target for the goal, or point an existing target at it.
    """

    code = "SP201"
    name = "goal-without-targets"
    title = "goal without targets"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("Plan.goals", "Target.goal")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if ctx.plan.plan.framework == "sectoral":
            return
        with_targets = {t.goal for t in ctx.plan.targets}
        for i, goal in enumerate(ctx.plan.goals):
            if goal.id not in with_targets:
                yield Finding(("goals", i), f"goal {goal.id!r} has no target")


@register
class PriorityWithoutOutcomesRule(Rule):
    """A thematic priority has no outcome.

    Why: outcomes are what a priority delivers; without them it cannot be measured or funded
    meaningfully.

    How to fix: add outcomes with `priority: <id>`.
    """

    code = "SP202"
    name = "priority-without-outcomes"
    title = "thematic priority without outcomes"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("Plan.priorities", "Outcome.priority")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        with_outcomes = {o.priority for o in ctx.plan.outcomes if not o.proposed_by}
        for i, priority in enumerate(ctx.plan.priorities):
            if priority.id not in with_outcomes:
                yield Finding(("priorities", i), f"priority {priority.id!r} has no outcome")


@register
class TargetWithoutIndicatorsRule(Rule):
    """A target has no target indicator (thematic plans, 2024-2027 onwards).

    Why: since 2024-2027 every target is measured through SMART target indicators.

    How to fix: add `indicators:` to the target.
    """

    code = "SP203"
    name = "target-without-indicators"
    title = "target without indicators"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("Target.indicators",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        if ctx.plan.plan.framework != "thematic":
            return
        for i, target in enumerate(ctx.plan.targets):
            if not target.indicators:
                yield Finding(("targets", i), f"target {target.id!r} has no indicator")


@register
class OutcomeWithoutIndicatorsRule(Rule):
    """An outcome has no outcome indicator.

    Why: outcome indicators are how the results framework measures an outcome.

    How to fix: add `indicators:` to the outcome.
    """

    code = "SP204"
    name = "outcome-without-indicators"
    title = "outcome without indicators"
    severity = Severity.WARNING
    whole_plan = True
    fields = ("Outcome.indicators",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for i, outcome in enumerate(ctx.plan.outcomes):
            if not outcome.indicators:
                yield Finding(("outcomes", i), f"outcome {outcome.id!r} has no indicator")


REQUIRED = {
    "sectoral": ("sectors", "objectives"),
    "objectives": ("goals", "targets", "objectives"),
    "thematic": ("goals", "targets", "priorities", "outcomes"),
}


@register
class FrameworkContentRule(Rule):
    """A plan lacks content its framework generation requires.

    What it does: `plan.framework` says which generation of the results framework the plan
    follows; each needs its results chain: `sectoral` (2012-2015) sectors and objectives;
    `objectives` (2020-2023) goals, targets and objectives; `thematic` (2024-2027 onwards)
    goals, targets, thematic priorities and outcomes.

    How to fix: add the missing collection, or correct `plan.framework`.
    """

    code = "SP205"
    name = "framework-content"
    title = "framework content missing"
    severity = Severity.ERROR
    whole_plan = True
    fields = ("PlanMeta.framework",)

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        framework = ctx.plan.plan.framework
        for collection in REQUIRED[framework]:
            if not getattr(ctx.plan, collection):
                yield Finding(
                    ("plan", "framework"),
                    f"a {framework} plan needs {collection}, and this one has none",
                )
