"""The meeting as a process, in a git repository: contributions (one imported from Word),
the record started from the compilation, the compilation as docx and pdf, decisions of every
kind, applied; CI still passes; the outcome redline from the revision before the meeting has
each accepted change by its proposer and the Secretariat's own edit by the Secretariat; the
next compilation marks what was decided."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from ruamel.yaml import YAML

from stratplan.api import import_review, render
from tests.conftest import PLANS, ROOT, run_cli
from tests.docx_review import Review
from tests.pages import needs, page_texts

FIXTURES = ROOT / "tests" / "fixtures" / "contributions" / "2028-2031"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RECORD = "meetings/cwg-sfp-4.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Secretariat", "-c", "user.email=s@example.org", *args],
        cwd=repo, capture_output=True, text=True, check=True).stdout


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args, cwd=repo, timeout=300)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc


def revisions(docx: Path) -> list[tuple[str, str, str]]:
    """(w:ins or w:del, author, text) of each revision of a .docx."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for tag in ("ins", "del"):
        for element in root.iter(f"{W}{tag}"):
            text = "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))
            out.append((tag, element.get(f"{W}author") or "", text))
    return out


def by_whom(found: list[tuple[str, str, str]], tag: str, words: str) -> set[str]:
    return {author for kind, author, text in found if kind == tag and words in text}


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with the draft and four contributions (Member State W's imported from its
    reviewed Word copy), committed and tagged cwg-4; the record started; the decisions taken
    and applied; and an edit of the Secretariat's own, committed."""
    repo = tmp_path_factory.mktemp("meeting") / "repo"
    for cycle in ("2024-2027", "2028-2031"):
        shutil.copytree(PLANS / cycle, repo / "plans" / cycle)
    folder = repo / "contributions" / "2028-2031"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.md", "d-*"))
    # Member State W reviews the draft in Word (test data: its edit and comment are made up).
    draft = render([repo / "plans" / "2028-2031"], repo / "draft.docx").written[0]
    review = Review(draft.read_bytes(), author="Member State W", date="2026-03-08")
    review.replace("Digital skills for all", "Digital skills", "Digital skills and literacy")
    review.comment("Digital skills and literacy", "Literacy comes first.")
    (repo / "w.docx").write_bytes(review.save())
    imported = import_review(repo / "w.docx", repo / "plans" / "2028-2031",
                             folder / "w-member-state-w.yaml", reference="CWG-SFP-4/25")
    assert imported.written == [folder / "w-member-state-w.yaml"]
    (repo / "draft.docx").unlink()
    (repo / "w.docx").unlink()
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "The draft and the contributions to CWG-SFP-4")
    git(repo, "tag", "cwg-4")
    cli(repo, "meeting", "plans/2028-2031", "contributions/2028-2031/", "-o", RECORD,
        "--reference", "CWG-SFP-4", "--date", "2026-03-20", "--title",
        "Fourth meeting of the CWG-SFP")
    return repo


def decide(repo: Path) -> dict[tuple[str, int], int]:
    """Write the decisions into the record, one of each kind; (file stem, change) -> number."""
    yaml = YAML()
    path = repo / RECORD
    record: Any = yaml.load(path.read_text(encoding="utf-8"))
    decisions: dict[tuple[str, int], dict[str, Any]] = {
        ("a-member-state-a", 1): {"decision": "accepted"},
        ("a-member-state-a", 2): {"decision": "not-accepted", "note": "The deadline stays."},
        ("a-member-state-a", 3): {"decision": "withdrawn"},
        ("b-member-state-b", 1): {"decision": "not-accepted"},
        ("b-member-state-b", 2): {"decision": "accepted"},
        ("c-tsag", 1): {"decision": "deferred", "note": "Back at CWG-SFP-5."},
        ("c-tsag", 2): {"decision": "accepted-as-amended",
                        "agreed": "A connected and sustainable world for everyone."},
        ("c-tsag", 3): {"decision": "accepted"},
        ("c-tsag", 4): {"decision": "accepted"},
        ("w-member-state-w", 1): {"decision": "accepted"},
    }
    numbers = {}
    for entry in record["proposals"]:
        key = (Path(entry["contribution"]).stem, entry["change"])
        numbers[key] = entry["number"]
        for name, value in decisions.pop(key).items():
            entry[name] = value
    assert not decisions, decisions  # the record has an entry for every proposal
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(record, out)
    return numbers


