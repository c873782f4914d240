"""The compilation of a meeting's contributions: the document the Secretariat prepares for the
Council Working Group.

A cover lists the contributions (reference, contributor, date, title, number of changes, and
each one's summary). Then, in plan order, each part of the plan that any contribution changes:
its draft text, then each contribution's proposal for it as tracked changes by that
contributor on that contribution's date, headed by its mark (ADD, MOD, SUP) and reference, and
followed by its reasons, as ITU conference proposals print them. Proposals on the same text
stand together under it. With `full`, the parts no one changed are shown too.

Each contribution is applied alone to the base plan (as its author wrote it) and its document
compared with the base's; a part of the plan is an item (its blocks share the key prefix
`<kind>:<id>`) or, for prose, one paragraph of a section. Accepting a proposal's revisions
gives exactly that part of the plan as the contribution would have it; rejecting them, the
draft.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from stratplan import ir, keys
from stratplan.changes.amend import amend
from stratplan.changes.apply import Applied, AppliedChange, apply_contributions
from stratplan.changes.overlap import find_overlaps
from stratplan.diagnostics import StratplanError, display_path, shorten
from stratplan.diff import redline
from stratplan.diff.review import accept_all, reject_all
from stratplan.model.contribution import ContributionMeta, address_of, mark_of
from stratplan.model.plan import Plan
from stratplan.model.walk import all_models, item_of
from stratplan.render.document import plan_document
from stratplan.workspace import LoadedContribution, Workspace


@dataclass
class Proposal:
    """One contribution's proposal for one part of the plan."""

    meta: ContributionMeta
    source: Path
    mark: str  # ADD, MOD or SUP
    blocks: tuple[ir.Block, ...]  # the part, with the contribution's revisions
    reasons: list[str] = field(default_factory=list)
    overlaps: bool = False  # another contribution's change overlaps one of these
    # Values it sets that its text does not show (a deadline, a data source): said in words.
    notes: list[str] = field(default_factory=list)
    changes: set[tuple[Path, int]] = field(default_factory=set)  # (file, index) it shows


@dataclass
class Part:
    """A part of the plan: an item, or a paragraph of a section."""

    key: str
    section: str  # the heading of the section it is in ("2.5 Targets ...")
    order: tuple[float, int]  # its place in the plan
    draft: tuple[ir.Block, ...]  # as the base plan has it (empty for an added part)
    proposals: list[Proposal] = field(default_factory=list)
    label: str = ""


@dataclass
class Compilation:
    title: str
    period: str
    date: str
    contributions: list[tuple[LoadedContribution, int]]  # with its number of changes
    parts: list[Part]
    footnotes: tuple[ir.Footnote, ...] = ()
    # The changes of each contribution that no part of the document shows (a SMART field
    # the templates do not print): listed with the contribution, never dropped.
    unseen: dict[Path, list[AppliedChange]] = field(default_factory=dict)


# --- parts of a document ---------------------------------------------------------------------


def _item(part: str) -> str | None:
    """The item of the plan a part is, or None for a part of a section's prose."""
    return item_of(part)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _changed(block: ir.Block) -> bool:
    for paragraph in ir.iter_paragraphs((block,)):
        if paragraph.change or any(r.change for r in paragraph.runs):
            return True
    return isinstance(block, ir.Table) and any(row.change for row in block.rows)


def _text(blocks: tuple[ir.Block, ...]) -> str:
    return "\n".join(p.text for p in ir.iter_paragraphs(blocks))


def _parts(
    document: ir.Document,
) -> Iterator[tuple[str, ir.Block, tuple[float, int], str]]:
    """(part key, block, its place) for every block, table rows as tables of their own (with
    the table's header rows). The place counts the blocks the base document has; an inserted
    block comes half a place after the one before it."""
    section, heading = "front", "Front matter"
    position = -1.0
    for block in document.blocks:
        if isinstance(block, ir.Paragraph):
            if block.change == "ins":
                at = position + 0.5
            else:
                position += 1.0
                at = position
            if keys.is_section(block.key) and block.style.startswith("heading"):
                section = block.key
                heading = f"{block.number} {block.text}".strip()
            item = item_of(block.key)
            if item is None:
                # Prose of a section: one part per paragraph, named by its draft text (or
                # its new text, added), so that proposals on one paragraph come together.
                one = replace(document, blocks=(block,))
                base, new = _text(reject_all(one).blocks), _text(accept_all(one).blocks)
                item = keys.positional(section, _digest(base) if base else "+" + _digest(new))
            yield item, block, (at, 0), heading
            continue
        position += 1.0
        head = tuple(row for row in block.rows if row.header)
        for index, row in enumerate(block.rows):
            if not row.header:
                item = item_of(row.key) or keys.positional(block.key)
                yield item, replace(block, rows=(*head, row)), (position, index), heading


