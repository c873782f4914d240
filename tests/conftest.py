"""Shared helpers: run the CLI in-process, write small plan folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.yaml").write_text(MINIMAL_PLAN, encoding="utf-8")
    return folder
