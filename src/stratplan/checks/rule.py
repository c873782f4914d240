"""What a rule is: a code, a severity, a title and a doc, and a check() that yields findings.

A rule's docstring is its user documentation (`stratplan explain CODE`). Findings carry a data
path (e.g. ("targets", 3, "goal")); the caller turns paths into file:line:column through the
loader's source map, so rules never deal with files. A message that must name another place
(the first of two equal ids) asks `PlanContext.where`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, ClassVar

from stratplan.checks.catalogue import expand_doc
from stratplan.diagnostics import Location, Severity
from stratplan.model.address import format_path
from stratplan.model.facts import DataPath, FieldFacts, leaves
from stratplan.model.partial import UNKNOWN
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
    # Point at this character of the string at `path` (an unbalanced bracket, a quoted old
    # period) instead of the start of the value.
    offset: int | None = None
    # What the finding is about when several findings of a rule share a path (the old target
    # that SP603 misses): with the path, it identifies the finding in a baseline.
    subject: str = ""


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
    # file:line:column of a data path, for messages that name another place (`where`).
    locate: Callable[[DataPath], Location | None] | None = None
    # Top-level keys of the plan that are not all there: items left out because they do not
    # fit the model, a key that a second file defines again, or UNKNOWN when a whole file
    # could not be read. Rules that conclude from absence (`Rule.whole_plan`) do not run then.
    incomplete: frozenset[str] = frozenset()

    def complete(self, collection: str) -> bool:
        """Whether every item of this top-level collection is in the plan as checked."""
        return UNKNOWN not in self.incomplete and collection not in self.incomplete

    @cached_property
    def _data(self) -> Any:
        return self.plan.model_dump(exclude_defaults=True)

    def address(self, path: DataPath) -> str:
        """A data path as a drafter reads it: `targets/broadband-coverage/deadline`."""
        return format_path(self._data, path)

    def where(self, path: DataPath) -> str:
        """file:line:column of the value at `path`, for a message, the file named within the
        plan folder (`targets.yaml:12:7`); its address where the position is unknown."""
        location = self.locate(path) if self.locate is not None else None
        if location is not None and location.line:
            return str(replace(location, file=PurePath(location.file).name))
        return self.address(path)

    @property
    def final(self) -> bool:
        return self.stage == "final" or self.plan.plan.status == "adopted"

    # The plan is walked once for all the rules that look at every value.
    @cached_property
    def nodes(self) -> list[tuple[DataPath, Any]]:
        """Every value of the plan with its data path (`walk`)."""
        return list(walk(self.plan))

    @cached_property
    def _leaves(self) -> list[tuple[DataPath, str, FieldFacts]]:
        return list(leaves(self.plan))

    @cached_property
    def prose(self) -> list[tuple[DataPath, str]]:
        """Every prose string of the plan with its data path (`model.facts.prose`)."""
        return [(path, text) for path, text, facts in self._leaves if facts.prose]

    @cached_property
    def current_prose(self) -> list[tuple[DataPath, str]]:
        """Prose of this cycle's text: all but the notes about the previous cycle's items."""
        return [(path, text) for path, text, facts in self._leaves
                if facts.prose and not facts.history]

    @cached_property
    def lineage_refs(self) -> list[tuple[DataPath, str]]:
        """Every reference to an item of another cycle (`model.facts.lineage_refs`)."""
        return [(path, text) for path, text, facts in self._leaves if facts.lineage]

    @cached_property
    def references(self) -> list[tuple[DataPath, str, str]]:
        """(path, id, collection) of every in-plan reference (`model.facts.references`)."""
        return [(path, text, facts.ref.collection) for path, text, facts in self._leaves
                if facts.ref is not None]

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
    # The rule concludes from absence ("no goal has a target", "never referenced"): it runs
    # only over a whole plan, never over one where items were left out for schema errors.
    whole_plan: ClassVar[bool] = False
    # What the rule reads, for the field reference (docs/fields.md): `Model.field` names, a
    # model (every field that holds it), or a marker for every field that carries it (`prose`,
    # `current-prose`, `ref`, `lineage`, `id`); tests/test_tools_fieldref.py checks each.
    fields: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: PlanContext) -> Iterator[Finding]:
        return iter(())

    @classmethod
    def doc(cls) -> str:
        return expand_doc(inspect.cleandoc(cls.__doc__ or ""))


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in REGISTRY:
        raise ValueError(f"rule code {cls.code} registered twice")
    REGISTRY[cls.code] = cls
    return cls
