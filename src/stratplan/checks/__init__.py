"""The rules over a whole plan, one module per family, registered by code.

A rule's docstring is its user documentation (`stratplan explain CODE`); `rule` defines what a
rule is, `runner` runs them all over a plan, `catalogue` lists them as text without importing
them (or the plan model they check).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratplan.checks.rule import Finding, PlanContext, Rule, register

__all__ = ["Finding", "PlanContext", "Rule", "all_rules", "get_rule", "register"]

_FROM_RULE = {"Finding", "PlanContext", "Rule", "register"}


def __getattr__(name: str) -> Any:
    # What a rule is comes with the plan model; it is imported when first asked for, so that
    # `stratplan.checks.catalogue` stays light.
    if name in _FROM_RULE:
        from stratplan.checks import rule

        return getattr(rule, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_rules() -> list[type[Rule]]:
    from stratplan.checks.rule import REGISTRY

    _load_rule_modules()
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def get_rule(code: str) -> type[Rule] | None:
    from stratplan.checks.rule import REGISTRY

    _load_rule_modules()
    return REGISTRY.get(code.upper())


def _load_rule_modules() -> None:
    from stratplan.checks.catalogue import RULE_MODULES

    for module in RULE_MODULES:
        importlib.import_module(f"stratplan.checks.{module}")
