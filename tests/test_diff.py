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
from stratplan.diff.align import align_blocks, longest_increasing, resolve_key
from stratplan.diff.review import paragraph_texts
from stratplan.diff.words import diff_runs
from stratplan.writers.docx import write_docx
from tests.conftest import PLANS, run_cli

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
    """The paragraph as text with [-deleted-] and {+inserted+} words."""
    out = []
    for r in paragraph.runs:
        text = f"[^{r.footnote}]" if r.footnote else r.text
        out.append(f"[-{text}-]" if r.change == "del" else f"{{+{text}+}}" if r.change else text)
    return "".join(out)


# --- invariant 1: accept-all is the new document, reject-all the old ----------------------


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_accept_gives_new_and_reject_gives_old(old: str, new: str) -> None:
    merged = compared(old, new).document
    assert paragraph_texts(accept_all(merged)) == paragraph_texts(document(new))
    assert paragraph_texts(reject_all(merged)) == paragraph_texts(document(old))
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
    assert result.document.blocks == document(cycle).blocks
    assert not any(r.change for r in runs_of(result.document))
    assert not any(p.change for p in ir.iter_paragraphs(result.document.blocks))
    assert not any(r.change for r in all_rows(result.document))
    marks = {e.mark for e in result.changes.entries}
    assert marks == {"NOC"}
    assert set(result.changes.counts) == {"ADD", "MOD", "SUP", "NOC"}
    assert sum(result.changes.counts.values()) == result.changes.counts["NOC"] > 0


# --- invariant 4: renumbering ---------------------------------------------------------------


def test_renumbered_target_is_one_paragraph_with_its_number_changed() -> None:
    merged = compared("2024-2027", "2028-2031").document
    [target] = by_key(merged, "target:device-access")
    assert target.change is None and target.number == ""
    assert target.runs[:3] == (
        ir.Run("1.4:", change="del"),
        ir.Run("1.3:", change="ins"),
        ir.Run("\t"),
    )
    assert marked(target).endswith(
        "[-Ownership of-]{+Universal access to+} Internet-enabled devices"
    )
    # the deleted target before it is a whole deleted paragraph, not a pairing with device-access
    [household] = by_key(merged, "target:household-access")
    assert household.change == "del" and all(r.change == "del" for r in household.runs)
    # in the results table too: the row is kept, its number cell changes
    [cell] = by_key(merged, "target:device-access/row/text")
    assert cell.runs[:2] == (ir.Run("1.4:", change="del"), ir.Run("1.3:", change="ins"))
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


# --- invariant 5: revision sanity -----------------------------------------------------------


def check_revisions(doc: ir.Document) -> None:
    for block in doc.blocks:
        if isinstance(block, ir.Table):
            for row in block.rows:
                assert row.change in (None, "ins", "del")
                for cell in row.cells:
                    for p in cell.blocks:
                        if row.change:
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
    assert resolve_key("target:broadband-population-coverage/row/text", aliases) == (
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
    gone = {"accept": W + "del", "reject": W + "ins"}.get(action or "", "")
    out: list[str] = []

    def text_of(p: etree._Element) -> str:
        parts = []
        for node in p.iter(W + "t", W + "delText", W + "tab", W + "footnoteReference"):
            ancestors = {a.tag for a in node.iterancestors()}
            if gone and gone in ancestors:
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
        return bool(gone) and p.find(f"{W}pPr/{W}rPr/{gone}") is not None

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
                for row in child.iter(W + "tr"):
                    if gone and row.find(f"{W}trPr/{gone}") is not None:
                        continue
                    for cell in row.findall(W + "tc"):
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
def test_docx_revisions_accept_and_reject(old: str, new: str) -> None:
    data = docx_of("redline", old, new)
    assert re.search(
        rb"<w:ins |<w:del ", zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    )
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    stamps = set(re.findall(rb'<w:(?:ins|del) w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml))
    assert stamps == {(b"stratplan", document(new).date.encode() + b"T00:00:00Z")}
    assert docx_paragraphs(data, "accept") == docx_paragraphs(docx_of("plain", new), None)
    assert docx_paragraphs(data, "reject") == docx_paragraphs(docx_of("plain", old), None)


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
        attr, caption, colspecs, head, bodies, foot = c

        def rows(rs: list[Any]) -> list[Any]:
            rs = [[a, [[*cell[:4], _without_empty(cell[4])] for cell in cells]] for a, cells in rs]
            return [r for r in rs if not all(_is_empty(cell[4]) for cell in r[1])]

        head = [head[0], rows(head[1])]
        bodies = [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies]
        if not head[1] and not any(b[2] or b[3] for b in bodies):
            return _DROP
        colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in colspecs]
        return {"t": kind, "c": [attr, caption, colspecs, head, bodies, foot]}
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


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")
@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_pandoc_accept_and_reject(old: str, new: str) -> None:
    data = docx_of("redline", old, new)
    accepted, rejected = pandoc_plain(data, "accept"), pandoc_plain(data, "reject")
    assert accepted == pandoc_plain(docx_of("plain", new))
    assert rejected == pandoc_plain(docx_of("plain", old))
    assert len(accepted) > 10_000 and accepted != rejected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
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