Grouped = dict[str, tuple[list[ir.Block], tuple[float, int], str]]


def _grouped(document: ir.Document) -> Grouped:
    """The document's blocks by part (with its place and section), tables of one part
    joined."""
    out: Grouped = {}
    for key, block, position, heading in _parts(document):
        blocks, _, _ = out.setdefault(key, ([], position, heading))
        last = blocks[-1] if blocks else None
        if isinstance(block, ir.Table) and isinstance(last, ir.Table) and last.key == block.key:
            head = sum(1 for row in block.rows if row.header)
            blocks[-1] = replace(last, rows=(*last.rows, *block.rows[head:]))
        else:
            blocks.append(block)
    return out


def _content(blocks: list[ir.Block] | tuple[ir.Block, ...]) -> tuple[ir.Block, ...]:
    """The blocks without the header rows of their tables."""
    return tuple(
        replace(b, rows=tuple(r for r in b.rows if not r.header)) if isinstance(b, ir.Table)
        else b
        for b in blocks
    )


def _mark(blocks: list[ir.Block]) -> str:
    content = ir.Document("", "", "", blocks=_content(blocks))
    accepted = _text(accept_all(content).blocks)
    rejected = _text(reject_all(content).blocks)
    if not rejected.strip():
        return "ADD"
    if not accepted.strip():
        return "SUP"
    return "MOD"


def _attributed(block: ir.Block, meta: ContributionMeta) -> ir.Block:
    def own(p: ir.Paragraph) -> ir.Paragraph:
        return replace(p, author=meta.contributor, date=meta.date)

    if isinstance(block, ir.Paragraph):
        return own(block)
    rows = tuple(
        replace(row, author=meta.contributor, date=meta.date, cells=tuple(
            replace(cell, blocks=tuple(own(p) for p in cell.blocks)) for cell in row.cells
        ))
        for row in block.rows
    )
    return replace(block, rows=rows)


def _unprinted(changes: list[AppliedChange], blocks: list[ir.Block]) -> list[str]:
    """The values these changes set that the blocks do not print, as 'deadline: 2030'."""
    shown = _text(accept_all(ir.Document("", "", "", blocks=tuple(blocks))).blocks)
    out = []
    for change in changes:
        value = getattr(change.change, "value", None)
        if value is None or isinstance(value, dict | list) or str(value) in shown:
            continue
        name = getattr(change.change, "field", None) or change.canonical[-1]
        out.append(f"{name}: {value} (change {change.number})")
    return out


def _key_parts(key: str) -> set[str]:
    return set(keys.parse(key).segments)


def _names(part: str, blocks: list[ir.Block]) -> set[str]:
    """What a part's keys name: its own, and those of every block and row in it."""
    names = _key_parts(part)
    for block in blocks:
        names |= _key_parts(block.key)
        if isinstance(block, ir.Table):
            for row in block.rows:
                names |= _key_parts(row.key)
        names |= {n for p in ir.iter_paragraphs((block,)) for n in _key_parts(p.key)}
    return names


# --- the compilation -------------------------------------------------------------------------


