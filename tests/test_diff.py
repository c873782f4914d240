"""The redline: alignment, word diff, revisions, accept/reject round trips, change summary."""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from stratplan import ir
from stratplan.api import load_valid_plan, render_document
from stratplan.diagnostics import Severity
from stratplan.diff import (
    RedlineResult,
    accept_all,
    key_aliases,
    redline,
    reject_all,
    summary_json,
    summary_markdown,
    summary_text,
)
from stratplan.diff.align import align_blocks, longest_increasing
from stratplan.diff.words import diff_runs
from stratplan.keys import renamed
from stratplan.writers.docx import write_docx
from tests.conftest import PLANS, paragraph_texts, run_cli
from tests.ooxml import assert_valid
from tests.pages import misplaced_footnotes

CYCLES = ["2012-2015", "2020-2023", "2024-2027", "2028-2031"]
PAIRS = list(itertools.pairwise(CYCLES))


@cache
def document(cycle: str) -> ir.Document:
    return render_document(PLANS / cycle)


@cache
def compared(old: str, new: str) -> RedlineResult:
    _, old_plan = load_valid_plan(PLANS / old)
    _, new_plan = load_valid_plan(PLANS / new)
    return redline(document(old), document(new), key_aliases(old_plan, new_plan))


def runs_of(doc: ir.Document) -> list[ir.Run]:
    return [r for p in ir.iter_paragraphs(doc.blocks) for r in p.runs]


def all_rows(doc: ir.Document) -> list[ir.Row]:
    return [row for b in doc.blocks if isinstance(b, ir.Table) for row in b.rows]


def by_key(doc: ir.Document, key: str) -> list[ir.Paragraph]:
    return [p for p in ir.iter_paragraphs(doc.blocks) if p.key == key]


def marked(paragraph: ir.Paragraph) -> str:
    """The paragraph as text with [-deleted-] and {+inserted+} words (and its number, with a
    tab, where it has one)."""
    out = []
    if paragraph.number_was is not None:
        out.append(f"[-{paragraph.number_was}-]{{+{paragraph.number}+}}\t")
    elif paragraph.number:
        out.append(paragraph.number + "\t")
    for r in paragraph.runs:
        text = f"[^{r.footnote}]" if r.footnote else r.text
        out.append(f"[-{text}-]" if r.change == "del" else f"{{+{text}+}}" if r.change else text)
    return "".join(out)


# --- invariant 1: accept-all is the new document, reject-all the old ----------------------


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_accept_gives_new_and_reject_gives_old(old: str, new: str) -> None:
    """The redline compares final texts: a plan's own revisions (2028-2031's Chair's mission,
    shown as tracked changes to the base) are accepted on both sides."""
    merged = compared(old, new).document
    assert paragraph_texts(accept_all(merged)) == paragraph_texts(accept_all(document(new)))
    assert paragraph_texts(reject_all(merged)) == paragraph_texts(accept_all(document(old)))
    # the blocks and rows too, not only the text
    for side, plain in ((accept_all(merged), document(new)), (reject_all(merged), document(old))):
        assert [type(b).__name__ for b in side.blocks] == [type(b).__name__ for b in plain.blocks]
        assert [r.key for r in all_rows(side)] == [r.key for r in all_rows(plain)]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_merged_document_takes_new_metadata_and_needed_footnotes(old: str, new: str) -> None:
    merged = compared(old, new).document
    assert (merged.title, merged.subject, merged.date, merged.footer) == (
        document(new).title,
        document(new).subject,
        document(new).date,
        document(new).footer,
    )
    assert merged.revision_author == "stratplan"
    assert merged.revision_date == document(new).date
    ids = [f.id for f in merged.footnotes]
    assert ids[: len(document(new).footnotes)] == [f.id for f in document(new).footnotes]
    referenced = {r.footnote for r in runs_of(merged) if r.footnote}
    assert referenced <= set(ids)
    deleted_refs = {r.footnote for r in runs_of(merged) if r.footnote and r.change == "del"}
    assert set(ids) - {f.id for f in document(new).footnotes} <= deleted_refs


# --- invariant 3: a plan against itself -----------------------------------------------------


@pytest.mark.parametrize("cycle", CYCLES)
def test_plan_against_itself_has_no_revision(cycle: str) -> None:
    result = redline(document(cycle), document(cycle))
    # a plan's own revisions (a tracked alternative) are accepted: the redline has none
    plain = [replace(b, tracked=False, author=None) if isinstance(b, ir.Paragraph) else b
             for b in accept_all(document(cycle)).blocks]
    assert list(result.document.blocks) == plain
    assert not any(r.change for r in runs_of(result.document))
    assert not any(p.change for p in ir.iter_paragraphs(result.document.blocks))
    assert not any(r.change for r in all_rows(result.document))
    marks = {e.mark for e in result.changes.entries}
    assert marks == {"NOC"}
    assert set(result.changes.counts) == {"ADD", "MOD", "MOV", "NUM", "SUP", "NOC"}
    assert sum(result.changes.counts.values()) == result.changes.counts["NOC"] > 0


# --- invariant 4: renumbering ---------------------------------------------------------------


