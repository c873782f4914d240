"""The field reference (docs/fields.md), generated from the model, the rules and the real plans.

Every field of a plan and of a contribution, with its type (read from its annotation), its
meaning (its description, or the docstring after it in the model), an example taken from the plans
in the repository, and the rules that read it (each rule's `fields`). The drafting tasks at the
top (drop a target with its reason, move an outcome, add an alternative, a footnote, a comment)
are examples that tests/test_tools_fieldref.py checks against the rules. Generating twice gives
the same page; `stratplan.manual` writes it with the other generated pages of the manual
(`make docs`), and tests/test_manual.py fails when the model changes and the page does not.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import re
import sys
import textwrap
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo

from stratplan.checks import Rule, all_rules
from stratplan.diagnostics import StratplanError
from stratplan.model.contribution import Contribution
from stratplan.model.facts import LINEAGE, RefTo, field_facts, models_in
from stratplan.model.meeting import Meeting
from stratplan.model.plan import ID_PATTERN, PERIOD_PATTERN, Para, Plan, Show
from stratplan.model.walk import all_models, child_annotation, field_order, node_model
from stratplan.source.reader import load_sources
from stratplan.source.scalars import raw_text

HEADER = """\
# Plan and contribution fields

<!-- Generated from the model by `make docs` (python -m stratplan.manual). Do not edit:
tests/test_manual.py fails when the model, the rules or the plans change and this page does
not. -->

A plan is a folder of YAML files (`plans/<period>/`): the top-level keys of its files are the
fields of [Plan](#plan), each in one file. A contribution is one YAML file: the fields of
[Contribution](#contribution). Every value is checked against its type (rule SP100: a missing
required field, a misspelt key, a wrong type); *Checked by* names the other rules that read the
field (`stratplan explain CODE`). Examples come from the plans in `plans/`, newest first.
Numbers are never written: Goal 1, Target 1.2, outcome 3), paragraph 17 are computed.
"""


@dataclass(frozen=True)
class Task:
    """A drafting task, shown with its YAML; `fixes` are the findings it removes, `needs` the
    previous cycle's plan it is written against (the test builds both)."""

    title: str
    text: str
    yaml: str
    fixes: tuple[str, ...] = ()


# Written against a 2032-2035 draft that follows the 2028-2031 plan.
TASKS: tuple[Task, ...] = (
    Task(
        "Drop a target, with the reason",
        "Delete the target from `targets:` and say why under `lineage.dropped`, naming it by "
        "its cycle and id; rule SP603 reports a target of the previous cycle that is neither "
        "carried (same id), replaced, moved nor dropped. The crosswalk (`stratplan lineage`) "
        "prints the reason.",
        """\
lineage:
  dropped:
    - item: 2028-2031/business-use
      reason: Measured through the outcomes of the digital applications priority.
""",
        ("SP603",),
    ),
    Task(
        "Replace a target of the previous cycle by a new one",
        "Delete the old target and name it in the new one's `replaces`; the redline aligns "
        "the two, and the crosswalk shows the mapping.",
        """\
targets:
  - id: digital-economy
    goal: sustainable-digital-transformation
    text: Digital economy for all
    deadline: 2035
    replaces: [2028-2031/business-use]
    indicators:
      - id: business-internet-use
        text: Percentage of businesses using the Internet, overall and by size (staff)
""",
        ("SP603",),
    ),
    Task(
        "A target that became an outcome",
        "Delete the target and list it under `lineage.moved` with the outcomes that take it "
        "up (`to`: ids of this plan's outcomes).",
        """\
lineage:
  moved:
    - item: 2028-2031/business-use
      to: [applications-adoption]
      note: Business use is measured through the adoption of applications.
""",
        ("SP603",),
    ),
    Task(
        "Move an outcome to another thematic priority",
        "Change its `priority:` and move the item among that priority's outcomes; keep its id "
        "and its indicators. Its number (outcome 3)) is computed from its new place, and the "
        "redline shows it moved.",
        """\
outcomes:
  - id: digital-skills-literacy
    priority: enabling-environment  # was: infrastructure
    text: Enhanced digital skills and literacy
""",
    ),
    Task(
        "Add alternative wording",
        "Wording proposed by a named source follows the base text, opened by the source in "
        "brackets (`[TSAG] ...`); at the final stage an open alternative is an error (SP503).",
        """\
targets:
  - id: internet-use
    alternatives:
      - source: TSAG
        text: Universal and meaningful use of the Internet
""",
    ),
    Task(
        "Add a footnote",
        "Write `[^id]` where the footnote mark goes and the text under `footnotes:`; SP104 "
        "reports a reference without a footnote, SP105 a footnote nothing refers to.",
        """\
vision:
  text: "An information society, empowered by the interconnected world[^connected]."
footnotes:
  connected: Interconnected through telecommunications/ICTs.
""",
        ("SP104",),
    ),
    Task(
        "Add a comment",
        "A Word comment, by its author, on the element that carries it; `anchor` names the "
        "words it covers (SP106 checks they are there). At the final stage comments are "
        "reported (SP504).",
        """\
mission:
  comments:
    - author: ITU
      text: Align with the wording agreed by the CWG-SFP.
      anchor: universal access
""",
    ),
)


