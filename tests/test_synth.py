"""The benchmark's synthetic plans: valid, with unique ids, and N times the document."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synth import synthesize

from stratplan import ir
from stratplan.api import render_document, validate
from tests.conftest import PLANS


def paragraphs(folder: Path) -> int:
    return sum(1 for _ in ir.iter_paragraphs(render_document(folder).blocks))


def test_synthetic_plan_validates_and_is_n_times_the_document(tmp_path: Path) -> None:
    plan = synthesize(PLANS / "2028-2031", 3, tmp_path / "x3" / "2028-2031")
    result = validate([plan])
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []
    # Everything but the cover and the title block is copied: close to 3x, never 3 squared.
    ratio = paragraphs(plan) / paragraphs(PLANS / "2028-2031")
    assert 2.5 < ratio <= 3.0, ratio
