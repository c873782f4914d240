"""Every fact of a plan that the Council document is meant to show is in it: each deadline,
baseline, target value, custodian and SDG code of the targets and indicators, and each SDG
target and indicator code a goal links to, walked from the model and looked for in the text of
the blocks that render its item (or that print the field, as the goal's targets label prints
the deadline); in a redline, each value that changed is there as inserted text."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stratplan import ir
from stratplan.api import load_valid_plan, redline, render_document
from stratplan.model.plan import Indicator, Plan, Target
from tests.conftest import EXAMPLE, PLANS

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]

Fact = tuple[str, str, str]  # the item's IR key prefix, the field's address, the value printed


def facts(plan: Plan) -> Iterator[Fact]:
    """The SMART facts the plan states, for the templates to show."""

    def smart(kind: str, item: Target | Indicator, address: str) -> Iterator[Fact]:
        key = f"{kind}:{item.id}"
        if item.deadline is not None:
            yield key, f"{address}/deadline", str(item.deadline)
        if item.baseline is not None and item.baseline.value is not None:
            yield key, f"{address}/baseline/value", item.baseline.value
        if item.baseline is not None and item.baseline.year is not None:
            yield key, f"{address}/baseline/year", str(item.baseline.year)
        if item.target_value is not None:
            yield key, f"{address}/target_value", item.target_value
        if item.custodian is not None:
            yield key, f"{address}/custodian", item.custodian
        for code in item.sdg_indicators:
            yield key, f"{address}/sdg_indicators", code

    for target in plan.targets:
        yield from smart("target", target, f"targets/{target.id}")
        for indicator in target.indicators:
            yield from smart("indicator", indicator, f"indicators/{indicator.id}")
    for outcome in plan.outcomes:
        for indicator in outcome.indicators:
            yield from smart("indicator", indicator, f"indicators/{indicator.id}")
    for goal in plan.goals:
        for link in goal.sdg_links:
            yield f"sdg-links:{goal.id}", f"goals/{goal.id}/sdg_links", link.target
            for code in link.indicators:
                yield f"sdg-links:{goal.id}", f"goals/{goal.id}/sdg_links", code


def _keyed(blocks: tuple[ir.Block, ...]) -> Iterator[tuple[ir.Paragraph, str]]:
    """Each paragraph with the key of what it renders: its own, or its table row's."""
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            yield block, block.key
        else:
            for row in block.rows:
                for cell in row.cells:
                    for p in cell.blocks:
                        yield p, p.key if not p.key.startswith("#") else row.key


def _of(key: str, item: str) -> bool:
    return key == item or key.startswith(item + "/")


def showing(document: ir.Document, fact: Fact) -> list[ir.Paragraph]:
    """The paragraphs that render the fact's item, or print its field, and show its value."""
    item, address, value = fact
    return [
        p for p, key in _keyed(document.blocks)
        if (_of(key, item) or any(address in run.shows for run in p.runs)) and value in p.text
    ]


def missing(plan: Plan, document: ir.Document) -> list[Fact]:
    return [fact for fact in facts(plan) if not showing(document, fact)]


@pytest.mark.parametrize("cycle", CYCLES)
def test_every_fact_of_the_plan_is_in_its_document(cycle: str) -> None:
    _, plan = load_valid_plan(PLANS / cycle)
    assert list(facts(plan)) or cycle == "2012-2015"  # 2012-2015 states no SMART fields
    assert missing(plan, render_document(PLANS / cycle)) == []


def test_facts_the_text_does_not_say_follow_it_in_the_seeds_words() -> None:
    """The example plan's indicators state baselines and a custodian their texts do not say:
    the document says them after the text, as the seeds do ("(baseline year 2017)", "(SDG
    indicator 9.c.1 – ITU is custodian agency)"); before, they were nowhere in it."""
    _, plan = load_valid_plan(EXAMPLE)
    document = render_document(EXAMPLE)
    assert missing(plan, document) == []
    texts = {p.key: p.text for p in ir.iter_paragraphs(document.blocks)}
    assert texts["indicator:coverage-population"] == (
        "Percentage of the population covered by a mobile network (SDG indicator 9.c.1) "
        "(ITU is custodian agency) (baseline year 2024: 95%)")
    assert texts["indicator:entry-basket"].endswith("GNI per capita (baseline year 2024)")


def _inserted(paragraph: ir.Paragraph) -> str:
    return "".join(r.text for r in paragraph.runs
                   if paragraph.change == "ins" or r.change == "ins")


def changed_facts_missing(old: Path, new: Path) -> list[Fact]:
    """The facts of `new` whose value `old` did not state for the same item, that the redline
    does not show as inserted text in the paragraphs that show them in `new`'s document."""
    _, old_plan = load_valid_plan(old)
    _, new_plan = load_valid_plan(new)
    before = set(facts(old_plan))
    document = render_document(new)
    marked = redline(old, new, author="test", date="2026-02-01").document
    by_key = {p.key: p for p in ir.iter_paragraphs(marked.blocks)}
    out = []
    for fact in facts(new_plan):
        if fact in before:
            continue
        keys = [p.key for p in showing(document, fact)]
        if not any(fact[2] in _inserted(by_key[k]) for k in keys if k in by_key):
            out.append(fact)
    return out


@pytest.mark.parametrize("old,new", list(itertools.pairwise(CYCLES)))
def test_every_changed_fact_is_inserted_in_the_redline(old: str, new: str) -> None:
    assert changed_facts_missing(PLANS / old, PLANS / new) == []


def test_deadlines_that_differ_within_a_goal_are_printed_per_target(tmp_path: Path) -> None:
    """One target of Goal 1 moved to 2030: the label keeps no deadline ("– by 2031" would be
    wrong for that target) and each target says its own, in the label's words. Before, the
    label lost "– by 2031" and no target showed any deadline: 2030 was nowhere."""
    plan = tmp_path / "2028-2031"
    shutil.copytree(PLANS / "2028-2031", plan)
    targets = plan / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    moved = text.replace("    deadline: 2031  #", "    deadline: 2030  #", 1)
    assert moved != text
    targets.write_text(moved, encoding="utf-8")
    _, changed = load_valid_plan(plan)
    document = render_document(plan)
    assert missing(changed, document) == []
    texts = {p.key: f"{p.number} {p.text}" for p in ir.iter_paragraphs(document.blocks)}
    assert texts["targets-for:universal-connectivity"] == (
        " Targets for Goal 1: Universal Connectivity:")
    assert texts["target:broadband-coverage"] == "1.1: Universal broadband coverage – by 2030"
    assert texts["target:affordable-broadband"] == (
        "1.2: Affordable connectivity for all – by 2031")
    assert texts["targets-for:sustainable-digital-transformation"].endswith("– by 2031:")
    assert changed_facts_missing(PLANS / "2028-2031", plan) == []