# --- types ---------------------------------------------------------------------------------


def _link(model: type[BaseModel]) -> str:
    return markdown_link(model.__name__, model.__name__.lower())


def _pattern_name(pattern: str) -> str:
    if pattern == ID_PATTERN:
        return "id (a slug: a-z, 0-9, -)"
    if pattern == PERIOD_PATTERN:
        return "period (YYYY-YYYY)"
    if "[0-9]{2}-[0-9]{2}" in pattern:
        return "date (YYYY-MM-DD)"
    return f"text matching `{pattern}`"


def type_name(annotation: Any, metadata: Sequence[Any] = ()) -> str:
    """An annotation in words: `list of [Indicator](#indicator)`, `year`, `id of a goals item`."""
    meta = list(metadata)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        return type_name(base, [*meta, *more])
    ref = next((m for m in meta if isinstance(m, RefTo)), None)
    if ref is not None:
        return f"id of an item of `{ref.collection}`"
    if LINEAGE in meta:
        return "`<period>/<id>` of an item of the previous cycle"
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = models_in(annotation)
        if Para in models and Show in models:
            return f"a text, a {_link(Para)} or a {_link(Show)}"
        names = [type_name(m, meta) for m in members]
        return " or ".join(dict.fromkeys(names))
    if origin is list:
        (item,) = typing.get_args(annotation)
        models = models_in(item)
        if Para in models and Show not in models:
            return f"list of paragraphs (each a text, or a {_link(Para)})"
        return f"list of {type_name(item)}"
    if origin is dict:
        _, value = typing.get_args(annotation)
        return f"mapping of names to {type_name(value)}"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation is Para:
            return f"a text, or a {_link(Para)}"
        return _link(annotation)
    for m in meta:
        if isinstance(m, StringConstraints) and m.pattern:
            return _pattern_name(str(m.pattern))
        if isinstance(m, FieldInfo):
            inner = type_name(annotation, m.metadata)
            if inner != type_name(annotation):
                return inner
        if annotation is int and getattr(m, "ge", None) is not None:
            return "year"  # Year: an int with bounds (annotated_types.Ge)
    if annotation is str:
        return "text"
    if annotation is int:
        return "integer"
    if annotation is bool:
        return "`true` or `false`"
    if annotation is Any:
        return "any value"
    return getattr(annotation, "__name__", str(annotation))


# --- examples from the plans -----------------------------------------------------------------

Example = tuple[str, str, Any]  # (cycle or file label, file name, raw value)


def _collect(data: Any, annotation: Any, label: str, files: Mapping[tuple[Any, ...], str],
             path: tuple[Any, ...], found: dict[tuple[str, str], Example]) -> None:
    model = node_model(annotation, data)
    if model is not None and isinstance(data, Mapping):
        for key, value in data.items():
            if not isinstance(key, str) or key not in model.model_fields:
                continue
            here = (*path, key)
            found.setdefault((model.__name__, key), (label, files.get(here, ""), value))
            _collect(value, child_annotation(annotation, data, key), label, files, here, found)
    elif isinstance(data, list):
        item = child_annotation(annotation, data, 0)
        for n, value in enumerate(data):
            _collect(value, item, label, files, (*path, n), found)
    elif isinstance(data, str) and Para in models_in(annotation):
        # A paragraph written as its text: the example of `Para.text`.
        found.setdefault(("Para", "text"), (label, files.get(path, ""), data))