@pytest.mark.slow
@pytest.mark.tools("soffice", "pdftotext")
def test_the_meeting_from_contributions_to_the_outcome_redline(meeting: Path) -> None:
    repo = meeting
    record = (repo / RECORD).read_text(encoding="utf-8")
    assert "revision:" in record  # the commit of the plan as the meeting took it up
    (repo / "build").mkdir()
    # The compilation, as the meeting reads it: numbered proposals, as docx and as pdf.
    cli(repo, "compile", "plans/2028-2031", "contributions/2028-2031/", "--meeting", RECORD,
        "-o", "build/compilation.docx")
    found = revisions(repo / "build" / "compilation.docx")
    assert by_whom(found, "ins", "and literacy") == {"Member State W"}
    needs("soffice")
    cli(repo, "compile", "plans/2028-2031", "contributions/2028-2031/", "--meeting", RECORD,
        "-f", "pdf", "-o", "build/compilation.pdf")
    pages = " ".join(page_texts((repo / "build" / "compilation.pdf").read_bytes()))
    assert "Proposal 1 " in pages and "CWG-SFP-4/25 (Member State W)" in pages
    assert "Reasons: Literacy comes first." in pages

    numbers = decide(repo)
    git(repo, "add", RECORD)
    git(repo, "commit", "-qm", "The decisions of CWG-SFP-4")
    cli(repo, "validate", RECORD)
    applied = cli(repo, "apply", "--meeting", RECORD, "--in-place")
    assert "1 accepted as amended" in applied.stdout and "1 withdrawn" in applied.stdout
    git(repo, "commit", "-qam", "CWG-SFP-4's decisions applied")
    # The Secretariat's own edit, after the meeting.
    targets = repo / "plans" / "2028-2031" / "targets.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace(
        "text: Universal Internet use\n", "text: Universal and meaningful Internet use\n", 1),
        encoding="utf-8")
    git(repo, "commit", "-qam", "An edit of the Secretariat's")

    # CI: every plan and every contribution, the decided ones against the plan they were
    # written for (without the record, Member State B's added indicator is there twice).
    files = [str(p.relative_to(repo)) for p in sorted(repo.glob("contributions/*/*.yaml"))]
    proc = run_cli("validate", *(str(p.relative_to(repo)) for p in sorted(repo.glob("plans/*"))),
                   *files, cwd=repo)
    assert proc.returncode == 0, proc.stdout
    shutil.move(repo / "meetings", repo / "elsewhere")
    proc = run_cli("validate", *files, cwd=repo)
    assert proc.returncode == 1 and "SP804" in proc.stdout
    shutil.move(repo / "elsewhere", repo / "meetings")

    # The outcome: the amended plan against the plan before the meeting, read from git.
    cli(repo, "diff", "cwg-4:plans/2028-2031", "plans/2028-2031", "--meeting", RECORD,
        "-o", "build/outcome.docx")
    found = revisions(repo / "build" / "outcome.docx")
    assert by_whom(found, "ins", "and meaningful ") >= {"Member State A", "Secretariat"}
    assert by_whom(found, "ins", "fixed broadband of at least 100 Mbit/s") == {"Member State B"}
    assert by_whom(found, "ins", "and sustainable") == {"TSAG"}  # the agreed text
    assert by_whom(found, "ins", "closely") == {"TSAG"}
    assert by_whom(found, "ins", "63 000") == {"TSAG"}
    assert by_whom(found, "ins", "and literacy") == {"Member State W"}
    authors = {author for _, author, _ in found}
    assert authors == {"Member State A", "Member State B", "TSAG", "Member State W",
                       "Secretariat"}
    # Not accepted, withdrawn, deferred: not in the outcome.
    assert not by_whom(found, "ins", "high-speed") and not by_whom(found, "ins", "5G")
    assert not by_whom(found, "del", "Affordable connectivity for all")
    summary = json.loads(cli(repo, "diff", "cwg-4:plans/2028-2031", "plans/2028-2031",
                             "--meeting", RECORD, "-f", "json").stdout)
    entries = {e["key"]: e.get("by", []) for s in summary["sections"] for e in s["entries"]}
    a1, b2 = numbers[("a-member-state-a", 1)], numbers[("b-member-state-b", 2)]
    assert entries["target:broadband-coverage"] == [
        f"Proposal {a1}: CWG-SFP-4/12 (Member State A)",
        f"Proposal {b2}: CWG-SFP-4/15 (Member State B)"]
    assert entries["target:internet-use"] == ["Secretariat"]
    accepted = {(p["by"], p["change"]): p["decision"] for p in summary["proposals"]}
    assert accepted == {
        ("CWG-SFP-4/12 (Member State A)", 1): "accepted",
        ("CWG-SFP-4/15 (Member State B)", 2): "accepted",
        ("CWG-SFP-4/20 (TSAG)", 2): "accepted-as-amended",
        ("CWG-SFP-4/20 (TSAG)", 3): "accepted",
        ("CWG-SFP-4/20 (TSAG)", 4): "accepted",
        ("CWG-SFP-4/25 (Member State W)", 1): "accepted",
    }

    # The next compilation of the same contributions marks each decision, lists the
    # withdrawn proposal apart, and numbers the proposals as before.
    data = json.loads(cli(repo, "compile", "cwg-4:plans/2028-2031", "contributions/2028-2031/",
                          "--meeting", RECORD, "-f", "json").stdout)
    decided = {(d["number"], d["decision"]) for part in data["parts"]
               for p in part["proposals"] for d in p["decisions"]}
    assert decided == {(n, d) for (stem, change), n in numbers.items()
                       for d in [{
                           ("a-member-state-a", 1): "accepted",
                           ("a-member-state-a", 2): "not-accepted",
                           ("b-member-state-b", 1): "not-accepted",
                           ("b-member-state-b", 2): "accepted",
                           ("c-tsag", 1): "deferred",
                           ("c-tsag", 2): "accepted-as-amended",
                           ("c-tsag", 3): "accepted",
                           ("c-tsag", 4): "accepted",
                           ("w-member-state-w", 1): "accepted",
                       }.get((stem, change), "withdrawn")] if d != "withdrawn"}
    assert [w["number"] for w in data["withdrawn"]] == [numbers[("a-member-state-a", 3)]]
    assert not any(p["new"] for part in data["parts"] for p in part["proposals"])

    # A contribution to the amended plan comes in: against it, the next compilation lists the
    # decided contributions apart and marks the new proposal, numbered after the record's.
    (repo / "contributions" / "2028-2031" / "e-member-state-e.yaml").write_text(
        "contribution:\n  base: 2028-2031\n  contributor: Member State E\n"
        "  reference: CWG-SFP-5/3\n  date: 2026-06-01\n  title: Skills\n"
        "changes:\n  - modify: targets/digital-skills\n    field: text\n"
        "    value: Digital skills and literacy for everyone\n    reasons: Everyone.\n",
        encoding="utf-8")
    data = json.loads(cli(repo, "compile", "plans/2028-2031", "contributions/2028-2031/",
                          "--meeting", RECORD, "-f", "json").stdout)
    assert [(c["meeting"], Path(c["file"]).stem) for c in data["earlier"]] == [
        ("CWG-SFP-4", "a-member-state-a"), ("CWG-SFP-4", "b-member-state-b"),
        ("CWG-SFP-4", "c-tsag"), ("CWG-SFP-4", "w-member-state-w")]
    (proposal,) = [p for part in data["parts"] for p in part["proposals"]]
    assert proposal["new"] == proposal["numbers"] == [max(numbers.values()) + 1]
    said = cli(repo, "meeting", "plans/2028-2031", "contributions/2028-2031/e-member-state-e.yaml",
               "-o", RECORD).stdout
    assert f"number {max(numbers.values()) + 1}" in said
    data = json.loads(cli(repo, "compile", "plans/2028-2031", "contributions/2028-2031/",
                          "--meeting", RECORD, "-f", "json").stdout)
    (proposal,) = [p for part in data["parts"] for p in part["proposals"]]
    assert proposal["new"] == [] and proposal["numbers"] == [max(numbers.values()) + 1]