def compile_contributions(
    workspace: Workspace,
    loaded: list[LoadedContribution],
    base: Path,
    template_dir: Path | None = None,
    full: bool = False,
) -> Compilation:
    """Each contribution's proposals: the parts of the plan its amendment of the base changes,
    as tracked changes by it. Contributions whose changes are all new texts of different items
    amend the base together, once, and their parts are told apart by whose items they show
    (exactly as each alone would give them: a part that two of them, or none, would claim
    sends them back to amend alone)."""
    problems = [d for lc in loaded for d in lc.diagnostics]
    base_plan = workspace.plan(base).plan
    if base_plan is None:
        raise StratplanError(workspace.plan(base).diagnostics)
    base_doc = plan_document(base_plan, template_dir)
    # Each contribution applied alone to the base, as its author wrote it.
    alone = {lc.path: apply_contributions(workspace, [lc], base) for lc in loaded}
    problems += [d for applied in alone.values() for d in applied.problems]
    if problems:
        raise StratplanError(problems)
    overlapping = {
        (c.source.path, c.index)
        for o in find_overlaps([c for a in alone.values() for c in a.changes]) for c in o.changes
    }
    base_parts = _grouped(base_doc)
    found: dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]] = {}
    drafts: dict[str, Part] = {}
    footnotes = {f.id: f for f in base_doc.footnotes}
    pending = _batches([lc for lc in loaded if alone[lc.path].changes], alone)
    while pending:
        batch = pending.pop(0)
        amendment = amend(workspace, batch, base)
        if len(batch) > 1 and amendment.errors:
            pending[:0] = [[lc] for lc in batch]  # whose error it is, each alone says
            continue
        doc = plan_document(amendment.valid_plan(), template_dir)
        merged = redline(base_doc, doc).document
        claimed = _proposals(merged, batch, amendment.changes, overlapping)
        if claimed is None:
            pending[:0] = [[lc] for lc in batch]
            continue
        footnotes.update({f.id: f for f in merged.footnotes if f.id not in footnotes})
        for path, proposals in claimed.items():
            found[path] = proposals
        parts_shown = {k for lc in batch for k, _, _ in claimed[lc.path]}
        for key, (blocks, position, heading) in _grouped(merged).items():
            if key in parts_shown and key not in drafts:
                # The draft as the base document has it (not as a redline's reject gives it
                # back, its runs cut where that redline's changes were).
                draft = tuple(base_parts[key][0]) if key in base_parts else reject_all(
                    replace(merged, blocks=tuple(blocks))).blocks
                drafts[key] = Part(key, heading, position, draft)
    parts: dict[str, Part] = {}
    unseen: dict[Path, list[AppliedChange]] = {}
    counted: list[tuple[LoadedContribution, int]] = []
    for contribution in loaded:
        changes = alone[contribution.path].changes
        counted.append((contribution, len(changes)))
        shown: set[tuple[Path, int]] = set()
        for key, _, proposal in found.get(contribution.path, []):
            part = parts.setdefault(key, drafts[key])
            part.proposals.append(proposal)
            shown.update(proposal.changes)
        if changes:
            unseen[contribution.path] = [c for c in changes
                                         if (c.source.path, c.index) not in shown]
    if full:
        for key, (blocks, position, heading) in _grouped(base_doc).items():
            parts.setdefault(key, Part(key, heading, position, tuple(_content(blocks))))
    own = {p.key: p for p in ir.iter_paragraphs(base_doc.blocks)}
    for part in parts.values():
        part.label = _label(part, own)
    return Compilation(
        title=base_plan.plan.title,
        period=base_plan.plan.period,
        date=max((m.contribution.contribution.date or "" for m, _ in counted), default="")
        or base_plan.plan.document_date,
        contributions=counted,
        unseen=unseen,
        parts=sorted(parts.values(), key=lambda p: p.order),
        footnotes=tuple(footnotes.values()),
    )


def _batches(
    contributions: list[LoadedContribution], alone: dict[Path, Applied]
) -> list[list[LoadedContribution]]:
    """Contributions that may amend the base together: all their changes new texts, and no
    two of them touching the same item; each other contribution alone."""
    batches: list[tuple[set[str], list[LoadedContribution]]] = []
    out: list[list[LoadedContribution]] = []
    for contribution in contributions:
        changes = alone[contribution.path].changes
        scope = {item for c in changes for item in c.scope}
        if not all(c.local for c in changes):
            out.append([contribution])
            continue
        for taken, batch in batches:
            if not taken & scope:
                taken |= scope
                batch.append(contribution)
                break
        else:
            batches.append((set(scope), [contribution]))
    return [batch for _, batch in batches] + out


