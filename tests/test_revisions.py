"""Git revisions as inputs (`stratplan.source.revisions`): `REV:path` wherever a plan or a
contribution is taken, read through git; a revision never becomes an option to git, a path
outside the repository, or an output."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PLANS, ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "contributions" / "2028-2031"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository: plans 2024-2027 and 2028-2031 and the fixture contributions committed and
    tagged `cwg-4`; then a target's text changed and committed."""
    root = tmp_path / "repo"
    for cycle in ("2024-2027", "2028-2031"):
        shutil.copytree(PLANS / cycle, root / "plans" / cycle)
    shutil.copytree(FIXTURES, root / "contributions" / "2028-2031",
                    ignore=shutil.ignore_patterns("*.md"))
    git(root.parent, "init", "-q", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the draft before the meeting")
    git(root, "tag", "cwg-4")
    targets = root / "plans" / "2028-2031" / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace("text: Universal broadband coverage\n",
                                    "text: Universal and meaningful broadband coverage\n", 1),
                       encoding="utf-8")
    git(root, "commit", "-qam", "the meeting's outcome")
    return root


@pytest.mark.slow
def test_diff_reads_a_revision_as_a_folder(repo: Path) -> None:
    proc = run_cli("diff", "cwg-4:plans/2028-2031", "plans/2028-2031", "-f", "json",
                   "--author", "Secretariat", "--date", "2026-04-01", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    entries = [e for s in json.loads(proc.stdout)["sections"] for e in s["entries"]
               if e["mark"] != "NOC"]
    assert [(e["mark"], e["key"]) for e in entries] == [("MOD", "target:broadband-coverage")]
    # Both sides at revisions, from a folder below the top (./ is from here, as git has it).
    proc = run_cli("diff", "cwg-4:./2028-2031", "HEAD:plans/2028-2031", "-f", "json",
                   "--author", "S", "--date", "2026-04-01", cwd=repo / "plans")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"]["MOD"] == 1


def test_diagnostics_name_the_revision_and_the_file(repo: Path) -> None:
    targets = repo / "plans" / "2028-2031" / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace("goal: universal-connectivity", "goal: universal-conectivity",
                                    1), encoding="utf-8")
    git(repo, "commit", "-qam", "a typo")
    git(repo, "tag", "typo")
    git(repo, "revert", "--no-edit", "HEAD")
    proc = run_cli("validate", "typo:plans/2028-2031", "-f", "json", cwd=repo)
    assert proc.returncode == 1
    errors = [d for d in json.loads(proc.stdout)["diagnostics"] if d["severity"] == "error"]
    assert [(d["code"], d["file"]) for d in errors] == [
        ("SP102", "typo:plans/2028-2031/targets.yaml")]
    assert run_cli("validate", "plans/2028-2031", cwd=repo).returncode == 0


@pytest.mark.parametrize(("spec", "message"), [
    ("cwg-5:plans/2028-2031", "unknown revision 'cwg-5'"),
    ("cwg-4:plans/2032-2035", "plans/2032-2035 is not in revision cwg-4"),
    ("cwg-4:../outside", "the path is outside the repository"),
    ("cwg-4:/etc", "an absolute path"),
    ("HEAD~9:plans/2028-2031", "unknown revision 'HEAD~9'"),
])
def test_an_unknown_revision_or_path_is_a_clear_usage_error(
    repo: Path, spec: str, message: str
) -> None:
    proc = run_cli("validate", spec, cwd=repo)
    assert proc.returncode == 2, proc.stderr
    assert "SP010" in proc.stdout + proc.stderr and message in proc.stdout + proc.stderr


@pytest.mark.parametrize("spec", ["--output=x:plans", "-p:plans", "HEAD..cwg-4:plans",
                                  ":/meeting:plans"])
def test_what_is_not_a_plain_revision_never_reaches_git(repo: Path, spec: str) -> None:
    """Read as a path, which does not exist: the command says so, and git never sees it."""
    proc = run_cli("validate", "--", spec, cwd=repo)
    assert proc.returncode == 2
    assert "no such file or folder" in proc.stdout + proc.stderr
    assert not list(repo.glob("x*")) and not (repo / "plans" / "x").exists()


def test_outside_a_repository_a_revision_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("validate", "HEAD:plans/2028-2031", cwd=tmp_path)
    assert proc.returncode == 2 and "not in a git repository" in proc.stdout + proc.stderr


@pytest.mark.slow
def test_nothing_is_written_into_a_revision(repo: Path) -> None:
    proc = run_cli("apply", "cwg-4:contributions/2028-2031/a-member-state-a.yaml", "--in-place",
                   cwd=repo)
    assert proc.returncode == 2 and "a git revision's" in proc.stderr
    proc = run_cli("fmt", "cwg-4:plans/2028-2031", cwd=repo)
    assert proc.returncode == 2 and "a git revision's" in proc.stderr
    assert run_cli("fmt", "--check", "cwg-4:plans/2028-2031", cwd=repo).returncode == 0
    assert git(repo, "status", "--porcelain") == ""
    # To a folder of its own, the revision's plan amended.
    out = repo / "build" / "amended"
    proc = run_cli("apply", "cwg-4:contributions/2028-2031/d-member-state-d.yaml", "-o",
                   str(out), cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "Affordable and meaningful connectivity for all" in (out / "targets.yaml").read_text(
        encoding="utf-8")


def test_new_from_a_revision_writes_beside_the_plan_in_the_working_tree(repo: Path) -> None:
    proc = run_cli("new", "2032-2035", "--from", "cwg-4:plans/2028-2031", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    made = repo / "plans" / "2032-2035" / "targets.yaml"
    # The revision's text, not the working tree's.
    assert "text: Universal broadband coverage\n" in made.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_contribution_at_a_revision_finds_its_base_there(repo: Path) -> None:
    proc = run_cli("compile", "cwg-4:plans/2028-2031", "cwg-4:contributions/2028-2031",
                   "-f", "json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    coverage = next(p for p in data["parts"] if p["label"].startswith("Target 1.1"))
    assert coverage["draft"].startswith("Universal broadband coverage\n")
    assert next(c["file"] for c in data["contributions"]) == (
        "cwg-4:contributions/2028-2031/a-member-state-a.yaml")


@pytest.mark.slow
def test_a_copy_of_the_base_anywhere_is_the_base(repo: Path, tmp_path: Path) -> None:
    """compile, render -c and diff take the plan the contributions amend from wherever it is
    (they refused a copy at another path with SP803); a plan of another period is still
    refused."""
    copy = tmp_path / "elsewhere" / "draft"
    shutil.copytree(repo / "plans" / "2028-2031", copy)
    contributions = repo / "contributions" / "2028-2031"
    proc = run_cli("compile", str(copy), str(contributions), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    coverage = next(p for p in json.loads(proc.stdout)["parts"]
                    if p["label"].startswith("Target 1.1"))
    assert "meaningful" in coverage["draft"]  # the copy's text: the working tree's
    out = tmp_path / "c.docx"
    proc = run_cli("render", str(copy), "-c", str(contributions / "c-tsag.yaml"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("compile", str(PLANS / "2024-2027"), str(contributions), "-f", "json")
    assert proc.returncode == 2 and "SP803" in proc.stderr and "2024-2027" in proc.stderr