def test_renumbered_target_is_one_paragraph_with_its_number_changed() -> None:
    merged = compared("2024-2027", "2028-2031").document
    [target] = by_key(merged, "target:device-access")
    assert target.change is None
    assert (target.number_was, target.number) == ("1.4:", "1.3:")
    assert marked(target).startswith("[-1.4:-]{+1.3:+}\t")
    assert marked(target).endswith(
        "[-Ownership of-]{+Universal access to+} Internet-enabled devices"
    )
    # the deleted target before it is a whole deleted paragraph, not a pairing with device-access
    [household] = by_key(merged, "target:household-access")
    assert household.change == "del" and all(r.change == "del" for r in household.runs)
    # in the results table too: the row is kept, its number cell changes
    [cell] = by_key(merged, "target:device-access/row/text")
    assert (cell.number_was, cell.number) == ("1.4:", "1.3:")
    [row] = [r for r in all_rows(merged) if r.key == "target:device-access/row"]
    assert row.change is None
    # unchanged numbers stay where they were
    [first] = by_key(merged, "target:broadband-coverage")
    assert first.number == "1.1:" and not any(r.change for r in first.runs)


def test_paragraph_numbers_shift_as_number_changes() -> None:
    merged = compared("2024-2027", "2028-2031").document
    [para] = by_key(merged, "#s:overall-framework/p1")  # paragraph 7 became 8
    assert para.change is None
    assert marked(para).startswith("[-7-]{+8+}\tThe figure below outlines")
    [inserted] = by_key(merged, "#s:overview/p7")  # the new paragraph 7
    assert inserted.change == "ins" and inserted.number == ""
    assert inserted.runs[0] == ir.Run("7", change="ins")
    [same] = by_key(merged, "#s:overview/p6")
    assert same.number == "6" and not any(r.change for r in same.runs)
    # section numbers: "2.4" is unchanged, a heading keeps its number
    [heading] = by_key(merged, "s:goals")
    assert heading.number == "2.4"


# --- moves and renumbering in the change summary ---------------------------------------------

MOVED_OUTCOME = """
  - id: spectrum-monitoring
    priority: {priority}
    text: Spectrum monitoring capacity is strengthened
    indicators:
      - id: monitoring-stations
        text: Number of monitoring stations
        unit: stations
        data_source: BR
        baseline: {{year: 2024}}
"""


@cache
def moved_pair() -> tuple[ir.Document, ir.Document, RedlineResult]:
    """The example plan, then the same with target 1.2 moved to goal 2 and an outcome moved
    from the spectrum priority to the enabling-environment one."""
    from tests.conftest import EXAMPLE

    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for side, goal, priority in (("old", "connectivity", "spectrum"),
                                     ("new", "transformation", "inclusion")):
            folder = Path(tmp) / side
            shutil.copytree(EXAMPLE, folder)
            chain = folder / "chain.yaml"
            text = chain.read_text(encoding="utf-8")
            text = text.replace(
                "  - id: affordability  # Target 1.2\n    goal: connectivity",
                f"  - id: affordability  # Target 1.2\n    goal: {goal}",
            )
            text = text.replace(
                "\nresources:", MOVED_OUTCOME.format(priority=priority) + "\nresources:"
            )
            chain.write_text(text, encoding="utf-8")
            folders[side] = render_document(folder)
    old, new = folders["old"], folders["new"]
    return old, new, redline(old, new)


def test_moved_items_are_moves_and_marked_mov() -> None:
    """A target moved to another goal and an outcome moved to another priority were a deleted
    and an inserted item, and the summary called them MOD: they are moves (both ends named
    alike), marked MOV; a target only renumbered by the move is NUM, not MOD."""
    old, new, result = moved_pair()
    merged = result.document
    ends = [p for p in ir.iter_paragraphs(merged.blocks) if p.key == "target:affordability"]
    assert [(p.change, bool(p.move)) for p in ends] == [("del", True), ("ins", True)]
    assert ends[0].move == ends[1].move
    assert marked(ends[1]).startswith("{+2.1:+}{+\t+}Affordable connectivity for all")
    moved_rows = [r for r in all_rows(merged) if r.move]
    assert sorted((r.key, r.change) for r in moved_rows) == [
        ("outcome:spectrum-monitoring", "del"),
        ("outcome:spectrum-monitoring", "ins"),
        ("target:affordability/row", "del"),
        ("target:affordability/row", "ins"),
    ]
    assert len({r.move for r in moved_rows}) == 2
    names = [p.move for p in ends] + [r.move for r in moved_rows]
    assert all(re.fullmatch(r"move\d+", n) for n in names)
    assert result.changes.mark("target:affordability") == "MOV"
    assert result.changes.mark("outcome:spectrum-monitoring") == "MOV"
    assert result.changes.mark("target:skills") == "NUM"  # 2.1 -> 2.2, nothing else
    assert result.changes.mark("target:coverage") == "NOC"
    assert "NUM renumbered only" in summary_text(result.changes)
    assert "MOV moved" in summary_markdown(result.changes)
    assert json.loads(summary_json(result.changes))["marks"]["MOV"].startswith("moved")
    # accepting gives the new document, rejecting the old one
    assert paragraph_texts(accept_all(merged)) == paragraph_texts(new)
    assert paragraph_texts(reject_all(merged)) == paragraph_texts(old)


