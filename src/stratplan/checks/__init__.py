"""Rules over a whole plan: each has a code, a severity, a title and a doc; it yields findings.

A rule's docstring is its user documentation (`stratplan explain CODE`). Findings carry a data
path (e.g. ("targets", 3, "goal")); the caller turns paths into file:line:column through the
loader's source map, so rules never deal with files.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from pydantic import BaseModel

from stratplan.diagnostics import Severity
from stratplan.model import Plan

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    path: DataPath
    message: str
    hint: str = ""
    # Use the key's position (e.g. a duplicate id's `id:`) rather than the value's.
    at_key: bool = False
    # Set by rules whose severity depends on the drafting stage.
    severity: Severity | None = None


@dataclass
class PlanContext:
    plan: Plan
    stage: str = "draft"  # "draft" or "final"
    # Plans of other cycles found on disk, by period, for lineage checks.
    cycles: dict[str, Plan] = field(default_factory=dict)
    missing_cycles: set[str] = field(default_factory=set)

    @property
    def final(self) -> bool:
        return self.stage == "final" or self.plan.plan.status == "adopted"

    # The plan is walked once for all the rules that look at every value.
    @cached_property
    def nodes(self) -> list[tuple[DataPath, Any]]:
        """Every value of the plan with its data path (`walk`)."""
        return list(walk(self.plan))

    @cached_property
    def prose(self) -> list[tuple[DataPath, str]]:
        """Every prose string of the plan with its data path (`prose`)."""
        return list(prose_in(self.nodes))

    @cached_property
    def id_bearers(self) -> list[tuple[DataPath, Any]]:
        """Every model object of the plan that has an `id` (`id_bearers`)."""
        return list(id_bearers_in(self.nodes))


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    # Rules that only the loader or the schema step raise have no check() of their own.
    stage: ClassVar[str] = "plan"

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        return iter(())

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in REGISTRY:
        raise ValueError(f"rule code {cls.code} registered twice")
    REGISTRY[cls.code] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    _load_rule_modules()
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def get_rule(code: str) -> type[Rule] | None:
    _load_rule_modules()
    return REGISTRY.get(code.upper())


def _load_rule_modules() -> None:
    from stratplan.checks import (  # noqa: F401
        chain,
        drafting,
        input,
        lineage,
        references,
        resources,
        sdg,
        smart,
    )


# --- walking the model ---------------------------------------------------------------------


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every value of a model tree with its data path, depth first, in document order."""
    yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if value is None or value == [] or value == {}:
                continue
            yield from walk(value, (*path, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from walk(item, (*path, key))


# Fields whose strings are codes, ids or references, not prose.
NON_PROSE_FIELDS = frozenset(
    {
        "id",
        "goal",
        "goals",
        "priority",
        "sector",
        "supports",
        "replaces",
        "to",
        "item",
        "show",
        "framework",
        "status",
        "period",
        "previous",
        "date",
        "language",
        "link",
        "paragraph_numbering",
        "list_style",
        "child_numbering",
        "target",
        "indicators",
        "sdg_indicators",
        "objectives",
        "years",
        "author",
        "source",
        "proposed_by",
        "anchor",
        "unit",
        "custodian",
        "data_source",
        "target_value",
        "value",
        "disaggregation",
    }
)


def prose(plan: Plan) -> Iterator[tuple[DataPath, str]]:
    """Every prose string of the plan (texts, titles, statements...), with its path."""
    return prose_in(walk(plan))


def prose_in(nodes: Iterable[tuple[DataPath, Any]]) -> Iterator[tuple[DataPath, str]]:
    for path, value in nodes:
        if not isinstance(value, str) or not path:
            continue
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field_name in NON_PROSE_FIELDS:
            continue
        yield path, value


def id_bearers(plan: Plan) -> Iterator[tuple[DataPath, Any]]:
    """Every model object that has an `id`, with its path."""
    return id_bearers_in(walk(plan))


def id_bearers_in(nodes: Iterable[tuple[DataPath, Any]]) -> Iterator[tuple[DataPath, Any]]:
    for path, value in nodes:
        if isinstance(value, BaseModel) and getattr(value, "id", None):
            yield path, value


Check = Callable[[PlanContext], Iterator[Finding]]
