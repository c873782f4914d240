"""`@pytest.mark.tools`: a test that needs a program is skipped without it, and fails instead
under `make test` (STRATPLAN_REQUIRE_TOOLS); a helper that runs a program the test is not
marked for fails, so `make test-fast` (-m "not tools") never runs one by accident.

Each case runs pytest on a small test file in a folder of its own, with tests/conftest.py's
hook, and a PATH that has a stand-in pandoc or none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.conftest import ROOT

CASES = '''
import pytest

from tests.conftest import require_tool


@pytest.mark.tools("pandoc")
def test_marked() -> None:
    assert require_tool("pandoc").endswith("pandoc")


def test_not_marked() -> None:
    require_tool("pandoc")


@pytest.mark.tools("pandco")
def test_misspelt() -> None:
    pass
'''


def outcomes(tmp_path: Path, have_pandoc: bool, require: bool) -> dict[str, str]:
    """Each test's outcome (passed, skipped, failed) and its message."""
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_setup  # noqa: F401\n", encoding="utf-8"
    )
    (tmp_path / "test_cases.py").write_text(CASES, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if have_pandoc:
        (bin_dir / "pandoc").write_text("#!/bin/sh\n", encoding="utf-8")
        (bin_dir / "pandoc").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "STRATPLAN_REQUIRE_TOOLS"}
    env.update(PATH=str(bin_dir), PYTHONPATH=str(ROOT))
    if require:
        env["STRATPLAN_REQUIRE_TOOLS"] = "1"
    report = tmp_path / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-W", "ignore::pytest.PytestUnknownMarkWarning", f"--junitxml={report}",
         "--rootdir", str(tmp_path), str(tmp_path / "test_cases.py")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    found: dict[str, str] = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("skipped", "failure", "error"):
                outcome = "skipped" if child.tag == "skipped" else "failed"
                outcome += ": " + (child.get("message") or "")
        found[case.get("name", "")] = outcome
    return found


def test_with_the_program_a_marked_test_runs(tmp_path: Path) -> None:
    found = outcomes(tmp_path, have_pandoc=True, require=True)
    assert found["test_marked"] == "passed"


def test_without_it_the_test_is_skipped(tmp_path: Path) -> None:
    found = outcomes(tmp_path, have_pandoc=False, require=False)
    assert found["test_marked"].startswith("skipped: needs pandoc (Debian: pandoc;")


def test_under_make_test_a_missing_program_is_a_failure(tmp_path: Path) -> None:
    found = outcomes(tmp_path, have_pandoc=False, require=True)
    assert found["test_marked"].startswith("failed")
    assert "required tool missing under make test: needs pandoc" in found["test_marked"]


@pytest.mark.parametrize("have_pandoc", [True, False])
def test_an_unmarked_test_or_an_unknown_tool_fails(tmp_path: Path, have_pandoc: bool) -> None:
    found = outcomes(tmp_path, have_pandoc=have_pandoc, require=False)
    assert found["test_not_marked"].startswith("failed")
    assert "mark it @pytest.mark.tools('pandoc')" in found["test_not_marked"]
    assert found["test_misspelt"].startswith("failed")
    assert "@pytest.mark.tools: unknown ['pandco']" in found["test_misspelt"]