@pytest.mark.slow
def test_moves_are_word_moves_that_readers_accept_and_reject() -> None:
    """In the .docx: w:moveFrom / w:moveTo inside move ranges whose names pair the two ends,
    the moved text as w:t (moved, not deleted); accepting and rejecting (our reader of the XML,
    pandoc) give the new and the old document."""
    from lxml import etree

    old, new, result = moved_pair()
    data = write_docx(result.document)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    ns = {"w": W[1:-1]}
    sources = root.xpath("//w:moveFromRangeStart/@w:name", namespaces=ns)
    targets = root.xpath("//w:moveToRangeStart/@w:name", namespaces=ns)
    assert len(sources) == 3 and sorted(sources) == sorted(targets)
    starts = root.xpath("//w:moveFromRangeStart/@w:id|//w:moveToRangeStart/@w:id", namespaces=ns)
    ends = root.xpath("//w:moveFromRangeEnd/@w:id|//w:moveToRangeEnd/@w:id", namespaces=ns)
    assert sorted(starts) == sorted(ends) and len(set(starts)) == 6
    moved_text = "".join(root.xpath("//w:moveFrom//w:t/text()", namespaces=ns))
    assert "Affordable connectivity for all" in moved_text
    assert not root.xpath("//w:moveFrom//w:delText", namespaces=ns)
    assert "Spectrum monitoring" in "".join(root.xpath("//w:moveTo//w:t/text()", namespaces=ns))
    assert_valid(data)
    assert docx_paragraphs(data, "accept") == docx_paragraphs(write_docx(new), None)
    assert docx_paragraphs(data, "reject") == docx_paragraphs(write_docx(old), None)


@pytest.mark.tools("pandoc")
def test_pandoc_accepts_and_rejects_the_moves() -> None:
    old, new, result = moved_pair()
    data = write_docx(result.document)
    assert pandoc_plain(data, "accept") == pandoc_plain(write_docx(new))
    assert pandoc_plain(data, "reject") == pandoc_plain(write_docx(old))


@pytest.mark.slow
def test_changed_number_is_diffed_in_front_of_its_tab() -> None:
    """"1.5:" -> "1.4:" was the old number struck and the new one inserted side by side,
    "1.5:1.4:", which pushed the text to the next tab stop; it reads "1.[-5-]{+4+}:" then the
    tab, as in seed 004 ("1.54:")."""
    from stratplan.writers.docx.runs import number_change

    assert number_change("1.5:", "1.4:") == [("1.", None), ("5", "del"), ("4", "ins"), (":", None)]
    assert number_change("11", "10") == [("11", "del"), ("10", "ins")]
    assert number_change("3)", "8)") == [("3", "del"), ("8", "ins"), (")", None)]
    from lxml import etree

    data = docx_of("redline", "2024-2027", "2028-2031")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for p in root.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t", W + "delText"))
        if text.startswith("1.43:") and "Internet-enabled devices" in text:
            pieces = [(x.tag.split("}")[1], "".join(x.itertext())) for x in p
                      if x.tag in (W + "r", W + "ins", W + "del")][:5]
            assert pieces[:4] == [("r", "1."), ("del", "4"), ("ins", "3"), ("r", ":")]
            assert p.find(f"{W}r/{W}tab") is not None
            break
    else:
        raise AssertionError("target 1.3 (was 1.4) not found")


# --- an alternative shown as tracked changes against its base ----------------------------------


def test_tracked_alternative_is_changes_to_its_base_by_its_source() -> None:
    """Seed 004 line 64: the CWG-SFP Chair's mission inserts "trusted" and "digital" into the
    base mission; it could only be stored as final text. With `tracked: true` it is shown as
    revisions by the Chair against the base, and accepting them gives the final wording."""
    doc = document("2028-2031")
    [base] = by_key(doc, "mission")
    [alt] = by_key(doc, "mission/alt1")
    assert alt.author == "CWG-SFP Chair" and alt.tracked
    text = marked(alt)
    assert text.startswith("[CWG-SFP Chair] ")
    assert "universal {+trusted +}access" in text and "{+digital +}services" in text
    assert "[-development-]{+prosperity+}" in text
    accepted = "".join(r.text for r in alt.runs if r.change != "del")
    rejected = "".join(r.text for r in alt.runs if r.change != "ins")
    _, plan = load_valid_plan(PLANS / "2028-2031")
    assert plan.mission is not None
    assert accepted == "[CWG-SFP Chair] " + plan.mission.alternatives[0].text
    assert rejected == "[CWG-SFP Chair] " + base.text
    # in Word: revisions by the Chair, dated as the document
    from lxml import etree

    xml = zipfile.ZipFile(io.BytesIO(docx_of("plain", "2028-2031"))).read("word/document.xml")
    authors = set(etree.fromstring(xml).xpath("//w:ins/@w:author|//w:del/@w:author",
                                               namespaces={"w": W[1:-1]}))
    assert authors == {"CWG-SFP Chair"}


# --- table rows: groups under one merged label ----------------------------------------------


def table_of(doc: ir.Document, key: str) -> ir.Table:
    [table] = [b for b in doc.blocks if isinstance(b, ir.Table) and b.key == key]
    return table


