"""Shared helpers: run the CLI in-process, write small plan folders."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

from stratplan import ir
from tests import ooxml

# Every .docx written in the test process passes the OOXML schema check (tests/ooxml.py).
ooxml.install()

# --- the programs a test needs ----------------------------------------------------------------
#
# A test that runs a program outside Python says so: `@pytest.mark.tools("pandoc")`. Without
# the program the test is skipped, with the reason; under `make test` (STRATPLAN_REQUIRE_TOOLS,
# after `make tools` has installed them all) it fails instead: a skip there would hide a broken
# set-up. `make test-fast` leaves these tests out (-m "not tools"). Helpers find a program's
# path with `require_tool`, which also checks that the running test is marked.

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno: tests/uno/ runs under it
TOOLS = {  # the name in the marker: the Debian package that has it
    "pandoc": "pandoc",
    "soffice": "libreoffice-writer",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdfimages": "poppler-utils",
    "python3-uno": "python3-uno",
    "bwrap": "bubblewrap",
    "setpriv": "util-linux",
}
_marked: set[str] = set()  # the tools the running test is marked with


@functools.cache
def tool_path(tool: str) -> str | None:
    if tool == "python3-uno":
        if not os.path.exists(SYSTEM_PYTHON):
            return None
        probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
        return SYSTEM_PYTHON if probe.returncode == 0 else None
    return shutil.which(tool)


def _missing(tools: list[str]) -> NoReturn:
    packages = " ".join(sorted({TOOLS[t] for t in tools}))
    reason = f"needs {', '.join(tools)} (Debian: {packages}; `make tools` installs them)"
    if os.environ.get("STRATPLAN_REQUIRE_TOOLS"):
        pytest.fail(f"required tool missing under make test: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before the test's fixtures: a missing program skips (or fails) without building them.
    tools = [name for mark in item.iter_markers("tools") for name in mark.args]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        pytest.fail(f"@pytest.mark.tools: unknown {unknown}; known: {sorted(TOOLS)}")
    _marked.clear()
    _marked.update(tools)
    missing = [tool for tool in tools if tool_path(tool) is None]
    if missing:
        _missing(missing)


def require_tool(tool: str) -> str:
    """The path of a program the running test needs (marked `@pytest.mark.tools(tool)`)."""
    if tool not in _marked:
        pytest.fail(f"this test runs {tool}: mark it @pytest.mark.tools({tool!r})", pytrace=False)
    path = tool_path(tool)
    if path is None:
        _missing([tool])
    return path


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"
PLANS = ROOT / "plans"


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `stratplan` as a user would, in a subprocess (exit codes and stderr are real)."""
    return subprocess.run(
        [sys.executable, "-m", "stratplan.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


MINIMAL_PLAN = """\
plan:
  title: Test plan
  period: 2028-2031
  framework: thematic
  resolution: Resolution 71
  status: draft
goals:
  - id: g1
    title: Goal one
targets:
  - id: t1
    goal: g1
    text: A target
    deadline: 2030
    indicators:
      - id: i1
        text: An indicator
        unit: percent
        data_source: ITU
        baseline: {year: 2024}
priorities:
  - id: p1
    title: A priority
outcomes:
  - id: o1
    priority: p1
    text: An outcome
    indicators:
      - id: oi1
        text: An outcome indicator
        unit: countries
        data_source: ITU
        baseline: {year: 2024}
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="write the golden snapshots under tests/snapshots/ instead of comparing",
    )


SNAPSHOTS = ROOT / "tests" / "snapshots"


class Snapshot:
    """A golden text file under tests/snapshots/: compared, or written with
    `pytest --update-snapshots` (then review the change with `git diff tests/snapshots`)."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, text: str) -> None:
        import difflib

        path = SNAPSHOTS / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"no snapshot {name}: run pytest --update-snapshots"
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"tests/snapshots/{name}",
                    "now",
                    n=2,
                )
            )
            pytest.fail(
                f"{name} differs from its snapshot (pytest --update-snapshots to accept):\n"
                + diff[:20000],
                pytrace=False,
            )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    return Snapshot(bool(request.config.getoption("--update-snapshots")))


def house_docx(path: Path, font: str = "DejaVu Sans") -> Path:
    """A reference .docx as the Secretariat's template might be: Normal in `font` at 10 pt,
    US Letter with 2.5 cm side margins, a header and a footer of its own, and body text (which
    a document made with it must not carry)."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header.paragraphs[0].text = "SECRETARIAT HEADER"
    section.footer.paragraphs[0].text = "Secretariat footer"
    document.add_paragraph("Template body text that must not appear.")
    document.save(str(path))
    return path


def paragraph_texts(document: ir.Document) -> list[str]:
    """Every paragraph of a document as text (number, tab, text; footnote references as
    [^id]), in order."""
    out = []
    for paragraph in ir.iter_paragraphs(document.blocks):
        text = "".join(f"[^{r.footnote}]" if r.footnote else r.text for r in paragraph.runs)
        out.append(f"{paragraph.number}\t{text}" if paragraph.number else text)
    return out
