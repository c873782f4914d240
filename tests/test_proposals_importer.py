"""`stratplan import`: a reviewed Word file back into contributions addressed by the plan's ids.

Reviewed copies are made by `tests/docx_review.py` the way Word writes them; each kind of edit
must give the change a drafter would have written by hand, and what the plan cannot express
must be reported, never dropped."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratplan import ir
from stratplan.api import (
    apply,
    diff,
    import_review,
    load_valid_plan,
    render,
    render_document,
    validate,
)
from stratplan.diagnostics import StratplanError
from tests.conftest import PLANS, run_cli
from tests.docx_review import Review

CYCLE = "2028-2031"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    root = tmp_path_factory.mktemp("import")
    shutil.copytree(PLANS / CYCLE, root / "plans" / CYCLE)
    out = render([root / "plans" / CYCLE], root / "draft.docx").written[0]
    return root, out.read_bytes()


def imported(root: Path, data: bytes, name: str, **options: Any) -> tuple[
        dict[str, dict[str, Any]], list[str]]:
    """The contributions imported from `data` (by contributor), and the diagnostics' codes
    and messages."""
    review = root / f"{name}.docx"
    review.write_bytes(data)
    out = root / "contributions" / CYCLE / name
    shutil.rmtree(out, ignore_errors=True)
    result = import_review(review, root / "plans" / CYCLE, f"{out}/", **options)
    files = {}
    for path in result.written:
        loaded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        files[loaded["contribution"]["contributor"]] = loaded | {"path": path}
    return files, [f"{d.code} {d.message}" for d in result.diagnostics]


def changes(files: dict[str, dict[str, Any]], who: str = "Ada Reviewer") -> list[dict[str, Any]]:
    """The changes of `who`'s contribution, without where each was found (`found_at`)."""
    return [{k: v for k, v in c.items() if k != "found_at"} for c in files[who]["changes"]]


def applies(root: Path, files: dict[str, dict[str, Any]]) -> Any:
    """The plan with every imported contribution applied (they must validate first)."""
    paths = [f["path"] for f in files.values()]
    result = validate(paths)
    assert [d for d in result.diagnostics if d.severity.value == "error"] == [], [
        d.message for d in result.diagnostics]
    out = root / "applied"
    shutil.rmtree(out, ignore_errors=True)
    apply(paths, out)
    return load_valid_plan(out)[1]