def test_inserted_rows_of_a_group_follow_its_kept_rows() -> None:
    """Table B: the outcomes 3)-8) the infrastructure priority gains came after the deleted
    "Digital applications" rows, under the struck label; seed 004 puts them right after its
    outcome 2), then the infrastructure outcomes it loses, then the next priority."""
    rows = table_of(compared("2024-2027", "2028-2031").document, "outcomes-table").rows
    keys = [r.key for r in rows]
    start = keys.index("outcome:radiocommunication-use") + 1
    run = [(rows[i].change, ir.cell_at(rows[i], 0).merge) for i in range(start, start + 11)]
    infrastructure = "priority:infrastructure"
    assert run == [("ins", infrastructure)] * 6 + [("del", infrastructure)] * 5
    applications = [r for r in rows if ir.cell_at(r, 0).merge == "priority:applications"]
    assert [r.change for r in applications] == ["ins"] * 4 + ["del"] * 3
    assert keys.index(applications[0].key) == start + 11


@pytest.mark.parametrize(
    ("table", "group", "label"),
    [
        (
            "targets-table",
            "goal:sustainable-digital-transformation",
            "Sustainable Digital Transformation",
        ),
        ("outcomes-table", "priority:applications", "Digital applications"),
    ],
)
def test_group_label_is_one_merged_cell_not_churned(table: str, group: str, label: str) -> None:
    """When a group's first row is deleted (Goal 2's target 2.1) or all its rows are replaced
    (Digital applications), its label was struck in that row and inserted in the next; it is
    written once, unchanged, in the first row of the group, merged down its rows."""
    rows = table_of(compared("2024-2027", "2028-2031").document, table).rows
    cells = [ir.cell_at(r, 0) for r in rows if ir.cell_at(r, 0).merge == group]
    assert len(cells) > 1
    assert [marked(p) for p in cells[0].blocks] == [label]
    assert all(not c.blocks for c in cells[1:])
    assert all(c.merge == group for c in cells)
    # accept and reject both keep the label, in the group's first row on each side
    for side, plain in ((accept_all, "2028-2031"), (reject_all, "2024-2027")):
        resolved = table_of(side(compared("2024-2027", "2028-2031").document), table)
        assert grid_texts(resolved) == grid_texts(table_of(document(plain), table))


def grid_texts(table: ir.Table) -> list[tuple[str, list[list[str]]]]:
    """Each row's key and the texts of its cells' paragraphs (numbers included)."""
    def text(p: ir.Paragraph) -> str:
        return (p.number + "\t" if p.number else "") + "".join(r.text for r in p.runs)

    return [(r.key, [[text(p) for p in c.blocks] for c in r.cells]) for r in table.rows]


# --- invariant 5: revision sanity -----------------------------------------------------------


def check_revisions(doc: ir.Document) -> None:
    for block in doc.blocks:
        if isinstance(block, ir.Table):
            for row in block.rows:
                assert row.change in (None, "ins", "del")
                for cell in row.cells:
                    for p in cell.blocks:
                        # a group label merged down its rows is the group's, not the row's
                        if row.change and not cell.merge:
                            assert p.change == row.change, (row.key, p.key)
                        check_paragraph(p)
        else:
            check_paragraph(block)


def check_paragraph(p: ir.Paragraph) -> None:
    assert p.change in (None, "ins", "del")
    for run in p.runs:
        assert run.change in (None, "ins", "del")
        if run.change:
            assert run.text or run.footnote, f"empty revision run in {p.key}"
    if p.change:
        # no inserted run in a deleted paragraph and no deleted one in an inserted paragraph
        assert all(r.change == p.change for r in p.runs), p.key
        assert p.number == "", f"the number of a whole {p.change} paragraph is in its runs"
        if p.change == "del":
            assert p.comments == ()


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_revision_sanity(old: str, new: str) -> None:
    merged = compared(old, new).document
    check_revisions(merged)
    for table in (b for b in merged.blocks if isinstance(b, ir.Table)):
        widths = {sum(c.span for c in r.cells) for r in table.rows}
        live = {sum(c.span for c in r.cells) for r in table.rows if r.change != "del"}
        assert len(live) <= 1 or len(widths) <= 2, table.key
    # every revision carries the author and date of the document
    assert merged.revision_date and merged.revision_author


def test_no_one_letter_islands() -> None:
    merged = compared("2024-2027", "2028-2031").document
    for p in ir.iter_paragraphs(merged.blocks):
        for i, run in enumerate(p.runs[1:-1], 1):
            if run.change is None and re.fullmatch(r"\w", run.text):
                before, after = p.runs[i - 1].change, p.runs[i + 1].change
                assert not (before and after), f"one-letter island in {p.key}: {marked(p)}"
        # whole words only: a revision never starts or ends inside a word
        for left, right in zip(p.runs, p.runs[1:], strict=False):
            if (
                (left.change is None) != (right.change is None)
                and left.text
                and right.text
                and not (left.footnote or right.footnote)
            ):
                words = left.text[-1:] + right.text[:1]
                assert not re.fullmatch(r"\w\w", words), f"word cut in {p.key}: {marked(p)}"


# --- alignment ------------------------------------------------------------------------------


def para(key: str, text: str, number: str = "") -> ir.Paragraph:
    return ir.Paragraph(key, "body", (ir.Run(text),), number=number)


