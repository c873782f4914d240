"""The package is the product: the wheel, installed into a fresh virtual environment outside
the checkout, validates, renders (docx, html, md) and diffs a copy of a real plan from an
empty folder, and runs the Working Group's loop (import, compile, meeting, a language
edition, XLIFF). (The CI recipe of docs/guide/validate.md is `pip install .` then
`stratplan ...`.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PLANS, ROOT

# Builds the wheel and installs it in a fresh virtual environment.
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `stratplan` script of a fresh environment that has only the wheel (and its
    dependencies) installed."""
    base = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist",
                ROOT)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("stratplan-*.whl")
    env = base / "env"
    venv.create(env, with_pip=True)
    pip = run(env / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    assert pip.returncode == 0, pip.stderr
    return env / "bin" / "stratplan"


def test_the_installed_wheel_renders_and_diffs(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"  # an empty folder, far from the checkout
    work.mkdir()
    for cycle in ("2024-2027", "2028-2031"):
        shutil.copytree(PLANS / cycle, work / "plans" / cycle)
    python = installed.parent / "python"
    where = run(python, "-c", "import stratplan, sys; print(stratplan.__file__)", cwd=work)
    assert str(ROOT) not in where.stdout  # the wheel's copy, not the checkout's
    checked = run(installed, "validate", "plans/2028-2031", cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for fmt in ("docx", "html", "md"):
        done = run(installed, "render", "plans/2028-2031", "-f", fmt, "-o", f"out.{fmt}",
                   cwd=work)
        assert done.returncode == 0, done.stderr
    redline = run(installed, "diff", "plans/2024-2027", "plans/2028-2031", "-o", "r.docx",
                  cwd=work)
    assert redline.returncode == 0, redline.stderr
    # Each file opens: the Word files with python-docx (installed with stratplan), the text
    # files as what they claim to be.
    opened = run(
        python,
        "-c",
        "import docx, sys\n"
        "for name in ('out.docx', 'r.docx'):\n"
        "    d = docx.Document(name)\n"
        "    print(name, len(d.paragraphs), len(d.tables))\n",
        cwd=work,
    )
    assert opened.returncode == 0, opened.stderr
    counts = {line.split()[0]: int(line.split()[1]) for line in opened.stdout.splitlines()}
    assert counts["out.docx"] > 100 and counts["r.docx"] > 100  # body paragraphs, besides tables
    html = (work / "out.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "ITU strategic plan for 2028-2031" in html
    assert "ITU strategic plan for 2028-2031" in (work / "out.md").read_text(encoding="utf-8")
    redline_xml = run(python, "-c", "import zipfile; print(zipfile.ZipFile('r.docx')"
                      ".read('word/document.xml').count(b'<w:ins '))", cwd=work)
    assert int(redline_xml.stdout) > 50  # tracked insertions are there


def test_the_installed_wheel_runs_the_working_groups_loop(installed: Path,
                                                          tmp_path: Path) -> None:
    """From the wheel alone: a reviewed file imported, the compilation, the meeting's record,
    a language edition and its XLIFF: the resources each needs are in the package."""
    work = tmp_path / "loop"
    work.mkdir()
    shutil.copytree(PLANS / "2028-2031", work / "plans" / "2028-2031")
    shutil.copy(ROOT / "tests" / "reviews" / "lo-basic.docx", work / "review.docx")

    def ok(*args: str) -> subprocess.CompletedProcess[str]:
        done = run(installed, *args, cwd=work)
        assert done.returncode == 0, " ".join(args) + "\n" + done.stdout + done.stderr
        return done

    ok("import", "review.docx", "--base", "plans/2028-2031", "-o", "contributions/")
    [contribution] = (work / "contributions").glob("*.yaml")
    ok("validate", str(contribution))
    ok("compile", "plans/2028-2031", "contributions/", "-o", "compilation.docx")
    ok("meeting", "plans/2028-2031", "contributions/", "-o", "meeting.yaml",
       "--reference", "CWG-SFP-1", "--date", "2027-01-20")
    assert "CWG-SFP-1" in (work / "meeting.yaml").read_text(encoding="utf-8")
    ok("render", "plans/2028-2031", "--lang", "ar", "-o", "ar.docx")
    document = zipfile.ZipFile(work / "ar.docx").read("word/document.xml")
    assert b"<w:bidi" in document and b'w:bidi="ar' in document
    ok("translations", "export", "plans/2028-2031", "--lang", "fr", "-o", "fr.xlf")
    assert b'version="2.0"' in (work / "fr.xlf").read_bytes()
