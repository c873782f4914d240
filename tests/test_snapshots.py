"""Golden snapshots of what each real plan renders to (its document IR as text) and of each
consecutive redline's change summary, so that a layout change shows in review as a text diff.
`pytest tests/test_snapshots.py --update-snapshots` rewrites them."""

from __future__ import annotations

import itertools

import pytest

from stratplan import ir
from stratplan.api import redline, render_document
from stratplan.diff import summary_text
from tests.conftest import PLANS, Snapshot

CYCLES = sorted(p.name for p in PLANS.iterdir() if p.is_dir())


def _merged(runs: tuple[ir.Run, ...]) -> list[ir.Run]:
    """Adjacent runs of one format as one (a run that only records which field it shows is
    split from its neighbours, but reads the same)."""
    out: list[ir.Run] = []
    for run in runs:
        last = out[-1] if out else None
        if last is not None and run.footnote is None and last.footnote is None and (
                last.bold, last.italic, last.change) == (run.bold, run.italic, run.change):
            out[-1] = ir.Run(last.text + run.text, run.bold, run.italic, change=run.change)
        else:
            out.append(run)
    return out


def _runs(runs: tuple[ir.Run, ...]) -> str:
    out = []
    for run in _merged(runs):
        if run.footnote is not None:
            text = f"[^{run.footnote}]"
        else:
            text = run.text
            if run.bold:
                text = f"**{text}**"
            if run.italic:
                text = f"_{text}_"
        marks = {"ins": "{+" + text + "+}", "del": "{-" + text + "-}"}
        out.append(marks.get(run.change or "", text))
    return "".join(out).replace("\n", "\\n").replace("\t", "\\t")


def _paragraph(p: ir.Paragraph, indent: str) -> list[str]:
    attrs = [p.style, p.key]
    if p.number:
        attrs.append(f"#{p.number}")
    if p.list_kind:
        attrs.append(f"{p.list_kind}{p.level}")
    if p.align:
        attrs.append(p.align)
    if p.page_break_before:
        attrs.append("page-break")
    if p.change:
        attrs.append(p.change)
    lines = [f"{indent}p {' '.join(attrs)}: {_runs(p.runs)}"]
    lines += [f"{indent}  comment {c.author} {c.date}: {c.text}" for c in p.comments]
    return lines


def dump(document: ir.Document) -> str:
    """The IR as text: one line per paragraph, tables as rows of cells."""
    lines = [f"document {document.title!r} {document.date} footer={document.footer!r}"]
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            lines += _paragraph(block, "")
            continue
        widths = ",".join(map(str, block.widths))
        lines.append(f"table {block.key} widths={widths} borders={block.borders}")
        for row in block.rows:
            flags = " header" * row.header + (f" {row.change}" if row.change else "")
            lines.append(f"  row {row.key}{flags}")
            for cell in row.cells:
                span = f" span={cell.span}" if cell.span > 1 else ""
                merge = f" merge={cell.merge}" if cell.merge else ""
                lines.append(f"    cell{span}{' shaded' * cell.shaded}{merge}")
                for p in cell.blocks:
                    lines += _paragraph(p, "      ")
    lines += [f"footnote {f.id}: {_runs(f.runs)}" for f in document.footnotes]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("cycle", CYCLES)
def test_render_snapshot(cycle: str, snapshot: Snapshot) -> None:
    snapshot.check(f"render-{cycle}.txt", dump(render_document(PLANS / cycle)))


@pytest.mark.parametrize("old,new", list(itertools.pairwise(CYCLES)))
def test_redline_summary_snapshot(old: str, new: str, snapshot: Snapshot) -> None:
    result = redline(PLANS / old, PLANS / new)
    snapshot.check(f"changes-{old}_{new}.txt", summary_text(result.changes))
