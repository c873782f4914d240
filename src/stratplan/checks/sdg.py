"""SDG rules: target and indicator codes are well-formed and name real SDG targets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stratplan.checks.rule import Finding, PlanContext, Rule, register
from stratplan.diagnostics import Severity
from stratplan.model.plan import Goal, Smart

# Targets of each of the 17 Sustainable Development Goals (UNGA A/RES/70/1): the numbered
# targets 1..n and the lettered means of implementation a..x. 169 targets in all.
SDG_TARGETS: dict[int, tuple[int, str]] = {
    1: (5, "ab"),
    2: (5, "abc"),
    3: (9, "abcd"),
    4: (7, "abc"),
    5: (6, "abc"),
    6: (6, "ab"),
    7: (3, "ab"),
    8: (10, "ab"),
    9: (5, "abc"),
    10: (7, "abc"),
    11: (7, "abc"),
    12: (8, "abc"),
    13: (3, "ab"),
    14: (7, "abc"),
    15: (9, "abc"),
    16: (10, "ab"),
    17: (19, ""),
}

TARGET_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[A-Za-z])$")
INDICATOR_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[A-Za-z])\.(\d{1,2})$")


def sdg_target_exists(goal: int, target: str) -> bool:
    if goal not in SDG_TARGETS:
        return False
    numbered, lettered = SDG_TARGETS[goal]
    if target.isdigit():
        return 1 <= int(target) <= numbered
    return target.lower() in lettered


def check_code(code: str, indicator: bool) -> str | None:
    """A problem with an SDG code, or None when it is fine."""
    pattern = INDICATOR_RE if indicator else TARGET_RE
    match = pattern.match(code.strip())
    if not match:
        shape = "goal.target.indicator (e.g. 9.c.1)" if indicator else "goal.target (e.g. 9.c)"
        return f"SDG {'indicator' if indicator else 'target'} {code!r} is not of the form {shape}"
    goal, target = int(match.group(1)), match.group(2)
    if not sdg_target_exists(goal, target):
        return f"SDG {goal}.{target} is not one of the 169 SDG targets"
    return None


@register
class SdgCodeRule(Rule):
    """An SDG target or indicator code is malformed or names no SDG target.

    What it does: SDG targets are written `goal.target` (`9.c`, `17.6`) and indicators
    `goal.target.n` (`9.c.1`); the goal must be 1-17 and the target one of that goal's targets
    (e.g. goal 9 has 9.1-9.5 and 9.a-9.c).

    Why: custodian reporting and the SDG linkage tables are matched on these codes.

    How to fix: correct the code (a common slip is `9.1.c` for `9.c.1`).
    """

    code = "SP701"
    name = "sdg-code"
    title = "bad SDG code"
    severity = Severity.ERROR
    fields = ("SdgLink.target", "SdgLink.indicators", "Smart.sdg_indicators")

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        for path, value in ctx.nodes:
            if isinstance(value, Smart):
                for i, code in enumerate(value.sdg_indicators):
                    problem = check_code(code, indicator=True)
                    if problem:
                        yield Finding((*path, "sdg_indicators", i), problem)
            elif isinstance(value, Goal):
                for i, link in enumerate(value.sdg_links):
                    problem = check_code(link.target, indicator=False)
                    if problem:
                        yield Finding((*path, "sdg_links", i, "target"), problem)
                    for j, code in enumerate(link.indicators):
                        problem = check_code(code, indicator=True)
                        if problem:
                            yield Finding((*path, "sdg_links", i, "indicators", j), problem)
