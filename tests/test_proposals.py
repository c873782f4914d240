"""What the Working Group reads of contributions (`stratplan.proposals`): the compilation
(`compile`) and the base document with the proposals in it (`render -c`)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import BaseModel

from stratplan import ir, keys
from stratplan.api import (
    compile_contributions,
    contribution_redline,
    load_valid_plan,
    render_document,
)
from stratplan.diff.review import accept_all, reject_all
from stratplan.proposals.compile import Compilation, to_ir
from stratplan.proposals.compile import compile_contributions as build
from stratplan.workspace import Workspace
from tests.conftest import PLANS, ROOT, paragraph_texts, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIXTURES = ROOT / "tests" / "fixtures" / "contributions" / "2028-2031"
SEED_000 = ROOT / "contributions" / "2020-2023" / "member-state-goals-and-targets.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """plans/2028-2031 and the four fixture contributions to it (two on one field, one
    suppressing a target another modifies)."""
    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    shutil.copytree(FIXTURES, tmp_path / "contributions" / "2028-2031",
                    ignore=shutil.ignore_patterns("*.md"))
    return tmp_path


def files(repo: Path) -> list[Path]:
    return sorted((repo / "contributions" / "2028-2031").glob("*.yaml"))


def compilation(repo: Path) -> tuple[Compilation, ir.Document]:
    workspace = Workspace()
    loaded, base = workspace.common_base(files(repo))
    built = build(workspace, loaded, base)
    return built, to_ir(built)


def proposal_blocks(document: ir.Document, contributor: str) -> list[list[ir.Block]]:
    """The blocks of each of `contributor`'s proposals in the compilation IR."""
    out: list[list[ir.Block]] = []
    current: list[ir.Block] | None = None
    for block in document.blocks:
        key = block.key
        if key.endswith("/mark") and isinstance(block, ir.Paragraph):
            current = [] if contributor in "".join(r.text for r in block.runs) else None
            if current is not None:
                out.append(current)
        elif "/proposal" in key and "/reasons" not in key and "/note" not in key:
            if current is not None:
                current.append(block)
        else:
            current = None if not key.startswith("part/") or "/proposal" not in key else current
    return out


def texts(blocks: list[ir.Block]) -> list[str]:
    return [t for t in paragraph_texts(ir.Document("", "", "", blocks=tuple(blocks))) if t]


# --- the compilation -------------------------------------------------------------------------


@pytest.mark.slow
def test_accepting_a_proposal_gives_the_plan_with_that_contribution(repo: Path) -> None:
    """For each contributor: its proposals' revisions accepted give exactly those parts of the
    plan with only its contribution applied; rejected, the draft's."""
    built, document = compilation(repo)
    base = render_document(repo / "plans" / "2028-2031")
    base_texts = set(paragraph_texts(base))
    for path in files(repo):
        out = repo / f"applied-{path.stem}"
        assert run_cli("apply", str(path), "-o", str(out)).returncode == 0
        amended_texts = set(paragraph_texts(render_document(out)))
        who = next(p.meta.contributor for part in built.parts for p in part.proposals
                   if p.source == path)
        proposals = proposal_blocks(document, who)
        assert proposals, who
        for blocks in proposals:
            doc = ir.Document("", "", "", blocks=tuple(blocks))
            accepted = [t for t in paragraph_texts(accept_all(doc)) if t]
            rejected = [t for t in paragraph_texts(reject_all(doc)) if t]
            assert set(accepted) <= amended_texts | {""}, (who, accepted)
            assert set(rejected) <= base_texts | {""}, (who, rejected)
            assert accepted != rejected