@pytest.mark.slow
def test_a_record_that_names_what_is_not_there_is_located(tmp_path: Path) -> None:
    """SP810 at the entry: a contribution file that is not there, a change it lacks, a number
    given twice, a suppression accepted as amended; `agreed:` without accepted-as-amended is a
    schema error (SP100). A decided contribution whose record names no revision is a warning."""
    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    shutil.copytree(FIXTURES, tmp_path / "contributions" / "2028-2031",
                    ignore=shutil.ignore_patterns("*.md"))
    (tmp_path / "meetings").mkdir()
    record = tmp_path / RECORD
    head = ("meeting:\n  reference: CWG-SFP-4\n  date: 2026-03-20\n  base: 2028-2031\n"
            "proposals:\n")
    entry = "  - number: {n}\n    contribution: ../contributions/2028-2031/{file}\n" \
            "    change: {change}\n    decision: {decision}\n"
    record.write_text(head + "".join(entry.format(**e) for e in [
        {"n": 1, "file": "a-member-state-a.yaml", "change": 1, "decision": "accepted"},
        {"n": 2, "file": "nobody.yaml", "change": 1, "decision": "accepted"},
        {"n": 3, "file": "a-member-state-a.yaml", "change": 9, "decision": "accepted"},
        {"n": 3, "file": "b-member-state-b.yaml", "change": 1, "decision": "not-accepted"},
        {"n": 5, "file": "c-tsag.yaml", "change": 1,
         "decision": "accepted-as-amended\n    agreed: x"},
    ]), encoding="utf-8")
    proc = run_cli("validate", RECORD, "-f", "json", cwd=tmp_path)
    assert proc.returncode == 1
    found = sorted((d["line"], d["code"], d["message"])
                   for d in json.loads(proc.stdout)["diagnostics"])
    assert found == [
        (11, "SP810", "no contribution contributions/2028-2031/nobody.yaml"),
        (16, "SP810", "contributions/2028-2031/a-member-state-a.yaml has no change 9 "
                      "(it has 3)"),
        (18, "SP810", "proposal number 3 is given twice (entry 3 has it too)"),
        (26, "SP810", "a suppression is accepted or not: it has no text to amend"),
    ], found
    record.write_text(head + entry.format(n=1, file="a-member-state-a.yaml", change=1,
                                          decision="accepted\n    agreed: x"), encoding="utf-8")
    proc = run_cli("validate", RECORD, cwd=tmp_path)
    assert proc.returncode == 1 and "SP100" in proc.stdout and "agreed" in proc.stdout
    record.write_text(head + entry.format(n=1, file="a-member-state-a.yaml", change=1,
                                          decision="accepted"), encoding="utf-8")
    proc = run_cli("validate", "contributions/2028-2031/a-member-state-a.yaml", cwd=tmp_path)
    assert "SP810" in proc.stdout and "names no revision" in proc.stdout