def _proposals(
    merged: ir.Document,
    batch: list[LoadedContribution],
    changes: list[AppliedChange],
    overlapping: set[tuple[Path, int]],
) -> dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]] | None:
    """The proposal of each contribution of `batch` for each part that the redline `merged`
    changes, by whose changes the part shows; None when, in a batch of several, a changed
    block is not keyed by exactly one of its contributions' items, or a number changed (then
    each must amend alone)."""
    out: dict[Path, list[tuple[str, tuple[ir.Block, ...], Proposal]]] = {
        lc.path: [] for lc in batch}
    metas = {lc.path: lc.contribution.contribution for lc in batch}
    by_item: dict[str, set[Path]] = {}
    for change in changes:
        if change.item:
            by_item.setdefault(change.item, set()).add(change.source.path)
    for key, (blocks, _, _) in _grouped(merged).items():
        if not any(_changed(b) for b in blocks):
            continue
        names = _names(key, blocks)
        mine = [c for c in changes if c.scope & names]
        owners = {c.source.path for c in mine}
        if len(batch) > 1 and (len(owners) != 1 or _keyed_owners(blocks, by_item) != owners):
            return None
        if not mine and _item(key) is not None:
            continue  # an item only renumbered by a change elsewhere: not a proposal
        path = next(iter(owners)) if owners else batch[0].path
        meta = metas[path]
        proposal = Proposal(
            meta,
            path,
            _mark(blocks),
            tuple(_attributed(b, meta) for b in blocks),
            [f"{c.change.reasons} (change {c.number})" for c in mine if c.change.reasons],
            any((c.source.path, c.index) in overlapping for c in mine),
            _unprinted(mine, blocks),
            changes={(c.source.path, c.index) for c in mine},
        )
        out[path].append((key, tuple(blocks), proposal))
    return out


def _keyed_owners(blocks: list[ir.Block], by_item: dict[str, set[Path]]) -> set[Path] | None:
    """The contributions whose items key every changed paragraph and row of `blocks`; None
    when one is keyed by none of them, or changed its number (which no local change does)."""
    owners: set[Path] = set()
    changed: list[ir.Paragraph | ir.Row] = []
    for block in blocks:
        if isinstance(block, ir.Table):
            changed += [row for row in block.rows if row.change]
        changed += [p for p in ir.iter_paragraphs((block,)) if _changed(p)]
    for unit in changed:
        if isinstance(unit, ir.Paragraph) and unit.number_was is not None:
            return None
        item = item_of(unit.key)
        found = by_item.get(item or "")
        if not found:
            return None
        owners |= found
    return owners


def _kind_names() -> dict[str, str]:
    return {str(vars(m)["kind"]): m.__name__ for m in all_models(Plan) if "kind" in vars(m)}


def _shown(blocks: Sequence[ir.Block]) -> list[ir.Block]:
    """The blocks that show something of the draft: not a table with no row but its heading
    (a new target's table, in a draft without the target)."""
    return [b for b in blocks if not isinstance(b, ir.Table) or any(not r.header for r in b.rows)]


def _label(part: Part, base: dict[str, ir.Paragraph]) -> str:
    """How the compilation heads a part: 'Target 1.1: Universal broadband coverage', '1
    Overview of ITU's structure, paragraph 5', 'Appendix A ...: table resources'."""
    blocks = _shown(part.draft) or (
        accept_all(ir.Document("", "", "", blocks=part.proposals[0].blocks)).blocks
        if part.proposals else ()
    )
    paragraphs = [p for p in ir.iter_paragraphs(_content(blocks)) if p.text.strip()]
    item = _item(part.key)
    if item is not None:
        kind, name = keys.parse(item).kind, keys.parse(item).name
        own = base.get(item) or next(
            (p for p in paragraphs if keys.head_of(p.key) == item),
            paragraphs[0] if paragraphs else None,
        )
        if kind == "s":
            return part.section
        label = {"p": "Paragraph"}.get(kind) or _kind_names().get(kind, kind.title())
        if own is None:
            return f"{label} {name}"
        number = own.number.rstrip(":").strip()
        text = shorten(own.text, 90)
        return f"{label} {number}: {text}" if number else f"{label}: {text}"
    first = paragraphs[0] if paragraphs else None
    if first is not None and first.number and not any(isinstance(b, ir.Table) for b in blocks):
        return f"{part.section}, paragraph {first.number}"
    if any(isinstance(b, ir.Table) for b in blocks):
        return f"{part.section}: table"
    return f"{part.section}: {shorten(first.text, 90)}" if first else part.section