@pytest.mark.slow
def test_every_proposal_is_there_with_its_author_date_and_reasons(repo: Path) -> None:
    out = repo / "compilation.docx"
    assert compile_contributions(repo / "plans" / "2028-2031", files(repo), out).written == [out]
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    revisions = {(e.get(f"{W}author"), e.get(f"{W}date")) for tag in ("ins", "del")
                 for e in root.iter(f"{W}{tag}")}
    assert revisions == {
        ("Member State A", "2026-03-01T00:00:00Z"), ("Member State B", "2026-03-05T00:00:00Z"),
        ("TSAG", "2026-03-10T00:00:00Z"), ("Member State D", "2026-03-12T00:00:00Z"),
    }
    text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    for reasons in ("Coverage alone does not measure meaningful connectivity.", "Speed matters.",
                    "A speed indicator.", "Covered by target 1.1.", "Clearer.",
                    "Keep the target; sharpen it.", "4G is no longer the benchmark."):
        assert reasons in text, reasons
    for heading in ("CWG-SFP-4/12 (Member State A), 2026-03-01", "CWG-SFP-4/20 (TSAG)",
                    "Member State D, 2026-03-12", "Target 1.1: Universal broadband coverage"):
        assert heading in text, heading
    # Member State A's deadline (change 2) is printed where the document prints deadlines:
    # Goal 1's targets no longer share one, so each says its own.
    assert "and meaningful broadband coverage – by 2030" in text
    assert "Also sets deadline" not in text
    # The cover lists every contribution with its number of changes.
    assert "Proposals on the connectivity targets" in text and "Editorial proposals" in text


def test_overlapping_proposals_stand_together(repo: Path) -> None:
    built, _ = compilation(repo)
    by_label = {part.label: part for part in built.parts}
    coverage = by_label["Target 1.1: Universal broadband coverage"]
    assert [(p.meta.contributor, p.mark, p.overlaps) for p in coverage.proposals] == [
        ("Member State A", "MOD", True), ("Member State B", "MOD", True)
    ]
    affordable = by_label["Target 1.2: Affordable connectivity for all"]
    assert [(p.meta.contributor, p.mark) for p in affordable.proposals] == [
        ("TSAG", "SUP"), ("Member State D", "MOD")
    ]
    # A target renumbered by TSAG's suppression is not a proposal of its own.
    assert not any(label.startswith("Target 1.3") for label in by_label)
    # Plan order: the section paragraph, the vision, the targets, Appendix A.
    labels = [part.label for part in built.parts]
    assert labels.index("1 Overview of ITU's structure, paragraph 5") < labels.index(
        "Target 1.1: Universal broadband coverage") < len(labels) - 1
    assert labels[-1].startswith("Appendix A")


@pytest.mark.slow
def test_formats_and_full(repo: Path) -> None:
    base = repo / "plans" / "2028-2031"
    data = json.loads(compile_contributions(base, files(repo), fmt="json").text or "")
    assert [c["contributor"] for c in data["contributions"]] == [
        "Member State A", "Member State B", "TSAG", "Member State D"]
    coverage = next(p for p in data["parts"] if p["label"].startswith("Target 1.1"))
    assert coverage["draft"].endswith("Universal broadband coverage") or "Universal broadband" \
        in coverage["draft"]
    assert [p["text"].split("\n")[0] for p in coverage["proposals"]] == [
        "Universal and meaningful broadband coverage – by 2030",  # with its deadline (change 2)
        "Universal high-speed broadband coverage",
    ]
    md = compile_contributions(base, files(repo), repo / "c.md", fmt="md").written[0]
    assert "{++and meaningful ++}" in md.read_text(encoding="utf-8")
    html = compile_contributions(base, files(repo), repo / "c.html", fmt="html").written[0]
    assert "<ins" in html.read_text(encoding="utf-8")
    full = json.loads(compile_contributions(base, files(repo), fmt="json", full=True).text or "")
    assert len(full["parts"]) > 5 * len(data["parts"])
    assert any(not p["proposals"] for p in full["parts"])


