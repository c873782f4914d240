"""`stratplan.workspace`: what a path is (decided by reading it), and each file read once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stratplan.workspace import Workspace
from tests.conftest import EXAMPLE

CONTRIBUTION = "contribution: {base: 2028-2031, contributor: X, title: T}\nchanges: []\n"


def test_a_folder_is_read_once_per_workspace(tmp_path: Path) -> None:
    """Within one command a folder is read and modelled once; a new command (workspace) reads
    it again, so a long-lived process never keeps plans it no longer needs."""
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    workspace = Workspace()
    first = workspace.plan(folder)
    assert first.plan is not None
    assert workspace.plan(folder) is first
    assert workspace.plan(folder / ".." / "plan") is first
    assert Workspace().plan(folder) is not first
    assert {p.name for p in workspace.files_read()} == {p.name for p in folder.glob("*.yaml")}


@pytest.mark.parametrize(
    "text",
    [
        CONTRIBUTION,
        # The key after a long first value, in flow style, quoted: decided by parsing.
        "summary_of_changes: '" + "x" * 30000 + "'\n" + CONTRIBUTION,
        "{contribution: {base: 2028-2031, contributor: X, title: T}, changes: []}\n",
        '"contribution": {base: 2028-2031, contributor: X, title: T}\n',
    ],
    ids=["plain", "late", "flow", "quoted"],
)
def test_a_contribution_is_recognised_by_its_content(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    workspace = Workspace()
    assert workspace.is_contribution(path)
    assert workspace.contribution_files(path) == [path]
    assert workspace.contribution_files(tmp_path) == [path]


def test_a_broken_contribution_is_still_a_contribution(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CONTRIBUTION + "changes: [\n", encoding="utf-8")
    assert Workspace().is_contribution(path)


def test_plan_files_and_folders_are_plans(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    (folder / "notes.yaml").write_text("# contribution: not a key\n", encoding="utf-8")
    workspace = Workspace()
    targets = workspace.targets([folder, folder / "plan.yaml", tmp_path / "missing"])
    assert targets.plans == [folder]
    assert targets.contributions == []
    assert [d.code for d in targets.missing] == ["SP010"]


def test_an_amended_plan_is_read_from_memory(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    workspace = Workspace()
    plan_file = folder / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    assert "title: " in text
    before = workspace.plan(folder).plan
    assert before is not None
    edited = text.replace(before.plan.title, "An amended title", 1)
    amended = workspace.amended_plan(folder, {plan_file: edited})
    assert amended.plan is not None and amended.plan.plan.title == "An amended title"
    assert plan_file.read_text(encoding="utf-8") == text  # nothing written
    assert workspace.plan(folder).plan is before  # the cached plan is the file's