def test_words_replaced_in_a_target(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    files, problems = imported(root, review.save(), "words")
    assert changes(files) == [{"modify": "targets/broadband-coverage", "field": "text",
                               "value": "Universal and meaningful broadband coverage"}]
    assert [p for p in problems if p.startswith("SP806")] == []
    assert files["Ada Reviewer"]["contribution"]["date"] == "2026-03-01"
    assert files["Ada Reviewer"]["changes"][0]["found_at"] == {
        "place": "2.5 Targets for the Union's Connect 2030 Agenda, “Universal broadband coverage”",
        "date": "2026-03-01"}
    plan = applies(root, files)
    assert plan.targets[0].text == "Universal and meaningful broadband coverage"


def test_paragraphs_inserted_and_deleted_in_a_section(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.insert_after("As outlined in ITU's basic instruments", "A new paragraph of ours.")
    review.delete("The ITU Sectors have complementary mandates")
    files, problems = imported(root, review.save(), "paragraphs")
    assert changes(files) == [
        {"add": "sections/overview/content", "after": 2, "item": "A new paragraph of ours."},
        {"suppress": "sections/overview/content/5"},
    ]
    assert [p for p in problems if p.startswith("SP806")] == []
    content = applies(root, files).sections[0].content
    assert [getattr(c, "text", c) for c in content][2] == "A new paragraph of ours."
    assert len(content) == 7


def test_a_new_line_in_a_goals_target_list_is_a_target_of_that_goal(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    review = Review(data)
    review.insert_after("Affordable connectivity for all", "Meaningful connectivity for all")
    files, _ = imported(root, review.save(), "target")
    (change,) = changes(files)
    # Under "Targets for Goal 1: Universal Connectivity – by 2031:", it is a target by 2031.
    assert change == {"add": "targets", "after": "affordable-broadband", "item": {
        "id": "meaningful-connectivity-for-all", "goal": "universal-connectivity",
        "text": "Meaningful connectivity for all", "deadline": 2031}}
    plan = applies(root, files)
    assert [t.id for t in plan.targets][1:3] == ["affordable-broadband",
                                                 "meaningful-connectivity-for-all"]


def test_rows_of_the_outcomes_table(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.insert_row_after("Avoidance of causing harmful interference",
                            ["", "A new outcome of spectrum use", "A first indicator"])
    review.delete_row("Enhanced application of ITU-R recommendations")
    files, problems = imported(root, review.save(), "rows")
    found = changes(files)
    assert {"suppress": "outcomes/itu-r-recommendations-application"} in found
    add = next(c for c in found if "add" in c)
    assert add["add"] == "outcomes" and add["after"] == "harmful-interference-avoidance"
    assert add["item"]["priority"] == "spectrum"
    assert add["item"]["text"] == "A new outcome of spectrum use"
    assert [i["text"] for i in add["item"]["indicators"]] == ["A first indicator"]
    plan = applies(root, files)
    spectrum = [o.text for o in plan.outcomes if o.priority == "spectrum"]
    assert spectrum[:3] == [plan.outcomes[0].text, "Avoidance of causing harmful interference",
                            "A new outcome of spectrum use"]
    assert [p for p in problems if p.startswith("SP806")] == []


def test_an_appendix_a_amount_and_a_computed_figure(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.replace("57 080", "57 080", "58 000")  # TP1, 2025
    review.replace("651 671", "651 671", "700 000")  # the grand total: computed
    files, problems = imported(root, review.save(), "amounts")
    (change,) = changes(files)
    assert change["modify"] == "resources/rows/spectrum" and change["field"] == "amounts"
    assert change["value"][1] == 58000
    left_out = [p for p in problems if p.startswith("SP806")]
    assert any("computed figure" in p and "700 000" in p for p in left_out), left_out


def test_comments_become_reasons_or_drafting_comments(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    review.comment("Universal and meaningful", "Coverage alone is not enough.")
    review.comment("Digital skills for all", "Please define the skills.", author="Bo Comm")
    files, _ = imported(root, review.save(), "comments")
    assert changes(files) == [{"modify": "targets/broadband-coverage", "field": "text",
                               "value": "Universal and meaningful broadband coverage",
                               "reasons": "Coverage alone is not enough."}]
    assert changes(files, "Bo Comm") == [{"add": "targets/digital-skills/comments", "item": {
        "author": "Bo Comm", "text": "Please define the skills.", "date": "2026-03-01"}}]
    plan = applies(root, files)
    skills = next(t for t in plan.targets if t.id == "digital-skills")
    assert [c.text for c in skills.comments] == ["Please define the skills."]


def test_several_reviewers_give_one_contribution_each(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    first = Review(data, author="Ada Reviewer")
    first.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    second = Review(first.save(), author="Bo Second", date="2026-03-02")
    second.replace("Digital skills for all", "Digital skills", "Advanced digital skills")
    files, _ = imported(root, second.save(), "two")
    assert set(files) == {"Ada Reviewer", "Bo Second"}
    assert files["Bo Second"]["contribution"]["date"] == "2026-03-02"
    only, _ = imported(root, second.save(), "one", author="Bo Second",
                       reference="CWG-SFP-5/3")
    assert set(only) == {"Bo Second"}
    assert only["Bo Second"]["contribution"]["reference"] == "CWG-SFP-5/3"
    assert changes(only, "Bo Second") == [{"modify": "targets/digital-skills", "field": "text",
                                           "value": "Advanced digital skills for all"}]


def test_a_moved_target_keeps_its_id_and_takes_its_new_goal(
    rendered: tuple[Path, bytes],
) -> None:
    root, data = rendered
    review = Review(data)
    review.move_after("Universal Internet use", "Digital skills for all")
    files, _ = imported(root, review.save(), "move")
    found = changes(files)
    assert found[0] == {"suppress": "targets/internet-use"}
    assert found[1]["add"] == "targets" and found[1]["after"] == "digital-skills"
    assert found[1]["item"]["id"] == "internet-use"
    assert found[1]["item"]["goal"] == "sustainable-digital-transformation"
    plan = applies(root, files)
    moved = next(t for t in plan.targets if t.id == "internet-use")
    assert moved.goal == "sustainable-digital-transformation" and moved.indicators


def test_an_untracked_copy_is_compared_word_by_word(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data, tracked=False)
    review.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    files, problems = imported(root, review.save(), "untracked", contributor="Member State X")
    assert changes(files, "Member State X") == [{
        "modify": "targets/broadband-coverage", "field": "text",
        "value": "Universal and meaningful broadband coverage"}]
    assert any(p.startswith("SP808") for p in problems)


@pytest.mark.slow
def test_another_plan_is_refused(rendered: tuple[Path, bytes], tmp_path: Path) -> None:
    root, data = rendered
    review = root / "draft-2028.docx"
    review.write_bytes(data)
    shutil.copytree(PLANS / "2012-2015", tmp_path / "plans" / "2012-2015")
    with pytest.raises(StratplanError) as refused:
        import_review(review, tmp_path / "plans" / "2012-2015", tmp_path / "out.yaml")
    (problem,) = refused.value.diagnostics
    assert problem.code == "SP807" and "plan 2028-2031" in problem.message
    proc = run_cli("import", str(review), "--base", str(tmp_path / "plans" / "2012-2015"))
    assert proc.returncode == 1 and "SP807" in proc.stderr
    # The previous cycle shares most of its text: still not this file's plan.
    shutil.copytree(PLANS / "2024-2027", tmp_path / "plans" / "2024-2027")
    with pytest.raises(StratplanError) as refused:
        import_review(review, tmp_path / "plans" / "2024-2027", tmp_path / "out.yaml")
    assert refused.value.diagnostics[0].code == "SP807"
    assert not (tmp_path / "out.yaml").exists()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    proc = run_cli("import", str(broken), "--base", str(root / "plans" / CYCLE))
    assert proc.returncode == 1 and "not a readable Word file" in proc.stderr


@pytest.mark.slow
def test_the_cli_exits_1_when_something_was_left_out(rendered: tuple[Path, bytes]) -> None:
    root, data = rendered
    review = Review(data)
    review.replace("651 671", "651 671", "700 000")
    path = root / "cli.docx"
    path.write_bytes(review.save())
    proc = run_cli("import", str(path), "--base", str(root / "plans" / CYCLE), "-o",
                   str(root / "cli-out") + "/")
    assert proc.returncode == 1
    assert "computed figure" in proc.stderr and "0 change(s) imported, 1 left out" in proc.stdout
    clean = Review(data)
    clean.replace("Universal broadband coverage", "Universal", "Universal and meaningful")
    path.write_bytes(clean.save())
    proc = run_cli("import", str(path), "--base", str(root / "plans" / CYCLE), "-o",
                   str(root / "cli-out.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert (root / "cli-out.yaml").is_file()


def _texts(plan: Path) -> list[str]:
    """A render's paragraphs as a reader sees them: number, text, footnotes' own text."""
    document = render_document(plan)
    notes = {f.id: "".join(r.text for r in f.runs) for f in document.footnotes}
    out = []
    for p in ir.iter_paragraphs(document.blocks):
        text = "".join(f"[^{notes[r.footnote]}]" if r.footnote else r.text for r in p.runs
                       if r.change != "del")  # a tracked alternative's revisions accepted
        if text.strip() or p.number:
            out.append(f"{p.number}\t{text}" if p.number else text)
    return out


def draft_pair(tmp_path: Path) -> Path:
    """Copies of 2024-2027 and 2028-2031 under tmp_path/plans; returns 2024-2027's, made a
    draft: an adopted plan refuses square brackets and alternatives, which 2028-2031 has, and
    the drafter amends a draft (what `stratplan new` makes), not the adopted text."""
    for cycle in ("2024-2027", "2028-2031"):
        shutil.copytree(PLANS / cycle, tmp_path / "plans" / cycle)
    base = tmp_path / "plans" / "2024-2027"
    meta = base / "plan.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("status: adopted", "status: draft"),
                    encoding="utf-8")
    return base


@pytest.mark.slow
def test_the_real_redline_round_trips(tmp_path: Path) -> None:
    """The 2024-2027 -> 2028-2031 redline, imported against 2024-2027 and applied, renders as
    2028-2031 does, paragraph for paragraph, with nothing left out."""
    base = draft_pair(tmp_path)
    redline_file = tmp_path / "r.docx"
    diff(base, tmp_path / "plans" / "2028-2031", redline_file)
    result = import_review(redline_file, base, f"{tmp_path}/imported/")
    assert [d.message for d in result.diagnostics if d.code == "SP806"] == []
    assert sum(len(YAML(typ="safe").load(p.read_text(encoding="utf-8"))["changes"])
               for p in result.written) > 140
    apply(result.written, tmp_path / "amended")
    assert _texts(tmp_path / "amended") == _texts(tmp_path / "plans" / "2028-2031")


def _differing(a: list[str], b: list[str]) -> int:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
               if tag != "equal")


@pytest.mark.slow
def test_a_redline_made_by_another_tool(tmp_path: Path) -> None:
    """python-redlines' Docxodus engine compares the two renders (2024-2027, 2028-2031) its
    own way: the bookmarks it carries are the new document's, on the old text. The import
    reads its revisions by text where a key names other text, writes contributions that
    validate and apply, and reports every paragraph it could not carry."""
    from python_redlines import DocxodusEngine

    from tests.test_import_every_plan import accepted, import_and_apply, rendered, unreported

    base = draft_pair(tmp_path)
    old = render([base], tmp_path / "old.docx").written[0]
    new = render([tmp_path / "plans" / "2028-2031"], tmp_path / "new.docx").written[0]
    compared, _, _ = DocxodusEngine().run_redline(
        "Docxodus", original=old.read_bytes(), modified=new.read_bytes())
    review = tmp_path / "docxodus.docx"
    review.write_bytes(compared)

    reported, mine = import_and_apply(review, base, tmp_path)
    assert unreported(mine, accepted(review), reported, set(rendered(base))) == []
    # The share of the paragraphs that differ between the cycles that the import carries
    # (measured: 93 of 162, 57%; stratplan's own redline carries all of them).
    before = _differing(rendered(base), rendered(tmp_path / "plans" / "2028-2031"))
    after = _differing(mine, rendered(tmp_path / "plans" / "2028-2031"))
    assert 1 - after / before >= 0.5, (before, after)
