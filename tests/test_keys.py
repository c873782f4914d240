"""The IR key grammar (stratplan.keys): every key the real plans' documents carry reads back
as itself, and a key never depends on text that a drafter types."""

from __future__ import annotations

import itertools
import shutil
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from stratplan import ir, keys
from stratplan.api import import_review, redline, render, render_document
from tests.conftest import PLANS
from tests.docx_review import Review

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]


@cache
def document(cycle: str) -> ir.Document:
    return render_document(PLANS / cycle)


def every_key(document: ir.Document) -> list[str]:
    out: list[str] = []
    for block in document.blocks:
        out.append(block.key)
        if isinstance(block, ir.Table):
            for row in block.rows:
                out.append(row.key)
                out += [c.merge for c in row.cells if c.merge]
                out += [p.key for c in row.cells for p in c.blocks]
    out += [c.key for p in ir.iter_paragraphs(document.blocks) for c in p.comments]
    return out


@pytest.mark.parametrize("cycle", CYCLES)
def test_every_key_of_a_real_plan_reads_back_as_itself(cycle: str) -> None:
    found = every_key(document(cycle))
    assert len(found) > 300
    for key in found:
        read = keys.parse(key)
        assert str(read) == key
        if read.kind:
            assert keys.key(read.kind, read.name, *read.parts) == keys.head_of(key) + "".join(
                f"/{p}" for p in read.parts) or read.positional or read.repeat > 1


@pytest.mark.parametrize("old,new", list(itertools.pairwise(CYCLES)))
def test_every_key_of_a_redline_reads_back_as_itself(old: str, new: str) -> None:
    from stratplan.diff import redline

    merged = redline(document(old), document(new)).document
    for key in every_key(merged):
        assert str(keys.parse(key)) == key


def test_the_parts_of_a_key() -> None:
    read = keys.parse("target:broadband-coverage/row/text")
    assert (read.kind, read.name, read.parts) == ("target", "broadband-coverage", ("row", "text"))
    assert read.head == "target:broadband-coverage" and not read.positional
    prose = keys.parse("#s:overview/p3")
    assert prose.positional and prose.head == "s:overview" and prose.parts == ("p3",)
    assert keys.section_of("#s:overview/p3") == "s:overview"
    assert keys.parse("linkage:sector:itu-r").segments == ("linkage", "sector", "itu-r")
    assert keys.parse("vision/alt1").head == "vision" and keys.parse("vision/alt1").kind == ""
    assert keys.parse("target:x#2").repeat == 2 and keys.head_of("target:x#2") == "target:x"
    assert keys.parse("resource:total#empty").empty
    assert keys.item_of("outcome:x/text", {"outcome"}) == "outcome:x"
    assert keys.item_of("#s:x/p2", {"s"}) is None  # a positional key names no item
    assert keys.renamed("target:old/row", {"target:old": "target:new"}) == "target:new/row"


def test_a_key_part_never_holds_the_separator() -> None:
    assert keys.key("target", "x", "row") == "target:x/row"
    assert keys.key("annex") == "annex"
    assert keys.sub("goal:g", "point", 2) == "goal:g/point/2"
    assert keys.positional("s:x", "p3") == "#s:x/p3"
    for bad in (("target", "a/b"), ("target", ""), ("a:b", "x"), ("target", "x", "r/w")):
        with pytest.raises(ValueError):
            keys.key(*bad)


ADJUSTMENT = "Progressive global reduction"
ODD_LABEL = "Progressive  global\treduction"  # made-up test data: two spaces and a tab


@pytest.fixture()
def odd_label(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of 2028-2031 whose Appendix A adjustment label has two spaces and a tab, and the
    copy as it was."""
    before = tmp_path / "before" / "2028-2031"
    after = tmp_path / "plans" / "2028-2031"
    shutil.copytree(PLANS / "2028-2031", before)
    shutil.copytree(PLANS / "2028-2031", after)
    resources = after / "resources.yaml"
    yaml = YAML()
    data = yaml.load(resources)
    (adjustment,) = data["resources"]["adjustments"]
    assert adjustment["label"] == ADJUSTMENT
    adjustment["label"] = ODD_LABEL
    yaml.dump(data, resources)
    return before, after


def _rows(document: ir.Document) -> dict[str, ir.Row]:
    return {row.key: row for block in document.blocks if isinstance(block, ir.Table)
            for row in block.rows}


def test_an_adjustment_row_is_keyed_by_its_id_not_its_label(odd_label: tuple[Path, Path]
                                                           ) -> None:
    before, after = odd_label
    key = keys.key("resource", "progressive-global-reduction")
    assert key in _rows(render_document(before)) and key in _rows(render_document(after))
    merged = redline(before, after).document
    row = _rows(merged)[key]
    # The same row, its label changed in place: not a row deleted and another inserted.
    assert row.change is None
    assert any(r.change for c in row.cells for p in c.blocks for r in p.runs)


def test_an_amount_of_an_adjustment_with_an_odd_label_imports(odd_label: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    _, after = odd_label
    draft = render([after], tmp_path / "draft.docx").written[0]
    review = Review(draft.read_bytes())
    review.replace("-1 000", "-1 000", "-1 500")  # the adjustment of the first year
    reviewed = tmp_path / "reviewed.docx"
    reviewed.write_bytes(review.save())
    result = import_review(reviewed, after, f"{tmp_path / 'out'}/")
    (written,) = result.written
    (change,) = YAML(typ="safe").load(written.read_text(encoding="utf-8"))["changes"]
    assert change["modify"] == "resources/adjustments/progressive-global-reduction"
    assert change["field"] == "amounts" and change["value"][0] == -1500