def test_longest_increasing_subsequence() -> None:
    assert longest_increasing([]) == []
    seq = [3, 0, 4, 1, 5, 2, 6]
    picked = [seq[i] for i in longest_increasing(seq)]
    assert picked == sorted(picked) and len(picked) == 4


def test_moved_keyed_item_is_a_deletion_and_an_insertion() -> None:
    old = [para("a", "alpha"), para("b", "beta"), para("c", "gamma")]
    new = [para("b", "beta"), para("c", "gamma"), para("a", "alpha")]
    pairs = align_blocks(old, new)
    assert [(o.key if o else None, n.key if n else None) for o, n in pairs] == [
        ("a", None),
        ("b", "b"),
        ("c", "c"),
        (None, "a"),
    ]


def test_positional_paragraphs_align_by_content() -> None:
    light_old = "The Union will work together to deliver outcomes for all its members."
    light_new = "The Union will work together to deliver results for all its members."
    old = [
        para("s:x", "Heading"),
        para("#1", light_old),
        para("#2", "Completely different old wording about budgets and finance."),
        para("#3", "A paragraph that stays."),
    ]
    new = [
        para("s:x", "Heading"),
        para("#1", "An inserted paragraph on spectrum."),
        para("#2", light_new),
        para("#3", "Rewritten text on cybersecurity preparedness of countries."),
        para("#4", "A paragraph that stays."),
    ]
    pairs = [
        (o.text if isinstance(o, ir.Paragraph) else None,
         n.text if isinstance(n, ir.Paragraph) else None)
        for o, n in align_blocks(old, new)
    ]
    assert ("Heading", "Heading") in pairs
    assert (light_old, light_new) in pairs  # lightly edited: one modified paragraph
    assert ("A paragraph that stays.", "A paragraph that stays.") in pairs
    # rewritten: a deletion plus an insertion
    assert ("Completely different old wording about budgets and finance.", None) in pairs
    assert (None, "Rewritten text on cybersecurity preparedness of countries.") in pairs


def test_keyed_blocks_do_not_pair_by_content() -> None:
    old = [para("target:a", "Universal broadband coverage")]
    new = [para("target:b", "Universal broadband coverage")]
    assert align_blocks(old, new) == [(old[0], None), (None, new[0])]
    # unless lineage says that b replaces a
    assert align_blocks(old, new, {"target:a": "target:b"}) == [(old[0], new[0])]


def test_tables_with_other_columns_are_replaced_whole() -> None:
    def table(cols: int) -> ir.Table:
        cells = tuple(ir.Cell((para(f"#c{i}", f"cell {i}"),)) for i in range(cols))
        return ir.Table("t", (ir.Row("t:r1", cells),))

    old = ir.Document("T", "S", "2024-01-01", blocks=(table(2),))
    new = ir.Document("T", "S", "2028-01-01", blocks=(table(3),))
    merged = redline(old, new).document
    assert [r.change for b in merged.blocks if isinstance(b, ir.Table) for r in b.rows] == [
        "del",
        "ins",
    ]
    assert paragraph_texts(accept_all(merged)) == paragraph_texts(new)
    assert paragraph_texts(reject_all(merged)) == paragraph_texts(old)


# --- lineage --------------------------------------------------------------------------------


def test_key_aliases_follow_replaces() -> None:
    _, old = load_valid_plan(PLANS / "2020-2023")
    _, new = load_valid_plan(PLANS / "2024-2027")
    aliases = key_aliases(old, new)
    # broadband-coverage replaces two old targets: aligned with the first, the other deleted
    assert aliases["target:broadband-population-coverage"] == "target:broadband-coverage"
    # Every block of an item is keyed <kind>:<id>[/part], so one alias serves them all.
    assert renamed("target:broadband-population-coverage/row/text", aliases) == (
        "target:broadband-coverage/row/text"
    )
    assert "target:fast-broadband-subscriptions" not in aliases
    assert len(set(aliases.values())) == len(aliases)  # one old item per new key
    # 2020-2023 lists its targets in a one-column table, 2024-2027 in text and a three-column
    # table: the blocks cannot pair, but the change list counts the replacement as a change
    assert compared("2020-2023", "2024-2027").changes.mark("target:broadband-coverage") == "MOD"
    assert compared("2020-2023", "2024-2027").changes.mark(
        "target:fast-broadband-subscriptions"
    ) == ("SUP")


# --- word diff ------------------------------------------------------------------------------


