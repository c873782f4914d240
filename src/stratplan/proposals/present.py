"""The base plan's document with contributions shown in it (`render -c`, `diff BASE
CONTRIBUTION`): each change a tracked change by its contributor, on its contribution's date;
its mark, reference and reasons a Word comment by the contributor on the text it changes; and
two proposals on the same text side by side, after the base text, never one lost.

The mark, reference and reasons travel as comments, not as paragraphs, so that accepting every
revision still gives exactly the amended plan's document and rejecting every one the base
plan's (DESIGN.md, invariant 3). Overlapping proposals are not applied: the base text stays,
and after it each proposal is an alternative paragraph (`[CWG-SFP-4/12 (Member State X)] ...`)
holding its change to the base as tracked changes by its contributor. Neither accepting nor
rejecting resolves them: the Working Group decides, then `apply --change` takes the one chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from stratplan import ir, keys
from stratplan.changes.amend import amend
from stratplan.changes.apply import AppliedChange, apply_contributions
from stratplan.changes.attribute import attribute
from stratplan.changes.overlap import Overlap, find_overlaps
from stratplan.diagnostics import StratplanError
from stratplan.diff import RedlineResult, redline
from stratplan.diff.redline import merge_paragraph, whole_paragraph
from stratplan.model.contribution import mark_of
from stratplan.render.document import plan_document
from stratplan.workspace import LoadedContribution, Workspace


def _identity(change: AppliedChange) -> tuple[Path, int]:
    return change.source.path, change.index


def present_contributions(
    workspace: Workspace,
    loaded: list[LoadedContribution],
    base: Path,
    template_dir: Path | None = None,
    date: str | None = None,
) -> RedlineResult:
    # Each contribution alone, as its author wrote it: an overlap still counts when another
    # contribution removes what a change changes.
    alone = [apply_contributions(workspace, [c], base).changes for c in loaded]
    overlaps = find_overlaps([c for changes in alone for c in changes])
    held = {_identity(c) for o in overlaps for c in o.changes}

    def kept(change: AppliedChange) -> bool:
        return _identity(change) not in held

    amendment = amend(workspace, loaded, base, keep=kept)
    applied = amendment.applied
    problems = [d for lc in loaded for d in lc.diagnostics] + applied.problems
    if problems:
        raise StratplanError(problems)
    base_plan = workspace.plan(base).plan
    assert base_plan is not None
    base_doc = plan_document(base_plan, template_dir)
    amended_doc = plan_document(amendment.valid_plan(), template_dir)
    first = loaded[0].contribution.contribution
    result = redline(
        base_doc, amended_doc, author=first.contributor,
        date=date or first.date or base_plan.plan.date,
    )
    document = attribute(result.document, applied.touched())
    document = with_reasons(document, applied.changes)
    for overlap in overlaps:
        document = with_alternatives(
            document, amended_doc, overlap,
            lambda change: plan_document(
                amend(workspace, loaded, base,
                      keep=lambda c: kept(c) or _identity(c) == _identity(change)).valid_plan(),
                template_dir,
            ),
        )
    return replace(result, document=document)


# --- reasons -----------------------------------------------------------------------------


def comment_text(change: AppliedChange) -> str:
    """'MOD CWG-SFP-4/12 (Member State X), change 3: Reasons: ...'."""
    text = f"{mark_of(change.change)} {change.meta.label}, change {change.number}"
    reasons = change.change.reasons
    return f"{text}. Reasons: {reasons}" if reasons else text


def _parts(key: str) -> list[str]:
    return list(keys.parse(key).segments)


def _changed(paragraph: ir.Paragraph) -> bool:
    return paragraph.change is not None or any(r.change for r in paragraph.runs)


def _map_paragraphs(
    blocks: tuple[ir.Block, ...], fn: Callable[[ir.Paragraph], ir.Paragraph]
) -> tuple[ir.Block, ...]:
    out: list[ir.Block] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            out.append(fn(block))
            continue
        rows = tuple(
            replace(row, cells=tuple(
                replace(cell, blocks=tuple(fn(p) for p in cell.blocks)) for cell in row.cells
            ))
            for row in block.rows
        )
        out.append(replace(block, rows=rows))
    return tuple(out)


def _units(blocks: tuple[ir.Block, ...]) -> list[tuple[str, list[ir.Paragraph], bool]]:
    """The document as (key, paragraphs, is a row) units: every paragraph, every table row."""
    out: list[tuple[str, list[ir.Paragraph], bool]] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            out.append((block.key, [block], False))
        else:
            for row in block.rows:
                paragraphs = [p for cell in row.cells for p in cell.blocks]
                out += [(p.key, [p], False) for p in paragraphs]
                out.append((row.key, paragraphs, True))
    return out


def with_reasons(document: ir.Document, changes: list[AppliedChange]) -> ir.Document:
    """Each change's mark, reference and reasons as a comment by its contributor on the first
    changed paragraph whose key (or whose row's key) names what it changes; else on a paragraph
    that names it; else on the document's title: nothing is dropped."""
    units = [(set(_parts(key)), ps, row) for key, ps, row in _units(document.blocks) if ps]
    targets: dict[str, list[ir.Comment]] = {}
    for change in changes:
        names = set(change.scope)
        named = [(ps, row) for parts, ps, row in units if names & parts]
        # The item's own changed paragraph, else its own paragraph, else a changed row of it
        # (Appendix A), else any row of it.
        ranked = sorted(
            named, key=lambda unit: (unit[1], not any(_changed(p) for p in unit[0]))
        )
        host = ranked[0][0] if ranked else []
        key = next((p.key for p in host if _changed(p)), host[0].key if host else "title")
        comments = targets.setdefault(key, [])
        comments.append(
            ir.Comment(
                key=keys.sub(key, f"proposal{len(comments) + 1}"),
                author=change.meta.contributor,
                date=change.meta.date or document.revision_date or document.date,
                text=comment_text(change),
            )
        )

    def add(paragraph: ir.Paragraph) -> ir.Paragraph:
        extra = targets.get(paragraph.key)
        if not extra:
            return paragraph
        return replace(paragraph, comments=paragraph.comments + tuple(extra))

    return replace(document, blocks=_map_paragraphs(document.blocks, add))


# --- overlapping proposals side by side ---------------------------------------------------


def _by_key(document: ir.Document) -> dict[str, ir.Paragraph]:
    return {p.key: p for p in ir.iter_paragraphs(document.blocks)}


def proposal_paragraphs(
    before: ir.Document, after: ir.Document
) -> Iterator[tuple[str, ir.Paragraph]]:
    """(key of the paragraph it follows, the paragraph with the revisions from `before` to
    `after`) for each paragraph a proposal changes, deletes or adds."""
    old, new = _by_key(before), _by_key(after)
    previous = "title"
    for key, paragraph in new.items():
        if key in old:
            if old[key].runs != paragraph.runs or old[key].number != paragraph.number:
                yield key, merge_paragraph(old[key], paragraph)
            previous = key
        else:
            yield previous, whole_paragraph(paragraph, "ins")
    for key, paragraph in old.items():
        if key not in new:
            yield key, whole_paragraph(paragraph, "del")


def with_alternatives(
    document: ir.Document,
    amended_doc: ir.Document,
    overlap: Overlap,
    render_with: Callable[[AppliedChange], ir.Document],
) -> ir.Document:
    """After the base text of what the overlap changes, each proposal as an alternative
    paragraph, `[label]` first, holding its revisions by its contributor and a comment with
    its mark and reasons."""
    inserts: dict[str, list[ir.Paragraph]] = {}
    for change in overlap.changes:
        first = True
        for anchor, paragraph in proposal_paragraphs(amended_doc, render_with(change)):
            if not change.scope & set(_parts(paragraph.key)):
                continue  # a consequence elsewhere (a renumbered sibling): not the proposal
            label = ir.Run(f"[{change.meta.label}] ")
            alternative = replace(
                paragraph,
                key=keys.sub(paragraph.key, "proposal", change.source.path.stem, change.number),
                style="alternative" if paragraph.style not in ("table-text",) else "table-text",
                runs=(label, *paragraph.runs),
                number="",  # "[Member State A] text", as the plan's own alternatives
                change=None,
                list_kind=None,
                author=change.meta.contributor,
                date=change.meta.date,
                comments=() if first is False else (
                    ir.Comment(
                        key=keys.sub(paragraph.key, "proposal", change.number, "reasons"),
                        author=change.meta.contributor,
                        date=change.meta.date or document.revision_date or document.date,
                        text=comment_text(change),
                    ),
                ),
            )
            first = False  # the reasons go with the first paragraph of a proposal
            inserts.setdefault(anchor, []).append(alternative)
    return replace(document, blocks=insert_after(document.blocks, inserts))


def insert_after(
    blocks: tuple[ir.Block, ...], inserts: dict[str, list[ir.Paragraph]]
) -> tuple[ir.Block, ...]:
    """The blocks with each list of `inserts` placed after the paragraph of that key (in a
    table cell when that paragraph is in one)."""
    out: list[ir.Block] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph):
            out.append(block)
            out.extend(inserts.get(block.key, ()))
            continue
        rows = []
        for row in block.rows:
            cells = []
            for cell in row.cells:
                paragraphs: list[ir.Paragraph] = []
                for paragraph in cell.blocks:
                    paragraphs.append(paragraph)
                    paragraphs.extend(inserts.get(paragraph.key, ()))
                cells.append(replace(cell, blocks=tuple(paragraphs)))
            rows.append(replace(row, cells=tuple(cells)))
        out.append(replace(block, rows=tuple(rows)))
    return tuple(out)
