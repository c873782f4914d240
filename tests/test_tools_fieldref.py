"""`stratplan.tools.fieldref`: docs/fields.md is generated from the model (tests/test_manual.py
keeps it current), every field means something, every rule's `fields` name real fields, and the
drafting tasks the page shows do what it says on a real 2032-2035 draft."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap

from stratplan.api import validate
from stratplan.checks import all_rules
from stratplan.formats import Stage
from stratplan.model.contribution import Contribution
from stratplan.model.meeting import Meeting
from stratplan.model.plan import Plan
from stratplan.model.walk import all_models
from stratplan.source.roundtrip import dump_text, round_trip_yaml
from stratplan.tools.fieldref import TASKS, Task, meaning
from stratplan.tools.newcycle import new_cycle
from tests.conftest import PLANS, ROOT

PAGE = ROOT / "docs" / "fields.md"


def declared_names() -> set[str]:
    """What a rule's `fields` may name: `Model.field`, `Model`, or a marker: `prose`,
    `current-prose` (prose but the notes about the previous cycle), `ref`, `lineage`, `id`."""
    out = {"prose", "current-prose", "ref", "lineage", "id"}
    for root in (Plan, Contribution, Meeting):
        for model in all_models(root):
            out.add(model.__name__)
            for base in model.__mro__:
                if isinstance(base, type) and issubclass(base, BaseModel):
                    out |= {f"{base.__name__}.{f}" for f in getattr(base, "model_fields", {})}
    return out


def test_every_field_is_described_and_on_the_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for root in (Plan, Contribution, Meeting):
        for model in all_models(root):
            assert f"\n### {model.__name__}\n" in page, model.__name__
            section = page.split(f"\n### {model.__name__}\n", 1)[1].split("\n### ", 1)[0]
            for name in model.model_fields:
                assert meaning(model, name), f"{model.__name__}.{name} has no docstring"
                assert f"| `{name}` |" in section, f"{model.__name__}.{name}"


def test_rules_name_real_fields() -> None:
    known = declared_names()
    for rule in all_rules():
        assert set(rule.fields) <= known, (rule.code, set(rule.fields) - known)
    checked = [r for r in all_rules() if r.stage == "plan"]
    assert all(r.fields for r in checked), [r.code for r in checked if not r.fields]


def test_the_page_shows_examples_from_the_plans() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert "| `deadline` | year |" in page
    assert "`broadband-coverage` (2028-2031, targets.yaml)" in page
    assert "| SP301, SP302 |" in page  # a deadline is read by both SMART rules
    assert "(contribution, member-state-goals-and-targets.yaml)" in page


def test_the_readme_links_the_page() -> None:
    assert "docs/fields.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- the drafting tasks, done on a draft made by `new` -----------------------------------------


class Draft:
    """A 2032-2035 draft made by `stratplan new` from the real 2028-2031 plan."""

    def __init__(self, root: Path) -> None:
        shutil.copytree(PLANS / "2028-2031", root / "2028-2031")
        self.folder = new_cycle(root / "2028-2031", "2032-2035", root / "2032-2035").folder

    def edit(self, name: str, change: Callable[[CommentedMap], None]) -> None:
        path = self.folder / name
        yaml = round_trip_yaml()
        doc = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else CommentedMap()
        change(doc)
        path.write_text(dump_text(yaml, doc), encoding="utf-8")

    def codes(self, stage: Stage | None = None) -> set[str]:
        return {d.code for d in validate([self.folder], stage=stage).diagnostics}

    def errors(self) -> list[str]:
        return [f"{d.code} {d.message}" for d in validate([self.folder]).diagnostics
                if d.severity.value == "error"]


def _item(items: list[Any], ident: str) -> Any:
    return next(i for i in items if (i["id"] if isinstance(i, dict) else i.id) == ident)


def _drop_business_use(doc: CommentedMap) -> None:
    doc["targets"].remove(_item(doc["targets"], "business-use"))


def _task(title: str) -> tuple[Task, Any]:
    task = next(t for t in TASKS if t.title == title)
    return task, round_trip_yaml().load(task.yaml)


@pytest.fixture
def draft(tmp_path: Path) -> Draft:
    return Draft(tmp_path)


def test_task_drop_a_target(draft: Draft) -> None:
    task, snippet = _task("Drop a target, with the reason")
    draft.edit("targets.yaml", _drop_business_use)
    assert set(task.fixes) <= draft.codes()  # the gap the task closes
    draft.edit("lineage.yaml", lambda doc: doc.update(snippet))
    assert not set(task.fixes) & draft.codes() and draft.errors() == []


def test_task_replace_a_target(draft: Draft) -> None:
    task, snippet = _task("Replace a target of the previous cycle by a new one")

    def replace(doc: CommentedMap) -> None:
        at = doc["targets"].index(_item(doc["targets"], "business-use"))
        doc["targets"][at] = snippet["targets"][0]

    draft.edit("targets.yaml", replace)
    assert not set(task.fixes) & draft.codes() and draft.errors() == []


def test_task_target_became_an_outcome(draft: Draft) -> None:
    task, snippet = _task("A target that became an outcome")
    draft.edit("targets.yaml", _drop_business_use)
    draft.edit("lineage.yaml", lambda doc: doc.update(snippet))
    assert not set(task.fixes) & draft.codes() and draft.errors() == []


def test_task_move_an_outcome(draft: Draft) -> None:
    _, snippet = _task("Move an outcome to another thematic priority")
    moved = snippet["outcomes"][0]

    def move(doc: CommentedMap) -> None:
        outcomes = doc["outcomes"]
        item = _item(outcomes, moved["id"])
        outcomes.remove(item)
        item["priority"] = moved["priority"]
        last = max(n for n, o in enumerate(outcomes) if o["priority"] == moved["priority"])
        outcomes.insert(last + 1, item)

    draft.edit("outcomes.yaml", move)
    assert draft.errors() == []
    from stratplan.api import load_plan

    plan = load_plan(draft.folder).plan
    assert plan is not None
    assert _item(plan.outcomes, moved["id"]).priority == "enabling-environment"


def test_task_add_an_alternative(draft: Draft) -> None:
    _, snippet = _task("Add alternative wording")
    wanted = snippet["targets"][0]
    draft.edit("targets.yaml", lambda doc: _item(doc["targets"], wanted["id"]).update(
        alternatives=wanted["alternatives"]))
    assert draft.errors() == []
    assert "SP503" in draft.codes(stage="final")


def test_task_add_a_footnote(draft: Draft) -> None:
    task, snippet = _task("Add a footnote")
    draft.edit("vision-mission.yaml", lambda doc: doc["vision"].update(snippet["vision"]))
    assert set(task.fixes) <= draft.codes()  # a reference without its footnote yet
    draft.edit("footnotes.yaml", lambda doc: doc["footnotes"].update(snippet["footnotes"]))
    assert not set(task.fixes) & draft.codes() and draft.errors() == []


def test_task_add_a_comment(draft: Draft) -> None:
    _, snippet = _task("Add a comment")
    draft.edit("vision-mission.yaml", lambda doc: doc["mission"].update(snippet["mission"]))
    assert draft.errors() == []
    assert "SP504" in draft.codes(stage="final")
