"""`stratplan.source.suppress`: a suppression on any line of the item a finding is about, and
the suppression examples of the guide (docs/guide/validate.md), which must do what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratplan.api import validate
from stratplan.source.suppress import find_suppressions
from tests.conftest import MINIMAL_PLAN, ROOT

PLAN_HEAD = MINIMAL_PLAN.partition("goals:\n")[0]
REST = """\
goals:
  - id: universal-connectivity
    title: Universal Connectivity
priorities:
  - id: p1
    title: A priority
outcomes:
  - id: o1
    priority: p1
    text: An outcome
    indicators:
      - id: oi1
        text: An outcome indicator
        unit: countries
        data_source: ITU
        baseline: {year: 2024}
"""


def check(tmp_path: Path, targets: str) -> list[tuple[str, int, str]]:
    folder = tmp_path / "plan"
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN_HEAD + REST + targets, encoding="utf-8")
    result = validate([folder])
    return [(d.code, d.location.line if d.location else 0, d.message) for d in result.diagnostics]


TARGET = """\
targets:
  - id: schools-access
    goal: universal-connectivity
    text: Universal Internet access for all in schools{target_comment}
    indicators:
      - id: schools-internet-service
        text: Percentage of schools with entry-level Internet service
        data_source: ITU{indicator_comment}
"""


def test_suppression_on_a_field_line_silences_the_item(tmp_path: Path) -> None:
    plain = check(tmp_path, TARGET.format(target_comment="", indicator_comment=""))
    assert [c for c, _, _ in plain] == ["SP301", "SP301"]  # the target, then its indicator
    quiet = check(tmp_path, TARGET.format(
        target_comment="",
        indicator_comment="  # stratplan: ignore[SP301] unit and baseline to be defined",
    ))
    # The indicator's finding (on its `- id:` line) is silenced; the target's is not, though
    # the comment is inside the target too: the indicator's lines are the indicator's.
    assert quiet == [("SP301", 24, "target 'schools-access' lacks: deadline")]


def test_suppression_on_the_target_leaves_its_indicators(tmp_path: Path) -> None:
    found = check(tmp_path, TARGET.format(
        target_comment="  # stratplan: ignore[SP301] deadline set by the Connect 2030 Agenda",
        indicator_comment="",
    ))
    assert found == [
        ("SP301", 28, "indicator 'schools-internet-service' lacks: deadline, unit, baseline"),
    ]


def test_suppression_outside_any_finding_is_reported(tmp_path: Path) -> None:
    found = check(tmp_path, TARGET.format(
        target_comment="", indicator_comment=""
    ) + "# stratplan: ignore[SP101] nothing here\nfootnotes: {}\n")
    assert ("SP901", 31, "suppression of SP101 silences nothing on line 32") in found


def _guide_suppression_examples() -> list[str]:
    guide = (ROOT / "docs" / "guide" / "validate.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
    return [b for b in blocks if "stratplan: ignore" in b]


EXAMPLES = _guide_suppression_examples()


def test_the_guide_has_suppression_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{n}" for n in range(len(EXAMPLES))])
def test_guide_suppression_example_works(tmp_path: Path, example: str) -> None:
    """Each example is a `targets:` list; with its comments it gives no finding of the codes
    it suppresses and no SP901/SP902; without them, those findings come back."""
    suppressions = find_suppressions("x", example)
    codes = {code for s in suppressions for code in s.codes}
    assert codes and all(s.reason for s in suppressions)
    assert example.startswith("targets:\n")
    with_comments = check(tmp_path, example)
    assert [f for f in with_comments if f[0] in codes | {"SP901", "SP902"}] == []
    without = re.sub(r"\s*# stratplan: ignore\[[^\]]*\][^\n]*", "", example)
    found = {c for c, _, _ in check(tmp_path, without)}
    assert codes <= found
