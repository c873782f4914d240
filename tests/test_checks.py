"""Each rule, both ways: its `fail` case gives exactly the expected findings, `pass` none."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from stratplan.api import validate
from stratplan.checks import all_rules
from stratplan.formats import Stage

CASES = Path(__file__).parent / "cases"


def _cases() -> list[tuple[str, str]]:
    return sorted(
        (code.name, kind.name)
        for code in CASES.iterdir()
        if code.is_dir()
        for kind in code.iterdir()
        if kind.is_dir()
    )


def _run(case: Path) -> list[str]:
    target_file = case / "target"
    target = target_file.read_text().strip() if target_file.exists() else "plan"
    stage_file = case / "stage"
    stage = stage_file.read_text().strip() if stage_file.exists() else None
    result = validate([case / target], stage=cast(Stage | None, stage))
    code = case.parent.name
    lines = []
    for d in result.diagnostics:
        if d.code != code:
            continue
        assert d.location is not None
        rel = Path(d.location.file).resolve().relative_to(case.resolve())
        lines.append(f"{rel}:{d.location.line}:{d.location.column}: {d.message}")
    return lines


@pytest.mark.parametrize(("code", "kind"), _cases())
def test_rule_case(code: str, kind: str) -> None:
    case = CASES / code / kind
    found = _run(case)
    if kind == "pass":
        assert found == []
    else:
        expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert found == expected


def test_every_checking_rule_has_both_cases() -> None:
    checking = [r.code for r in all_rules() if r.stage in ("plan", "suppress")]
    missing = [
        code
        for code in checking
        if not ((CASES / code / "pass").is_dir() and (CASES / code / "fail").is_dir())
    ]
    assert missing == []


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        assert rule.doc(), rule.code
        assert rule.title and rule.name


def test_every_code_the_source_emits_is_a_registered_rule() -> None:
    """`stratplan explain` knows every code a diagnostic can carry."""
    import re

    from stratplan.checks import get_rule

    source = Path(__file__).resolve().parents[1] / "src" / "stratplan"
    emitted = {
        code
        for path in source.rglob("*.py")
        for code in re.findall(r"\"(SP[0-9]{3})\"", path.read_text(encoding="utf-8"))
    }
    assert len(emitted) > 40
    assert sorted(c for c in emitted if get_rule(c) is None) == []


def test_unresolved_references_suggest_the_closest_id(tmp_path: Path) -> None:
    """SP102, SP104 and SP601 name the id meant, as SP100 names the key meant."""
    from tests.conftest import MINIMAL_PLAN

    old = tmp_path / "2024-2027"
    old.mkdir()
    (old / "plan.yaml").write_text(
        MINIMAL_PLAN.replace("period: 2028-2031", "period: 2024-2027")
        .replace("id: t1", "id: broadband-coverage"),
        encoding="utf-8",
    )
    new = tmp_path / "2028-2031"
    new.mkdir()
    text = MINIMAL_PLAN.replace("status: draft", "status: draft\n  previous: 2024-2027")
    text = text.replace(
        "    goal: g1\n", "    goal: g11\n    replaces: [2024-2027/broadband-coverag]\n"
    )
    text += "vision: A vision[^fn1].\nfootnotes:\n  fn-1: A note.\n"
    (new / "plan.yaml").write_text(text, encoding="utf-8")
    hints = {d.code: d.hint for d in validate([new]).diagnostics}
    assert hints["SP102"] == "did you mean 'g1'?"
    assert hints["SP104"] == "did you mean '[^fn-1]'?"
    assert hints["SP601"] == "did you mean '2024-2027/broadband-coverage'?"