# --- as a document ---------------------------------------------------------------------------


def _paragraph(key: str, style: str, *runs: ir.Run, **kw: object) -> ir.Paragraph:
    return ir.Paragraph(key=key, style=style, runs=runs, **kw)  # type: ignore[arg-type]


def _rekey_paragraph(paragraph: ir.Paragraph, prefix: str) -> ir.Paragraph:
    return replace(paragraph, key=keys.within(prefix, paragraph.key), comments=tuple(
        replace(c, key=keys.within(prefix, c.key)) for c in paragraph.comments
    ))


def _rekey(block: ir.Block, prefix: str) -> ir.Block:
    """The block with every key prefixed, so that a part shown several times stays unique."""
    if isinstance(block, ir.Paragraph):
        return _rekey_paragraph(block, prefix)
    return replace(block, key=keys.within(prefix, block.key), rows=tuple(
        replace(row, key=keys.within(prefix, row.key), cells=tuple(
            replace(cell, blocks=tuple(_rekey_paragraph(p, prefix) for p in cell.blocks))
            for cell in row.cells
        ))
        for row in block.rows
    ))


def to_ir(compilation: Compilation) -> ir.Document:
    blocks: list[ir.Block] = [
        _paragraph("title", "title", ir.Run("Compilation of contributions"), align="center"),
        _paragraph("subtitle", "body", ir.Run(f"to the draft {compilation.title}"),
                   align="center"),
        _paragraph(keys.key(keys.SECTION, "contributions"), "heading1", ir.Run("Contributions"),
                   number="1"),
    ]
    head = ir.Row(keys.key("contributions", "head"), tuple(
        ir.Cell((_paragraph(keys.key("contributions", "head", n), "table-heading", ir.Run(t)),))
        for n, t in enumerate(("Reference", "Contributor", "Date", "Title", "Changes"))
    ), header=True)
    rows = [head]
    for n, (contribution, count) in enumerate(compilation.contributions, start=1):
        meta = contribution.contribution.contribution
        cells = (meta.reference or display_path(contribution.path), meta.contributor,
                 meta.date or "", meta.title, str(count))
        rows.append(ir.Row(keys.key("contributions", n), tuple(
            ir.Cell((_paragraph(keys.key("contributions", n, i), "table-text", ir.Run(text)),))
            for i, text in enumerate(cells)
        )))
    blocks.append(ir.Table("contributions", tuple(rows), widths=(17, 19, 14, 37, 13)))
    for n, (contribution, _) in enumerate(compilation.contributions, start=1):
        meta = contribution.contribution.contribution
        if not meta.summary:
            continue
        blocks.append(_paragraph(keys.key("summary", n), "heading3", ir.Run(f"{meta.label}: "),
                                 ir.Run(meta.title)))
        blocks += [_paragraph(keys.key("summary", n, i), "body", ir.Run(p.text))
                   for i, p in enumerate(meta.summary, start=1)]
    for n, (contribution, _) in enumerate(compilation.contributions, start=1):
        unseen = compilation.unseen.get(contribution.path, [])
        if not unseen:
            continue
        meta = contribution.contribution.contribution
        blocks.append(_paragraph(keys.key("unseen", n), "body", ir.Run(
            f"{meta.label}: changes the document does not print", bold=True)))
        for change in unseen:
            value = getattr(change.change, "value", None)
            field_name = getattr(change.change, "field", None)
            what = f"{mark_of(change.change)} {address_of(change.change)}"
            item = getattr(change.change, "item", None)
            if address_of(change.change).endswith("/comments") and isinstance(item, dict):
                # a drafting comment: it prints as a Word comment, not in the text
                what = (f"a comment on {address_of(change.change).removesuffix('/comments')}"
                        f": “{item.get('text', '')}”")
            if field_name:
                what += f" ({field_name})"
            if value is not None and not isinstance(value, dict | list):
                what += f": {value}"
            reasons = f". Reasons: {change.change.reasons}" if change.change.reasons else ""
            blocks.append(_paragraph(keys.key("unseen", n, change.number), "list",
                                     ir.Run(f"change {change.number}: {what}{reasons}"),
                                     list_kind="dash"))
    blocks.append(_paragraph(keys.key(keys.SECTION, "proposals"), "heading1",
                             ir.Run("Proposals"), number="2"))
    for n, part in enumerate(compilation.parts, start=1):
        blocks.append(_paragraph(keys.key("part", n), "heading2", ir.Run(part.label),
                                 number=f"2.{n}"))
        draft = _shown(part.draft)
        if draft:
            blocks.append(_paragraph(keys.key("part", n, "draft"), "note",
                                     ir.Run("Draft text", bold=True)))
            blocks += [_rekey(b, keys.key("part", n, "draft")) for b in draft]
        else:
            blocks.append(_paragraph(keys.key("part", n, "draft"), "note",
                                     ir.Run("Not in the draft: proposed addition", italic=True)))
        if not part.proposals:
            blocks.append(_paragraph(keys.key("part", n, "none"), "note", ir.Run("No proposal.",
                                                                     italic=True)))
        together = sum(1 for p in part.proposals if p.overlaps) > 1
        for m, proposal in enumerate(part.proposals, start=1):
            prefix = keys.key("part", n, f"proposal{m}")
            when = f", {proposal.meta.date}" if proposal.meta.date else ""
            blocks.append(_paragraph(
                keys.sub(prefix, "mark"), "body",
                ir.Run(f"{proposal.mark}\u2002", bold=True),  # an en space: a tab jumps
                ir.Run(f"{proposal.meta.label}{when}", bold=True),
            ))
            blocks += [_rekey(b, prefix) for b in proposal.blocks]
            for i, note in enumerate(proposal.notes, start=1):
                blocks.append(_paragraph(keys.sub(prefix, f"note{i}"), "note", ir.Run("Also sets "),
                                         ir.Run(note)))
            for i, reason in enumerate(proposal.reasons, start=1):
                blocks.append(_paragraph(keys.sub(prefix, f"reasons{i}"), "body",
                                         ir.Run("Reasons:", bold=True), ir.Run(f" {reason}")))
        if together:
            blocks.append(_paragraph(keys.key("part", n, "overlap"), "note", ir.Run(
                "These proposals change the same text (SP805): the Working Group decides.",
                italic=True)))
    return ir.Document(
        title=f"Compilation of contributions: {compilation.title}",
        subject=f"Contributions to the draft strategic plan {compilation.period}",
        date=compilation.date,
        blocks=tuple(blocks),
        footnotes=compilation.footnotes,
        revision_author="stratplan",
        revision_date=compilation.date,
    )