def test_the_guide_example_record_is_a_record() -> None:
    from stratplan.model.meeting import Meeting
    from stratplan.source.reader import parse_yaml_text

    guide = (ROOT / "docs" / "guide" / "meeting.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    record = Meeting.model_validate(parse_yaml_text(example, "meeting.md")[0])
    assert {p.decision for p in record.proposals} == {
        "accepted", "accepted-as-amended", "not-accepted", "withdrawn", "deferred"}


@pytest.mark.slow
def test_what_an_accepted_change_shows_elsewhere_is_its_proposers(tmp_path: Path) -> None:
    """One target's deadline accepted (made-up test data): the goal's label loses its "– by
    2031" and every other target of the goal prints its own. Those are the proposal's doing,
    so they are its proposer's revisions, not the Secretariat's; an edit of the Secretariat's
    own elsewhere stays the Secretariat's."""
    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "2028-2031", repo / "plans" / "2028-2031")
    contribution = repo / "contributions" / "2028-2031" / "ms-a.yaml"
    contribution.parent.mkdir(parents=True)
    contribution.write_text(
        "contribution:\n  base: 2028-2031\n  contributor: Member State A\n"
        "  reference: CWG-SFP-4/12\n  date: '2026-03-01'\n  title: made-up test data\n"
        "changes:\n  - modify: targets/broadband-coverage\n    field: deadline\n"
        "    value: 2030\n    reasons: Sooner.\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "draft")
    git(repo, "tag", "cwg-4")
    cli(repo, "meeting", "plans/2028-2031", "contributions/2028-2031/", "-o", RECORD,
        "--reference", "CWG-SFP-4", "--date", "2026-03-20")
    record = repo / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "decision: pending", "decision: accepted"), encoding="utf-8")
    cli(repo, "apply", "--meeting", RECORD, "--in-place")
    offerings = repo / "plans" / "2028-2031" / "offerings.yaml"
    offerings.write_text(offerings.read_text(encoding="utf-8").replace(
        "treaty that contains", "treaty which contains"), encoding="utf-8")
    cli(repo, "diff", "cwg-4:plans/2028-2031", "plans/2028-2031", "--meeting", RECORD,
        "-o", "outcome.docx")
    found = revisions(repo / "outcome.docx")
    assert by_whom(found, "del", "2031") == {"Member State A"}
    assert by_whom(found, "ins", "2030") == {"Member State A"}
    assert by_whom(found, "ins", "which") == {"Secretariat"}
    assert {author for _, author, _ in found} == {"Member State A", "Secretariat"}


