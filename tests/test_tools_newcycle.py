"""`stratplan.tools.newcycle`: the next cycle's draft: ids kept, the period's values moved,
what cannot be known bracketed, the old cycle's drafting comments and lineage left behind."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from stratplan.api import diff, load_plan, load_valid_plan, validate
from stratplan.diagnostics import Severity, StratplanError
from stratplan.model.plan import Comment, Plan
from stratplan.model.walk import walk
from stratplan.source.roundtrip import yaml_comments
from stratplan.tools.newcycle import new_cycle

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
SOURCE = PLANS / "2028-2031"


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
    return new_cycle(tmp_path / "2028-2031", "2032-2035", tmp_path / "2032-2035").folder


# What a 2032-2035 draft made by `new` is left with: each names something the drafters must
# decide. SP301: SMART fields the 2028-2031 draft lacks too; SP505: `[...]` where `new` could
# not know the text; SP605: body text naming 2028-2031 or "by 2031"; SP406: Appendix A's amounts.
TO_DECIDE = {"SP301", "SP505", "SP605", "SP406"}


def test_new_cycle_validates_with_only_what_is_to_decide(cycle: Path) -> None:
    result = validate([cycle], stage="draft")
    assert [d for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert {d.code for d in result.diagnostics} == TO_DECIDE
    by_code = Counter(d.code for d in result.diagnostics)
    # The Rev. of the resolution and annex, and the three cover lists of the meeting.
    assert by_code["SP505"] == 5 and by_code["SP406"] == 1
    stale = sorted(d.message for d in result.diagnostics if d.code == "SP605")
    assert len(stale) == 3
    assert any("'by 2031'" in m and "connected world by 2031" in m for m in stale)
    assert any("budget envelope for 2028-2031" in m for m in stale)
    # No lineage, no period, no year of the old cycle is left to trip over.
    assert not {"SP405", "SP603", "SP604", "SP302"} & set(by_code)


def test_new_cycle_moves_what_it_can_know(cycle: Path) -> None:
    _, old = load_valid_plan(SOURCE)
    new = load_plan(cycle).plan
    assert new is not None
    assert new.plan.period == "2032-2035"
    assert new.plan.status == "draft"
    assert new.plan.previous == "2028-2031"
    assert new.plan.title == "ITU strategic plan for 2032-2035"
    assert new.plan.date is None
    assert old.plan.target_horizon == 2031
    assert new.plan.target_horizon == 2035
    assert ids(new) == ids(old)
    assert {t.deadline for t in old.targets} == {2031}
    assert {t.deadline for t in new.targets} == {2035}
    # Appendix A: the period's years (the amounts stay, for the drafters: SP406), both titles.
    assert old.resources is not None and new.resources is not None
    assert new.resources.years == [2032, 2033, 2034, 2035]
    assert [r.amounts for r in new.resources.rows] == [r.amounts for r in old.resources.rows]
    assert new.resources.title == (
        "Allocation of resources – Linkage between the 2032-2035 strategic and financial plans"
    )
    # The appendix heading names no period (seed 004: "Allocation of resources (linkage with
    # the financial plan)"): it stays as it is.
    assert new.appendices[0].title == old.appendices[0].title
    framework = new.sections[1].title
    assert framework is not None and framework.text == "ITU strategic framework for 2032-2035"


def test_new_cycle_brackets_what_it_cannot_know(cycle: Path) -> None:
    new = load_plan(cycle).plan
    assert new is not None
    assert new.plan.resolution == "Resolution 71 (Rev. [...])"
    assert new.plan.annex == "ANNEX 1 TO RESOLUTION 71 (REV. [...])"
    # The cover keeps its structure (so the redline shows its text changed, not the cover
    # struck through), its meeting's text to be decided.
    assert new.cover is not None
    for field in ("purpose", "action_required", "references"):
        assert [p.text for p in getattr(new.cover, field)] == ["[...]"], field


def test_new_cycle_leaves_drafting_comments_and_lineage_behind(tmp_path: Path) -> None:
    shutil.copytree(PLANS / "2020-2023", tmp_path / "2020-2023")
    shutil.copytree(PLANS / "2024-2027", tmp_path / "2024-2027")
    made = new_cycle(tmp_path / "2024-2027", "2028-2031", tmp_path / "2028-2031")
    assert not (made.folder / "lineage.yaml").exists()
    assert made.left_behind == ["lineage.yaml (lineage is about the previous cycle only)"]
    new = load_plan(made.folder).plan
    assert new is not None
    assert new.lineage is None
    assert all(not t.replaces and t.lineage_note is None for t in new.targets)
    assert all(not o.replaces for o in new.outcomes)
    assert not [v for _, v in walk(new) if isinstance(v, Comment)]
    assert new.plan.target_horizon == 2034 and {t.deadline for t in new.targets} == {2034}
    result = validate([made.folder])
    assert [d for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert "SP604" not in {d.code for d in result.diagnostics}
    # The 2028-2031 draft's comments ("confirm this approach with Beatrice") stay behind too.
    shutil.copytree(SOURCE, tmp_path / "from-2028" / "2028-2031")
    later = new_cycle(tmp_path / "from-2028" / "2028-2031", "2032-2035",
                      tmp_path / "from-2028" / "2032-2035")
    texts = "".join(p.read_text(encoding="utf-8") for p in later.folder.glob("*.yaml"))
    assert "Beatrice" not in texts and "CWG-SFP fourth meeting" not in texts
    assert "7 drafting comments left behind" in later.changed["outline.yaml"]


def test_new_cycle_yaml_comments_agree_with_the_values(cycle: Path) -> None:
    header = ("# 2032-2035: started from the 2028-2031 plan by `stratplan new`; the notes "
              "below were written for the 2028-2031 text.")
    lost: dict[str, int] = {}
    for path in sorted(SOURCE.glob("*.yaml")):
        old_text = path.read_text(encoding="utf-8")
        new_text = (cycle / path.name).read_text(encoding="utf-8")
        before, after = Counter(yaml_comments(old_text)), Counter(yaml_comments(new_text))
        if new_text == old_text:
            continue
        assert new_text.startswith(header + "\n"), path.name
        assert after - before == Counter([header]), path.name
        lost[path.name] = sum((before - after).values())
        # No comment is left on a value that `new` changed.
        for line in new_text.splitlines():
            if re.search(r"(deadline|target_horizon): 2035|title: .*2032-2035", line):
                assert "#" not in line, line
    # What went: the note on each moved deadline, on the horizon and on Appendix A's title,
    # and the notes on the left-behind comment of the components table (and its anchor).
    assert lost == {"outline.yaml": 0, "plan.yaml": 1, "resources.yaml": 1, "tables.yaml": 2,
                    "targets.yaml": 9}
    # The decisions that follow a moved deadline stay where they were.
    targets = (cycle / "targets.yaml").read_text(encoding="utf-8")
    assert "    deadline: 2035\n    indicators:\n      # decision: line 227" in targets
    # Files with nothing to change are byte-for-byte copies.
    for name in ("goals.yaml", "outcomes.yaml", "priorities.yaml", "footnotes.yaml"):
        assert (cycle / name).read_bytes() == (SOURCE / name).read_bytes()


def test_new_cycle_redline_has_no_stale_structure(cycle: Path) -> None:
    """Against 2028-2031, the 2032-2035 draft changes text; it removes no item, no section,
    no cover and no paragraph (the drafting comments left behind sat on cells, not on a
    paragraph of their own)."""
    changes = diff(SOURCE, cycle, fmt="json")
    assert changes.text is not None
    summary = json.loads(changes.text)
    removed = [e for s in summary["sections"] for e in s["entries"] if e["mark"] == "SUP"]
    assert removed == []
    assert summary["counts"]["ADD"] == 0
    front = summary["sections"][0]
    assert front["title"] == "(front matter)" and front["paragraphs"]["SUP"] == 0
    assert front["paragraphs"]["MOD"] == 5  # purpose, action, references, annex, title
    assert sum(s["paragraphs"]["SUP"] for s in summary["sections"]) == 0


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
    made = new_cycle(source, "2032-2035", tmp_path / "2032-2035")
    text = (made.folder / "plan.yaml").read_text(encoding="utf-8")
    plan = load_plan(made.folder).plan  # model-valid (not a whole thematic plan)
    assert plan is not None
    assert plan.plan.status == "draft" and plan.plan.previous == "2028-2031"
    assert plan.plan.title == "Plan 2032-2035" and plan.plan.date is None
    assert [t.deadline for t in plan.targets] == [2035, 2030]
    assert plan.cover is not None and plan.cover.heading == "ITU STRATEGIC PLAN"
    assert plan.cover.meeting == "[...]" and plan.cover.document == "[...]"
    # The comments on the changed values (the meeting, the deadline) go; the others stay.
    before = Counter(yaml_comments((source / "plan.yaml").read_text(encoding="utf-8")))
    after = Counter(yaml_comments(text))
    assert before - after == Counter(["# meeting eol", "# by 2031", "# adoption date"])
    assert "# decision: the document number" in after
    assert made.changed["plan.yaml"][:3] == [
        "period 2028-2031 -> 2032-2035", "status adopted -> draft", "previous 2028-2031"
    ]


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


def test_new_cli_prints_what_changed_and_what_is_left(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    shutil.copytree(SOURCE, tmp_path / "plans" / "2028-2031")
    proc = run_cli("new", "2032-2035", "--from", "plans/2028-2031", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0] == "wrote plans/2032-2035 (from plans/2028-2031)"
    assert "  targets.yaml: 9 deadlines 2031 -> 2035" in out
    assert any(line.startswith("  plan.yaml: period 2028-2031 -> 2032-2035") for line in out)
    assert "  plan.yaml: plan.resolution, the conference and year of the revision " \
        "(Resolution 71 (Rev. [...]))" in out
    start = out.index("`stratplan validate plans/2032-2035` reports:")
    assert [line.split()[1] for line in out[start + 1:]] == ["SP301", "SP505", "SP605", "SP406"]


def test_new_lists_carried_over_alternatives_and_brackets_and_says_its_base_is_a_draft(
    tmp_path: Path,
) -> None:
    """The 2028-2031 draft has the Chair's and TSAG's alternatives; a bracket is added to a
    target here (test data): `new` lists each among what is left to decide, and says that it
    started from a draft."""
    from stratplan.api import new_cycle as start

    source = tmp_path / "2028-2031"
    shutil.copytree(SOURCE, source)
    targets = source / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace("text: Universal broadband coverage\n",
                                    "text: Universal [and meaningful] broadband coverage\n", 1),
                       encoding="utf-8")
    result = start("2032-2035", source, tmp_path / "2032-2035")
    said = result.text or ""
    assert "is still a draft (status: draft)" in said
    left = said.split("left to decide:\n", 1)[1].splitlines()
    assert "  vision: an alternative proposed by CWG-SFP Chair (carried over)" in left
    assert "  priorities/numbering: an alternative proposed by TSAG (carried over)" in left
    assert ("  targets/broadband-coverage/text: bracketed text '[and meaningful]' "
            "(carried over)") in left
