"""Faults while writing: a clear diagnostic, exit 2, no partial output, no input touched."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PLANS, ROOT, run_cli

PLAN = PLANS / "2028-2031"


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_missing_output_directory(tmp_path: Path) -> None:
    proc = run_cli("render", str(PLAN), "-o", str(tmp_path / "nowhere" / "out.docx"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "nowhere").exists()


def test_read_only_directory(tmp_path: Path) -> None:
    # Root ignores permission bits, so the directory is made unwritable by the kernel instead:
    # a read-only bind is not available here, but /proc is always read-only.
    proc = run_cli("render", str(PLAN), "-o", "/proc/stratplan-test.docx")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "/proc/stratplan-test.docx" in proc.stderr


def test_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    before = snapshot(PLAN)
    proc = run_cli("render", str(PLAN), "-o", str(PLAN / "goals.yaml"))
    assert proc.returncode == 2
    assert "input file" in proc.stderr
    assert snapshot(PLAN) == before


def test_disk_full_leaves_nothing(tmp_path: Path) -> None:
    """A write that fails half-way (ENOSPC) leaves no partial file and the old output intact."""
    clock = tmp_path / "inject"
    clock.mkdir()
    (clock / "sitecustomize.py").write_text(
        "import errno, os\n"
        "_real = os.fsync\n"
        "def fsync(fd):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "os.fsync = fsync\n"
    )
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    existing = out_dir / "plan.docx"
    existing.write_bytes(b"previous version")
    env = dict(os.environ, PYTHONPATH=str(clock))
    proc = subprocess.run(
        [sys.executable, "-m", "stratplan.cli", "render", str(PLAN), "-o", str(existing)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
    assert existing.read_bytes() == b"previous version"
    assert sorted(p.name for p in out_dir.iterdir()) == ["plan.docx"]


def test_interrupt_during_render_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C while rendering: exit 130, no .docx (partial or whole), inputs untouched."""
    inject = tmp_path / "inject"
    inject.mkdir()
    # Slow the write down so that the interrupt lands while the file is being written.
    (inject / "sitecustomize.py").write_text(
        "import os, time\n"
        "_real = os.fsync\n"
        "def fsync(fd):\n"
        "    time.sleep(30)\n"
        "    return _real(fd)\n"
        "os.fsync = fsync\n"
    )
    before = snapshot(PLAN)
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(inject))
    child = subprocess.Popen(
        [sys.executable, "-m", "stratplan.cli", "render", str(PLAN), "-o", str(out / "p.docx")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.iterdir()):
        time.sleep(0.05)  # wait until the temporary file exists: the write has begun
    assert list(out.iterdir()), "the render never started writing"
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    assert "Traceback" not in stderr
    assert list(out.iterdir()) == []
    assert snapshot(PLAN) == before
