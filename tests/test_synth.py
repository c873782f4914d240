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


def test_chained_adds_validate_and_chain(tmp_path: Path) -> None:
    """The benchmark's contribution of chained adds is valid, each target after the last."""
    from benchmarks.synth import chained_adds

    from stratplan.api import apply, validate

    path = chained_adds(PLANS / "2028-2031", 5, tmp_path)
    assert [d for d in validate([path]).diagnostics if d.severity.value == "error"] == []
    apply([path], tmp_path / "amended")
    text = (tmp_path / "amended" / "targets.yaml").read_text(encoding="utf-8")
    places = [text.index(f"id: chained-{k}") for k in range(5)]
    assert places == sorted(places)