def examples(roots: Iterable[Path]) -> dict[tuple[str, str], Example]:
    """The first value of each (model, field) in the plans and contributions under `roots`:
    plan folders (those with a plan.yaml) newest first, then contribution files by name."""
    found: dict[tuple[str, str], Example] = {}
    plans: list[Path] = []
    contributions: list[Path] = []
    for root in roots:
        if not root.is_dir():
            continue
        folders = [c for c in root.iterdir() if c.is_dir() and (c / "plan.yaml").is_file()]
        plans += sorted(folders, reverse=True)
        if not folders:
            contributions += sorted(root.rglob("*.yaml"))
    for source, root_model in [*((p, Plan) for p in plans),
                               *((c, Contribution) for c in contributions)]:
        try:
            loaded = load_sources(source)
        except StratplanError:
            continue
        if root_model is Contribution and not (
            isinstance(loaded.data, dict) and "contribution" in loaded.data
        ):
            continue
        label = source.name if root_model is Plan else "contribution"
        files = {p: Path(loc.file).name for p, loc in loaded.sources.positions.items()}
        _collect(loaded.data, root_model, label, files, (), found)
    return found


def _shorten(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar(value: Any) -> str:
    text = raw_text(value)
    if isinstance(text, bool):
        return "true" if text else "false"
    return _shorten(str(text))


def show_example(example: Example | None) -> str:
    if example is None:
        return ""
    label, file, value = example
    where = f" ({label}, {file})" if file else f" ({label})"
    if isinstance(value, Mapping):
        keys = ", ".join(f"`{k}`" for k in list(value)[:4])
        shown = f"a mapping with {keys}{', ...' if len(value) > 4 else ''}"
    elif isinstance(value, list):
        if value and all(not isinstance(v, Mapping | list) for v in value):
            items = ", ".join(_scalar(v) for v in value[:3])
            shown = f"`[{items}{', ...' if len(value) > 3 else ''}]`"
        else:
            first = value[0] if value else None
            ident = first.get("id") if isinstance(first, Mapping) else None
            shown = f"{len(value)} item{'s' if len(value) != 1 else ''}"
            if ident:
                shown += f", the first `{ident}`"
    else:
        shown = f"`{_scalar(value)}`".replace("|", "\\|")
    return shown + where


# --- what a field means ------------------------------------------------------------------------


@functools.cache
def _docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The docstring after each field of `model`'s own class body."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(model)))
    except (OSError, TypeError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    out: dict[str, str] = {}
    for stmt, after in itertools.pairwise(body):
        if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            out[stmt.target.id] = " ".join(after.value.value.split())
    return out


def meaning(model: type[BaseModel], name: str) -> str:
    """What a field means: its `description`, else the docstring after it (in the class that
    declares it)."""
    info = model.model_fields[name]
    if info.description:
        return info.description
    for base in model.__mro__:
        if isinstance(base, type) and issubclass(base, BaseModel):
            found = _docstrings(base).get(name)
            if found:
                return found
    return ""


# --- the rules that read a field ---------------------------------------------------------------


def rules_for(model: type[BaseModel], name: str, rules: list[type[Rule]]) -> list[str]:
    """The codes of the rules whose `fields` name this field, a model it holds, or a marker it
    carries (SP100, which checks every field, is not listed)."""
    names = {f"{base.__name__}.{name}" for base in model.__mro__
             if isinstance(base, type) and issubclass(base, BaseModel) and name in getattr(
                 base, "model_fields", {})}
    held = {m.__name__ for m in models_in(model.model_fields[name].annotation)}
    facts = field_facts(model).get(name)
    markers = set()
    # The plan's rules read the plan: a marker counts in the plan's models only.
    if facts is not None and model in all_models(Plan):
        markers |= {"prose"} if facts.prose else set()
        markers |= {"current-prose"} if facts.prose and not facts.history else set()
        markers |= {"ref"} if facts.ref is not None else set()
        markers |= {"lineage"} if facts.lineage else set()
    if name == "id" and model in all_models(Plan):
        markers.add("id")
    return [r.code for r in rules if set(r.fields) & (names | held | markers)]


# --- the page ------------------------------------------------------------------------------


def _where(models: list[type[BaseModel]]) -> dict[type[BaseModel], list[str]]:
    """For each model, the fields that hold it: `[Plan](#plan).targets`."""
    out: dict[type[BaseModel], list[str]] = {}
    for parent in models:
        for name, info in parent.model_fields.items():
            for model in models_in(info.annotation) or _deep(info.annotation):
                entry = f"{_link(parent)} `{name}`"
                if entry not in out.setdefault(model, []):
                    out[model].append(entry)
    return out


def _deep(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            found.append(arg)
        else:
            found += _deep(arg)
    return found


def markdown_prose(text: str) -> str:
    """Text as Markdown shows it: a `<` outside code spans escaped, lest it be taken for an HTML
    tag (`plans/<base>/`) and vanish from the page."""
    parts = text.split("`")
    return "`".join(p.replace("<", "\\<") if i % 2 == 0 else p for i, p in enumerate(parts))


def markdown_link(text: str, anchor: str) -> str:
    """A link to a heading of the same page: `[Plan](#plan)`."""
    return f"[{text}](#{anchor})"


def markdown_cell(text: str) -> str:
    """Text in one cell of a Markdown table: one line, `|` escaped."""
    return markdown_prose(" ".join(text.split()).replace("|", "\\|"))


def _model_section(model: type[BaseModel], where: list[str], found: dict[tuple[str, str],
                   Example], rules: list[type[Rule]]) -> list[str]:
    lines = [f"### {model.__name__}", ""]
    doc = (model.__doc__ or "").strip()
    if doc and not doc.startswith(("A base class", "Usage docs")):
        lines += [" ".join(doc.split("\n\n")[0].split()), ""]
    if where:
        lines += ["In: " + ", ".join(where) + ".", ""]
    lines += ["| Field | Type | Meaning | Example | Checked by |",
              "| --- | --- | --- | --- | --- |"]
    for name in field_order(model):
        info = model.model_fields[name]
        kind = type_name(info.annotation, info.metadata)
        if info.is_required():
            kind += " (required)"
        example = show_example(found.get((model.__name__, name)) or _inherited(model, name,
                                                                              found))
        checked = ", ".join(rules_for(model, name, rules))
        lines.append(f"| `{name}` | {markdown_cell(kind)} | "
                     f"{markdown_cell(meaning(model, name))} | {markdown_cell(example)} | "
                     f"{checked} |")
    return [*lines, ""]


def _inherited(model: type[BaseModel], name: str, found: dict[tuple[str, str], Example]
               ) -> Example | None:
    """An example of a field a base class declares (Target and Indicator share Smart's), from
    another model that inherits it."""
    owner = next((base for base in reversed(model.__mro__)
                  if isinstance(base, type) and issubclass(base, BaseModel)
                  and name in getattr(base, "model_fields", {})), model)
    if owner is model:
        return None
    for other in all_models(Plan):
        if other is not model and issubclass(other, owner):
            example = found.get((other.__name__, name))
            if example is not None:
                return example
    return None


def field_reference(roots: Iterable[Path] = ()) -> str:
    """The page, from the model, the rules, and the examples under `roots` (plans/,
    contributions/)."""
    rules = all_rules()
    found = examples(roots)
    plan_models = all_models(Plan)
    contribution_models = [m for m in all_models(Contribution) if m not in plan_models]
    meeting_models = [m for m in all_models(Meeting)
                      if m not in plan_models and m not in contribution_models]
    where = _where([*plan_models, *contribution_models, *meeting_models])
    out = [HEADER, "## Contents", ""]
    out += ["- [Drafting tasks](#drafting-tasks): " + "; ".join(t.title.lower() for t in TASKS)]
    out += ["- [Plan fields](#plan-fields): " + ", ".join(_link(m) for m in plan_models)]
    out += ["- [Contribution fields](#contribution-fields): "
            + ", ".join(_link(m) for m in contribution_models)]
    out += ["- [Meeting record fields](#meeting-record-fields): "
            + ", ".join(_link(m) for m in meeting_models)]
    out += ["- [Rules](#rules)", "", "## Drafting tasks", "",
            "Each is written as it stands in a 2032-2035 draft that follows the 2028-2031 plan "
            "(`stratplan new 2032-2035 --from plans/2028-2031`).", ""]
    for task in TASKS:
        out += [f"### {task.title}", "", task.text, "", "```yaml", task.yaml.rstrip(), "```", ""]
    out += ["## Plan fields", ""]
    for model in plan_models:
        out += _model_section(model, where.get(model, []), found, rules)
    out += ["## Contribution fields", ""]
    for model in contribution_models:
        out += _model_section(model, where.get(model, []), found, rules)
    out += ["## Meeting record fields", "",
            "A meeting's record (`meetings/<meeting>.yaml`, "
            "[the meeting](guide/meeting.md)): the fields of [Meeting](#meeting).", ""]
    for model in meeting_models:
        out += _model_section(model, where.get(model, []), found, rules)
    out += ["## Rules", "", "| Code | Severity | Name | What |", "| --- | --- | --- | --- |"]
    for rule in rules:
        out.append(f"| {rule.code} | {rule.severity.value} | {rule.name} | "
                   f"{markdown_cell(rule.title)} |")
    text = "\n".join(out).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def main(argv: list[str] | None = None) -> None:
    roots = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    sys.stdout.write(field_reference(roots))


if __name__ == "__main__":
    main()
