"""The rules over a whole plan, one module per family, registered by code.

A rule's docstring is its user documentation (`stratplan explain CODE`); `rule` defines what a
rule is, `runner` runs them all over a plan.
"""

from __future__ import annotations

from stratplan.checks.rule import REGISTRY, Finding, PlanContext, Rule, register

__all__ = ["Finding", "PlanContext", "Rule", "all_rules", "get_rule", "register"]


def all_rules() -> list[type[Rule]]:
    _load_rule_modules()
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def get_rule(code: str) -> type[Rule] | None:
    _load_rule_modules()
    return REGISTRY.get(code.upper())


def _load_rule_modules() -> None:
    from stratplan.checks import (  # noqa: F401
        chain,
        changes,
        drafting,
        input,
        lineage,
        output,
        references,
        resources,
        sdg,
        smart,
    )
