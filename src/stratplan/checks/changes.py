"""Rules over contributions: addresses, the base plan, the plan with the changes applied."""

from __future__ import annotations

from stratplan.checks.rule import Rule, register
from stratplan.diagnostics import Severity


@register
class ContributionAddress(Rule):
    """A contribution addresses an item its base plan does not have.

    What it does: every `modify: <collection>/<id>`, `suppress: <collection>/<id>` and
    `add: <collection>` (with `after: <id>`) of a contribution must name an existing item of the
    base plan (`contribution.base`, found as `plans/<base>/`).

    How to fix: use the ids of the base plan (`stratplan export` lists them).
    """

    code = "SP801"
    name = "contribution-address"
    title = "contribution addresses an unknown item"
    severity = Severity.ERROR
    stage = "contribution"


@register
class ContributionBase(Rule):
    """A contribution's base plan is not on disk.

    What it does: a contribution names the plan it amends by period (`base: 2020-2023`); the
    plan is looked for as `plans/<base>/` in the folders above the contribution. An I/O
    problem: exit status 2.
    """

    code = "SP803"
    name = "contribution-base"
    title = "contribution's base plan not found"
    severity = Severity.ERROR
    stage = "contribution"


@register
class ContributionResult(Rule):
    """With the contribution applied, the plan has errors.

    What it does: applies the change set to a copy of the base plan and validates the result;
    each error of the result is reported on the contribution (e.g. suppressing a goal that
    targets still name).

    How to fix: complete the change set (e.g. move the targets of a suppressed goal).
    """

    code = "SP804"
    name = "contribution-result"
    title = "applied contribution gives an invalid plan"
    severity = Severity.ERROR
    stage = "contribution"