def test_the_same_words_proposed_twice_and_accepted_are_one_change(tmp_path: Path) -> None:
    """Two delegations propose the same words for one target (test data: made up); both
    accepted, they apply as one change. A third, other words, accepted too: the overlap is
    the Working Group's to settle, and nothing is applied."""
    plan = tmp_path / "plans" / "2028-2031"
    shutil.copytree(PLANS / "2028-2031", plan)
    folder = tmp_path / "contributions" / "2028-2031"
    folder.mkdir(parents=True)
    words = {"x": "Universal and meaningful broadband coverage",
             "y": "Universal and meaningful broadband coverage",
             "z": "Universal broadband coverage for all"}
    for name, value in words.items():
        (folder / f"{name}.yaml").write_text(json.dumps({
            "contribution": {"base": "2028-2031", "contributor": f"Member State {name.upper()}",
                             "title": "Target 1.1", "date": "2026-03-01"},
            "changes": [{"modify": "targets/broadband-coverage", "field": "text",
                         "value": value, "reasons": "Made up for a test."}]}), encoding="utf-8")

    def record(accepted: set[str]) -> str:
        entries = [{"number": n, "contribution": f"../contributions/2028-2031/{name}.yaml",
                    "change": 1, "decision": "accepted" if name in accepted else "not-accepted"}
                   for n, name in enumerate(sorted(words), 1)]
        (tmp_path / "meetings").mkdir(exist_ok=True)
        path = tmp_path / "meetings" / f"m-{''.join(sorted(accepted))}.yaml"
        path.write_text(json.dumps({"meeting": {"reference": "CWG-SFP-9", "date": "2026-03-20",
                                                "base": "2028-2031"},
                                    "proposals": entries}), encoding="utf-8")
        return str(path)

    targets = plan / "targets.yaml"
    before = targets.read_text(encoding="utf-8")
    refused = run_cli("apply", "--meeting", record({"x", "y", "z"}), "--in-place", cwd=tmp_path)
    assert refused.returncode == 1 and "SP805" in refused.stdout + refused.stderr
    assert targets.read_text(encoding="utf-8") == before
    assert "SP805" not in cli(tmp_path, "validate", record({"x", "y"})).stdout
    cli(tmp_path, "apply", "--meeting", record({"x", "y"}), "--in-place")
    after = targets.read_text(encoding="utf-8")
    assert after.count("Universal and meaningful broadband coverage") == 1
    assert "SP805" not in cli(tmp_path, "validate", str(plan)).stdout