@pytest.mark.slow
def test_seed_000_reasons_reach_the_compilation(tmp_path: Path) -> None:
    proc = run_cli("compile", str(PLANS / "2020-2023"), str(SEED_000), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    reasons = [r for part in data["parts"] for p in part["proposals"] for r in p["reasons"]]
    assert any(r.startswith("To align Table 1 (the ITU RBM framework)") for r in reasons)
    assert any(r.startswith("Four goals are proposed") for r in reasons)
    assert any(r.startswith("Consequence of merging Goal 5") for r in reasons)
    out = tmp_path / "seed-000.docx"
    assert run_cli("compile", str(PLANS / "2020-2023"), str(SEED_000), "-o", str(out)
                   ).returncode == 0
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:author="Member State"' in xml and "Reasons:" in xml


def test_compile_refuses_another_plan(repo: Path) -> None:
    proc = run_cli("compile", str(PLANS / "2024-2027"), *(str(f) for f in files(repo)))
    assert proc.returncode == 2 and "SP803" in proc.stderr


# --- the base document with the proposals in it (render -c) ----------------------------------


@pytest.mark.slow
def test_render_with_contributions_dates_each_revision_by_its_contribution(repo: Path) -> None:
    result = contribution_redline(files(repo), base=repo / "plans" / "2028-2031")
    revised = {
        (p.author, p.date) for p in ir.iter_paragraphs(result.document.blocks)
        if p.change or any(r.change for r in p.runs)
    }
    assert ("Member State A", "2026-03-01") in revised and ("TSAG", "2026-03-10") in revised
    comments = [c for p in ir.iter_paragraphs(result.document.blocks) for c in p.comments
                if c.author in ("Member State A", "Member State B", "TSAG", "Member State D")]
    texts_ = {c.text for c in comments}
    assert "MOD CWG-SFP-4/20 (TSAG), change 3. Reasons: Clearer." in texts_
    assert any(t.startswith("MOD CWG-SFP-4/12 (Member State A), change 1. Reasons:")
               for t in texts_)
    # The two proposals on one target stand after the base text as alternatives, each with
    # its label and its revisions by its contributor; the base text itself is unchanged.
    alternatives = [p for p in ir.iter_paragraphs(result.document.blocks)
                    if "proposal" in keys.parse(p.key).parts]
    labels = {p.runs[0].text for p in alternatives}
    assert {"[CWG-SFP-4/12 (Member State A)] ", "[CWG-SFP-4/15 (Member State B)] ",
            "[CWG-SFP-4/20 (TSAG)] ", "[Member State D] "} <= labels
    base_target = next(p for p in ir.iter_paragraphs(result.document.blocks)
                       if p.key == "target:broadband-coverage")
    # Only the deadline Member State A sets (change 2): Goal 1's targets no longer share one,
    # so the label's "– by 2031" is deleted and each target says its own.
    assert [(r.text, r.change) for r in base_target.runs if r.change] == [(" – by 2030", "ins")]



@pytest.mark.slow
def test_without_overlaps_accept_and_reject_all_give_the_two_plans(repo: Path) -> None:
    """The mark and reasons travel as comments, so the redline invariant still holds."""
    chosen = [f for f in files(repo) if f.stem in ("a-member-state-a", "c-tsag")]
    result = contribution_redline(chosen, base=repo / "plans" / "2028-2031")
    out = repo / "amended"
    assert run_cli("apply", *(str(f) for f in chosen), "-o", str(out)).returncode == 0
    amended = render_document(out)
    base = render_document(repo / "plans" / "2028-2031")
    clean = replace(result.document, blocks=result.document.blocks)
    # (each document's own revisions, a tracked alternative's, accepted: final texts)
    assert paragraph_texts(accept_all(clean)) == paragraph_texts(accept_all(amended))
    assert paragraph_texts(reject_all(clean)) == paragraph_texts(accept_all(base))
    assert load_valid_plan(out)[1].vision is not None


# --- contributions that amend the base together -------------------------------------------------


def _text_contributions(repo: Path, cycle: str) -> list[Path]:
    """Made-up contributions (test data), up to three per kind of item and prose field of a
    real plan: each gives a new text to that field of a different item; and, where the plan
    has indicators, contributions that add one to a target or an outcome, or suppress one."""
    from ruamel.yaml import YAML

    from stratplan.model.address import format_path
    from stratplan.model.facts import field_facts
    from stratplan.model.walk import walk

    loaded = Workspace().plan(repo / "plans" / cycle)
    assert loaded.plan is not None and loaded.sources is not None
    seen: dict[tuple[str, str], int] = {}
    out: list[Path] = []
    folder = repo / "contributions" / cycle
    folder.mkdir(parents=True, exist_ok=True)
    for path, item in walk(loaded.plan):
        if not isinstance(item, BaseModel):
            continue
        for name, facts in field_facts(type(item)).items():
            value = getattr(item, name, None)
            kind = (type(item).__name__, name)
            if not facts.prose or not isinstance(value, str) or seen.get(kind, 0) >= 3:
                continue
            seen[kind] = seen.get(kind, 0) + 1
            n = len(out) + 1
            file = folder / f"c{n:03d}.yaml"
            written: Any = loaded.sources.data
            for part in path:
                written = written[part]
            change = {"modify": format_path(loaded.sources.data, path), "field": name}
            if isinstance(written, str):  # a paragraph written as its text
                del change["field"]
            YAML().dump({
                "contribution": {"base": cycle, "contributor": f"Test State {n}",
                                 "title": "made-up test data", "date": "2026-03-01"},
                "changes": [change | {"value": f"{value} (amended {n})", "reasons": "Test."}],
            }, file)
            out.append(file)
    for collection in ("targets", "outcomes"):
        for item in getattr(loaded.plan, collection)[:3]:
            n = len(out) + 1
            edit: dict[str, Any] = {
                "add": f"{collection}/{item.id}/indicators", "reasons": "Test.",
                "item": {"id": f"test-indicator-{n}", "text": f"A made-up indicator {n}"},
            }
            if item.indicators and n % 2:
                edit = {"suppress": f"indicators/{item.indicators[-1].id}", "reasons": "Test."}
            YAML().dump({
                "contribution": {"base": cycle, "contributor": f"Test State {n}",
                                 "title": "made-up test data", "date": "2026-03-01"},
                "changes": [edit],
            }, out_file := folder / f"c{n:03d}.yaml")
            out.append(out_file)
    return out


@pytest.mark.parametrize("cycle", ["2012-2015", "2020-2023", "2028-2031"])
def test_contributions_amending_together_give_what_each_gives_alone(
    tmp_path: Path, cycle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratplan.changes.apply import apply_contributions
    from stratplan.proposals import compile as compiling

    shutil.copytree(PLANS / cycle, tmp_path / "plans" / cycle)
    made = _text_contributions(tmp_path, cycle)
    assert len(made) >= 8
    workspace = Workspace()
    loaded, base = workspace.common_base(made)
    together = compiling.compile_contributions(workspace, loaded, base)
    batched = compiling._batches(loaded, {lc.path: apply_contributions(
        Workspace(), [lc], base) for lc in loaded})
    assert any(len(batch) > 1 for batch in batched)  # the test exercises a batch
    monkeypatch.setattr(compiling, "_batches", lambda contributions, _: [
        [lc] for lc in contributions])
    workspace = Workspace()
    loaded, base = workspace.common_base(made)
    each_alone = compiling.compile_contributions(workspace, loaded, base)
    assert compiling.to_json(together) == compiling.to_json(each_alone)
    assert to_ir(together) == to_ir(each_alone)


# --- the compilation as a meeting document ------------------------------------------------------


def headings(document: ir.Document) -> list[tuple[str, str, str]]:
    return [(p.style, p.number, p.text) for p in document.blocks
            if isinstance(p, ir.Paragraph) and p.style.startswith("heading")]


def test_proposals_are_grouped_under_their_sections_with_one_number_per_heading(
    repo: Path,
) -> None:
    """The parts stand under their section's heading, with the plan's number only (it read
    "2.2 2.2 Vision, paragraph 9"); each proposal is numbered."""
    _, document = compilation(repo)
    found = headings(document)
    assert ("heading2", "", "2.2 Vision") in found
    assert ("heading3", "", "Paragraph 9") in found
    assert ("heading3", "", "Target 1.1: Universal broadband coverage") in found
    for style, number, text in found:
        # A number of the compilation's own, or a second number before the text: never both.
        assert not (number and text[:1].isdigit()), (style, number, text)
        assert not re.match(r"^\d+(\.\d+)* \d+(\.\d+)* ", text), text
    marks = [p.text for p in document.blocks
             if isinstance(p, ir.Paragraph) and p.key.endswith("/mark")]
    assert marks[0].startswith("MOD\u2002Proposal 1\u2002CWG-SFP-4/20 (TSAG)")
    numbers = [int(n) for m in marks
               for n in re.findall(r"Proposals? ([\d, ]+)", m)[0].replace(",", " ").split()]
    assert sorted(set(numbers)) == list(range(1, 11))  # every change one number


def test_a_changed_figure_is_struck_and_replaced_whole(repo: Path) -> None:
    """A figure of Appendix A is deleted and inserted whole, the old above the new, never
    word-diffed into "235 043235 340" that a narrow column breaks."""
    _, document = compilation(repo)
    tables = [b for b in document.blocks if isinstance(b, ir.Table)
              and "/proposal" in b.key and any("Spectrum" in p.text
                                               for p in ir.iter_paragraphs((b,)))]
    assert tables
    cells = [p for p in ir.iter_paragraphs(tuple(tables))]
    assert [p.text for p in cells if p.change == "del"][:4] == ["62 703", "120 940", "235 043",
                                                                 "36,07%"]
    assert [p.text for p in cells if p.change == "ins"][:4] == ["63 000", "121 237", "235 340",
                                                                 "36,10%"]
    mixed = [p.text for p in cells if p.change is None and any(r.change for r in p.runs)]
    assert mixed == []


def test_the_cover_lists_as_unprinted_only_what_the_body_does_not_print(tmp_path: Path) -> None:
    """A deadline prints in "Targets for Goal 1 ... – by 2031" and the plan's title on the
    first page: the body shows them with their reasons, and the cover does not say they are
    not printed (it did)."""
    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    folder = tmp_path / "contributions" / "2028-2031"
    folder.mkdir(parents=True)
    for name, change in [
        ("deadline", "modify: targets/broadband-coverage\n    field: deadline\n    value: 2030"),
        ("title", "modify: plan\n    field: title\n    value: ITU strategic plan 2028-2031"),
    ]:
        (folder / f"{name}.yaml").write_text(
            f"contribution:\n  base: 2028-2031\n  contributor: {name.title()}\n  title: T\n"
            f"changes:\n  - {change}\n    reasons: Why {name}.\n", encoding="utf-8")
        built, document = compilation_of(folder / f"{name}.yaml")
        assert built.unseen[folder / f"{name}.yaml"] == []
        text = "\n".join(p.text for p in ir.iter_paragraphs(document.blocks))
        assert "does not print" not in text and f"Reasons: Why {name}. (change 1)" in text


def compilation_of(*paths: Path) -> tuple[Compilation, ir.Document]:
    workspace = Workspace()
    loaded, base = workspace.common_base(list(paths))
    built = build(workspace, loaded, base)
    return built, to_ir(built)


@pytest.mark.slow
def test_a_meeting_of_items_and_indicators_added_compiles_as_each_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Contributions that change items of every kind and add indicators to targets and
    outcomes (benchmarks/meeting.py, synthetic) amend the base in batches, and give exactly
    what each alone gives."""
    from benchmarks.meeting import meeting_contributions

    from stratplan.proposals import compile as compiling

    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    folder = meeting_contributions(tmp_path / "plans" / "2028-2031", 16,
                                   tmp_path / "contributions" / "2028-2031")
    amended: list[int] = []
    real_amend = compiling.amend  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> Any:
        amended.append(len(args[1]))
        return real_amend(*args, **kwargs)

    monkeypatch.setattr(compiling, "amend", counting)
    workspace = Workspace()
    loaded, base = workspace.common_base([folder])
    together = compiling.compile_contributions(workspace, loaded, base)
    assert len(amended) < len(loaded) / 2 and max(amended) > 5, amended
    assert any(p.mark == "MOD" and "Synthetic indicator" in accepted_text(p.blocks)
               for part in together.parts for p in part.proposals)
    monkeypatch.setattr(compiling, "_batches", lambda contributions, _: [
        [lc] for lc in contributions])
    workspace = Workspace()
    loaded, base = workspace.common_base([folder])
    each_alone = compiling.compile_contributions(workspace, loaded, base)
    assert compiling.to_json(together) == compiling.to_json(each_alone)
    assert to_ir(together) == to_ir(each_alone)


def accepted_text(blocks: tuple[ir.Block, ...]) -> str:
    return "\n".join(paragraph_texts(accept_all(ir.Document("", "", "", blocks=blocks))))