def test_word_diff_keeps_formatting_and_footnotes() -> None:
    old = (ir.Run("Goal 1: ", bold=True), ir.Run("Universal access to the Internet"))
    new = (
        ir.Run("Goal 1: ", bold=True),
        ir.Run("Universal Internet use"),
        ir.Run("", footnote="fn1"),
        ir.Run("."),
    )
    runs = diff_runs(old, new)
    assert runs[0] == ir.Run("Goal 1: ", bold=True)
    assert ir.Run("", footnote="fn1", change="ins") in runs
    kept = "".join(r.text for r in runs if r.change != "del" and not r.footnote)
    gone = "".join(r.text for r in runs if r.change != "ins" and not r.footnote)
    assert kept == "Goal 1: Universal Internet use."
    assert gone == "Goal 1: Universal access to the Internet"
    # whole words only: "Internet" is never split into "Inter" + "net"
    assert all(re.fullmatch(r"[\w\s.:]*", r.text) for r in runs)
    assert not any(r.change and r.text in {"I", "n", "t"} for r in runs)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("TP2 3 343 in all", "TP2 3 400 in all", "TP2 [-3 343-]{+3 400+} in all"),
        ("share 36,07%", "share 36,23%", "share [-36,07%-]{+36,23%+}"),
        ("was -1 000 then", "was -1 605 then", "was [--1 000-]{+-1 605+} then"),
        ("in 2024-2025", "in 2024-2026", "in 2024-[-2025-]{+2026+}"),
    ],
)
def test_word_diff_replaces_a_changed_figure_whole(old: str, new: str, expected: str) -> None:
    """Appendix A figures: "3 343" -> "3 400" was shown as "3 [-343-]{+400+}" and "36,07%" ->
    "36,23%" as "36,[-07-]{+23+}%"; a changed figure is struck and replaced whole."""
    merged = ir.Paragraph("p", "body", diff_runs((ir.Run(old),), (ir.Run(new),)))
    assert marked(merged) == expected


def test_redline_of_appendix_a_replaces_figures_whole(tmp_path: Path) -> None:
    folder = tmp_path / "2028-2031"
    shutil.copytree(PLANS / "2028-2031", folder)
    resources = folder / "resources.yaml"
    text = resources.read_text(encoding="utf-8")
    assert "        - 3343\n" in text
    resources.write_text(text.replace("        - 3343\n", "        - 3400\n", 1), encoding="utf-8")
    merged = redline(document("2028-2031"), render_document(folder)).document
    cells = [
        marked(p)
        for row in all_rows(merged)
        if row.key.startswith("resource:")
        for cell in row.cells
        for p in cell.blocks
        if any(r.change for r in p.runs)
    ]
    assert "[-3 343-]{+3 400+}" in cells  # TP2, 2024
    assert "[-6 586-]{+6 643+}" in cells  # its biennium
    assert "[-2,02%-]{+2,03%+}" in cells  # its share of the total
    # every changed cell is one figure struck and one inserted, never digits inside a figure
    assert all(re.fullmatch(r"\[-[^\]]+-\]\{\+[^}]+\+\}", c) for c in cells), cells


def test_word_diff_of_equal_runs_has_no_revision() -> None:
    runs = (ir.Run("Same "), ir.Run("text", italic=True))
    assert diff_runs(runs, runs) == runs


# --- summary --------------------------------------------------------------------------------


def test_summary_marks_items_by_section() -> None:
    result = compared("2024-2027", "2028-2031")
    changes = result.changes
    assert changes.mark("target:device-access") == "MOD"
    assert changes.mark("target:household-access") == "SUP"
    assert changes.mark("target:cybersecurity-preparedness") == "ADD"
    assert changes.mark("target:broadband-coverage") == "MOD"  # its indicator changed
    assert changes.mark("priority:spectrum") == "NOC"
    assert changes.mark("s:goals") == "NOC"
    section = next(s for s in changes.sections if s.key == "s:targets")
    assert "target:device-access" in [e.key for e in section.entries]
    assert section.counts["SUP"] == 3 and section.counts["ADD"] == 1
    keys = [e.key for e in changes.entries]
    assert len(keys) == len(set(keys))
    totals = Counter[str]()
    for s in changes.sections:
        totals.update(s.counts)
    assert dict(totals) == changes.counts
    data = json.loads(summary_json(changes))
    assert data["counts"] == changes.counts
    assert any(
        e["key"] == "target:household-access" for s in data["sections"] for e in s["entries"]
    )
    text = summary_text(changes, changed_only=True)
    assert "SUP  target:household-access" in text and "NOC  priority:spectrum" not in text
    markdown = summary_markdown(changes)
    assert "| SUP | `target:household-access` |" in markdown


