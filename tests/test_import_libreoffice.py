"""A real editor: LibreOffice, headless, driven over UNO, edits a render with Track Changes on
(words replaced in a target, a paragraph inserted and another deleted, a comment) and saves
it as .docx; `stratplan import` gives exactly those changes, by the UNO author.

The UNO scripts (tests/uno/) run under Debian's /usr/bin/python3, which has python3-uno; the
venv's interpreter cannot import `uno`. Each run has its own LibreOffice profile and port, so
the test runs in parallel with the rest. `make test` installs LibreOffice and python3-uno and
sets STRATPLAN_REQUIRE_TOOLS, so there a missing one fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratplan.api import apply, import_review, load_valid_plan, render, validate
from tests.conftest import PLANS

SYSTEM_PYTHON = "/usr/bin/python3"
UNO_EDIT = Path(__file__).parent / "uno" / "uno_edit.py"
AUTHOR = "Uno Reviewer"


pytestmark = pytest.mark.tools("soffice", "python3-uno")


def edit_in_libreoffice(tmp_path: Path, source: Path, ops: list[dict[str, Any]]) -> Path:
    """`source` opened in LibreOffice, `ops` made with Track Changes on by AUTHOR, saved."""
    script = tmp_path / "ops.json"
    script.write_text(json.dumps(ops), encoding="utf-8")
    out = tmp_path / "reviewed.docx"
    env = dict(os.environ, TMPDIR=str(tmp_path), TZ="UTC")  # LibreOffice dates are local
    env.pop("PYTHONPATH", None)  # the venv's packages are not Debian python's
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        [SYSTEM_PYTHON, str(UNO_EDIT), str(source), str(out), str(script), "--author", AUTHOR],
        capture_output=True, text=True, timeout=240, env=env, stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_edits_made_in_libreoffice_import_as_exactly_those_changes(tmp_path: Path) -> None:
    cycle = "2028-2031"
    plan = tmp_path / "plans" / cycle
    shutil.copytree(PLANS / cycle, plan)
    draft = render([plan], tmp_path / "draft.docx").written[0]
    reviewed = edit_in_libreoffice(tmp_path, draft, [
        {"op": "replace", "para": "Universal broadband coverage", "find": "Universal",
         "with": "Universal and meaningful"},
        {"op": "insert_after", "para": "As outlined in ITU's basic instruments",
         "text": "A new paragraph written in LibreOffice."},
        {"op": "delete", "para": "The ITU Sectors have complementary mandates"},
        {"op": "comment", "para": "Digital skills for all", "anchor": "Digital skills",
         "text": "Please define the skills."},
    ])

    result = import_review(reviewed, plan, f"{tmp_path}/contributions/")
    assert [d.message for d in result.diagnostics if d.code == "SP806"] == []
    (written,) = result.written
    imported = YAML(typ="safe").load(written.read_text(encoding="utf-8"))
    assert imported["contribution"]["contributor"] == AUTHOR
    changes = [{k: v for k, v in c.items() if k != "found_at"} for c in imported["changes"]]
    assert all("place" in c["found_at"] for c in imported["changes"])
    comment = changes.pop()
    assert changes == [  # in the order of the document
        {"add": "sections/overview/content", "after": 2,
         "item": "A new paragraph written in LibreOffice."},
        {"suppress": "sections/overview/content/5"},
        {"modify": "targets/broadband-coverage", "field": "text",
         "value": "Universal and meaningful broadband coverage"},
    ]
    assert comment["add"] == "targets/digital-skills/comments"
    assert comment["item"]["author"] == AUTHOR
    assert comment["item"]["text"] == "Please define the skills."

    checked = validate(result.written)
    assert [d.message for d in checked.diagnostics if d.severity.value == "error"] == []
    apply(result.written, tmp_path / "amended")
    amended = load_valid_plan(tmp_path / "amended")[1]
    assert amended.targets[0].text == "Universal and meaningful broadband coverage"
    content = [getattr(c, "text", c) for c in amended.sections[0].content]
    assert content[2] == "A new paragraph written in LibreOffice."
    assert not any("complementary mandates" in str(c) for c in content)


def test_libreoffice_footnote_merge_and_split_import_as_those_changes(tmp_path: Path) -> None:
    """A footnote's words replaced inside the footnote, two paragraphs merged (their mark
    deleted) and one split (a mark inserted), as LibreOffice records them: each the change a
    drafter would write, and nothing else said."""
    cycle = "2028-2031"
    plan = tmp_path / "plans" / cycle
    shutil.copytree(PLANS / cycle, plan)
    draft = render([plan], tmp_path / "draft.docx").written[0]
    reviewed = edit_in_libreoffice(tmp_path, draft, [
        {"op": "replace", "in": "footnotes", "para": "These include the least developed",
         "find": "economies in transition", "with": "economies in transition and small States"},
        {"op": "merge_next", "para": "The functions of the General Secretariat include"},
        {"op": "split", "para": "The functions of ITU-D include",
         "after": "or other funding arrangements"},
    ])
    result = import_review(reviewed, plan, f"{tmp_path}/contributions/")
    assert [(d.code, d.message) for d in result.diagnostics] == []
    (written,) = result.written
    changes = [{k: v for k, v in c.items() if k != "found_at"}
               for c in YAML(typ="safe").load(written.read_text(encoding="utf-8"))["changes"]]
    split, added, merged, suppressed, footnote = changes
    assert split["modify"] == "sections/overview/content/4"
    assert split["value"].endswith("or other funding arrangements")
    assert added["add"] == "sections/overview/content" and added["after"] == 4
    assert added["item"].startswith("so as to facilitate")
    assert merged["modify"] == "sections/overview/content/6"
    assert "resources. The General Secretariat" in merged["value"]
    assert merged["value"].endswith("ICTs landscape[^oneitu].")
    assert suppressed == {"suppress": "sections/overview/content/7"}
    assert footnote["modify"] == "footnotes/developing-countries"
    assert footnote["value"].endswith("economies in transition and small States.")
    apply(result.written, tmp_path / "amended")
    amended = load_valid_plan(tmp_path / "amended")[1]
    assert amended.footnotes["developing-countries"].endswith("and small States.")
    assert len(amended.sections[0].content) == 7  # one more by the split, one less merged