def test_an_applied_contribution_without_its_record_says_where_the_record_goes(
    tmp_path: Path,
) -> None:
    """Validated against the plan it amended (its meeting's record not in a meetings/ folder
    above it), an applied `add` finds its id used: the hint says what to do."""
    shutil.copytree(PLANS / "2028-2031", tmp_path / "plans" / "2028-2031")
    contribution = tmp_path / "contributions" / "add.yaml"
    contribution.parent.mkdir()
    contribution.write_text(json.dumps({
        "contribution": {"base": "2028-2031", "contributor": "Member State X",
                         "title": "A target", "date": "2026-03-01"},
        "changes": [{"add": "targets", "reasons": "Made up for a test.", "item": {
            "id": "broadband-coverage", "goal": "universal-connectivity",
            "text": "Made up", "deadline": 2030}}]}), encoding="utf-8")
    found = run_cli("validate", str(contribution), cwd=tmp_path)
    assert found.returncode == 1
    assert "SP101 id 'broadband-coverage' is already used" in found.stdout + found.stderr
    assert "keep the meeting's record in a meetings/ folder above it" in found.stdout + \
        found.stderr


def outcome_of(tmp_path: Path, proposals: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """The revisions of the outcome redline of a meeting that accepted each proposal (one
    change of Member State <NAME>'s contribution, by name), in a git repository."""
    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "2028-2031", repo / "plans" / "2028-2031")
    folder = repo / "contributions" / "2028-2031"
    folder.mkdir(parents=True)
    for name, change in proposals.items():
        (folder / f"{name}.yaml").write_text(json.dumps({
            "contribution": {"base": "2028-2031", "contributor": f"Member State {name.upper()}",
                             "title": "Made up", "date": "2026-03-01"},
            "changes": [{**change, "reasons": "Made up for a test."}]}), encoding="utf-8")
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "draft")
    cli(repo, "meeting", "plans/2028-2031", "contributions/2028-2031/", "-o", RECORD,
        "--reference", "CWG-SFP-9", "--date", "2026-03-20")
    record = repo / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(
        "decision: pending", "decision: accepted"), encoding="utf-8")
    cli(repo, "apply", "--meeting", RECORD, "--in-place")
    cli(repo, "diff", "HEAD:plans/2028-2031", "plans/2028-2031", "--meeting", RECORD,
        "-o", "outcome.docx")
    return revisions(repo / "outcome.docx")


@pytest.mark.parametrize("second_adds", [False, True])
def test_paragraphs_renumbered_by_one_proposal_are_its_proposers(
    tmp_path: Path, second_adds: bool
) -> None:
    """Member State X's new paragraph renumbers the paragraphs after it: in the outcome
    redline the new numbers are X's revisions, not the Secretariat's. When Y adds a paragraph
    to the same section further on, each new paragraph is its proposer's (by its words), the
    numbers between the two are X's, and those after both, renumbered by two proposals, the
    Secretariat's. (Test data: the proposals are made up.)"""
    found = outcome_of(tmp_path, {
        "x": {"add": "sections/overview/content", "after": 2,
              "item": "A new paragraph, made up for a test."},
        "y": ({"add": "sections/overview/content", "after": 4,
               "item": "Another paragraph, made up for a test."} if second_adds else
              {"modify": "targets/broadband-coverage", "field": "text",
               "value": "Universal broadband coverage for all"})})
    numbers = {author for kind, author, text in found if text.strip().isdigit()}
    assert by_whom(found, "ins", "A new paragraph, made up") == {"Member State X"}
    if second_adds:
        assert by_whom(found, "ins", "Another paragraph, made up") == {"Member State Y"}
        assert numbers == {"Member State X", "Secretariat"}, found
    else:
        assert numbers == {"Member State X"}, found


def test_targets_renumbered_by_a_new_target_are_its_proposers(tmp_path: Path) -> None:
    """A new target renumbers the targets after it in its goal's list and in results table
    A: every number revision is its proposer's. (Test data: the target is made up.)"""
    found = outcome_of(tmp_path, {"x": {
        "add": "targets", "after": "affordable-broadband", "item": {
            "id": "made-up-target", "goal": "universal-connectivity",
            "text": "A made-up target", "deadline": 2030}}})
    assert {author for _, author, _ in found} == {"Member State X"}, found
    assert sum(1 for kind, _, text in found if kind == "ins" and text.strip() == "4") == 2