# --- the written .docx: w:ins / w:del read back, pandoc, LibreOffice ------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraphs(data: bytes, action: str | None) -> list[str]:
    """Paragraph texts of a .docx's body, with revisions accepted ("accept"), rejected
    ("reject") or absent (None): w:ins/w:del runs, paragraph-mark and row revisions."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        notes = {}  # footnote number -> its text: numbers follow the first references
        if "word/footnotes.xml" in archive.namelist():
            for note in etree.fromstring(archive.read("word/footnotes.xml")):
                texts = note.iter(W + "t", W + "delText")
                notes[note.get(W + "id")] = "".join(t.text or "" for t in texts).strip()
    # what accepting (rejecting) removes: deletions and moved-from text (insertions, moved-to)
    gone = {"accept": W + "del", "reject": W + "ins"}.get(action or "", "")
    moved = {"accept": W + "moveFrom", "reject": W + "moveTo"}.get(action or "", "")
    out: list[str] = []

    def text_of(p: etree._Element) -> str:
        parts = []
        for node in p.iter(W + "t", W + "delText", W + "tab", W + "footnoteReference"):
            ancestors = {a.tag for a in node.iterancestors()}
            if gone and (gone in ancestors or moved in ancestors):
                continue
            if node.tag == W + "tab":
                if W + "tabs" not in ancestors:
                    parts.append("\t")
            elif node.tag == W + "footnoteReference":
                parts.append(f"[^{notes.get(node.get(W + 'id'))}]")
            else:
                parts.append(node.text or "")
        return "".join(parts)

    def mark_gone(p: etree._Element) -> bool:
        marks = (f"{W}pPr/{W}rPr/{gone}", f"{W}pPr/{W}rPr/{moved}")
        return bool(gone) and any(p.find(m) is not None for m in marks)

    def container(element: etree._Element) -> None:
        carry = ""
        for child in element:
            if child.tag == W + "p":
                if not len(child):
                    continue  # the writer's bare separator between two tables
                text = carry + text_of(child)
                if mark_gone(child):
                    carry = text  # the paragraph mark is gone: joins the next paragraph
                    continue
                carry = ""
                out.append(text)
            elif child.tag == W + "tbl":
                # A cell merged down (w:vMerge) keeps its text when the row holding it goes:
                # the next row of the merge that stays shows it.
                pending: dict[int, etree._Element] = {}
                for row in child.iter(W + "tr"):
                    removed = bool(gone) and row.find(f"{W}trPr/{gone}") is not None
                    column = 0
                    for cell in row.findall(W + "tc"):
                        props = cell.find(W + "tcPr")
                        merge = props.find(W + "vMerge") if props is not None else None
                        span = props.find(W + "gridSpan") if props is not None else None
                        here = column
                        column += int(span.get(W + "val")) if span is not None else 1
                        if merge is not None and merge.get(W + "val") == "restart":
                            pending.pop(here, None)
                            if removed:
                                pending[here] = cell
                                continue
                        elif merge is not None and not removed and here in pending:
                            container(pending.pop(here))
                            continue
                        if not removed:
                            container(cell)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    container(content)
        if carry:
            out.append(carry)

    container(root.find(W + "body"))
    return out


@cache
def docx_of(kind: str, old: str, new: str = "") -> bytes:

    if kind == "plain":
        return bytes(write_docx(document(old)))
    return bytes(write_docx(compared(old, new).document))


@pytest.mark.parametrize(("old", "new"), PAIRS)
@pytest.mark.slow
def test_docx_revisions_accept_and_reject(old: str, new: str) -> None:
    data = docx_of("redline", old, new)
    assert re.search(
        rb"<w:ins |<w:del ", zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    )
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    stamps = set(re.findall(rb'<w:(?:ins|del) w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml))
    assert stamps == {(b"stratplan", document(new).date.encode() + b"T00:00:00Z")}, stamps
    # the plans' own revisions (a tracked alternative) accepted on both sides
    assert docx_paragraphs(data, "accept") == docx_paragraphs(docx_of("plain", new), "accept")
    assert docx_paragraphs(data, "reject") == docx_paragraphs(docx_of("plain", old), "accept")


@pytest.mark.parametrize(("old", "new"), PAIRS)
@pytest.mark.slow
def test_redline_passes_the_schema_check(old: str, new: str) -> None:
    assert_valid(docx_of("redline", old, new))


@pytest.mark.tools("soffice", "pdftotext")
@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_redline_prints_each_footnote_where_its_reference_is(old: str, new: str) -> None:
    """In LibreOffice's PDF of the redline, deleted references and their struck footnotes
    included: the footnote under each reference is its own (2012-2015 -> 2020-2023 and
    2020-2023 -> 2024-2027 cite the [non-discriminatory] footnote twice)."""
    assert misplaced_footnotes(docx_of("redline", old, new)) == []


def test_docx_of_plan_against_itself_has_no_revision() -> None:

    data = write_docx(redline(document("2028-2031"), document("2028-2031")).document)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml


def _is_empty(blocks: list[Any]) -> bool:
    return all(b["t"] in ("Para", "Plain") and not b["c"] for b in blocks)


def _without_empty(value: Any) -> Any:
    """Pandoc's AST without what pandoc 2.17 leaves of revisions it does not implement:
    a row whose w:trPr carries w:ins/w:del (kept, emptied) and a list item whose paragraph
    mark is inserted/deleted (kept, emptied). Applied to both sides of every comparison."""
    if isinstance(value, list):
        out = [_without_empty(v) for v in value]
        return [v for v in out if v is not _DROP]
    if not isinstance(value, dict) or "t" not in value:
        return value
    kind, c = value["t"], value.get("c")
    c = c if c is not None else []
    if kind in ("Para", "Plain") and not c:
        return _DROP
    if kind == "BulletList" or kind == "OrderedList":
        items = c if kind == "BulletList" else c[1]
        items = [i for i in (_without_empty(i) for i in items) if not _is_empty(i)]
        if not items:
            return _DROP
        return {"t": kind, "c": items if kind == "BulletList" else [c[0], items]}
    if kind == "Table":
        # A table as the sequence of its non-empty cells, row by row: a deleted or inserted row
        # stays as an empty row, and a group label merged down its rows (a cell spanning rows)
        # stays in a deleted first row, where Word moves it to the next row of the group.
        _attr, _caption, _colspecs, head, bodies, _foot = c
        rows = [*head[1], *(r for b in bodies for r in (*b[2], *b[3]))]
        cells = [_without_empty(cell[4]) for _, row in rows for cell in row]
        blocks = [block for cell in cells if not _is_empty(cell) for block in cell]
        if not blocks:
            return _DROP
        return {"t": "Div", "c": [["", ["table"], []], blocks]}
    return {**value, "c": _without_empty(c)} if "c" in value else value


_DROP = object()


@cache
def pandoc_plain(data: bytes, track: str | None = None) -> str:
    """`pandoc -t plain` of a .docx (revisions accepted or rejected with `track`)."""
    args = ["pandoc", "-f", "docx", "-t", "json"]
    if track:
        args.append(f"--track-changes={track}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.docx"
        path.write_bytes(data)
        ast = subprocess.run([*args, str(path)], capture_output=True, check=True, timeout=60).stdout
    tree = json.loads(ast)
    tree["blocks"] = _without_empty(tree["blocks"])
    return subprocess.run(
        ["pandoc", "-f", "json", "-t", "plain", "--wrap=none"],
        input=json.dumps(tree).encode(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()


@pytest.mark.tools("pandoc")
@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_pandoc_accept_and_reject(old: str, new: str) -> None:
    data = docx_of("redline", old, new)
    accepted, rejected = pandoc_plain(data, "accept"), pandoc_plain(data, "reject")
    assert accepted == pandoc_plain(docx_of("plain", new))
    assert rejected == pandoc_plain(docx_of("plain", old))
    assert len(accepted) > 10_000 and accepted != rejected


@pytest.mark.tools("soffice")
def test_libreoffice_opens_the_redline(tmp_path: Path) -> None:
    source = tmp_path / "redline-2024-2027-2028-2031.docx"
    source.write_bytes(docx_of("redline", "2024-2027", "2028-2031"))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = source.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


# --- who and when: the revisions' author and date ---------------------------------------------


def _pair(tmp_path: Path, config: str | None = None) -> tuple[Path, Path]:
    """The 2024-2027 and 2028-2031 plans in a project folder, with `config` as its
    pyproject.toml (none: no [tool.stratplan], so nothing above the copy applies)."""
    root = tmp_path / "project"
    for cycle in ("2024-2027", "2028-2031"):
        shutil.copytree(PLANS / cycle, root / "plans" / cycle)
    if config is not None:
        (root / "pyproject.toml").write_text(config, encoding="utf-8")
    return root / "plans" / "2024-2027", root / "plans" / "2028-2031"


def _stamps(docx: Path) -> set[tuple[str, str]]:
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    return set(re.findall(r'<w:(?:ins|del) w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml))


def test_revisions_by_default_are_dated_in_the_past_with_a_warning(tmp_path: Path) -> None:
    from stratplan.api import diff

    old, new = _pair(tmp_path)
    out = diff(old, new, tmp_path / "r.docx")
    # The 2028-2031 draft has no plan.date: not 1 January 2028 (its future), but the first day
    # of the cycle it is drafted in.
    assert _stamps(tmp_path / "r.docx") == {("stratplan", "2024-01-01T00:00:00Z")}
    [warning] = out.diagnostics
    assert warning.code == "SP014" and warning.severity is Severity.WARNING
    assert "by 'stratplan' and dated 2024-01-01" in warning.message
    assert "--author and --date" in warning.hint and "revision-author" in warning.hint


@pytest.mark.slow
def test_revisions_take_author_and_date_from_options_or_config(tmp_path: Path) -> None:
    from stratplan.api import diff

    old, new = _pair(tmp_path, '[tool.stratplan]\nrevision-author = "CWG-SFP Secretariat"\n'
                               'revision-date = "2026-02-01"\n')
    out = diff(old, new, tmp_path / "config.docx")
    assert out.diagnostics == []
    assert _stamps(tmp_path / "config.docx") == {
        ("CWG-SFP Secretariat", "2026-02-01T00:00:00Z")
    }
    out = diff(old, new, tmp_path / "options.docx", author="ITU", date="2025-11-30")
    assert _stamps(tmp_path / "options.docx") == {("ITU", "2025-11-30T00:00:00Z")}
    # Only the author set: the warning is about the date alone.
    old2, new2 = _pair(tmp_path / "b", '[tool.stratplan]\nrevision-author = "ITU"\n')
    [warning] = diff(old2, new2, tmp_path / "author.docx").diagnostics
    assert warning.message.startswith("the revisions are dated 2024-01-01")


@pytest.mark.slow
def test_revision_date_today_is_the_clock_only_when_asked(tmp_path: Path) -> None:
    import datetime as dt

    old, new = _pair(tmp_path)
    proc = run_cli("diff", str(old), str(new), "-o", str(tmp_path / "t.docx"),
                   "--author", "ITU", "--date", "today")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # both set: no warning
    assert _stamps(tmp_path / "t.docx") == {("ITU", f"{dt.date.today().isoformat()}T00:00:00Z")}
    proc = run_cli("diff", str(old), str(new), "-o", str(tmp_path / "d.docx"))
    assert "warning SP014" in proc.stderr
    bad = _pair(tmp_path / "bad", '[tool.stratplan]\nrevision-date = "soon"\n')
    proc = run_cli("diff", str(bad[0]), str(bad[1]), "-o", str(tmp_path / "x.docx"))
    assert proc.returncode == 2 and "revision-date" in proc.stderr
