"""`stratplan.tools.newcycle`: the next cycle's draft, copied with ids and comments kept."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from stratplan.api import load_plan, load_valid_plan, validate
from stratplan.diagnostics import Severity, StratplanError
from stratplan.model.plan import Plan
from stratplan.source.roundtrip import yaml_comments
from stratplan.tools.newcycle import new_cycle

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "plans" / "2028-2031"


def ids(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in ("goals", "targets", "priorities", "outcomes", "offerings", "enablers"):
        out[name] = [item.id for item in getattr(plan, name)]
    out["indicators"] = [i.id for t in plan.targets for i in t.indicators]
    out["indicators"] += [i.id for o in plan.outcomes for i in o.indicators]
    return out


@pytest.fixture
def cycle(tmp_path: Path) -> Path:
    # The previous cycle on disk beside the new one, as in plans/.
    shutil.copytree(SOURCE, tmp_path / "2028-2031")
    return new_cycle(tmp_path / "2028-2031", "2032-2035", tmp_path / "2032-2035")


def test_new_cycle_validates_as_a_draft(cycle: Path) -> None:
    assert cycle.name == "2032-2035"
    result = validate([cycle], stage="draft")
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert errors == []


def test_new_cycle_metadata_ids_and_deadlines(cycle: Path) -> None:
    _, old = load_valid_plan(SOURCE)
    _, new = load_valid_plan(cycle)
    assert new.plan.period == "2032-2035"
    assert new.plan.status == "draft"
    assert new.plan.previous == "2028-2031"
    assert new.plan.title == "ITU strategic plan for 2032-2035"
    assert new.plan.date is None
    assert old.plan.target_horizon == 2031
    assert new.plan.target_horizon == 2035
    assert ids(new) == ids(old)
    old_deadlines = {t.id: t.deadline for t in old.targets}
    new_deadlines = {t.id: t.deadline for t in new.targets}
    assert set(old_deadlines.values()) == {2031}
    assert set(new_deadlines.values()) == {2035}
    # The meeting's cover fields are cleared (all the 2028-2031 cover had).
    assert old.cover is not None and old.cover.purpose
    assert new.cover is None or not (
        new.cover.purpose or new.cover.action_required or new.cover.references
    )
    # Drafting comments (`comments:` lists) are kept.
    old_comments = [c for s in old.sections for sub in s.sections for c in sub.comments]
    new_comments = [c for s in new.sections for sub in s.sections for c in sub.comments]
    assert old_comments and new_comments == old_comments


def test_new_cycle_keeps_yaml_comments(cycle: Path) -> None:
    for path in sorted(SOURCE.glob("*.yaml")):
        before = Counter(yaml_comments(path.read_text(encoding="utf-8")))
        after = Counter(yaml_comments((cycle / path.name).read_text(encoding="utf-8")))
        assert after == before, path.name
    # Files with nothing to change are byte-for-byte copies.
    for name in ("goals.yaml", "outcomes.yaml", "priorities.yaml", "footnotes.yaml"):
        assert (cycle / name).read_bytes() == (SOURCE / name).read_bytes()


def test_new_cycle_moves_horizon_without_target_horizon(tmp_path: Path) -> None:
    source = tmp_path / "2028-2031"
    source.mkdir()
    (source / "plan.yaml").write_text(
        "# metadata\n"
        "plan:\n"
        "  title: Plan 2028-2031\n"
        "  period: 2028-2031\n"
        "  framework: thematic\n"
        "  resolution: Resolution 71\n"
        "  status: adopted\n"
        "  date: 2026-10-01  # adoption date\n"
        "  # decision: numbering\n"
        "  paragraph_numbering: global\n"
        "cover:\n"
        "  heading: ITU STRATEGIC PLAN\n"
        "  meeting: Council 2026  # meeting eol\n"
        "  # decision: the document number\n"
        "  document: C26/1\n"
        "goals:\n"
        "  - id: g\n"
        "    title: G\n"
        "targets:\n"
        "  - id: t\n"
        "    goal: g\n"
        "    text: T\n"
        "    deadline: 2031  # by 2031\n"
        "  - id: u\n"
        "    goal: g\n"
        "    text: U\n"
        "    deadline: 2030\n",
        encoding="utf-8",
    )
    dest = new_cycle(source, "2032-2035", tmp_path / "2032-2035")
    text = (dest / "plan.yaml").read_text(encoding="utf-8")
    plan = load_plan(dest).plan  # model-valid (not a whole thematic plan: no priorities)
    assert plan is not None
    assert plan.plan.status == "draft" and plan.plan.previous == "2028-2031"
    assert plan.plan.title == "Plan 2032-2035" and plan.plan.date is None
    assert [t.deadline for t in plan.targets] == [2035, 2030]
    assert plan.cover is not None and plan.cover.heading == "ITU STRATEGIC PLAN"
    assert plan.cover.meeting is None and plan.cover.document is None
    assert Counter(yaml_comments(text)) == Counter(
        yaml_comments((source / "plan.yaml").read_text(encoding="utf-8"))
    )


def test_new_cycle_refuses_existing_folder_and_bad_period(tmp_path: Path) -> None:
    dest = tmp_path / "2032-2035"
    dest.mkdir()
    with pytest.raises(StratplanError) as exc:
        new_cycle(SOURCE, "2032-2035", dest)
    assert exc.value.diagnostics[0].code == "SP010"
    assert exc.value.diagnostics[0].io
    assert list(dest.iterdir()) == []
    for period in ("2032", "2032-35", "2035-2032", "2024-2027", "abcd-efgh"):
        with pytest.raises(StratplanError) as exc:
            new_cycle(SOURCE, period, tmp_path / "other")
        assert exc.value.diagnostics[0].code == "SP010"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2032-2035"]


def test_new_cycle_leaves_nothing_on_failure(tmp_path: Path) -> None:
    source = tmp_path / "2028-2031"
    source.mkdir()
    (source / "plan.yaml").write_text("plan: [unclosed\n", encoding="utf-8")
    with pytest.raises(StratplanError):
        new_cycle(source, "2032-2035", tmp_path / "2032-2035")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2028-2031"]