def to_json(compilation: Compilation) -> dict[str, object]:
    """The compilation as data: each part's draft and every proposal's text, accepted."""

    def text(blocks: tuple[ir.Block, ...]) -> str:
        return _text(blocks)

    def accepted(blocks: tuple[ir.Block, ...]) -> str:
        return _text(accept_all(ir.Document("", "", "", blocks=blocks)).blocks)

    return {
        "plan": {"title": compilation.title, "period": compilation.period},
        "contributions": [
            {
                "file": display_path(c.path),
                "reference": c.contribution.contribution.reference,
                "contributor": c.contribution.contribution.contributor,
                "date": c.contribution.contribution.date,
                "title": c.contribution.contribution.title,
                "changes": count,
            }
            for c, count in compilation.contributions
        ],
        "parts": [
            {
                "key": part.key,
                "label": part.label,
                "draft": text(part.draft),
                "proposals": [
                    {
                        "mark": p.mark,
                        "contributor": p.meta.contributor,
                        "reference": p.meta.reference,
                        "date": p.meta.date,
                        "text": accepted(p.blocks),
                        "reasons": p.reasons,
                        "also_sets": p.notes,
                        "overlaps": p.overlaps,
                    }
                    for p in part.proposals
                ],
            }
            for part in compilation.parts
        ],
    }
