"""What a rule is: a code, a severity, a title and a doc, and a check() that yields findings.

A rule's docstring is its user documentation (`stratplan explain CODE`). Findings carry a data
path (e.g. ("targets", 3, "goal")); the caller turns paths into file:line:column through the
loader's source map, so rules never deal with files.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from stratplan.diagnostics import Severity
from stratplan.model.facts import DataPath, prose
from stratplan.model.plan import Plan
from stratplan.model.walk import id_bearers, walk
from stratplan.templates import ShowKind, show_kinds


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
    # Of those, the cycles whose folder is there but whose plan cannot be read: period ->
    # (the folder as shown, the number of its errors).
    unreadable_cycles: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Templates that come before the packaged ones (`--template-dir`), for the show kinds.
    template_dir: Path | None = None

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
        """Every prose string of the plan with its data path (`model.facts.prose`)."""
        return list(prose(self.plan))

    @cached_property
    def id_bearers(self) -> list[tuple[DataPath, Any]]:
        """Every model object of the plan that has an `id`."""
        return list(id_bearers(self.nodes))

    @cached_property
    def show_kinds(self) -> dict[str, ShowKind]:
        """What `show:` can place in a plan of this framework (from the templates)."""
        return show_kinds(self.plan.plan.framework, self.template_dir)


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
